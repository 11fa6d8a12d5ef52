"""Load the demo record (public COP29 facts) into the registry, idempotently, and
replace the placeholders earlier versions cited with the addresses of the originals."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bakuhub.errors import validated
from bakuhub.registry import models as m
from bakuhub.registry.catalog import AGREEMENTS, GROUPS, PARTIES, PROJECTS
from bakuhub.registry.resources import Resource
from bakuhub.registry.service import create_record, merged_payload, replace_record

MENAFN = (
    "https://menafn.com/1108885549/On-Sidelines-Of-COP29-ALLATRA-President-Maryna-Ovtsynova-"
    "Congratulated-Leaders-Of-Three-Countries-On-Climate-Agreement"
)
BTA = (
    "https://www.bta.bg/bg/news/world/973708-azertadzh-azerbaydzhan-shte-podkrepi-"
    "afrikanskite-strani-v-klimatichnata-diplom"
)
SUPERSEDED: dict[str, str] = {"seed document 000": MENAFN, "seed document 001": BTA}
"""Plain-text sources of earlier demo records (no address to follow) -> the original's
address, as ../shared/docs/public-record.md gives it."""

SECTIONS: tuple[tuple[str, Resource], ...] = (
    ("parties", PARTIES),
    ("agreements", AGREEMENTS),
    ("working_groups", GROUPS),
    ("projects", PROJECTS),
)


@dataclass(frozen=True)
class SeedReport:
    """How many records a seed created, and how many were already there."""

    created: int
    unchanged: int
    corrected: int = 0


def demo_record() -> dict[str, list[dict[str, Any]]]:
    """The shipped demo record (datasets/demo/record.yaml) as plain data."""
    text = (files("bakuhub") / "datasets" / "demo" / "record.yaml").read_text(encoding="utf-8")
    data: dict[str, list[dict[str, Any]]] = yaml.safe_load(text)
    return data


def is_empty(session: Session) -> bool:
    """True when the registry holds no record at all."""
    return not session.scalar(select(func.count()).select_from(m.Party))


def seed_demo(*, session: Session, author: str) -> SeedReport:
    """Create each demo record that does not exist yet (matched by ref), and give the
    demo records already there the source addresses of the originals."""
    data = demo_record()
    report = seed_records(session=session, data=data, author=author)
    corrected = correct_sources(session=session, data=data, author=author)
    return SeedReport(created=report.created, unchanged=report.unchanged, corrected=corrected)


def correct_sources(*, session: Session, data: dict[str, list[dict[str, Any]]], author: str) -> int:
    """Replace superseded plain-text sources (``SUPERSEDED``) of the records of ``data``
    already in the registry by the originals' addresses; how many records changed."""
    changed = 0
    for section, resource in SECTIONS:
        for raw in data.get(section, []):
            ref = raw.get("ref") or raw.get("iso3")
            row = session.scalar(select(resource.model).where(resource.model.ref == ref))
            sources = list(getattr(row, "sources", None) or [])
            if not any(s in SUPERSEDED for s in sources):
                continue
            fixed = list(dict.fromkeys(SUPERSEDED.get(s, s) for s in sources))
            payload = merged_payload(resource, row, {"sources": fixed})
            replace_record(session=session, resource=resource, row=row, data=payload, author=author)
            changed += 1
    return changed


def seed_records(
    *, session: Session, data: dict[str, list[dict[str, Any]]], author: str
) -> SeedReport:
    """Create records section by section; existing refs are left as they are."""
    created = unchanged = 0
    for section, resource in SECTIONS:
        for index, raw in enumerate(data.get(section, [])):
            payload = validated(resource.create, raw, what=f"{section}[{index}]")
            ref = getattr(payload, "ref", None) or getattr(payload, "iso3", None)
            exists = session.scalar(select(resource.model.id).where(resource.model.ref == ref))
            if exists:
                unchanged += 1
                continue
            create_record(session=session, resource=resource, data=payload, author=author)
            created += 1
    return SeedReport(created=created, unchanged=unchanged)
