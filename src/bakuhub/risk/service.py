"""Risk services: compute a ranking and store it with its exact inputs and settings,
read stored runs, explain a country, and reproduce a stored run."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bakuhub import __version__, i18n
from bakuhub.errors import InvalidInput, NotFound
from bakuhub.i18n import _
from bakuhub.risk.models import RiskRun, RiskScore
from bakuhub.risk.schemas import RunOut, RunSummary, ScoreOut
from bakuhub.risk.spec import Aggregation, Imputation, Normalisation, Outlier

if TYPE_CHECKING:
    from bakuhub.risk.audit import Audit
    from bakuhub.risk.compare import Comparison, Side
    from bakuhub.risk.index import IndexResult, IndicatorData
    from bakuhub.risk.inputs import Window
    from bakuhub.risk.pipeline import Outcome


@dataclass(frozen=True)
class Choices:
    """Construction choices of a run (:func:`bakuhub.risk.spec.with_choices`);
    ``None`` keeps the preset's own. They are recorded in the stored run through its
    index specification (each treatment's normalisation and outlier rule, the
    model's imputation, the root's aggregation), so a stored run reproduces."""

    normalisation: Normalisation | None = None
    outlier: Outlier | None = None
    imputation: Imputation | None = None
    aggregation: Aggregation | None = None

    def given(self) -> dict[str, str]:
        """The choices made (name -> value), in a fixed order."""
        return {k: v for k, v in asdict(self).items() if v is not None}


def _settings(
    preset: str,
    weights: dict[str, float] | None,
    draws: int | None,
    seed: int | None,
    window: Window,
    thresholds: tuple[float, ...] | None = None,
    choices: Choices | None = None,
) -> dict[str, Any]:
    from bakuhub.risk.presets import get_preset
    from bakuhub.risk.spec import model_to_dict, with_choices

    model = get_preset(
        preset, weights, draws=draws, seed=seed, window_years=window.years, thresholds=thresholds
    )
    if choices is not None and choices.given():
        try:
            model = with_choices(model, **asdict(choices))
        except ValueError as bad:
            raise InvalidInput(" ".join([str(bad), _("Pick one of the values listed.")])) from None
    return {"model": model_to_dict(model), "window": {"end": window.end, "years": window.years}}


def prepare(
    *,
    preset: str,
    weights: dict[str, float] | None = None,
    draws: int | None = None,
    seed: int | None = None,
    window: Window | None = None,
    data: IndicatorData | None = None,
    thresholds: tuple[float, ...] | None = None,
    choices: Choices | None = None,
) -> tuple[dict[str, Any], IndicatorData]:
    """The settings (index specification with ``choices`` applied, and window) and the
    input table of a run.

    ``data`` defaults to the shipped tables assembled for ``preset`` over ``window``.
    """
    from bakuhub.risk.inputs import Window, assemble

    window = window or Window()
    if window.years < 1 or window.end < 1946:
        raise InvalidInput(
            _("The conflict window needs at least one year ending in 1946 or later.")
        )
    settings = _settings(preset, weights, draws, seed, window, thresholds, choices)
    return settings, data if data is not None else assemble(preset, window=window)


def compute(
    *,
    preset: str,
    weights: dict[str, float] | None = None,
    draws: int | None = None,
    seed: int | None = None,
    window: Window | None = None,
    data: IndicatorData | None = None,
    thresholds: tuple[float, ...] | None = None,
    choices: Choices | None = None,
) -> tuple[dict[str, Any], dict[str, Any], Outcome]:
    """Score without storing: returns (settings, inputs, outcome)."""
    from bakuhub.risk.pipeline import data_to_dict, run
    from bakuhub.risk.spec import model_from_dict

    settings, data = prepare(
        preset=preset,
        weights=weights,
        draws=draws,
        seed=seed,
        window=window,
        data=data,
        thresholds=thresholds,
        choices=choices,
    )
    return settings, data_to_dict(data), run(model_from_dict(settings["model"]), data)


def require_tables(*, session: Session) -> None:
    """Refuse (InvalidInput) when the database has no risk tables yet."""
    from sqlalchemy import inspect

    if not inspect(session.get_bind()).has_table(RiskRun.__tablename__):
        raise InvalidInput(
            _(
                "The database has no risk tables yet; run `bakuhub db upgrade`, then repeat "
                "the command with --save."
            )
        )


def store(
    *,
    session: Session,
    settings: dict[str, Any],
    inputs: dict[str, Any],
    outcome: Outcome,
    created_by: str = "system",
) -> RiskRun:
    """Store a computed outcome with the settings and inputs that produced it."""
    from bakuhub.risk.pipeline import digest, table

    rows = table(outcome)
    position = {code: i for i, code in enumerate(outcome.result.countries)}
    run = RiskRun(
        preset=settings["model"]["name"],
        title=settings["model"]["title"],
        created_by=created_by,
        engine_version=__version__,
        settings=settings,
        inputs=inputs,
        settings_digest=digest(settings),
        inputs_digest=digest(inputs),
        countries=len(rows),
        ranked=sum(r["rank"] is not None for r in rows),
    )
    run.scores = [
        RiskScore(
            position=position[r["iso3"]],
            iso3=r["iso3"],
            name=r["name"][:200],
            score=r["score"],
            rank=r["rank"],
            rank_median=r["rank_median"],
            rank_low=r["rank_low"],
            rank_high=r["rank_high"],
            risk_class=r["class"],
            completeness=r["completeness"],
            pillars=r["pillars"],
        )
        for r in rows
    ]
    session.add(run)
    session.flush()
    return run


def rank(
    *,
    session: Session,
    preset: str = "hub",
    weights: dict[str, float] | None = None,
    draws: int | None = None,
    seed: int | None = None,
    window: Window | None = None,
    data: IndicatorData | None = None,
    thresholds: tuple[float, ...] | None = None,
    choices: Choices | None = None,
    created_by: str = "system",
    reuse: bool = True,
    reuse_own: bool = False,
) -> RiskRun:
    """Compute a ranking and store it with its exact inputs and settings.

    With ``reuse`` a stored run with the same settings and inputs (same digests) is
    returned instead of a new one; with ``reuse_own`` too, only one ``created_by``
    stored (a person's "store" gives a run recorded as theirs, once).
    """
    from bakuhub.risk.pipeline import data_to_dict, digest, run
    from bakuhub.risk.spec import model_from_dict

    settings, prepared = prepare(
        preset=preset,
        weights=weights,
        draws=draws,
        seed=seed,
        window=window,
        data=data,
        thresholds=thresholds,
        choices=choices,
    )
    inputs = data_to_dict(prepared)
    if reuse:
        query = select(RiskRun).where(
            RiskRun.settings_digest == digest(settings), RiskRun.inputs_digest == digest(inputs)
        )
        if reuse_own:
            query = query.where(RiskRun.created_by == created_by)
        found = session.scalars(query.order_by(RiskRun.id.desc()).limit(1)).first()
        if found is not None:
            return found
    outcome = run(model_from_dict(settings["model"]), prepared)
    return store(
        session=session, settings=settings, inputs=inputs, outcome=outcome, created_by=created_by
    )


def get_run(*, session: Session, run_id: int) -> RiskRun:
    """A stored run, or ``NotFound``."""
    run = session.get(RiskRun, run_id)
    if run is None:
        raise NotFound(
            _("No risk run {run}; list runs with GET /api/v1/risk/runs.").format(run=run_id)
        )
    return run


def list_runs(*, session: Session, preset: str | None = None, limit: int = 50) -> list[RiskRun]:
    """Stored runs, newest first."""
    query = select(RiskRun).order_by(RiskRun.id.desc()).limit(limit)
    if preset is not None:
        query = query.where(RiskRun.preset == preset)
    return list(session.scalars(query))


def run_out(run: RiskRun, top: int | None = None) -> RunOut:
    """A stored run as the API returns it: its summary, settings and rows by rank
    (unranked last; only the first ``top`` when given)."""
    rows = sorted(run.scores, key=lambda s: (s.rank is None, s.rank or 0, s.iso3))
    from bakuhub.risk.pipeline import stored_notes

    summary = RunSummary.model_validate(run).model_dump()
    return RunOut(
        **summary,
        settings=run.settings,
        rows=[ScoreOut.model_validate(s) for s in rows[: top or None]],
        notes=stored_notes(run.settings, run.inputs),
    )


def outcome_of(run: RiskRun) -> Outcome:
    """Recompute a stored run from its stored inputs and settings."""
    from bakuhub.risk.pipeline import data_from_dict
    from bakuhub.risk.pipeline import run as run_index
    from bakuhub.risk.spec import model_from_dict

    return run_index(model_from_dict(run.settings["model"]), data_from_dict(run.inputs))


def profile(*, session: Session, run_id: int, iso3: str) -> dict[str, Any]:
    """A country's explanation in a stored run: score, rank and interval, class,
    completeness, each pillar's contribution and the raw values behind it."""
    run = get_run(session=session, run_id=run_id)
    code = iso3.strip().upper()
    if code not in run.inputs["countries"]:
        raise NotFound(
            _(
                "No country {code} in risk run {run}; use an ISO 3166 alpha-3 code such as TCD."
            ).format(code=code, run=run_id)
        )
    out = outcome_of(run).explain(code)
    out["run_id"] = run.id
    return out


def reproduce(*, session: Session, run_id: int) -> bool:
    """Recompute a stored run and check every stored score and rank is reproduced."""
    from bakuhub.risk.pipeline import table

    run = get_run(session=session, run_id=run_id)
    fresh = {r["iso3"]: r for r in table(outcome_of(run))}
    for s in run.scores:
        r = fresh.get(s.iso3)
        if r is None or (r["score"], r["rank"], r["rank_low"], r["rank_high"]) != (
            s.score,
            s.rank,
            s.rank_low,
            s.rank_high,
        ):
            return False
    return len(fresh) == len(run.scores)


def _score(settings: dict[str, Any], data: IndicatorData) -> IndexResult:
    from bakuhub.risk.index import score_index
    from bakuhub.risk.spec import model_from_dict

    return score_index(model_from_dict(settings["model"]), data)


def _names(data: IndicatorData) -> dict[str, str]:
    return {code: meta.name for code, meta in data.indicators.items()}


def run_side(run: RiskRun) -> Side:
    """A stored run, rescored from its stored inputs (no Monte Carlo), to compare."""
    from bakuhub.risk.compare import Side
    from bakuhub.risk.pipeline import data_from_dict

    data = data_from_dict(run.inputs)
    return Side(
        label=_("Run {run}: {title}, {when}, by {author}").format(
            run=run.id,
            title=run.title,
            when=i18n.datetime(run.created_at, "short"),
            author=run.created_by,
        ),
        settings=run.settings,
        inputs_digest=run.inputs_digest,
        result=_score(run.settings, data),
        names=_names(data),
    )


def preset_side(
    *, preset: str, weights: dict[str, float] | None, label: str, choices: Choices | None = None
) -> Side:
    """The ranking of a preset with the given weights and construction choices (as on
    the risk page), to compare."""
    from bakuhub.risk.compare import Side
    from bakuhub.risk.pipeline import data_to_dict, digest

    settings, data = prepare(preset=preset, weights=weights, choices=choices)
    return Side(
        label=label,
        settings=settings,
        inputs_digest=digest(data_to_dict(data)),
        result=_score(settings, data),
        names=_names(data),
    )


def compare_runs(*, session: Session, a: int, b: int) -> Comparison:
    """Compare stored run ``a`` with stored run ``b`` (``NotFound`` naming a missing one)."""
    from bakuhub.risk.compare import compare

    return compare(
        run_side(get_run(session=session, run_id=a)), run_side(get_run(session=session, run_id=b))
    )


def audit_index(
    *,
    preset: str = "hub",
    weights: dict[str, float] | None = None,
    session: Session | None = None,
    run_id: int | None = None,
    choices: Choices | None = None,
) -> Audit:
    """Audit a stored run (``run_id``, needs ``session``) or a preset with weights and
    construction choices."""
    from bakuhub.risk.audit import audit
    from bakuhub.risk.pipeline import data_from_dict

    if run_id is not None and session is not None:
        run = get_run(session=session, run_id=run_id)
        data = data_from_dict(run.inputs)
        return audit(_score(run.settings, data), data)
    settings, data = prepare(preset=preset, weights=weights, choices=choices)
    return audit(_score(settings, data), data)
