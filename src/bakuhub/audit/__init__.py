"""The audit log: every change of the record, with who, when, before and after.

Every domain writes it (``service.record``, in the caller's transaction) and the web
reads it (``service.list_entries``, ``service.read_entry``); it imports no domain, so
each can import it without a cycle.
"""
