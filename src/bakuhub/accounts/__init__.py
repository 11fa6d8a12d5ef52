"""Accounts, roles and personal API tokens (the audit log is ``bakuhub.audit``).

Services (keyword arguments and a session; the caller owns the transaction):

- ``service``: ``create_user``, ``set_password``, ``authenticate``, ``create_token``,
  ``user_for_token``, ``touch_token``, ``revoke_token``, ``end_sessions``
- ``admin``: ``create_account``, ``update_account``, ``reset_password``, ``set_active``,
  ``revoke_user_tokens``, ``keep_an_administrator``
- ``passwords``: the password rule (length, common, repetitive) and argon2id hashing
- ``throttle``: sign-in limits per name and address and per address, fail closed
- ``permissions``: ``Role``, ``Principal``, ``project_parties``, ``can_edit_project``...

See docs/web.md.
"""
