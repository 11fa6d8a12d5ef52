"""The scenario's LP solver and what may be tuned in it (``Scenario.solver``).

Nothing here names a file: no input can make a solver read, write or delete one.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_serializer, model_validator
from pydantic_core.core_schema import SerializerFunctionWrapHandler

from bakuhub.i18n import _

MAX_TIME_LIMIT_S = 7 * 24 * 3600.0
Method = Literal["choose", "simplex", "ipm", "pdlp", "hipo"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class SolverTuning(_Strict):
    """What a scenario may tune in its solver: bounded numbers and one enum.

    Each solver's own keywords are built from these in :func:`bakuhub.corridor.solve.
    solver_keywords`; nothing here names a file, so no input can make a solver read,
    write or delete one (HiGHS's ``solution_file``, linopy's ``problem_fn``...).
    """

    time_limit_s: float | None = Field(
        default=None, gt=0, le=MAX_TIME_LIMIT_S, description="stop after this many seconds"
    )
    threads: int | None = Field(default=None, ge=1, le=256, description="solver threads")
    optimality_tolerance: float | None = Field(
        default=None, ge=1e-12, le=1e-2, description="relative duality gap accepted"
    )
    feasibility_tolerance: float | None = Field(
        default=None, ge=1e-12, le=1e-2, description="primal (and dual) feasibility"
    )
    max_iterations: int | None = Field(default=None, ge=1, le=10_000_000)
    method: Method | None = Field(default=None, description="HiGHS/cuOpt algorithm")
    x_scale: float | None = Field(
        default=None, ge=1e-6, le=1e9, description="clarabel: unit of the variables"
    )
    cost_scale: float | None = Field(
        default=None, ge=1e-6, le=1e9, description="clarabel: unit of the objective"
    )

    @model_serializer(mode="wrap")
    def _set_only(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {key: value for key, value in data.items() if value is not None}


SUPPORTED: dict[str, frozenset[str]] = {
    "clarabel": frozenset(SolverTuning.model_fields) - {"method"},
    "highs": frozenset(SolverTuning.model_fields) - {"x_scale", "cost_scale"},
    "cupdlpx": frozenset({"time_limit_s", "max_iterations"}),
    "cuopt": frozenset({"time_limit_s", "method"}),
}
"""Which tuning fields each solver takes."""


class SolverOptions(_Strict):
    """The LP solver: ``clarabel`` (interior point, the default: about 10 times faster on
    the corridor model than HiGHS), ``highs`` (simplex or IPX, through linopy's direct
    interface), or ``cupdlpx``/``cuopt`` on an NVIDIA GPU where installed."""

    name: Literal["clarabel", "highs", "cupdlpx", "cuopt"] = "clarabel"
    options: SolverTuning = Field(default_factory=SolverTuning)

    @model_validator(mode="after")
    def _supported(self) -> SolverOptions:
        given = set(self.options.model_dump(exclude_none=True))
        unsupported = sorted(given - SUPPORTED[self.name])
        if unsupported:
            raise ValueError(
                _("{solver} does not take {unsupported}; it takes {supported}").format(
                    solver=self.name,
                    unsupported=", ".join(unsupported),
                    supported=", ".join(sorted(SUPPORTED[self.name])),
                )
            )
        if self.options.method == "hipo" and self.name != "highs":
            raise ValueError(_("method 'hipo' is HiGHS's interior point: use it with name highs"))
        return self
