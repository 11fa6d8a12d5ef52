"""Records created through the services (not the API), in the caller's session."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bakuhub.registry.catalog import AGREEMENTS, PARTIES, PROJECTS
from bakuhub.registry.service import create_record
from bakuhub.results.finance import add_budget, add_transaction
from bakuhub.results.profile import set_profile
from bakuhub.results.schemas import BudgetIn, ProfileIn, ResultIn, TransactionIn
from bakuhub.results.service import add_result
from bakuhub.testing.payloads import (
    agreement_body,
    full_budgets,
    full_profile,
    full_project_body,
    full_result,
    full_transactions,
    party_bodies,
)

AUTHOR = "t"
"""The author the audit log records for these records."""


def make_parties(session: Session) -> None:
    """Two organisations (IOM with an IATI id, GCF) and two countries (TCD, AZE)."""
    for raw in party_bodies():
        create_record(
            session=session,
            resource=PARTIES,
            data=PARTIES.create.model_validate(raw),
            author=AUTHOR,
        )


def make_agreement(session: Session, ref: str, parent: str | None = None) -> None:
    """An agreement, or an implementation programme under agreement ``parent``."""
    create_record(
        session=session,
        resource=AGREEMENTS,
        data=AGREEMENTS.create.model_validate(agreement_body(ref, parent)),
        author=AUTHOR,
    )


def make_project(session: Session, ref: str, **extra: Any) -> None:
    """A project ``ref`` with status 2 (implementation); fields overridable."""
    raw: dict[str, Any] = {"ref": ref, "title": f"Project {ref}", "status": "2"}
    raw.update(extra)
    create_record(
        session=session, resource=PROJECTS, data=PROJECTS.create.model_validate(raw), author=AUTHOR
    )


def make_full_project(session: Session, ref: str = "FULL-1") -> None:
    """A project that uses every field results, finance and IATI export know.

    Needs the parties of :func:`make_parties` and the programme ``prog-1``.
    """
    make_project(session, **full_project_body(ref))
    set_profile(
        session=session,
        project_ref=ref,
        author=AUTHOR,
        data=ProfileIn.model_validate(full_profile(ref)),
    )
    add_result(
        session=session,
        project_ref=ref,
        data=ResultIn.model_validate(full_result()),
        author=AUTHOR,
    )
    for budget in full_budgets():
        add_budget(
            session=session,
            project_ref=ref,
            data=BudgetIn.model_validate(budget),
            author=AUTHOR,
        )
    for raw in full_transactions():
        add_transaction(
            session=session,
            project_ref=ref,
            data=TransactionIn.model_validate(raw),
            author=AUTHOR,
        )


def make_record(session: Session) -> Session:
    """Parties, agreement ``agr-1`` with programme ``prog-1`` under it, and ``FULL-1``."""
    make_parties(session)
    make_agreement(session, "agr-1")
    make_agreement(session, "prog-1", parent="agr-1")
    make_full_project(session)
    return session
