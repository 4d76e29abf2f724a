"""Cooling plant on the GPU: one thread per element."""

from __future__ import annotations

from powermodel.backends._elementwise import launch
from powermodel.kernels import cooling as physics

__all__ = ["cooling_plant", "supply_air_temperature"]


def cooling_plant(p, heat_load, temp_air, temp_wet_bulb, out):
    """Fill ``out`` (16, n) from 1-D inputs of length n, all of one dtype."""
    return launch(physics.cooling_plant, "cuda", (p,), (heat_load, temp_air, temp_wet_bulb), out)


def supply_air_temperature(p, temp_air, temp_wet_bulb, out):
    """Fill ``out`` (1, n) with the supply air temperature."""
    return launch(physics.supply_air_temperature, "cuda", (p,), (temp_air, temp_wet_bulb), out)
