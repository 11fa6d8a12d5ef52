"""A sweep sent to the server (the API and the sweeps page): typed and bounded, every
field from the allow-list of :mod:`bakuhub.jobs.sweep_fields`, every value checked by
the scenario's own validation (as any scenario from outside: no server paths) before
any job is made. Each mistake is a sentence tied to its input (``details``).

Who may do it: analysts (focal points and above, :func:`bakuhub.jobs.access.
check_may_submit`); each user has at most :data:`ACTIVE_SWEEPS_PER_USER` sweep with
runs queued or running, of at most :data:`MAX_RUNS` runs at a coarse resolution
(under :data:`~bakuhub.jobs.kinds.HEAVY_SNAPSHOTS` snapshots). A sweep's runs are
bounded by these rules instead of the per-user job limit (which would refuse any
sweep of more runs than it allows).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bakuhub import i18n
from bakuhub.errors import BakuhubError, InvalidInput
from bakuhub.i18n import _
from bakuhub.jobs.access import TooManyJobs
from bakuhub.jobs.kinds import HEAVY_SNAPSHOTS
from bakuhub.jobs.models import ACTIVE, Job
from bakuhub.jobs.sweep import Samples, SweepSpec, Variant, set_path, submit_sweep, variants
from bakuhub.jobs.sweep_fields import SweepField, sweep_fields

if TYPE_CHECKING:
    from bakuhub.corridor.scenario import Scenario
    from bakuhub.jobs.runner import JobRunner

MAX_RUNS = 64
"""Most runs (jobs) one sweep sent to the server makes."""
MAX_FIELDS = 4
"""Most fields one sweep varies."""
ACTIVE_SWEEPS_PER_USER = 1
"""Sweeps with runs queued or running one user may have at once."""
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
Path = Annotated[str, Field(min_length=1, max_length=80)]
Value = float | Annotated[str, Field(max_length=40)]


class SamplesIn(BaseModel):
    """``n`` draws over ranges: ``lhs`` (Latin hypercube) or ``sobol`` (n a power of 2)."""

    model_config = ConfigDict(extra="forbid")

    n: int = Field(ge=2, le=MAX_RUNS, description="How many runs.")
    seed: int = Field(default=0, ge=0, le=2**31 - 1, description="Same seed, same draws.")
    method: Literal["lhs", "sobol"] = "lhs"
    ranges: dict[Path, tuple[float, float]] = Field(
        min_length=1, max_length=MAX_FIELDS, description="Field path -> [low, high]."
    )

    @model_validator(mode="after")
    def _sobol_size(self) -> SamplesIn:
        if self.method == "sobol" and self.n & (self.n - 1):
            raise ValueError(
                _("Sobol samples come in powers of two (2, 4, 8, 16, 32, 64), not {n}").format(
                    n=self.n
                )
            )
        return self


class SweepIn(BaseModel):
    """A sweep to run: a base scenario and the fields to vary, as a grid or samples."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="sweep", min_length=1, max_length=40, pattern=NAME_PATTERN)
    base: str = Field(min_length=1, max_length=80, description="A shipped scenario's name.")
    resolution: str | None = Field(
        default=None,
        max_length=32,
        description="Override of the base's: repdays[:K][/S], segments:N, Nh (coarse only).",
    )
    counterfactual: bool = Field(default=False, description="Also solve without the Caspian.")
    grid: dict[Path, Annotated[list[Value], Field(min_length=1, max_length=MAX_RUNS)]] | None = (
        Field(default=None, max_length=MAX_FIELDS, description="Field path -> its values.")
    )
    samples: SamplesIn | None = None

    @model_validator(mode="after")
    def _one_design(self) -> SweepIn:
        if (self.grid is None) == (self.samples is None):
            raise ValueError(_("give either 'grid' (every combination) or 'samples' (draws)"))
        if self.grid is not None and not self.grid:
            raise ValueError(_("the grid needs at least one field with its values"))
        return self


