"""Training power swings in the frequency domain: a sub-second trace and its spectrum.

A synchronous training job alternates compute (GPUs near full power) and
communication (GPUs waiting on collectives) every iteration, so its power
is close to a square wave of the iteration period ``T``, duty cycle ``d``
(the compute share) and swing ``dP`` (compute minus communication power),
with finite ramps between the phases and, now and then, a checkpoint pause.
A square wave's harmonics are known in closed form (the Fourier series of a
rectangular pulse train)::

    |c_n| = (2 dP / (n pi)) |sin(n pi d)|,   at frequency n / T

which :func:`square_wave_harmonics` gives and the tests check
:func:`band_amplitude` against. Grid operators state limits on oscillations
in frequency bands (sub-synchronous 0.1-1 Hz, and 1-20 Hz near the
mechanical modes of nearby generators) and on ramp rates (Choukse et al.
2025); :func:`band_amplitude` is the amplitude of the oscillation whose
frequencies fall in a band, :func:`ramp_rate` the steepest ramp.

Mitigations as the hardware exposes them, each with its energy cost: a
GPU power floor (:func:`power_floor`), NVIDIA's power smoothing -- floor,
ramp-up and ramp-down rates and the ramp-down hysteresis of an NVML
power-smoothing profile (:func:`power_smoothing`; :func:`ramp_limited` is
its rate limits alone) -- and energy storage, in the PSUs or racks (GB300
NVL72) or a site battery, smoothing the grid draw (:func:`storage_smoothing`).
Both walk the trace in time: scan kernels over traces (numpy, numba, CUDA;
physics in :mod:`powermodel.kernels.spectrum`).

Limits and compliance: :class:`SwingLimits` (ramp rate, band amplitudes,
dynamic range; no defaults, for no public source states numbers -- see the
class) and :func:`compliance` for one trace; :func:`scenario_compliance`
scales a reference job (:class:`ReferenceJob`) to the worst step of each
scenario of the hourly engine and reports the limits with and without a
mitigation (:class:`PowerSmoothing`, :class:`EnergyStorage`), and the
mitigation's energy per year.

References
----------
E. Choukse et al., "Power Stabilization for AI Training Datacenters",
arXiv:2508.14318 (2025), https://arxiv.org/abs/2508.14318

NVIDIA, "How New GB300 NVL72 Features Provide Steady Power for AI" (2025),
https://developer.nvidia.com/blog/how-new-gb300-nvl72-features-provide-steady-power-for-ai/

NVIDIA, NVML API Reference, "Power Smoothing Information",
https://docs.nvidia.com/deploy/nvml-api/group__nvmlPowerSmoothing.html
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import xarray as xr

from powermodel.backends import run, specs
from powermodel.backends.physics import SmoothingParameters, StorageParameters
from powermodel.timegrid import time_step
from powermodel.variables import attrs

__all__ = [
    "Check",
    "EnergyStorage",
    "PowerSmoothing",
    "ReferenceJob",
    "Smoothed",
    "Stored",
    "SwingLimits",
    "band_amplitude",
    "compliance",
    "power_floor",
    "power_smoothing",
    "ramp_limited",
    "ramp_rate",
    "scenario_compliance",
    "square_wave_harmonics",
    "storage_smoothing",
    "training_trace",
]

#: Seconds in a year of 365.25 days, for energies per year [s].
YEAR_S = 365.25 * 86400.0


def training_trace(
    duration, dt, period, duty, power_high, power_low, *, ramp_time=0.0, offsets=(0.0,),
    checkpoint_every=None, checkpoint_length=0.0,
) -> np.ndarray:  # fmt: skip
    """Sub-second power [W] of synchronous training jobs, summed.

    Parameters
    ----------
    duration, dt : float
        Length of the trace and its sample step [s], ``dt > 0``.
    period : float
        Iteration period ``T`` [s], > 0.
    duty : float
        Compute share ``d`` of each iteration [1], in (0, 1).
    power_high, power_low : float
        Power of one job in compute and in communication [W], ``high >= low``.
    ramp_time : float
        Time a job's power takes to move between the two levels [s]
        (linear ramps, ``>= 0``, at most ``min(d, 1 - d) T``).
    offsets : sequence of float
        Phase of each job [s]; one job per entry. Equal offsets are jobs in
        lock-step; spread offsets are phase diversity.
    checkpoint_every, checkpoint_length : float, optional
        A checkpoint every ``checkpoint_every`` seconds holds every job at
        ``power_low`` for ``checkpoint_length`` seconds.

    Returns
    -------
    numpy.ndarray
        Power [W] at ``t = 0, dt, ..., < duration``.
    """
    if not (dt > 0 and period > 0 and duration > 0):
        raise ValueError("duration, dt, period: must be > 0")
    if not 0 < duty < 1:
        raise ValueError(f"duty: must be in (0, 1), got {duty!r}")
    if power_high < power_low:
        raise ValueError("power_high: must be >= power_low")
    if not 0 <= ramp_time <= min(duty, 1 - duty) * period:
        raise ValueError(f"ramp_time: must be in [0, min(d, 1 - d) T], got {ramp_time!r}")
    t = np.arange(0.0, duration, dt)
    total = np.zeros_like(t)
    swing = power_high - power_low
    for offset in offsets:
        phase = np.mod(t - offset, period)  # time since this iteration's compute began
        on = duty * period
        if ramp_time > 0:  # up over [0, r], high to on, down over [on, on + r]
            level = np.clip(phase / ramp_time, 0, 1) - np.clip((phase - on) / ramp_time, 0, 1)
        else:
            level = (phase < on).astype(np.float64)
        total += power_low + swing * level
    if checkpoint_every is not None and checkpoint_length > 0:
        pause = np.mod(t, checkpoint_every) >= checkpoint_every - checkpoint_length
        total[pause] = len(offsets) * power_low
    return total


def square_wave_harmonics(swing, duty, harmonics: int) -> np.ndarray:
    """Amplitudes [W] of harmonics ``1`` to ``harmonics`` of a square wave of ``swing`` [W].

    ``(2 swing / (n pi)) |sin(n pi d)|`` for duty cycle ``d``.

    Parameters
    ----------
    swing : float
        Swing ``dP`` of the square wave, high minus low [W].
    duty : float
        Duty cycle ``d``, the share of the period at the high level [1], in (0, 1).
    harmonics : int
        Number of harmonics [1], >= 1.

    Returns
    -------
    numpy.ndarray
        Amplitude ``|c_n|`` [W] of harmonics ``n = 1 .. harmonics`` (at frequencies
        ``n / T``, ``T`` the period), dims (harmonic,).
    """
    if not 0 < duty < 1:
        raise ValueError(f"duty: must be in (0, 1), got {duty!r}")
    n = np.arange(1, harmonics + 1)
    return 2.0 * swing / (n * np.pi) * np.abs(np.sin(n * np.pi * duty))


def _trace(power, dt) -> np.ndarray:
    """``power`` as float64 samples, checked: at least two, and ``dt > 0``."""
    if not (np.isfinite(dt) and dt > 0):
        raise ValueError(f"dt: must be a finite number > 0 s, got {dt!r}")
    power = np.asarray(power, np.float64)
    if power.ndim != 1 or len(power) < 2:
        raise ValueError(f"power: needs a 1-d trace of at least two samples, got {power.shape}")
    return power


def _amplitudes(power, dt):
    """One-sided amplitude spectrum [W] of ``power`` and its frequencies [Hz]."""
    power = _trace(power, dt)
    spectrum = np.fft.rfft(power - power.mean()) / len(power)
    amplitude = 2.0 * np.abs(spectrum)
    return np.fft.rfftfreq(len(power), dt), amplitude


def band_amplitude(power, dt, low, high) -> float:
    """Amplitude [W] of the oscillation of ``power`` in the band ``[low, high)`` Hz.

    The root-sum-square of the one-sided amplitudes of the frequencies in
    the band: the amplitude of a sine of the same power. One harmonic alone
    in the band gives its own amplitude. Use a trace of whole periods (the
    spectrum of a cut period leaks into its neighbours).

    Parameters
    ----------
    power : array-like
        Power trace [W], 1-d, at least two samples.
    dt : float
        Sample step [s], > 0.
    low, high : float
        Edges of the band [Hz], ``0 <= low < high``.

    Returns
    -------
    float
        Amplitude [W] of the oscillation in the band.
    """
    if not 0 <= low < high:
        raise ValueError(f"low, high: need 0 <= low < high, got {low!r}, {high!r}")
    freq, amplitude = _amplitudes(power, dt)
    inside = (freq >= low) & (freq < high)
    return float(np.sqrt(np.sum(amplitude[inside] ** 2)))


def ramp_rate(power, dt, window=None) -> float:
    """The steepest ramp [W s-1] of ``power`` [W] sampled every ``dt`` seconds.

    ``max |P(t + w) - P(t)| / w`` over the trace, ``w`` the ``window`` [s]
    rounded to whole samples (at least one); default one sample. Grid codes
    state ramp limits over a window (MW per second or per minute): a window
    of one iteration period or more sees through the swing to the drift of
    its mean.

    Parameters
    ----------
    power : array-like
        Power trace [W], 1-d, at least two samples.
    dt : float
        Sample step [s], > 0.
    window : float, optional
        Window the ramp is measured over [s], > 0 and shorter than the trace; None: one
        sample.

    Returns
    -------
    float
        The steepest ramp [W s-1], >= 0.
    """
    power = _trace(power, dt)
    lag = _lag(window, dt, len(power))
    return float(np.max(np.abs(power[lag:] - power[:-lag])) / (lag * dt))


def _lag(window, dt, samples: int) -> int:
    """Samples in ``window`` [s] (at least 1), checked against the trace length."""
    if window is None:
        return 1
    if not (np.isfinite(window) and window > 0):
        raise ValueError(f"window: must be a finite number > 0 s, got {window!r}")
    lag = max(1, round(window / dt))
    if lag >= samples:
        raise ValueError(f"window: {window!r} s is not shorter than the trace ({samples} samples)")
    return lag


def ramp_limited(power, dt, up, down, *, backend="auto") -> tuple[np.ndarray, float]:
    """``power`` [W] after a ramp-rate limit, and the extra energy it draws [J].

    The power-smoothing model of the GPUs' firmware without floor and
    hysteresis (:func:`power_smoothing` with ``hysteresis=0``): the drawn
    power follows the demand at most ``up`` [W s-1] faster and ``down``
    [W s-1] slower per second. When demand falls faster than ``down`` allows
    the GPUs burn the difference (a power floor's work), which is the energy
    cost; when it rises faster than ``up`` the work waits (assumed made up
    within the iteration, no energy change).

    Parameters
    ----------
    power : array-like
        Demand [W], a 1-d trace of at least two samples.
    dt : float
        Sample step [s], > 0.
    up, down : float
        Most rise and fall of the drawn power [W s-1], > 0; inf: no limit.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    limited : numpy.ndarray
        The drawn power [W].
    extra_energy : float
        ``sum(max(limited - power, 0)) dt`` [J], the energy burned.
    """
    if not (up > 0 and down > 0):
        raise ValueError("up, down: ramp limits must be > 0 W/s")
    power = _trace(power, dt)
    smoothed = power_smoothing(
        power, dt, floor=-math.inf, ramp_up=up, ramp_down=down, backend=backend
    )
    return smoothed.power, float(smoothed.energy)


def power_floor(power, dt, floor) -> tuple[np.ndarray, float]:
    """``power`` [W] sampled every ``dt`` [s] held at or above ``floor`` [W], and the
    energy burned doing so [J].

    The GPUs' power floor: in communication phases they burn power up to
    the floor instead of idling. A square wave's swing shrinks from
    ``high - low`` to ``high - floor``, and with it every harmonic by the
    same factor; the cost is ``sum(max(floor - power, 0)) dt``.

    Parameters
    ----------
    power : array-like
        Power trace [W], 1-d, at least two samples.
    dt : float
        Sample step [s], > 0.
    floor : float
        Power floor [W].

    Returns
    -------
    floored : numpy.ndarray
        The power held at or above ``floor`` [W].
    burned : float
        [J].
    """
    power = _trace(power, dt)
    floored = np.maximum(power, floor)
    return floored, float(np.sum(floored - power) * dt)


# ------------------------------------------------------------ mitigations as scans


def _traces(power, dt, name: str = "power") -> np.ndarray:
    """``power`` as float64 (time,) or (time, trace) samples, checked; ``dt > 0``."""
    if not (np.isfinite(dt) and dt > 0):
        raise ValueError(f"dt: must be a finite number > 0 s, got {dt!r}")
    power = np.asarray(power, np.float64)
    if power.ndim not in (1, 2) or power.shape[0] < 2:
        raise ValueError(
            f"{name}: needs a (time,) or (time, trace) array of at least two samples, "
            f"got {power.shape}"
        )
    return power


def _rate(name: str, value) -> float:
    """A ramp rate [W s-1]: > 0, inf for none."""
    if not (value > 0):  # also rejects NaN
        raise ValueError(f"{name}: must be > 0 W/s (inf: no limit), got {value!r}")
    return float(value)


def _scan(spec, traces: np.ndarray, p, initial, backend) -> list[np.ndarray]:
    """Run a scan spec on (time,) or (time, trace) ``traces``; outputs in the same shape."""
    flat = traces.ndim == 1
    columns = traces[:, None] if flat else traces
    initial = np.asarray(initial, np.float64).reshape(2, -1)  # (2,) for a 1-d trace
    state = np.ascontiguousarray(np.broadcast_to(initial, (2, columns.shape[1])))
    out = run(spec, [np.ascontiguousarray(columns)], (p, state), backend=backend)
    return [np.asarray(o)[:, 0] if flat else np.asarray(o) for o in out]


class Smoothed(NamedTuple):
    """What :func:`power_smoothing` returns.

    Parameters
    ----------
    power : numpy.ndarray
        Drawn power [W], the shape of the demand.
    energy : float or numpy.ndarray
        Energy burned above the demand [J], per trace.
    deferred : float or numpy.ndarray
        Demand deferred by the ramp-up limit [J], per trace.
    """

    power: np.ndarray  # drawn power [W], the shape of the demand
    energy: float | np.ndarray  # energy burned above the demand [J], per trace
    deferred: float | np.ndarray  # demand deferred by the ramp-up limit [J], per trace


def power_smoothing(
    power, dt, *, floor=0.0, ramp_up=math.inf, ramp_down=math.inf, hysteresis=0.0,
    backend="auto",
) -> Smoothed:  # fmt: skip
    """``power`` [W] after NVIDIA's GPU power smoothing, and its energy cost [J].

    The settings of an NVML power-smoothing profile (Blackwell and newer):
    a power floor (NVML: a percentage of the total module power, TMP; here
    in watts, ``floor = percent / 100 * TMP`` times the GPUs), a ramp-up and
    a ramp-down rate [W s-1] and a ramp-down hysteresis (NVML: ms; here s),
    the time the demand must stay below the drawn power before it starts
    to fall.

    Parameters
    ----------
    power : array-like
        Demand [W], (time,) or (time, trace), sampled every ``dt``.
    dt : float
        Sample step [s].
    floor : float
        Power floor [W] (``-inf`` or 0 for none on a positive trace).
    ramp_up, ramp_down : float
        Most rise and fall of the drawn power [W s-1], > 0; inf: no limit.
    hysteresis : float
        Ramp-down hysteresis [s], >= 0, counted in whole samples (rounded).
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    Smoothed
        ``power``: the drawn power [W], the demand's shape; ``energy``: the
        energy burned above the demand, ``sum(max(y - x, 0)) dt`` [J];
        ``deferred``: the work the ramp-up limit delays, ``sum(max(x - y,
        0)) dt`` [J] (assumed made up later, no energy change). Floats for a
        1-d trace, else one per trace.

    Notes
    -----
    Per sample, target ``g = max(x, F)``: rising (``g >= y``) at most
    ``r_up dt``; falling at most ``r_down dt`` once ``g`` has been below
    ``y`` for ``H``, holding ``y`` until then
    (:func:`powermodel.kernels.spectrum.smoothing_step`).

    References
    ----------
    NVIDIA, NVML API Reference, "Power Smoothing Information" (parameters
    ``PERCENT_TMP_FLOOR``, ``RAMP_UP_RATE`` and ``RAMP_DOWN_RATE`` in W/s,
    ``RAMP_DOWN_HYSTERESIS`` in ms),
    https://docs.nvidia.com/deploy/nvml-api/group__nvmlPowerSmoothing.html

    Examples
    --------
    >>> import numpy as np
    >>> demand = np.array([1.0, 1.0, 0.0, 0.0, 0.0, 0.0])  # [W], every 1 s
    >>> smoothed = power_smoothing(demand, 1.0, ramp_down=0.25, hysteresis=2.0, backend="numpy")
    >>> smoothed.power.tolist(), float(smoothed.energy)
    ([1.0, 1.0, 1.0, 1.0, 0.75, 0.5], 3.25)
    """
    power = _traces(power, dt)
    if np.isnan(floor):
        raise ValueError(f"floor: must be a number of W (-inf: none), got {floor!r}")
    if not (np.isfinite(hysteresis) and hysteresis >= 0):
        raise ValueError(f"hysteresis: must be a finite number >= 0 s, got {hysteresis!r}")
    p = SmoothingParameters(
        floor=float(floor), ramp_up=_rate("ramp_up", ramp_up),
        ramp_down=_rate("ramp_down", ramp_down), hysteresis=float(hysteresis), dt=float(dt),
    )  # fmt: skip
    initial = np.stack([np.maximum(power[0], p.floor), np.zeros_like(power[0])])
    drawn, burned, deferred = _scan(specs.POWER_SMOOTHING, power, p, initial, backend)
    return Smoothed(drawn, _total(burned, dt), _total(deferred, dt))


def _total(power: np.ndarray, dt: float):
    """``sum(power) dt`` over time [J]: a float for a 1-d trace, else per trace."""
    total = np.sum(power, axis=0) * dt
    return float(total) if np.ndim(total) == 0 else total


class Stored(NamedTuple):
    """What :func:`storage_smoothing` returns; powers the load's shape.

    Parameters
    ----------
    power : numpy.ndarray
        Grid draw [W].
    energy : float or numpy.ndarray
        Conversion losses, the sustained extra energy [J], per trace.
    discharge : numpy.ndarray
        Storage discharge to the load [W].
    charge : numpy.ndarray
        Storage charge from the grid [W].
    stored : numpy.ndarray
        Stored energy at the end of each sample [J].
    loss : numpy.ndarray
        Conversion loss [W].
    """

    power: np.ndarray  # grid draw [W]
    energy: float | np.ndarray  # conversion losses, the sustained extra energy [J]
    discharge: np.ndarray  # storage discharge to the load [W]
    charge: np.ndarray  # storage charge from the grid [W]
    stored: np.ndarray  # stored energy at the end of each sample [J]
    loss: np.ndarray  # conversion loss [W]


def storage_smoothing(
    power, dt, capacity, power_rating, tau, *, efficiency=1.0, ramp_up=math.inf,
    ramp_down=math.inf, recharge_time=math.inf, soc_target=0.5, initial_energy=None,
    initial_target=None, backend="auto",
) -> Stored:  # fmt: skip
    """The grid draw [W] of ``power`` [W] behind energy storage that smooths it.

    One model for NVIDIA's PSU energy storage (GB300 NVL72: small, fast) and
    a site battery (large, slow): a store of ``capacity`` [J] and
    ``power_rating`` [W] supplies or absorbs the difference between the load
    and a smoothed grid target -- a first-order low-pass of time constant
    ``tau`` (0: none), optionally ramp-limited, with a slow pull of the
    stored energy towards ``soc_target`` -- within its energy and power,
    with ``efficiency`` round trip. The grid sees what it cannot cover.

    Parameters
    ----------
    power : array-like
        Load [W], (time,) or (time, trace), sampled every ``dt`` [s].
    dt : float
        Sample step [s], > 0.
    capacity : float
        Usable energy [J], > 0.
    power_rating : float
        Most charge and discharge power [W], >= 0.
    tau : float
        Time constant of the low-pass grid target [s], >= 0.
    efficiency : float
        Round-trip efficiency [1] in (0, 1], split evenly between charge and
        discharge (``sqrt`` each way).
    ramp_up, ramp_down : float
        Most rise and fall of the grid target [W s-1]; inf: no limit.
    recharge_time : float
        Time constant of the state-of-charge correction [s] (> 0; inf: none).
        The target draws ``(S_ref - S) / recharge_time`` extra, so losses are
        made up and the store does not drift empty.
    soc_target : float
        ``S_ref`` as a share of ``capacity`` [1], in [0, 1].
    initial_energy : float, optional
        Stored energy at the start [J]; default ``S_ref``.
    initial_target : float or array, optional
        Grid target before the first sample [W]; default the trace's mean
        (the low-pass's steady state for a long ``tau``).
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    Stored
        ``power``: grid draw [W]; ``energy``: the conversion losses
        ``sum(loss) dt`` [J] (the extra energy the grid supplies once the
        store is back where it started); ``discharge``, ``charge``, ``loss``
        [W]; ``stored`` [J] at the end of each sample. At every sample
        ``load = power + discharge - charge``.

    Notes
    -----
    :func:`powermodel.kernels.spectrum.storage_step`. With enough energy
    and power, no ramp limits and no correction, the grid draw is the
    load through ``H(z) = a / (1 - (1 - a) z^-1)``, ``a = 1 - exp(-dt /
    tau)``: oscillations above ``1 / (2 pi tau)`` shrink by ``|H|``, about
    ``1 / (2 pi f tau)``.

    References
    ----------
    NVIDIA, "How New GB300 NVL72 Features Provide Steady Power for AI" (2025),
    https://developer.nvidia.com/blog/how-new-gb300-nvl72-features-provide-steady-power-for-ai/

    E. Choukse et al., "Power Stabilization for AI Training Datacenters",
    arXiv:2508.14318 (2025), https://arxiv.org/abs/2508.14318
    """
    power = _traces(power, dt)
    if not (np.isfinite(capacity) and capacity > 0):
        raise ValueError(f"capacity: must be a finite number > 0 J, got {capacity!r}")
    if not (np.isfinite(power_rating) and power_rating >= 0):
        raise ValueError(f"power_rating: must be a finite number >= 0 W, got {power_rating!r}")
    if not (np.isfinite(tau) and tau >= 0):
        raise ValueError(f"tau: must be a finite number >= 0 s, got {tau!r}")
    if not 0 < efficiency <= 1:
        raise ValueError(f"efficiency: must be in (0, 1], got {efficiency!r}")
    if not (recharge_time > 0):
        raise ValueError(f"recharge_time: must be > 0 s (inf: none), got {recharge_time!r}")
    if not 0 <= soc_target <= 1:
        raise ValueError(f"soc_target: must be in [0, 1], got {soc_target!r}")
    reference = soc_target * capacity
    if initial_energy is None:
        initial_energy = reference
    if not 0 <= initial_energy <= capacity:
        raise ValueError(f"initial_energy: must be in [0, capacity], got {initial_energy!r}")
    one_way = math.sqrt(efficiency)
    p = StorageParameters(
        energy=float(capacity), power=float(power_rating), efficiency_charge=one_way,
        efficiency_discharge=one_way, smoothing=-math.expm1(-dt / tau) if tau > 0 else 1.0,
        ramp_up=_rate("ramp_up", ramp_up), ramp_down=_rate("ramp_down", ramp_down),
        recharge=1.0 / recharge_time, energy_target=float(reference), dt=float(dt),
    )  # fmt: skip
    if initial_target is None:
        initial_target = np.mean(power, axis=0)
    initial = np.stack(np.broadcast_arrays(float(initial_energy), initial_target))
    grid, discharge, charge, stored, loss = _scan(
        specs.STORAGE_SMOOTHING, power, p, initial, backend
    )
    return Stored(grid, _total(loss, dt), discharge, charge, stored, loss)


# ------------------------------------------------------------ limits and compliance


@dataclass(frozen=True)
class SwingLimits:
    """Limits a grid operator may set on a site's power swings.

    Every limit defaults to None: not checked. No public source found for
    this module states a number that applies to a data centre's power
    oscillation or ramp on the NO2 grid:

    - Choukse et al. (2025, arXiv:2508.14318) name the kinds of requirement
      utilities impose -- a ramp rate in MW/s, a dynamic power range, and
      oscillation magnitudes in frequency bands, the band of concern being
      0.1-20 Hz -- and say the values are utility-specific; they publish no
      values. The default ``bands`` follow them, split at 1 Hz (below: the
      electromechanical and inter-area modes; above: torsional modes of
      nearby generators), amplitudes unset.
    - ERCOT's large (electronic) load rules (NPRR1234, NOGRR282/NPRR1308)
      set ride-through, modelling and study requirements, not ramp or
      oscillation limits.
    - The ENTSO-E Demand Connection Code (Commission Regulation (EU)
      2016/1388) sets frequency and voltage ranges, reactive power and
      demand-response capabilities for demand facilities; no ramp-rate or
      power-oscillation limit.
    - Statnett's national guideline on functional requirements (NVF, the
      successor of FIKS) puts ramp-rate requirements on production and HVDC,
      and leaves those of large consumption to the connection agreement.

    So a site file must state its limits from its own connection agreement.

    Parameters
    ----------
    ramp_rate : float, optional
        Most ramp [W s-1] of the grid draw.
    ramp_window : float, optional
        Window [s] the ramp is measured over (:func:`ramp_rate`); None: one
        sample.
    bands : tuple of (low, high, amplitude)
        Frequency bands ``[low, high)`` [Hz] and the most oscillation
        amplitude [W] in each (None: measured, not checked).
    dynamic_range : float, optional
        Most ``max - min`` of the grid draw [W].
    """

    ramp_rate: float | None = None
    ramp_window: float | None = None
    bands: tuple = ((0.1, 1.0, None), (1.0, 20.0, None))
    dynamic_range: float | None = None

    def __post_init__(self):
        for name in ("ramp_rate", "dynamic_range", "ramp_window"):
            value = getattr(self, name)
            if value is not None and not (np.isfinite(value) and value > 0):
                raise ValueError(f"{name}: must be a finite number > 0 or None, got {value!r}")
        bands = []
        for band in self.bands:
            if len(band) != 3:
                raise ValueError(f"bands: each is (low Hz, high Hz, amplitude W), got {band!r}")
            low, high, limit = band
            if not 0 <= low < high:
                raise ValueError(f"bands: need 0 <= low < high Hz, got {band!r}")
            if limit is not None and not (np.isfinite(limit) and limit >= 0):
                raise ValueError(f"bands: amplitude must be >= 0 W or None, got {band!r}")
            bands.append((float(low), float(high), None if limit is None else float(limit)))
        object.__setattr__(self, "bands", tuple(bands))

    def labels(self) -> list[str]:
        """The bands' names, ``"low-high Hz"``.

        Returns
        -------
        list of str
            One name per band of ``bands``, in order, e.g. ``"0.1-1 Hz"``.
        """
        return [f"{low:g}-{high:g} Hz" for low, high, _ in self.bands]


class Check(NamedTuple):
    """One limit of :func:`compliance`: the measured value, the limit and whether it held.

    Parameters
    ----------
    measured : float
        The measured value, in ``units``.
    limit : float or None
        The limit, in ``units``; None: not checked.
    units : str
        Units of ``measured`` and ``limit``, e.g. ``"W"`` or ``"W s-1"``.
    """

    measured: float
    limit: float | None
    units: str

    @property
    def held(self) -> bool | None:
        """True if the measured value is within the limit; None if no limit (or NaN)."""
        if self.limit is None or math.isnan(self.measured):
            return None
        return bool(self.measured <= self.limit)


def compliance(power, dt, limits: SwingLimits) -> dict[str, Check]:
    """Which of ``limits`` the trace ``power`` [W] sampled every ``dt`` [s] holds.

    Parameters
    ----------
    power : array-like
        Power trace [W], 1-d, at least two samples.
    dt : float
        Sample step [s], > 0.
    limits : SwingLimits
        The limits to check (:class:`SwingLimits`).

    Returns
    -------
    dict of str to Check
        ``"ramp_rate"`` [W s-1] (:func:`ramp_rate` over ``limits.ramp_window``),
        one entry per band, named ``"band low-high Hz"`` (:func:`band_amplitude`, [W]), and
        ``"dynamic_range"`` (``max - min``, [W]); each with its limit (None:
        not checked) and ``held``.

    Examples
    --------
    >>> import numpy as np
    >>> square = np.tile([2.0e6] * 50 + [1.0e6] * 50, 10)  # 1 MW swing, 1 Hz at 10 ms
    >>> checks = compliance(square, 0.01, SwingLimits(dynamic_range=0.5e6))
    >>> checks["dynamic_range"].measured, checks["dynamic_range"].held
    (1000000.0, False)
    """
    if not isinstance(limits, SwingLimits):
        raise TypeError(f"limits: expected a SwingLimits, got {type(limits).__name__}")
    power = _trace(power, dt)
    checks = {"ramp_rate": Check(ramp_rate(power, dt, limits.ramp_window), limits.ramp_rate,
                                 "W s-1")}  # fmt: skip
    for label, (low, high, limit) in zip(limits.labels(), limits.bands, strict=True):
        checks[f"band {label}"] = Check(band_amplitude(power, dt, low, high), limit, "W")
    checks["dynamic_range"] = Check(float(np.max(power) - np.min(power)), limits.dynamic_range,
                                    "W")  # fmt: skip
    return checks


# ------------------------------------------------------------ per scenario


@dataclass(frozen=True)
class ReferenceJob:
    """The shape of a training job's power swing, per watt of swing.

    Parameters
    ----------
    period : float
        Iteration period [s].
    duty : float
        Compute share of the iteration [1], in (0, 1).
    ramp_time : float
        Time the power takes to switch phases [s] (:func:`training_trace`).
    dt : float
        Sample step [s]; must divide ``period``; 0.01 s resolves 50 Hz,
        above the 20 Hz of the bands of concern.
    periods : int
        Iterations the spectrum is taken over (the band resolution is
        ``1 / (periods period)``).
    settle : int
        Iterations run before that, for a mitigation to settle.
    offsets : tuple of float
        Phase of each job as a share of the period; the swing splits evenly
        between them (all zero: the jobs in phase, as the hourly engine
        assumes).
    """

    period: float
    duty: float
    ramp_time: float = 0.0
    dt: float = 0.01
    periods: int = 12
    settle: int = 2
    offsets: tuple = (0.0,)

    def __post_init__(self):
        if not (np.isfinite(self.period) and self.period > 0):
            raise ValueError(f"period: must be a finite number > 0 s, got {self.period!r}")
        if not (np.isfinite(self.dt) and 0 < self.dt < self.period):
            raise ValueError(f"dt: must be in (0, period), got {self.dt!r}")
        per = self.period / self.dt
        if abs(per - round(per)) > 1e-6 * per:
            raise ValueError(f"dt: must divide the period {self.period!r} s, got {self.dt!r}")
        if not 0 < self.duty < 1:
            raise ValueError(f"duty: must be in (0, 1), got {self.duty!r}")
        if int(self.periods) != self.periods or self.periods < 1:
            raise ValueError(f"periods: must be a whole number >= 1, got {self.periods!r}")
        if int(self.settle) != self.settle or self.settle < 0:
            raise ValueError(f"settle: must be a whole number >= 0, got {self.settle!r}")
        if len(self.offsets) < 1:
            raise ValueError("offsets: needs at least one job")

    @classmethod
    def from_training(cls, training, transition_s: float = 0.1, **kwargs) -> ReferenceJob:
        """From a :class:`powermodel.workload.Training` (its period and compute share)
        and the hourly engine's phase transition time [s] (``swing.TRANSITION_S``).

        Parameters
        ----------
        training : powermodel.workload.Training
            Gives ``iteration_period_s`` (the ``period`` [s]) and ``compute_fraction``
            (the ``duty`` [1]).
        transition_s : float
            Time the power takes to switch phases [s], the ``ramp_time``; at most
            ``min(d, 1 - d) T``.
        **kwargs
            The other fields (``dt``, ``periods``, ``settle``, ``offsets``).

        Returns
        -------
        ReferenceJob
            The reference job of ``training``.
        """
        return cls(
            period=training.iteration_period_s, duty=training.compute_fraction,
            ramp_time=transition_s, **kwargs,
        )  # fmt: skip

    @property
    def samples_per_period(self) -> int:
        """Samples in one iteration period [1], ``period / dt`` rounded."""
        return round(self.period / self.dt)

    def trace(self) -> np.ndarray:
        """The job's power [W] per watt of swing, trough at 0, ``settle + periods`` periods.

        Returns
        -------
        numpy.ndarray
            Power per watt of swing [1] at ``t = 0, dt, ...``, dims (time,), ``(settle +
            periods) samples_per_period`` samples; 0 at the trough, 1 at the peak when the
            jobs are in phase.
        """
        samples = (self.settle + self.periods) * self.samples_per_period
        jobs = len(self.offsets)
        return training_trace(
            (samples - 0.5) * self.dt, self.dt, self.period, self.duty, 1.0 / jobs, 0.0,
            ramp_time=self.ramp_time, offsets=tuple(o * self.period for o in self.offsets),
        )  # fmt: skip


@dataclass(frozen=True)
class PowerSmoothing:
    """GPU power smoothing of the whole hall, for :func:`scenario_compliance`.

    ``floor_share``: the floor as a share [1] of each step's swing above its
    trough (0: none, 1: flat); an NVML floor of ``percent`` of TMP on GPUs
    whose communication phase draws ``low`` and compute phase ``high`` of
    TMP is ``(percent - low) / (high - low)``. ``ramp_up``, ``ramp_down``
    [W s-1] are the hall's (per GPU times the GPUs in phase), ``hysteresis``
    [s]. See :func:`power_smoothing`.

    Parameters
    ----------
    floor_share : float
        The floor as a share [1] of each step's swing above its trough, in [0, 1]
        (0: none, 1: flat).
    ramp_up, ramp_down : float
        Most rise and fall of the hall's drawn power [W s-1], > 0; inf: no limit.
    hysteresis : float
        Ramp-down hysteresis [s], >= 0.
    """

    floor_share: float = 0.0
    ramp_up: float = math.inf
    ramp_down: float = math.inf
    hysteresis: float = 0.0

    def __post_init__(self):
        if not 0 <= self.floor_share <= 1:
            raise ValueError(f"floor_share: must be in [0, 1], got {self.floor_share!r}")
        _rate("ramp_up", self.ramp_up)
        _rate("ramp_down", self.ramp_down)
        if not (np.isfinite(self.hysteresis) and self.hysteresis >= 0):
            raise ValueError(f"hysteresis: must be a finite number >= 0 s, got {self.hysteresis!r}")


@dataclass(frozen=True)
class EnergyStorage:
    """Storage smoothing the hall's draw, for :func:`scenario_compliance`.

    The hall's PSU or rack storage (per rack times the racks) or a site
    battery; the arguments of :func:`storage_smoothing`.

    Parameters
    ----------
    capacity : float
        Usable energy of the hall's storage [J], > 0.
    power_rating : float
        Most charge and discharge power [W], >= 0.
    tau : float
        Time constant of the low-pass grid target [s], >= 0.
    efficiency : float
        Round-trip efficiency [1], in (0, 1].
    ramp_up, ramp_down : float
        Most rise and fall of the grid target [W s-1], > 0; inf: no limit.
    recharge_time : float
        Time constant of the state-of-charge correction [s], > 0; inf: none.
    soc_target : float
        Stored energy the correction aims at, as a share of ``capacity`` [1], in [0, 1].
    """

    capacity: float
    power_rating: float
    tau: float
    efficiency: float = 1.0
    ramp_up: float = math.inf
    ramp_down: float = math.inf
    recharge_time: float = math.inf
    soc_target: float = 0.5


def _metrics(traces: np.ndarray, dt: float, limits: SwingLimits):
    """Band amplitudes (trace, band) [W], steepest ramp and dynamic range (trace,)."""
    spectrum = np.fft.rfft(traces - traces.mean(axis=0), axis=0) / traces.shape[0]
    amplitude = 2.0 * np.abs(spectrum)
    freq = np.fft.rfftfreq(traces.shape[0], dt)
    bands = np.stack(
        [np.sqrt(np.sum(amplitude[(freq >= lo) & (freq < hi)] ** 2, axis=0))
         for lo, hi, _ in limits.bands],
        axis=-1,
    )  # fmt: skip
    lag = _lag(limits.ramp_window, dt, traces.shape[0])
    ramp = np.max(np.abs(traces[lag:] - traces[:-lag]), axis=0) / (lag * dt)
    return bands, ramp, np.max(traces, axis=0) - np.min(traces, axis=0)


def _mitigate(unit: np.ndarray, swings: np.ndarray, job: ReferenceJob, mitigation, backend):
    """The mitigated traces (time, trace) of ``unit`` scaled to ``swings`` [W], and the
    mitigation's cost rate [W] per trace, both over the settled periods."""
    keep = slice(job.settle * job.samples_per_period, None)
    if isinstance(mitigation, PowerSmoothing):
        # shifted so that the floor, trough + share * swing, sits at 0 for every trace:
        # ramps, hysteresis and the burned energy do not change with a constant shift
        traces = (unit[:, None] - mitigation.floor_share) * swings[None, :]
        result = power_smoothing(
            traces, job.dt, floor=0.0 if mitigation.floor_share > 0 else -math.inf,
            ramp_up=mitigation.ramp_up, ramp_down=mitigation.ramp_down,
            hysteresis=mitigation.hysteresis, backend=backend,
        )  # fmt: skip
        burned = np.maximum(result.power - traces, 0.0)
        return result.power[keep], burned[keep].mean(axis=0)
    traces = unit[:, None] * swings[None, :]
    result = storage_smoothing(
        traces, job.dt, mitigation.capacity, mitigation.power_rating, mitigation.tau,
        efficiency=mitigation.efficiency, ramp_up=mitigation.ramp_up,
        ramp_down=mitigation.ramp_down, recharge_time=mitigation.recharge_time,
        soc_target=mitigation.soc_target, backend=backend,
    )  # fmt: skip
    return result.power[keep], result.loss[keep].mean(axis=0)


def _swing(swing_power) -> xr.DataArray:
    """The within-step swing [W] (time, scenario) from a DataArray or a swing Dataset."""
    if isinstance(swing_power, xr.Dataset):
        for high, low in (("swing_power_max", "swing_power_min"), ("power_max", "power_min")):
            if high in swing_power and low in swing_power:
                swing_power = swing_power[high] - swing_power[low]
                break
        else:
            raise ValueError(
                "swing_power: a Dataset needs power_max and power_min "
                "(or swing_power_max and swing_power_min)"
            )
    if not isinstance(swing_power, xr.DataArray):
        raise TypeError(f"swing_power: expected a DataArray, got {type(swing_power).__name__}")
    if set(swing_power.dims) != {"time", "scenario"}:
        raise ValueError(f"swing_power: needs dims ('time', 'scenario'), got {swing_power.dims}")
    swing = swing_power.transpose("time", "scenario").astype(np.float64)
    values = swing.values
    if (values[np.isfinite(values)] < 0).any() or np.isinf(values).any():
        raise ValueError("swing_power: must be finite and >= 0 W (NaN allowed)")
    return swing


def _held(measured: np.ndarray, limit) -> np.ndarray:
    """1 where ``measured`` is within ``limit`` (or no limit), 0 where not, NaN if unknown."""
    held = np.ones_like(measured) if limit is None else (measured <= limit).astype(np.float64)
    return np.where(np.isnan(measured), np.nan, held)


def scenario_compliance(
    swing_power, job: ReferenceJob, limits: SwingLimits, mitigation=None, *, levels: int = 33,
    chunk: int = 128, backend="auto",
) -> xr.Dataset:  # fmt: skip
    """Per scenario: the swing limits at its worst step, with and without a mitigation.

    The hourly engine knows each step's within-step swing (peak minus
    trough, all jobs in phase: :func:`powermodel.swing.swing_metrics`), not
    its shape. The shape comes from a reference job, once per watt of
    swing; a scenario's worst step scales it. Unmitigated, every measure is
    linear in the swing and scales exactly; mitigated (ramps, energy and
    power are absolute), the scaled trace of each scenario runs through the
    mitigation's scan kernel. The mitigation's energy per step comes from
    the kernel on ``levels`` swings from 0 to the largest, interpolated
    linearly to each step's swing, and summed.

    Parameters
    ----------
    swing_power : xarray.DataArray or xarray.Dataset
        Within-step swing [W] (time, scenario), e.g. ``power_max -
        power_min`` of the hall; a Dataset gives it as ``swing_power_max -
        swing_power_min`` (or ``power_max - power_min``). The time step comes
        from its ``time`` coordinate.
    job : ReferenceJob
        The reference job whose trace, per watt of swing, gives the steps' shape.
    limits : SwingLimits
        The limits to check (:class:`SwingLimits`).
    mitigation : PowerSmoothing or EnergyStorage, optional
        The mitigation the traces run through; none: only the unmitigated measures.
    levels : int
        Swings the mitigation's energy is computed at (>= 2).
    chunk : int
        Traces per kernel run (bounds the memory: ``samples x chunk`` x 8
        outputs x 8 bytes).
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    xarray.Dataset
        ``swing_worst_step`` (scenario) [W]; on (case, scenario[, band]),
        ``case`` ``"unmitigated"`` (and ``"mitigated"``):
        ``oscillation_amplitude`` [W] per band, ``ramp_rate_steepest``
        [W s-1], ``dynamic_range`` [W], ``band_limit_held``,
        ``ramp_limit_held``, ``range_limit_held`` and ``limits_held`` (all
        of them) [1]: 1 held, 0 broken, NaN unknown (NaN swing); a limit of
        None counts as held, and its coordinate (``band_limit``) or attribute
        is NaN. ``mitigation_energy`` [J] over the input's steps and
        ``mitigation_energy_annual`` [J year-1] (scenario): the energy the
        mitigation burns (smoothing) or loses (storage).

    Notes
    -----
    Band amplitudes, ramps and the dynamic range are measured on the
    ``periods`` after ``settle``. The mitigation's energy is the kernel's
    burned or lost power averaged over those periods, times the step: it
    assumes the job swings through the whole step, as the hourly engine
    does. Linear interpolation between ``levels`` is exact for a floor and
    for storage that never saturates.
    """
    if not isinstance(job, ReferenceJob):
        raise TypeError(f"job: expected a ReferenceJob, got {type(job).__name__}")
    if not isinstance(limits, SwingLimits):
        raise TypeError(f"limits: expected a SwingLimits, got {type(limits).__name__}")
    if mitigation is not None and not isinstance(mitigation, PowerSmoothing | EnergyStorage):
        raise TypeError(
            "mitigation: expected a PowerSmoothing, an EnergyStorage or None, "
            f"got {type(mitigation).__name__}"
        )
    if int(levels) != levels or levels < 2:
        raise ValueError(f"levels: must be a whole number >= 2, got {levels!r}")
    if int(chunk) != chunk or chunk < 1:
        raise ValueError(f"chunk: must be a whole number >= 1, got {chunk!r}")
    swing = _swing(swing_power)
    step_s = time_step(swing["time"]).total_seconds()
    worst = swing.max("time", skipna=False).values
    unit = job.trace()
    keep = slice(job.settle * job.samples_per_period, None)
    per_watt = _metrics(unit[keep, None], job.dt, limits)
    cases = {"unmitigated": [m[0] * (worst[:, None] if m.ndim > 1 else worst) for m in per_watt]}
    energy = np.zeros_like(worst)
    if mitigation is not None:
        finite = swing.values[np.isfinite(swing.values)]
        top = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        grid = np.linspace(0.0, top, int(levels))
        amplitudes = np.concatenate([np.nan_to_num(worst, nan=0.0), grid])
        parts, rates = [], []
        for start in range(0, amplitudes.size, int(chunk)):
            traces, rate = _mitigate(unit, amplitudes[start : start + int(chunk)], job,
                                     mitigation, backend)  # fmt: skip
            parts.append(_metrics(traces, job.dt, limits))
            rates.append(rate)
        measured = [np.concatenate([part[k] for part in parts]) for k in range(3)]
        missing = np.isnan(worst)
        cases["mitigated"] = [
            np.where(missing[:, None] if m.ndim > 1 else missing, np.nan, m[: worst.size])
            for m in measured
        ]
        rate = np.concatenate(rates)[worst.size :]
        per_step = np.interp(np.nan_to_num(swing.values, nan=0.0), grid, rate)
        per_step = np.where(np.isnan(swing.values), np.nan, per_step)
        energy = per_step.sum(axis=0) * step_s
    names = list(cases)
    bands = np.stack([cases[c][0] for c in names])
    ramp = np.stack([cases[c][1] for c in names])
    spread = np.stack([cases[c][2] for c in names])
    band_held = np.stack(
        [_held(bands[..., k], limit) for k, (_, _, limit) in enumerate(limits.bands)], axis=-1
    )
    ramp_held = _held(ramp, limits.ramp_rate)
    range_held = _held(spread, limits.dynamic_range)
    every = np.minimum(np.minimum(ramp_held, range_held), np.min(band_held, axis=-1))
    span = swing.sizes["time"] * step_s
    coords = {
        "case": names,
        "scenario": swing["scenario"].values,
        "band": limits.labels(),
        "band_low": ("band", [b[0] for b in limits.bands], {"units": "Hz"}),
        "band_high": ("band", [b[1] for b in limits.bands], {"units": "Hz"}),
        "band_limit": ("band", [np.nan if b[2] is None else b[2] for b in limits.bands],
                       {"units": "W", "long_name": "oscillation amplitude limit (NaN: none)"}),
    }  # fmt: skip
    dims2, dims3 = ("case", "scenario"), ("case", "scenario", "band")
    data = {
        "swing_worst_step": (("scenario",), worst),
        "oscillation_amplitude": (dims3, bands),
        "ramp_rate_steepest": (dims2, ramp),
        "dynamic_range": (dims2, spread),
        "band_limit_held": (dims3, band_held),
        "ramp_limit_held": (dims2, ramp_held),
        "range_limit_held": (dims2, range_held),
        "limits_held": (dims2, every),
        "mitigation_energy": (("scenario",), energy),
        "mitigation_energy_annual": (("scenario",), energy * YEAR_S / span),
    }
    dataset = xr.Dataset(data, coords=coords)
    for name in data:
        dataset[name].attrs = attrs(name)
    dataset.attrs.update(
        ramp_rate_limit=np.nan if limits.ramp_rate is None else limits.ramp_rate,
        ramp_window=np.nan if limits.ramp_window is None else limits.ramp_window,
        dynamic_range_limit=np.nan if limits.dynamic_range is None else limits.dynamic_range,
        job_period=job.period, job_duty=job.duty, job_ramp_time=job.ramp_time, job_dt=job.dt,
        mitigation=repr(mitigation),
    )  # fmt: skip
    return dataset
