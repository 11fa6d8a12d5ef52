"""The corridor data build: upstream files -> the shipped tables of ``datasets/corridor``.

Offline work, run by ``scripts/build_corridor_data.py`` (and read by the tests that check
the shipped tables against their upstream): ``assumptions`` (the hand-entered nodes, candidate
links, modelled sites and their citations), ``geo`` (distances, cable lengths), ``loaders``
(readers of the upstream and user formats: Agora, renewables.ninja, plain CSV), ``modelled``
(pvlib/windpowerlib profiles where no measured series exists), ``weather`` (the full-year
hourly series from the upstream folder), ``inventory`` (demand, fleet, potentials, fuels) and
``build`` (every table, written byte-stable).

The runtime model (``bakuhub.corridor``) reads only the shipped tables
(``corridor.datasets``), with two documented exceptions, both for data a user supplies:
``loaders`` (``bakuhub corridor data import`` and the package's public readers) and
``weather.hourly_series`` (a scenario with ``weather.source: agora``). pvlib and
windpowerlib are an optional extra (``pip install bakuhub[data-build]``), imported only
when a modelled profile is computed.
"""
