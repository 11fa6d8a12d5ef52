"""Validate IATI activities files against the official 2.03 schema, offline.

The 2.03 schema files ship with bakuhub, verbatim (``datasets/iati``, with their
licence); ``BAKUHUB_IATI_SCHEMA_DIR`` or ``--schema`` point at another copy. The schema imports the
W3C ``xml.xsd`` (for ``xml:lang``); the copy bundled with the ``xmlschema``
package is used, so nothing is fetched from the network.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from bakuhub.errors import InvalidInput

XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
SCHEMA_FILE = "iati-activities-schema.xsd"


def default_schema_dir() -> Path:
    """``BAKUHUB_IATI_SCHEMA_DIR``, else the schemas shipped in ``bakuhub/datasets/iati``."""
    env = os.environ.get("BAKUHUB_IATI_SCHEMA_DIR")
    return Path(env) if env else Path(str(files("bakuhub") / "datasets" / "iati"))


def _bundled_xml_xsd() -> str:
    return str(files("xmlschema") / "schemas" / "XML" / "xml.xsd")


@lru_cache(maxsize=4)
def load_schema(schema_dir: Path) -> Any:
    """The IATI 2.03 activities schema from ``schema_dir`` (cached per folder)."""
    import xmlschema

    path = schema_dir / SCHEMA_FILE
    if not path.is_file():
        raise InvalidInput(
            f"There is no {SCHEMA_FILE} in {schema_dir}; give the folder of the IATI 2.03 "
            "schemas, or leave --schema out to use the copy shipped with bakuhub."
        )
    return xmlschema.XMLSchema10(
        str(path), locations=[(XML_NAMESPACE, _bundled_xml_xsd())], allow="local"
    )


def schema_errors(xml: bytes, schema_dir: Path | None = None) -> list[str]:
    """Every way ``xml`` breaks the 2.03 schema (empty when it validates)."""
    import xml.etree.ElementTree as ET

    schema = load_schema((schema_dir or default_schema_dir()).resolve())
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        return [f"not well-formed XML: {exc}"]
    return [f"{e.path}: {e.reason}" for e in schema.iter_errors(root)]


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
