"""Payloads of saved scenarios, studies, comparisons and comments (API and pages)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from bakuhub.corridor.safe_yaml import MAX_YAML_BYTES
from bakuhub.studies.comments import MAX_BODY
from bakuhub.timestamps import UtcDateTime

Ref = Annotated[str, Field(min_length=2, max_length=80, pattern=r"^[a-z0-9][a-z0-9-]{1,79}$")]
Title = Annotated[str, Field(min_length=1, max_length=200)]
Description = Annotated[str, Field(max_length=4000)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScenarioIn(In):
    """A scenario to save: its reference, title, and the scenario itself (the fields
    of a scenario YAML file; no server paths)."""

    ref: Ref
    title: Title
    description: Description = ""
    scenario: dict[str, Any] = Field(description="The scenario's fields, as in its YAML file.")


class ScenarioChange(In):
    """A change of a saved scenario, based on ``version`` (what was read)."""

    version: Version
    title: Title | None = None
    description: Description | None = None
    scenario: dict[str, Any] | None = None


class ForkIn(In):
    """A fork: the new reference and title (made from the source when left out)."""

    ref: Ref | None = None
    title: Title | None = None


class PublishIn(In):
    """Publish (true) or return to draft (false), based on ``version`` when given."""

    published: bool = True
    version: Version | None = None


class ImportIn(In):
    """A scenario YAML file's text to save as a new draft."""

    yaml: str = Field(max_length=MAX_YAML_BYTES, description="The YAML file's text.")
    ref: Ref | None = None
    title: Title | None = None


class RunIn(In):
    """A run of a saved scenario or a study's scenario as a job."""

    resolution: str | None = Field(
        default=None, max_length=32, description="Override: hourly, Nh, repdays, segments:N."
    )
    counterfactual: bool = Field(default=False, description="Also solve without the cable.")


class CommentIn(In):
    """A comment: markdown source."""

    body: str = Field(min_length=1, max_length=MAX_BODY)


class ScenarioOut(BaseModel):
    """A saved scenario."""

    ref: str
    title: str
    description: str
    author: str
    version: int
    parent: str | None
    published: bool
    digest: str
    scenario: dict[str, Any]
    created_at: UtcDateTime
    updated_at: UtcDateTime


class ScenarioListed(BaseModel):
    """A scenario in the list: shipped (``kind`` shipped, ``name``) or saved (``ref``)."""

    kind: str
    name: str
    title: str
    year: int
    description: str
    hash: str
    author: str | None = None
    version: int | None = None
    published: bool = True
    parent: str | None = None


class StudyOut(BaseModel):
    """A study as listed: where its scenario came from, who ran it how, key figures."""

    name: str
    state: str
    scenario: str
    scenario_ref: str | None
    shipped: str | None
    scenario_hash: str
    resolution: str
    weather: str
    year: int
    author: str
    origin: str
    job_id: int | None
    counterfactual: str | None
    figures: dict[str, float | None]
    error: str | None
    created_at: UtcDateTime


class StudyDetail(StudyOut):
    """A study with its exact inputs, its downloads and its summary."""

    inputs: dict[str, Any]
    files: list[str]
    summary: dict[str, Any] | None


class CompareRow(BaseModel):
    """One key figure across the compared studies."""

    key: str
    label: str
    unit: str
    values: list[float | None]
    differences: list[float | None]
    difference: float | None


class ComparisonOut(BaseModel):
    """Studies side by side: the first is the base of the differences."""

    studies: list[StudyOut]
    rows: list[CompareRow]
    warnings: list[str]


class CommentOut(BaseModel):
    """A comment: its source and its safe HTML."""

    id: int
    author: str
    body: str
    html: str
    created_at: UtcDateTime
