"""Baton's command line, one module per typer app: main (run, tick, check, demo), db,
definition, export, seed."""

from baton.cli.main import app, main

__all__ = ["app", "main"]
