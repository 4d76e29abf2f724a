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

This is the first part of the frequency-domain swing model: jobs with
phase diversity (:func:`training_trace`'s ``offsets``), and two of the
hardware's power-smoothing mitigations with their energy cost: a GPU power
floor (:func:`power_floor`) and a ramp-rate limit (:func:`ramp_limited`).
The site-file limits and the storage mitigations in this domain are not
built yet.

References
----------
E. Choukse et al., "Power Stabilization for AI Training Datacenters",
arXiv:2508.14318 (2025), https://arxiv.org/abs/2508.14318

NVIDIA, "How New GB300 NVL72 Features Provide Steady Power for AI" (2025),
https://developer.nvidia.com/blog/how-new-gb300-nvl72-features-provide-steady-power-for-ai/
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "band_amplitude",
    "power_floor",
    "ramp_limited",
    "ramp_rate",
    "square_wave_harmonics",
    "training_trace",
]


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
    """Amplitudes [W] of harmonics ``1 .. harmonics`` of a square wave of ``swing`` [W].

    ``(2 swing / (n pi)) |sin(n pi d)|`` for duty cycle ``d``.
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
    """
    if not 0 <= low < high:
        raise ValueError(f"low, high: need 0 <= low < high, got {low!r}, {high!r}")
    freq, amplitude = _amplitudes(power, dt)
    inside = (freq >= low) & (freq < high)
    return float(np.sqrt(np.sum(amplitude[inside] ** 2)))


def ramp_rate(power, dt) -> float:
    """The steepest ramp [W s-1] of ``power`` sampled every ``dt`` seconds."""
    return float(np.max(np.abs(np.diff(_trace(power, dt)))) / dt)


def ramp_limited(power, dt, up, down) -> tuple[np.ndarray, float]:
    """``power`` [W] after a ramp-rate limit, and the extra energy it draws [J].

    The power-smoothing model of the GPUs' firmware: the drawn power
    follows the demand at most ``up`` [W s-1] faster and ``down`` [W s-1]
    slower per second. When demand falls faster than ``down`` allows the
    GPUs burn the difference (a power floor's work), which is the energy
    cost; when it rises faster than ``up`` the work waits (assumed made up
    within the iteration, no energy change).

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
    out = np.empty_like(power)
    out[0] = power[0]
    rise, fall = up * dt, down * dt
    for k in range(1, len(power)):
        step = power[k] - out[k - 1]
        out[k] = out[k - 1] + min(max(step, -fall), rise)
    return out, float(np.sum(np.maximum(out - power, 0.0)) * dt)


def power_floor(power, dt, floor) -> tuple[np.ndarray, float]:
    """``power`` [W] sampled every ``dt`` [s] held at or above ``floor`` [W], and the
    energy burned doing so [J].

    The GPUs' power floor: in communication phases they burn power up to
    the floor instead of idling. A square wave's swing shrinks from
    ``high - low`` to ``high - floor``, and with it every harmonic by the
    same factor; the cost is ``sum(max(floor - power, 0)) dt``.

    Returns
    -------
    floored : numpy.ndarray
    burned : float
        [J].
    """
    power = _trace(power, dt)
    floored = np.maximum(power, floor)
    return floored, float(np.sum(floored - power) * dt)
