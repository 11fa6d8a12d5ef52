"""Corridor studies in a real browser, at desktop and 390 px: open a study from the list,
read its key figures, download a table, then tick two studies and compare them (the
differing resolutions are warned of). No solve: two study folders are written into the
live server's data directory as ``bakuhub corridor solve`` writes them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser_support import scroll_width, shot
from web_helpers import summary, write_study

from bakuhub.corridor.scenario import load_scenario

STUDIES = (("c3-base", 2.0e10, "segments:12", 0.0), ("c3-dear", 2.5e10, "hourly", 2000.0))


@pytest.fixture(scope="module")
def studies(server: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Two solved studies in the live server's data directory (its 'browser' folder)."""
    found = sorted(tmp_path_factory.getbasetemp().glob("browser*/studies"))
    assert found, "the browser server's data directory was not found"
    spec = load_scenario("reference-2030").model_dump(mode="json")
    for name, cost, resolution, caspian in STUDIES:
        if (found[-1] / name).exists():
            continue
        data = {**summary(name, cost, 8, caspian), "resolution": resolution}
        folder = write_study(found[-1], name, data)
        (folder / "scenario.yaml").write_text(yaml.safe_dump({**spec, "name": name}))
        (folder / "tables").mkdir()
        table = f"link,capacity_mw\nCASPIAN,{caspian}\nBLACKSEA,1000\n"
        (folder / "tables" / "cables.csv").write_text(table)


def test_open_a_study_download_a_table_and_compare_two(any_page: Any, studies: None) -> None:
    page = any_page
    width = page.viewport_size["width"]
    page.goto("/corridor")
    shot(page, f"corridor-list-{width}")
    assert scroll_width(page) <= width + 10, "the list of studies scrolls sideways"
    page.get_by_role("link", name="c3-base", exact=True).click()
    page.wait_for_url(re.compile(r".*/corridor/studies/c3-base$"))
    figures = page.locator("#key-figures").inner_text()
    assert re.search(r"Total system cost\s+20\s+bn EUR/a", figures), figures
    assert len(page.locator("#scenario-hash").inner_text()) == 64
    with page.expect_download() as caught:
        page.get_by_role("link", name="cables as CSV").click()
    download = caught.value
    assert download.suggested_filename == "c3-base-cables.csv"
    assert "BLACKSEA,1000" in Path(download.path()).read_text(encoding="utf-8")
    shot(page, f"corridor-study-{width}")
    assert scroll_width(page) <= width + 10, "the study page scrolls sideways"

    page.goto("/corridor")
    page.get_by_label("Compare c3-base").check()
    page.get_by_label("Compare c3-dear").check()
    page.get_by_role("button", name="Compare the ticked studies").click()
    # the list is newest first, so the newer study is the first: the base of the differences
    page.wait_for_url(re.compile(r".*/corridor/compare\?study=c3-dear&study=c3-base$"))
    warning = page.locator("#compare-warnings")
    assert warning.is_visible() and "resolutions" in warning.inner_text()
    cost = page.locator("table.compare tr", has_text="Total system cost").inner_text()
    assert re.search(r"25\s+20\s+-5", cost), cost
    caspian = page.locator("table.compare tr", has_text="Caspian cable (MW)").inner_text()
    assert re.search(r"2,000\s+0\s+-2,000", caspian), caspian
    shot(page, f"corridor-compare-{width}")
    assert scroll_width(page) <= width + 10, "the comparison scrolls sideways"
