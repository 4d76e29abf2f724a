"""Seeded utilisation traces of GPU racks: training jobs and inference.

Utilisation [1] in [0, 1] per time step, scenario and *group* of racks that
move together (all racks of one synchronous training job, or a block of
inference racks), so that Monte Carlo arrays stay small: dims
``(time, scenario, group)`` with the coordinates ``racks`` (racks in the
group) and ``kind`` (``"training"`` or ``"inference"``) on ``group``.

- :class:`Training`, :class:`Inference`, :class:`Workload`: the parameters,
  plain fields so that a TOML table maps onto them field by field.
- :func:`generate`: synthetic, seeded traces; scenario ``k`` of seed ``s``
  draws from ``numpy.random.default_rng([s, k, 3])`` (3: the workload
  stream; weather uses ``[s, k]``, inflow ``[s, k, 2]``), so it does not
  depend on which other scenarios are drawn.
- :func:`read_csv`, :func:`read_netcdf`: measured traces in the same layout.

The sub-hourly power swings of synchronous training are in
:mod:`powermodel.swing`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xarray as xr

from powermodel._stochastic import scenario_ids
from powermodel.backends import run, specs
from powermodel.flexibility import Flexibility
from powermodel.timegrid import time_grid, validate_time

__all__ = [
    "KINDS",
    "Inference",
    "Mitigation",
    "Training",
    "Workload",
    "generate",
    "groups",
    "inference",
    "read_csv",
    "read_netcdf",
    "training",
]

#: Values of the ``kind`` coordinate.
KINDS = ("training", "inference")
#: Third entry of the seed sequence: the workload stream (weather [s, k], inflow [s, k, 2]).
STREAM = 3
_ATTRS = {"units": "1", "long_name": "utilisation of the IT equipment"}


def _check(condition: bool, name: str, message: str, value) -> None:
    if not condition:
        raise ValueError(f"{name}: {message}, got {value!r}")


def _check_int(name: str, value, low: int) -> None:
    _check(
        isinstance(value, int) and not isinstance(value, bool) and value >= low,
        name,
        f"must be an integer >= {low}",
        value,
    )


def _check_range(name: str, value, low, high, *, open_low=False, open_high=False) -> None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    ok = ok and (low < value if open_low else low <= value)
    ok = ok and (value < high if open_high else value <= high)
    left, right = "(" if open_low else "[", ")" if open_high else "]"
    _check(ok, name, f"must be a number in {left}{low:g}, {high:g}{right}", value)


@dataclass(frozen=True)
class Training:
    """Large synchronous training jobs.

    All racks of a job run the same iteration in lock-step, so they share one
    utilisation trace. A group of racks alternates between jobs (length
    exponential with mean ``job_days``) and idle gaps (exponential with mean
    ``gap_hours``); while a job runs the utilisation is ``busy`` plus white
    noise, dipping to ``checkpoint_level`` for ``checkpoint_minutes`` every
    ``checkpoint_hours``.

    Parameters
    ----------
    racks_per_job : int
        Racks of one job [1]; they move together. Default 8 (576 GPUs of
        GB200 NVL72). Assumption.
    busy : float
        Utilisation while a job computes [1]. Default 0.9. Assumption:
        production traces of synchronous training on DGX H100 sit near the
        power limit during compute (Choukse et al. 2025).
    noise : float
        Standard deviation of the step-to-step utilisation noise while busy
        [1]. Default 0.02. Assumption.
    idle : float
        Utilisation between jobs [1]. Default 0.05. Assumption.
    job_days : float
        Mean job length [d]. Default 14. Assumption (frontier pre-training
        runs last weeks to months: the Llama 3 405B run spanned 54 days,
        Dubey et al. 2024; fine-tuning jobs are much shorter).
    gap_hours : float
        Mean idle gap between jobs [h]. Default 12. Assumption.
    checkpoint_hours : float
        Interval between checkpoints [h]. Default 2. Assumption.
    checkpoint_minutes : float
        Duration of one checkpoint dip [min]. Default 5. Assumption.
    checkpoint_level : float
        Utilisation while writing a checkpoint [1]. Default 0.2. Assumption;
        Dubey et al. (2024) report whole-job power drops "on the order of
        tens of megawatts" while waiting for checkpoints or collectives.
    iteration_period_s : float
        Duration of one training iteration (compute + communication) [s].
        Default 5. Assumption; Choukse et al. (2025) place the resulting
        oscillations in the 0.1-20 Hz band grids care about.
    compute_fraction : float
        Duty cycle: fraction of an iteration spent in the compute phase [1],
        in (0, 1). Default 0.75. Assumption.
    communication_level : float
        Utilisation during the communication phase as a fraction of the
        compute-phase utilisation [1]. Default 0.3. Assumption.

    References
    ----------
    E. Choukse et al., "Power Stabilization for AI Training Datacenters",
    arXiv:2508.14318 (2025), https://arxiv.org/abs/2508.14318

    A. Dubey et al., "The Llama 3 Herd of Models", arXiv:2407.21783 (2024),
    section 3.3.4, https://arxiv.org/abs/2407.21783
    """

    racks_per_job: int = 8
    busy: float = 0.9
    noise: float = 0.02
    idle: float = 0.05
    job_days: float = 14.0
    gap_hours: float = 12.0
    checkpoint_hours: float = 2.0
    checkpoint_minutes: float = 5.0
    checkpoint_level: float = 0.2
    iteration_period_s: float = 5.0
    compute_fraction: float = 0.75
    communication_level: float = 0.3

    def __post_init__(self):
        _check_int("racks_per_job", self.racks_per_job, 1)
        for name in ("busy", "idle", "checkpoint_level", "communication_level"):
            _check_range(name, getattr(self, name), 0.0, 1.0)
        _check_range("noise", self.noise, 0.0, 0.5)
        _check_range("job_days", self.job_days, 0.0, 1e4, open_low=True)
        _check_range("gap_hours", self.gap_hours, 0.0, 1e5)
        _check_range("checkpoint_hours", self.checkpoint_hours, 0.0, 1e5, open_low=True)
        _check_range("checkpoint_minutes", self.checkpoint_minutes, 0.0, 1e5)
        _check(
            self.checkpoint_minutes <= 60.0 * self.checkpoint_hours,
            "checkpoint_minutes",
            f"must not exceed checkpoint_hours ({self.checkpoint_hours} h)",
            self.checkpoint_minutes,
        )
        _check_range("iteration_period_s", self.iteration_period_s, 0.0, 3600.0, open_low=True)
        _check_range(
            "compute_fraction", self.compute_fraction, 0.0, 1.0, open_low=True, open_high=True
        )


@dataclass(frozen=True)
class Inference:
    """Inference serving: a diurnal and weekly pattern in local time.

    ``u = trough + (peak - trough) (1 + cos(2 pi (h - peak_hour) / 24)) / 2``
    at local hour ``h`` (mid-step), times ``weekend_factor`` on Saturdays and
    Sundays, plus white noise.

    Parameters
    ----------
    peak, trough : float
        Weekday utilisation at the daily peak and trough [1]. Defaults 0.75
        and 0.35. Assumption; LLM inference load in Azure follows a diurnal
        and weekly cycle (Stojkovic et al. 2025).
    peak_hour : float
        Local hour of the daily peak [h], in [0, 24). Default 14. Assumption.
    weekend_factor : float
        Factor on Saturday and Sunday [1]. Default 0.8. Assumption.
    noise : float
        Standard deviation of the step-to-step noise [1]. Default 0.05.
        Assumption.
    racks_per_group : int
        Inference racks that share one trace [1]. Default 4. Assumption
        (a load balancer spreads requests evenly over a block).
    timezone : str
        IANA time zone of the users [-]. Default ``"Europe/Oslo"``.

    References
    ----------
    J. Stojkovic et al., "DynamoLLM: Designing LLM Inference Clusters for
    Performance and Energy Efficiency", HPCA 2025, arXiv:2408.00741,
    https://arxiv.org/abs/2408.00741
    """

    peak: float = 0.75
    trough: float = 0.35
    peak_hour: float = 14.0
    weekend_factor: float = 0.8
    noise: float = 0.05
    racks_per_group: int = 4
    timezone: str = "Europe/Oslo"

    def __post_init__(self):
        _check_range("peak", self.peak, 0.0, 1.0)
        _check_range("trough", self.trough, 0.0, 1.0)
        _check(self.trough <= self.peak, "trough", f"must be <= peak ({self.peak})", self.trough)
        _check_range("peak_hour", self.peak_hour, 0.0, 24.0, open_high=True)
        _check_range("weekend_factor", self.weekend_factor, 0.0, 10.0)
        _check_range("noise", self.noise, 0.0, 0.5)
        _check_int("racks_per_group", self.racks_per_group, 1)
        _check(
            isinstance(self.timezone, str) and _valid_timezone(self.timezone),
            "timezone",
            "is not a known IANA time zone",
            self.timezone,
        )


def _valid_timezone(name: str) -> bool:
    try:
        pd.Timestamp("2025-01-01", tz="UTC").tz_convert(name)
    except Exception:  # pandas raises several types for unknown zones
        return False
    return True


@dataclass(frozen=True)
class Mitigation:
    """Mitigation of the sub-second power swings of synchronous training.

    Used by :func:`powermodel.swing.swing_metrics` (see there for the
    model). Zero disables each measure.

    Parameters
    ----------
    power_floor : float
        GPU power floor as a fraction [1] of a rack's full-load power held
        during communication phases; 0 for none.
    storage_j_per_rack : float
        Usable energy of rack-level storage [J] per rack (NVIDIA's GB300
        power-smoothing PSUs store energy in the rack; Assumption: size).
    storage_power_w_per_rack : float
        Its charge and discharge power limit [W] per rack.
    """

    power_floor: float = 0.0
    storage_j_per_rack: float = 0.0
    storage_power_w_per_rack: float = 0.0

    def __post_init__(self):
        _check_range("power_floor", self.power_floor, 0.0, 1.0)
        _check_range("storage_j_per_rack", self.storage_j_per_rack, 0.0, 1e12)
        _check_range("storage_power_w_per_rack", self.storage_power_w_per_rack, 0.0, 1e9)


@dataclass(frozen=True)
class Workload:
    """The workload mix of a hall.

    Parameters
    ----------
    training_share : float
        Fraction of the racks that run training [1], in [0, 1]. Default 0.7.
        Assumption.
    training : Training
        The training jobs (:class:`Training`).
    inference : Inference
        Inference serving (:class:`Inference`).
    mitigation : Mitigation
        Of the training power swings (none by default).
    flexibility : powermodel.flexibility.Flexibility
        The deferrable share of the load and its deadlines (none by
        default): :func:`powermodel.simulate.simulate` then reports what
        shifting it would save.
    """

    training_share: float = 0.7
    training: Training = field(default_factory=Training)
    inference: Inference = field(default_factory=Inference)
    mitigation: Mitigation = field(default_factory=Mitigation)
    flexibility: Flexibility = field(default_factory=Flexibility)

    def __post_init__(self):
        _check_range("training_share", self.training_share, 0.0, 1.0)
        if not isinstance(self.training, Training):
            raise ValueError(f"training: expected a Training, got {self.training!r}")
        if not isinstance(self.inference, Inference):
            raise ValueError(f"inference: expected an Inference, got {self.inference!r}")
        if not isinstance(self.mitigation, Mitigation):
            raise ValueError(f"mitigation: expected a Mitigation, got {self.mitigation!r}")
        if not isinstance(self.flexibility, Flexibility):
            raise ValueError(f"flexibility: expected a Flexibility, got {self.flexibility!r}")


# --------------------------------------------------------------------------- generators


def _check_dtype(dtype) -> np.dtype:
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype: {dtype!r} is not a numpy dtype; use float32 or float64") from None
    if dtype not in (np.float32, np.float64):
        raise TypeError(f"dtype: {dtype} is not supported; use float32 or float64")
    return dtype


def _check_racks(racks) -> int:
    if isinstance(racks, bool) or not isinstance(racks, (int, np.integer)) or racks < 1:
        raise ValueError(f"racks: need an integer >= 1, got {racks!r}")
    return int(racks)


def _split(total: int, size: int) -> list[int]:
    return [size] * (total // size) + ([total % size] if total % size else [])


def groups(workload: Workload, racks: int) -> tuple[np.ndarray, np.ndarray]:
    """How :func:`generate` splits ``racks`` into groups.

    ``round(training_share x racks)`` racks run training, in jobs of
    ``training.racks_per_job`` racks (the last job may be smaller); the rest
    serve inference in groups of ``inference.racks_per_group``.

    Parameters
    ----------
    workload : Workload
        The mix and its group sizes.
    racks : int
        Racks in the hall [1], >= 1.

    Returns
    -------
    racks : numpy.ndarray of int
        Racks per group [1]; sums to ``racks``.
    kind : numpy.ndarray of str
        ``"training"`` or ``"inference"`` per group, training first.
    """
    racks = _check_racks(racks)
    if not isinstance(workload, Workload):
        raise TypeError(f"workload: expected a Workload, got {type(workload).__name__}")
    n_train = math.floor(workload.training_share * racks + 0.5)
    train = _split(n_train, workload.training.racks_per_job)
    infer = _split(racks - n_train, workload.inference.racks_per_group)
    kind = np.array(["training"] * len(train) + ["inference"] * len(infer))
    return np.array(train + infer, dtype=np.int64), kind


def _training_scenario(params: Training, count: int, step_h: float, rngs, out) -> None:
    """Draw ``count`` training groups into ``out`` (steps, count)."""
    events, noise = rngs
    steps = out.shape[0]
    job_h, gap_h = 24.0 * params.job_days, params.gap_hours
    # exponential job and gap lengths are memoryless: starting in a job with
    # probability job/(job + gap), with a fresh remaining length, is stationary
    running = events.random(count) < job_h / (job_h + gap_h)
    first_gap = np.where(running, 0.0, events.exponential(gap_h, count) if gap_h else 0.0)
    phase = np.where(running, events.random(count) * params.checkpoint_hours, 0.0)
    lengths = [first_gap[:, None]]
    end = first_gap.copy()
    while end.min() < steps * step_h:  # blocks of 16 jobs: a longer horizon appends blocks
        block = np.empty((count, 32))
        block[:, 0::2] = events.exponential(job_h, (count, 16))
        block[:, 1::2] = events.exponential(gap_h, (count, 16)) if gap_h else 0.0
        lengths.append(block)
        end += block.sum(axis=1)
    # ends of the runs gap, job, gap, job, ... rounded to the grid
    bounds = np.minimum(np.rint(np.cumsum(np.hstack(lengths), axis=1) / step_h), steps)
    z = noise.standard_normal((steps, count))  # time-major: a longer horizon appends
    levels = (
        params.busy, params.noise, params.idle, params.checkpoint_level,
        params.checkpoint_hours, params.checkpoint_minutes / 60.0, step_h,
    )  # fmt: skip
    arrays = (z, bounds.astype(np.int64), phase)
    out[...] = run(specs.TRAINING_GROUPS, arrays, levels, backend="numba")[0]


def _inference_base(params: Inference, times: pd.DatetimeIndex, step: pd.Timedelta):
    """Noise-free inference utilisation per step (steps,), float64."""
    middle = (times + step / 2).tz_localize("UTC").tz_convert(params.timezone)
    hour = middle.hour + middle.minute / 60.0 + middle.second / 3600.0
    shape = 0.5 * (1.0 + np.cos(2.0 * np.pi * (np.asarray(hour) - params.peak_hour) / 24.0))
    level = params.trough + (params.peak - params.trough) * shape
    weekend = np.asarray(middle.day_of_week) >= 5
    return level * np.where(weekend, params.weekend_factor, 1.0)


def _threads() -> int:
    """Threads that draw scenarios: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def generate(
    workload: Workload | None = None,
    racks: int = 100,
    start="2025-01-01",
    periods: int = 8760,
    freq: str = "1h",
    scenarios=1,
    seed: int = 0,
    dtype=np.float32,
    stream: int = 0,
) -> xr.DataArray:
    """Seeded synthetic utilisation of a hall's racks, grouped by what moves together.

    Parameters
    ----------
    workload : Workload, optional
        The mix and its parameters; default ``Workload()``.
    racks : int
        Racks in the hall [1], >= 1.
    start, periods, freq
        The UTC time grid (:func:`powermodel.timegrid.time_grid`), e.g.
        ``freq="15min"``.
    scenarios : int or sequence of int
        ``N`` gives scenarios ``0 .. N-1``; a sequence picks scenario ids.
    seed : int
        Seed ``s``; scenario ``k`` draws from
        ``numpy.random.default_rng([s, k, 3])`` (three child streams spawned
        from it: job events, training noise, inference noise), so it is the
        same whichever other scenarios are drawn, and extending ``periods``
        leaves earlier steps unchanged.
    dtype : {numpy.float32, numpy.float64}
        Output dtype; the draws are float64 either way.
    stream : int
        Independent sub-stream for a second fleet in the same scenario
        (:func:`powermodel.simulate.simulate` passes the fleet entry's
        index): ``stream > 0`` draws from ``default_rng([s, k, 3, stream])``.

    Returns
    -------
    xarray.DataArray
        ``utilization`` [1] in [0, 1], dims ``(time, scenario, group)``, with
        coordinates ``racks`` (int, racks per group, summing to ``racks``)
        and ``kind`` (``"training"``/``"inference"``) on ``group``.

    Notes
    -----
    Training groups (one per job, see :class:`Training`) are busy at
    ``busy + noise z`` (z standard normal, per step) while a job runs, with
    the step mean lowered by the checkpoint dips that fall into the step::

        u = (busy + noise z)(1 - f) + checkpoint_level f

    ``f`` the fraction of the step spent checkpointing; between jobs they sit
    at ``idle``. Job and gap boundaries are rounded to the time grid.
    Inference groups follow :class:`Inference` plus noise. Values are clipped
    to [0, 1].

    Examples
    --------
    >>> u = generate(Workload(), racks=10, periods=48, scenarios=2, seed=1)
    >>> u.dims, int(u.racks.sum()), u.kind.values.tolist()
    (('time', 'scenario', 'group'), 10, ['training', 'inference'])
    """
    workload = Workload() if workload is None else workload
    sizes, kind = groups(workload, racks)
    dtype = _check_dtype(dtype)
    ids = scenario_ids(scenarios)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed: need a non-negative integer, got {seed!r}")
    if isinstance(stream, bool) or not isinstance(stream, (int, np.integer)) or stream < 0:
        raise ValueError(f"stream: need a non-negative integer, got {stream!r}")
    times = time_grid(start, periods, freq)
    step = pd.Timedelta(freq) if len(times) == 1 else times[1] - times[0]
    step_h = step / pd.Timedelta("1h")
    n_train = int((kind == "training").sum())
    n_infer = len(sizes) - n_train
    base = _inference_base(workload.inference, times, step) if n_infer else None
    # one contiguous (time, group) block per scenario, exposed as (time, scenario, group)
    out = np.empty((len(ids), len(times), len(sizes)), dtype)

    def draw(i):
        key = [int(seed), int(ids[i]), STREAM] + ([int(stream)] if stream else [])
        events, train_noise, infer_noise = np.random.default_rng(key).spawn(3)
        if n_train:
            _training_scenario(
                workload.training, n_train, step_h, (events, train_noise), out[i, :, :n_train]
            )
        if n_infer:
            z = infer_noise.standard_normal((len(times), n_infer))
            z *= workload.inference.noise
            z += base[:, None]
            np.clip(z, 0.0, 1.0, out=out[i, :, n_train:], casting="same_kind")

    # each scenario has its own generator, and numpy's draws and the training kernel
    # release the GIL: threads fill the scenarios in parallel, the same numbers in any order
    workers = min(len(ids), _threads())
    if len(ids):
        draw(0)  # the first one here: it compiles or loads the kernel before the threads start
    if workers > 1:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(draw, range(1, len(ids))))
    else:
        for i in range(1, len(ids)):
            draw(i)
    return xr.DataArray(
        out.transpose(1, 0, 2),
        dims=("time", "scenario", "group"),
        coords={
            "time": times,
            "scenario": ids,
            "group": np.arange(len(sizes)),
            "racks": ("group", sizes),
            "kind": ("group", kind),
        },
        name="utilization",
        attrs=dict(_ATTRS),
    )


