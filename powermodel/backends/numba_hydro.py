"""Hydro reservoir scans on the CPU.

Arrays are (time, scenario) with scenarios contiguous. Each parallel task
takes a block of scenarios and walks time outermost, scenarios innermost,
so the inner loop reads contiguous rows and vectorises across scenarios
(measured faster than one scenario per task over a (scenario, time)
layout; benchmarks/hydro.py). The storage state stays float64 whatever the
input dtype: a float32 state drifts ~1e-3 in annual spill.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import prange

from powermodel.backends._codegen import kernel
from powermodel.kernels.hydro import dispatch_step, generation, market_step, reservoir_step

__all__ = ["BLOCK", "reservoir_dispatch", "reservoir_market", "reservoir_schedule"]

BLOCK = 512  # scenarios per task: 4 KiB of float64 state, stays in L1


def _schedule_loop(p, initial, inflow, release_wanted, storage_out, release_out, spill_out,
                   power_out):  # fmt: skip
    times, scenarios = inflow.shape
    blocks = (scenarios + BLOCK - 1) // BLOCK
    for b in prange(blocks):
        low = b * BLOCK
        high = min(low + BLOCK, scenarios)
        state = np.empty(high - low, np.float64)
        for j in range(low, high):
            state[j - low] = initial[j]
        for t in range(times):
            for j in range(low, high):
                start = state[j - low]
                end, release, spill = reservoir_step(
                    p, start, np.float64(inflow[t, j]), np.float64(release_wanted[t, j])
                )
                state[j - low] = end
                storage_out[t, j] = end
                release_out[t, j] = release
                spill_out[t, j] = spill
                power_out[t, j] = generation(p, start, release)


def _dispatch_loop(p, initial, inflow, demand, guide, block, out):
    times, scenarios = inflow.shape
    blocks = (scenarios + block - 1) // block
    for b in prange(blocks):
        low = b * block
        high = min(low + block, scenarios)
        state = np.empty(high - low, np.float64)
        for j in range(low, high):
            state[j - low] = initial[j]
        for t in range(times):
            g = np.float64(guide[t])
            for j in range(low, high):
                values = dispatch_step(
                    p, state[j - low], np.float64(inflow[t, j]), np.float64(demand[t, j]), g
                )
                state[j - low] = values[0]
                out[0, t, j] = values[0]
                out[1, t, j] = values[1]
                out[2, t, j] = values[2]
                out[3, t, j] = values[3]
                out[4, t, j] = values[4]
                out[5, t, j] = values[5]
                out[6, t, j] = values[6]
                out[7, t, j] = values[7]


def _market_loop(p, initial, values, inflow, demand, price, stage, block, out):
    times, scenarios = inflow.shape
    points = values.shape[1]
    blocks = (scenarios + block - 1) // block
    for b in prange(blocks):
        low = b * block
        high = min(low + block, scenarios)
        state = np.empty(high - low, np.float64)
        for j in range(low, high):
            state[j - low] = initial[j]
        for t in range(times):
            row = values[int(stage[t])]
            for j in range(low, high):
                step = market_step(
                    p, state[j - low], np.float64(inflow[t, j]), np.float64(demand[t, j]),
                    np.float64(price[t, j]), row, points,
                )  # fmt: skip
                state[j - low] = step[0]
                for k in range(10):
                    out[k, t, j] = step[k]


def reservoir_schedule(p, initial, inflow, release_wanted, out):
    """Fill ``out`` (4, time, scenario): storage, release, spill, generation.

    ``p`` and ``initial`` (scenario,) are float64; the (time, scenario)
    arrays share one dtype.
    """
    # separate 2-D views: the kernel indexed as out[k, t, j] ran ~1.6x slower
    kernel("reservoir_schedule", _schedule_loop, "cpu")(
        p, initial, inflow, release_wanted, out[0], out[1], out[2], out[3]
    )


def reservoir_dispatch(p, initial, inflow, demand, guide, out):
    """Fill ``out`` (8, time, scenario); ``guide`` is (time,).

    Scenarios are independent: blocks of at most :data:`BLOCK` of them, and
    at least one block per thread (a chunk of 64 scenarios in one block left
    a core idle), give the same numbers.
    """
    block = _block(inflow.shape[1])
    kernel("reservoir_dispatch", _dispatch_loop, "cpu")(
        p, initial, inflow, demand, guide, block, out
    )


def reservoir_market(p, initial, values, inflow, demand, price, stage, out):
    """Fill ``out`` (10, time, scenario); ``values`` (stage, points) the water-value
    table, ``stage`` (time,) each step's row of it."""
    block = _block(inflow.shape[1])
    kernel("reservoir_market", _market_loop, "cpu")(
        p, initial, values, inflow, demand, price, stage, block, out
    )


def _block(scenarios: int) -> int:
    """Scenarios per task: up to BLOCK, a multiple of 8, at least one task per thread."""
    per_thread = -(-scenarios // numba.get_num_threads())
    return max(8, min(BLOCK, -(-per_thread // 8) * 8))
