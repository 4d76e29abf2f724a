"""The deferrable-load scheduler in plain numpy, float64: the reference the tests trust.

The same solution as :mod:`powermodel.kernels.flexibility`, found the
readable way: each window's steps sorted by signal and filled cheapest
first (``numpy.argsort``, stable, so equal signals fill in time order),
the last step partly. Where signals tie at the margin the kernels share
the remainder over the tied steps instead: the cost is the same, and the
tests compare costs and window energies there, not step powers.
"""

from __future__ import annotations

import itertools

import numpy as np

__all__ = ["shift_deferrable"]


def shift_deferrable(p, bounds, power, upper, weight):
    """Shifted load [W], (time, scenario) float64, window by window.

    ``bounds`` holds the first step of each window and, last, the number
    of steps.
    """
    power, upper, weight = (np.asarray(a, np.float64) for a in (power, upper, weight))
    s, dt = p.deferrable_share, p.dt
    fixed = (1.0 - s) * power
    room = np.maximum(upper - fixed, 0.0)
    out = np.empty(power.shape)
    for start, stop in itertools.pairwise(bounds):
        window = slice(int(start), int(stop))
        for j in range(power.shape[1]):
            load, top, w = power[window, j], room[window, j], weight[window, j]
            if np.isnan(load).any() or np.isnan(upper[window, j]).any() or np.isnan(w).any():
                out[window, j] = np.nan
                continue
            energy = s * load.sum() * dt
            order = np.argsort(w, kind="stable")
            before = np.concatenate([[0.0], np.cumsum(top[order] * dt)])[:-1]
            placed = np.clip(energy - before, 0.0, top[order] * dt) / dt
            x = np.empty_like(placed)
            x[order] = placed
            out[window, j] = fixed[window, j] + x
    return {"power_shifted": out}
