"""Reading bulk-import files: CSV (UTF-8, comma, semicolon or tab) or Excel (.xlsx).

Bounded before anything is parsed: the file's size (``MAX_BYTES``), an Excel file's
unzipped size (``MAX_UNZIPPED``), rows (``MAX_ROWS``) and columns (``MAX_COLUMNS``).
An Excel file is read with openpyxl in read-only mode, first sheet only, formulas
never evaluated: a cell holding a formula is refused (paste its value). Rows are
numbered as a spreadsheet shows them (the header is row 1); blank rows and rows whose
first cell starts with ``#`` (the templates' help and example) are skipped.

A read file is a :class:`Table`; ``pack``/``unpack`` carry it from the preview page
to the commit form (compressed, bounded), so what is committed is what was previewed.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from bakuhub.errors import InvalidInput
from bakuhub.i18n import _, number
from bakuhub.registry.csvio import restore
from bakuhub.results.bulk_templates import COMMENT, check_kind, kind_name

MAX_BYTES = 5_000_000
"""The largest file accepted (5 MB: about 40,000 transaction rows of CSV)."""
MAX_UNZIPPED = 60_000_000
"""The largest unzipped size of an Excel file (a zip bomb is refused before opening)."""
MAX_ROWS = 20_000
"""The most data rows of one file."""
MAX_COLUMNS = 40
MAX_PACKED = 900_000
"""The largest packed table a commit form carries (under the 1 MB of a form field)."""


@dataclass(frozen=True)
class Table:
    """The rows of one file: (row number, {column: text}) with empty cells left out."""

    kind: str
    rows: tuple[tuple[int, dict[str, str]], ...]

    def canonical(self) -> bytes:
        """The table as stable bytes (for the preview's digest)."""
        body = [self.kind, [[n, sorted(cells.items())] for n, cells in self.rows]]
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def read_table(kind: str, filename: str, content: bytes) -> Table:
    """The table of an uploaded CSV or XLSX file of ``kind`` (InvalidInput when unreadable)."""
    check_kind(kind)
    if len(content) > MAX_BYTES:
        raise InvalidInput(
            _(
                "The file '{filename}' is over the limit of {limit} MB; "
                "split it into several files."
            ).format(filename=filename, limit=MAX_BYTES // 1_000_000)
        )
    if not content.strip():
        raise InvalidInput(
            _("The file '{filename}' is empty; fill in a template and upload it.").format(
                filename=filename
            )
        )
    if content[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        lines = _xlsx_rows(filename, content)
    else:
        lines = _csv_rows(filename, content)
    return _table(kind, filename, lines)


def _table(kind: str, filename: str, lines: Iterable[tuple[int, list[str]]]) -> Table:
    allowed = [c.name for c in check_kind(kind)]
    found = iter(lines)
    header: list[str] = []
    for _number, cells in found:
        if any(cells):
            header = [c.strip().lower() for c in cells]
            break
    while header and header[-1] == "":
        header.pop()
    _check_header(kind, filename, header, allowed)
    rows: list[tuple[int, dict[str, str]]] = []
    for line, cells in found:
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith(COMMENT):
            continue
        if len(rows) >= MAX_ROWS:
            raise InvalidInput(
                _(
                    "The file '{filename}' has more than {limit} rows; split it into several files."
                ).format(filename=filename, limit=number(MAX_ROWS))
            )
        extra = [c for c in cells[len(header) :] if c.strip()]
        if extra:
            raise InvalidInput(
                _(
                    "Row {row} of '{filename}' has more cells than the header "
                    "({columns} columns); remove the extra cells or quote cells that "
                    "contain the separator."
                ).format(row=line, filename=filename, columns=len(header))
            )
        row = {h: c.strip() for h, c in zip(header, cells, strict=False) if h and c.strip()}
        rows.append((line, row))
    return Table(kind, tuple(rows))


def _check_header(kind: str, filename: str, header: list[str], allowed: list[str]) -> None:
    if not header:
        raise InvalidInput(
            _("The file '{filename}' has no header row; start from the {kind} template.").format(
                filename=filename, kind=kind_name(kind)
            )
        )
    unknown = [h or _("(empty)") for h in header if h not in allowed]
    twice = sorted({h for h in header if h and header.count(h) > 1})
    if unknown:
        raise InvalidInput(
            _(
                "The file '{filename}' has columns that {kind} do not have: {unknown}. "
                "The columns are {allowed} (download the {kind} template)."
            ).format(
                filename=filename,
                kind=kind_name(kind),
                unknown=", ".join(unknown),
                allowed=", ".join(allowed),
            ),
            details=[{"row": 1, "column": h, "msg": _("unknown column")} for h in unknown],
        )
    if twice:
        raise InvalidInput(
            _("The file '{filename}' names the column(s) {columns} twice; keep one.").format(
                filename=filename, columns=", ".join(twice)
            )
        )


def _csv_rows(filename: str, content: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            _(
                "The file '{filename}' is neither UTF-8 text nor an Excel .xlsx workbook; save "
                "it as 'CSV UTF-8' or as an Excel workbook and upload it again."
            ).format(filename=filename)
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for line, cells in enumerate(reader, start=1):
            if len(cells) > MAX_COLUMNS * 4:
                raise InvalidInput(
                    _("Row {row} of '{filename}' has too many cells.").format(
                        row=line, filename=filename
                    )
                )
            yield line, [restore(c) for c in cells]
    except csv.Error as exc:
        raise InvalidInput(
            _("The file '{filename}' is not a readable CSV ({reason}); check its quotes.").format(
                filename=filename, reason=exc
            )
        ) from None


def _xlsx_rows(filename: str, content: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    not_excel = InvalidInput(
        _(
            "The file '{filename}' is not an Excel .xlsx workbook that can be read; save it "
            "again as .xlsx (or as CSV UTF-8) and upload it."
        ).format(filename=filename)
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unzipped = sum(i.file_size for i in archive.infolist())
    except zipfile.BadZipFile:
        raise not_excel from None
    if unzipped > MAX_UNZIPPED:
        raise InvalidInput(
            _(
                "The workbook '{filename}' unpacks to over {limit} MB; "
                "keep only the data sheet, or split it."
            ).format(filename=filename, limit=MAX_UNZIPPED // 1_000_000)
        )
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise not_excel from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        for line, values in enumerate(rows, start=1):
            if line > MAX_ROWS + 100:
                raise InvalidInput(
                    _("The file '{filename}' has more than {limit} rows; split it.").format(
                        filename=filename, limit=number(MAX_ROWS)
                    )
                )
            yield line, [_cell(filename, line, v) for v in values]
    finally:
        book.close()


def _cell(filename: str, line: int, value: Any) -> str:
    """The text of an Excel cell (dates as YYYY-MM-DD, numbers without float noise)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    text = str(value)
    if text.startswith("="):
        raise InvalidInput(
            _(
                "Row {row} of '{filename}' holds a formula ({formula}); bulk import reads "
                "values only: copy the cells and paste them as values, then upload again."
            ).format(row=line, filename=filename, formula=text[:40]),
            details=[{"row": line, "column": "(formula)", "msg": _("a formula")}],
        )
    return text


def pack(table: Table) -> str:
    """The table as compact text for a hidden form field (zlib + base64)."""
    packed = base64.urlsafe_b64encode(zlib.compress(table.canonical(), 6)).decode()
    if len(packed) > MAX_PACKED:
        raise InvalidInput(
            _(
                "The file is too large to preview and commit from the page; split it into "
                "smaller files (or use the API)."
            )
        )
    return packed


def unpack(kind: str, packed: str) -> Table:
    """The table ``pack`` wrote (InvalidInput when damaged, too large or of another kind)."""
    damaged = InvalidInput(_("The previewed file did not come back intact; upload it again."))
    try:
        raw = base64.urlsafe_b64decode(packed.encode("ascii"))
        inflate = zlib.decompressobj()
        text = inflate.decompress(raw, MAX_BYTES * 4)
        if inflate.unconsumed_tail:
            raise damaged
        body = json.loads(text)
        found, rows = body
        table = Table(
            str(found),
            tuple((int(n), {str(k): str(v) for k, v in cells}) for n, cells in rows),
        )
    except (ValueError, TypeError, zlib.error):
        raise damaged from None
    if table.kind != kind or len(table.rows) > MAX_ROWS:
        raise damaged
    return table
