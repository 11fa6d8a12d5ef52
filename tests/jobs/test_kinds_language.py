"""The language a study's report is wanted in is not part of what the job computes."""

from __future__ import annotations

from bakuhub.jobs.kinds import input_hash


def test_the_report_language_does_not_change_the_inputs_digest() -> None:
    inputs = {"scenario": {"name": "x"}, "counterfactual": False}
    french = {**inputs, "language": "fr"}
    assert input_hash("corridor_study", inputs) == input_hash("corridor_study", french)
    assert input_hash("corridor_study", inputs) != input_hash(
        "corridor_study", {**inputs, "counterfactual": True}
    )
