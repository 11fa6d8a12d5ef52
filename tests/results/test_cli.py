"""``bakuhub iati`` and ``bakuhub results`` on a SQLite data directory."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bakuhub.cli import app
from bakuhub.config import get_settings
from bakuhub.errors import InvalidInput


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("BAKUHUB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BAKUHUB_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["db", "seed", "--demo"]).exit_code == 0
    yield runner
    get_settings.cache_clear()


def test_iati_export_validate_import(cli: CliRunner, tmp_path: Path, shared_data: Path) -> None:
    schema = shared_data / "iati-2.03"
    out = tmp_path / "activities.xml"
    exported = cli.invoke(
        app, ["iati", "export", "-o", str(out), "--validate", "--schema", str(schema)]
    )
    assert exported.exit_code == 0, exported.output
    assert out.read_bytes().count(b"<iati-activity ") == 4
    checked = cli.invoke(app, ["iati", "validate", str(out), "--schema", str(schema)])
    assert "validates against IATI 2.03" in checked.output
    imported = cli.invoke(app, ["iati", "import", str(schema / "worked-example.xml")])
    assert imported.exit_code == 0, imported.output
    assert "1 created, 0 updated" in imported.output
    assert "skipped total-cost: bakuhub does not record it" in imported.output
    again = cli.invoke(app, ["iati", "import", str(out)])
    assert "0 created, 4 updated" in again.output  # identifiers known: the projects update
    # the stand-in start date of the export does not come back as data
    shown = cli.invoke(app, ["registry", "show", "projects", "BAKU-HUB-PILOT-TCD"])
    assert json.loads(shown.output)["planned_start"] is None
    assert "skipped activity-date: a stand-in date, not data" in again.output
    bad = cli.invoke(
        app, ["iati", "validate", str(schema / "worked-example.xml"), "--schema", str(schema)]
    )
    assert isinstance(bad.exception, InvalidInput)
    assert "does not validate against the 2.03 schema" in bad.exception.message


def test_iati_checked_exports_of_the_demo(cli: CliRunner, tmp_path: Path) -> None:
    activities = cli.invoke(app, ["iati", "export", "-o", str(tmp_path / "a.xml"), "--check"])
    assert activities.exit_code == 0, activities.output  # warnings only: nothing blocks
    assert "critical:" not in activities.output and "error:" not in activities.output
    out = tmp_path / "organisation.xml"
    org = cli.invoke(app, ["iati", "export-org", "-o", str(out), "--check", "--public"])
    assert org.exit_code == 0, org.output
    assert out.read_bytes().count(b"<iati-organisation ") == 1
    assert "BAKU-HUB" in org.output  # the file is the Hub's, said on stderr
    checked = cli.invoke(app, ["iati", "check", str(out)])
    assert checked.exit_code == 0, checked.output


def test_results_corridor_rates_and_totals(cli: CliRunner, tmp_path: Path) -> None:
    summary = tmp_path / "summary.json"
    summary.write_text(
        json.dumps(
            {
                "scenario": "base",
                "scenario_hash": "0" * 64,
                "year": 2030,
                "capacity_built_mw": {"AZ/wind": 300, "KZ/wind": 200},
                "export_twh": 3.5,
                "co2_avoided_mt": 1.25,
            }
        )
    )
    done = cli.invoke(app, ["results", "corridor", "CASPIAN-LINK-FEASIBILITY", str(summary)])
    assert done.exit_code == 0, done.output
    assert "corridor-capacity-built-mw: actual 500" in done.output
    shown = json.loads(cli.invoke(app, ["results", "show", "CASPIAN-LINK-FEASIBILITY"]).output)
    period = shown["results"][0]["indicators"][0]["periods"][0]
    assert period["value_source"]["scenario"] == "base"
    refused = cli.invoke(app, ["results", "corridor", "BAKU-HUB-PILOT-TCD", str(summary)])
    assert isinstance(refused.exception, InvalidInput)
    added = cli.invoke(
        app, ["results", "rate-add", "EUR", "USD", "1.08", "--on", "2025-01-01", "--source", "ECB"]
    )
    assert added.exit_code == 0, added.output
    assert "1 EUR = 1.08 USD from 2025-01-01" in added.output
    assert "(ECB)" in cli.invoke(app, ["results", "rates"]).output
    details = tmp_path / "iati.json"
    details.write_text(
        json.dumps(
            {
                "identifier": "XI-TEST-CASPIAN",
                "default_currency": "EUR",
                "policy_markers": [{"marker": "mitigation", "significance": "2"}],
            }
        )
    )
    set_details = cli.invoke(
        app, ["results", "iati-details", "CASPIAN-LINK-FEASIBILITY", str(details)]
    )
    assert set_details.exit_code == 0, set_details.output
    assert json.loads(set_details.output)["export_identifier"] == "XI-TEST-CASPIAN"
    totals = json.loads(cli.invoke(app, ["results", "totals", "--currency", "USD"]).output)
    assert totals["groups"] == []  # the demo record has no finance yet


def test_results_add_and_rollup(cli: CliRunner, tmp_path: Path) -> None:
    framework = tmp_path / "framework.json"
    period = {"start": "2025-01-01", "end": "2025-12-31", "target": 100, "actual": 30}
    framework.write_text(
        json.dumps(
            [
                {
                    "kind": "output",
                    "title": "Households supported",
                    "indicators": [
                        {
                            "code": "HH",
                            "title": "Households",
                            "unit": "households",
                            "periods": [period],
                        }
                    ],
                }
            ]
        )
    )
    for project in ("BAKU-HUB-PILOT-TCD", "BAKU-HUB-PILOT-GNB"):
        added = cli.invoke(app, ["results", "add", project, str(framework)])
        assert added.exit_code == 0, added.output
    # both pilots are under the memorandum: T = 100 + 100, A = 30 + 30, p = 0.3
    out = json.loads(
        cli.invoke(app, ["results", "rollup", "baku-hub-jwg-memorandum-2025", "HH"]).output
    )
    assert (out["target"], out["actual"], out["status"]) == (200, 60, "off-track")
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "kind": "output",
                "title": "X",
                "indicators": [
                    {
                        "title": "Y",
                        "periods": [
                            dict(
                                period,
                                disaggregations=[
                                    {
                                        "side": "actual",
                                        "dimension": "sex",
                                        "category": "female",
                                        "value": 1,
                                    }
                                ],
                            )
                        ],
                    }
                ],
            }
        )
    )
    refused = cli.invoke(app, ["results", "add", "BAKU-HUB-PILOT-TCD", str(bad)])
    assert isinstance(refused.exception, InvalidInput)
    assert "adds up to 1, not to the actual 30" in refused.exception.message


def _audit_log() -> list[tuple[str, str, str, str]]:
    """(actor, action, record type, record ref) of every audit entry, oldest first."""
    from bakuhub.audit.service import list_entries
    from bakuhub.db import make_engine, make_sessionmaker, session_scope

    engine = make_engine(get_settings().effective_database_url)
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            rows = list_entries(session=session, limit=10_000)
            return [(e.actor, e.action, e.record_type, e.record_ref) for e in reversed(rows)]
    finally:
        engine.dispose()


def test_cli_changes_and_iati_imports_are_in_the_audit_log(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import getpass

    monkeypatch.delenv("BAKUHUB_AUTHOR", raising=False)
    actor = f"cli:{getpass.getuser()}"
    seeded = len(_audit_log())
    rate = ["results", "rate-add", "EUR", "USD", "1.08", "--on", "2025-01-01", "--source", "ECB"]
    assert cli.invoke(app, rate).exit_code == 0
    framework = tmp_path / "framework.json"
    period = {"start": "2025-01-01", "end": "2025-12-31", "target": 10}
    result = {"kind": "output", "title": "R", "indicators": [{"title": "I", "periods": [period]}]}
    framework.write_text(json.dumps(result))
    assert cli.invoke(app, ["results", "add", "BAKU-HUB-PILOT-TCD", str(framework)]).exit_code == 0
    details = tmp_path / "iati.json"
    details.write_text(json.dumps({"identifier": "XI-TEST-TCD"}))
    set_details = ["results", "iati-details", "BAKU-HUB-PILOT-TCD", str(details)]
    assert cli.invoke(app, set_details).exit_code == 0
    out = tmp_path / "activities.xml"
    exported = cli.invoke(app, ["iati", "export", "-p", "BAKU-HUB-PILOT-TCD", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    imported = cli.invoke(app, ["iati", "import", str(out)])
    assert imported.exit_code == 0, imported.output
    entries = [e[1:] for e in _audit_log()[seeded:] if e[0] == actor]
    kinds = [(action, kind) for action, kind, _ in entries]
    assert kinds[:3] == [
        ("create", "exchange-rates"),
        ("create", "results"),
        ("update", "iati-profiles"),
    ]
    # the import: the project, its IATI details, its result replaced
    assert kinds[3:] == [
        ("update", "projects"),
        ("delete", "results"),
        ("update", "iati-profiles"),
        ("create", "results"),
    ]
    assert all(ref.startswith("BAKU-HUB-PILOT-TCD") for _, kind, ref in entries[1:])
    assert len(_audit_log()) == seeded + len(entries)  # every entry names the CLI user
    broken = tmp_path / "broken.xml"
    two = out.read_bytes().replace(
        b"</iati-activities>",
        b"<iati-activity><title><narrative>no identifier</narrative></title></iati-activity>"
        b"</iati-activities>",
    )
    broken.write_bytes(two)
    refused = cli.invoke(app, ["iati", "import", str(broken)])
    assert isinstance(refused.exception, InvalidInput)
    assert len(_audit_log()) == seeded + len(entries)
