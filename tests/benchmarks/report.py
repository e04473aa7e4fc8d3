"""How the benchmarks print: ratios to the floor and the settings a table was measured with."""

from __future__ import annotations

import argparse
import os
import platform


def ratio(baton: float, floor: float) -> str:
    """Baton's figure as a multiple of the floor's, e.g. 0.08x."""
    if not floor:
        return "-"
    return f"{baton / floor:.2f}x"


def settings_line(options: argparse.Namespace) -> str:
    """The options of a run and the machine it ran on, printed above its table."""
    chosen = ", ".join(f"{name} {value}" for name, value in sorted(vars(options).items()))
    return f"{chosen}; {os.cpu_count()} CPUs, Python {platform.python_version()}"
