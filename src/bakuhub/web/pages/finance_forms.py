"""The inputs of the budget, transaction and exchange-rate forms, what they send, and
their errors in plain words, each beside its input (no router: ``pages.finance`` has
the routes).

A form is read whole and validated with the same schema as the API (``BudgetIn``,
``TransactionIn``, ``RateIn``), so every mistake comes back at once; what was typed
is kept. A provider or receiver is a party of the record (a list) or another
organisation (its name); the IATI details a transaction was imported with are kept
while its organisation is left as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from bakuhub.errors import BakuhubError, InvalidInput, validated
from bakuhub.i18n import N_, _
from bakuhub.results.codes import BudgetKind, BudgetStatus, TransactionKind
from bakuhub.results.schemas import BudgetIn, RateIn, TransactionIn

FORM = "_form"
"""Where an error that belongs to no one input goes (the top of the form)."""
CURRENCIES = ("USD", "EUR", "XAF", "XOF", "AZN", "GBP", "CHF", "JPY", "CNY", "SAR", "AED", "TRY")
"""Suggested currencies (any ISO 4217 code may be typed)."""
SIDES = ("provider", "receiver")


@dataclass
class Input:
    """One input of a finance form, as the template draws it."""

    name: str
    label: str
    kind: str = "text"
    help: str = ""
    required: bool = False
    options: list[tuple[str, str]] = field(default_factory=list)
    suggestions: tuple[str, ...] = ()
    value: str = ""
    error: str = ""
    mode: str = ""


AMOUNT_HELP = N_(
    "Digits with a dot for decimals, e.g. 250000 or 1250.50 (no thousands separators)."
)
CURRENCY_HELP = N_("ISO 4217 code, e.g. USD, EUR, XAF.")
BUDGET_KINDS = {BudgetKind.original.value: N_("Original"), BudgetKind.revised.value: N_("Revised")}
"""A budget's type as people read it (translate where shown)."""
BUDGET_STATUSES = {
    BudgetStatus.indicative.value: N_("Indicative (planned)"),
    BudgetStatus.committed.value: N_("Committed (agreed)"),
}
"""A budget's status as people read it (translate where shown)."""
TRANSACTION_KINDS = {
    TransactionKind.incoming_funds.value: N_("Incoming funds"),
    TransactionKind.commitment.value: N_("Commitment"),
    TransactionKind.disbursement.value: N_("Disbursement"),
    TransactionKind.expenditure.value: N_("Expenditure"),
}
"""A transaction's type as people read it (translate where shown)."""


def names() -> dict[str, dict[str, str]]:
    """The budget types and statuses and the transaction types in the reader's language
    (codes unknown here are shown as they are: ``names()[...].get(code, code)``)."""
    return {
        "budget_kinds": {k: _(v) for k, v in BUDGET_KINDS.items()},
        "budget_statuses": {k: _(v) for k, v in BUDGET_STATUSES.items()},
        "transaction_kinds": {k: _(v) for k, v in TRANSACTION_KINDS.items()},
    }


def _currency(label: str = N_("Currency"), name: str = "currency") -> Input:
    return Input(name, label, help=CURRENCY_HELP, required=True, suggestions=CURRENCIES)


BUDGET = (
    Input(
        "kind",
        N_("Type"),
        "select",
        options=list(BUDGET_KINDS.items()),
    ),
    Input(
        "status",
        N_("Status"),
        "select",
        options=list(BUDGET_STATUSES.items()),
    ),
    Input("period_start", N_("Period start"), "date", required=True),
    Input(
        "period_end",
        N_("Period end"),
        "date",
        N_("At most one year after the start (IATI); enter a longer budget year by year."),
        required=True,
    ),
    Input("value", N_("Amount"), help=AMOUNT_HELP, required=True, mode="decimal"),
    _currency(),
    Input(
        "value_date",
        N_("Exchange-rate date"),
        "date",
        N_("The day whose exchange rate converts this amount; empty: the period start."),
    ),
)
TRANSACTION = (
    Input(
        "kind",
        N_("Type"),
        "select",
        required=True,
        options=list(TRANSACTION_KINDS.items()),
    ),
    Input("date", N_("Date"), "date", required=True),
    Input(
        "value",
        N_("Amount"),
        help=N_(
            "Digits with a dot for decimals, e.g. 250000 or 1250.50 (no thousands "
            "separators). A negative amount records a correction."
        ),
        required=True,
        mode="decimal",
    ),
    _currency(),
    Input(
        "value_date",
        N_("Exchange-rate date"),
        "date",
        N_("The day whose exchange rate converts this amount; empty: the transaction date."),
    ),
    Input("provider_party", N_("Provider (a party of the record)"), "select"),
    Input(
        "provider_name",
        N_("Provider (another organisation)"),
        help=N_("Its name, only when the provider is not in the list above."),
    ),
    Input("receiver_party", N_("Receiver (a party of the record)"), "select"),
    Input(
        "receiver_name",
        N_("Receiver (another organisation)"),
        help=N_("Its name, only when the receiver is not in the list above."),
    ),
    Input("description", N_("Description"), "textarea"),
    Input(
        "ref",
        N_("Reference"),
        help=N_("Your own reference, e.g. a payment order number (optional)."),
    ),
)
RATE = (
    _currency(N_("From currency")),
    _currency(N_("To currency"), "quote"),
    Input(
        "rate",
        N_("Rate"),
        help=N_(
            "How many units of the 'to' currency one unit of the 'from' currency is worth, "
            "e.g. 1.08."
        ),
        required=True,
        mode="decimal",
    ),
    Input(
        "valid_on",
        N_("Valid from"),
        "date",
        N_("The rate converts amounts dated from this day until the next rate of the pair."),
        required=True,
    ),
    Input(
        "source",
        N_("Source"),
        help=N_("Where the rate comes from: a link or a citation, e.g. the ECB reference rate."),
        required=True,
    ),
)
SPECS: dict[str, tuple[tuple[Input, ...], type[BaseModel]]] = {
    "budgets": (BUDGET, BudgetIn),
    "transactions": (TRANSACTION, TransactionIn),
    "exchange-rates": (RATE, RateIn),
}
WHOLE_RECORD = {
    "ends before it starts": "period_end",
    "at most one year": "period_end",
    "two different currencies": "quote",
}
"""Errors about the record as a whole, shown beside the input they concern."""


