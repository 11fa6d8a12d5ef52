"""Languages: the reader's locale, translated messages and locale-aware formatting.

Every text a person reads (pages, forms, errors, notices, reports) is written in
English in the code and marked for translation: ``_("...")`` in Python (``{name}``
placeholders filled with ``.format`` after translation), ``{{ _("...") }}`` or
``{% trans %}`` in templates (``%(name)s`` placeholders, Jinja's new-style
gettext). The catalogs are gettext PO files in ``bakuhub/locale/<lang>/LC_MESSAGES/
bakuhub.po``, read with Babel when first needed (no compiled ``.mo`` to keep in
step); ``scripts/i18n.py`` extracts the messages and updates them, and
``tests/test_i18n.py`` fails on a message left untranslated in any shipped language.

The locale is per request: the web sets it (:func:`use`) from the reader's choice
(remembered in the session and on their account) or the browser's
``Accept-Language``; everything else (CLI, jobs) reads English. Numbers, money and
dates go through Babel's CLDR data for that locale.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "bakuhub"
DEFAULT = "en"
LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "pt": "Português",
    "ru": "Русский",
    "ar": "العربية",
    "az": "Azərbaycan dili",
}
"""The shipped languages, each named in itself (the switcher lists them so): a language
is shipped when every message is translated (``tests/test_i18n.py``)."""
PREPARING: dict[str, str] = {}
"""Languages whose catalogs are being translated: kept up to date by
``scripts/i18n.py``, offered to readers once complete (then moved to LANGUAGES)."""
RTL = frozenset({"ar"})
MAX_ACCEPT_LANGUAGE = 512
"""Longest ``Accept-Language`` header read (a longer one is cut, never parsed whole)."""

_current: ContextVar[str] = ContextVar("bakuhub_locale", default=DEFAULT)


def current() -> str:
    """The locale of the text being made now (``en`` outside a request)."""
    return _current.get()


@contextmanager
def use(locale: str) -> Iterator[None]:
    """Make text in ``locale`` (a shipped language; anything else means English)."""
    token = _current.set(locale if locale in LANGUAGES else DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)


def set_current(locale: str) -> None:
    """Set the locale for the rest of this context (a request's task or thread)."""
    _current.set(locale if locale in LANGUAGES else DEFAULT)


def is_rtl(locale: str | None = None) -> bool:
    """Whether ``locale`` (default: the current one) is written right to left."""
    return (locale or current()) in RTL


def negotiate(accept_language: str | None) -> str:
    """The best shipped language for a browser's ``Accept-Language`` header.

    Follows RFC 9110's quality values; a region (``fr-TD``) falls back to its
    language; nothing acceptable means English.
    """
    if not accept_language:
        return DEFAULT
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language[:MAX_ACCEPT_LANGUAGE].split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        language = tag.strip().lower().split("-")[0]
        if language in LANGUAGES and 0 < quality <= 1:
            ranked.append((-quality, position, language))
    return min(ranked)[2] if ranked else DEFAULT


def po_path(locale: str) -> Path:
    """Where the catalog of ``locale`` lives."""
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def catalog(locale: str) -> _gettext.NullTranslations:
    """The translations of ``locale`` (English and a missing catalog: the messages as
    written)."""
    path = po_path(locale)
    if locale == DEFAULT or not path.is_file():
        return _gettext.NullTranslations()
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        po = read_po(handle, locale=locale)
    return _PoTranslations(po)


class _PoTranslations(_gettext.NullTranslations):
    """A Babel catalog as gettext translations (fuzzy and empty entries ignored)."""

    def __init__(self, po: object) -> None:
        super().__init__()
        from babel.messages.catalog import Catalog

        assert isinstance(po, Catalog)
        self.singular: dict[str, str] = {}
        self.plural: dict[str, tuple[str, ...]] = {}
        for message in po:
            if not message.id or message.fuzzy:
                continue
            if isinstance(message.id, tuple):
                forms = tuple(message.string or ())
                if forms and all(forms):
                    self.plural[message.id[0]] = forms
            elif message.string:
                text = str(message.id)
                key = text if not message.context else f"{message.context}\x04{text}"
                self.singular[key] = str(message.string)
        self.plural_expr = po.plural_expr

    def gettext(self, message: str) -> str:
        return self.singular.get(message) or message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        forms = self.plural.get(msgid1)
        if not forms:
            return msgid1 if n == 1 else msgid2
        index = _plural_index(self.plural_expr, n)
        return forms[min(index, len(forms) - 1)]

    def pgettext(self, context: str, message: str) -> str:
        return self.singular.get(f"{context}\x04{message}") or message


@lru_cache(maxsize=32)
def _plural_function(expr: str) -> object:
    return _gettext.c2py(expr)


def _plural_index(expr: str, n: int) -> int:
    function = _plural_function(expr)
    return int(function(n))  # type: ignore[operator]


def gettext(message: str) -> str:
    """``message`` in the current locale (as written when not translated)."""
    return catalog(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current locale."""
    return catalog(current()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in ``context`` (a word with two meanings), in the current locale."""
    return catalog(current()).pgettext(context, message)


_ = gettext


def N_(message: str) -> str:
    """Mark ``message`` for extraction; translate it later, where it is shown."""
    return message


# -- formatting ----------------------------------------------------------------------


def number(value: float | int | Decimal | None, digits: int = 0) -> str:
    """A number with the locale's digit grouping and decimal sign (``""`` for None)."""
    if value is None:
        return ""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=current())


def decimal(value: float | int | Decimal | None, most: int = 6) -> str:
    """A number with as many decimals as it has, up to ``most``, in the locale's way
    (a rate ``1.1000000000`` reads ``1.1``, in French ``1,1``; ``""`` for None)."""
    if value is None:
        return ""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "#" * most if most > 0 else "")
    exact = value if isinstance(value, int | Decimal) else Decimal(str(value))
    return str(format_decimal(exact, format=pattern, locale=current()))


