"""Walk the main flows with the client generated from bakuhub's OpenAPI description, as a
partner system would: run by ``test_generated_client.py`` with the tool environment's
Python (``.venv-tools``), which has the generated client's own dependencies and not
bakuhub. Arguments: the server's base URL, an API token, the folder holding the package
``bakuhub_client``. Exits 0 and prints ``walked`` when every step held."""

from __future__ import annotations

import datetime as dt
import sys

base, token, folder = sys.argv[1:4]
sys.path.insert(0, folder)

from bakuhub_client import AuthenticatedClient  # noqa: E402
from bakuhub_client.api.parties import create_party, get_party  # noqa: E402
from bakuhub_client.api.projects import (  # noqa: E402
    create_project,
    get_project,
    list_projects,
    update_project,
)
from bakuhub_client.models import (  # noqa: E402
    ErrorBody,
    PageProjectOut,
    PartyCreate,
    PartyKind,
    PartyOut,
    ProjectCreate,
    ProjectOut,
    ProjectUpdate,
)

client = AuthenticatedClient(base_url=base, token=token)

party = create_party.sync(
    client=client,
    body=PartyCreate(
        kind=PartyKind.ORGANISATION, name="Partner ministry", ref="org-min", org_type="10"
    ),
)
assert isinstance(party, PartyOut), party
assert party.ref == "org-min" and party.name == "Partner ministry"
assert party.created_at.tzinfo is not None and party.created_at.utcoffset() == dt.timedelta(0)
assert get_party.sync("org-min", client=client).name == "Partner ministry"

for i in range(3):
    made = create_project.sync(
        client=client,
        body=ProjectCreate(
            ref=f"proj-{i}", title=f"Project {i}", planned_start=dt.date(2026, 1, i + 1)
        ),
    )
    assert isinstance(made, ProjectOut) and made.ref == f"proj-{i}", made

page = list_projects.sync(client=client, limit=2, offset=0, sort="ref")
assert isinstance(page, PageProjectOut), page
assert page.total == 3 and [p.ref for p in page.items] == ["proj-0", "proj-1"]
rest = list_projects.sync(client=client, limit=2, offset=2, sort="ref")
assert [p.ref for p in rest.items] == ["proj-2"]

one = get_project.sync("proj-1", client=client)
assert isinstance(one, ProjectOut) and one.planned_start == dt.date(2026, 1, 2)
changed = update_project.sync(
    "proj-1",
    client=client,
    body=ProjectUpdate(version=one.version, title="Renamed", planned_start=None),
)
assert isinstance(changed, ProjectOut) and changed.title == "Renamed", changed
assert changed.planned_start is None and changed.version == one.version + 1
stale = update_project.sync_detailed(
    "proj-1", client=client, body=ProjectUpdate(version=one.version, title="Stale")
)
assert stale.status_code == 409 and isinstance(stale.parsed, ErrorBody), stale

missing = get_project.sync_detailed("no-such-project", client=client)
assert missing.status_code == 404 and isinstance(missing.parsed, ErrorBody), missing
assert missing.parsed.detail
refused = create_project.sync_detailed(client=client, body=ProjectCreate(ref="proj-9", title=""))
assert refused.status_code == 422 and isinstance(refused.parsed, ErrorBody), refused
assert any("title" in [str(x) for x in (e.loc or [])] for e in refused.parsed.errors), (
    refused.parsed
)
print("walked")
