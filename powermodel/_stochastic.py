"""Shared pieces of the scenario generators (weather, inflow).

Each generator draws scenario ``k`` of seed ``s`` from its own
``numpy.random.default_rng`` stream, then uses these helpers on all
scenarios at once.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ar1", "periodic_interp", "scenario_ids"]


def scenario_ids(scenarios) -> np.ndarray:
    """Scenario ids (int64) from a count ``N`` (``0 .. N-1``) or a sequence of ids.

    Raises
    ------
    TypeError
        A bool, or ids that are not integers.
    ValueError
        No scenarios, a negative id or a repeated one.
    """
    if isinstance(scenarios, bool | np.bool_):
        raise TypeError(f"scenarios: must be an int or a sequence of ints, got {scenarios!r}")
    if isinstance(scenarios, int | np.integer):
        if scenarios < 1:
            raise ValueError(f"scenarios: need at least one scenario, got {scenarios}")
        return np.arange(int(scenarios), dtype=np.int64)
    ids = np.asarray(scenarios)
    if ids.ndim != 1 or ids.size == 0:
        raise ValueError(
            f"scenarios: must be a non-empty 1-D sequence of ints, got shape {ids.shape}"
        )
    if not np.issubdtype(ids.dtype, np.integer):
        raise TypeError(f"scenarios: ids must be integers, got dtype {ids.dtype}")
    ids = ids.astype(np.int64)
    if (ids < 0).any():
        raise ValueError(f"scenarios: ids must be >= 0, got {ids[ids < 0][:5].tolist()}")
    unique, counts = np.unique(ids, return_counts=True)
    if len(unique) != len(ids):
        repeated = unique[counts > 1]
        raise ValueError(
            f"scenarios: {len(repeated)} ids repeated (e.g. {repeated[:5].tolist()}); "
            "ids must be unique"
        )
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
