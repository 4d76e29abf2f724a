"""EnergyPlus ITE:AirCooled on the GPU: one thread per element."""

from __future__ import annotations

import functools

from numba import cuda

from powermodel.kernels import ite as physics
from powermodel.kernels._compile import compile_physics

__all__ = ["ite_air_cooled"]

THREADS = 256


@functools.cache
def _kernel(precision: str):
    model = compile_physics(physics.ite_air_cooled, "cuda", precision)

    @cuda.jit
    def kernel(p, utilization, temp_supply, temp_zone, humidity_ratio, schedule, pressure, out):
        for i in range(cuda.grid(1), utilization.size, cuda.gridsize(1)):
            values = model(
                p, utilization[i], temp_supply[i], temp_zone[i], humidity_ratio[i], schedule[i],
                pressure[i],
            )  # fmt: skip
            for k in range(11):
                out[k, i] = values[k]

    return kernel


def ite_air_cooled(p, utilization, temp_supply, temp_zone, humidity_ratio, schedule, pressure, out):
    """Fill ``out`` (11, n) on the device."""
    blocks = max(1, min((utilization.size + THREADS - 1) // THREADS, 65_535))
    _kernel(utilization.dtype.name)[blocks, THREADS](
        p, utilization, temp_supply, temp_zone, humidity_ratio, schedule, pressure, out
    )
    return out
