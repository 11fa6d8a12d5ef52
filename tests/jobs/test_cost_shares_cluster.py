"""A study job's coalitions run across the job cluster: inside a Dask task (as a job
is), the 8 coalition solves are Dask tasks of their own, on more than one worker, and
their shares add up to the project's cost (the same shares one after the other:
tests/corridor_model/test_negotiation_study.py)."""

from __future__ import annotations

from typing import Any

import pytest

from bakuhub.corridor import analyses
from bakuhub.corridor.scenario import load_scenario

RESOLUTION = "segments:4"


def test_the_coalitions_of_a_job_are_solved_across_the_cluster(dask_client: Any) -> None:
    scenario = load_scenario("reference-2030").model_copy(update={"real_year_check": False})
    with analyses.cluster_executor() as executor:
        assert executor is None  # not inside a Dask task: one after the other
    from distributed import get_task_stream

    with get_task_stream(client=dask_client) as stream:
        job = dask_client.submit(analyses.cost_shares, scenario, resolution=RESOLUTION, pure=False)
        on_cluster = job.result(timeout=600)
    solves = [t for t in stream.data if "solve_welfare" in str(t["key"])]
    assert len(solves) == 8
    assert len({t["worker"] for t in solves}) == 2  # both workers solved coalitions
    assert [row["country"] for row in on_cluster["shares"]] == ["KZ", "UZ", "AZ"]
    paid = sum(row["shapley_pays_eur_a"] for row in on_cluster["shares"])
    assert paid == pytest.approx(on_cluster["cable_cost_eur_a"], rel=1e-6)
    assert len(on_cluster["coalitions"]) == 8
