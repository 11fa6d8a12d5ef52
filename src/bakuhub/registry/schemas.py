"""What the API and CSV accept and return for each record type.

Records refer to each other by ``ref`` (a short, stable identifier such as
``TCD``, ``IOM`` or ``baku-green-energy-2024``), never by database id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar, get_args

import pycountry
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model, model_validator

from bakuhub.i18n import _
from bakuhub.registry.codes import (
    IATI_ACTIVITY_STATUS,
    IATI_ORGANISATION_TYPES,
    AgreementKind,
    AgreementRole,
    AgreementStatus,
    HubRole,
    ItemStatus,
    OrganisationRole,
    PartyKind,
    Theme,
)
from bakuhub.registry.dates import PartialDate
from bakuhub.timestamps import UtcDateTime


def country_iso3(code: str) -> str:
    """Normalise an ISO 3166 alpha-2 or alpha-3 code to alpha-3 (pycountry)."""
    text = code.strip().upper()
    found = None
    if len(text) == 2:
        found = pycountry.countries.get(alpha_2=text)
    elif len(text) == 3:
        found = pycountry.countries.get(alpha_3=text)
    if found is None:
        raise ValueError(
            _("'{code}' is not an ISO 3166 country code; use e.g. TCD or TD for Chad").format(
                code=code
            )
        )
    return str(found.alpha_3)


def country_name(iso3: str) -> str:
    """Common English name of a country (pycountry)."""
    found = pycountry.countries.get(alpha_3=iso3)
    return str(getattr(found, "common_name", None) or found.name) if found else iso3


def _org_type(code: str) -> str:
    if code not in IATI_ORGANISATION_TYPES:
        allowed = ", ".join(f"{k} {v}" for k, v in IATI_ORGANISATION_TYPES.items())
        raise ValueError(
            _("'{code}' is not an IATI organisation type; allowed: {allowed}").format(
                code=code, allowed=allowed
            )
        )
    return code


def _activity_status(code: str) -> str:
    if code not in IATI_ACTIVITY_STATUS:
        allowed = ", ".join(f"{k} {v}" for k, v in IATI_ACTIVITY_STATUS.items())
        raise ValueError(
            _("'{code}' is not an IATI activity status; allowed: {allowed}").format(
                code=code, allowed=allowed
            )
        )
    return code


Country = Annotated[str, AfterValidator(country_iso3)]
OrgType = Annotated[str, AfterValidator(_org_type)]
ActivityStatus = Annotated[str, AfterValidator(_activity_status)]
Ref = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")]
Text = Annotated[str, Field(max_length=20000)]


class Strict(BaseModel):
    """Refuses unknown fields, so a typo is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _takes_none(annotation: Any) -> bool:
    return annotation is None or type(None) in get_args(annotation)


def _cleared(description: str | None) -> str:
    return f"{description} (null clears it)" if description else "Null clears it."


def nulls_as(
    fields: type[BaseModel], *, cleared: frozenset[str] = frozenset()
) -> Callable[[dict[str, Any]], None]:
    """``json_schema_extra`` of a hand-written update schema: a property is nullable only
    where ``fields`` (the record's own schema) takes null, or where the service reads null
    as "clear it" (``cleared``); elsewhere the record refuses null (422), and so does the
    schema."""

    def fix(schema: dict[str, Any]) -> None:
        for key, prop in schema.get("properties", {}).items():
            info = fields.model_fields.get(key)
            if info is None or key in cleared or _takes_none(info.annotation):
                continue
            options = [o for o in prop.get("anyOf", []) if o.get("type") != "null"]
            if "anyOf" not in prop or len(options) == len(prop["anyOf"]):
                continue
            del prop["anyOf"]
            if len(options) == 1:
                prop.update(options[0])
            else:
                prop["anyOf"] = options

    return fix


