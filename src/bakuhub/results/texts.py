"""Records in several languages: a project's, result's or indicator's title and
description in more languages than the one it was written in, and which text a
reader is shown.

One place per text: a record's own column holds the text in its own language (the
project's IATI ``default_lang``, English unless the profile says otherwise); a
project's other-language titles and descriptions live in its IATI profile
(``ActivityProfile.titles`` / ``descriptions``, exported and imported as IATI
narratives with ``xml:lang``); a result's and an indicator's live in the
``record_texts`` table (``target`` ``result`` or ``indicator``). Nothing else holds
them.

:func:`for_reader` picks, field by field, the text in the reader's language, else the
record's own text, and says which language is shown and whether it fell back.
A public reader (``published_only``) reaches the texts of published projects only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bakuhub import i18n
from bakuhub.errors import InvalidInput, NotFound
from bakuhub.i18n import _
from bakuhub.registry.models import Project, RecordText
from bakuhub.results import models as m
from bakuhub.results.profile import profile_of
from bakuhub.results.service import fetch_project, flush, log_change, project_results

TARGETS = ("project", "result", "indicator")
"""The records that carry texts in more languages."""
FIELDS = ("title", "description")
"""The texts of a record that carry more languages."""
LIMITS = {"title": 500, "description": 20000}
"""The longest text of each field, in characters (as the record's own column)."""
AUDIT_KIND = "record-texts"


@dataclass(frozen=True)
class Shown:
    """The text a reader is shown for one field of a record."""

    text: str
    language: str
    """The language of ``text``."""
    wanted: str
    """The reader's language."""
    fallback: bool
    """Whether the reader's language had no text, so the record's own text is shown."""


def _record(
    session: Session, target: str, key: str | int, *, published_only: bool = False
) -> tuple[Any, Project]:
    """The record (project, result or indicator) and its project; NotFound when it does
    not exist or (``published_only``) its project is a draft."""
    if target not in TARGETS:
        raise NotFound(
            _("There are no texts in other languages for '{target}'.").format(target=target)
        )
    row: Any
    if target == "project":
        row = fetch_project(session, str(key))
        project = row
    else:
        number = int(key) if str(key).isdigit() else 0
        row = session.get(m.Result if target == "result" else m.Indicator, number)
        if row is None:
            message = (
                _("There is no result with id {id}.")
                if target == "result"
                else _("There is no indicator with id {id}.")
            )
            raise NotFound(message.format(id=key))
        project = row.project if target == "result" else row.result.project
    if published_only and not project.published:
        if target == "project":
            raise NotFound(_("There is no project with ref '{ref}'.").format(ref=key))
        raise NotFound(_("There is no {target} with id {id}.").format(target=target, id=key))
    return row, project


def own_language(session: Session, project: Project) -> str:
    """The language a project's own texts (and its results') are written in: its IATI
    profile's default language, else English."""
    profile = profile_of(session, project)
    lang = profile.default_lang if profile is not None and profile.default_lang else ""
    return lang or i18n.DEFAULT


def _own_texts(row: Any) -> dict[str, str]:
    return {f: str(getattr(row, f) or "") for f in FIELDS}


def get_texts(
    *, session: Session, target: str, key: str | int, published_only: bool = False
) -> dict[str, Any]:
    """A record's texts: its own language and texts, and the others by field then
    language (``{"title": {"fr": "..."}, "description": {...}}``)."""
    row, project = _record(session, target, key, published_only=published_only)
    return {
        "target": target,
        "key": str(key),
        "project": project.ref,
        "language": own_language(session, project),
        "own": _own_texts(row),
        "texts": _others(session, target, row),
    }


def _others(session: Session, target: str, row: Any) -> dict[str, dict[str, str]]:
    if target == "project":
        profile = profile_of(session, row)
        return {
            "title": dict(profile.titles or {}) if profile else {},
            "description": dict(profile.descriptions or {}) if profile else {},
        }
    out: dict[str, dict[str, str]] = {f: {} for f in FIELDS}
    stmt = select(RecordText).where(RecordText.target == target, RecordText.target_id == row.id)
    for text in session.scalars(stmt.order_by(RecordText.language)):
        out.setdefault(text.field, {})[text.language] = text.text
    return out


def _check(field: str, language: str, text: str, own: str) -> None:
    if field not in FIELDS:
        raise InvalidInput(
            _("'{field}' has no texts in other languages; give a title or a description.").format(
                field=field
            )
        )
    if language not in i18n.LANGUAGES:
        raise InvalidInput(
            _("'{language}' is not a language bakuhub shows; choose one of {languages}.").format(
                language=language, languages=", ".join(i18n.LANGUAGES)
            )
        )
    if language == own:
        raise InvalidInput(
            _(
                "The record's own text is in '{language}'; change it on the record's edit "
                "page, not as another language."
            ).format(language=language)
        )
    if len(text) > LIMITS[field]:
        raise InvalidInput(
            _("The {field} in '{language}' has {count} characters; at most {limit}.").format(
                field=field, language=language, count=len(text), limit=LIMITS[field]
            )
        )


def set_texts(
    *,
    session: Session,
    target: str,
    key: str | int,
    texts: dict[str, dict[str, str]],
    author: str,
) -> dict[str, Any]:
    """Set some of a record's texts in other languages (``{field: {language: text}}``);
    an empty text removes that language. All are checked before any is written; the
    change is audited. Returns :func:`get_texts`."""
    row, project = _record(session, target, key)
    own = own_language(session, project)
    cleaned = {
        field: {
            lang: " ".join(text.split()) if field == "title" else text.strip()
            for lang, text in by_lang.items()
        }
        for field, by_lang in texts.items()
    }
    for field, by_lang in cleaned.items():
        for lang, text in by_lang.items():
            _check(field, lang, text, own)
    before = _others(session, target, row)
    if target == "project":
        _write_profile(session, row, cleaned)
    else:
        _write_rows(session, target, row.id, cleaned, author)
    flush(session, _("texts in other languages"))
    after = _others(session, target, row)
    if after != before:
        log_change(session, author, "update", AUDIT_KIND, f"{target}/{key}", before, after)
    return get_texts(session=session, target=target, key=key)


def _write_profile(session: Session, project: Project, texts: dict[str, dict[str, str]]) -> None:
    profile = profile_of(session, project)
    if profile is None:
        if not any(t for by_lang in texts.values() for t in by_lang.values()):
            return
        profile = m.ActivityProfile(project_id=project.id, titles={}, descriptions={})
        session.add(profile)
    for field, column in (("title", "titles"), ("description", "descriptions")):
        stored = dict(getattr(profile, column) or {})
        for lang, text in texts.get(field, {}).items():
            if text:
                stored[lang] = text
            else:
                stored.pop(lang, None)
        setattr(profile, column, stored)  # a new dict: the JSON column sees the change


def _write_rows(
    session: Session, target: str, target_id: int, texts: dict[str, dict[str, str]], author: str
) -> None:
    for field, by_lang in texts.items():
        for lang, text in by_lang.items():
            found = session.scalar(
                select(RecordText).where(
                    RecordText.target == target,
                    RecordText.target_id == target_id,
                    RecordText.field == field,
                    RecordText.language == lang,
                )
            )
            if not text:
                if found is not None:
                    session.delete(found)
                continue
            if found is None:
                found = RecordText(target=target, target_id=target_id, field=field, language=lang)
                session.add(found)
            found.text = text
            found.updated_by = author


def delete_texts(
    *, session: Session, target: str, key: str | int, language: str, author: str
) -> dict[str, Any]:
    """Remove a record's title and description in ``language``."""
    return set_texts(
        session=session,
        target=target,
        key=key,
        texts={f: {language: ""} for f in FIELDS},
        author=author,
    )


def for_reader(
    *,
    session: Session,
    target: str,
    key: str | int,
    language: str | None = None,
    published_only: bool = False,
) -> dict[str, Shown]:
    """For each field of a record, the text in ``language`` (default: the reader's), else
    the record's own text, with the language shown and whether it fell back."""
    texts = get_texts(session=session, target=target, key=key, published_only=published_only)
    return pick(texts, language or i18n.current())


def pick(texts: dict[str, Any], wanted: str) -> dict[str, Shown]:
    """What :func:`for_reader` shows, from :func:`get_texts`' answer. A record with no
    text in any other language is shown as written, without a fallback note: its own
    language is then only assumed (the IATI default, else English), and a note would
    call a French title "English"."""
    own_lang, out = texts["language"], {}
    translated = any(texts["texts"].get(field) for field in FIELDS)
    for field in FIELDS:
        own = texts["own"].get(field, "")
        other = texts["texts"].get(field, {}).get(wanted, "")
        if wanted == own_lang or not own or not translated:
            out[field] = Shown(own, own_lang, wanted, False)
        elif other:
            out[field] = Shown(other, wanted, wanted, False)
        else:
            out[field] = Shown(own, own_lang, wanted, True)
    return out


def results_for_reader(
    session: Session, project_ref: str, language: str | None = None
) -> dict[str, dict[int, dict[str, Shown]]]:
    """The shown texts of every result and indicator of a project, by id (a query for
    each kind)."""
    wanted = language or i18n.current()
    project = fetch_project(session, project_ref)
    own_lang = own_language(session, project)
    results = project_results(session, project.id)
    indicators = [i for r in results for i in r.indicators]
    stored = other_texts(session, "result", [r.id for r in results])
    stored_ind = other_texts(session, "indicator", [i.id for i in indicators])

    def shown(row: Any, others: dict[str, dict[str, str]]) -> dict[str, Shown]:
        texts = {"language": own_lang, "own": _own_texts(row), "texts": others}
        return pick(texts, wanted)

    return {
        "results": {r.id: shown(r, stored.get(r.id, {})) for r in results},
        "indicators": {i.id: shown(i, stored_ind.get(i.id, {})) for i in indicators},
    }


def other_texts(
    session: Session, target: str, ids: list[int]
) -> dict[int, dict[str, dict[str, str]]]:
    """The other-language texts of many results or indicators: id -> field -> language."""
    out: dict[int, dict[str, dict[str, str]]] = {}
    if not ids:
        return out
    stmt = select(RecordText).where(RecordText.target == target, RecordText.target_id.in_(ids))
    for row in session.scalars(stmt.order_by(RecordText.target_id, RecordText.language)):
        out.setdefault(row.target_id, {}).setdefault(row.field, {})[row.language] = row.text
    return out


def forget(session: Session, target: str, ids: list[int]) -> None:
    """Delete the texts of results or indicators that are being deleted (call before
    deleting them in bulk: a table row id may be used again)."""
    if ids:
        session.execute(
            delete(RecordText).where(RecordText.target == target, RecordText.target_id.in_(ids))
        )


def forget_project_results(session: Session, project_id: int) -> None:
    """Delete the texts of all a project's results and indicators (before replacing them)."""
    results = project_results(session, project_id)
    forget(session, "result", [r.id for r in results])
    forget(session, "indicator", [i.id for r in results for i in r.indicators])


def store_imported(
    session: Session, project_id: int, found: list[dict[str, Any]], author: str
) -> None:
    """Store the other-language narratives read from a file (``iati_xml.result_texts``
    per ``result`` element) on the project's results and indicators, matched by their
    own (main-language) title. Texts too long or in a language bakuhub does not show
    are left out."""
    results = project_results(session, project_id)
    used: set[int] = set()
    for entry in found:
        row = next((r for r in results if r.id not in used and r.title == entry["main"]), None)
        if row is None:
            continue
        used.add(row.id)
        _write_rows(session, "result", row.id, _usable(entry), author)
        taken: set[int] = set()
        for ind_entry in entry.get("indicators", []):
            ind = next(
                (i for i in row.indicators if i.id not in taken and i.title == ind_entry["main"]),
                None,
            )
            if ind is not None:
                taken.add(ind.id)
                _write_rows(session, "indicator", ind.id, _usable(ind_entry), author)
    flush(session, _("texts in other languages"))


def _usable(entry: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {
        field: {
            lang: text
            for lang, text in entry.get(field, {}).items()
            if lang in i18n.LANGUAGES
            and lang != entry.get("language")
            and len(text) <= LIMITS[field]
        }
        for field in FIELDS
    }
