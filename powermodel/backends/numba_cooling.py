"""Cooling plant on the CPU: parallel, fused numba kernels."""

from __future__ import annotations

import functools

import numba
from numba import prange

from powermodel.kernels import cooling as physics
from powermodel.kernels._compile import CPU_JIT_OPTIONS, compile_physics

__all__ = ["cooling_plant", "supply_air_temperature"]

_OUTPUTS = len(physics.OUTPUTS)


@functools.cache
def _plant_kernel(precision: str):
    plant = compile_physics(physics.cooling_plant, "cpu", precision)

    @numba.njit(parallel=True, **CPU_JIT_OPTIONS)
    def kernel(p, heat_load, temp_air, temp_wet_bulb, out):
        for i in prange(heat_load.size):
            values = plant(p, heat_load[i], temp_air[i], temp_wet_bulb[i])
            for k in range(_OUTPUTS):
                out[k, i] = values[k]

    return kernel


@functools.cache
def _supply_kernel(precision: str):
    supply = compile_physics(physics.supply_air_temperature, "cpu", precision)

    @numba.njit(parallel=True, **CPU_JIT_OPTIONS)
    def kernel(p, temp_air, temp_wet_bulb, out):
        for i in prange(temp_air.size):
            out[0, i] = supply(p, temp_air[i], temp_wet_bulb[i])

    return kernel


def cooling_plant(p, heat_load, temp_air, temp_wet_bulb, out):
    """Fill ``out`` (16, n) from 1-D inputs of length n, all of one dtype."""
    _plant_kernel(heat_load.dtype.name)(p, heat_load, temp_air, temp_wet_bulb, out)
    return out


def supply_air_temperature(p, temp_air, temp_wet_bulb, out):
    """Fill ``out`` (1, n) with the supply air temperature."""
    _supply_kernel(temp_air.dtype.name)(p, temp_air, temp_wet_bulb, out)
    return out
