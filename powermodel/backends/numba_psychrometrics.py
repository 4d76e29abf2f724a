"""Moist air properties on the CPU: one parallel numba kernel."""

from __future__ import annotations

import functools

import numba
from numba import prange

from powermodel.kernels import psychrometrics as physics
from powermodel.kernels._compile import CPU_JIT_OPTIONS, compile_physics

__all__ = ["moist_air_state"]


@functools.cache
def _kernel(precision: str):
    state = compile_physics(physics.moist_air_state, "cpu", precision)

    @numba.njit(parallel=True, **CPU_JIT_OPTIONS)
    def kernel(temp, relative_humidity, pressure, out):
        for i in prange(temp.size):
            values = state(temp[i], relative_humidity[i], pressure[i])
            for k in range(6):
                out[k, i] = values[k]

    return kernel


def moist_air_state(temp, relative_humidity, pressure, out):
    """Fill ``out`` (6, n) from 1-D inputs of length n, all of one dtype."""
    _kernel(temp.dtype.name)(temp, relative_humidity, pressure, out)
    return out
