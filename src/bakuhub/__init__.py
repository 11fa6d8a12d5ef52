"""bakuhub: the COP29 Baku partnerships platform (energy corridor model and Hub record)."""

__version__ = "0.1.0"
