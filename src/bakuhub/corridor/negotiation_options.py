"""What a study works out for a negotiation besides its least-cost plan: the scenario's
option (``negotiation``). The benefits by country of the Caspian cable and of the Black
Sea cable need no option: every study with its counterfactual has them (the Black Sea
cable's one more solve).

Its own module, as ``cbam_rules.py``: the scenario imports it, and it imports neither
the scenario nor the model.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

MAX_SLACK = 0.5
MAX_RANGE_SOLVES = 200


class NegotiationOptions(BaseModel):
    """Cost shares from the partners' coalitions, and near-optimal ranges."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    cost_sharing: bool = Field(
        default=False,
        description=(
            "solve the Caspian partners' coalitions (2^3 = 8 solves at the study's "
            "resolution) for the Shapley and proportional cost shares and the core"
        ),
    )
    both_cables: bool = Field(
        default=False,
        description=(
            "also the benefits of the Caspian and Black Sea cables together, against the "
            "corridor without either (one more solve)"
        ),
    )
    near_optimal_slack: float | None = Field(
        default=None,
        ge=0,
        le=MAX_SLACK,
        description=(
            "the near-optimal ranges of each cable and each country's solar, wind, storage "
            "and gas within this share above the least cost (two solves a range); "
            "null: not computed"
        ),
    )
    near_optimal_max_solves: int = Field(
        default=100,
        ge=2,
        le=MAX_RANGE_SOLVES,
        description="the most solves the near-optimal ranges may take",
    )
