"""Sweeps: a set of corridor scenario variants (a grid, or Latin-hypercube samples over
ranges) run as jobs, gathered into one table and one chart.

A sweep file names a base scenario and the scenario fields to vary, by their dotted
path (``co2.price_eur_t``, ``costs.cable_cost``, ``links.CASPIAN.max_mw``)::

    name: cable-cost-co2-2030
    base: reference-2030
    resolution: segments:48
    grid:
      costs.cable_cost: [low, project, reference]
      co2.price_eur_t: [0, 80, 150]
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy.orm import Session, sessionmaker

from bakuhub.db import session_scope
from bakuhub.errors import BakuhubError, InvalidInput
from bakuhub.i18n import _
from bakuhub.jobs import service
from bakuhub.jobs.chart import write_chart
from bakuhub.jobs.models import SUCCEEDED, Job
from bakuhub.jobs.schemas import JobOut, job_out

if TYPE_CHECKING:
    import pandas as pd

    from bakuhub.corridor.scenario import Scenario
    from bakuhub.jobs.runner import JobRunner

MAX_VARIANTS = 1000
FIGURES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "total_system_cost_bn_eur_a": lambda s: s["total_system_cost_eur_a"] / 1e9,
    "export_twh": lambda s: s["export_twh"],
    "gateway_price_eur_mwh": lambda s: s["gateway_price_eur_mwh"],
    "co2_emitted_mt": lambda s: s["co2_emitted_mt"],
    "co2_avoided_mt": lambda s: s["co2_avoided_mt"],
    "caspian_cable_mw": lambda s: s["cables"].get("CASPIAN", {}).get("capacity_mw", 0.0),
    "black_sea_cable_mw": lambda s: s["cables"].get("BLACKSEA", {}).get("capacity_mw", 0.0),
    "solar_mw": lambda s: _built(s, ("solar",)),
    "wind_mw": lambda s: _built(s, ("onwind", "offwind")),
    "battery_mw": lambda s: _built(s, ("battery",)),
    "unserved_twh": lambda s: s["unserved_twh"],
    "curtailment_twh": lambda s: s["curtailment_twh"],
}


def _built(summary: dict[str, Any], technologies: tuple[str, ...]) -> float:
    built = summary.get("capacity_built_mw", {})
    return float(sum(v for k, v in built.items() if k.split("/")[-1] in technologies))


class Samples(BaseModel):
    """``n`` draws, uniform over each ``[low, high]`` range: a Latin hypercube (``lhs``,
    one draw in each n-th of every range) or a scrambled Sobol sequence (``sobol``, n a
    power of two: evenly spread over the combined ranges)."""

    model_config = ConfigDict(extra="forbid")

    n: int = Field(ge=1, le=MAX_VARIANTS)
    seed: int = Field(default=0, ge=0, le=2**32 - 1)
    method: Literal["lhs", "sobol"] = "lhs"
    ranges: dict[str, tuple[float, float]] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Samples:
        for path, (low, high) in self.ranges.items():
            if high < low:
                raise ValueError(
                    _("range of {path}: {high} is below {low}").format(
                        path=path, high=high, low=low
                    )
                )
        if self.method == "sobol" and self.n & (self.n - 1):
            raise ValueError(
                _("Sobol samples come in powers of two (2, 4, 8, 16, 32, 64...), not {n}").format(
                    n=self.n
                )
            )
        return self


class SweepSpec(BaseModel):
    """A sweep: a base scenario and the fields to vary (a grid or samples)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    description: str = ""
    base: str = Field(
        max_length=4096, description="A shipped scenario name, or a scenario file path"
    )
    resolution: str | None = None
    counterfactual: bool = False
    grid: dict[str, list[Any]] | None = None
    samples: Samples | None = None

    @model_validator(mode="after")
    def _one_design(self) -> SweepSpec:
        if (self.grid is None) == (self.samples is None):
            raise ValueError(_("give either 'grid' (every combination) or 'samples' (draws)"))
        if self.grid is not None:
            empty = [p for p, values in self.grid.items() if not values]
            if not self.grid or empty:
                raise ValueError(
                    _("the grid needs values for each field {fields}").format(fields=empty or "")
                )
        return self

    @property
    def varied(self) -> list[str]:
        """The dotted paths of the fields the sweep varies."""
        if self.grid is not None:
            return list(self.grid)
        assert self.samples is not None
        return list(self.samples.ranges)


@dataclass
class Variant:
    """One point of a sweep: its number, the values set, and the scenario."""

    number: int
    params: dict[str, Any]
    scenario: Scenario

    @property
    def title(self) -> str:
        values = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"#{self.number:03d} {values}"


