"""Who gains and who pays: benefits by country and cost-sharing proposals for a corridor
study, as plain JSON-able tables a delegation can take to the table.

The coalition game of a project (a set of candidate cables shared by partner
countries, e.g. the Caspian joint venture of Kazakhstan, Uzbekistan and Azerbaijan):

- a coalition ``S`` of partners may build a project cable when every country at its ends
  is in ``S``; every other project cable is ``off``; links outside the project keep the
  scenario's setting (the model still sizes them);
- each coalition's scenario is solved (``2^k`` solves for ``k`` partners; in parallel
  on any ``concurrent.futures.Executor``, e.g. a Dask client's ``get_executor()``);
- ``v(S) = sum_(i in S) (W_i(S) - W_i({})) - K(S)``: the members' gain in welfare
  (:mod:`bakuhub.corridor.benefits`, the project cables' cost kept apart) over the
  project not built at all, less the annualised cost ``K(S)`` of the project cables
  ``S`` builds. What non-members gain or lose is shown, not counted in ``v``.

Proposals (:mod:`bakuhub.corridor.sharing`): the cost ``K(N)`` in proportion to the
partners' positive gross benefits ``B_i = W_i(N) - W_i({})``, and the Shapley value
``phi`` of ``v`` (partner ``i`` then pays ``B_i - phi_i``); the core is checked for both.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

from bakuhub.corridor import sharing
from bakuhub.corridor.benefits import Benefits, benefits, welfare
from bakuhub.corridor.datasets import load_dataset
from bakuhub.corridor.scenario import CableOption, Scenario
from bakuhub.corridor.solve import Progress, solve_scenario
from bakuhub.errors import InvalidInput
from bakuhub.i18n import _

SOLVER_NOISE = 1e-7
"""Relative accuracy of a solved system cost (interior-point and simplex tolerances):
coalition values closer than this share of the system cost count as equal."""


@dataclass(frozen=True)
class Project:
    """A set of candidate cables and the partner countries who negotiate over it."""

    name: str
    cables: tuple[str, ...]
    partners: tuple[str, ...]


CASPIAN_PROJECT = Project("Caspian", ("CASPIAN", "UZ_NUK-KZ_WS"), ("KZ", "UZ", "AZ"))
"""The Caspian joint venture as issue 18 states it: Kazakhstan, Uzbekistan and
Azerbaijan; the Caspian cable (KZ-AZ) and the Uzbek feeder to it (UZ-KZ)."""


def cable_ends(scenario: Scenario, cables: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The countries at the two ends of each cable (one for a domestic cable)."""
    data = load_dataset(scenario.year, scenario.costs.cable_cost)
    links = data.links.set_index("link")
    country = {str(k): str(v) for k, v in zip(data.nodes.node, data.nodes.country, strict=True)}
    unknown = sorted(set(cables) - set(links.index))
    if unknown:
        raise InvalidInput(
            _("project cables: {unknown} unknown; use {known}.").format(
                unknown=", ".join(unknown), known=", ".join(sorted(links.index))
            )
        )
    return {
        c: tuple(dict.fromkeys(country[str(links.at[c, b])] for b in ("bus0", "bus1")))
        for c in cables
    }


def coalition_scenario(
    scenario: Scenario, ends: dict[str, tuple[str, ...]], coalition: frozenset[str]
) -> Scenario:
    """The scenario where only ``coalition`` cooperates: a project cable stays as the
    scenario has it when all its end countries are members, and is off otherwise."""
    links = dict(scenario.links)
    for cable, countries in ends.items():
        if not set(countries) <= coalition:
            links[cable] = CableOption(mode="off")
    label = "+".join(sorted(coalition)) or "none"
    return scenario.model_copy(update={"links": links, "name": f"{scenario.name} ({label})"})


def solve_welfare(
    scenario_data: dict[str, Any], resolution: str | None, cables: list[str]
) -> dict[str, Any]:
    """Solve one scenario and return its welfare by party as plain data (a task for a
    worker process: a JSON-able scenario in, JSON-able numbers out)."""
    scenario = Scenario.model_validate(scenario_data, context={"trusted": True})
    started = time.perf_counter()
    solved = solve_scenario(scenario, resolution=resolution)
    result = welfare(solved.network, cables)
    n = solved.network
    built = {
        c: float(n.links.p_nom_opt.get(f"{c} fwd", n.links.p_nom_opt.get(c, 0.0))) for c in cables
    }
    return {
        "welfare_eur_a": {str(k): float(v) for k, v in result.table.welfare_eur_a.items()},
        "cable_cost_eur_a": result.kept_apart_eur_a,
        "system_cost_eur_a": result.system_cost_eur_a,
        "cables_mw": built,
        "seconds": time.perf_counter() - started,
    }


