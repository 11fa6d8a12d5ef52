"""Load the demo record (public COP29 facts) into the registry, idempotently."""

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
from bakuhub.registry.service import create_record

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


def demo_record() -> dict[str, list[dict[str, Any]]]:
    """The shipped demo record (datasets/demo/record.yaml) as plain data."""
    text = (files("bakuhub") / "datasets" / "demo" / "record.yaml").read_text(encoding="utf-8")
    data: dict[str, list[dict[str, Any]]] = yaml.safe_load(text)
    return data


def is_empty(session: Session) -> bool:
    """True when the registry holds no record at all."""
    return not session.scalar(select(func.count()).select_from(m.Party))


def seed_demo(*, session: Session, author: str) -> SeedReport:
    """Create each demo record that does not exist yet (matched by ref)."""
    return seed_records(session=session, data=demo_record(), author=author)


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
