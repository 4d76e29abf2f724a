"""The deferrable-load scheduler on the GPU: one thread per scenario.

Thread ``j`` walks the windows of scenario ``j``; at each step neighbouring
threads read neighbouring elements of the (time, scenario) rows, so loads
coalesce. No per-thread arrays: the threshold search needs none.
"""

from __future__ import annotations

from numba import cuda

from powermodel.backends._codegen import kernel
from powermodel.kernels.flexibility import shift_window

__all__ = ["shift_deferrable"]

THREADS = 128


def _shift_loop(p, bounds, power, upper, weight, out):
    j = cuda.grid(1)
    times, scenarios = power.shape
    if j >= scenarios:
        return
    for k in range(bounds.shape[0] - 1):
        start = min(bounds[k], times)  # windows past the end are empty
        stop = min(bounds[k + 1], times)
        shift_window(p, power, upper, weight, j, start, stop, out)


def shift_deferrable(p, bounds, power, upper, weight, out):
    """Fill ``out`` (1, time, scenario) on the device."""
    scenarios = power.shape[1]
    blocks = max(1, (scenarios + THREADS - 1) // THREADS)
    kernel("shift_deferrable", _shift_loop, "cuda")[blocks, THREADS](
        p, bounds, power, upper, weight, out
    )
