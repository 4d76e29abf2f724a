"""Training-job utilisation in plain numpy, float64: the test oracle.

The loop of :mod:`powermodel.backends.numba_workload` restated with a
vector over each run of steps, calling the same checkpoint physics
(:func:`powermodel.kernels.workload.checkpoint_hours`, plain Python
arithmetic that numpy evaluates elementwise).
"""

from __future__ import annotations

import numpy as np

__all__ = ["training_groups"]


def _checkpoint_hours(elapsed, interval, duration):
    cycles = np.floor(elapsed / interval)
    into = elapsed - cycles * interval
    return cycles * duration + np.minimum(into, duration) - np.minimum(elapsed, duration)


def training_groups(busy, noise, idle, checkpoint, interval, duration, step_h, z, bounds, phase):
    """``{"utilization": (steps, groups)}`` of training groups (see the CPU kernel)."""
    z = np.asarray(z, np.float64)
    bounds = np.asarray(bounds, np.int64)
    steps, count = z.shape
    out = np.empty((steps, count))
    for g in range(count):
        start = 0
        for r in range(bounds.shape[1]):
            stop = min(int(bounds[g, r]), steps)
            if r % 2 == 0:
                out[start:stop, g] = idle
            else:
                offset = phase[g] if r == 1 else 0.0
                elapsed = np.arange(stop - start) * step_h + offset
                spent = _checkpoint_hours(elapsed + step_h, interval, duration)
                f = (spent - _checkpoint_hours(elapsed, interval, duration)) / step_h
                u = (busy + noise * z[start:stop, g]) * (1.0 - f) + checkpoint * f
                out[start:stop, g] = np.clip(u, 0.0, 1.0)
            start = stop
            if start >= steps:
                break
    return {"utilization": out}