BaseSource = Callable[[str], "Scenario | None"]
BASE_SOURCES: list[BaseSource] = []
"""Where a sweep's base comes from besides the shipped scenarios: each source gets the
name and returns the scenario or None (the hook for saved scenarios: register a
reader that returns only scenarios the requester may see)."""


def base_scenario(name: str) -> Scenario:
    """The base of a sweep by name: a registered source's, else a shipped scenario."""
    from bakuhub.corridor.scenario import shipped_scenario

    for source in BASE_SOURCES:
        found = source(name)
        if found is not None:
            return found
    try:
        return shipped_scenario(name)  # a name only: never a path
    except InvalidInput as exc:
        message = exc.message.replace("scenario: ", "base: ", 1)
        raise InvalidInput(message, details=[{"loc": ["base"], "msg": message}]) from None


def _problem(loc: list[str | int], msg: str) -> dict[str, Any]:
    return {"loc": loc, "msg": msg}


def _refusal(base: Scenario, field: SweepField, value: Any) -> str | None:
    """Why the scenario refuses ``value`` at the field, or None when it takes it."""
    from bakuhub.corridor.scenario import parse_scenario

    data = base.model_dump(mode="json")
    set_path(data, field.path, value)
    try:
        parse_scenario(data, "of the sweep", trusted=False)
    except BakuhubError as exc:
        own = [d["msg"] for d in exc.details if ".".join(map(str, d["loc"])) == field.path]
        shown = f"{value:g}" if isinstance(value, int | float) else value
        return _("the scenario refuses {value}: {reason} ({limits})").format(
            value=shown, reason=(own or [exc.message])[0], limits=field.limits
        )
    return None


def _typed(field: SweepField, value: Any) -> tuple[Any, str | None]:
    """The value as the field takes it (a number or a choice), or why it cannot be."""
    if field.kind == "choice":
        match = next((c for c in field.choices if str(c) == str(value).removesuffix(".0")), None)
        if match is not None:
            return match, None
        return value, _("'{value}' is not {limits}").format(value=value, limits=field.limits)
    try:
        number = float(value)
    except ValueError:
        return value, _("'{value}' is not a number; write numbers such as 40 or 0.07").format(
            value=value
        )
    if not math.isfinite(number):
        return value, _("'{value}' is not a finite number").format(value=value)
    if field.kind == "integer":
        if not number.is_integer():
            return value, _("{value} is not a whole number").format(value=value)
        return int(number), None
    return (int(number) if number.is_integer() else number), None


def _grid(
    request: dict[str, list[Any]], fields: dict[str, SweepField], base: Scenario
) -> tuple[dict[str, list[Any]], list[dict[str, Any]]]:
    grid: dict[str, list[Any]] = {}
    problems = []
    for path, values in request.items():
        field = fields.get(path)
        if field is None:
            problems.append(_problem(["grid", path], _unknown(path)))
            continue
        typed = []
        for value in values:
            value, why = _typed(field, value)
            why = why or (_("lists {value} twice").format(value=value) if value in typed else None)
            why = why or _refusal(base, field, value)
            if why:
                problems.append(_problem(["grid", path], f"{path}: {why}"))
                break
            typed.append(value)
        grid[path] = typed
    runs = math.prod(len(v) for v in request.values())
    if runs > MAX_RUNS:
        problems.append(
            _problem(
                ["grid"],
                _(
                    "the grid makes {runs} runs; a sweep makes at most {most}: use fewer "
                    "values, or samples"
                ).format(runs=runs, most=MAX_RUNS),
            )
        )
    return grid, problems


def _ranges(samples: SamplesIn, fields: dict[str, SweepField], base: Scenario) -> list[Any]:
    problems = []
    for path, (low, high) in samples.ranges.items():
        field = fields.get(path)
        loc: list[str | int] = ["samples", "ranges", path]
        if field is None:
            problems.append(_problem(loc, _unknown(path)))
        elif field.kind != "number":
            problems.append(
                _problem(
                    loc,
                    _("{path} takes {limits}: list its values in a grid instead").format(
                        path=path, limits=field.limits
                    ),
                )
            )
        elif high < low:
            problems.append(
                _problem(
                    loc,
                    _("{path}: the high end {high} is below {low}").format(
                        path=path, high=f"{high:g}", low=f"{low:g}"
                    ),
                )
            )
        elif why := (_refusal(base, field, low) or _refusal(base, field, high)):
            problems.append(_problem(loc, f"{path}: {why}"))
    return problems


