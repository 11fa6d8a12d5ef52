"""Every success answer of the API has a shape the OpenAPI document states: no operation
answers a free-form object (``dict[str, Any]``: an object without properties, or one
with ``additionalProperties: true``) except the stored documents listed below, each
with why. Maps with data-dependent keys (values per country or pillar code) are fine
when they say what their values are (``dict[str, float]``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bakuhub.config import Settings
from bakuhub.web.app import create_app

API = "/api/v1"
STORED_DOCUMENTS = {
    # A corridor scenario as stored: the corridor model's own format (scenario YAML as
    # JSON); it grows with the model and is checked by the model's rules, not here.
    "ScenarioOut.scenario": "a scenario as stored (scenario YAML as JSON)",
    "JobDetail.inputs": "a job's exact inputs: a whole scenario and the run's options",
    "StudyDetail.inputs": "a study's exact inputs: a whole scenario and the run's options",
    # A study summary is written by the corridor model of the version that ran it (older
    # jobs carry fewer keys); its keys name their units (export_twh, lcoe_eur_mwh).
    "ResultOut.summary": "a study summary as stored with the job",
    "StudyDetail.summary": "a study summary as stored with the job",
    "JobResultOut.summary": "a study summary as stored with the job",
    # Settings of a stored risk run, as the engine of its day wrote them (older runs
    # lack later keys; model_from_dict fills their defaults when a run is recomputed).
    "RunOut.settings": "a risk run's settings as stored",
    # The audit log keeps each record as it was before and after a change: the shape of
    # whichever record type the entry names (party, project, period...).
    "AuditEntryOut.before": "a record of any type, as it was",
    "AuditEntryOut.after": "a record of any type, as it became",
    # The scenario fields a sweep varies, by path, with the value of each run.
    "SweepRunOut.params": "scenario field path -> the run's value (number or text)",
}
"""Where an answer may stay free-form: schema component and property (or the operation
id, for a whole answer), with why."""


def free_form(
    schema: dict[str, Any], components: dict[str, Any], where: str, seen: frozenset[str]
) -> list[str]:
    """The places under ``schema`` that are free-form objects, named ``Component.property``
    (or ``where`` for the top level); ``$ref`` are followed once per path."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        return free_form(components[name], components, name, seen | {name})
    found: list[str] = []
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            found += free_form(sub, components, where, seen)
    if schema.get("type") == "array" and "items" in schema:
        found += free_form(schema["items"], components, where, seen)
    is_object = schema.get("type") == "object" or "properties" in schema
    extra = schema.get("additionalProperties")
    if is_object or extra is not None:
        properties = schema.get("properties") or {}
        if extra is True or extra == {} or (not properties and extra is None):
            found.append(where)
        for name, sub in properties.items():
            found += free_form(sub, components, f"{where.split('.')[0]}.{name}", seen)
        if isinstance(extra, dict) and extra:
            found += free_form(extra, components, where, seen)
    return found


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder: Path = tmp_path_factory.mktemp("contract-shapes")
    settings = Settings(data_dir=folder / "data", seed_demo=False, reference_study=False)
    return create_app(settings).openapi()


def answers(document: dict[str, Any]) -> dict[str, list[str]]:
    """Free-form places of each operation's success JSON answers, by operation id."""
    components = document["components"]["schemas"]
    out: dict[str, list[str]] = {}
    for path, operations in document["paths"].items():
        if not path.startswith(API):
            continue
        for operation in operations.values():
            for status, answer in operation["responses"].items():
                if not status.startswith("2"):
                    continue
                for media, content in answer.get("content", {}).items():
                    if "json" in media:
                        where = operation["operationId"]
                        found = free_form(content["schema"], components, where, frozenset())
                        out.setdefault(where, []).extend(found)
    return out


def test_the_checker_finds_free_form_objects_and_accepts_typed_maps() -> None:
    components = {
        "Typed": {
            "type": "object",
            "properties": {
                "pillars": {"type": "object", "additionalProperties": {"type": "number"}},
                "loose": {"type": "object", "additionalProperties": True},
                "nested": {"type": "array", "items": {"$ref": "#/components/schemas/Bare"}},
            },
        },
        "Bare": {"type": "object"},
    }
    found = free_form({"$ref": "#/components/schemas/Typed"}, components, "op", frozenset())
    assert sorted(found) == ["Bare", "Typed.loose"]
    assert free_form({"type": "object"}, {}, "op", frozenset()) == ["op"]
    counts = {"type": "object", "additionalProperties": {"type": "integer"}}
    assert free_form(counts, {}, "op", frozenset()) == []


def test_no_success_answer_is_free_form_outside_the_stored_documents(
    document: dict[str, Any],
) -> None:
    found = answers(document)
    loose = sorted(
        {f"{op}: {place}" for op, places in found.items() for place in places}
        - {
            f"{op}: {place}"
            for op, places in found.items()
            for place in places
            if place in STORED_DOCUMENTS
        }
    )
    assert not loose, "free-form answers (type them, or list them with why):\n" + "\n".join(loose)
    everywhere = {place for places in found.values() for place in places}
    stale = sorted(set(STORED_DOCUMENTS) - everywhere)
    assert not stale, f"listed as free-form but typed now (drop them from the list): {stale}"


def test_data_dependent_maps_say_what_their_values_are(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    pillars = schemas["ScoreOut"]["properties"]["pillars"]["additionalProperties"]
    assert {s.get("type") for s in pillars["anyOf"]} == {"number", "null"}
    shares = schemas["AuditOut"]["properties"]["shares"]["additionalProperties"]
    assert shares["type"] == "object" and "anyOf" in shares["additionalProperties"]
    money = schemas["TotalsGroup"]["properties"]
    assert set(money) == {
        "key",
        "budget",
        "incoming-funds",
        "commitment",
        "disbursement",
        "expenditure",
    }
