"""EnergyPlus ITE:AirCooled on the CPU: one parallel, fused numba kernel."""

from __future__ import annotations

from powermodel.backends._elementwise import launch
from powermodel.kernels import ite as physics

__all__ = ["ite_air_cooled"]


def ite_air_cooled(p, utilization, temp_supply, temp_zone, humidity_ratio, schedule, pressure, out):
    """Fill ``out`` (11, n) from 1-D inputs of length n, all of one dtype."""
    inputs = (utilization, temp_supply, temp_zone, humidity_ratio, schedule, pressure)
    return launch(physics.ite_air_cooled, "cpu", (p,), inputs, out)
