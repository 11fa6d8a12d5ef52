"""The kinds of job: how their inputs are written down and hashed, and what a worker
runs for each. A kind's ``run`` writes its result files into a folder and returns
the summary (JSON) stored with the job."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bakuhub import __version__
from bakuhub.errors import InvalidInput
from bakuhub.i18n import _

if TYPE_CHECKING:
    from bakuhub.corridor.scenario import Scenario

CORRIDOR_STUDY = "corridor.study"
HEAVY_SNAPSHOTS = 4000
"""Snapshots from which a study counts as heavy (hourly: 8,760; 2h: 4,380)."""
Progress = Callable[[str], None]
Runner = Callable[[dict[str, Any], Path, Progress], dict[str, Any]]


def input_hash(kind: str, inputs: dict[str, Any]) -> str:
    """SHA-256 of the kind, the canonical JSON of the inputs and the bakuhub version (the
    language the report is wanted in is not an input of the result: left out)."""
    same = {key: value for key, value in inputs.items() if key != "language"}
    text = json.dumps(
        {"kind": kind, "inputs": same, "version": __version__},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode()).hexdigest()


def study_inputs(
    scenario: Scenario, *, resolution: str | None = None, counterfactual: bool = False
) -> dict[str, Any]:
    """The exact inputs of a corridor study: the scenario (resolution applied) and options."""
    from bakuhub.corridor.scenario import parse_scenario

    if resolution is not None:
        data = scenario.model_dump(mode="json")
        data["resolution"] = resolution
        # the scenario was validated when it was made (with the paths its origin may name)
        scenario = parse_scenario(data, f"{scenario.name} at resolution {resolution}", trusted=True)
    return {"scenario": scenario.model_dump(mode="json"), "counterfactual": counterfactual}


def is_heavy(kind: str, inputs: dict[str, Any]) -> bool:
    """Whether a job is a fine-resolution study (:data:`HEAVY_SNAPSHOTS` or more)."""
    from bakuhub.corridor.scenario import snapshot_count

    if kind != CORRIDOR_STUDY:
        return False
    try:
        return snapshot_count(str(inputs["scenario"]["resolution"])) >= HEAVY_SNAPSHOTS
    except (KeyError, TypeError, ValueError, IndexError):
        return False


def expected_lines(kind: str, inputs: dict[str, Any]) -> int:
    """How many progress lines a job of this kind reports (for its progress fraction)."""
    if kind == CORRIDOR_STUDY:
        # per solve: data, resolution, model size, optimum; the counterfactual adds a
        # line of its own and a second solve; the real-year check (on unless the scenario
        # turns it off) adds start, model size and result; one line for writing the files;
        # the refinement one line and one a solve at most; the peak days (with the check)
        # one line, a solve and a check a round at most
        scenario = inputs.get("scenario")
        checked = not isinstance(scenario, dict) or scenario.get("real_year_check", True)
        refined = scenario.get("refine_solves", 0) if isinstance(scenario, dict) else 0
        refined = refined + 1 if isinstance(refined, int) and refined > 0 else 0
        asked = scenario if isinstance(scenario, dict) else {}
        lines = 5 + (3 if checked else 0) + refined
        if inputs.get("counterfactual"):
            lines += 5 + _benefit_lines(asked)
        peaks = asked.get("peak_rounds", _peak_rounds()) if isinstance(scenario, dict) else 0
        if checked and not refined and isinstance(peaks, int):
            lines += 8 * peaks
        return lines + _analysis_lines(asked) + _pathway_lines(asked)
    return 1


def _peak_rounds() -> int:
    """The scenario's default re-sizings with peak days (``corridor/peak_days.py``)."""
    from bakuhub.corridor.scenario import Scenario

    default: int = Scenario.model_fields["peak_rounds"].default
    return default


def _benefit_lines(scenario: dict[str, Any]) -> int:
    """Progress lines of the benefits beyond the Caspian cable's (``corridor/analyses.py``):
    a line and a solve for the Black Sea cable unless the scenario turns it off, as many
    for both cables together when ``negotiation.both_cables`` asks (and neither is off)."""
    links = scenario.get("links")
    links = links if isinstance(links, dict) else {}

    def off(cable: str) -> bool:
        option = links.get(cable)
        return isinstance(option, dict) and option.get("mode") == "off"

    if off("BLACKSEA"):
        return 0
    asked = scenario.get("negotiation")
    both = isinstance(asked, dict) and asked.get("both_cables") and not off("CASPIAN")
    return 10 if both else 5


def _analysis_lines(scenario: dict[str, Any]) -> int:
    """Progress lines of a study's negotiation analyses (``corridor/analyses.py``): the
    cost shares one line and one a coalition (8); CBAM one line and a solve (4); the
    near-optimal ranges one a solve, counted at their most (the number of ranges is
    known only once the network is built); the molecules' comparison one line and a
    solve (5)."""
    asked = scenario.get("negotiation")
    asked = asked if isinstance(asked, dict) else {}
    cbam = scenario.get("cbam")
    lines = 9 if asked.get("cost_sharing") else 0
    lines += 5 if isinstance(cbam, dict) and cbam.get("mode", "off") != "off" else 0
    molecules = scenario.get("molecules")
    lines += 5 if isinstance(molecules, dict) and molecules.get("enabled") else 0
    if asked.get("near_optimal_slack") is not None:
        from bakuhub.corridor.negotiation_options import NegotiationOptions

        default = NegotiationOptions().near_optimal_max_solves
        most = asked.get("near_optimal_max_solves", default)
        lines += most if isinstance(most, int) else default
    return lines


def _pathway_lines(scenario: dict[str, Any]) -> int:
    """Progress lines of a pathway (``corridor/pathway_study.py``): one, and one a year
    (myopic) or one for the model of all years (perfect foresight); with the real-year
    check (``corridor/pathway_years.py``) four more a year."""
    asked = scenario.get("pathway")
    years = asked.get("years") if isinstance(asked, dict) else None
    if not isinstance(asked, dict) or not isinstance(years, list) or not years:
        return 0
    solves = 1 if asked.get("mode") == "perfect-foresight" else len(years)
    checked = scenario.get("real_year_check", True)
    return 1 + solves + (4 * len(years) if checked else 0)


def run_corridor_study(inputs: dict[str, Any], out: Path, progress: Progress) -> dict[str, Any]:
    """Solve a corridor scenario and write summary, tables, network and report to ``out``."""
    from bakuhub.corridor.run_study import run_study, write_outputs
    from bakuhub.corridor.scenario import parse_scenario

    # stored inputs were checked at submission (the API refuses server paths)
    scenario = parse_scenario(inputs["scenario"], "of the job", trusted=True)
    study = run_study(scenario, counterfactual=bool(inputs["counterfactual"]), progress=progress)
    progress("writing summary, tables, network and report")
    wanted = inputs.get("language")  # the submitter's: their report too, besides English
    also = [wanted] if isinstance(wanted, str) else []
    write_outputs(study, out, language="en", also=also)
    return study.summary


KINDS: dict[str, Runner] = {CORRIDOR_STUDY: run_corridor_study}


def runner_of(kind: str) -> Runner:
    """The function that runs a kind, or ``InvalidInput`` naming the known kinds."""
    try:
        return KINDS[kind]
    except KeyError:
        known = ", ".join(sorted(KINDS))
        raise InvalidInput(
            _("There is no job kind '{kind}'; use one of: {known}.").format(kind=kind, known=known)
        ) from None
