"""Displacement data: UNHCR and IDMC loaders on hand-written fixtures in the upstream
layouts (see tests/risk/fixtures/README.md for where each format comes from), their
refusals, the Hub index's displacement pillar fed by them, and the plain note when no
displacement data is given."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from bakuhub.cli.risk import app
from bakuhub.errors import InvalidInput
from bakuhub.risk.displaced import Displacement, displaced_persons
from bakuhub.risk.displacement import DisplacementRead, read_idmc, read_unhcr
from bakuhub.risk.inputs import assemble, shipped_population
from bakuhub.risk.pipeline import Outcome, stored_notes
from bakuhub.risk.service import compute

FIXTURES = Path(__file__).parent / "fixtures"
UNHCR = FIXTURES / "unhcr_population.csv"
IDMC = FIXTURES / "idmc_gidd.csv"
runner = CliRunner()


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def refused(fn: object, *args: object) -> str:
    with pytest.raises(InvalidInput) as exc:
        fn(*args)  # type: ignore[operator]
    return exc.value.message


def figures(read: DisplacementRead, iso3: str, year: int) -> dict[str, float]:
    row = read.frame[(read.frame["iso3"] == iso3) & (read.frame["year"] == year)]
    assert len(row) == 1
    keys = ["refugees", "asylum_seekers", "oip", "idps"]
    if "conflict_stock" in read.frame:
        keys = ["conflict_stock", "conflict_new", "disaster_new", "disaster_stock"]
    return {k: float(row[k].iloc[0]) for k in keys}


@pytest.fixture(scope="module")
def unhcr() -> DisplacementRead:
    return read_unhcr(UNHCR)


@pytest.fixture(scope="module")
def idmc() -> DisplacementRead:
    return read_idmc(IDMC)


def test_unhcr_sums_over_asylum_countries_by_origin(unhcr: DisplacementRead) -> None:
    # Sudan 2023: refugees 600,000 in Chad + 400,000 in Egypt; asylum-seekers 100 + 5,000.
    assert figures(unhcr, "SDN", 2023) == {
        "refugees": 1_000_000,
        "asylum_seekers": 5_100,
        "oip": 0,
        "idps": 3_000_000,
    }
    # Chad: the '-' (nothing reported) adds nothing to the 200,000 IDPs.
    assert figures(unhcr, "TCD", 2023)["idps"] == 200_000
    assert figures(unhcr, "VEN", 2023)["oip"] == 2_500_000
    assert figures(unhcr, "SDN", 2022)["refugees"] == 400_000
    assert set(unhcr.frame["iso3"]) == {"SDN", "TCD", "VEN"}  # UNK names no country
    assert unhcr.skipped == {"UNK": 1}
    assert "1 with UNK (various/unknown)" in (unhcr.skipped_note() or "")


def test_unhcr_preamble_of_older_downloads_is_skipped() -> None:
    preamble = ["Extracted from UNHCR's Refugee Data Finder", "Date extracted: 2022-06-16"]
    text = "\n".join(preamble + [""] * 11 + lines(UNHCR)) + "\n"
    read = read_unhcr(text.encode("utf-8"), "population.csv")
    assert figures(read, "SDN", 2023)["refugees"] == 1_000_000


def test_idmc_prefers_raw_figures_and_skips_abyei(idmc: DisplacementRead) -> None:
    sdn = figures(idmc, "SDN", 2023)
    assert sdn["conflict_stock"] == 9_052_000  # (Raw), not the rounded 9,100,000
    assert sdn["conflict_new"] == 6_049_000 and sdn["disaster_new"] == 84_735
    assert math.isnan(figures(idmc, "TCD", 2023)["conflict_stock"])
    assert figures(idmc, "TCD", 2023)["disaster_stock"] == 119_503
    assert idmc.skipped == {"AB9": 1}


def test_idmc_xlsx_as_served(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "README"
    sheet = book.create_sheet("1_Displacement_data")
    for line in lines(IDMC):
        sheet.append([int(c) if c.isdigit() else (c or None) for c in line.split(",")])
    path = tmp_path / "IDMC_Internal_Displacement_Conflict-Violence_Disasters.xlsx"
    book.save(path)
    read = read_idmc(path)
    assert figures(read, "SDN", 2023)["conflict_stock"] == 9_052_000
    assert figures(read, "COL", 2023)["conflict_stock"] == 4_977_000


def replace_line(path: Path, number: int, text: str) -> bytes:
    rows = lines(path)
    rows[number - 1] = text
    return ("\n".join(rows) + "\n").encode("utf-8")


UNHCR_ROW = '2023,"Sudan","SDN","Chad","TCD",600000,100,0,0,0,0,0,0,0'


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            UNHCR_ROW.replace("600000", "6OO000"),
            "u.csv, line 4: Refugees under UNHCR's mandate '6OO000' is not a number. "
            "Write a number of people",
        ),
        (UNHCR_ROW.replace("600000", "-600"), "line 4: Refugees under UNHCR's mandate '-600'"),
        (UNHCR_ROW.replace('"SDN","Chad"', '"SD","Chad"'), "line 4: Country of origin (ISO) 'SD'"),
        (
            UNHCR_ROW.replace('"SDN","Chad"', '"SDX","Chad"'),
            "line 4: Country of origin (ISO) 'SDX' is not a known country code. Correct",
        ),
        (UNHCR_ROW.replace("2023", "23"), "line 4: Year '23' is not a four-digit year"),
        (UNHCR_ROW.replace(",0,0,0,0", ""), "line 4: 10 fields where the header has 14"),
        (
            '2022,"Sudan","SDN","Chad","TCD",1,1,0,0,0,0,0,0,0',
            "line 4: a second row for SDN -> TCD in 2022 (first on line 2). Keep one row",
        ),
    ],
)
def test_unhcr_refusals_name_file_line_column_and_fix(row: str, expected: str) -> None:
    assert expected in refused(read_unhcr, replace_line(UNHCR, 4, row), "u.csv")


def test_unhcr_missing_column_and_missing_header() -> None:
    no_asylum = replace_line(UNHCR, 1, lines(UNHCR)[0].replace("Asylum-seekers,", "Asylum,"))
    msg = refused(read_unhcr, no_asylum, "u.csv")
    assert msg.startswith("u.csv, line 1: missing column(s) 'Asylum-seekers' (found Year,")
    assert "Use the population statistics CSV" in msg
    msg = refused(read_unhcr, b"a,b\n1,2\n", "u.csv")
    assert "no header row with columns 'Year' and 'Country of origin (ISO)'" in msg


IDMC_ROW = "SDN,Sudan,2023,9100000,9052000,6000000,6049000,85000,84735,,"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            IDMC_ROW.replace("9052000", "9.1M"),
            "i.csv, line 5: Conflict Stock Displacement (Raw) '9.1M' is not a number",
        ),
        (IDMC_ROW.replace("SDN", "SDNN"), "line 5: ISO3 'SDNN' is not an ISO 3166 alpha-3 code"),
        (IDMC_ROW.replace("SDN", "QQQ"), "line 5: ISO3 'QQQ' is not a known country code"),
        (
            IDMC_ROW.replace("2023", "2022"),
            "line 5: a second row for SDN in 2022 (first on line 4). Keep one row per country",
        ),
    ],
)
def test_idmc_refusals(row: str, expected: str) -> None:
    assert expected in refused(read_idmc, replace_line(IDMC, 5, row), "i.csv")


def test_idmc_needs_the_conflict_stock_column() -> None:
    head = "ISO3,Name,Year,Disaster Internal Displacements (Raw)\nSDN,Sudan,2023,5\n"
    msg = refused(read_idmc, head.encode(), "disasters.csv")
    assert "line 1: missing column(s) 'Conflict Stock Displacement (Raw)'" in msg


def test_damaged_workbook_and_missing_file(tmp_path: Path) -> None:
    assert "is not a readable .xlsx workbook" in refused(read_idmc, b"PK\x03\x04junk", "i.xlsx")
    assert "no such file" in refused(read_unhcr, tmp_path / "absent.csv")


def value(d: Displacement, iso3: str) -> float:
    frame = d.observations
    return float(frame.loc[frame["iso3"] == iso3, "value"].iloc[0])


def test_displaced_persons_from_both_exports(
    unhcr: DisplacementRead, idmc: DisplacementRead
) -> None:
    d = displaced_persons(unhcr=unhcr, idmc=idmc, end=2024, years=10)
    assert d.year == 2023
    # refugees 1,000,000 + asylum-seekers 5,100 + IDMC conflict IDPs 9,052,000;
    # UNHCR's 3,000,000 IDPs are the same people and are not added.
    assert value(d, "SDN") == 10_057_100
    assert value(d, "TCD") == 10_500 + 200_000  # IDMC has no conflict stock: UNHCR's IDPs
    assert value(d, "VEN") == 5_000 + 1_000 + 2_500_000
    assert value(d, "COL") == 4_977_000  # in IDMC only
    assert "UNHCR's IDPs of concern used where IDMC reports no conflict IDPs in 2023: TCD." in (
        d.notes
    )
    assert "IDMC" in d.indicator.source and d.indicator.vintage.startswith("2023 figures")


def test_displaced_persons_year_and_single_source(
    unhcr: DisplacementRead, idmc: DisplacementRead
) -> None:
    d = displaced_persons(unhcr=unhcr, idmc=idmc, end=2022, years=5)
    assert d.year == 2022 and value(d, "SDN") == 400_100 + 3_553_000
    only_unhcr = displaced_persons(unhcr=unhcr, end=2024, years=10)
    assert value(only_unhcr, "SDN") == 1_005_100 + 3_000_000
    only_idmc = displaced_persons(idmc=idmc, end=2024, years=10)
    assert value(only_idmc, "SDN") == 9_052_000 and value(only_idmc, "TCD") == 0
    assert "no refugee figures" in only_idmc.indicator.source
    msg = refused(lambda: displaced_persons(unhcr=unhcr, idmc=idmc, end=2030, years=3))
    assert msg.startswith("No year of the window 2028-2030 is in every displacement file")
    assert "unhcr_population.csv covers 2022-2023" in msg


@pytest.fixture(scope="module")
def fed(unhcr: DisplacementRead, idmc: DisplacementRead) -> tuple[dict[str, Any], Outcome]:
    d = displaced_persons(unhcr=unhcr, idmc=idmc, end=2024, years=10)
    _, inputs, outcome = compute(preset="hub", draws=50, data=assemble("hub", displacement=d))
    return inputs, outcome


def test_pillar_gets_values_per_100k(fed: tuple[dict[str, Any], Outcome]) -> None:
    inputs, outcome = fed
    r = outcome.result
    j = r.countries.index("SDN")
    pop = shipped_population()
    people = float(pop[pop["iso3"] == "SDN"].sort_values("year")["value"].iloc[-1])
    # log10(1 + displaced per 100,000 people) on goalposts 0-5, scaled to 0-10
    expected = 10 * math.log10(1 + 10_057_100 / people * 1e5) / 5
    assert r.node_scores["displacement"][j] == pytest.approx(expected)
    assert inputs["indicators"]["displaced_persons"]["vintage"].startswith("2023 figures")
    have = ~np.isnan(r.node_scores["displacement"])
    assert {c for c, h in zip(r.countries, have, strict=True) if h} == {"SDN", "TCD", "VEN", "COL"}
    assert r.completeness[j] == 1.0


def test_note_with_partial_data(fed: tuple[dict[str, Any], Outcome]) -> None:
    _, outcome = fed
    note = next(n for n in outcome.notes if n.startswith("Displacement"))
    n = len(outcome.result.countries)
    assert note.startswith(
        f"Displacement pressure pillar (displacement): no data for {n - 4} of {n}"
    )


def test_note_when_no_displacement_data() -> None:
    settings, inputs, outcome = compute(preset="hub", draws=20)
    expected = (
        "Displacement pressure pillar (displacement): no data given (displaced_persons "
        "missing for every country); its weight 0.25 was shared among the others in "
        "proportion to their weights (Climate vulnerability 0.33, Conflict 0.33, "
        "Lack of readiness 0.33)."
    )
    assert expected in outcome.notes
    stored = json.loads(json.dumps({"settings": settings, "inputs": inputs}))
    assert expected in stored_notes(stored["settings"], stored["inputs"])
    _, _, heavy = compute(preset="hub", draws=20, weights={"displacement": 2})
    assert heavy.result.ranked == 0
    assert any(
        "without its weight 0.40 only 0.60 of the index's weight has data, below the 0.75" in n
        for n in heavy.notes
    )


def test_displacement_refused_for_other_presets_and_twice(unhcr: DisplacementRead) -> None:
    d = displaced_persons(unhcr=unhcr, end=2024, years=10)
    assert "the ndgain preset has none" in refused(lambda: assemble("ndgain", displacement=d))
    extra = d.observations.copy()
    assert "displaced_persons is given twice" in refused(
        lambda: assemble("hub", extra=extra, displacement=d)
    )


def test_cli_rank_with_unhcr_and_idmc() -> None:
    args = ["rank", "--unhcr", str(UNHCR), "--idmc", str(IDMC), "--draws", "30", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = {r["iso3"]: r for r in json.loads(result.stdout)}
    assert rows["SDN"]["pillars"]["displacement"] > rows["TCD"]["pillars"]["displacement"] > 0
    assert rows["SOM"]["pillars"]["displacement"] is None
    assert "1 with AB9 (Abyei Area)" in result.stderr


def test_cli_table_says_when_displacement_has_no_data() -> None:
    result = runner.invoke(app, ["rank", "--top", "2", "--draws", "20"])
    assert result.exit_code == 0, result.output
    assert "note: Displacement pressure pillar (displacement): no data given" in result.stdout
    bad = runner.invoke(app, ["rank", "--preset", "ndgain", "--unhcr", str(UNHCR)])
    assert bad.exit_code != 0
    assert isinstance(bad.exception, InvalidInput) and "ndgain preset has none" in str(
        bad.exception.message
    )


def test_bytes_and_streams_are_read_alike() -> None:
    text = UNHCR.read_text(encoding="utf-8")
    stream = io.StringIO(text)
    stream.name = "stream.csv"
    assert read_unhcr(stream).frame.equals(read_unhcr(text.encode()).frame)