def solve_coalitions(
    scenario: Scenario,
    project: Project,
    *,
    resolution: str | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> dict[frozenset[str], dict[str, Any]]:
    """Every coalition of the project's partners solved (:func:`solve_welfare`), one
    after the other, or on ``executor`` when one is given."""
    say = progress or (lambda _line: None)
    ends = cable_ends(scenario, project.cables)
    outside = sorted({c for cs in ends.values() for c in cs} - set(project.partners))
    if outside:
        raise InvalidInput(
            _(
                "project {project}: its cables reach {countries}, which are not among its "
                "partners {partners}; add them as partners or leave those cables out."
            ).format(
                project=project.name,
                countries=", ".join(outside),
                partners=", ".join(project.partners),
            )
        )
    members = sharing.coalitions(list(project.partners))
    tasks = [
        (coalition_scenario(scenario, ends, s).model_dump(mode="json"), resolution, list(ends))
        for s in members
    ]
    if executor is None:
        out = {}
        for s, task in zip(members, tasks, strict=True):
            out[s] = solve_welfare(*task)
            say(_("coalition {members}: solved").format(members=_label(s)))
        return out
    futures = {
        s: executor.submit(solve_welfare, *task) for s, task in zip(members, tasks, strict=True)
    }
    out = {}
    for s, future in futures.items():
        out[s] = future.result()
        say(_("coalition {members}: solved").format(members=_label(s)))
    return out


def _label(coalition: frozenset[str]) -> str:
    return "+".join(sorted(coalition)) or "-"


def game_of(
    results: dict[frozenset[str], dict[str, Any]], partners: Sequence[str]
) -> tuple[dict[frozenset[str], float], dict[str, float]]:
    """``v(S)`` for every coalition, and each partner's gross benefit ``B_i`` in the
    grand coalition, from the coalitions' welfare (EUR/a)."""
    empty = results[frozenset()]["welfare_eur_a"]

    def gain(s: frozenset[str], party: str) -> float:
        return float(results[s]["welfare_eur_a"].get(party, 0.0)) - float(empty.get(party, 0.0))

    game = {
        s: sum(gain(s, i) for i in s) - float(r["cable_cost_eur_a"]) for s, r in results.items()
    }
    grand = frozenset(partners)
    return game, {i: gain(grand, i) for i in partners}


def export_cut_off(scenario: Scenario, cables: Sequence[str]) -> bool:
    """Whether ``cables`` carry the whole export: the scenario has an export target and,
    without them (and without the links it turns off), its gateway reaches no other
    node."""
    if scenario.europe.mode != "target":
        return False
    data = load_dataset(scenario.year, scenario.costs.cable_cost)
    off = set(cables) | {k for k, v in scenario.links.items() if v.mode == "off"}
    edges = [
        (str(a), str(b))
        for link, a, b in zip(data.links.link, data.links.bus0, data.links.bus1, strict=True)
        if str(link) not in off
    ]
    reached, frontier = {scenario.europe.gateway}, [scenario.europe.gateway]
    while frontier:
        node = frontier.pop()
        for a, b in edges:
            for here, there in ((a, b), (b, a)):
                if here == node and there not in reached:
                    reached.add(there)
                    frontier.append(there)
    return reached == {scenario.europe.gateway}


def without_cables(scenario: Scenario, cables: Sequence[str]) -> Scenario:
    """The counterfactual of ``cables``: the same scenario with them off; when they carry
    the whole export (:func:`export_cut_off`), without the export too, which no plan
    could deliver (its value to the buyer: :func:`export_value`)."""
    off = {c: CableOption(mode="off") for c in cable_ends(scenario, cables)}
    update: dict[str, Any] = {
        "links": {**scenario.links, **off},
        "name": f"{scenario.name} (without {', '.join(cables)})",
    }
    if export_cut_off(scenario, cables):
        update["europe"] = scenario.europe.model_copy(update={"mode": "none"})
    return scenario.model_copy(update=update)


def export_value(scenario: Scenario) -> float | None:
    """What a MWh exported is worth to the European buyer, for the benefits (EUR/MWh):
    the export price (``economics``) for an export target; None for a market export
    (its price is already the buyer's) or none."""
    if scenario.europe.mode != "target":
        return None
    return scenario.economics.export_price_eur_mwh


def benefits_of(
    scenario: Scenario, cables: Sequence[str], *, resolution: str | None = None
) -> Benefits:
    """Benefits by party of any set of ``cables``: the scenario solved as it is and
    without them (:func:`without_cables`; two solves)."""
    return benefits(
        solve_scenario(scenario, resolution=resolution).network,
        solve_scenario(without_cables(scenario, cables), resolution=resolution).network,
        cables,
        export_price_eur_mwh=export_value(scenario),
    )


def negotiate(
    scenario: Scenario,
    project: Project = CASPIAN_PROJECT,
    *,
    resolution: str | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The project's coalitions solved and the cost-sharing table (JSON-able)."""
    results = solve_coalitions(
        scenario, project, resolution=resolution, executor=executor, progress=progress
    )
    return sharing_table(results, project)


def sharing_table(
    results: dict[frozenset[str], dict[str, Any]], project: Project
) -> dict[str, Any]:
    """Cost shares (proportional and Shapley), the core verdicts and each coalition's
    value, from the solved coalitions."""
    partners = list(project.partners)
    game, gross = game_of(results, partners)
    grand = frozenset(partners)
    cost = float(results[grand]["cable_cost_eur_a"])
    try:
        proportional = sharing.proportional(cost, gross)
    except ValueError:
        proportional = None
    phi = sharing.shapley(partners, game)
    shapley_pays = sharing.cost_shares(gross, phi)
    rows = []
    for i in partners:
        row = {
            "country": i,
            "gross_benefit_eur_a": gross[i],
            "shapley_pays_eur_a": shapley_pays[i],
            "shapley_net_eur_a": phi[i],
            "proportional_pays_eur_a": None,
            "proportional_net_eur_a": None,
        }
        if proportional is not None:
            row["proportional_pays_eur_a"] = proportional[i]
            row["proportional_net_eur_a"] = gross[i] - proportional[i]
        rows.append(row)
    # the coalitions' values are differences of solved system costs, each exact only to
    # the solvers' relative tolerance: closer than that is equal
    noise = SOLVER_NOISE * max(abs(float(r["system_cost_eur_a"])) for r in results.values())
    verdicts = {"shapley": _verdict(partners, game, phi, noise)}
    if proportional is not None:
        net = {i: gross[i] - proportional[i] for i in partners}
        verdicts["proportional"] = _verdict(partners, game, net, noise)
    empty = results[frozenset()]["welfare_eur_a"]
    others = {
        party: float(value) - float(empty.get(party, 0.0))
        for party, value in results[grand]["welfare_eur_a"].items()
        if party not in grand
    }
    return _rounded(
        {
            "project": project.name,
            "cables": list(project.cables),
            "partners": partners,
            "cable_cost_eur_a": cost,
            "value_of_grand_coalition_eur_a": game[grand],
            "shares": rows,
            "core": {"empty": sharing.core_is_empty(partners, game, noise), **verdicts},
            "coalitions": [
                {
                    "members": sorted(s),
                    "value_eur_a": game[s],
                    "cable_cost_eur_a": float(results[s]["cable_cost_eur_a"]),
                    "system_cost_eur_a": float(results[s]["system_cost_eur_a"]),
                    "cables_mw": results[s]["cables_mw"],
                    "solve_seconds": float(results[s]["seconds"]),
                }
                for s in sharing.coalitions(partners)
            ],
            "non_partners_gain_eur_a": others,
        }
    )


def _verdict(
    partners: list[str], game: dict[frozenset[str], float], net: dict[str, float], noise: float
) -> dict[str, Any]:
    blocked = sharing.blocking(partners, game, net, noise)
    return {
        "in_core": sharing.in_core(partners, game, net, noise),
        "blocking": [
            {"members": list(b.coalition), "allocated_eur_a": b.allocated, "alone_eur_a": b.alone}
            for b in blocked
        ],
    }


def benefits_table(result: Benefits) -> dict[str, Any]:
    """Benefits by party of a set of cables against its counterfactual (JSON-able)."""
    table = result.table.rename(columns={"welfare_eur_a": "gross_benefit_eur_a"})
    rows = [{"party": str(party), **row} for party, row in table.to_dict(orient="index").items()]
    return _rounded(
        {
            "cables": list(result.cables),
            "parties": rows,
            "cable_cost_eur_a": result.cable_cost_eur_a,
            "net_benefit_eur_a": float(table.gross_benefit_eur_a.sum()) - result.cable_cost_eur_a,
            "system_cost_change_eur_a": result.system_cost_change_eur_a,
            "export_change_mwh": result.export_change_mwh,
            "export_value_change_eur_a": result.export_value_change_eur_a,
            "identity_residual_eur_a": result.residual_eur_a,
        }
    )


def _rounded(value: dict[str, Any]) -> dict[str, Any]:
    """Floats to 3 decimals (EUR/a, MW, s: the solver's figures, not its noise)."""
    out: dict[str, Any] = _round(value)
    return out


def _round(value: Any) -> Any:
    """One value of :func:`_rounded`, whatever its type."""
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_round(v) for v in value]
    return value