def partial_update(name: str, fields: type[BaseModel]) -> type[BaseModel]:
    """The update schema of a record type: ``version`` plus every field, optional.

    Each field keeps its type and constraints; rules across fields are checked on the
    merged record (the service validates it with the create schema). A field left out
    is unchanged; null is accepted where the record takes null (it clears the field)
    and refused by the schema elsewhere, so the schema says what the API accepts.
    """
    optional: dict[str, Any] = {}
    for key, info in fields.model_fields.items():
        kind: Any = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
        if not _takes_none(info.annotation):
            # Left out: unchanged. Null is refused by the schema as by the record.
            optional[key] = (kind, Field(default=None, description=info.description))
            continue
        optional[key] = (kind, Field(default=None, description=_cleared(info.description)))
    model: type[BaseModel] = create_model(
        name,
        __base__=Strict,
        __doc__="Changes to a record: send the version you read and the fields to change.",
        version=(int, Field(description="The version you read (a stale one is refused)")),
        **optional,
    )
    return model


class Stamp(BaseModel):
    """Bookkeeping every record returns."""

    id: int
    version: int
    created_at: UtcDateTime
    updated_at: UtcDateTime
    created_by: str
    updated_by: str


# ---- parties -----------------------------------------------------------------


class PartyFields(Strict):
    kind: PartyKind
    name: str = Field(default="", max_length=300)
    iso3: Country | None = None
    org_type: OrgType | None = None
    iati_ref: str | None = Field(default=None, max_length=100)
    hub_role: HubRole | None = None
    hub_joined: PartialDate | None = None
    notes: Text = ""
    sources: list[str] = Field(default_factory=list)
    published: bool = Field(default=True, description="Whether the public sees it")

    @model_validator(mode="after")
    def _kind_rules(self) -> PartyFields:
        if self.kind == PartyKind.country:
            if not self.iso3:
                raise ValueError(_("a country needs iso3 (its ISO 3166 code)"))
            if not self.name:
                self.name = country_name(self.iso3)
        else:
            if not self.name:
                raise ValueError(_("an organisation needs a name"))
            if not self.org_type:
                raise ValueError(
                    _("an organisation needs org_type (an IATI organisation type code)")
                )
        return self


class PartyCreate(PartyFields):
    ref: Ref | None = None


PartyUpdate = partial_update("PartyUpdate", PartyFields)


class PartyOut(PartyFields, Stamp):
    model_config = ConfigDict(extra="ignore")
    ref: str
    iso2: str | None = None


# ---- agreements --------------------------------------------------------------


class AgreementPartyIn(Strict):
    party: Ref
    role: AgreementRole


class RatificationIn(Strict):
    party: Ref
    date: PartialDate | None = None
    body: str = Field(default="", max_length=200)
    source: str = Field(default="", max_length=500)


class DocumentOut(BaseModel):
    id: int
    filename: str
    media_type: str
    size: int
    sha256: str
    uploaded_at: UtcDateTime
    uploaded_by: str


class AgreementFields(Strict):
    title: str = Field(min_length=1, max_length=500)
    kind: AgreementKind
    place: str = Field(default="", max_length=200)
    signed: PartialDate | None = None
    status: AgreementStatus = AgreementStatus.signed
    parent: Ref | None = None
    summary: Text = ""
    parties: list[AgreementPartyIn] = Field(default_factory=list)
    ratifications: list[RatificationIn] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    published: bool = Field(default=True, description="Whether the public sees it")


class AgreementCreate(AgreementFields):
    ref: Ref


AgreementUpdate = partial_update("AgreementUpdate", AgreementFields)


class AgreementOut(AgreementFields, Stamp):
    model_config = ConfigDict(extra="ignore")
    ref: str
    documents: list[DocumentOut] = Field(default_factory=list)


# ---- working groups ----------------------------------------------------------


class MemberIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    organisation: str = Field(default="", max_length=300)
    country: Country | None = None
    role: str = Field(default="member", max_length=100)


class MeetingIn(Strict):
    date: dt.date
    place: str = Field(default="", max_length=200)
    minutes: Text = ""


def _languages_known(texts: dict[str, str]) -> dict[str, str]:
    from bakuhub.i18n import LANGUAGES, PREPARING

    known = {**LANGUAGES, **PREPARING}
    for language in texts:
        if language not in known:
            raise ValueError(
                _("'{language}' is not a language bakuhub speaks; use one of {known}.").format(
                    language=language[:20], known=", ".join(known)
                )
            )
    return {k: v.strip() for k, v in texts.items() if v.strip()}


