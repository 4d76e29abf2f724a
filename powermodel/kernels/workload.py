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

__all__ = ["checkpoint_hours", "fill_training_group", "training_step_utilization"]


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

    Parameters
    ----------
    elapsed : float
        Hours since the job started, at the start of the step [h], >= 0.
    step_h : float
        Length of the step [h], > 0.
    z : float
        Standard normal draw of the step's noise [1].
    busy : float
        Utilisation while the job computes [1], in [0, 1].
    noise : float
        Standard deviation of the utilisation noise [1], >= 0.
    checkpoint : float
        Utilisation during a checkpoint dip [1], in [0, 1].
    interval : float
        Hours between checkpoints, ``I > 0`` [h].
    duration : float
        Hours one checkpoint takes, ``0 <= D <= I`` [h].

    Returns
    -------
    float
        The step's mean utilisation ``u`` [1], in [0, 1].
    """
    spent = checkpoint_hours(elapsed + step_h, interval, duration)
    f = (spent - checkpoint_hours(elapsed, interval, duration)) / step_h
    u = (busy + noise * z) * (1.0 - f) + checkpoint * f
    return min(max(u, 0.0), 1.0)


@physics
def fill_training_group(g, busy, noise, idle, checkpoint, interval, duration, step_h, z, bounds,
                        phase, out):  # fmt: skip
    """Write the utilisation of training group ``g`` into ``out[:, g]`` (steps, groups).

    The group alternates gaps and jobs: ``bounds[g]`` holds the ends of the
    runs gap, job, gap, job, ... in steps (the last at or past the horizon).
    A gap idles at ``idle``; a job runs :func:`training_step_utilization`
    with its clock from the job's start (the first job's at ``phase[g]``
    hours). Shared by the CPU loop over groups and the GPU's thread per group.

    Parameters
    ----------
    g : int
        The group (column of ``out``) to write.
    busy : float
        Utilisation while a job computes [1], in [0, 1].
    noise : float
        Standard deviation of the utilisation noise while busy [1], >= 0.
    idle : float
        Utilisation between jobs [1], in [0, 1].
    checkpoint : float
        Utilisation during a checkpoint dip [1], in [0, 1].
    interval : float
        Hours between checkpoints, ``I > 0`` [h].
    duration : float
        Hours one checkpoint takes, ``0 <= D <= I`` [h].
    step_h : float
        Length of a step [h], > 0.
    z : numpy.ndarray
        Standard normal draws of the noise [1], dims (steps, groups).
    bounds : numpy.ndarray of int64
        Per group, the ends of its runs gap, job, gap, job, ..., in steps, dims (groups,
        runs).
    phase : numpy.ndarray
        Per group, the hours the first job has run at its first step [h] (a trace may
        start inside a job), dims (groups,).
    out : numpy.ndarray
        Utilisation [1], dims (steps, groups); column ``g`` is written.
    """
    width = bounds.shape[1]
    steps = out.shape[0]
    start = 0
    for r in range(width):
        stop = min(bounds[g, r], steps)  # never past the output, whatever bounds says
        if r % 2 == 0:
            for t in range(start, stop):
                out[t, g] = idle
        else:
            offset = phase[g] if r == 1 else 0.0
            for t in range(start, stop):
                elapsed = (t - start) * step_h + offset
                out[t, g] = training_step_utilization(
                    elapsed, step_h, z[t, g], busy, noise, checkpoint, interval, duration
                )
        start = stop
        if start >= steps:
            break
