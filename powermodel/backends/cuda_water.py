"""The water-value recursion on the GPU.

Per stage, one thread per (filling point, scenario) writes its best
release's value; a second kernel, one thread per point, sums the
scenarios in the CPU's order. Stages are launched backwards in order.
"""

from __future__ import annotations

from numba import cuda

from powermodel.backends._codegen import kernel
from powermodel.kernels.water import best_release_value

__all__ = ["water_values"]

THREADS = 128


def _best_loop(p, grid, inflow, demand, price, later, stage, best):
    n = cuda.grid(1)
    points = grid.shape[0]
    scenarios = inflow.shape[1]
    if n >= points * scenarios:
        return
    i = n // scenarios
    k = n - i * scenarios
    best[i, k] = best_release_value(
        p, grid[i], inflow[stage, k], demand[stage, k], price[stage, k], later, points
    )


def _mean_loop(best, stage, out):
    i = cuda.grid(1)
    points, scenarios = best.shape
    if i >= points:
        return
    total = 0.0
    for k in range(scenarios):
        total += best[i, k]
    out[stage, i] = total / scenarios


def water_values(p, inflow, demand, price, points, cycles, out, xp):
    """Fill ``out`` (stage, points) on the device; ``xp`` the array module."""
    stages, scenarios = inflow.shape
    grid = (p.capacity / (points - 1) if points > 1 else 0.0) * xp.arange(points, dtype=xp.float64)
    terminal = xp.zeros(points)
    best = xp.empty((points, scenarios))
    out[...] = 0.0
    if not scenarios:
        return
    pick = kernel("water_values_best", _best_loop, "cuda")
    mean = kernel("water_values_mean", _mean_loop, "cuda")
    blocks = -(-points * scenarios // THREADS)
    for _ in range(cycles):
        for w in range(stages - 1, -1, -1):
            later = out[w + 1] if w + 1 < stages else terminal
            pick[blocks, THREADS](p, grid, inflow, demand, price, later, w, best)
            mean[-(-points // THREADS), THREADS](best, w, out)
        if stages:
            terminal = out[0] - out[0, 0]
