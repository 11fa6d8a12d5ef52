"""Corridor scenarios: a YAML file, validated on load.

A mistake in a scenario file is reported with the path of the field
(``links.CASPIAN.p_nom_mw``), what is wrong, and the values allowed.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bakuhub.errors import InvalidInput

CABLE_LEVELS = ("reference", "project", "mid", "low")
Technology = Literal["solar", "onwind", "offwind", "battery", "CCGT", "OCGT"]
EXTENDABLE: tuple[Technology, ...] = ("solar", "onwind", "offwind", "battery", "CCGT", "OCGT")
RESOLUTION = re.compile(r"^(hourly|\d+h|repdays(:\d+)?(/\d+)?|segments:\d+)$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CableOption(Strict):
    """Capacity choice for one link: fixed, bounded, or free (p_nom_mw in MW)."""

    mode: Literal["free", "fixed", "bounds", "off"] = "free"
    p_nom_mw: float | None = Field(default=None, ge=0)
    min_mw: float = Field(default=0.0, ge=0)
    max_mw: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _consistent(self) -> CableOption:
        if self.mode == "fixed" and self.p_nom_mw is None:
            raise ValueError("mode 'fixed' needs p_nom_mw")
        if self.max_mw is not None and self.max_mw < self.min_mw:
            raise ValueError("max_mw is below min_mw")
        return self


class BuildOption(Strict):
    """Where a technology may be built, and per-node upper limits (MW)."""

    nodes: list[str] | Literal["all"] = "all"
    max_mw: dict[str, float] = Field(default_factory=dict)


class CostOptions(Strict):
    set: Literal["technology-data-v0.14.0"] = "technology-data-v0.14.0"
    cable_cost: Literal["reference", "project", "mid", "low"] = "project"
    wacc: float = Field(default=0.07, gt=0, lt=0.5, description="real discount rate, 1/a")
    usd_per_eur: float = Field(default=1.0813, gt=0)


class CO2Options(Strict):
    price_eur_t: float = Field(default=0.0, ge=0)
    cap_mt: float | None = Field(default=None, ge=0)


class Europe(Strict):
    """The European side: a market at a price, or an export target."""

    mode: Literal["market", "target", "none"] = "target"
    price_eur_mwh: float = Field(default=90.0, ge=0)
    export_twh: float = Field(default=8.0, ge=0)
    gateway: str = "RO_CON"


class Weather(Strict):
    source: Literal["shipped", "agora"] = "shipped"
    path: str | None = None


class SolverOptions(Strict):
    """The LP solver: ``clarabel`` (interior point, the default: about 10 times faster on
    the corridor model than HiGHS), ``highs`` (simplex or IPX, through linopy's direct
    interface), or ``cupdlpx``/``cuopt`` on an NVIDIA GPU where installed."""

    name: Literal["clarabel", "highs", "cupdlpx", "cuopt"] = "clarabel"
    options: dict[str, Any] = Field(default_factory=dict)


class Economics(Strict):
    export_price_eur_mwh: float = Field(default=90.0, ge=0)
    horizon_years: int = Field(default=40, ge=1, le=100)


Resolution = Annotated[
    str, Field(description="hourly | Nh | repdays[:K][/S] | segments:N (see temporal.py)")
]


class Scenario(Strict):
    """One corridor study: what to build, where, at what cost, under which rules."""

    name: str = Field(min_length=1, max_length=100)
    description: str = ""
    year: Literal[2030, 2035, 2040, 2050]
    nodes: list[str] | Literal["all"] = "all"
    demand_nodes_excluded: list[str] = Field(default_factory=lambda: ["RO_CON"])
    demand_scale: float = Field(
        default=1.0, gt=0, le=5, description="multiplier on every node's annual demand"
    )
    links: dict[str, CableOption] = Field(default_factory=dict)
    build: dict[Technology, BuildOption] = Field(
        default_factory=lambda: {t: BuildOption() for t in EXTENDABLE}
    )
    costs: CostOptions = Field(default_factory=CostOptions)
    co2: CO2Options = Field(default_factory=CO2Options)
    renewable_targets: dict[str, float] = Field(default_factory=dict)
    europe: Europe = Field(default_factory=Europe)
    weather: Weather = Field(default_factory=Weather)
    resolution: Resolution = "repdays/12"
    voll_eur_mwh: float = Field(default=10_000.0, gt=0)
    solver: SolverOptions = Field(default_factory=SolverOptions)
    economics: Economics = Field(default_factory=Economics)

    @field_validator("resolution")
    @classmethod
    def _resolution(cls, value: str) -> str:
        if not RESOLUTION.match(value):
            raise ValueError(
                f"'{value}' is not a resolution; use hourly, Nh (e.g. 3h), repdays, "
                "repdays:K (K days a month), repdays/S or repdays:K/S (each day in S segments) "
                "or segments:N"
            )
        return value

    @field_validator("renewable_targets")
    @classmethod
    def _shares(cls, value: dict[str, float]) -> dict[str, float]:
        for country, share in value.items():
            if not 0 <= share <= 1:
                raise ValueError(f"{country}: a share is between 0 and 1, not {share}")
        return value

    def digest(self) -> str:
        """SHA-256 of the scenario's canonical JSON: equal inputs, equal hash."""
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def _explain(exc: ValidationError, source: str) -> InvalidInput:
    details = []
    for err in exc.errors():
        msg = err["msg"]
        if err["type"] == "literal_error" and err.get("ctx"):
            msg = f"must be one of {err['ctx'].get('expected')}"
        elif err["type"] == "extra_forbidden":
            msg = "is not a scenario field (check the spelling; see docs/corridor-method.md)"
        details.append({"loc": list(err["loc"]), "msg": msg})
    listed = "; ".join(f"{'.'.join(str(p) for p in d['loc'])}: {d['msg']}" for d in details)
    return InvalidInput(f"The scenario {source} is not valid: {listed}.", details=details)


def parse_scenario(data: Any, source: str = "(inline)") -> Scenario:
    """Validate scenario data (a mapping, as read from YAML)."""
    if not isinstance(data, dict):
        raise InvalidInput(f"The scenario {source} must be a YAML mapping of fields.")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise _explain(exc, source) from None


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; a bare name picks a shipped scenario."""
    import yaml

    file = Path(path)
    if not file.is_file():
        shipped = shipped_scenario_path(str(path))
        if shipped is None:
            names = ", ".join(shipped_scenarios())
            raise InvalidInput(
                f"There is no scenario file {path}; give a YAML path or a shipped name ({names})."
            )
        file = shipped
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InvalidInput(f"The scenario {file} is not valid YAML: {exc}") from None
    return parse_scenario(data, str(file))


def shipped_scenarios() -> list[str]:
    """Names of the scenarios that ship with bakuhub."""
    from importlib.resources import files

    folder = files("bakuhub") / "datasets" / "scenarios"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def shipped_scenario_path(name: str) -> Path | None:
    """Path of a shipped scenario by name (None when there is none)."""
    from importlib.resources import files

    candidate = files("bakuhub") / "datasets" / "scenarios" / f"{name}.yaml"
    return Path(str(candidate)) if candidate.is_file() else None
