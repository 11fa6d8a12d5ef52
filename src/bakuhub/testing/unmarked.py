"""Find text in the templates that a reader sees but no translator can reach.

Used by ``tests/test_i18n.py``: every text node and every human attribute (``title``,
``placeholder``, ``aria-label``, ``alt``, a button's ``value``) outside ``{{ ... }}``,
``{% ... %}`` and ``{% trans %}`` blocks must consist only of names that are the same
in every language (bakuhub, IATI, CSV...), numbers and punctuation.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import jinja2

SAME_IN_EVERY_LANGUAGE = frozenset(
    [
        "bakuhub",
        "IATI",
        "CSV",
        "JSON",
        "XML",
        "XLSX",
        "YAML",
        "HTML",
        "API",
        "PDF",
        "ISO",
        "UTC",
        "EUR",
        "USD",
        "CO2",
        "CO₂",
        "MW",
        "GW",
        "GWh",
        "TWh",
        "MWh",
        "Mt",
        "kt",
        "PV",
        "HVDC",
        "PyPSA",
        "ND-GAIN",
        "INFORM",
        "UCDP",
        "UNHCR",
        "IDMC",
        "M49",
        "S1",
        "ST",
        "PCA",
        "SDG",
        "OECD",
        "DAC",
        "GCF",
        "IOM",
        "Clarabel",
        "HiGHS",
        "linopy",
        "Sobol",
        "ID",
        "ref",
        "URL",
    ]
)
HUMAN_ATTRIBUTES = frozenset({"title", "placeholder", "aria-label", "alt", "label"})
WORD = re.compile(r"[^\W\d_][\w.₂-]*", re.UNICODE)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self.skip += 1
        for name, value in attrs:
            human = name in HUMAN_ATTRIBUTES or (
                name == "value" and tag == "input" and ("type", "submit") in attrs
            )
            if human and value:
                self.found.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.found.append(data)


def _plain_text(env: jinja2.Environment, source: str) -> str:
    """The template's HTML with each ``{{ expression }}`` replaced by a digit, tags
    and trans blocks left out (so ``<a title="{{ x }}">`` stays well-formed HTML)."""
    out: list[str] = []
    depth = 0  # inside {% trans %} ... {% endtrans %}
    tokens = list(env.lex(source))
    for index, (_line, kind, value) in enumerate(tokens):
        if kind == "name" and index > 0 and tokens[index - 1][1] == "block_begin":
            if value == "trans":
                depth += 1
            elif value == "endtrans":
                depth -= 1
        if kind == "data" and depth == 0:
            out.append(value)
        elif kind == "variable_begin":
            out.append("0")
    return "".join(out)


def unmarked(path: Path, env: jinja2.Environment) -> list[str]:
    """The texts of one template that are not marked for translation."""
    parser = _Text()
    parser.feed(_plain_text(env, path.read_text(encoding="utf-8")))
    bad = []
    for text in parser.found:
        words = [w.strip(".-") for w in WORD.findall(text)]
        if any(w and w not in SAME_IN_EVERY_LANGUAGE for w in words):
            bad.append(" ".join(text.split())[:80])
    return bad
