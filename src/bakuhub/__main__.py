"""``python -m bakuhub`` runs the command line."""

from bakuhub.cli import main

main()
