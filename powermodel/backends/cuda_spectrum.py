"""Swing-mitigation scans on the GPU: one thread per trace.

Thread ``j`` walks the samples of trace ``j``; at each sample neighbouring
threads read neighbouring elements of the (time, trace) row, so loads and
stores coalesce. The two states are float64 registers.
"""

from __future__ import annotations

import numpy as np
from numba import cuda

from powermodel.backends._codegen import kernel
from powermodel.kernels.spectrum import smoothing_step, storage_step

__all__ = ["power_smoothing", "storage_smoothing"]

THREADS = 128


def _blocks(traces: int) -> int:
    return max(1, (traces + THREADS - 1) // THREADS)


def _smoothing_loop(p, initial, demand, out):
    j = cuda.grid(1)
    times, traces = demand.shape
    if j >= traces:
        return
    drawn = np.float64(initial[0, j])
    held = np.float64(initial[1, j])
    for t in range(times):
        drawn, held, burned, deferred = smoothing_step(p, drawn, held, np.float64(demand[t, j]))
        out[0, t, j] = drawn
        out[1, t, j] = burned
        out[2, t, j] = deferred


def _storage_loop(p, initial, load, out):
    j = cuda.grid(1)
    times, traces = load.shape
    if j >= traces:
        return
    stored = np.float64(initial[0, j])
    target = np.float64(initial[1, j])
    for t in range(times):
        stored, target, grid, discharge, charge, loss = storage_step(
            p, stored, target, np.float64(load[t, j])
        )
        out[0, t, j] = grid
        out[1, t, j] = discharge
        out[2, t, j] = charge
        out[3, t, j] = stored
        out[4, t, j] = loss


def power_smoothing(p, initial, demand, out):
    """Fill ``out`` (3, time, trace) on the device."""
    kernel("power_smoothing", _smoothing_loop, "cuda")[_blocks(demand.shape[1]), THREADS](
        p, initial, demand, out
    )


def storage_smoothing(p, initial, load, out):
    """Fill ``out`` (5, time, trace) on the device."""
    kernel("storage_smoothing", _storage_loop, "cuda")[_blocks(load.shape[1]), THREADS](
        p, initial, load, out
    )
