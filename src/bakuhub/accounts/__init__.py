"""Accounts, roles, personal API tokens and the audit log.

Services (keyword arguments and a session; the caller owns the transaction):

- ``service``: ``create_user``, ``set_password``, ``set_role``, ``authenticate``,
  ``create_token``, ``user_for_token``, ``revoke_token``
- ``audit``: ``record``, ``list_entries``
- ``permissions``: ``Role``, ``Principal``, ``project_parties``, ``can_edit_project``...

See docs/web.md.
"""