@dataclass
class SweepRun:
    """A finished sweep: its batch label, jobs, table and written files."""

    batch: str
    jobs: list[Job]
    table: pd.DataFrame
    files: list[Path] = field(default_factory=list)

    @property
    def failed(self) -> list[Job]:
        """Jobs that did not succeed."""
        return [j for j in self.jobs if j.state != SUCCEEDED]


def parse_sweep(data: Any, source: str = "(inline)") -> SweepSpec:
    """Validate sweep data (a mapping, as read from YAML)."""
    if not isinstance(data, dict):
        raise InvalidInput(
            _("The sweep {source} must be a YAML mapping of fields.").format(source=source)
        )
    try:
        return SweepSpec.model_validate(data)
    except ValidationError as exc:
        listed = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'sweep'}: {e['msg']}" for e in exc.errors()
        )
        raise InvalidInput(
            _("The sweep {source} is not valid: {problems}.").format(source=source, problems=listed)
        ) from None


def load_sweep(path: Path) -> tuple[SweepSpec, Scenario]:
    """Read a sweep file (or a shipped sweep by name) and its base scenario (a scenario
    file beside the sweep file, or a shipped name)."""
    from bakuhub.corridor.safe_yaml import read_yaml
    from bakuhub.corridor.scenario import load_scenario, shipped_scenario, shipped_sweep_path

    shipped = None if path.is_file() else shipped_sweep_path(str(path))
    if not path.is_file() and shipped is None:
        raise InvalidInput(
            _(
                "There is no sweep file {path}; give the path of a sweep YAML file or the name "
                "of a shipped sweep (see datasets/sweeps)."
            ).format(path=path)
        )
    file = shipped or path
    source = f"'{path}' (shipped)" if shipped else str(path)
    spec = parse_sweep(read_yaml(file, f"The sweep {source}"), source)
    if shipped is not None:
        return spec, shipped_scenario(spec.base)  # a shipped sweep's base: a name only
    beside = path.parent / spec.base
    return spec, load_scenario(beside if beside.is_file() else spec.base)


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set the field at dotted ``path`` of scenario data (groups made as needed)."""
    *parents, leaf = path.split(".")
    node = data
    for part in parents:
        child = node.get(part)
        if child is None:
            child = node[part] = {}
        if not isinstance(child, dict):
            raise InvalidInput(
                _("{path}: '{part}' is not a group of fields, so it has no '{leaf}'.").format(
                    path=path, part=part, leaf=leaf
                )
            )
        node = child
    node[leaf] = value


def _latin_hypercube(samples: Samples) -> list[dict[str, Any]]:
    import numpy as np

    if samples.method == "sobol":
        return _sobol(samples)
    rng = np.random.default_rng(samples.seed)
    columns = {}
    for path, (low, high) in samples.ranges.items():
        strata = (rng.permutation(samples.n) + rng.random(samples.n)) / samples.n
        columns[path] = [float(f"{low + u * (high - low):.4g}") for u in strata]
    return [{p: columns[p][i] for p in columns} for i in range(samples.n)]


def _sobol(samples: Samples) -> list[dict[str, Any]]:
    """A scrambled Sobol sequence (scipy.stats.qmc, seeded) scaled to the ranges."""
    from scipy.stats import qmc

    points = qmc.Sobol(d=len(samples.ranges), scramble=True, seed=samples.seed).random_base2(
        samples.n.bit_length() - 1
    )
    ranges = list(samples.ranges.items())
    return [
        {
            p: float(f"{low + u * (high - low):.4g}")
            for (p, (low, high)), u in zip(ranges, row, strict=True)
        }
        for row in points
    ]


def design(spec: SweepSpec) -> list[dict[str, Any]]:
    """The values each variant sets, in order."""
    if spec.samples is not None:
        return _latin_hypercube(spec.samples)
    assert spec.grid is not None
    count = 1
    for values in spec.grid.values():
        count *= len(values)
    if count > MAX_VARIANTS:
        raise InvalidInput(
            _(
                "The grid of sweep {name} has {count} combinations; at most {most} "
                "run in one sweep. Use fewer values, or 'samples'."
            ).format(name=spec.name, count=count, most=MAX_VARIANTS)
        )
    paths = list(spec.grid)
    return [
        dict(zip(paths, combo, strict=True)) for combo in itertools.product(*spec.grid.values())
    ]


def variants(spec: SweepSpec, base: Scenario, *, trusted: bool = True) -> list[Variant]:
    """Every variant of the sweep, each a validated scenario.

    ``trusted`` is for the operator's sweeps (files, the command line); a sweep sent to
    the server is validated as any scenario from outside (no server paths).
    """
    from bakuhub.corridor.scenario import parse_scenario

    out = []
    for number, params in enumerate(design(spec), start=1):
        data = base.model_dump(mode="json")
        if spec.resolution is not None:
            data["resolution"] = spec.resolution
        for path, value in params.items():
            set_path(data, path, value)
        source = f"of sweep {spec.name}, variant {number}"
        try:
            scenario = parse_scenario(data, source, trusted=trusted)
        except BakuhubError as exc:
            raise InvalidInput(
                _("{problem} Check the sweep's field paths and values.").format(
                    problem=exc.message
                ),
                details=exc.details,
            ) from None
        out.append(Variant(number, params, scenario))
    return out


def submit_sweep(
    *,
    session: Session,
    spec: SweepSpec,
    base: Scenario,
    runner: JobRunner | None,
    created_by: str = "system",
    found: list[Variant] | None = None,
    unique: bool = False,
) -> tuple[str, list[Variant], list[Job]]:
    """Submit one job per variant (stored results come back at once); returns the batch.

    ``found``: the variants, when already made; ``unique`` (the web's sweeps) adds a
    random part to the batch label and gives every variant a job of the batch (never
    one of another batch computing the same inputs), so the batch alone tells the
    sweep's runs.
    """
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    batch = f"{spec.name}@{stamp}"
    if unique:
        import secrets

        batch = f"{batch}-{secrets.token_hex(3)}"
    found = variants(spec, base) if found is None else found
    jobs = [
        service.submit_study(
            session=session,
            scenario=v.scenario,
            runner=runner,
            counterfactual=spec.counterfactual,
            batch=batch,
            title=f"{spec.name} {v.title}",
            created_by=created_by,
            join_other_batches=not unique,
        )
        for v in found
    ]
    return batch, found, jobs


def run_sweep(
    *,
    session_factory: sessionmaker[Session],
    spec: SweepSpec,
    base: Scenario,
    runner: JobRunner,
    out: Path,
    created_by: str = "system",
    on_change: Callable[[JobOut], None] | None = None,
    timeout: float | None = None,
) -> SweepRun:
    """Run every variant as a job, wait, and write results.csv and chart.html to ``out``.

    ``on_change`` sees each job's new state or progress line (as listed, ``JobOut``).
    Interrupted (Ctrl-C, timeout), the sweep's unfinished jobs are cancelled.
    """

    def seen(job: Job) -> None:
        if on_change is not None:
            on_change(job_out(job))

    with session_scope(session_factory) as session:
        batch, found, jobs = submit_sweep(
            session=session, spec=spec, base=base, runner=runner, created_by=created_by
        )
        ids = [j.id for j in jobs]
    try:
        finished = service.wait(
            session_factory=session_factory, job_ids=ids, on_change=seen, timeout=timeout
        )
    except BaseException:
        service.cancel_many(session_factory=session_factory, job_ids=ids)
        for job_id in ids:
            runner.cancel(job_id)
        raise
    by_id = {j.id: j for j in finished}
    ordered = [by_id[i] for i in ids]
    with session_scope(session_factory) as session:
        summaries = {j.id: _summary(session, j) for j in ordered}
    table = sweep_table(found, ordered, summaries)
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "results.csv", index=False, float_format="%.6g")
    chart = write_chart(spec.name, spec.base, spec.varied, table, out / "chart.html")
    files = [out / "results.csv", chart]
    return SweepRun(batch=batch, jobs=ordered, table=table, files=files)


def _summary(session: Session, job: Job) -> dict[str, Any] | None:
    if job.result_id is None:
        return None
    from bakuhub.jobs.models import JobResult

    result = session.get(JobResult, job.result_id)
    return None if result is None else dict(result.summary)


def sweep_table(
    found: list[Variant], jobs: list[Job], summaries: dict[int, dict[str, Any] | None]
) -> pd.DataFrame:
    """One row per variant: the values set, the job, and the key results (units in names)."""
    import pandas as pd

    rows = []
    for variant, job in zip(found, jobs, strict=True):
        row: dict[str, Any] = {"variant": variant.number, **variant.params}
        row.update(job_id=job.id, state=job.state, cached=job.cached, seconds=job.seconds)
        summary = summaries.get(job.id)
        for name, get in FIGURES.items():
            row[name] = get(summary) if summary is not None else None
        row["error"] = job.error or ""
        rows.append(row)
    return pd.DataFrame(rows)
