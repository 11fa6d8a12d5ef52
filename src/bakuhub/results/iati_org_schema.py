"""Validate IATI organisation files against the official 2.03 organisations schema,
offline: the copy shipped in ``datasets/iati`` (or ``BAKUHUB_IATI_SCHEMA_DIR``, or the
folder given), loaded by ``bakuhub.iati.schema``. Whatever the root element, the file
is checked as an organisations file, so an activities file given by mistake is named
as wrong rather than checked against the other schema."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from bakuhub.errors import InvalidInput
from bakuhub.iati.schema import default_schema_dir, load_schema

KIND = "iati-organisations"


def org_schema_errors(xml: bytes, schema_dir: Path | None = None) -> list[str]:
    """Every way ``xml`` breaks the 2.03 organisations schema (empty when it validates)."""
    schema = load_schema((schema_dir or default_schema_dir()).resolve(), KIND)
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        return [f"not well-formed XML: {exc}"]
    return [f"{e.path}: {e.reason}" for e in schema.iter_errors(root)]


def check_org_valid(xml: bytes, schema_dir: Path | None = None) -> None:
    """Raise InvalidInput listing the organisations-schema errors of ``xml``, if any."""
    errors = org_schema_errors(xml, schema_dir)
    if errors:
        shown = "; ".join(errors[:10])
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        raise InvalidInput(
            f"The IATI organisation file does not validate against the 2.03 schema: {shown}{more}.",
            details=[{"loc": ["xml"], "msg": e} for e in errors],
        )
