"""JSON API of the risk index: rankings, country profiles, recomputation with
custom weights, stored runs and their reproduction."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query

from bakuhub.accounts.permissions import Role, require
from bakuhub.db import MAX_ID
from bakuhub.risk import service
from bakuhub.risk.answers import AuditOut, CountryProfile, PresetOut, Reproduced, RiskComparison
from bakuhub.risk.inputs import Window
from bakuhub.risk.schemas import RecomputeIn, RunOut, RunSummary
from bakuhub.web.contract import MAY_BE_MISSING
from bakuhub.web.deps import AuthorDep, PrincipalDep, SessionDep

router = APIRouter(prefix="/risk", tags=["risk"])


@router.get(
    "/presets",
    summary="The presets, their pillars and weight codes",
    response_model=list[PresetOut],
)
def list_risk_presets() -> list[dict[str, Any]]:
    from bakuhub.risk.presets import PRESETS, weight_codes
    from bakuhub.risk.spec import model_to_dict

    return [
        {
            "name": name,
            "title": (m := make()).title,
            "weight_codes": weight_codes(m),
            "settings": model_to_dict(m),
        }
        for name, make in PRESETS.items()
    ]


@router.get(
    "/rankings", summary="The ranking of a preset with default settings", response_model=RunOut
)
def get_rankings(
    session: SessionDep,
    preset: str = Query("hub", description="hub (default), ndgain or inform."),
    top: int | None = Query(None, ge=1, le=MAX_ID, description="Only the first N rows."),
) -> RunOut:
    run = service.rank(session=session, preset=preset)
    return service.run_out(run, top)


@router.post(
    "/rankings",
    summary="Recompute a ranking with custom weights and construction choices",
    status_code=201,
    response_model=RunOut,
)
def recompute_rankings(
    body: RecomputeIn, session: SessionDep, principal: PrincipalDep, author: AuthorDep
) -> RunOut:
    require(principal, Role.viewer, "store a risk run (the risk page recomputes without one)")
    window = Window(end=body.window_end, years=body.window_years)
    data = None
    if body.observations:
        from bakuhub.risk.inputs import assemble, observations_frame

        extra = observations_frame([o.model_dump() for o in body.observations])
        data = assemble(body.preset, extra=extra, window=window)
    run = service.rank(
        session=session,
        preset=body.preset,
        weights=body.weights,
        draws=body.draws,
        seed=body.seed,
        window=window,
        data=data,
        thresholds=None if body.thresholds is None else tuple(body.thresholds),
        choices=service.Choices(
            normalisation=body.normalisation,
            outlier=body.outlier,
            imputation=body.imputation,
            aggregation=body.aggregation,
        ),
        created_by=author,
    )
    return service.run_out(run, body.top)


@router.get("/runs", summary="Stored runs, newest first", response_model=list[RunSummary])
def list_risk_runs(
    session: SessionDep, preset: str | None = None, limit: int = Query(50, ge=1, le=500)
) -> list[RunSummary]:
    return [
        RunSummary.model_validate(r)
        for r in service.list_runs(session=session, preset=preset, limit=limit)
    ]


@router.get("/runs/{run_id}", summary="A stored run with its rows", response_model=RunOut)
def get_risk_run(
    session: SessionDep,
    run_id: int = Path(ge=1, le=MAX_ID),
    top: int | None = Query(None, ge=1, le=MAX_ID),
) -> RunOut:
    return service.run_out(service.get_run(session=session, run_id=run_id), top)


@router.get(
    "/runs/{run_id}/reproduce",
    summary="Recompute a stored run from its stored inputs",
    response_model=Reproduced,
)
def reproduce_risk_run(session: SessionDep, run_id: int = Path(ge=1, le=MAX_ID)) -> dict[str, Any]:
    return {"run_id": run_id, "reproduced": service.reproduce(session=session, run_id=run_id)}


@router.get(
    "/countries/{iso3}",
    summary="A country's profile: score, rank interval, pillar contributions",
    response_model=CountryProfile,
    # the root pillar has no weight, and the rank interval comes with Monte Carlo only:
    # keys the service leaves out stay out
    response_model_exclude_unset=True,
)
def get_risk_country(
    iso3: str,
    session: SessionDep,
    preset: str = Query("hub"),
    run_id: int | None = Query(
        None, ge=1, le=MAX_ID, description="A stored run; default: the preset's default ranking."
    ),
) -> dict[str, Any]:
    if run_id is None:
        run_id = service.rank(session=session, preset=preset).id
    return service.profile(session=session, run_id=run_id, iso3=iso3)


@router.get(
    "/audit",
    summary="Audit of an index: indicator statistics, correlations, PCA per pillar, shares",
    responses=MAY_BE_MISSING,
    response_model=AuditOut,
)
def get_risk_audit(
    session: SessionDep,
    preset: str = Query("hub", max_length=40, description="hub (default), ndgain or inform."),
    run_id: int | None = Query(
        None, ge=1, le=MAX_ID, description="A stored run; default: the preset's default weights."
    ),
) -> dict[str, Any]:
    from bakuhub.risk.audit import to_dict

    return to_dict(service.audit_index(preset=preset, session=session, run_id=run_id))


@router.get(
    "/compare",
    summary="Compare two stored runs: which countries moved and why",
    responses=MAY_BE_MISSING,
    response_model=RiskComparison,
)
def compare_risk_runs(
    session: SessionDep,
    a: int = Query(ge=1, le=MAX_ID, description="Run A (a stored run's id)."),
    b: int = Query(ge=1, le=MAX_ID, description="Run B (a stored run's id)."),
    top: int | None = Query(None, ge=1, le=MAX_ID, description="Only the N largest moves."),
) -> dict[str, Any]:
    from bakuhub.risk.compare import to_dict

    return to_dict(service.compare_runs(session=session, a=a, b=b), top)
