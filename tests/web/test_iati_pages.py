"""The IATI page without a browser: who sees what, the upload -> preview -> import of a
funder's file (``tests/results/data/funder-activity.xml``), and the sentences a bad
upload gets."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bakuhub.results import iati_uploads
from bakuhub.results import models as m
from bakuhub.testing import make_record

FUNDER_FILE = Path(__file__).parents[1] / "results" / "data" / "funder-activity.xml"
ACTIVITY = "XM-EXAMPLE-FUNDER-FP-777"


def _upload(client: TestClient, content: bytes, name: str = "funder.xml") -> tuple[int, str]:
    answer = client.post("/iati/preview", files={"file": (name, content, "application/xml")})
    return answer.status_code, answer.text


def _digest(page: str) -> str:
    found = re.search(r'name="upload" value="([0-9a-f]{64})"', page)
    assert found, "the preview carries no upload digest"
    return found.group(1)


def test_the_public_gets_export_links_only(client_as: Callable[..., TestClient]) -> None:
    page = client_as(None).get("/iati")
    assert page.status_code == 200
    assert 'href="/api/v1/iati/activities.xml"' in page.text
    assert "published projects and approved result periods only" in page.text
    assert "Checks of the export" not in page.text and 'action="/iati/preview"' not in page.text


def test_a_focal_point_sees_the_checks_but_cannot_import(
    client_as: Callable[..., TestClient], session: Session
) -> None:
    make_record(session)
    focal = client_as("focal_point", party="TCD")
    page = focal.get("/iati").text
    assert "Checks of the export against the IATI Standard" in page
    assert 'action="/iati/preview"' not in page
    status, _ = _upload(focal, FUNDER_FILE.read_bytes())
    assert status == 403


def test_staff_upload_preview_then_import(client: TestClient, session: Session) -> None:
    make_record(session)
    status, preview = _upload(client, FUNDER_FILE.read_bytes())
    assert status == 200, preview
    assert "Nothing is imported yet" in preview
    assert "Ministry of Environment of Chad" in preview and "Create a party" in preview
    assert 'Party <a href="/parties/GCF">GCF</a> has the same name' in preview
    assert 'name="project:XM-EXAMPLE-FUNDER-FP-777"' in preview
    assert 'value="FULL-1" selected' in preview
    flows = select(m.Transaction).where(m.Transaction.provider_activity == ACTIVITY)
    assert session.scalars(flows).all() == []  # the preview wrote nothing
    digest = _digest(preview)
    form = {
        "upload": digest,
        "filename": "funder.xml",
        "org:ref:XM-EXAMPLE-FUNDER": "name",
        f"project:{ACTIVITY}": "FULL-1",
        "do": "import",
    }
    done = client.post("/iati/import", data=form)
    assert done.status_code == 200, done.text
    assert "Imported: 0 projects created, 0 updated, 1 with a funder" in done.text
    assert '<a href="/projects/FULL-1">FULL-1</a>' in done.text
    (flow,) = session.scalars(flows).all()
    assert flow.provider_party is not None and flow.provider_party.ref == "GCF"
    again = client.post("/iati/import", data=form)
    assert again.status_code == 422 and "upload it again" in again.text


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "is empty"),
        (b"<not-xml", "not well-formed XML"),
        (b"<iati-organisations/>", "starts with &lt;iati-activities&gt;"),
    ],
)
def test_a_bad_upload_gets_a_sentence(client: TestClient, content: bytes, says: str) -> None:
    status, page = _upload(client, content)
    assert status == 422 and says in page
    assert "Traceback" not in page


def test_an_oversized_upload_is_refused(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(iati_uploads, "MAX_BYTES", 100)
    status, page = _upload(client, FUNDER_FILE.read_bytes())
    assert status == 422 and "over the limit" in page