def training(params: Training | None = None, racks: int = 8, **kwargs) -> xr.DataArray:
    """Utilisation of training racks only: :func:`generate` with ``training_share=1``.

    ``kwargs`` are those of :func:`generate` (``start``, ``periods``, ...).

    Parameters
    ----------
    params : Training, optional
        The training jobs; default ``Training()``.
    racks : int
        Training racks [1], >= 1.
    **kwargs
        Passed to :func:`generate` (``start``, ``periods``, ``freq``, ``scenarios``,
        ``seed``, ``dtype``, ``stream``).

    Returns
    -------
    xarray.DataArray
        ``utilization`` [1] in [0, 1], dims ``(time, scenario, group)``, as
        :func:`generate`; every group ``"training"``.
    """
    params = Training() if params is None else params
    return generate(Workload(training_share=1.0, training=params), racks, **kwargs)


def inference(params: Inference | None = None, racks: int = 4, **kwargs) -> xr.DataArray:
    """Utilisation of inference racks only: :func:`generate` with ``training_share=0``.

    ``kwargs`` are those of :func:`generate` (``start``, ``periods``, ...).

    Parameters
    ----------
    params : Inference, optional
        The inference pattern; default ``Inference()``.
    racks : int
        Inference racks [1], >= 1.
    **kwargs
        Passed to :func:`generate` (``start``, ``periods``, ``freq``, ``scenarios``,
        ``seed``, ``dtype``, ``stream``).

    Returns
    -------
    xarray.DataArray
        ``utilization`` [1] in [0, 1], dims ``(time, scenario, group)``, as
        :func:`generate`; every group ``"inference"``.
    """
    params = Inference() if params is None else params
    return generate(Workload(training_share=0.0, inference=params), racks, **kwargs)


