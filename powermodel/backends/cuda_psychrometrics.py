"""Moist air properties on the GPU: one thread per element."""

from __future__ import annotations

import functools

from numba import cuda

from powermodel.kernels import psychrometrics as physics
from powermodel.kernels._compile import compile_physics

__all__ = ["moist_air_state"]

THREADS = 256


@functools.cache
def _kernel(precision: str):
    state = compile_physics(physics.moist_air_state, "cuda", precision)

    @cuda.jit
    def kernel(temp, relative_humidity, pressure, out):
        for i in range(cuda.grid(1), temp.size, cuda.gridsize(1)):
            values = state(temp[i], relative_humidity[i], pressure[i])
            for k in range(6):
                out[k, i] = values[k]

    return kernel


def moist_air_state(temp, relative_humidity, pressure, out):
    """Fill ``out`` (6, n) on the device."""
    blocks = max(1, min((temp.size + THREADS - 1) // THREADS, 65_535))
    _kernel(temp.dtype.name)[blocks, THREADS](temp, relative_humidity, pressure, out)
    return out