def _unknown(path: str) -> str:
    return _(
        "{path} is not a scenario field a sweep may vary; choose one of the list "
        "(GET /api/v1/sweeps/fields?base=NAME)"
    ).format(path=path)


def _resolution(request: SweepIn, base: Scenario) -> list[dict[str, Any]]:
    from bakuhub.corridor.scenario import RESOLUTION, snapshot_count

    value = request.resolution or base.resolution
    try:
        if not RESOLUTION.match(value):
            raise ValueError(_("write repdays, repdays:K, repdays/S, segments:N or Nh"))
        count = snapshot_count(value)
    except ValueError as exc:
        return [
            _problem(
                ["resolution"],
                _("'{value}' is not a resolution: {reason}").format(value=value, reason=exc),
            )
        ]
    if count >= HEAVY_SNAPSHOTS:
        return [
            _problem(
                ["resolution"],
                _(
                    "{value} gives {count} snapshots per run; a sweep runs at a coarse "
                    "resolution (under {most}), e.g. segments:48 or repdays/12"
                ).format(value=value, count=i18n.number(count), most=i18n.number(HEAVY_SNAPSHOTS)),
            )
        ]
    return []


def define(request: SweepIn, base: Scenario) -> tuple[SweepSpec, list[Variant]]:
    """The sweep and its variants, each a validated scenario; ``InvalidInput`` with
    every mistake (``details``: the input at fault and a sentence) otherwise."""
    fields = sweep_fields(base)
    problems = _resolution(request, base)
    grid = None
    if request.grid is not None:
        grid, found = _grid(request.grid, fields, base)
        problems += found
    if request.samples is not None:
        problems += _ranges(request.samples, fields, base)
    if problems:
        listed = "; ".join(p["msg"] for p in problems)
        raise InvalidInput(
            _("The sweep is not valid, nothing was run: {problems}.").format(problems=listed),
            details=problems,
        )
    samples = None
    if request.samples is not None:
        samples = Samples.model_validate(request.samples.model_dump())
    spec = SweepSpec(
        name=request.name,
        base=request.base,
        resolution=request.resolution,
        counterfactual=request.counterfactual,
        grid=grid,
        samples=samples,
    )
    try:
        return spec, variants(spec, base, trusted=False)
    except InvalidInput as exc:  # values each taken alone, refused together
        raise InvalidInput(exc.message, details=[_problem(["sweep"], exc.message)]) from None


def check_active_sweeps(session: Session, user: str) -> None:
    """``TooManyJobs`` when ``user`` already has a sweep with runs queued or running."""
    active = session.scalars(
        select(Job.batch)
        .where(Job.created_by == user, Job.batch.is_not(None), Job.state.in_(ACTIVE))
        .group_by(Job.batch)
        .order_by(func.min(Job.id))
    ).all()
    if len(active) >= ACTIVE_SWEEPS_PER_USER:
        raise TooManyJobs(
            _(
                "Your sweep {batch} still has runs queued or running (at most "
                "{most} at once); wait for it to finish or cancel it, then start another."
            ).format(batch=active[0], most=ACTIVE_SWEEPS_PER_USER)
        )


def submit_request(
    *,
    session: Session,
    request: SweepIn,
    base: Scenario,
    runner: JobRunner | None,
    user: str,
) -> str:
    """Check the sweep, then queue one job per run in one transaction; its batch label.

    Nothing is queued when any input is refused, or the user's sweep limit is reached.
    """
    spec, found = define(request, base)
    check_active_sweeps(session, user)
    batch, _variants, _jobs = submit_sweep(
        session=session,
        spec=spec,
        base=base,
        runner=runner,
        created_by=user,
        found=found,
        unique=True,
    )
    return batch
