"""Workload shapes: scalar physics of a training job's checkpoint pauses.

A synchronous training job pauses for a checkpoint of ``D`` hours every
``I`` hours of running, the first one at ``t = I``: it is in a dip during
``[n I, n I + D)``, ``n >= 1`` (checkpoint intervals and durations of
large-model training: Assumption in ``powermodel/data``; see
:mod:`powermodel.workload`).
"""

from __future__ import annotations

import math

from powermodel.kernels._physics import physics

__all__ = ["checkpoint_hours", "training_step_utilization"]


@physics
def checkpoint_hours(elapsed, interval, duration):
    """Time spent in checkpoint dips within the first ``elapsed`` hours of a job.

    Parameters
    ----------
    elapsed : float
        Hours since the job started, ``x >= 0`` [h].
    interval : float
        Hours between checkpoints, ``I > 0`` [h].
    duration : float
        Hours one checkpoint takes, ``0 <= D <= I`` [h].

    Returns
    -------
    float
        Hours in dips ``[n I, n I + D)``, ``n >= 1``, within ``[0, elapsed)``
        [h]: ``floor(x / I) D + min(x mod I, D) - min(x, D)``.
    """
    cycles = math.floor(elapsed / interval)
    into = elapsed - cycles * interval
    return cycles * duration + min(into, duration) - min(elapsed, duration)


@physics
def training_step_utilization(elapsed, step_h, z, busy, noise, checkpoint, interval, duration):
    """Mean utilisation [1] of a running training job over one step.

    Busy at ``busy + noise z`` outside checkpoint dips and at ``checkpoint``
    inside them; ``f`` is the share of the step ``[elapsed, elapsed + step_h)``
    [h] spent in dips (:func:`checkpoint_hours`)::

        u = (busy + noise z)(1 - f) + checkpoint f,   clipped to [0, 1]
    """
    spent = checkpoint_hours(elapsed + step_h, interval, duration)
    f = (spent - checkpoint_hours(elapsed, interval, duration)) / step_h
    u = (busy + noise * z) * (1.0 - f) + checkpoint * f
    return min(max(u, 0.0), 1.0)
