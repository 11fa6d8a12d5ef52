"""The IATI 2.03 XML schemas (activities and organisations), offline.

The schema files ship verbatim in ``bakuhub/datasets/iati`` (with their licence);
``BAKUHUB_IATI_SCHEMA_DIR`` or ``--schema DIR`` point at another copy. The schemas
import the W3C ``xml.xsd`` (for ``xml:lang``); the copy bundled with the
``xmlschema`` package is used, so nothing is fetched from the network.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from bakuhub.errors import InvalidInput

XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
SCHEMA_FILES = {
    "iati-activities": "iati-activities-schema.xsd",
    "iati-organisations": "iati-organisations-schema.xsd",
}


def default_schema_dir() -> Path:
    """``BAKUHUB_IATI_SCHEMA_DIR``, else the schemas shipped in ``bakuhub/datasets/iati``."""
    env = os.environ.get("BAKUHUB_IATI_SCHEMA_DIR")
    return Path(env) if env else Path(str(files("bakuhub") / "datasets" / "iati"))


def _bundled_xml_xsd() -> str:
    return str(files("xmlschema") / "schemas" / "XML" / "xml.xsd")


@lru_cache(maxsize=8)
def load_schema(schema_dir: Path, kind: str = "iati-activities") -> Any:
    """The 2.03 schema of ``kind`` (iati-activities or iati-organisations), cached."""
    import xmlschema

    name = SCHEMA_FILES[kind]
    path = schema_dir / name
    if not path.is_file():
        raise InvalidInput(
            f"There is no {name} in {schema_dir}; give the folder of the IATI 2.03 "
            "schemas, or leave --schema out to use the copy shipped with bakuhub."
        )
    return xmlschema.XMLSchema10(
        str(path), locations=[(XML_NAMESPACE, _bundled_xml_xsd())], allow="local"
    )


def iter_schema_errors(root: ET.Element, schema_dir: Path | None = None) -> list[Any]:
    """The xmlschema errors of a parsed activities or organisations tree."""
    kind = root.tag if root.tag in SCHEMA_FILES else "iati-activities"
    schema = load_schema((schema_dir or default_schema_dir()).resolve(), kind)
    return list(schema.iter_errors(root))
