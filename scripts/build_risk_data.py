"""Regenerate the shipped risk tables from the upstream data folder.

Usage: python scripts/build_risk_data.py --shared ../shared/data --out src/bakuhub/datasets/risk
"""

from __future__ import annotations

import argparse
from pathlib import Path


def main() -> None:
    """Build the tables and report what could not be mapped or read."""
    from bakuhub.risk.build import build, write

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("src/bakuhub/datasets/risk"))
    args = parser.parse_args()
    built = build(args.shared)
    for path in write(built, args.out):
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    for gw in built.mapping.unmapped:
        names = ", ".join(built.mapping.names.get(gw, ())) or "no single-state name"
        print(f"unmapped Gleditsch-Ward number {gw} ({names})")
    for code, method in sorted(built.mapping.method.items()):
        if method != "gw":
            print(f"GW {code} -> {built.mapping.iso3[code]} matched by UCDP name")
    for s in built.skipped:
        print(f"skipped UCDP line {s.line}: {s.reason}")
    for code in built.no_region:
        print(f"{code}: in no UN M49 region, left out of regions.csv")


if __name__ == "__main__":
    main()
