"""The site battery scan on the GPU: one thread per scenario.

Thread ``j`` walks time for scenario ``j``; neighbouring threads read
neighbouring elements of each (time, scenario) row, so loads and stores
coalesce. The stored energy is a float64 register and the physics runs in
float64 whatever the inputs' storage, as on the CPU.
"""

from __future__ import annotations

import numpy as np
from numba import cuda

from powermodel.backends._codegen import kernel
from powermodel.kernels.battery import battery_step

__all__ = ["battery_dispatch"]

THREADS = 128


def _dispatch_loop(p, initial, demand, limit, price, cheap, dear, out):
    j = cuda.grid(1)
    times, scenarios = demand.shape
    if j >= scenarios:
        return
    state = initial[j]
    for t in range(times):
        values = battery_step(
            p, state, np.float64(demand[t, j]), np.float64(limit[t, j]), np.float64(price[t, j]),
            np.float64(cheap[t, j]), np.float64(dear[t, j]),
        )  # fmt: skip
        state = values[3]
        for k in range(6):
            out[k, t, j] = values[k]


def battery_dispatch(p, initial, demand, limit, price, cheap, dear, out):
    """Fill ``out`` (6, time, scenario) on the device."""
    scenarios = demand.shape[1]
    blocks = max(1, (scenarios + THREADS - 1) // THREADS)
    kernel("battery_dispatch", _dispatch_loop, "cuda")[blocks, THREADS](
        p, initial, demand, limit, price, cheap, dear, out
    )
