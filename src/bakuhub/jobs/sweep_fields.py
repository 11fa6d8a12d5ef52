"""The scenario fields a sweep sent to the server may vary: an allow-list derived from
the :class:`~bakuhub.corridor.scenario.Scenario` model, never a free path.

Numbers (``co2.price_eur_t``, ``costs.wacc``, ``economics.horizon_years``...) take a
list of values or a range to sample; choices with more than one value
(``costs.cable_cost``, ``year``, ``europe.mode``) take a list of values. The
solver's settings, the weather source, names and node lists are not swept. Per base
scenario the list adds the capacity bounds of the dataset's candidate links
(``links.CASPIAN.max_mw``) and the renewable targets the scenario sets
(``renewable_targets.AZ``).
"""

from __future__ import annotations

import csv
import io
import types
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from bakuhub.i18n import _

if TYPE_CHECKING:
    from bakuhub.corridor.scenario import Scenario

Kind = Literal["number", "integer", "choice"]
NOT_SWEPT = frozenset(
    {
        "name",
        "description",
        "nodes",
        "demand_nodes_excluded",
        "links",
        "build",
        "renewable_targets",
        "weather",
        "resolution",
        "solver",
        "real_year_check",
        "refine_solves",
        "peak_rounds",
        "molecules",
    }
)
"""Scenario fields outside the allow-list (links and targets are added per base)."""


@dataclass(frozen=True)
class SweepField:
    """One field a sweep may vary: its dotted path, what it takes, and its limits."""

    path: str
    label: str
    kind: Kind
    low: float | None = None
    high: float | None = None
    choices: tuple[str | int, ...] = ()

    @property
    def limits(self) -> str:
        """The values allowed, in words (``0 to 100000``, ``one of low, mid``), in the
        reader's language."""
        if self.kind == "choice":
            return _("one of {choices}").format(choices=", ".join(str(c) for c in self.choices))
        low = "" if self.low is None else f"{self.low:g}"
        high = "" if self.high is None else f"{self.high:g}"
        if low and high:
            return _("{low} to {high}").format(low=low, high=high)
        return _("from {low}").format(low=low) if low else _("to {high}").format(high=high)


def _optional(annotation: Any) -> Any:
    """``X`` of ``X | None``; the annotation itself otherwise."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _bounds(info: FieldInfo) -> tuple[float | None, float | None]:
    low = high = None
    for item in info.metadata:
        if isinstance(item, annotated_types.Ge | annotated_types.Gt):
            low = float(item.ge if isinstance(item, annotated_types.Ge) else item.gt)  # type: ignore[arg-type]
        if isinstance(item, annotated_types.Le | annotated_types.Lt):
            high = float(item.le if isinstance(item, annotated_types.Le) else item.lt)  # type: ignore[arg-type]
    return low, high


def _field(path: str, info: FieldInfo) -> SweepField | None:
    """The sweep field of one model field, or None when it is not a number or a choice."""
    annotation = _optional(info.annotation)
    label = info.description or path
    if annotation is float or annotation is int:
        low, high = _bounds(info)
        kind: Kind = "integer" if annotation is int else "number"
        return SweepField(path, label, kind, low, high)
    if get_origin(annotation) is Literal and len(get_args(annotation)) > 1:
        return SweepField(path, label, "choice", choices=tuple(get_args(annotation)))
    return None


@cache
def model_fields() -> tuple[SweepField, ...]:
    """The allow-list of the Scenario model's own fields (one level of groups)."""
    from bakuhub.corridor.scenario import Scenario

    found = []
    for name, info in Scenario.model_fields.items():
        if name in NOT_SWEPT:
            continue
        group = info.annotation
        if isinstance(group, type) and issubclass(group, BaseModel):
            children = [_field(f"{name}.{k}", v) for k, v in group.model_fields.items()]
            found += [c for c in children if c is not None]
        elif (own := _field(name, info)) is not None:
            found.append(own)
    return tuple(found)


@cache
def candidate_links() -> tuple[str, ...]:
    """The dataset's candidate links (``status`` candidate in ``links.csv``)."""
    from importlib.resources import files

    text = (files("bakuhub") / "datasets" / "corridor" / "links.csv").read_text(encoding="utf-8")
    return tuple(r["link"] for r in csv.DictReader(io.StringIO(text)) if r["status"] == "candidate")


def sweep_fields(base: Scenario) -> dict[str, SweepField]:
    """Every field a sweep of ``base`` may vary, by dotted path."""
    from bakuhub.corridor.scenario import CableOption

    fields = {f.path: f for f in model_fields()}
    cable = CableOption.model_fields
    for link in dict.fromkeys((*candidate_links(), *base.links)):
        for key in ("min_mw", "max_mw"):
            low, high = _bounds(cable[key])
            path = f"links.{link}.{key}"
            fields[path] = SweepField(
                path, f"{link}: capacity {key[:3]}imum, MW", "number", low, high
            )
    for country in base.renewable_targets:
        path = f"renewable_targets.{country}"
        fields[path] = SweepField(path, f"{country}: renewable share, 0-1", "number", 0.0, 1.0)
    return fields
