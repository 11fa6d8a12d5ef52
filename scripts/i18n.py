"""Extract bakuhub's messages and bring every language's catalog up to date.

    .venv/bin/python scripts/i18n.py            # write locale/bakuhub.pot, update the .po files
    .venv/bin/python scripts/i18n.py --check    # say what is missing, change nothing

Messages come from ``_()``, ``N_()``, ``ngettext()`` and ``pgettext()`` in the Python
sources and ``_()``/``{% trans %}`` in the templates (Babel's extractors, Jinja's for
the templates). Updating keeps every translation whose message is unchanged; a message
whose English changed a little becomes fuzzy (not shown until a translator confirms it).
``tests/test_i18n.py`` runs the same extraction and fails on any message left
untranslated, fuzzy, or with placeholders that differ from the English.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "bakuhub"
LOCALE = PACKAGE / "locale"
POT = LOCALE / "bakuhub.pot"
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
METHODS = [
    ("**/locale/**", "ignore"),
    ("**/datasets/**", "ignore"),
    ("**.py", "python"),
    ("**/templates/**.html", "jinja2"),
]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}}
PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*(?:[:!][^{}]*)?\}|%\([a-z_][a-z0-9_]*\)[sdf]|%[sd%]")


def extract() -> Catalog:
    """Every message marked in the package, with where it is used."""
    catalog = Catalog(project="bakuhub", msgid_bugs_address="", charset="utf-8")
    found = extract_from_dir(
        str(PACKAGE), METHODS, keywords=KEYWORDS, options_map=OPTIONS, strip_comment_tags=True
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(
            message,
            None,
            [(f"bakuhub/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    from bakuhub.iati.codelists import SHOWN, shipped

    for name in SHOWN:  # official IATI names shown on pages (translated where the file is not)
        where = [(f"bakuhub/datasets/iati/codelists/{name}.xml", 0)]
        for text in shipped(name).active().values():
            catalog.add(text, None, where, auto_comments=[f"IATI codelist {name}"])
    return catalog


def languages(preparing: bool = False) -> list[str]:
    """The shipped languages other than English (and those being translated)."""
    from bakuhub.i18n import DEFAULT, LANGUAGES, PREPARING

    codes = [code for code in LANGUAGES if code != DEFAULT]
    return codes + list(PREPARING) if preparing else codes


def read(language: str) -> Catalog:
    """The catalog of ``language`` (empty when it does not exist yet)."""
    from bakuhub.i18n import po_path

    path = po_path(language)
    if not path.is_file():
        return Catalog(locale=language, project="bakuhub")
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def write(catalog: Catalog, path: Path) -> None:
    """Write a catalog (sorted, no line wrapping, so diffs stay small)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(
            handle, catalog, width=0, sort_output=True, omit_header=False, include_lineno=False
        )


def placeholders(text: str) -> list[str]:
    """The placeholders in a message, sorted (``{name}``, ``%(name)s``)."""
    return sorted(PLACEHOLDER.findall(text))


def problems(template: Catalog, language: str) -> list[str]:
    """What is wrong with ``language``'s catalog against the extracted messages."""
    catalog = read(language)
    out = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        if (
            found is None
            or not found.string
            or (isinstance(found.string, tuple) and not all(found.string))
        ):
            out.append(f"{language}: untranslated: {ids[0]!r}")
            continue
        if found.fuzzy:
            out.append(f"{language}: fuzzy (check and confirm): {ids[0]!r}")
        strings = found.string if isinstance(found.string, tuple) else (found.string,)
        for text in strings:
            if placeholders(text) != placeholders(ids[-1]) and placeholders(text) != placeholders(
                ids[0]
            ):
                out.append(f"{language}: placeholders differ from the English in {ids[0]!r}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="report, change nothing")
    args = parser.parse_args(argv)
    template = extract()
    if args.check:
        found = [line for language in languages() for line in problems(template, language)]
        print("\n".join(found) or "every message is translated")
        print(f"{len(template)} messages, {len(found)} problems", file=sys.stderr)
        return 1 if found else 0
    write(template, POT)
    for language in languages(preparing=True):
        catalog = read(language)
        catalog.update(template, no_fuzzy_matching=False)
        write(catalog, LOCALE / language / "LC_MESSAGES" / "bakuhub.po")
    print(f"{len(template)} messages; catalogs updated: {', '.join(languages())}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main())
