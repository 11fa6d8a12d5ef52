"""Read IATI ``result`` elements into results-framework payloads."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from bakuhub.i18n import _
from bakuhub.results.codes import INDICATOR_VOCABULARY_OWN, MEASURE_CODES, RESULT_TYPE_CODES

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
DIMENSIONS = {
    "sex": "sex",
    "gender": "sex",
    "age": "age",
    "age group": "age",
    "age-group": "age",
    "displacement": "displacement",
    "displacement status": "displacement",
    "location": "location",
}


def _text(el: ET.Element | None, lang: str) -> str:
    if el is None:
        return ""
    items = el.findall("narrative") or [el]
    texts = [(n.get(XML_LANG, lang), " ".join((n.text or "").split())) for n in items]
    texts = [(lg, t) for lg, t in texts if t]
    return next((t for lg, t in texts if lg == lang), texts[0][1] if texts else "")


def _number(raw: str | None) -> float | None:
    if raw is None or not raw.strip():
        return None
    try:
        return float(raw)
    except ValueError:
        return None


def _bool(raw: str | None, default: bool) -> bool:
    return default if raw is None else raw.strip().lower() in ("1", "true")


def read_result(r: ET.Element, lang: str, skipped: list[dict[str, str]]) -> dict[str, Any] | None:
    """A ``ResultIn`` payload from a ``result`` element (None, noted, if it cannot be kept)."""
    kinds = {code: kind.value for kind, code in RESULT_TYPE_CODES.items()}
    kind = kinds.get(r.get("type", ""))
    title = _text(r.find("title"), lang)
    if kind is None or not title:
        skipped.append(
            {
                "element": "result",
                "reason": _("type '{type}' or title missing").format(type=r.get("type")),
            }
        )
        return None
    indicators = [i for i in (_indicator(x, lang, skipped) for x in r.findall("indicator")) if i]
    return {
        "kind": kind,
        "title": title[:500],
        "description": _text(r.find("description"), lang),
        "indicators": indicators,
    }


def _indicator(el: ET.Element, lang: str, skipped: list[dict[str, str]]) -> dict[str, Any] | None:
    measures = {code: m.value for m, code in MEASURE_CODES.items()}
    measure = measures.get(el.get("measure", ""))
    title = _text(el.find("title"), lang)
    if measure is None or not title:
        skipped.append(
            {
                "element": "indicator",
                "reason": _("measure '{measure}' or title missing").format(
                    measure=el.get("measure")
                ),
            }
        )
        return None
    code = None
    for ref in el.findall("reference"):
        candidate = ref.get("code", "")
        if ref.get("vocabulary") == INDICATOR_VOCABULARY_OWN and CODE.match(candidate):
            code = candidate
        else:
            skipped.append(
                {
                    "element": "indicator/reference",
                    "reason": _("vocabulary {vocabulary} code {code} is not kept").format(
                        vocabulary=ref.get("vocabulary"), code=candidate
                    ),
                }
            )
    out: dict[str, Any] = {
        "code": code,
        "title": title[:500],
        "description": _text(el.find("description"), lang),
        "measure": measure,
        "ascending": _bool(el.get("ascending"), True),
        "include_in_rollup": _bool(el.get("aggregation-status"), True),
        "periods": [_period(p, lang, measure, skipped) for p in el.findall("period")],
    }
    baseline = el.find("baseline")
    if baseline is not None:
        year = (baseline.get("year") or "").strip()
        out["baseline_year"] = int(year) if year.isdecimal() and int(year) else None
        if year and out["baseline_year"] is None:
            skipped.append(
                {
                    "element": "indicator/baseline",
                    "reason": _("year '{year}' unknown").format(year=year),
                }
            )
        out["baseline_value"] = _number(baseline.get("value"))
        out["baseline_comment"] = _text(baseline.find("comment"), lang)
        if baseline.get("value") and out["baseline_value"] is None:  # a qualitative baseline
            out["baseline_comment"] = f"{baseline.get('value')} {out['baseline_comment']}".strip()
        if len(el.findall("baseline")) > 1:
            skipped.append(
                {"element": "indicator/baseline", "reason": _("only the first baseline is kept")}
            )
    return out


def _period(
    p: ET.Element, lang: str, measure: str, skipped: list[dict[str, str]]
) -> dict[str, Any]:
    start, end = p.find("period-start"), p.find("period-end")
    out: dict[str, Any] = {
        "start": start.get("iso-date") if start is not None else None,
        "end": end.get("iso-date") if end is not None else None,
        "disaggregations": [],
    }
    for side in ("target", "actual"):
        for el in p.findall(side):
            dims = el.findall("dimension")
            value = _number(el.get("value"))
            if not dims:
                if f"{side}" in out:
                    skipped.append(
                        {"element": f"period/{side}", "reason": _("a second total is not kept")}
                    )
                    continue
                out[side] = value
                comment = _text(el.find("comment"), lang)
                if el.get("value") and value is None:
                    comment = f"{el.get('value')} {comment}".strip()
                out[f"{side}_comment"] = comment
                link = el.find("document-link")
                if side == "actual" and link is not None and link.get("url", "").startswith("http"):
                    out["evidence_url"] = link.get("url")
                continue
            name = DIMENSIONS.get((dims[0].get("name") or "").strip().lower())
            if len(dims) > 1 or name is None or value is None:
                skipped.append(
                    {
                        "element": f"period/{side}/dimension",
                        "reason": _("only one sex, age, displacement or location number is kept"),
                    }
                )
                continue
            out["disaggregations"].append(
                {
                    "side": side,
                    "dimension": name,
                    "category": (dims[0].get("value") or "")[:100],
                    "value": value,
                }
            )
    return out
