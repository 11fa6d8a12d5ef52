"""Regenerate the shipped corridor tables from the upstream files.

Usage: python scripts/build_corridor_data.py --shared ../shared/data --out DIR
(default DIR: src/bakuhub/datasets/corridor). Two runs give the same bytes.
Needs the optional extra for the modelled profiles: pip install bakuhub[data-build].
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bakuhub.corridor.data.build import build_all, write_tables
from bakuhub.errors import BakuhubError

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src/bakuhub/datasets/corridor"


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, build every table, write them, list what was written."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared data folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    try:
        tables = build_all(args.shared)
    except BakuhubError as exc:  # a missing extra or a bad upstream file: a sentence
        print(exc.message, file=sys.stderr)
        return exc.exit_code
    for path in write_tables(tables, args.out):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
