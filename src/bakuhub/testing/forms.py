"""Read pages as a browser would: the CSRF token and the values a record form submits."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page (AssertionError when there is none)."""
    found = _CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


class _FormReader(HTMLParser):
    """Collects the values a browser would send for the record form on a page (a select
    with no option selected sends its first option, as a browser does)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._in_form = False
        self._select: str | None = None
        self._first: str | None = None
        self._chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and "record-form" in a.get("class", ""):
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._first, self._chosen = a.get("name"), None, False
        elif tag == "option" and self._select:
            if self._first is None:
                self._first = a.get("value", "")
            if "selected" in a and not self._chosen:
                self.fields.append((self._select, a.get("value", "")))
                self._chosen = True
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            if self._select and not self._chosen and self._first is not None:
                self.fields.append((self._select, self._first))  # a browser sends the first
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, unescape("".join(self._text))))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)


def form_values(html: str) -> dict[str, list[str]]:
    """What the record form (``form.record-form``) on a page would submit as it is."""
    reader = _FormReader()
    reader.convert_charrefs = True
    reader.feed(html)
    values: dict[str, list[str]] = {}
    for name, value in reader.fields:
        values.setdefault(name, []).append(value)
    return values
