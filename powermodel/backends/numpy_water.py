"""The water-value recursion in plain numpy, float64: the reference the tests trust.

A Python loop over the stages, backwards, vectorised over filling points,
scenarios and candidate releases: the equations of
:mod:`powermodel.kernels.water` restated on whole arrays.
"""

from __future__ import annotations

import numpy as np

from powermodel.kernels.water import J_PER_MWH

__all__ = ["water_values"]


def _trade(p, release, demand, price):
    net = release - demand
    exported = np.minimum(np.maximum(net, 0.0), p.export_limit)
    deficit = np.maximum(-net, 0.0)
    imported = np.minimum(deficit, p.import_limit)
    shed = deficit - imported
    return (price * (exported - imported) - p.scarcity_price * shed) / J_PER_MWH


def _interpolate(values, end, capacity):
    points = values.size
    if points == 1:
        return np.broadcast_to(values[0], end.shape)
    x = end / capacity * (points - 1)
    i = np.minimum(np.floor(np.nan_to_num(x)).astype(np.int64), points - 2)
    frac = x - i
    return values[i] * (1.0 - frac) + values[i + 1] * frac


def _stage(p, grid, inflow, demand, price, later):
    """Expected best value (points,) of one stage over its scenarios."""
    storage = grid[:, None]  # (points, 1) against (scenarios,)
    available = np.maximum(storage + inflow - p.storage_min, 0.0)
    high = np.minimum(p.release_max, available)
    low = np.minimum(p.release_min, high)
    candidates = [low, high, demand - p.import_limit, demand, demand + p.export_limit]
    candidates += [storage + inflow - g for g in grid]  # end the stage on each grid point
    best = None
    for release in candidates:
        r = np.clip(release, low, high)
        end = np.clip(storage + inflow - r, 0.0, p.capacity)  # the excess spills
        value = _trade(p, r, demand, price) + _interpolate(later, end, p.capacity)
        best = value if best is None else np.fmax(best, value)
    unknown = np.isnan(storage + inflow + demand + price) | np.isnan(later).any()
    best = np.where(unknown, np.nan, best)
    return best.mean(axis=1)


def water_values(p, inflow, demand, price, points, cycles):
    """Value table (stage, points) [currency]; inputs (stage, scenario) float64.

    ``cycles`` passes over the stages, each starting from the previous
    pass's first-stage values (shifted to 0 at an empty reservoir), the
    first from a terminal value of 0.
    """
    stages = inflow.shape[0]
    grid = (p.capacity / (points - 1) if points > 1 else 0.0) * np.arange(points)
    table = np.zeros((stages, points))
    terminal = np.zeros(points)
    with np.errstate(invalid="ignore"):
        for _ in range(cycles):
            for w in reversed(range(stages)):
                later = table[w + 1] if w + 1 < stages else terminal
                table[w] = _stage(p, grid, inflow[w], demand[w], price[w], later)
            if stages:
                terminal = table[0] - table[0, 0]
    return table
