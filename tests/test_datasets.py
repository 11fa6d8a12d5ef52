"""Every shipped data file cites its source in the SOURCES.md of its folder."""

from __future__ import annotations

from pathlib import Path

DATASETS = Path(__file__).resolve().parents[1] / "src" / "bakuhub" / "datasets"
COLUMNS = ["file", "upstream", "version", "licence", "how derived"]


def _rows(sources: Path) -> dict[str, dict[str, str]]:
    lines = [ln for ln in sources.read_text(encoding="utf-8").splitlines() if ln.startswith("|")]
    header = [c.strip().lower() for c in lines[0].strip("|").split("|")]
    assert header == COLUMNS, f"{sources}: columns must be {COLUMNS}"
    rows = {}
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0].strip("`")] = dict(zip(COLUMNS, cells, strict=False))
    return rows


def test_every_shipped_file_has_a_complete_sources_row() -> None:
    folders = [p for p in DATASETS.iterdir() if p.is_dir() and not p.name.startswith("__")]
    assert folders, "no shipped datasets found"
    for folder in folders:
        sources = folder / "SOURCES.md"
        assert sources.is_file(), f"{folder.name} has no SOURCES.md"
        rows = _rows(sources)
        for path in sorted(folder.rglob("*")):
            if path.is_dir() or path.name == "SOURCES.md" or "__pycache__" in path.parts:
                continue
            name = path.relative_to(folder).as_posix()
            assert name in rows, f"{folder.name}/{name} has no row in SOURCES.md"
            for column in COLUMNS:
                assert rows[name].get(column), f"{folder.name}/{name}: '{column}' is empty"
