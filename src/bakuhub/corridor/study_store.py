"""Solved studies on disk: ``<data_dir>/studies/<name>/`` with summary.json, tables,
network.nc and report.html, plus a status file while a study is being solved."""

from __future__ import annotations

import json
import logging
import shutil
import threading
from pathlib import Path
from typing import Any

from bakuhub import i18n
from bakuhub.errors import BakuhubError, NotFound
from bakuhub.i18n import _

log = logging.getLogger(__name__)

REFERENCE = "reference-2030"


def studies_dir(data_dir: Path) -> Path:
    """Where studies live under the data directory."""
    return data_dir / "studies"


def _status(folder: Path) -> dict[str, Any]:
    """A study's state (and error), as the public may read it."""
    path = folder / "status.json"
    if path.is_file():
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return {k: data[k] for k in ("state", "error") if k in data}
    return {"state": "ready" if (folder / "summary.json").is_file() else "unknown"}


def list_studies(data_dir: Path) -> list[dict[str, Any]]:
    """Every study folder with its state and, when solved, its key figures."""
    root = studies_dir(data_dir)
    if not root.is_dir():
        return []
    out = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        entry = {"name": folder.name, **_status(folder)}
        if (folder / "summary.json").is_file():
            try:
                summary: Any = read_summary(data_dir, folder.name)
            except (OSError, ValueError):  # unreadable: listed by name, never a 500
                summary = {}
            keys = ("scenario", "year", "total_system_cost_eur_a", "export_twh")
            if isinstance(summary, dict):  # a partial summary: None; not an object: none
                entry.update({key: summary.get(key) for key in keys})
        out.append(entry)
    return out


def study_folder(data_dir: Path, name: str) -> Path:
    """The folder of one study, or NotFound (names are folder names, nothing else)."""
    folder = studies_dir(data_dir) / name
    if "/" in name or name.startswith(".") or not folder.is_dir():
        raise NotFound(
            _("There is no corridor study '{name}'; list them at {address}.").format(
                name=name, address="/api/v1/corridor/studies"
            )
        )
    return folder


def read_summary(data_dir: Path, name: str) -> dict[str, Any]:
    """The summary.json of a solved study."""
    path = study_folder(data_dir, name) / "summary.json"
    if not path.is_file():
        raise NotFound(
            _("The corridor study '{name}' has no results yet ({state}).").format(
                name=name, state=_status(path.parent)["state"]
            )
        )
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def solve_into(data_dir: Path, scenario_name: str) -> Path:
    """Solve a shipped or given scenario into ``studies/<name>`` (written atomically)."""
    from bakuhub.corridor.run_study import run_study, write_outputs
    from bakuhub.corridor.scenario import load_scenario

    scenario = load_scenario(scenario_name)
    root = studies_dir(data_dir)
    final = root / scenario.name
    work = root / f".{scenario.name}.partial"
    shutil.rmtree(work, ignore_errors=True)
    final.mkdir(parents=True, exist_ok=True)
    (final / "status.json").write_text(json.dumps({"state": "running"}), encoding="utf-8")
    study = run_study(scenario)
    write_outputs(study, work, language="en", also=i18n.LANGUAGES)  # read by everyone
    (work / "status.json").write_text(json.dumps({"state": "ready"}), encoding="utf-8")
    shutil.rmtree(final)
    work.rename(final)
    return final


def ensure_reference_study(data_dir: Path) -> threading.Thread | None:
    """Solve the reference study in the background if it is not there yet."""
    folder = studies_dir(data_dir) / REFERENCE
    if (folder / "summary.json").is_file():
        return None

    def work() -> None:
        try:
            solve_into(data_dir, REFERENCE)
        except Exception as exc:  # recorded for the API and the pages, not raised
            # the public reads status.json: a user error's sentence, never a server path
            log.exception("the reference study %s failed", REFERENCE)
            said = exc.message if isinstance(exc, BakuhubError) else type(exc).__name__
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "status.json").write_text(
                json.dumps({"state": "failed", "error": f"{said} (details in the server log)"}),
                encoding="utf-8",
            )

    thread = threading.Thread(target=work, name="reference-study", daemon=True)
    thread.start()
    return thread
