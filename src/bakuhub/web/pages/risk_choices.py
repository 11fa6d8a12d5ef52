"""The "Index construction" choices of the risk page: normalisation, outlier
treatment, imputation and aggregation, read from the address (GET: anyone may pick
them, nothing is stored) with a sentence beside a field whose value is not a choice.

An empty field keeps the preset's own choice; the select shows what that is (e.g.
"The index's own (min-max)"), read from the preset's specification.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from bakuhub.i18n import N_, _
from bakuhub.risk.service import Choices
from bakuhub.risk.spec import AGGREGATIONS, IMPUTATIONS, NORMALISATIONS, OUTLIERS


@dataclass(frozen=True)
class Field:
    """One construction choice: its address key, its label and its options' words."""

    key: str
    label: str
    options: tuple[tuple[str, str], ...]
    help: str


WORDS = {
    "minmax": N_("min-max (on the goalposts)"),
    "zscore": N_("z-score (mean ± 3 SD to 0-10)"),
    "rank": N_("rank (percentile)"),
    "target": N_("distance to target"),
    "none": N_("none"),
    "clip": N_("clip to the goalposts"),
    "winsor": N_("Winsorise (2.5 % each end)"),
    "skew_kurt": N_("Winsorise or log by skew and kurtosis"),
    "group_mean": N_("group mean"),
    "regression": N_("regression"),
    "em": N_("EM"),
    "arithmetic": N_("arithmetic mean"),
    "geometric": N_("geometric mean"),
}

FIELDS: tuple[Field, ...] = (
    Field(
        "normalisation",
        N_("Normalisation"),
        tuple((v, WORDS[v]) for v in NORMALISATIONS),
        N_("How each indicator becomes a 0-10 score."),
    ),
    Field(
        "outlier",
        N_("Outlier treatment"),
        tuple((v, WORDS[v]) for v in OUTLIERS),
        N_("Applied to every indicator before it is normalised."),
    ),
    Field(
        "imputation",
        N_("Imputation"),
        tuple((v, WORDS[v]) for v in IMPUTATIONS),
        N_("How missing values are filled; imputed values are flagged in a country's profile."),
    ),
    Field(
        "aggregation",
        N_("Aggregation of the pillars"),
        tuple((v, WORDS[v]) for v in AGGREGATIONS),
        N_("How the pillars combine into the index."),
    ),
)
KEYS = tuple(f.key for f in FIELDS)
LOWER = {
    "normalisation": N_("normalisation"),
    "outlier": N_("outlier treatment"),
    "imputation": N_("imputation"),
    "aggregation": N_("aggregation of the pillars"),
}
"""Each choice's name inside a sentence (:func:`describe`)."""


def own_choices(preset: str) -> dict[str, str]:
    """The preset's own value of each choice in words ("mixed" when its indicators
    differ, e.g. the Hub index clips some and Winsorises others)."""
    from bakuhub.risk.presets import get_preset

    model = get_preset(preset, None)

    def one(values: set[str]) -> str:
        return _(WORDS[values.pop()]) if len(values) == 1 else _("mixed, per indicator")

    return {
        "normalisation": one({t.normalisation for t in model.treatments}),
        "outlier": one({t.outlier for t in model.treatments}),
        "imputation": _(WORDS[model.imputation]),
        "aggregation": _(WORDS[model.root.aggregation]),
    }


def _error(field: Field, text: str) -> str:
    allowed = ", ".join(_(words) for _value, words in field.options)
    return _(
        "{choice}: '{text}' is not one of the choices; pick one of {allowed}, or the index's own."
    ).format(choice=_(field.label), text=text[:40], allowed=allowed)


def read_choices(
    params: Mapping[str, str], preset: str
) -> tuple[list[dict[str, Any]], Choices, list[str]]:
    """The choice fields (what was picked and any error beside each), the choices to
    use (those picked when all are right, else the preset's own) and the errors."""
    own = own_choices(preset)
    rows: list[dict[str, Any]] = []
    picked: dict[str, str] = {}
    for field in FIELDS:
        text = (params.get(field.key) or "").strip()
        allowed = {value for value, _words in field.options}
        error = _error(field, text) if text and text not in allowed else None
        if text and error is None:
            picked[field.key] = text
        rows.append(
            {
                "key": field.key,
                "label": _(field.label),
                "options": tuple((value, _(words)) for value, words in field.options),
                "help": _(field.help),
                "own": own[field.key],
                "value": text if error is None else "",
                "error": error,
            }
        )
    errors = [r["error"] for r in rows if r["error"]]
    if errors:
        return rows, Choices(), errors
    return rows, Choices(**cast(dict[str, Any], picked)), []


def describe(choices: Choices) -> str:
    """The choices made, in words ('' when none): for captions and profiles."""
    return ", ".join(
        _("{choice} {option}").format(choice=_(LOWER[k]), option=_(WORDS[v]))
        for k, v in choices.given().items()
    )