# --------------------------------------------------------------------------- readers


def _per_group(value, names, what: str, source: str, cast):
    if isinstance(value, Mapping):
        missing = [n for n in names if n not in value]
        if missing:
            raise ValueError(f"{what}: no entry for {missing} ({source})")
        return [cast(value[n]) for n in names]
    if isinstance(value, (str, int, np.integer)) or np.isscalar(value):
        return [cast(value)] * len(names)
    value = list(value)
    if len(value) != len(names):
        raise ValueError(f"{what}: {len(value)} entries for {len(names)} columns ({source})")
    return [cast(v) for v in value]


def _assemble(times, values, names, racks, kind, dtype, source) -> xr.DataArray:
    """(time, group) values -> the (time, scenario, group) layout, checked."""
    dtype = _check_dtype(dtype)
    try:
        times = validate_time(times)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{source}: {error}") from None
    values = np.asarray(values, np.float64)
    outside = (values < 0.0) | (values > 1.0)  # NaN (missing) is kept
    if outside.any():
        per_column = outside.sum(axis=0)
        worst = [f"{n!r}: {int(c)}" for n, c in zip(names, per_column, strict=True) if c][:5]
        raise ValueError(
            f"{source}: utilization has {int(outside.sum())} values outside [0, 1] "
            f"(min {np.nanmin(values):g}, max {np.nanmax(values):g}; by column {', '.join(worst)})"
        )
    sizes = _per_group(1 if racks is None else racks, names, "racks", source, int)
    if any(r < 1 for r in sizes):
        raise ValueError(f"racks: need >= 1 rack per column, got {sizes} ({source})")
    kinds = _per_group(kind, names, "kind", source, str)
    bad = sorted({k for k in kinds if k not in KINDS})
    if bad:
        raise ValueError(f"kind: {bad} not in {KINDS} ({source})")
    return xr.DataArray(
        values.astype(dtype)[:, None, :],
        dims=("time", "scenario", "group"),
        coords={
            "time": times,
            "scenario": [0],
            "group": list(names),
            "racks": ("group", np.asarray(sizes, np.int64)),
            "kind": ("group", np.asarray(kinds)),
        },
        name="utilization",
        attrs=dict(_ATTRS),
    )


