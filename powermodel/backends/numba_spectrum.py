"""Swing-mitigation scans on the CPU: traces in parallel, samples in order.

Arrays are (time, trace) with traces contiguous. Each parallel task takes a
block of traces and walks time outermost, traces innermost (the layout of
:mod:`powermodel.backends.numba_hydro`). The two states of each trace stay
float64 whatever the input dtype.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from powermodel.backends._codegen import kernel
from powermodel.backends.numba_hydro import _block
from powermodel.kernels.spectrum import smoothing_step, storage_step

__all__ = ["power_smoothing", "storage_smoothing"]


def _smoothing_loop(p, initial, demand, block, out):
    times, traces = demand.shape
    blocks = (traces + block - 1) // block
    for b in prange(blocks):
        low = b * block
        high = min(low + block, traces)
        drawn = np.empty(high - low, np.float64)
        held = np.empty(high - low, np.float64)
        for j in range(low, high):
            drawn[j - low] = initial[0, j]
            held[j - low] = initial[1, j]
        for t in range(times):
            for j in range(low, high):
                y, h, burned, deferred = smoothing_step(
                    p, drawn[j - low], held[j - low], np.float64(demand[t, j])
                )
                drawn[j - low] = y
                held[j - low] = h
                out[0, t, j] = y
                out[1, t, j] = burned
                out[2, t, j] = deferred


def _storage_loop(p, initial, load, block, out):
    times, traces = load.shape
    blocks = (traces + block - 1) // block
    for b in prange(blocks):
        low = b * block
        high = min(low + block, traces)
        stored = np.empty(high - low, np.float64)
        target = np.empty(high - low, np.float64)
        for j in range(low, high):
            stored[j - low] = initial[0, j]
            target[j - low] = initial[1, j]
        for t in range(times):
            for j in range(low, high):
                s, g, grid, discharge, charge, loss = storage_step(
                    p, stored[j - low], target[j - low], np.float64(load[t, j])
                )
                stored[j - low] = s
                target[j - low] = g
                out[0, t, j] = grid
                out[1, t, j] = discharge
                out[2, t, j] = charge
                out[3, t, j] = s
                out[4, t, j] = loss


def power_smoothing(p, initial, demand, out):
    """Fill ``out`` (3, time, trace): drawn, burned and deferred power.

    ``p`` is a :class:`~powermodel.kernels.spectrum.SmoothingParameters` of
    float64, ``initial`` (2, trace) float64: drawn power and time below.
    """
    kernel("power_smoothing", _smoothing_loop, "cpu")(
        p, initial, demand, _block(demand.shape[1]), out
    )


def storage_smoothing(p, initial, load, out):
    """Fill ``out`` (5, time, trace): grid, discharge, charge, stored energy, loss.

    ``p`` is a :class:`~powermodel.kernels.spectrum.StorageParameters` of
    float64, ``initial`` (2, trace) float64: stored energy and grid target.
    """
    kernel("storage_smoothing", _storage_loop, "cpu")(p, initial, load, _block(load.shape[1]), out)
