"""Tables of the record: parties, agreements, working groups, projects."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from bakuhub.db import Base, utcnow


class Tracked:
    """Created/updated time and author, a version for optimistic locking, and whether
    the public sees the record (``published``; drafts are seen by signed-in users)."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), default="system")
    updated_by: Mapped[str] = mapped_column(String(120), default="system")
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    published: Mapped[bool] = mapped_column(Boolean, default=True, index=True)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        """Refuse concurrent stale writes; the service bumps ``version`` once per change."""
        return {
            "version_id_col": cls.__table__.c.version,  # type: ignore[attr-defined]
            "version_id_generator": False,
        }


class Party(Tracked, Base):
    """A country (ISO 3166) or an organisation (IATI organisation type)."""

    __tablename__ = "parties"

    ref: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    iso3: Mapped[str | None] = mapped_column(String(3), unique=True)
    org_type: Mapped[str | None] = mapped_column(String(4))
    iati_ref: Mapped[str | None] = mapped_column(String(100))
    hub_role: Mapped[str | None] = mapped_column(String(30), index=True)
    hub_joined_on: Mapped[dt.date | None]
    hub_joined_precision: Mapped[str | None] = mapped_column(String(8))
    notes: Mapped[str] = mapped_column(Text, default="")


class Agreement(Tracked, Base):
    """A call, agreement, memorandum or implementation programme."""

    __tablename__ = "agreements"

    ref: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(30), index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    signed_on: Mapped[dt.date | None] = mapped_column(index=True)
    signed_precision: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(30), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id", ondelete="RESTRICT"))
    summary: Mapped[str] = mapped_column(Text, default="")

    parent: Mapped[Agreement | None] = relationship(remote_side="Agreement.id", lazy="joined")
    parties: Mapped[list[AgreementParty]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="AgreementParty.id"
    )
    ratifications: Mapped[list[Ratification]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="Ratification.id"
    )
    documents: Mapped[list[Document]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="Document.id"
    )


class AgreementParty(Base):
    """A party to an agreement, in a role."""

    __tablename__ = "agreement_parties"
    __table_args__ = (UniqueConstraint("agreement_id", "party_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    party: Mapped[Party] = relationship(lazy="joined")


class Ratification(Base):
    """One party's ratification (or approval) of an agreement."""

    __tablename__ = "ratifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), index=True)
    ratified_on: Mapped[dt.date | None]
    ratified_precision: Mapped[str | None] = mapped_column(String(8))
    body: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(500), default="")
    party: Mapped[Party] = relationship(lazy="joined")


class Document(Base):
    """A file attached to an agreement, stored by its SHA-256 checksum."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    uploaded_by: Mapped[str] = mapped_column(String(120), default="system")


class WorkingGroup(Tracked, Base):
    """A Joint Working Group set up under an agreement."""

    __tablename__ = "working_groups"

    ref: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    agreement_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreements.id", ondelete="RESTRICT"), index=True
    )
    mandate: Mapped[str] = mapped_column(Text, default="")
    established_on: Mapped[dt.date | None]
    established_precision: Mapped[str | None] = mapped_column(String(8))

    agreement: Mapped[Agreement | None] = relationship(lazy="joined")
    parties: Mapped[list[GroupParty]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="GroupParty.id"
    )
    members: Mapped[list[GroupMember]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="GroupMember.id"
    )
    meetings: Mapped[list[Meeting]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="Meeting.id"
    )
    decisions: Mapped[list[Decision]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="Decision.id"
    )
    action_items: Mapped[list[ActionItem]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ActionItem.id"
    )


class GroupParty(Base):
    __tablename__ = "group_parties"
    __table_args__ = (UniqueConstraint("group_id", "party_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"))
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), index=True)
    party: Mapped[Party] = relationship(lazy="joined")


class GroupMember(Base):
    __tablename__ = "group_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(300), default="")
    country: Mapped[str | None] = mapped_column(String(3))
    role: Mapped[str] = mapped_column(String(100), default="member")


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"))
    held_on: Mapped[dt.date]
    place: Mapped[str] = mapped_column(String(200), default="")
    minutes: Mapped[str] = mapped_column(Text, default="")


class Decision(Base):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"))
    decided_on: Mapped[dt.date | None]
    text: Mapped[str] = mapped_column(Text)
    texts: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default="{}")
    """The decision in more languages (language -> text); ``text`` is as it was taken."""


class ActionItem(Base):
    __tablename__ = "action_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"))
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[dt.date | None]
    status: Mapped[str] = mapped_column(String(20), default="open")


class Project(Tracked, Base):
    """A project under an agreement or programme (IATI activity)."""

    __tablename__ = "projects"

    ref: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(500), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    agreement_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreements.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[str] = mapped_column(String(2), index=True)
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    planned_start: Mapped[dt.date | None]
    actual_start: Mapped[dt.date | None]
    planned_end: Mapped[dt.date | None]
    actual_end: Mapped[dt.date | None]
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)

    agreement: Mapped[Agreement | None] = relationship(lazy="joined")
    countries: Mapped[list[ProjectCountry]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ProjectCountry.id"
    )
    organisations: Mapped[list[ProjectOrganisation]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ProjectOrganisation.id"
    )
    milestones: Mapped[list[Milestone]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="Milestone.id"
    )


class ProjectCountry(Base):
    __tablename__ = "project_countries"
    __table_args__ = (UniqueConstraint("project_id", "iso3"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    iso3: Mapped[str] = mapped_column(String(3), index=True)
    share: Mapped[float] = mapped_column(Float)


class ProjectOrganisation(Base):
    __tablename__ = "project_organisations"
    __table_args__ = (UniqueConstraint("project_id", "party_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    party: Mapped[Party] = relationship(lazy="joined")


class Milestone(Base):
    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[dt.date | None]
    done_on: Mapped[dt.date | None]
    status: Mapped[str] = mapped_column(String(20), default="open")


class RecordText(Base):
    """One field of one record in one more language (the record's own column holds the
    text in the language it was written in; IATI calls these narratives).

    ``target`` names the kind of record (``project``, ``working_group``, ``result``,
    ``decision``...), ``field`` the text (``title``, ``description``, ``narrative``).
    """

    __tablename__ = "record_texts"
    __table_args__ = (UniqueConstraint("target", "target_id", "field", "language"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target: Mapped[str] = mapped_column(String(30), index=True)
    target_id: Mapped[int] = mapped_column(Integer, index=True)
    field: Mapped[str] = mapped_column(String(30))
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(120), default="system")
