"""The inputs of the results forms (result, indicator, period with its disaggregation
rows), read back from a posted form, and errors put beside the input they concern, in
plain words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bakuhub.i18n import N_, _
from bakuhub.results.codes import Dimension, Measure, ResultKind, Side
from bakuhub.web.pages.common import form_text

MEASURES = {
    Measure.unit.value: N_("Count (people, households, MW...)"),
    Measure.percentage.value: N_("Percentage"),
    Measure.nominal.value: N_("Named categories (nominal)"),
    Measure.ordinal.value: N_("Ranked levels (ordinal)"),
    Measure.qualitative.value: N_("Qualitative (described in words)"),
}
"""Each measure's name (English: translate it where shown, see :func:`measures`)."""
LEVELS = {
    ResultKind.output.value: N_("Output"),
    ResultKind.outcome.value: N_("Outcome"),
    ResultKind.impact.value: N_("Impact"),
}


def measures() -> dict[str, str]:
    """Each measure's name in the reader's language."""
    return {k: _(v) for k, v in MEASURES.items()}


def translated(choices: list[tuple[str, str]] | dict[str, str]) -> list[tuple[str, str]]:
    """``(value, text)`` choices with each text in the reader's language."""
    items = choices.items() if isinstance(choices, dict) else choices
    return [(value, _(text)) for value, text in items]


EMPTY_ROWS = 2
"""Blank disaggregation rows a period form offers (results.js adds more)."""
MAX_ROWS = 60


@dataclass
class Input:
    """One input of a results form."""

    name: str
    label: str
    kind: str = "text"
    value: Any = ""
    help: str = ""
    error: str = ""
    required: bool = False
    options: list[tuple[str, str]] = field(default_factory=list)


def result_inputs(values: dict[str, Any], errors: dict[str, str]) -> list[Input]:
    """Level, title and description of a result."""
    return _filled(
        [
            Input("kind", _("Level"), "select", options=translated(LEVELS), required=True),
            Input(
                "title",
                _("Result"),
                required=True,
                help=_("what the project changes, e.g. 'Villages have safe water'"),
            ),
            Input("description", _("Description"), "textarea"),
        ],
        values,
        errors,
    )


def indicator_inputs(
    values: dict[str, Any], errors: dict[str, str], *, title_name: str = "title"
) -> list[Input]:
    """An indicator's inputs: what it measures, how, and its baseline."""
    return _filled(
        [
            Input(title_name, _("Indicator"), required=True, help=_("what is counted or observed")),
            Input(
                "code",
                _("Code"),
                help=_("the same code on several projects rolls them up, e.g. HH-WATER"),
            ),
            Input("measure", _("Measure"), "select", options=translated(MEASURES)),
            Input("unit", _("Unit"), help=_("e.g. households, MW, %")),
            Input(
                "direction",
                _("Better when the value is"),
                "select",
                options=[("higher", _("higher")), ("lower", _("lower"))],
            ),
            Input("baseline_year", _("Baseline year"), "number", help=_("e.g. 2024")),
            Input(
                "baseline_value",
                _("Baseline value"),
                "number",
                help=_("the value before the project"),
            ),
            Input("baseline_comment", _("Baseline note"), "textarea"),
            Input("include_in_rollup", _("Count it in roll-ups to the agreement"), "checkbox"),
            Input("description", _("Description"), "textarea") if title_name == "title" else None,
        ],
        values,
        errors,
    )


def period_inputs(values: dict[str, Any], errors: dict[str, str], measure: str) -> list[Input]:
    """A period's dates, target and actual (in words for a qualitative indicator)."""
    words = measure == Measure.qualitative.value
    numbers: list[Input | None] = [
        None if words else Input("target", _("Target"), "number"),
        None
        if words
        else Input("actual", _("Actual"), "number", help=_("leave empty until known")),
    ]
    return _filled(
        [
            Input("start", _("Period start"), "date", required=True),
            Input("end", _("Period end"), "date", required=True),
            *numbers,
            Input(
                "target_comment", _("Target in words") if words else _("Target note"), "textarea"
            ),
            Input(
                "actual_comment", _("What was achieved") if words else _("Actual note"), "textarea"
            ),
            Input(
                "evidence_url",
                _("Evidence link"),
                "url",
                help=_("a web address, e.g. https://example.org/report.pdf"),
            ),
            None
            if measure != Measure.percentage.value
            else Input(
                "weight",
                _("Weight in roll-ups"),
                "number",
                help=_("e.g. the number of people the percentage is of"),
            ),
        ],
        values,
        errors,
    )


def _filled(
    inputs: list[Input | None], values: dict[str, Any], errors: dict[str, str]
) -> list[Input]:
    out = []
    for item in inputs:
        if item is None:
            continue
        item.value = values.get(item.name, "")
        item.error = errors.get(item.name, "")
        out.append(item)
    return out


@dataclass
class Row:
    """One disaggregation row of a period form."""

    index: int
    side: str = ""
    dimension: str = ""
    category: str = ""
    value: str = ""
    error: str = ""


SIDE_NAMES = {Side.target.value: N_("Target"), Side.actual.value: N_("Actual")}
DIMENSION_NAMES = {
    Dimension.sex.value: N_("Sex"),
    Dimension.age.value: N_("Age"),
    Dimension.displacement.value: N_("Displacement"),
    Dimension.location.value: N_("Location"),
}
SIDES = [(s.value, SIDE_NAMES[s.value]) for s in Side]
"""The sides a row splits, with their English names (translate them where shown)."""
DIMENSIONS = [(d.value, DIMENSION_NAMES[d.value]) for d in Dimension]
"""The dimensions a row splits by, with their English names (translate them where shown)."""