def read_csv(
    path,
    *,
    time_column: str = "time",
    columns: Sequence[str] | None = None,
    racks=None,
    kind="training",
    timezone: str | None = None,
    dtype=np.float32,
) -> xr.DataArray:
    """A measured utilisation trace from a CSV file.

    Parameters
    ----------
    path : str or path-like
        CSV with a header: a time column and one column per rack or group,
        values utilisation [1] in [0, 1] (empty cells are NaN, kept).
    time_column : str
        Name of the time column; stamps with a UTC offset are converted to
        UTC, naive ones are UTC unless ``timezone`` is given.
    columns : sequence of str, optional
        The utilisation columns; default all but ``time_column``.
    racks : int, sequence or mapping of int, optional
        Racks each column stands for [1]; default 1 (one column per rack).
    kind : str, sequence or mapping of str
        ``"training"`` or ``"inference"`` per column.
    timezone : str, optional
        IANA zone of naive time stamps (e.g. ``"Europe/Oslo"``).
    dtype : {numpy.float32, numpy.float64}
        Floating-point type of the returned utilisation.

    Returns
    -------
    xarray.DataArray
        ``utilization`` [1], dims ``(time, scenario, group)`` with one
        scenario (id 0), ``group`` labelled by column name, coordinates
        ``racks`` and ``kind``.

    Raises
    ------
    ValueError
        A missing column, non-numeric values, values outside [0, 1] or an
        irregular time axis; the message names the file and the column.
    """
    source = os.fspath(path)
    table = pd.read_csv(path)
    if time_column not in table.columns:
        raise ValueError(
            f"time_column: {time_column!r} is not a column of {source} "
            f"(columns {list(table.columns)})"
        )
    names = [c for c in table.columns if c != time_column] if columns is None else list(columns)
    missing = [c for c in names if c not in table.columns]
    if missing or not names:
        raise ValueError(f"columns: {missing or 'none'} not found in {source}")
    for name in names:
        if not pd.api.types.is_numeric_dtype(table[name]):
            raise ValueError(f"{source}: column {name!r} has non-numeric values")
    try:
        if timezone is None:
            times = pd.DatetimeIndex(pd.to_datetime(table[time_column], utc=True))
        else:
            times = pd.DatetimeIndex(pd.to_datetime(table[time_column]))
            if times.tz is None:
                times = times.tz_localize(timezone, ambiguous="infer")
    except (TypeError, ValueError) as error:
        raise ValueError(f"{source}: time column {time_column!r}: {error}") from None
    return _assemble(times, table[names].to_numpy(np.float64), names, racks, kind, dtype, source)


