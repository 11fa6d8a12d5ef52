"""Validate IATI activities files against the official 2.03 schema, offline.

The schema itself lives in ``bakuhub.iati.schema`` (the pure IATI layer, shared with
the ruleset checks); this module keeps the results domain's entry points:
``schema_errors`` (readable strings) and ``check_valid`` (raise InvalidInput).
``BAKUHUB_IATI_SCHEMA_DIR`` or ``--schema`` point at another copy of the schemas.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from bakuhub.errors import InvalidInput
from bakuhub.iati.schema import SCHEMA_FILES, XML_NAMESPACE, default_schema_dir, iter_schema_errors
from bakuhub.iati.schema import load_schema as _load

__all__ = [
    "SCHEMA_FILE",
    "XML_NAMESPACE",
    "check_valid",
    "default_schema_dir",
    "load_schema",
    "schema_errors",
]

SCHEMA_FILE = SCHEMA_FILES["iati-activities"]


def load_schema(schema_dir: Path) -> Any:
    """The IATI 2.03 activities schema from ``schema_dir`` (cached per folder)."""
    return _load(schema_dir, "iati-activities")


def schema_errors(xml: bytes, schema_dir: Path | None = None) -> list[str]:
    """Every way ``xml`` breaks the 2.03 schema (empty when it validates)."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        return [f"not well-formed XML: {exc}"]
    return [f"{e.path}: {e.reason}" for e in iter_schema_errors(root, schema_dir)]


def check_valid(xml: bytes, schema_dir: Path | None = None) -> None:
    """Raise InvalidInput listing the schema errors of ``xml``, if any."""
    errors = schema_errors(xml, schema_dir)
    if errors:
        shown = "; ".join(errors[:10])
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        raise InvalidInput(
            f"The IATI file does not validate against the 2.03 schema: {shown}{more}.",
            details=[{"loc": ["xml"], "msg": e} for e in errors],
        )