def rows_of(items: list[dict[str, Any]], errors: dict[str, str]) -> list[Row]:
    """Rows for the stored or typed disaggregations, and a few blank ones."""
    rows = [
        Row(
            i,
            str(d.get("side", "")),
            str(d.get("dimension", "")),
            str(d.get("category", "")),
            _text(d.get("value")),
            errors.get(f"row-{i}", ""),
        )
        for i, d in enumerate(items)
    ]
    start = len(rows)
    rows.extend(Row(start + k) for k in range(EMPTY_ROWS))
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else repr(value)
    return str(value)


def typed_rows(form: Any) -> list[dict[str, str]]:
    """The disaggregation rows typed in a form (blank rows left out), in order."""
    rows = []
    for i in range(MAX_ROWS):
        row = {k: _get(form, f"d-{k}-{i}") for k in ("side", "dimension", "category", "value")}
        if any(row[k] for k in ("category", "value")):
            rows.append(row)
    return rows


def _get(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def stored_values(record: dict[str, Any]) -> dict[str, Any]:
    """A stored record (as the API reads it) as form values."""
    out: dict[str, Any] = {
        k: _text(v) for k, v in record.items() if not isinstance(v, (list, dict, bool))
    }
    if "ascending" in record:
        out["direction"] = "higher" if record["ascending"] else "lower"
    if "include_in_rollup" in record:
        out["include_in_rollup"] = bool(record["include_in_rollup"])
    return out


def number(text: str) -> str | None:
    """A typed number as the API takes it: None when empty, a comma read as the decimal mark."""
    text = text.replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if re.fullmatch(r"-?\d+,\d+", text):
        text = text.replace(",", ".")
    return text


# ---- reading a form into a payload ------------------------------------------------


def result_body(form: Any) -> dict[str, Any]:
    """A result's own fields from a form."""
    return {
        "kind": form_text(form, "kind") or "output",
        "title": form_text(form, "title"),
        "description": form_text(form, "description"),
    }


def indicator_body(form: Any, *, title_name: str = "title") -> dict[str, Any]:
    """An indicator's fields from a form (the add-result form calls its title 'indicator')."""
    full = form_text(form, "full") == "1"
    return {
        "title": form_text(form, title_name),
        "code": form_text(form, "code") or None,
        "description": form_text(form, "description") if title_name == "title" else "",
        "measure": form_text(form, "measure") or "unit",
        "unit": form_text(form, "unit"),
        "ascending": form_text(form, "direction") != "lower",
        "baseline_year": form_text(form, "baseline_year") or None,
        "baseline_value": number(form_text(form, "baseline_value")),
        "baseline_comment": form_text(form, "baseline_comment"),
        "include_in_rollup": form.get("include_in_rollup") is not None or not full,
    }


def period_body(form: Any) -> dict[str, Any]:
    """A period's fields and disaggregation rows from a form."""
    body: dict[str, Any] = {"start": form_text(form, "start"), "end": form_text(form, "end")}
    for name in ("target", "actual", "weight"):
        if name in form:
            body[name] = number(form_text(form, name))
    for name in ("target_comment", "actual_comment"):
        if name in form:
            body[name] = form_text(form, name)
    if "evidence_url" in form:
        body["evidence_url"] = form_text(form, "evidence_url") or None
    rows = typed_rows(form)
    body["disaggregations"] = [{**r, "value": number(r["value"])} for r in rows]
    return body


PLAIN = (
    ("valid number", N_("Enter a number, e.g. 150 or 12.5.")),
    ("finite number", N_("Enter a finite number, e.g. 150 (not NaN or infinity).")),
    ("valid integer", N_("Enter a whole number, e.g. 2024.")),
    ("valid date", N_("Enter a date as YYYY-MM-DD, e.g. 2025-12-31.")),
    ("Field required", N_("Fill this in.")),
    ("at least 1 character", N_("Fill this in.")),
    ("https?://", N_("Enter a web address that starts with http:// or https://.")),
    ("A-Za-z0-9", N_("Use letters, digits and . _ : - only, starting with a letter or digit.")),
    ("greater than 0", N_("Enter a number above 0.")),
    ("greater than or equal to 1900", N_("Enter a year from 1900 to 2200.")),
    ("less than or equal to 2200", N_("Enter a year from 1900 to 2200.")),
    ("1000000000000000", N_("Enter a number at most 10^15 in size.")),
    ("at most", N_("This is too long; shorten it.")),
    ("Input should be", N_("Choose one of the options offered.")),
)


def plain(message: str) -> str:
    """A validation message as a sentence that says what to do."""
    for marker, text in PLAIN:
        if marker in message:
            return _(text)
    text = message.removeprefix("Value error, ")
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def errors_by_input(
    details: list[dict[str, Any]], names: dict[str, str], fallback: str
) -> dict[str, str]:
    """Each error beside its input: the last field name of its location (renamed by
    ``names``), a disaggregation row as ``row-<n>``; the rest on ``fallback``."""
    errors: dict[str, str] = {}
    for d in details:
        loc = [p for p in d.get("loc", []) if p not in ("body",)]
        key = fallback
        if "disaggregations" in loc:
            at = loc.index("disaggregations")
            index = loc[at + 1] if len(loc) > at + 1 else None
            key = f"row-{index}" if isinstance(index, int) else "disaggregations"
        elif loc and isinstance(loc[-1], str):
            key = names.get(loc[-1], loc[-1])
        elif loc and "periods" in loc:
            key = "end"  # the period's own rule: it ends before it starts
        elif loc and "indicators" in loc:
            key = "baseline_year"
        errors.setdefault(key, plain(str(d.get("msg", ""))))
    return errors
