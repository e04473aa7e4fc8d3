"""A repeatable year of synthetic pipeline history, for demos and benchmarks: seed_history."""

from baton.services.seed.history import SeedError, SeedReport, seed_history

__all__ = ["SeedError", "SeedReport", "seed_history"]
