"""Moist air properties on the GPU: one thread per element."""

from __future__ import annotations

from powermodel.backends._elementwise import launch
from powermodel.kernels import psychrometrics as physics

__all__ = ["moist_air_state"]


def moist_air_state(temp, relative_humidity, pressure, out):
    """Fill ``out`` (6, n) from 1-D inputs of length n, all of one dtype."""
    return launch(physics.moist_air_state, "cuda", (), (temp, relative_humidity, pressure), out)
