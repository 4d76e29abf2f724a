"""Hydro reservoir scans on the GPU: one thread per scenario.

Thread ``j`` walks time for scenario ``j``; at each step neighbouring
threads read neighbouring elements of the (time, scenario) row, so loads
and stores coalesce. The state is a float64 register.
"""

from __future__ import annotations

import numpy as np
from numba import cuda

from powermodel.backends._codegen import kernel
from powermodel.kernels.hydro import dispatch_step, generation, market_step, reservoir_step

__all__ = ["reservoir_dispatch", "reservoir_market", "reservoir_schedule"]

THREADS = 128


def _blocks(scenarios: int) -> int:
    return max(1, (scenarios + THREADS - 1) // THREADS)


def _schedule_loop(p, initial, inflow, release_wanted, out):
    j = cuda.grid(1)
    times, scenarios = inflow.shape
    if j >= scenarios:
        return
    state = initial[j]
    for t in range(times):
        start = state
        state, release, spill = reservoir_step(p, start, inflow[t, j], release_wanted[t, j])
        out[0, t, j] = state
        out[1, t, j] = release
        out[2, t, j] = spill
        out[3, t, j] = generation(p, start, release)


def _dispatch_loop(p, initial, inflow, demand, guide, out):
    j = cuda.grid(1)
    times, scenarios = inflow.shape
    if j >= scenarios:
        return
    state = initial[j]
    for t in range(times):
        values = dispatch_step(p, state, inflow[t, j], demand[t, j], guide[t])
        state = values[0]
        for k in range(8):
            out[k, t, j] = values[k]


def reservoir_schedule(p, initial, inflow, release_wanted, out):
    """Fill ``out`` (4, time, scenario) on the device."""
    scenarios = inflow.shape[1]
    kernel("reservoir_schedule", _schedule_loop, "cuda")[_blocks(scenarios), THREADS](
        p, initial, inflow, release_wanted, out
    )


def reservoir_dispatch(p, initial, inflow, demand, guide, out):
    """Fill ``out`` (8, time, scenario) on the device."""
    scenarios = inflow.shape[1]
    kernel("reservoir_dispatch", _dispatch_loop, "cuda")[_blocks(scenarios), THREADS](
        p, initial, inflow, demand, guide, out
    )


def _market_loop(p, initial, values, inflow, demand, price, stage, out):
    j = cuda.grid(1)
    times, scenarios = inflow.shape
    if j >= scenarios:
        return
    points = values.shape[1]
    state = initial[j]
    for t in range(times):
        # float64 physics whatever the storage, as on the CPU
        step = market_step(
            p, state, np.float64(inflow[t, j]), np.float64(demand[t, j]), np.float64(price[t, j]),
            values[int(stage[t])], points,
        )  # fmt: skip
        state = step[0]
        for k in range(10):
            out[k, t, j] = step[k]


def reservoir_market(p, initial, values, inflow, demand, price, stage, out):
    """Fill ``out`` (10, time, scenario) on the device."""
    scenarios = inflow.shape[1]
    kernel("reservoir_market", _market_loop, "cuda")[_blocks(scenarios), THREADS](
        p, initial, values, inflow, demand, price, stage, out
    )