class DecisionIn(Strict):
    date: dt.date | None = None
    text: Text = Field(min_length=1)
    texts: Annotated[
        dict[Annotated[str, Field(max_length=8)], Text],
        Field(max_length=8, description="The decision in more languages: code -> text."),
        AfterValidator(_languages_known),
    ] = Field(default_factory=dict)


class ActionItemIn(Strict):
    description: Text = Field(min_length=1)
    owner: str = Field(default="", max_length=200)
    due: dt.date | None = None
    status: ItemStatus = ItemStatus.open


class GroupFields(Strict):
    name: str = Field(min_length=1, max_length=300)
    agreement: Ref | None = None
    mandate: Text = ""
    established: PartialDate | None = None
    parties: list[Ref] = Field(default_factory=list)
    members: list[MemberIn] = Field(default_factory=list)
    meetings: list[MeetingIn] = Field(default_factory=list)
    decisions: list[DecisionIn] = Field(default_factory=list)
    action_items: list[ActionItemIn] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    published: bool = Field(default=True, description="Whether the public sees it")


class GroupCreate(GroupFields):
    ref: Ref


GroupUpdate = partial_update("GroupUpdate", GroupFields)


class GroupOut(GroupFields, Stamp):
    model_config = ConfigDict(extra="ignore")
    ref: str


# ---- projects ----------------------------------------------------------------


class ProjectCountryIn(Strict):
    country: Country
    share: float = Field(gt=0, le=100, description="Share of the project, percent")


class ProjectOrgIn(Strict):
    party: Ref
    role: OrganisationRole


class MilestoneIn(Strict):
    title: str = Field(min_length=1, max_length=300)
    due: dt.date | None = None
    done: dt.date | None = None
    status: ItemStatus = ItemStatus.open


def _check_shares(countries: list[ProjectCountryIn] | None) -> None:
    if not countries:
        return
    total = sum(c.share for c in countries)
    if abs(total - 100.0) > 0.01:
        raise ValueError(
            _("recipient country shares add up to {total} %, not 100 %").format(total=f"{total:g}")
        )
    codes = [c.country for c in countries]
    if len(set(codes)) != len(codes):
        raise ValueError(_("a recipient country is listed twice"))


def _check_location(lat: float | None, lon: float | None) -> None:
    if (lat is None) != (lon is None):
        raise ValueError(_("give both latitude and longitude, or neither"))


class ProjectFields(Strict):
    title: str = Field(min_length=1, max_length=500)
    description: Text = ""
    agreement: Ref | None = None
    status: ActivityStatus = "1"
    themes: list[Theme] = Field(default_factory=list)
    planned_start: dt.date | None = None
    actual_start: dt.date | None = None
    planned_end: dt.date | None = None
    actual_end: dt.date | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    countries: list[ProjectCountryIn] = Field(default_factory=list)
    organisations: list[ProjectOrgIn] = Field(default_factory=list)
    milestones: list[MilestoneIn] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    published: bool = Field(default=True, description="Whether the public sees it")

    @model_validator(mode="after")
    def _consistent(self) -> ProjectFields:
        _check_shares(self.countries)
        _check_location(self.latitude, self.longitude)
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            raise ValueError(_("planned_end is before planned_start"))
        return self


class ProjectCreate(ProjectFields):
    ref: Ref


ProjectUpdate = partial_update("ProjectUpdate", ProjectFields)


class ProjectOut(ProjectFields, Stamp):
    model_config = ConfigDict(extra="ignore")
    ref: str


Item = TypeVar("Item")


class Page(BaseModel, Generic[Item]):
    """One page of a list (``Page[PartyOut]`` in the API: its items typed)."""

    items: list[Item]
    total: int = Field(description="How many records match, on every page.")
    limit: int = Field(description="The page size used (the server may lower it).")
    offset: int = Field(description="How many matches come before this page.")
