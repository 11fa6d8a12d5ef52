"""The IATI Standard 2.03 beyond its schema: the official codelists and the standard
ruleset, read from verbatim copies in ``datasets/iati``. Pure: no database, web or CLI."""
