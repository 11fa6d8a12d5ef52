"""Saved scenarios as records: save, fork, change with the version check, publish,
who sees drafts, YAML out and back in, and field errors a form can place."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from bakuhub.accounts.permissions import Forbidden, Principal, Role, Unauthenticated
from bakuhub.errors import Conflict, InvalidInput, NotFound, StaleVersion
from bakuhub.studies import scenarios

ANA = Principal(1, "ana", Role.focal_point, party_ref="AZE")
BEN = Principal(2, "ben", Role.focal_point, party_ref="GEO")
SEC = Principal(3, "sec", Role.secretariat)
VIEWER = Principal(4, "vic", Role.viewer)


def _fork(session: Session, who: Principal = ANA, ref: str = "cheap-cable") -> Any:
    return scenarios.fork_scenario(session=session, principal=who, source="reference-2030", ref=ref)


def test_a_fork_of_a_shipped_scenario_is_a_draft_that_records_its_parent(
    session: Session,
) -> None:
    row = _fork(session)
    assert (row.author, row.version, row.published, row.parent) == (
        "ana",
        1,
        False,
        "reference-2030",
    )
    assert row.spec["name"] == "cheap-cable" and len(row.digest) == 64
    again = scenarios.fork_scenario(session=session, principal=BEN, source="reference-2030")
    assert again.ref == "reference-2030-ben"  # a free reference made for the fork
    with pytest.raises(Conflict, match="exists already"):
        _fork(session, BEN)
    with pytest.raises(Forbidden, match="focal point"):
        _fork(session, VIEWER, "x-view")


def test_a_change_based_on_an_old_version_is_refused(session: Session) -> None:
    row = _fork(session)
    spec = {**row.spec, "co2": {"price_eur_t": 80.0}}
    spec["costs"] = {**spec["costs"], "cable_cost": "low"}
    changed = scenarios.update_scenario(
        session=session, principal=ANA, ref=row.ref, version=1, spec=spec
    )
    assert changed.version == 2 and changed.spec["co2"]["price_eur_t"] == 80.0
    with pytest.raises(StaleVersion, match="version 2, your change is based on version 1"):
        scenarios.update_scenario(
            session=session, principal=ANA, ref=row.ref, version=1, title="late"
        )
    with pytest.raises(NotFound):  # someone else's draft is not told to exist
        scenarios.set_published(session=session, principal=BEN, ref=row.ref, published=True)
    scenarios.set_published(session=session, principal=ANA, ref=row.ref, published=True)
    with pytest.raises(Forbidden, match="only its author or the secretariat"):
        scenarios.set_published(session=session, principal=BEN, ref=row.ref, published=False)


def test_a_draft_is_not_found_by_others_until_it_is_published(session: Session) -> None:
    row = _fork(session)
    for who in (None, BEN):
        with pytest.raises(NotFound):
            scenarios.get_scenario(session=session, principal=who, ref=row.ref)
        assert row.ref not in [
            r.ref for r in scenarios.list_scenarios(session=session, principal=who)
        ]
    assert scenarios.get_scenario(session=session, principal=SEC, ref=row.ref).ref == row.ref
    scenarios.set_published(session=session, principal=ANA, ref=row.ref, published=True, version=1)
    assert scenarios.get_scenario(session=session, principal=None, ref=row.ref).version == 2
    fork = scenarios.fork_scenario(session=session, principal=BEN, source=row.ref)
    assert (fork.parent, fork.author, fork.published) == (row.ref, "ben", False)


@pytest.mark.parametrize(
    ("change", "loc", "said"),
    [
        ({"resolution": "fortnightly"}, ["resolution"], "is not a resolution"),
        ({"resolution": "repdays/0"}, ["resolution"], "between 1 and 24"),
        ({"links": {"CASPIAN": {"mode": "fixed"}}}, ["links", "CASPIAN"], "needs p_nom_mw"),
        ({"weather": {"source": "agora", "path": "/srv"}}, ["weather"], "shipped weather"),
        ({"year": 2031}, ["year"], "must be one of"),
    ],
)
def test_a_bad_field_is_refused_with_its_path(
    session: Session, change: dict[str, Any], loc: list[Any], said: str
) -> None:
    spec = {"year": 2030, **change}
    with pytest.raises(InvalidInput) as caught:
        scenarios.create_scenario(
            session=session, principal=ANA, ref="bad-one", title="Bad", spec=spec
        )
    locs = [d["loc"] for d in caught.value.details]
    assert loc in locs, locs
    assert said in caught.value.message


def test_yaml_out_and_back_in_is_the_same_scenario(session: Session) -> None:
    row = _fork(session)
    text = scenarios.export_yaml(session=session, principal=ANA, ref=row.ref)
    back = scenarios.import_yaml(session=session, principal=BEN, text=text, ref="copy-of-it")
    assert {**back.spec, "name": row.ref} == row.spec
    bad = text.replace("resolution: repdays/12", "resolution: fortnightly")
    assert bad != text
    with pytest.raises(InvalidInput) as caught:
        scenarios.import_yaml(session=session, principal=BEN, text=bad, ref="bad-copy")
    assert [d["loc"] for d in caught.value.details] == [["resolution"]]
    with pytest.raises(InvalidInput, match=r"anchors|alias"):
        scenarios.import_yaml(session=session, principal=BEN, text="a: &x 1\nb: *x\n")
    with pytest.raises(Unauthenticated):
        scenarios.import_yaml(session=session, principal=None, text=text)


def test_a_scenario_is_deleted_by_its_author_with_its_comments(session: Session) -> None:
    from bakuhub.studies.comments import add_comment, list_comments

    row = _fork(session)
    add_comment(session=session, principal=BEN, target_type="scenario", target=row.ref, body="ok")
    scenarios.set_published(session=session, principal=ANA, ref=row.ref, published=True)
    with pytest.raises(Forbidden):
        scenarios.delete_scenario(session=session, principal=BEN, ref=row.ref)
    scenarios.delete_scenario(session=session, principal=ANA, ref=row.ref, version=2)
    assert list_comments(session=session, target_type="scenario", target=row.ref) == []
    with pytest.raises(NotFound):
        scenarios.get_scenario(session=session, principal=SEC, ref=row.ref)
