"""The shipped representative days against the real Agora hourly series (issue 3 checks)."""

from __future__ import annotations

import pandas as pd

from bakuhub.corridor import fidelity, load_profiles, reconstruct

LIMITS = {
    "annual_mean_rel": 0.01,
    "monthly_mean_rel": 0.03,
    "duration_abs": 0.05,
    "correlation_abs": 0.1,
}


def _report(agora_real: pd.DataFrame) -> pd.DataFrame:
    rebuilt = reconstruct(load_profiles())
    return fidelity(agora_real, rebuilt)


def test_shipped_profiles_match_real_series(agora_real: pd.DataFrame) -> None:
    report = _report(agora_real)
    assert len(report) == 18, "every Agora availability series must be compared"
    print("\nfidelity of the shipped representative days vs the Agora series:")
    print(report.round(4).to_string())
    for metric, limit in LIMITS.items():
        worst = report[metric].max()
        print(f"worst {metric}: {worst:.4f} ({report[metric].idxmax()}), limit {limit}")
    failures = {m: report.index[report[m] > lim].tolist() for m, lim in LIMITS.items()}
    assert not any(failures.values()), failures


def test_fidelity_detects_a_broken_representation(agora_real: pd.DataFrame) -> None:
    rep = load_profiles()
    shuffled = rep.calendar.copy()
    shuffled["day"] = shuffled["day"].to_numpy()[::-1]
    broken = fidelity(agora_real, reconstruct(type(rep)(rep.profiles, shuffled)))
    assert broken["monthly_mean_rel"].max() > 0.03


def test_calendar_keeps_chronology() -> None:
    rep = load_profiles()
    assert len(rep.calendar) == 365
    assert rep.weights.sum() == 365
    assert rep.calendar["date"].iloc[0] == "2023-01-01"
    months = pd.to_datetime(rep.calendar["date"]).dt.month
    # days are clustered within months: no representative day serves two months
    assert (rep.calendar.assign(m=months).groupby("day")["m"].nunique() == 1).all()
    values = rep.profiles.drop(columns=[c for c in rep.profiles.columns if c.endswith("|load")])
    assert values.min().min() >= 0.0
    assert values.max().max() <= 1.0
