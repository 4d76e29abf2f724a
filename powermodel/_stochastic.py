"""Shared pieces of the scenario generators (weather, inflow).

Each generator draws scenario ``k`` of seed ``s`` from its own
``numpy.random.default_rng`` stream, then uses these helpers on all
scenarios at once.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ar1", "periodic_interp", "scenario_ids"]


def scenario_ids(scenarios) -> np.ndarray:
    """Scenario ids from a count ``N`` (``0 .. N-1``) or a sequence of ids.

    Raises
    ------
    ValueError
        No scenarios, or a negative id.
    """
    ids = np.arange(int(scenarios)) if np.isscalar(scenarios) else np.asarray(scenarios, int)
    if ids.ndim != 1 or ids.size == 0 or (ids < 0).any():
        raise ValueError(f"scenarios: need a positive count or non-negative ids, got {scenarios!r}")
    return ids


def ar1(first, innovations, persistence: float) -> np.ndarray:
    """Stationary unit-variance AR(1) series, one per row.

    ``z[:, 0] = first``, ``z[:, d] = phi z[:, d-1] + sqrt(1 - phi**2) e[:, d]``
    with ``e = innovations`` (its first column is not used). The loop runs
    over time, vectorised over rows.
    """
    innovations = np.asarray(innovations, np.float64)
    z = np.empty(innovations.shape)
    z[:, 0] = first
    scale = np.sqrt(1.0 - persistence * persistence)
    for d in range(1, innovations.shape[1]):
        z[:, d] = persistence * z[:, d - 1] + scale * innovations[:, d]
    return z


def periodic_interp(x, points, values, period: float) -> np.ndarray:
    """Linear interpolation of ``values`` at ``points``, repeating every ``period``."""
    points = np.asarray(points, np.float64)
    extended = np.concatenate([points - period, points, points + period])
    return np.interp(x, extended, np.tile(np.asarray(values, np.float64), 3))
