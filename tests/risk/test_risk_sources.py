"""Loaders read the upstream formats and refuse bad files with the line and reason."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bakuhub.errors import InvalidInput
from bakuhub.risk.sources import (
    read_indicator_csv,
    read_inform_csv,
    read_ndgain_csv,
    read_ucdp_csv,
)

NDGAIN = (
    '\ufeff"ISO3","Name","index","rank","resilience","vulnerability","rankV","readiness","rankR"\n'
    '"TCD","Chad",24.98,187,"Low",0.6396,187,0.1393,2\n'
    '"AND","Andorra",NA,NA,NA,NA,NA,0.4524,126\n'
)
UCDP_HEAD = "conflict_id;location;side_a;year;intensity_level;gwno_loc;version\n"


def text(s: str, name: str = "t.csv") -> io.StringIO:
    stream = io.StringIO(s)
    stream.name = name
    return stream


def refused(fn: object, *args: object, **kw: object) -> str:
    with pytest.raises(InvalidInput) as exc:
        fn(*args, **kw)  # type: ignore[operator]
    return exc.value.message


def test_ndgain_reads_upstream_format() -> None:
    nd = read_ndgain_csv(text(NDGAIN))
    assert nd["iso3"].tolist() == ["TCD", "AND"]
    assert nd.loc[0, "vulnerability"] == 0.6396
    assert nd["vulnerability"].isna().tolist() == [False, True]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            '"NER","Niger",24.9,187,"Low",abc,187,0.13,2',
            "line 3: vulnerability 'abc' is not a number",
        ),
        ('"NER","Niger",24.9,187,"Low",1.7,187,0.13,2', "line 3: vulnerability 1.7 is outside 0-1"),
        ('"TC","Chad",24.9,187,"Low",0.5,187,0.13,2', "line 3: country code 'TC' is not"),
        ('"TCD","Chad",24.9,187,"Low",0.5,187,0.13,2', "line 3: TCD appears twice"),
        ('"XYZ","X",1,2', "line 3: 4 fields where the header has 9"),
    ],
)
def test_ndgain_refusals_name_line_and_reason(row: str, expected: str) -> None:
    body = NDGAIN.splitlines()[0] + "\n" + NDGAIN.splitlines()[1] + "\n" + row + "\n"
    msg = refused(read_ndgain_csv, text(body, "nd.csv"))
    assert msg.startswith("nd.csv, line") and expected in msg


def test_ndgain_missing_column_and_file(tmp_path: Path) -> None:
    assert "missing column(s) readiness" in refused(
        read_ndgain_csv, text("ISO3,Name,index,vulnerability\n")
    )
    assert "no such file" in refused(read_ndgain_csv, tmp_path / "absent.csv")


def test_ucdp_reads_and_refuses_broken_row() -> None:
    good = UCDP_HEAD + "1;Chad;Gov;2020;1;483;25.1\n2;Sudan, South Sudan;Gov;2012;2;625, 626;25.1\n"
    read = read_ucdp_csv(text(good))
    assert read.frame["gwno_loc"].tolist() == ["483", "625, 626"] and read.skipped == []
    broken = good + "3;China;Gov;;;;\n;2008;1;0;3;,710,;\n"
    msg = refused(read_ucdp_csv, text(broken, "ucdp.csv"))
    assert msg.startswith("ucdp.csv, line 4: year '' is not a four-digit year")
    lenient = read_ucdp_csv(text(broken), skip_malformed=True)
    assert [s.line for s in lenient.skipped] == [4, 5] and len(lenient.frame) == 2
    assert "intensity_level '3'" in refused(
        read_ucdp_csv, text(UCDP_HEAD + "1;X;G;2020;3;483;25.1\n")
    )
    assert "gwno_loc 'abc'" in refused(read_ucdp_csv, text(UCDP_HEAD + "1;X;G;2020;1;abc;25.1\n"))


INFORM = (
    "INFORM Risk 2025,,,,,\n"
    "COUNTRY,ISO3,INFORM RISK,Hazard & Exposure,Vulnerability,Lack of Coping Capacity\n"
    ",,,HA,VU,CC\n"
    "Chad,TCD,7.9,6.1,7.2,9.1\n"
    "Iraq,IRQ,6.0,7.5,5.0,x\n"
)


def test_inform_export_reads_dimensions() -> None:
    obs = read_inform_csv(text(INFORM), year=2025)
    tcd = obs[obs["iso3"] == "TCD"].set_index("indicator")["value"]
    assert tcd["inform_hazard_exposure"] == 6.1 and tcd["inform_lack_of_coping_capacity"] == 9.1
    assert len(obs[obs["iso3"] == "IRQ"]) == 2  # 'x' = missing, dropped
    bad = INFORM.replace("7.2", "12")
    assert "line 4: Vulnerability 12.0 is outside 0-10" in refused(
        read_inform_csv, text(bad), year=2025
    )
    assert "no header row with an ISO3" in refused(read_inform_csv, text("a,b\n1,2\n"), year=2025)


def test_inform_preset_scores_geometric_mean() -> None:
    from bakuhub.risk import assemble, get_preset, score_index

    obs = read_inform_csv(text(INFORM), year=2025)
    r = score_index(get_preset("inform"), assemble("inform", inform=obs))
    j = r.position("TCD")
    assert r.score[j] == pytest.approx((6.1 * 7.2 * 9.1) ** (1 / 3))
    assert r.classes[j] == "Very high"
    assert r.completeness[r.position("IRQ")] == pytest.approx(2 / 3)


def test_inform_preset_needs_a_file() -> None:
    from bakuhub.risk import assemble

    assert "needs an INFORM Risk sheet" in refused(assemble, "inform")


def test_indicator_csv_reads_and_refuses() -> None:
    obs = read_indicator_csv(
        text(
            "iso3,year,indicator,value\ntcd,2024,displaced_persons,1200000\nSOM,2024,displaced_persons,NA\n"
        )
    )
    assert obs.to_dict("records") == [
        {"iso3": "TCD", "year": 2024, "indicator": "displaced_persons", "value": 1.2e6}
    ]
    head = "iso3,year,indicator,value\n"
    assert "line 2: year '24' is not a four-digit year" in refused(
        read_indicator_csv, text(head + "TCD,24,d,1\n")
    )
    assert "line 2: value 'many' is not a number" in refused(
        read_indicator_csv, text(head + "TCD,2024,d,many\n")
    )
    assert "line 2: indicator 'Bad Code'" in refused(
        read_indicator_csv, text(head + "TCD,2024,Bad Code,1\n")
    )
    dup = head + "TCD,2024,d,1\nTCD,2024,d,2\n"
    assert "line 3: a second value for TCD 2024 d" in refused(read_indicator_csv, text(dup))
    assert "the file is empty" in refused(read_indicator_csv, text(""))


def test_inform_class_thresholds_are_an_input() -> None:
    from bakuhub.risk import assemble, get_preset, score_index

    data = assemble("inform", inform=read_inform_csv(text(INFORM), year=2025))
    # TCD scores (6.1 x 7.2 x 9.1)^(1/3) = 7.36
    default = score_index(get_preset("inform"), data)
    assert default.classes[default.position("TCD")] == "Very high"  # >= 6.5
    release = score_index(get_preset("inform", thresholds=(1.0, 2.0, 3.0, 8.0)), data)
    assert release.classes[release.position("TCD")] == "High"  # 3.0 <= 7.36 < 8.0
    numbered = score_index(get_preset("inform", thresholds=(5.0,)), data)
    assert numbered.classes[numbered.position("TCD")] == "class 2"
    assert "increasing numbers" in refused(get_preset, "inform", thresholds=(5.0, 3.0))
