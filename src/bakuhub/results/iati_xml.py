"""Small helpers for reading IATI XML: narratives, dates, validated payloads."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

from pydantic import BaseModel, ValidationError

from bakuhub.registry.service import describe, validation_details

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def inverse(codes: dict[Any, str]) -> dict[str, str]:
    """IATI code -> enum value, from an enum -> IATI code table."""
    return {code: str(key.value) for key, code in codes.items()}


def clean(text: str | None) -> str:
    """Whitespace-normalised text."""
    return " ".join((text or "").split())


def narratives(el: ET.Element | None, lang: str) -> list[tuple[str, str]]:
    """(language, text) of an element's narratives (or of its own text, pre-2.0)."""
    if el is None:
        return []
    found = el.findall("narrative")
    if found:
        return [(n.get(XML_LANG, lang), clean(n.text)) for n in found if clean(n.text)]
    text = clean(el.text)
    return [(el.get(XML_LANG, lang), text)] if text else []


def first_text(el: ET.Element | None, lang: str) -> str:
    """The narrative in ``lang``, else the first one, else ''."""
    items = narratives(el, lang)
    for item_lang, text in items:
        if item_lang == lang:
            return text
    return items[0][1] if items else ""


def iso_date(el: ET.Element | None, attr: str = "iso-date") -> dt.date | None:
    """An element's ISO date (attribute, or its text before 2.0); None if missing/invalid."""
    if el is None:
        return None
    raw = el.get(attr) or clean(el.text)
    try:
        return dt.date.fromisoformat(raw[:10])
    except ValueError:
        return None


def validated(
    model: type[BaseModel], data: dict[str, Any], what: str, skipped: list[dict[str, str]]
) -> Any:
    """``model`` validated from ``data``; None (and the reason noted in ``skipped``) if invalid."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        skipped.append({"element": what, "reason": describe(validation_details(exc))})
        return None
