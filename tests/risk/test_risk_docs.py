"""The Hub countries' figures in docs/risk-method.md are what the code computes."""

from __future__ import annotations

from pathlib import Path

from bakuhub.risk import assemble, get_preset, run, table

DOC = Path(__file__).resolve().parents[2] / "docs" / "risk-method.md"
HUB = {"TCD", "GNB", "SOM", "UGA", "IRQ"}


def test_documented_hub_ranks_match_the_code() -> None:
    rows = {r["iso3"]: r for r in table(run(get_preset("hub"), assemble("hub")))}
    documented = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 11 and cells[1] in HUB:
            documented[cells[1]] = cells
    assert set(documented) == HUB
    for code, cells in documented.items():
        r = rows[code]
        low, high = (int(x) for x in cells[4].split("-"))
        assert (int(cells[2]), int(cells[3]), low, high) == (
            r["rank"],
            r["rank_median"],
            r["rank_low"],
            r["rank_high"],
        ), code
        assert cells[5] == f"{r['score']:.2f}" and cells[6] == r["class"], code
        pillars = [f"{r['pillars'][p]:.2f}" for p in ("climate", "conflict", "readiness")]
        assert cells[7:10] == pillars, code
