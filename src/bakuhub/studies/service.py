"""Studies as readers see them: list with filters, detail, downloads, comparison, the
threads of comments on scenarios and studies, and what "run again" submits.

Visibility: a study of a published saved scenario, of a shipped scenario, or solved by
the operator (command line, startup) is public; any other (a draft's, an inline
scenario's) is its author's and the secretariat's. One that may not be seen is not
found. A download is looked up by a fixed name (:data:`FILES`), never a path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.orm import Session

from bakuhub import i18n
from bakuhub.accounts.permissions import Principal
from bakuhub.corridor.compare import compare, warnings
from bakuhub.corridor.scenario import Scenario, parse_scenario
from bakuhub.errors import InvalidInput, NotFound
from bakuhub.i18n import _
from bakuhub.studies import comments, scenarios
from bakuhub.studies.models import ORIGINS, Study
from bakuhub.studies.store import sync
from bakuhub.timestamps import as_utc

MAX_PAGE = 200
MAX_COMPARED = 8
TABLES = (
    "capacities",
    "generation",
    "curtailment",
    "cables",
    "lcoe",
    "unserved",
    "price_duration",
    "prices",
    "cable_economics",
    "renewables",
    "real_year_unserved",
    "real_year_worst_hours",
    "real_year_cables",
    "real_year_storage",
    "real_year_curtailment",
    "real_year_figures",
    "pathway_cables",
    "pathway_real_year",
    "pathway_cable_economics",
)
"""The result tables a solve writes (``corridor.run_study.write_outputs``; the
``real_year_*`` ones when the full year was operated, the ``pathway_*`` ones for a
pathway), each downloadable as CSV and
Parquet."""
FILES: dict[str, tuple[str, str]] = {
    "summary.json": ("summary.json", "application/json"),
    "network.nc": ("network.nc", "application/x-netcdf"),
    "report.html": ("report.html", "text/html"),
    "scenario.yaml": ("scenario.yaml", "application/yaml"),
    **{f"{t}.csv": (f"tables/{t}.csv", "text/csv") for t in TABLES},
    **{f"{t}.parquet": (f"tables/{t}.parquet", "application/vnd.apache.parquet") for t in TABLES},
}
"""The downloads of a study: the name asked for -> (file in its folder, media type)."""


def visible(principal: Principal | None) -> ColumnElement[bool]:
    """Which studies ``principal`` may read (see the module's docstring)."""
    if principal is not None and principal.is_staff:
        return true()
    public = or_(
        Study.origin.in_(("cli", "startup")),
        Study.shipped.is_not(None),
        Study.scenario_ref.in_(scenarios.published_refs()),
    )
    return public if principal is None else or_(public, Study.author == principal.username)


@dataclass(frozen=True)
class StudyFilter:
    """What a list of studies may be narrowed by (each bounded by the caller's types)."""

    scenario: str | None = None
    resolution: str | None = None
    author: str | None = None
    origin: str | None = None
    limit: int = 50
    offset: int = 0


def list_studies(
    *, session: Session, principal: Principal | None, data_dir: Path, where: StudyFilter
) -> list[Study]:
    """The studies ``principal`` may read, newest first (new study folders registered
    first, see :func:`bakuhub.studies.store.sync`)."""
    if where.origin is not None and where.origin not in ORIGINS:
        raise InvalidInput(
            _("origin: '{origin}' is not an origin; use one of {origins}.").format(
                origin=where.origin[:20], origins=", ".join(ORIGINS)
            ),
            details=[
                {"loc": ["origin"], "msg": _("one of {origins}").format(origins=", ".join(ORIGINS))}
            ],
        )
    sync(session, data_dir)
    query = select(Study).where(visible(principal))
    if where.scenario is not None:
        query = query.where(
            or_(
                Study.scenario_ref == where.scenario,
                Study.shipped == where.scenario,
                Study.scenario_name == where.scenario,
            )
        )
    for column, value in (
        (Study.resolution, where.resolution),
        (Study.author, where.author),
        (Study.origin, where.origin),
    ):
        if value is not None:
            query = query.where(column == value)
    query = query.order_by(Study.created_at.desc(), Study.id.desc())
    return list(session.scalars(query.limit(min(where.limit, MAX_PAGE)).offset(where.offset)))


def get_study(
    *, session: Session, principal: Principal | None, name: str, data_dir: Path | None = None
) -> Study:
    """A study ``principal`` may read, else ``NotFound``."""
    if data_dir is not None:
        sync(session, data_dir)
    row = session.scalars(select(Study).where(Study.name == name[:120], visible(principal))).first()
    if row is None:
        raise NotFound(
            _(
                "There is no corridor study '{name}' you can see; list them at "
                "/api/v1/corridor/studies."
            ).format(name=name[:120])
        )
    return row


def _inputs(row: Study, principal: Principal | None) -> dict[str, Any]:
    """The exact inputs; a server path in them (an operator's weather folder) only for
    the secretariat."""
    spec = dict(row.scenario_json)
    weather = dict(spec.get("weather") or {})
    if weather.get("path") and not (principal is not None and principal.is_staff):
        spec["weather"] = {**weather, "path": "(a folder on the server)"}
    return spec


def study_out(row: Study, principal: Principal | None = None) -> dict[str, Any]:
    """A study as lists show it (its inputs only in :func:`study_detail`)."""
    return {
        "name": row.name,
        "state": row.state,
        "scenario": row.scenario_name,
        "scenario_ref": row.scenario_ref,
        "shipped": row.shipped,
        "scenario_hash": row.scenario_hash,
        "resolution": row.resolution,
        "weather": row.weather,
        "year": row.year,
        "author": row.author,
        "origin": row.origin,
        "job_id": row.job_id,
        "counterfactual": row.counterfactual,
        "figures": row.figures,
        "error": row.error,
        "created_at": as_utc(row.created_at),
    }


def study_detail(row: Study, principal: Principal | None, data_dir: Path) -> dict[str, Any]:
    """A study with its inputs, the downloads it has and its summary."""
    folder = _folder(row, data_dir)
    summary = None
    if folder is not None and (folder / "summary.json").is_file():
        import json

        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    files = [name for name in FILES if folder is not None and _has(folder, name)]
    return {**study_out(row), "inputs": _inputs(row, principal), "files": files, "summary": summary}


def _folder(row: Study, data_dir: Path) -> Path | None:
    if row.folder is None:
        return None
    root = data_dir.resolve()
    folder = (root / row.folder).resolve()
    return folder if folder.is_relative_to(root) and folder.is_dir() else None


def _has(folder: Path, name: str) -> bool:
    path = folder / FILES[name][0]
    if name.endswith(".parquet"):
        return path.is_file() or path.with_suffix(".csv").is_file()
    return path.is_file()


def study_file(
    *, session: Session, principal: Principal | None, data_dir: Path, name: str, file: str
) -> tuple[Path, str]:
    """(path, media type) of one download of a study; a table's Parquet is written from
    its CSV when the folder lacks it. Unknown names are refused, never looked up."""
    if file not in FILES:
        raise NotFound(
            _("A study has no download '{file}'; the downloads are {files}.").format(
                file=file[:80], files=", ".join(FILES)
            )
        )
    row = get_study(session=session, principal=principal, name=name, data_dir=data_dir)
    folder = _folder(row, data_dir)
    relative, media = FILES[file]
    if folder is None or not _has(folder, file):
        raise NotFound(
            _("The study '{name}' has no {file} (its state: {state}).").format(
                name=row.name, file=file, state=_(row.state)
            )
        )
    path = folder / relative
    if file == "report.html":  # the reader's language where the study wrote it
        localised = folder / f"report.{i18n.current()}.html"
        path = localised if localised.is_file() else path
    if file.endswith(".parquet") and not path.is_file():
        _parquet_from_csv(path.with_suffix(".csv"), path)
    return path, media


def _parquet_from_csv(csv: Path, parquet: Path) -> None:
    """Write ``parquet`` from ``csv`` (atomically: a partial file is never served)."""
    import pandas as pd

    scratch = parquet.with_name(f".{parquet.name}.partial")
    pd.read_csv(csv).to_parquet(scratch, index=False)
    scratch.replace(parquet)


def compare_studies(
    *, session: Session, principal: Principal | None, data_dir: Path, names: list[str]
) -> dict[str, Any]:
    """Key figures of two or more studies side by side, differences to the first, and
    warnings when their resolution, weather or year differ."""
    if not 2 <= len(names) <= MAX_COMPARED:
        raise InvalidInput(
            _("study: name 2 to {most} studies to compare (you named {count}).").format(
                most=MAX_COMPARED, count=len(names)
            ),
            details=[{"loc": ["study"], "msg": _("2 to {most} studies").format(most=MAX_COMPARED)}],
        )
    rows = [
        get_study(session=session, principal=principal, name=n, data_dir=data_dir) for n in names
    ]
    summaries = []
    for row in rows:
        folder = _folder(row, data_dir)
        if folder is None or not (folder / "summary.json").is_file():
            raise InvalidInput(
                _("The study '{name}' has no results yet ({state}).").format(
                    name=row.name, state=_(row.state)
                )
            )
        import json

        summaries.append(json.loads((folder / "summary.json").read_text(encoding="utf-8")))
    about = [study_out(r) for r in rows]
    return {"studies": about, "rows": compare(summaries), "warnings": warnings(about)}


def rerun_scenario(
    *, session: Session, principal: Principal | None, name: str
) -> tuple[Scenario, str | None]:
    """What "run again" submits: the study's exact scenario (validated as from outside:
    an operator's server paths are refused), and its saved scenario's ref."""
    row = get_study(session=session, principal=principal, name=name)
    if not row.scenario_json:
        raise InvalidInput(
            _(
                "The study '{name}' cannot be run again: its scenario is unknown (an older "
                "study folder without scenario.yaml); fork a scenario and run that instead."
            ).format(name=row.name)
        )
    source = f"of the study '{row.name}'"
    return parse_scenario(dict(row.scenario_json), source, trusted=False), row.scenario_ref


def thread_target(
    *, session: Session, principal: Principal | None, target_type: str, target: str
) -> str:
    """The target of a thread if ``principal`` may see it (its ref or name), else
    ``NotFound``."""
    if target_type == "scenario":
        return scenarios.get_scenario(session=session, principal=principal, ref=target).ref
    return get_study(session=session, principal=principal, name=target).name


def thread(
    *, session: Session, principal: Principal | None, target_type: str, target: str
) -> list[dict[str, Any]]:
    """The comments on a scenario or a study ``principal`` may see."""
    key = thread_target(
        session=session, principal=principal, target_type=target_type, target=target
    )
    rows = comments.list_comments(session=session, target_type=target_type, target=key)
    return [comments.comment_out(r) for r in rows]


def comment_on(
    *, session: Session, principal: Principal | None, target_type: str, target: str, body: str
) -> dict[str, Any]:
    """Add ``principal``'s comment on a scenario or study it may see."""
    key = thread_target(
        session=session, principal=principal, target_type=target_type, target=target
    )
    row = comments.add_comment(
        session=session, principal=principal, target_type=target_type, target=key, body=body
    )
    return comments.comment_out(row)
