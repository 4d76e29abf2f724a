"""EnergyPlus ITE:AirCooled on the CPU: one parallel, fused numba kernel."""

from __future__ import annotations

import functools

import numba
from numba import prange

from powermodel.kernels import ite as physics
from powermodel.kernels._compile import CPU_JIT_OPTIONS, compile_physics

__all__ = ["ite_air_cooled"]


@functools.cache
def _kernel(precision: str):
    model = compile_physics(physics.ite_air_cooled, "cpu", precision)

    @numba.njit(parallel=True, **CPU_JIT_OPTIONS)
    def kernel(p, utilization, temp_supply, temp_zone, humidity_ratio, schedule, pressure, out):
        for i in prange(utilization.size):
            values = model(
                p, utilization[i], temp_supply[i], temp_zone[i], humidity_ratio[i], schedule[i],
                pressure[i],
            )  # fmt: skip
            for k in range(11):
                out[k, i] = values[k]

    return kernel


def ite_air_cooled(p, utilization, temp_supply, temp_zone, humidity_ratio, schedule, pressure, out):
    """Fill ``out`` (11, n) from 1-D inputs of length n, all of one dtype."""
    _kernel(utilization.dtype.name)(
        p, utilization, temp_supply, temp_zone, humidity_ratio, schedule, pressure, out
    )
    return out
