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

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic_core.core_schema import SerializerFunctionWrapHandler

from bakuhub.corridor.cbam_rules import CbamOptions
from bakuhub.corridor.hydrogen_options import Molecules
from bakuhub.corridor.negotiation_options import NegotiationOptions
from bakuhub.corridor.pathway_options import PathwayOptions
from bakuhub.corridor.safe_yaml import read_yaml
from bakuhub.corridor.solver_options import SolverOptions, SolverTuning
from bakuhub.errors import InvalidInput
from bakuhub.i18n import N_, _

CABLE_LEVELS = ("reference", "project", "mid", "low")
Technology = Literal["solar", "onwind", "offwind", "battery", "CCGT", "OCGT"]
EXTENDABLE: tuple[Technology, ...] = ("solar", "onwind", "offwind", "battery", "CCGT", "OCGT")
RESOLUTION = re.compile(r"^(hourly|\d+h|repdays(:\d+)?(/\d+)?|segments:\d+)$")


SHIPPED_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
"""A shipped scenario or sweep name: a file name in the shipped folder, nothing else."""
Name = Annotated[str, Field(min_length=1, max_length=64)]
MAX_ITEMS = 100
"""Most nodes, links or targets a scenario lists."""
MAX_MW = 1e7
MAX_PRICE = 1e5


