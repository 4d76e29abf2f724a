"""The deferrable-load scheduler on the CPU: blocks of scenarios in parallel, windows in order.

Each parallel task takes a block of neighbouring scenarios and walks the
windows, the scenarios of its block innermost: a window's rows of the
block share cache lines (8 float64 scenarios per 64-byte line), so the
threshold search's repeated passes read from L1 instead of pulling a new
line per step (one scenario per task, walking its whole year, was ~2x slower).
"""

from __future__ import annotations

import numba
from numba import prange

from powermodel.backends._codegen import kernel
from powermodel.kernels.flexibility import shift_window

__all__ = ["shift_deferrable"]

BLOCK = 32  # scenarios per task: a day's 24 rows x 3 inputs x 32 scenarios = 18 KiB, in L1


def _shift_loop(p, bounds, power, upper, weight, block, out):
    times, scenarios = power.shape
    windows = bounds.shape[0] - 1
    blocks = (scenarios + block - 1) // block
    for b in prange(blocks):
        low = b * block
        high = min(low + block, scenarios)
        for k in range(windows):
            start = min(bounds[k], times)  # windows past the end are empty
            stop = min(bounds[k + 1], times)
            for j in range(low, high):
                shift_window(p, power, upper, weight, j, start, stop, out)


def shift_deferrable(p, bounds, power, upper, weight, out):
    """Fill ``out`` (1, time, scenario) with the shifted load; ``bounds`` (windows + 1,) int64."""
    scenarios = power.shape[1]
    per_thread = -(-scenarios // numba.get_num_threads())
    block = max(1, min(BLOCK, per_thread))
    kernel("shift_deferrable", _shift_loop, "cpu")(p, bounds, power, upper, weight, block, out)
