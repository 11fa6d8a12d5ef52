"""Who gains and who pays, measured on the reference scenario: the study (scenario and
its no-Caspian counterfactual), the Caspian cable's benefits by party, and the Caspian
joint venture's coalition game (2^3 = 8 solves), solved one after the other and on a
process pool. Prints the tables and the times; asserts nothing about time.

    .venv/bin/python bench/negotiation.py                         # repdays:1/6
    .venv/bin/python bench/negotiation.py --resolution segments:48 --workers 2
    .venv/bin/python bench/negotiation.py --json-out negotiation.json
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bakuhub.corridor.negotiation import CASPIAN_PROJECT, negotiate
from bakuhub.corridor.run_study import run_study
from bakuhub.corridor.scenario import shipped_scenario


def _eur(value: float | None) -> str:
    return "-" if value is None else f"{value / 1e6:10.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="reference-2030")
    parser.add_argument("--resolution", default="repdays:1/6")
    parser.add_argument("--workers", type=int, default=2, help="0: no process-pool run")
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args()
    for name in ("pypsa", "linopy"):
        logging.getLogger(name).setLevel(logging.ERROR)

    started = time.perf_counter()
    study = run_study(
        shipped_scenario(args.scenario), resolution=args.resolution, real_year_check=False
    )
    study_s = time.perf_counter() - started
    started = time.perf_counter()
    tables = {
        "benefits": [study.summary["benefits"]],
        "sharing": negotiate(study.solved.scenario, CASPIAN_PROJECT, resolution=args.resolution),
    }
    sequential_s = time.perf_counter() - started
    parallel_s = None
    if args.workers:
        started = time.perf_counter()
        with ProcessPoolExecutor(max_workers=args.workers) as pool:
            negotiate(
                study.solved.scenario, CASPIAN_PROJECT, resolution=args.resolution, executor=pool
            )
        parallel_s = time.perf_counter() - started

    cable = tables["benefits"][0]
    print(f"{args.scenario} at {args.resolution}: {study.summary['model']['snapshots']} snapshots")
    print(
        f"study (2 solves, benefits): {study_s:.1f} s; coalitions (8 solves): "
        f"{sequential_s:.1f} s one after the other"
        + (f", {parallel_s:.1f} s on {args.workers} processes" if parallel_s else "")
    )
    print("\nCaspian cable against the study's counterfactual, M EUR/a")
    print(
        f"{'party':10} {'consumers':>10} {'producers':>10} {'rent':>10} {'grid':>10} "
        f"{'gross':>10} {'CO2 kt':>9} {'ENS GWh':>8}"
    )
    for row in cable["parties"]:
        print(
            f"{row['party']:10} {_eur(row['consumer_surplus_eur_a'])} "
            f"{_eur(row['producer_surplus_eur_a'])} {_eur(row['congestion_rent_eur_a'])} "
            f"{_eur(row['grid_cost_eur_a'])} {_eur(row['gross_benefit_eur_a'])} "
            f"{row['co2_t'] / 1e3:9.1f} {row['unserved_mwh'] / 1e3:8.2f}"
        )
    print(
        f"cable cost {_eur(cable['cable_cost_eur_a'])}; net {_eur(cable['net_benefit_eur_a'])}; "
        f"system cost change {_eur(cable['system_cost_change_eur_a'])}; "
        f"residual {cable['identity_residual_eur_a']:.3g} EUR/a"
    )

    sharing = tables["sharing"]
    print(
        f"\n{sharing['project']} project {sharing['cables']}: cost "
        f"{_eur(sharing['cable_cost_eur_a'])} M EUR/a, v(N) "
        f"{_eur(sharing['value_of_grand_coalition_eur_a'])}"
    )
    print(f"{'members':12} {'v(S)':>10} {'cost':>10} {'MW built':>30} {'solve s':>8}")
    for c in sharing["coalitions"]:
        built = ", ".join(f"{k} {v:.0f}" for k, v in c["cables_mw"].items())
        print(
            f"{'+'.join(c['members']) or '-':12} {_eur(c['value_eur_a'])} "
            f"{_eur(c['cable_cost_eur_a'])} {built:>30} {c['solve_seconds']:8.1f}"
        )
    print(
        f"\n{'country':8} {'gross':>10} {'prop pays':>10} {'prop net':>10} "
        f"{'Shap pays':>10} {'Shap net':>10}"
    )
    for r in sharing["shares"]:
        print(
            f"{r['country']:8} {_eur(r['gross_benefit_eur_a'])} "
            f"{_eur(r['proportional_pays_eur_a'])} {_eur(r['proportional_net_eur_a'])} "
            f"{_eur(r['shapley_pays_eur_a'])} {_eur(r['shapley_net_eur_a'])}"
        )
    core = sharing["core"]
    print(
        f"core empty: {core['empty']}; Shapley in core: {core['shapley']['in_core']}; "
        f"proportional in core: {core.get('proportional', {}).get('in_core')}"
    )
    for rule in ("shapley", "proportional"):
        for b in core.get(rule, {}).get("blocking", []):
            print(
                f"  {rule}: {'+'.join(b['members'])} gets {_eur(b['allocated_eur_a'])}, "
                f"alone {_eur(b['alone_eur_a'])}"
            )
    print(
        "non-partners' gain, M EUR/a:",
        {k: round(v / 1e6, 1) for k, v in sharing["non_partners_gain_eur_a"].items()},
    )
    if args.json_out:
        args.json_out.write_text(json.dumps(tables, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