def snapshot_count(resolution: str) -> int:
    """About how many snapshots a resolution gives (the size of the model grows with it);
    ``ValueError`` when a number in it is out of range.

    hourly: 8,760; ``Nh``: 8,760 / N; ``segments:N``: N; ``repdays[:K][/S]``: 12 K days
    (the shipped 84 days without K) of S segments (24 without S).
    """
    numbers = [int(n) for n in re.findall(r"\d+", resolution)]
    if resolution == "hourly":
        return 8760
    if resolution.endswith("h"):
        _check(numbers[0], 1, 8760, N_("N (hours a snapshot)"))
        return -(-8760 // numbers[0])
    if resolution.startswith("segments:"):
        _check(numbers[0], 1, 8760, N_("N (segments of the year)"))
        return numbers[0]
    days_part, _sep, per_day = resolution.partition("/")
    days = 84
    if ":" in days_part:
        days = 12 * _check(int(days_part.split(":")[1]), 1, 28, N_("K (days a month)"))
    return days * (_check(int(per_day), 1, 24, N_("S (segments a day)")) if per_day else 24)


def _check(value: int, low: int, high: int, what: str) -> int:
    if not low <= value <= high:
        raise ValueError(
            _("{what} must be between {low} and {high}, not {value}").format(
                what=_(what), low=low, high=high, value=value
            )
        )
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def trusted(info: ValidationInfo) -> bool:
    """Whether the data being validated comes from the operator (CLI, shipped files, a
    stored job), not from a request: only then may it name server paths."""
    return bool((info.context or {}).get("trusted"))


class CableOption(Strict):
    """Capacity choice for one link: fixed, bounded, or free (p_nom_mw in MW)."""

    mode: Literal["free", "fixed", "bounds", "off"] = "free"
    p_nom_mw: float | None = Field(default=None, ge=0, le=MAX_MW)
    min_mw: float = Field(default=0.0, ge=0, le=MAX_MW)
    max_mw: float | None = Field(default=None, ge=0, le=MAX_MW)

    @model_validator(mode="after")
    def _consistent(self) -> CableOption:
        if self.mode == "fixed" and self.p_nom_mw is None:
            raise ValueError(_("mode 'fixed' needs p_nom_mw"))
        if self.max_mw is not None and self.max_mw < self.min_mw:
            raise ValueError(_("max_mw is below min_mw"))
        return self


class BuildOption(Strict):
    """Where a technology may be built, and per-node upper limits (MW)."""

    nodes: Annotated[list[Name], Field(max_length=MAX_ITEMS)] | Literal["all"] = "all"
    max_mw: dict[Name, Annotated[float, Field(ge=0, le=MAX_MW)]] = Field(
        default_factory=dict, max_length=MAX_ITEMS
    )


class CostOptions(Strict):
    set: Literal["technology-data-v0.14.0"] = "technology-data-v0.14.0"
    cable_cost: Literal["reference", "project", "mid", "low"] = "project"
    wacc: float = Field(default=0.07, gt=0, lt=0.5, description="real discount rate, 1/a")
    usd_per_eur: float = Field(default=1.0813, gt=0, le=100)


class CO2Options(Strict):
    price_eur_t: float = Field(default=0.0, ge=0, le=MAX_PRICE)
    cap_mt: float | None = Field(default=None, ge=0, le=1e5)


class Europe(Strict):
    """The European side: a market at a price, or an export target."""

    mode: Literal["market", "target", "none"] = "target"
    price_eur_mwh: float = Field(default=90.0, ge=0, le=MAX_PRICE)
    export_twh: float = Field(default=8.0, ge=0, le=1e4)
    gateway: Name = "RO_CON"


class Weather(Strict):
    """Where the weather series come from: the shipped representative days, or the
    upstream Agora folder at ``path`` (a server path: the command line's only)."""

    source: Literal["shipped", "agora"] = "shipped"
    path: str | None = Field(default=None, max_length=4096)

    @model_validator(mode="after")
    def _no_server_paths_from_outside(self, info: ValidationInfo) -> Weather:
        if trusted(info):
            return self
        if self.path is not None or self.source != "shipped":
            raise ValueError(
                _(
                    "a scenario sent to the server uses the shipped weather only (source "
                    "'shipped', no path): data paths are for the command line and the "
                    "operator; ask them to run it with 'bakuhub corridor solve'"
                )
            )
        return self


class Economics(Strict):
    export_price_eur_mwh: float = Field(default=90.0, ge=0, le=MAX_PRICE)
    horizon_years: int = Field(default=40, ge=1, le=100)


Resolution = Annotated[
    str, Field(description="hourly | Nh | repdays[:K][/S] | segments:N (see temporal.py)")
]


class Scenario(Strict):
    """One corridor study: what to build, where, at what cost, under which rules."""

    name: str = Field(
        min_length=1,
        max_length=100,
        pattern=r"^[^./\\\x00-\x1f][^/\\\x00-\x1f]*$",
        description="also the study's folder name: no slash, not starting with a dot",
    )
    description: str = Field(default="", max_length=4000)
    year: Literal[2030, 2035, 2040, 2050]
    nodes: Annotated[list[Name], Field(max_length=MAX_ITEMS)] | Literal["all"] = "all"
    demand_nodes_excluded: list[Name] = Field(
        default_factory=lambda: ["RO_CON"], max_length=MAX_ITEMS
    )
    demand_scale: float = Field(
        default=1.0, gt=0, le=5, description="multiplier on every node's annual demand"
    )
    links: dict[Name, CableOption] = Field(default_factory=dict, max_length=MAX_ITEMS)
    build: dict[Technology, BuildOption] = Field(
        default_factory=lambda: {t: BuildOption() for t in EXTENDABLE}
    )
    costs: CostOptions = Field(default_factory=CostOptions)
    co2: CO2Options = Field(default_factory=CO2Options)
    renewable_targets: dict[Name, float] = Field(default_factory=dict, max_length=MAX_ITEMS)
    europe: Europe = Field(default_factory=Europe)
    weather: Weather = Field(default_factory=Weather)
    resolution: Resolution = "repdays/12"
    voll_eur_mwh: float = Field(default=10_000.0, gt=0, le=1e6)
    solver: SolverOptions = Field(default_factory=SolverOptions)
    real_year_check: bool = Field(
        default=True,
        description="after sizing, operate the design through the full year (real_year.py)",
    )
    refine_solves: int = Field(
        default=0,
        ge=0,
        le=60,
        description=(
            "after sizing, refine the design on the full year by Benders decomposition "
            "with at most this many operating solves of the year (hourly.py); 0: off"
        ),
    )
    peak_rounds: int = Field(
        default=1,
        ge=0,
        le=10,
        description=(
            "after sizing, re-size with the days of the full year the design fell short "
            "on, each as it was, at most this many times (peak_days.py); 0: off"
        ),
    )
    economics: Economics = Field(default_factory=Economics)
    cbam: CbamOptions = Field(default_factory=CbamOptions)
    negotiation: NegotiationOptions = Field(default_factory=NegotiationOptions)
    molecules: Molecules = Field(
        default_factory=Molecules, description="hydrogen and ammonia (hydrogen.py); off"
    )
    pathway: PathwayOptions = Field(
        default_factory=PathwayOptions, description="several years (pathway_study.py); off"
    )

    @model_serializer(mode="wrap")
    def _options_only_when_set(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """A scenario without CBAM, negotiation analyses or molecules dumps (and hashes)
        as before these options existed."""
        data: dict[str, Any] = handler(self)
        for name, default in (
            ("cbam", CbamOptions()),
            ("negotiation", NegotiationOptions()),
            ("molecules", Molecules()),
            ("pathway", PathwayOptions()),
        ):
            if getattr(self, name) == default:
                data.pop(name, None)
        return data

    @field_validator("resolution")
    @classmethod
    def _resolution(cls, value: str) -> str:
        if len(value) > 32 or not RESOLUTION.match(value):
            raise ValueError(
                _(
                    "'{value}' is not a resolution; use hourly, Nh (e.g. 3h), repdays, "
                    "repdays:K (K days a month), repdays/S or repdays:K/S (each day in S "
                    "segments) or segments:N"
                ).format(value=value[:32])
            )
        snapshot_count(value)
        return value

    @field_validator("renewable_targets")
    @classmethod
    def _shares(cls, value: dict[str, float]) -> dict[str, float]:
        for country, share in value.items():
            if not 0 <= share <= 1:
                raise ValueError(
                    _("{country}: a share is between 0 and 1, not {share}").format(
                        country=country, share=share
                    )
                )
        return value

    def digest(self) -> str:
        """SHA-256 of the scenario's canonical JSON: equal inputs, equal hash."""
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def _explain(exc: ValidationError, source: str) -> InvalidInput:
    details = []
    for err in exc.errors():
        msg = err["msg"]
        loc = tuple(err["loc"])
        if err["type"] == "literal_error" and err.get("ctx"):
            msg = _("must be one of {expected}").format(expected=err["ctx"].get("expected"))
        elif err["type"] == "value_error":
            msg = msg.removeprefix("Value error, ")
        elif err["type"] == "string_pattern_mismatch" and loc == ("name",):
            msg = _("names the study's folder: no slash or control character, no leading dot")
        elif err["type"] == "extra_forbidden" and loc[:2] == ("solver", "options"):
            msg = _(
                "is not a solver option; the options are {options} (nothing that names a file)"
            ).format(options=", ".join(SolverTuning.model_fields))
        elif err["type"] == "extra_forbidden":
            msg = _("is not a scenario field (check the spelling; see docs/corridor-method.md)")
        details.append({"loc": list(loc), "msg": msg})
    listed = "; ".join(f"{'.'.join(str(p) for p in d['loc'])}: {d['msg']}" for d in details)
    return InvalidInput(
        _("The scenario {source} is not valid: {problems}.").format(source=source, problems=listed),
        details=details,
    )


def parse_scenario(data: Any, source: str = "(inline)", *, trusted: bool = False) -> Scenario:
    """Validate scenario data (a mapping, as read from YAML or sent to the API).

    Only ``trusted`` data (the operator's: a file named on the command line, a shipped
    scenario, a job's stored inputs) may name server paths such as ``weather.path``.
    """
    if not isinstance(data, dict):
        raise InvalidInput(
            _("The scenario {source} must be a YAML mapping of fields.").format(source=source)
        )
    try:
        return Scenario.model_validate(data, context={"trusted": trusted})
    except ValidationError as exc:
        raise _explain(exc, source) from None


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file or a shipped scenario by name (the command
    line's entry: the operator's files may name server paths)."""
    file = Path(path)
    if file.is_file():
        read = read_yaml(file, _("The scenario {source}").format(source=file))
        return parse_scenario(read, str(file), trusted=True)
    if shipped_scenario_path(str(path)) is None:
        names = ", ".join(shipped_scenarios())
        raise InvalidInput(
            _(
                "There is no scenario file {path}; give a YAML path or a shipped name ({names})."
            ).format(path=path, names=names)
        )
    return shipped_scenario(str(path))


def shipped_scenario(name: str) -> Scenario:
    """A shipped scenario by name only (the web's entry): never a file path."""
    file = shipped_scenario_path(name)
    if file is None:
        names = ", ".join(shipped_scenarios())
        raise InvalidInput(
            _(
                "scenario: that is not the name of a shipped scenario (lower-case letters, "
                "digits and dashes); use one of {names}, or send the scenario itself."
            ).format(names=names)
        )
    source = _("'{name}' (shipped)").format(name=name)
    read = read_yaml(file, _("The scenario {source}").format(source=source))
    return parse_scenario(read, source, trusted=True)


def _shipped(folder: str) -> dict[str, Path]:
    from importlib.resources import files

    root = files("bakuhub") / "datasets" / folder
    return {
        p.name[:-5]: Path(str(p))
        for p in root.iterdir()
        if p.name.endswith(".yaml") and SHIPPED_NAME.fullmatch(p.name[:-5])
    }


def shipped_scenarios() -> list[str]:
    """Names of the scenarios that ship with bakuhub."""
    return sorted(_shipped("scenarios"))


def shipped_scenario_path(name: str) -> Path | None:
    """Path of a shipped scenario by name (None when there is none): the name must be
    one of :func:`shipped_scenarios`, so ``../x`` or ``/etc/x`` never reach the disk."""
    if not SHIPPED_NAME.fullmatch(name):
        return None
    return _shipped("scenarios").get(name)


def shipped_sweep_path(name: str) -> Path | None:
    """Path of a shipped sweep by name (None when there is none), as for scenarios."""
    if not SHIPPED_NAME.fullmatch(name):
        return None
    return _shipped("sweeps").get(name)
