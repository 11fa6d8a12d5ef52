"""Corridor studies over the API: the shipped scenarios, solved studies, their reports."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import FileResponse

from bakuhub.corridor.study_store import list_studies, read_summary, study_folder
from bakuhub.errors import NotFound
from bakuhub.web.deps import SettingsDep

router = APIRouter(prefix="/corridor", tags=["corridor"])


@router.get("/scenarios", summary="The shipped corridor scenarios")
def scenarios() -> list[dict[str, Any]]:
    from bakuhub.corridor.scenario import shipped_scenario, shipped_scenarios

    out = []
    for name in shipped_scenarios():
        spec = shipped_scenario(name)
        out.append(
            {
                "name": name,
                "year": spec.year,
                "description": spec.description,
                "hash": spec.digest(),
            }
        )
    return out


@router.get("/studies", summary="Solved (and running) corridor studies")
def studies(settings: SettingsDep) -> list[dict[str, Any]]:
    return list_studies(settings.data_dir)


@router.get("/studies/{name}", summary="The summary of one study (JSON)")
def summary(name: str, settings: SettingsDep) -> dict[str, Any]:
    return read_summary(settings.data_dir, name)


@router.get("/studies/{name}/report", summary="The study's self-contained HTML report")
def report(name: str, settings: SettingsDep) -> FileResponse:
    path = study_folder(settings.data_dir, name) / "report.html"
    if not path.is_file():
        raise NotFound(f"The corridor study '{name}' has no report yet.")
    return FileResponse(path, media_type="text/html")
