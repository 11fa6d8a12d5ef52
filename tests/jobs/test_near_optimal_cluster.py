"""A study job's near-optimal ranges run across the job cluster: inside a Dask task (as a
job is), the targets are cut into one run a worker, each run a Dask task of its own, on
both workers, and the ranges are those solved one after the other."""

from __future__ import annotations

from typing import Any

import pytest

from bakuhub.corridor import analyses
from bakuhub.corridor.scenario import load_scenario
from bakuhub.corridor.solve import solve_scenario

RESOLUTION = "segments:4"
TARGETS = ["cable CASPIAN", "cable BLACKSEA", "AZ solar", "KZ wind"]


def test_the_ranges_of_a_job_are_solved_across_the_cluster(dask_client: Any) -> None:
    scenario = load_scenario("reference-2030").model_copy(update={"real_year_check": False})
    sized = solve_scenario(scenario, resolution=RESOLUTION)
    sized.network.model.solver_model = None  # the solver's handle does not travel
    in_turn = analyses.near_optimal(sized, select=TARGETS)  # not in a Dask task: in turn
    from distributed import get_task_stream

    with get_task_stream(client=dask_client) as stream:
        job = dask_client.submit(analyses.near_optimal, sized, select=TARGETS, pure=False)
        on_cluster = job.result(timeout=600)
    ranges = [t for t in stream.data if "_ranges" in str(t["key"])]
    assert len(ranges) == 2  # one run of targets a worker (one thread each)
    assert len({t["worker"] for t in ranges}) == 2  # both workers solved ranges
    assert on_cluster["solves"] == in_turn["solves"] == 2 * len(TARGETS)
    for a, b in zip(in_turn["ranges"], on_cluster["ranges"], strict=True):
        assert a["target"] == b["target"]
        scale = max(1.0, abs(a["least_cost"]))
        assert (b["min"], b["max"]) == pytest.approx((a["min"], a["max"]), abs=1e-3 * scale)