def inputs(
    kind: str,
    values: dict[str, str],
    errors: dict[str, str],
    parties: list[tuple[str, str]] | None = None,
) -> list[Input]:
    """The inputs of a form with the values to show and the errors beside them, in the
    reader's language (the parties' names as recorded)."""
    out = []
    for spec in SPECS[kind][0]:
        one = Input(**{**spec.__dict__, "options": [(v, _(t)) for v, t in spec.options]})
        one.label = _(spec.label)
        one.help = _(spec.help) if spec.help else ""
        if one.name.endswith("_party"):
            one.options = list(parties or [])
        one.value = values.get(one.name, "")
        one.error = errors.get(one.name, "")
        out.append(one)
    return out


def stored_values(kind: str, record: dict[str, Any]) -> dict[str, str]:
    """A stored record as the form's values."""
    values = {
        s.name: "" if record.get(s.name) is None else str(record[s.name]) for s in SPECS[kind][0]
    }
    for side in SIDES if kind == "transactions" else ():
        org = record.get(side) or {}
        values[f"{side}_party"] = org.get("party") or ""
        values[f"{side}_name"] = "" if org.get("party") else org.get("name") or ""
    return values


def _org(values: dict[str, str], side: str, stored: dict[str, Any] | None) -> Any:
    """The provider or receiver the form names (the stored one kept whole when unchanged)."""
    party, name = values[f"{side}_party"], values[f"{side}_name"]
    before = (stored or {}).get(side)
    if before and (before.get("party") or "") == party and (party or before.get("name") == name):
        return before
    if party:
        return {"party": party}
    return {"name": name} if name else None


def decode(
    kind: str, form: Any, stored: dict[str, Any] | None = None
) -> tuple[BaseModel | None, dict[str, str], dict[str, str]]:
    """(the validated payload, or None; the values typed; the errors per input)."""
    specs, schema = SPECS[kind]
    values = {s.name: _text(form, s.name) for s in specs}
    for name in ("value", "rate"):
        if name in values:
            values[name] = re.sub(r"[\s_]", "", values[name])
    body: dict[str, Any] = {k: v for k, v in values.items() if v != ""}
    if kind == "transactions":
        for side in SIDES:
            body.pop(f"{side}_party", None)
            body.pop(f"{side}_name", None)
            body[side] = _org(values, side, stored)
    try:
        return validated(schema, body), values, {}
    except InvalidInput as exc:
        return None, values, field_errors(kind, exc)


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def field_errors(kind: str, exc: InvalidInput) -> dict[str, str]:
    """Each error of a refused record beside its input, in plain words."""
    specs = {s.name: s for s in SPECS[kind][0]}
    errors: dict[str, str] = {}
    for detail in exc.details or [{"loc": [], "msg": exc.message}]:
        loc = [str(p) for p in detail.get("loc") or []]
        msg = str(detail.get("msg", ""))
        name = loc[0] if loc else ""
        if name in SIDES:
            name = f"{name}_party"
        if name not in specs:
            name = next((n for key, n in WHOLE_RECORD.items() if key in msg), FORM)
        label = _(specs[name].label) if name in specs else ""
        errors.setdefault(name, plain(msg, label))
    return errors


def errors_of(kind: str, exc: BakuhubError) -> dict[str, str]:
    """A refusal of a service as errors beside the inputs (401 and 403 are raised on)."""
    if exc.status_code in (401, 403):
        raise exc
    if isinstance(exc, InvalidInput) or exc.details:
        return field_errors(kind, InvalidInput(exc.message, details=exc.details))
    return {FORM: exc.message}


def plain(msg: str, label: str) -> str:
    """Pydantic's terse message as a sentence that says what to do (``label``: the
    input's label in the reader's language)."""
    what = label.lower()
    required = (
        _("Enter the {field}; it is required.").format(field=what)
        if what
        else _("Enter this; it is required.")
    )
    rules: list[tuple[str, str]] = [
        (r"^Field required", required),
        (
            r"valid date|date format|date from",
            _("Enter a date as year-month-day, e.g. 2025-03-31."),
        ),
        (
            r"valid decimal|valid number|finite number",
            _("Enter a number: digits, with a dot for decimals, e.g. 1250.50."),
        ),
        (
            r"no more than (?P<digits>\d+) decimal places",
            _("Use at most {digits} digits after the decimal dot."),
        ),
        (r"no more than (\d+) digits", _("This number is too large.")),
        (r"greater than or equal to 0", _("Enter zero or more; a budget cannot be negative.")),
        (r"greater than 0", _("Enter a number above zero.")),
        (
            r"at most (?P<limit>\d+) characters",
            _("Shorten this to at most {limit} characters."),
        ),
        (r"at least 1 character", required),
        (r"^Input should be '", _("Choose one of the options in the list.")),
        (
            r"^unknown party '(?P<party>[^']*)'",
            _("There is no party '{party}'; choose one from the list."),
        ),
    ]
    for pattern, text in rules:
        found = re.search(pattern, msg)
        if found:
            return text.format(**found.groupdict())
    text = msg.removeprefix("Value error, ").strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else f"{text}."
