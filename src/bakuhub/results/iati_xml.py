"""Small helpers for reading IATI XML: narratives, dates, validated payloads."""

from __future__ import annotations

import datetime as dt
import math
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel

from bakuhub import errors
from bakuhub.errors import InvalidInput
from bakuhub.i18n import _

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NUMBER_ATTRIBUTES = {"percentage": None, "value": {"baseline", "target", "actual"}}
"""Numeric attributes, with the elements that carry them (None: any element)."""


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
        return errors.validated(model, data)
    except InvalidInput as exc:
        skipped.append({"element": what, "reason": exc.message})
        return None


def not_finite(raw: str) -> bool:
    """Whether ``raw`` reads as a number that is NaN or infinite ('NaN', 'INF', '1e999')."""
    text = raw.strip()
    try:
        return not math.isfinite(float(text))
    except ValueError:
        pass
    try:
        return not Decimal(text).is_finite()
    except InvalidOperation:
        return False


def check_finite(el: ET.Element, activity: str) -> None:
    """Refuse an activity with a NaN or infinite number (InvalidInput naming the element)."""
    stack = [(child, str(child.tag)) for child in el if isinstance(child.tag, str)]
    while stack:
        child, where = stack.pop()
        found = [
            (f"{where}/@{name}", child.get(name, ""))
            for name, tags in NUMBER_ATTRIBUTES.items()
            if child.get(name) is not None and (tags is None or child.tag in tags)
        ]
        if child.tag == "value":
            found.append((where, child.text or ""))
        for place, raw in found:
            if not_finite(raw):
                raise InvalidInput(
                    _(
                        "Activity '{activity}': {place} is '{raw}', which is not a finite "
                        "number; IATI values are plain numbers such as 1250.5. Correct the "
                        "file and import it again."
                    ).format(activity=activity, place=place, raw=raw.strip()[:40])
                )
        stack.extend((c, f"{where}/{c.tag}") for c in child if isinstance(c.tag, str))


def finite_number(raw: str, activity: str, place: str) -> float:
    """``raw`` as a finite float, or InvalidInput naming the activity and element."""
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InvalidInput(
            _(
                "Activity '{activity}': {place} is '{raw}', which is not a finite number; "
                "give a plain number such as 50. Correct the file and import it again."
            ).format(activity=activity, place=place, raw=raw[:40])
        )
    return value


def other_narratives(el: ET.Element | None, lang: str) -> tuple[str, str, dict[str, str]]:
    """(main language, main text, the other languages' texts) of an element's narratives:
    the main one is in ``lang``, else the first (as ``first_text`` picks it); each other
    language keeps its first text."""
    items = narratives(el, lang)
    if not items:
        return lang, "", {}
    main_lang, main = next(((lg, t) for lg, t in items if lg == lang), items[0])
    others: dict[str, str] = {}
    for item_lang, text in items:
        if item_lang != main_lang:
            others.setdefault(item_lang, text)
    return main_lang, main, others


def result_texts(r: ET.Element, lang: str) -> dict[str, Any]:
    """A ``result`` element's title and description (and its indicators') in languages
    other than the main one: ``{"main": title, "language": lang, "title": {lang: text},
    "description": {...}, "indicators": [{...}]}`` (stored by ``texts.store_imported``)."""

    def texts(el: ET.Element) -> dict[str, Any]:
        main_lang, main, titles = other_narratives(el.find("title"), lang)
        __, ___, descriptions = other_narratives(el.find("description"), lang)
        return {
            "main": main[:500],
            "language": main_lang,
            "title": titles,
            "description": descriptions,
        }

    out = texts(r)
    out["indicators"] = [texts(i) for i in r.findall("indicator")]
    return out
