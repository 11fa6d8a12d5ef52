"""Components added to a PyPSA network a run at a time.

PyPSA's ``Network.add`` costs about as much for one component as for fifty (it coerces
and aligns its frames on every call), and a corridor network is built from about 200
single adds: most of a build's time. :class:`Batch` gathers the adds of a builder and
adds the components of one class that set the same attributes in one call, then puts
them back in the order given, so the network is the same, component for component and
column for column. Time-varying values are 1-D arrays over the snapshots, as for a
single add.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pypsa

Rows = list[tuple[str, dict[str, Any]]]


class Batch:
    """``batch.add(class_name, name, **attrs)`` as ``n.add``; added when the ``with``
    block ends (or at :meth:`flush`). A builder must not read back, inside the block,
    a component it added there."""

    def __init__(self, n: pypsa.Network) -> None:
        self.n = n
        self._rows: dict[str, Rows] = {}

    def add(self, class_name: str, name: str, **attrs: Any) -> None:
        self._rows.setdefault(class_name, []).append((name, attrs))

    def flush(self) -> None:
        for class_name, rows in self._rows.items():
            before = list(self.n.components[class_name].static.index)
            for run in _runs(rows):
                _add_run(self.n, class_name, run)
            _in_order(self.n, class_name, before + [name for name, _attrs in rows])
        self._rows = {}

    def __enter__(self) -> Batch:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.flush()


def _signature(attrs: dict[str, Any]) -> tuple[tuple[str, bool], ...]:
    return tuple((key, isinstance(value, np.ndarray)) for key, value in attrs.items())


def _runs(rows: Rows) -> list[Rows]:
    """The rows setting the same attributes (a time series where the other rows have
    one too), in the order of their first row."""
    runs: dict[tuple[tuple[str, bool], ...], Rows] = {}
    for row in rows:
        runs.setdefault(_signature(row[1]), []).append(row)
    return list(runs.values())


def _add_run(n: pypsa.Network, class_name: str, run: Rows) -> None:
    import pandas as pd

    if len(run) == 1:
        name, attrs = run[0]
        n.add(class_name, name, **attrs)
        return
    names = [name for name, _attrs in run]
    columns: dict[str, Any] = {}
    for key, series in _signature(run[0][1]):
        values = [attrs[key] for _name, attrs in run]
        if series:
            columns[key] = pd.DataFrame(np.column_stack(values), index=n.snapshots, columns=names)
        else:
            columns[key] = pd.Series(values, index=names)
    n.add(class_name, names, **columns)


def _in_order(n: pypsa.Network, class_name: str, order: list[str]) -> None:
    """The components in the order they were given, and their time series columns
    too (PyPSA sorts those of a multiple add among themselves)."""
    component = n.components[class_name]
    if list(component.static.index) != order:
        component.static = component.static.loc[order]
    for attr, frame in list(component.dynamic.items()):
        if frame.empty:
            continue
        wanted = [name for name in order if name in frame.columns]
        if list(frame.columns) != wanted:
            component.dynamic[attr] = frame[wanted]
