"""Read IATI activities files (2.0x, and the pre-2.0 forms of the worked example)
into validated bakuhub payloads, noting what cannot be mapped and why."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from bakuhub.errors import InvalidInput
from bakuhub.i18n import _
from bakuhub.results.codes import ACTIVITY_DATE_TYPES, RIO_MARKER_CODES
from bakuhub.results.iati_activity import Activity, Org
from bakuhub.results.iati_read_finance import budget_from_xml, transaction_from_xml
from bakuhub.results.iati_read_results import read_result
from bakuhub.results.iati_xml import (
    XML_LANG,
    check_finite,
    clean,
    finite_number,
    first_text,
    inverse,
    iso_date,
    narratives,
    result_texts,
    validated,
)
from bakuhub.results.schemas import ProfileIn

PLACEHOLDER_DATE = "Start date not recorded"
"""How bakuhub's export marks a stand-in start date (see ``iati_export``)."""
LEGACY_DATES = {
    "start-planned": "1",
    "start-actual": "2",
    "end-planned": "3",
    "end-actual": "4",
    "start": "1",
    "completion": "3",
    "end": "3",
}
LEGACY_ROLES = {"funding": "1", "accountable": "2", "extending": "3", "implementing": "4"}
ROLES = {"1": "funding", "2": "accountable", "3": "extending", "4": "implementing"}
MAPPED = {
    "iati-identifier",
    "reporting-org",
    "title",
    "description",
    "participating-org",
    "activity-status",
    "activity-date",
    "recipient-country",
    "sector",
    "humanitarian-scope",
    "policy-marker",
    "budget",
    "budget-planned",
    "transaction",
    "result",
}


