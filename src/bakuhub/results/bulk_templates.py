"""The columns of each bulk-import kind and the templates users download (CSV, XLSX).

A template has the header row, then a help row and an example row whose first cell
starts with ``#`` (rows starting with ``#`` are skipped on import, so a template
imports as it is). The XLSX template adds a ``codes`` sheet listing each coded
column's values. Code values come from ``results.codes`` (the public names of the
code lists), so a template never offers a value the import refuses.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from enum import StrEnum

from bakuhub.errors import NotFound
from bakuhub.i18n import N_, _
from bakuhub.results.codes import BudgetKind, BudgetStatus, Measure, ResultKind, TransactionKind

COMMENT = "#"
"""A row whose first cell starts with this is a comment (help, example): skipped."""
FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE = "YYYY-MM-DD"
NUMBER = "a number, dot for decimals, no thousands separator"
YES_NO = "yes or no"


@dataclass(frozen=True)
class Column:
    """One column of a template: its name, what goes in it, an example value."""

    name: str
    help: str
    example: str = ""
    codes: type[StrEnum] | None = None


def _codes(enum: type[StrEnum]) -> str:
    return ", ".join(k.value for k in enum)


def _org(side: str) -> tuple[Column, ...]:
    return (
        Column(f"{side}_party", f"{side}: ref of a party of the Hub's registry", ""),
        Column(f"{side}_ref", f"{side}: IATI organisation identifier", ""),
        Column(f"{side}_name", f"{side}: name (when not a registry party)", ""),
        Column(f"{side}_type", f"{side}: IATI OrganisationType code, e.g. 10 or 40", ""),
        Column(f"{side}_activity", f"{side}: IATI identifier of its activity", ""),
    )


TRANSACTIONS = (
    Column("ref", "your reference; a ref the project has updates that transaction", "TR-0001"),
    Column(
        "kind",
        f"required: {_codes(TransactionKind)}",
        TransactionKind.disbursement.value,
        TransactionKind,
    ),
    Column("date", f"required, {DATE}", "2025-03-15"),
    Column("value", f"required, {NUMBER}", "12500.50"),
    Column("currency", "required, ISO 4217 code such as USD, EUR, AZN", "USD"),
    Column("value_date", f"date of the exchange rate, {DATE}; empty: the date", ""),
    Column("description", "free text", "First tranche"),
    *_org("provider"),
    *_org("receiver"),
)
BUDGETS = (
    Column("kind", f"{_codes(BudgetKind)} (empty: original)", "original", BudgetKind),
    Column("status", f"{_codes(BudgetStatus)} (empty: indicative)", "committed", BudgetStatus),
    Column("period_start", f"required, {DATE}", "2025-01-01"),
    Column("period_end", f"required, {DATE}; at most one year after the start", "2025-12-31"),
    Column("value", f"required, {NUMBER}, not negative", "250000"),
    Column("currency", "required, ISO 4217 code such as USD, EUR, AZN", "USD"),
    Column("value_date", f"date of the exchange rate, {DATE}; empty: the start", ""),
)
RESULTS = (
    Column("title", "required; a title the project has updates that result", "Wells drilled"),
    Column("kind", f"required: {_codes(ResultKind)}", ResultKind.output.value, ResultKind),
    Column("description", "free text", ""),
)
INDICATORS = (
    Column("result", "required: title of a result of the project", "Wells drilled"),
    Column("title", "required; with the result, names the indicator to update", "Wells in use"),
    Column("code", "same code across projects: rolled up together", ""),
    Column("description", "free text", ""),
    Column("measure", f"{_codes(Measure)} (empty: unit)", Measure.unit.value, Measure),
    Column("unit", "unit of the values, e.g. wells", "wells"),
    Column("ascending", f"{YES_NO}: is a higher value better (empty: yes)", "yes"),
    Column("baseline_year", "year of the baseline, e.g. 2024", "2024"),
    Column("baseline_value", NUMBER, "0"),
    Column("baseline_comment", "free text", ""),
    Column("include_in_rollup", f"{YES_NO} (empty: yes)", "yes"),
)
PERIODS = (
    Column("result", "required: title of a result of the project", "Wells drilled"),
    Column("indicator", "required: title of an indicator of that result", "Wells in use"),
    Column("start", f"required, {DATE}; with the end, names the period to update", "2025-01-01"),
    Column("end", f"required, {DATE}", "2025-12-31"),
    Column("target", NUMBER, "40"),
    Column("actual", NUMBER, ""),
    Column("target_comment", "free text (the values of qualitative indicators)", ""),
    Column("actual_comment", "free text", ""),
    Column("evidence_url", "a link starting with http:// or https://", ""),
    Column("weight", f"{NUMBER}, more than 0: weight of a ratio in roll-ups", ""),
)
COLUMNS: dict[str, tuple[Column, ...]] = {
    "transactions": TRANSACTIONS,
    "budgets": BUDGETS,
    "results": RESULTS,
    "indicators": INDICATORS,
    "periods": PERIODS,
}
"""The kinds, in the order a framework is imported (a period names its indicator...)."""
KEYS = {
    "transactions": N_("ref (rows without a ref are always added)"),
    "budgets": N_("kind, period_start and period_end"),
    "results": N_("title"),
    "indicators": N_("result and title"),
    "periods": N_("result, indicator, start and end"),
}
"""What makes a row update a record the project already has (else it is added); in
English, translated where shown (``_(KEYS[kind])``)."""
KIND_NAMES = {
    "transactions": N_("transactions"),
    "budgets": N_("budgets"),
    "results": N_("results"),
    "indicators": N_("indicators"),
    "periods": N_("periods"),
}
"""Each kind as a person reads it (translated by ``kind_name``)."""


def kind_name(kind: str) -> str:
    """A kind as the reader's language names it (the kind itself when unknown)."""
    return _(KIND_NAMES[kind]) if kind in KIND_NAMES else kind


def check_kind(kind: str) -> tuple[Column, ...]:
    """The columns of ``kind``, or NotFound naming the kinds."""
    if kind not in COLUMNS:
        raise NotFound(
            _("There is no bulk-import kind '{kind}'; use {kinds}.").format(
                kind=kind, kinds=", ".join(COLUMNS)
            )
        )
    return COLUMNS[kind]


def template_rows(kind: str) -> list[list[str]]:
    """Header, help row and example row of a kind's template."""
    columns = check_kind(kind)
    header = [c.name for c in columns]
    helps = [c.help for c in columns]
    example = [c.example for c in columns]
    helps[0] = f"{COMMENT} {helps[0]} (rows starting with {COMMENT} are skipped)"
    example[0] = f"{COMMENT} example: {example[0]}"
    return [header, helps, example]


def template_csv(kind: str) -> str:
    """A kind's template as CSV text."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(template_rows(kind))
    return buffer.getvalue()


def template_xlsx(kind: str) -> bytes:
    """A kind's template as an Excel workbook: the data sheet, then a ``codes`` sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    rows = template_rows(kind)  # an unknown kind is refused before it names a sheet
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = kind
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in (*sheet[2], *sheet[3]):
        cell.font = Font(italic=True)
    for column in sheet.columns:
        cell = column[0]
        sheet.column_dimensions[cell.column_letter].width = max(12, len(str(cell.value)) + 2)
    sheet.freeze_panes = "A2"
    codes = book.create_sheet("codes")
    codes.append(["column", "allowed values"])
    for col in check_kind(kind):
        if col.codes is not None:
            codes.append([col.name, *(k.value for k in col.codes)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
