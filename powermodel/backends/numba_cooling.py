"""Cooling plant on the CPU: parallel, fused numba kernels."""

from __future__ import annotations

from powermodel.backends._elementwise import launch
from powermodel.kernels import cooling as physics

__all__ = ["cooling_plant", "supply_air_temperature"]


def cooling_plant(p, heat_load, temp_air, temp_wet_bulb, out):
    """Fill ``out`` (16, n) from 1-D inputs of length n, all of one dtype."""
    return launch(physics.cooling_plant, "cpu", (p,), (heat_load, temp_air, temp_wet_bulb), out)


def supply_air_temperature(p, temp_air, temp_wet_bulb, out):
    """Fill ``out`` (1, n) with the supply air temperature."""
    return launch(physics.supply_air_temperature, "cpu", (p,), (temp_air, temp_wet_bulb), out)