def parse_file(xml: bytes) -> tuple[list[ET.Element], str]:
    """The activity elements of a file and its version."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise InvalidInput(
            _("The IATI file is not well-formed XML ({reason}); check the file.").format(reason=exc)
        ) from None
    if root.tag == "iati-activities":
        return root.findall("iati-activity"), root.get("version", "")
    if root.tag == "iati-activity":
        return [root], ""
    raise InvalidInput(
        _(
            "The file's root element is <{root}>; an IATI activities file starts with "
            "<iati-activities> (or a single <iati-activity>)."
        ).format(root=root.tag)
    )


def read_activity(el: ET.Element, default_lang: str) -> Activity:
    """Map one ``iati-activity`` element (raises InvalidInput when it has no identifier)."""
    lang = el.get(XML_LANG, default_lang)
    ident = clean(el.findtext("iati-identifier"))
    if not ident:
        raise InvalidInput(_("An activity has no iati-identifier; every activity needs one."))
    check_finite(el, ident)
    currency = el.get("default-currency")
    titles = [n for t in el.findall("title") for n in narratives(t, lang)]
    descs = [d for d in el.findall("description") if d.get("type") in (None, "1")]
    desc_items = [n for d in descs for n in narratives(d, lang)]
    act = Activity(
        identifier=ident,
        project={},
        organisations=[],
        profile=ProfileIn(),
        budgets=[],
        transactions=[],
        results=[],
    )
    main_title = next((t for lg, t in titles if lg == lang), titles[0][1] if titles else "")
    main_desc = next(
        (t for lg, t in desc_items if lg == lang), desc_items[0][1] if desc_items else ""
    )
    status_el = el.find("activity-status")
    status = status_el.get("code", "1") if status_el is not None else "1"
    if status_el is None:
        act.notes.append(_("no activity-status; recorded as 1 (pipeline/identification)"))
    if main_desc == main_title:
        main_desc = ""  # bakuhub exports the title when there is no description
    act.project = {"title": main_title[:500], "description": main_desc, "status": status}
    _dates(el, act)
    _countries(el, act, ident)
    for org in el.findall("participating-org"):
        role = org.get("role", "")
        role = LEGACY_ROLES.get(role.lower(), role)
        if role not in ROLES:
            act.skipped.append(
                {
                    "element": "participating-org",
                    "reason": _("role '{role}' is not 1-4").format(role=role),
                }
            )
            continue
        name = first_text(org, lang)
        act.organisations.append(Org(ROLES[role], org.get("ref"), org.get("type"), name))
    act.profile = _profile(
        el, act, ident, lang, currency, titles, desc_items, main_title, main_desc
    )
    if el.find("reporting-org") is None:
        act.notes.append(
            _("no reporting-org; the project's own reporting organisation is exported")
        )
    for tag in ("budget", "budget-planned"):
        for b in el.findall(tag):
            budget_from_xml(b, currency, act)
    for t in el.findall("transaction"):
        transaction_from_xml(t, currency, lang, act)
    for r in el.findall("result"):
        result = read_result(r, lang, act.skipped)
        if result is not None:
            act.results.append(result)
            act.texts.append(result_texts(r, lang))
    for child in el:
        if child.tag not in MAPPED and isinstance(child.tag, str):
            act.skipped.append({"element": child.tag, "reason": _("bakuhub does not record it")})
    for d in el.findall("description"):
        if d.get("type") not in (None, "1"):
            act.skipped.append(
                {
                    "element": "description",
                    "reason": _("type {type} is not kept").format(type=d.get("type")),
                }
            )
    return act


def _dates(el: ET.Element, act: Activity) -> None:
    for d in el.findall("activity-date"):
        kind = d.get("type", "")
        code = LEGACY_DATES.get(kind, kind)
        when = iso_date(d)
        if first_text(d, "en").startswith(PLACEHOLDER_DATE):
            act.skipped.append(
                {"element": "activity-date", "reason": _("a stand-in date, not data")}
            )
            continue
        if code not in ACTIVITY_DATE_TYPES or when is None:
            act.skipped.append(
                {
                    "element": "activity-date",
                    "reason": _("type '{type}' or its date is unknown").format(type=kind),
                }
            )
            continue
        if code != kind:
            act.notes.append(
                _("activity-date type '{type}' read as {field}").format(
                    type=kind, field=ACTIVITY_DATE_TYPES[code]
                )
            )
        act.project[ACTIVITY_DATE_TYPES[code]] = when


def _countries(el: ET.Element, act: Activity, ident: str) -> None:
    found = el.findall("recipient-country")
    shares = [c.get("percentage") for c in found]
    countries = []
    for c, share in zip(found, shares, strict=True):
        if share is None:
            value = 100.0 / len(found)
            if len(found) > 1:
                act.notes.append(
                    _("recipient-country {code}: no percentage; equal share used").format(
                        code=c.get("code")
                    )
                )
        else:
            value = finite_number(share, ident, f"recipient-country {c.get('code')}/@percentage")
        if value > 0:
            countries.append({"country": c.get("code", ""), "share": round(value, 6)})
    act.project["countries"] = countries
    for region in el.findall("recipient-region"):
        act.skipped.append(
            {
                "element": "recipient-region",
                "reason": _("regions are not recorded ({code})").format(code=region.get("code")),
            }
        )


def _profile(
    el: ET.Element,
    act: Activity,
    ident: str,
    lang: str,
    currency: str | None,
    titles: list[tuple[str, str]],
    descs: list[tuple[str, str]],
    main_title: str,
    main_desc: str,
) -> ProfileIn:
    rep = el.find("reporting-org")
    markers = []
    for pm in el.findall("policy-marker"):
        code, vocab = pm.get("code"), pm.get("vocabulary", "1")
        names = inverse(RIO_MARKER_CODES)
        if vocab == "1" and code in names:
            markers.append({"marker": names[code], "significance": pm.get("significance", "1")})
        else:
            act.skipped.append(
                {
                    "element": "policy-marker",
                    "reason": _("only Rio markers (6, 7) are kept, not {code}").format(code=code),
                }
            )
    humanitarian = el.get("humanitarian")
    data = {
        "identifier": ident,
        "reporting_org_ref": rep.get("ref") if rep is not None else None,
        "reporting_org_type": rep.get("type") if rep is not None else None,
        "reporting_org_name": first_text(rep, lang) or None,
        "default_currency": currency,
        "default_lang": lang,
        "humanitarian": None if humanitarian is None else humanitarian in ("1", "true"),
        "titles": {lg: t for lg, t in reversed(titles) if not (lg == lang and t == main_title)},
        "descriptions": {lg: t for lg, t in reversed(descs) if not (lg == lang and t == main_desc)},
        "sectors": [
            {
                "vocabulary": s.get("vocabulary", "1"),
                "code": s.get("code", ""),
                "percentage": s.get("percentage"),
            }
            for s in el.findall("sector")
        ],
        "policy_markers": markers,
        "humanitarian_scopes": [
            {
                "type": h.get("type", ""),
                "vocabulary": h.get("vocabulary", ""),
                "code": h.get("code", ""),
                "narrative": first_text(h, lang),
            }
            for h in el.findall("humanitarian-scope")
        ],
    }
    profile: ProfileIn | None = validated(
        ProfileIn, data, "sector/policy-marker/humanitarian-scope", act.skipped
    )
    if profile is None:
        data.update(sectors=[], policy_markers=[], humanitarian_scopes=[])
        profile = ProfileIn.model_validate(data)
    return profile
