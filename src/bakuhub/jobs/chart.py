"""The chart of a sweep: each key result against each varied field, one panel per
pair, as a self-contained HTML file (plotly.js embedded, works offline)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bakuhub.i18n import N_

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd

CHARTED = ("total_system_cost_bn_eur_a", "gateway_price_eur_mwh", "co2_emitted_mt")
"""The key results drawn, one row of panels each (columns of the sweep table)."""
LABELS = {
    "total_system_cost_bn_eur_a": N_("total system cost, bn EUR/a"),
    "gateway_price_eur_mwh": N_("cost at EU gateway, EUR/MWh"),
    "co2_emitted_mt": N_("CO2 emitted, Mt/a"),
}
"""The key results' labels (English in the chart file; the sweep page translates them)."""


def write_chart(
    name: str, base: str, fields: Sequence[str], table: pd.DataFrame, path: Path
) -> Path:
    """Write ``path``: the key results (rows) of sweep ``name`` of scenario ``base`` against
    its varied ``fields`` (columns), from the sweep table (one row per variant)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    done = table[table["state"] == "succeeded"]
    fig = make_subplots(
        rows=len(CHARTED),
        cols=len(fields),
        shared_yaxes=True,
        horizontal_spacing=0.04,
        vertical_spacing=0.08,
    )
    hover = [
        f"variant {row['variant']}: " + ", ".join(f"{f}={row[f]}" for f in fields)
        for _, row in done.iterrows()
    ]
    for r, figure in enumerate(CHARTED, start=1):
        for c, field in enumerate(fields, start=1):
            column = done[field]
            x = column.astype(str) if column.dtype == object else column
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=done[figure],
                    mode="markers",
                    marker={"size": 9, "opacity": 0.8},
                    text=hover,
                    hovertemplate="%{text}<br>%{y:,.2f}<extra></extra>",
                    showlegend=False,
                ),
                row=r,
                col=c,
            )
            if r == len(CHARTED):
                fig.update_xaxes(title_text=field, row=r, col=c)
            if c == 1:
                fig.update_yaxes(title_text=LABELS.get(figure, figure), row=r, col=c)
    failed = len(table) - len(done)
    note = f" ({failed} variant(s) without a result)" if failed else ""
    fig.update_layout(
        title=f"Sweep {name}: {len(done)} variants of {base}{note}",
        height=280 * len(CHARTED) + 120,
        width=max(520, 360 * len(fields)),
        template="plotly_white",
    )
    fig.write_html(path, include_plotlyjs=True, full_html=True)
    return path