def read_netcdf(
    path, variable: str = "utilization", *, racks=None, kind="training", dtype=np.float32
) -> xr.DataArray:
    """A measured utilisation trace from a NetCDF file.

    Parameters
    ----------
    path : str or path-like
        The NetCDF file.
    variable : str
        Variable with dims ``time`` and at most one other (rack or group).
        A ``racks`` or ``kind`` coordinate on that dim is used as is.
    racks, kind, dtype
        As in :func:`read_csv`, where the file has no such coordinate.

    Returns
    -------
    xarray.DataArray
        As :func:`read_csv`; ``group`` keeps the file's labels.
    """
    source = os.fspath(path)
    with xr.open_dataset(path) as dataset:
        if variable not in dataset:
            raise ValueError(
                f"variable: {variable!r} not in {source} (variables {list(dataset.data_vars)})"
            )
        data = dataset[variable].load()
    if "time" not in data.dims:
        raise ValueError(f"{source}: {variable} has no 'time' dimension (dims {data.dims})")
    others = [d for d in data.dims if d != "time"]
    if len(others) > 1:
        raise ValueError(f"{source}: {variable} needs dims (time, rack or group), got {data.dims}")
    if not others:
        data = data.expand_dims("group", axis=-1)
        others = ["group"]
    data = data.transpose("time", others[0])
    dim = others[0]
    names = data[dim].values.tolist() if dim in data.coords else list(range(data.sizes[dim]))
    if "racks" in data.coords and racks is None:
        racks = data["racks"].values.tolist()
    if "kind" in data.coords:
        kind = [str(k) for k in data["kind"].values]
    return _assemble(data["time"], data.values, names, racks, kind, dtype, source)
