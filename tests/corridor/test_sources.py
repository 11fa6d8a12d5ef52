"""Every shipped file is cited, and the build script reproduces the shipped bytes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "src/bakuhub/datasets/corridor"
COLUMNS = ["file", "upstream", "version", "licence", "how derived"]


def _rows() -> dict[str, dict[str, str]]:
    lines = [x for x in (DATA / "SOURCES.md").read_text().splitlines() if x.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    assert header == COLUMNS
    rows = {}
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows[cells[0].strip("`")] = dict(zip(COLUMNS, cells, strict=True))
    return rows


def test_every_shipped_file_has_a_complete_sources_row() -> None:
    rows = _rows()
    shipped = sorted(p.name for p in DATA.iterdir() if p.is_file())
    assert shipped, "no shipped tables found"
    for name in shipped:
        assert name in rows, f"{name} has no SOURCES.md row"
        assert all(rows[name][c] for c in COLUMNS), f"{name}: empty cell in SOURCES.md"
    assert set(rows) <= set(shipped), f"rows without files: {set(rows) - set(shipped)}"


def _build(shared: Path, out: Path) -> None:
    script = REPO / "scripts/build_corridor_data.py"
    subprocess.run(
        [sys.executable, str(script), "--shared", str(shared), "--out", str(out)],
        check=True,
        capture_output=True,
        cwd=REPO,
    )


def test_regeneration_reproduces_the_shipped_bytes_twice(shared_data: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    _build(shared_data, first)
    _build(shared_data, second)
    built = sorted(p.name for p in first.iterdir())
    shipped = sorted(p.name for p in DATA.iterdir() if p.name != "SOURCES.md")
    assert built == shipped
    for name in built:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
        assert (first / name).read_bytes() == (DATA / name).read_bytes(), f"{name} is stale"
