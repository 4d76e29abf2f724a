"""The site battery scan on the CPU.

Arrays are (time, scenario) with scenarios contiguous; each parallel task
takes a block of scenarios and walks time outermost, scenarios innermost
(the layout of :mod:`powermodel.backends.numba_hydro`). The stored energy
stays float64 whatever the input dtype.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from powermodel.backends._codegen import kernel
from powermodel.backends.numba_hydro import _block
from powermodel.kernels.battery import battery_step

__all__ = ["battery_dispatch"]


def _dispatch_loop(p, initial, demand, limit, price, cheap, dear, block, out):
    times, scenarios = demand.shape
    blocks = (scenarios + block - 1) // block
    for b in prange(blocks):
        low = b * block
        high = min(low + block, scenarios)
        state = np.empty(high - low, np.float64)
        for j in range(low, high):
            state[j - low] = initial[j]
        for t in range(times):
            for j in range(low, high):
                values = battery_step(
                    p, state[j - low], np.float64(demand[t, j]), np.float64(limit[t, j]),
                    np.float64(price[t, j]), np.float64(cheap[t, j]), np.float64(dear[t, j]),
                )  # fmt: skip
                state[j - low] = values[3]
                for k in range(6):
                    out[k, t, j] = values[k]


def battery_dispatch(p, initial, demand, limit, price, cheap, dear, out):
    """Fill ``out`` (6, time, scenario); ``p`` and ``initial`` (scenario,) are float64."""
    block = _block(demand.shape[1])
    kernel("battery_dispatch", _dispatch_loop, "cpu")(
        p, initial, demand, limit, price, cheap, dear, block, out
    )