def separators() -> str:
    """Plotly's ``separators`` for the locale: the decimal sign, then the digit group
    sign (``.,`` in English; ``,`` and a narrow space in French), so charts write numbers
    as the tables do."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return str(get_decimal_symbol(current())) + str(get_group_symbol(current()))


def percent(value: float | None, digits: int = 0) -> str:
    """A share (0.25) as the locale writes a percentage (``25%``, ``25 %``, ``%25``)."""
    if value is None:
        return ""
    from babel import Locale
    from babel.numbers import format_percent

    pattern = Locale.parse(current()).percent_formats[None].pattern.split(";")[0]
    if digits > 0:
        pattern = pattern.replace("#,##0", "#,##0." + "0" * digits, 1)
    return format_percent(value, format=pattern, locale=current())


def money(value: float | Decimal | None, currency: str, digits: int = 0) -> str:
    """An amount in ``currency`` (ISO 4217) as the locale writes money, with ``digits``
    decimals (``1 250 000 $US`` in French, ``US$1,250,000`` in English)."""
    if value is None:
        return ""
    from babel import Locale
    from babel.numbers import format_currency

    pattern = Locale.parse(current()).currency_formats["standard"].pattern.split(";")[0]
    pattern = re.sub(r"0\.0+", "0" + ("." + "0" * digits if digits > 0 else ""), pattern)
    return format_currency(value, currency, format=pattern, locale=current(), currency_digits=False)


def date(value: dt.date | dt.datetime | None, form: str = "medium") -> str:
    """A date as the locale writes it (``5 déc. 2026``)."""
    if value is None:
        return ""
    from babel.dates import format_date

    day = value.date() if isinstance(value, dt.datetime) else value
    return format_date(day, format=form, locale=current())


def datetime(value: dt.datetime | None, form: str = "medium") -> str:
    """A moment as the locale writes it, in UTC (naive values are taken as UTC)."""
    if value is None:
        return ""
    from babel.dates import format_datetime

    moment = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return format_datetime(moment, format=form, tzinfo=dt.UTC, locale=current())


@lru_cache(maxsize=len(LANGUAGES))
def _countries(locale: str) -> _gettext.NullTranslations:
    import pycountry

    if locale == DEFAULT:
        return _gettext.NullTranslations()
    return _gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[locale], fallback=True
    )


def country_name(iso3: str, english: str | None = None) -> str:
    """The country's short name in the current locale, from pycountry's translations
    of ISO 3166-1 (Debian iso-codes); ``english`` or the code when pycountry lacks it."""
    import pycountry

    found = pycountry.countries.get(alpha_3=iso3.upper()) if len(iso3) == 3 else None
    if found is None:
        return english or iso3
    name = str(getattr(found, "common_name", None) or found.name)
    translated = _countries(current()).gettext(found.name)
    return translated if translated != found.name or current() == DEFAULT else name
