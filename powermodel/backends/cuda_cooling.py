"""Cooling plant on the GPU: one thread per element."""

from __future__ import annotations

import functools

from numba import cuda

from powermodel.kernels import cooling as physics
from powermodel.kernels._compile import compile_physics

__all__ = ["cooling_plant", "supply_air_temperature"]

THREADS = 256
_OUTPUTS = len(physics.OUTPUTS)


def _blocks(size: int) -> int:
    return max(1, min((size + THREADS - 1) // THREADS, 65_535))


@functools.cache
def _plant_kernel(precision: str):
    plant = compile_physics(physics.cooling_plant, "cuda", precision)

    @cuda.jit
    def kernel(p, heat_load, temp_air, temp_wet_bulb, out):
        for i in range(cuda.grid(1), heat_load.size, cuda.gridsize(1)):
            values = plant(p, heat_load[i], temp_air[i], temp_wet_bulb[i])
            for k in range(_OUTPUTS):
                out[k, i] = values[k]

    return kernel


@functools.cache
def _supply_kernel(precision: str):
    supply = compile_physics(physics.supply_air_temperature, "cuda", precision)

    @cuda.jit
    def kernel(p, temp_air, temp_wet_bulb, out):
        for i in range(cuda.grid(1), temp_air.size, cuda.gridsize(1)):
            out[0, i] = supply(p, temp_air[i], temp_wet_bulb[i])

    return kernel


def cooling_plant(p, heat_load, temp_air, temp_wet_bulb, out):
    """Fill ``out`` (16, n) on the device."""
    _plant_kernel(heat_load.dtype.name)[_blocks(heat_load.size), THREADS](
        p, heat_load, temp_air, temp_wet_bulb, out
    )
    return out


def supply_air_temperature(p, temp_air, temp_wet_bulb, out):
    """Fill ``out`` (1, n) on the device."""
    _supply_kernel(temp_air.dtype.name)[_blocks(temp_air.size), THREADS](
        p, temp_air, temp_wet_bulb, out
    )
    return out
