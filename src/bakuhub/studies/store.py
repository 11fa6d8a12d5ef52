"""Registering studies in the one store, whatever started them.

- :func:`sync` registers the folders of ``<data_dir>/studies/`` not yet known (written
  by ``bakuhub corridor solve`` against the data directory, or the reference study at
  startup): idempotent and cheap (one query and one directory listing), called when
  studies are listed. An older folder whose scenario cannot be known (no readable
  ``scenario.yaml``, a summary naming no shipped scenario) is still listed, as a study
  of an unknown scenario (:func:`unknown_study`).
- :func:`note_submission` records a job submitted from a page or the API (queued);
  :func:`register_job_result` (called by the worker in the transaction that marks the
  job succeeded) fills in its folder and figures; :func:`mark_failed` its failure.

A study's ``folder`` is relative to the data directory and made here, never taken
from a caller.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bakuhub.corridor.compare import key_figures
from bakuhub.corridor.safe_yaml import read_yaml
from bakuhub.corridor.scenario import (
    Scenario,
    parse_scenario,
    shipped_scenario,
    shipped_scenarios,
)
from bakuhub.corridor.study_store import REFERENCE, studies_dir
from bakuhub.db import utcnow
from bakuhub.errors import BakuhubError
from bakuhub.studies.models import SavedScenario, Study

log = logging.getLogger(__name__)
STUDIES = "studies"
UNKNOWN = "unknown"
"""What a study of an unknown scenario has for the scenario's name (when its summary
names none), resolution and weather (when its summary lacks them)."""


def _loose(spec: dict[str, Any]) -> str:
    """The digest of a scenario without its name and resolution: the same scenario
    solved at another resolution is still the same scenario."""
    data = {k: v for k, v in spec.items() if k not in ("name", "resolution")}
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


@lru_cache(maxsize=1)
def _shipped_loose() -> dict[str, str]:
    out = {}
    for name in shipped_scenarios():
        out[_loose(shipped_scenario(name).model_dump(mode="json"))] = name
    return out


def shipped_of(spec: dict[str, Any]) -> str | None:
    """The shipped scenario ``spec`` is (at any resolution), or None."""
    return _shipped_loose().get(_loose(spec))


def saved_of(session: Session, spec: dict[str, Any]) -> str | None:
    """The saved scenario ``spec`` is (named by its ref, same fields), or None."""
    row = session.scalars(
        select(SavedScenario).where(SavedScenario.ref == str(spec.get("name", ""))[:80])
    ).first()
    return row.ref if row is not None and _loose(row.spec) == _loose(spec) else None


def _free_name(session: Session, wanted: str) -> str:
    base = wanted[:110]
    taken = set(session.scalars(select(Study.name).where(Study.name.startswith(base))))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _fill(row: Study, summary: dict[str, Any]) -> None:
    row.figures = key_figures(summary)
    row.counterfactual = (summary.get("counterfactual") or {}).get("scenario")
    row.state = "ready"
    row.error = None
    if summary.get("scenario_hash"):
        row.scenario_hash = str(summary["scenario_hash"])[:64]
    if summary.get("resolution"):
        row.resolution = str(summary["resolution"])[:32]


def new_study(
    session: Session,
    *,
    name: str,
    scenario: Scenario,
    author: str,
    origin: str,
    job_id: int | None = None,
    scenario_ref: str | None = None,
) -> Study:
    """A study row (queued) of ``scenario``, under a free name like ``name``."""
    spec = scenario.model_dump(mode="json")
    row = Study(
        name=_free_name(session, name),
        scenario_name=scenario.name,
        scenario_ref=scenario_ref or saved_of(session, spec),
        shipped=shipped_of(spec),
        scenario_json=spec,
        scenario_hash=scenario.digest(),
        resolution=scenario.resolution,
        weather=scenario.weather.source,
        year=scenario.year,
        author=author[:120],
        origin=origin,
        job_id=job_id,
        figures={},
        state="queued",
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def unknown_study(session: Session, *, name: str, summary: dict[str, Any]) -> Study:
    """A study whose scenario bakuhub cannot know (an older folder: no readable
    scenario.yaml, a summary naming no shipped scenario): no inputs (``{}``, what
    "unknown" means to the API and the pages, and why it cannot be run again); the
    scenario's name, inputs hash, resolution and year from the summary where it has
    them; listed like any study the command line wrote."""
    named, year = summary.get("scenario"), summary.get("year")
    has_year = isinstance(year, int) and not isinstance(year, bool) and 0 < year < 10_000
    has_name = isinstance(named, str) and bool(named.strip())
    row = Study(
        name=_free_name(session, name),
        scenario_name=str(named).strip()[:100] if has_name else UNKNOWN,
        scenario_json={},
        scenario_hash="",
        resolution=UNKNOWN,
        weather=UNKNOWN,
        year=year if has_year else 0,
        author="operator",
        origin="cli",
        figures={},
        state="queued",
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def _folder_scenario(folder: Path, summary: dict[str, Any]) -> Scenario | None:
    path = folder / "scenario.yaml"
    try:
        return parse_scenario(read_yaml(path, str(path)), str(path), trusted=True)
    except (OSError, BakuhubError):
        name = str(summary.get("scenario", ""))
        return shipped_scenario(name) if name in shipped_scenarios() else None


def sync(session: Session, data_dir: Path) -> int:
    """Register the solved study folders of ``<data_dir>/studies/`` not yet in the
    store (CLI studies as ``cli``, the reference study as ``startup``); returns how
    many were added."""
    root = studies_dir(data_dir)
    if not root.is_dir():
        return 0
    known = set(session.scalars(select(Study.folder).where(Study.folder.startswith(STUDIES))))
    added = 0
    for folder in sorted(root.iterdir()):
        relative = f"{STUDIES}/{folder.name}"
        if relative in known or folder.name.startswith(".") or len(relative) > 300:
            continue
        if not (folder / "summary.json").is_file():
            continue  # still being solved, or failed: the file states say so
        try:
            summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("study folder %s not registered: %s", folder.name, exc)
            continue
        if not isinstance(summary, dict):
            log.warning("study folder %s not registered: its summary is not an object", folder)
            continue
        scenario = _folder_scenario(folder, summary)
        if scenario is None:
            row = unknown_study(session, name=folder.name, summary=summary)
        else:
            origin = "startup" if folder.name == REFERENCE else "cli"
            row = new_study(
                session, name=folder.name, scenario=scenario, author="operator", origin=origin
            )
        row.folder = relative
        _fill(row, summary)
        added += 1
    session.flush()
    return added


def register_folder(
    session: Session, data_dir: Path, folder: Path, *, author: str, origin: str = "cli"
) -> Study | None:
    """Register (or, solved again, refresh) one study folder of ``<data_dir>/studies``
    (the CLI's); None when it holds no readable summary."""
    relative = f"{STUDIES}/{folder.name}"
    row = session.scalars(select(Study).where(Study.folder == relative)).first()
    if row is None:
        sync(session, data_dir)
        row = session.scalars(select(Study).where(Study.folder == relative)).first()
        if row is not None:
            row.author, row.origin = author[:120], origin
        return row
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    scenario = _folder_scenario(folder, summary)
    if scenario is not None:
        spec = scenario.model_dump(mode="json")
        row.scenario_json, row.shipped = spec, shipped_of(spec)
        row.scenario_ref = saved_of(session, spec)
    row.author, row.origin = author[:120], origin
    _fill(row, summary)
    session.flush()
    return row


def note_submission(
    session: Session,
    *,
    job_id: int,
    scenario: Scenario,
    author: str,
    origin: str,
    scenario_ref: str | None = None,
    result_location: str | None = None,
    data_dir: Path | None = None,
) -> Study:
    """The study of a submitted job: the existing one when the job joined identical
    work or was answered from the result store, else a new queued row."""
    if result_location is not None and data_dir is not None:
        folder = _relative(data_dir, Path(result_location))
        found = session.scalars(select(Study).where(Study.folder == folder)).first()
        if folder is not None and found is not None:
            return found
    found = session.scalars(select(Study).where(Study.job_id == job_id)).first()
    if found is not None:
        return found
    return new_study(
        session,
        name=f"{scenario.name}-{scenario.resolution.replace(':', '').replace('/', '-')}",
        scenario=scenario,
        author=author,
        origin=origin,
        job_id=job_id,
        scenario_ref=scenario_ref,
    )


def _relative(data_dir: Path, location: Path) -> str | None:
    """``location`` relative to the data directory; None when it lies outside (a
    result the store cannot serve is not listed)."""
    try:
        relative = location.resolve().relative_to(data_dir.resolve()).as_posix()
    except ValueError:
        return None
    return relative if len(relative) <= 300 else None


def register_job_result(
    session: Session,
    *,
    data_dir: Path,
    job_id: int,
    location: Path,
    summary: dict[str, Any],
    inputs: dict[str, Any],
    author: str,
    batch: str | None,
) -> Study | None:
    """Record the result of a corridor-study job: the study noted at submission, or a
    new one (a job submitted another way). One study per result folder."""
    folder = _relative(data_dir, location)
    if folder is None or not folder.startswith("jobs/"):
        log.warning("job %s: its result is not under <data_dir>/jobs; not listed", job_id)
        return None
    owner = session.scalars(select(Study).where(Study.folder == folder)).first()
    row = session.scalars(select(Study).where(Study.job_id == job_id)).first()
    if owner is not None:
        if row is not None and row.id != owner.id and row.folder is None:
            session.delete(row)  # answered by a result another study holds
        return owner
    if row is None:
        try:
            scenario = parse_scenario(inputs["scenario"], "of the job", trusted=True)
        except (KeyError, BakuhubError):
            return None
        origin = "sweep" if batch else "api"
        name = f"{scenario.name}-{location.name[:8]}"
        row = new_study(
            session, name=name, scenario=scenario, author=author, origin=origin, job_id=job_id
        )
    row.folder = folder
    _fill(row, summary)
    session.flush()
    return row


def mark_failed(session: Session, *, job_id: int, error: str) -> None:
    """The queued study of a failed job is failed, with the job's sentence."""
    for row in session.scalars(select(Study).where(Study.job_id == job_id, Study.folder.is_(None))):
        row.state = "failed"
        row.error = error[:2000]
