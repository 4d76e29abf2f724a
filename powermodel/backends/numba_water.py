"""The water-value recursion on the CPU.

Stages are walked backwards in order; within a stage the filling points
run in parallel over the cores, each summing its scenarios in one fixed
order, so the table does not depend on the number of threads. Float64
throughout.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from powermodel.backends._codegen import kernel
from powermodel.kernels.water import best_release_value

__all__ = ["water_values"]


def _stage_loop(p, grid, inflow, demand, price, later, stage, out):
    points = grid.shape[0]
    scenarios = inflow.shape[1]
    for i in prange(points):
        total = 0.0
        for k in range(scenarios):
            total += best_release_value(
                p, grid[i], np.float64(inflow[stage, k]), np.float64(demand[stage, k]),
                np.float64(price[stage, k]), later, points,
            )  # fmt: skip
        out[stage, i] = total / scenarios


def water_values(p, inflow, demand, price, points, cycles, out):
    """Fill ``out`` (stage, points) with the value table [currency].

    ``inflow``, ``demand`` (stage, scenario) [J] and ``price`` [currency
    MWh-1] share one dtype; the recursion runs in float64.
    """
    stages = inflow.shape[0]
    grid = (p.capacity / (points - 1) if points > 1 else 0.0) * np.arange(points, dtype=np.float64)
    terminal = np.zeros(points)
    out[...] = 0.0
    run = kernel("water_values", _stage_loop, "cpu")
    for _ in range(cycles):
        for w in range(stages - 1, -1, -1):
            later = out[w + 1] if w + 1 < stages else terminal
            run(p, grid, inflow, demand, price, later, w, out)
        if stages:
            terminal = out[0] - out[0, 0]
