"""Results frameworks, finance and IATI 2.03 exchange of the Hub's projects.

Services (keyword arguments and a session; the caller owns the transaction):

- ``service``: ``add_result``, ``get_framework``, ``update_period``, ``move_period``,
  ``delete_result``
- ``rollup``: ``rollup``, ``period_status``, ``progress``, ``status_of``
- ``finance``: ``add_budget``, ``add_transaction``, ``add_rate``, ``list_rates``,
  ``project_finance``, ``totals``
- ``profile``: ``set_profile``, ``get_profile``
- ``corridor_link``: ``apply_scenario_summary``
- ``iati_export``: ``export_activities``; ``iati_import``: ``import_activities``;
  ``iati_schema``: ``schema_errors``, ``check_valid``

See docs/results-and-iati.md.
"""
