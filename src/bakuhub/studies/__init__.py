"""Corridor scenarios and studies as shared records: saved scenarios (author, version,
parent, draft or published), every solved study in one store whatever started it, and
the discussion on each. Services over the database; the model itself stays in
``bakuhub.corridor``."""
