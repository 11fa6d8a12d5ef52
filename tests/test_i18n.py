"""Every message in every shipped language; every template text marked; formats."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from bakuhub import i18n
from bakuhub.testing.unmarked import unmarked
from bakuhub.web.pages.common import TEMPLATES, templates

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "scripts" / "i18n.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["i18n_tool"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def extracted(tool: ModuleType) -> object:
    return tool.extract()


def test_the_catalogs_hold_every_message_extracted_from_the_code(
    tool: ModuleType, extracted: object
) -> None:
    """A message marked in the code or a template but missing, empty, fuzzy or with
    other placeholders in any language fails here (run scripts/i18n.py, translate)."""
    found = [line for language in tool.languages() for line in tool.problems(extracted, language)]
    assert not found, f"{len(found)} problems, first ones:\n" + "\n".join(found[:40])


def test_a_broken_translation_is_caught(
    tool: ModuleType, extracted: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check itself fails on an empty translation and on a lost placeholder."""
    from babel.messages.catalog import Catalog

    broken = Catalog(locale="fr")
    messages = [m for m in extracted if m.id and not isinstance(m.id, tuple)]  # type: ignore[attr-defined]
    with_value = next(m for m in messages if "{" in m.id or "%(" in m.id)
    broken.add(with_value.id, "sans valeur")
    monkeypatch.setattr(tool, "read", lambda _language: broken)
    found = tool.problems(extracted, "fr")
    assert any("placeholders differ" in line for line in found)
    assert any("untranslated" in line for line in found)


def test_every_template_text_is_marked_for_translation() -> None:
    env = templates().env
    found = {p.name: bad for p in sorted(TEMPLATES.glob("*.html")) if (bad := unmarked(p, env))}
    assert not found, f"texts not marked in {len(found)} templates: {found}"


def test_the_unmarked_check_sees_text_and_attributes(tmp_path: Path) -> None:
    page = tmp_path / "t.html"
    page.write_text('<p title="Remove it">{{ _("Fine") }} Not fine</p><b>IATI CSV</b>')
    assert unmarked(page, templates().env) == ["Remove it", "0 Not fine"]


def test_the_glossary_gives_every_term_in_every_language() -> None:
    with (i18n.LOCALE_DIR / "glossary.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) > 40
    for row in rows:
        for language in i18n.LANGUAGES:
            if language != "en":
                assert row[language].strip(), f"{row['term']}: no {language}"


def test_formats_follow_the_locale() -> None:
    with i18n.use("fr"):
        assert i18n.number(1234567.891, 1) == "1\u202f234\u202f567,9"
        assert i18n.money(1250000, "USD") == "1\u202f250\u202f000\u00a0$US"
        assert i18n.date(dt.date(2026, 12, 5)) == "5 déc. 2026"
        assert i18n.country_name("TCD") == "Tchad"
    with i18n.use("pt"):
        assert i18n.country_name("GNB") == "Guiné-Bissáu"
    with i18n.use("fr"):
        assert i18n.percent(0.253, 1) == "25,3\u00a0%"
    assert i18n.number(1234567.891, 1) == "1,234,567.9"
    assert i18n.country_name("AZE") == "Azerbaijan"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-TD,fr;q=0.9,en;q=0.5", "fr"),
        ("de-DE, ar;q=0.2", "ar"),
        ("en;q=0.1, pt;q=0.8", "pt"),
        ("pt-BR;q=nonsense", "en"),
        ("ar-TD", "ar"),
        ("", "en"),
        ("x" * 10_000, "en"),
    ],
)
def test_the_browser_preference_is_read_by_quality(header: str, expected: str) -> None:
    assert i18n.negotiate(header) == expected


def test_messages_are_translated_in_the_current_language_only() -> None:
    with i18n.use("fr"):
        assert i18n.gettext("Projects") == "Projets"
    assert i18n.gettext("Projects") == "Projects"
    with i18n.use("klingon"):
        assert i18n.current() == "en"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", {1: 0, 21: 0, 3: 1, 24: 1, 5: 2, 11: 2}),
        ("ar", {0: 0, 1: 1, 2: 2, 5: 3, 11: 5, 100: 4}),
    ],
)
def test_plural_forms_follow_each_languages_rule(language: str, expected: dict[int, int]) -> None:
    """Russian has three plural forms, Arabic six: each count gets the form its
    language's rule names (checked on the message whose forms differ most)."""
    from babel.messages.pofile import read_po

    with i18n.po_path(language).open("rb") as handle:
        po = read_po(handle, locale=language)
    plurals = [m for m in po if isinstance(m.id, tuple)]
    message = max(plurals, key=lambda m: len(set(m.string)))  # the most distinct forms
    assert len(set(message.string)) >= 3
    singular, plural = message.id
    with i18n.use(language):
        for n, form in expected.items():
            assert i18n.ngettext(singular, plural, n) == message.string[form], (n, form)
