"""Sub-hourly power swing of one rack group in one step: scalar physics.

A synchronous training job alternates a compute phase (duty cycle ``d``)
and a communication phase every iteration (period ``T``). From the rack
power at the step-mean utilisation, ``P(u)``, and at the compute-phase
utilisation, ``P_high`` (both from the rack model), the communication-phase
power closes the step's energy (Choukse et al. 2025, arXiv:2508.14318)::

    d P_high + (1 - d) P_low = P(u)        (P_low >= P(0), else P_high adjusts)

Mitigations, per rack: a GPU power floor ``F`` held during communication,
``P_min = max(P_low, min(F, P_high))``, costing ``(1 - d)(P_min - P_low)``;
lossless rack storage (Assumption) of energy ``S_e`` and power ``S_p`` that
discharges ``x`` during compute and recharges ``y = d x / (1 - d)`` during
communication::

    x = min(S_p, S_p (1 - d) / d, S_e / (d T), (1 - d)(P_high - P_min))

Grid side: ``max = P_high - x``, ``min = P_min + y``; ramp ``racks (max -
min) / t_transition``. Inference groups (``training = 0``) do not swing.

Parameters reach the kernels as one named record, :class:`SwingParameters`.
"""

from __future__ import annotations

from typing import NamedTuple

from powermodel.kernels._physics import physics

__all__ = ["OUTPUTS", "SwingParameters", "phase_utilization", "training_swing"]


class SwingParameters(NamedTuple):
    """Parameters of :func:`training_swing`, per rack group and step.

    numba and numba-cuda pass it by value; the physics reads ``p.compute_fraction``.

    Parameters
    ----------
    compute_fraction : float
        Duty cycle ``d`` of the compute phase [1], in (0, 1).
    period : float
        Iteration period ``T`` [s], > 0.
    floor : float
        GPU power floor ``F`` per rack [W] (0: none).
    storage_energy : float
        Rack storage energy ``S_e`` per rack [J], >= 0.
    storage_power : float
        Rack storage charge and discharge power ``S_p`` per rack [W], >= 0.
    idle : float
        Rack power at idle ``P(0)`` [W].
    transition : float
        Transition time between the phases [s], > 0.
    step : float
        Time step [s].
    """

    compute_fraction: float  # duty cycle d of the compute phase [1]
    period: float  # iteration period T [s]
    floor: float  # GPU power floor F per rack [W] (0: none)
    storage_energy: float  # rack storage energy S_e per rack [J]
    storage_power: float  # rack storage power S_p per rack [W]
    idle: float  # rack power at idle P(0) [W]
    transition: float  # transition time between the phases [s]
    step: float  # time step [s]


#: A swing below this share of the compute-phase power is rounding, not
#: physics (``P_high = P(u)`` computes ``P_low`` as ``P(u)`` only to ~1e-16,
#: and the sign of that noise decided ``storage_sufficient``) [1].
SWING_RESOLUTION = 1e-6

#: what :func:`training_swing` returns, in order (group totals)
OUTPUTS = (
    "power_mean",
    "power_max",
    "power_min",
    "power_max_unmitigated",
    "power_min_unmitigated",
    "floor_power",
    "storage_energy",
    "ramp_rate",
    "ramp_rate_unmitigated",
    "floor_energy",
    "storage_sufficient",
)


@physics
def phase_utilization(utilization, compute_fraction, communication_level):
    """Compute- and communication-phase utilisation of a step-mean utilisation.

    With duty cycle ``d`` (``compute_fraction``) and ratio ``c``
    (``communication_level``)::

        u_high = min(1, u / (d + (1 - d) c))
        u_low  = c u_high                  if u_high < 1
               = (u - d) / (1 - d)         otherwise

    so ``d u_high + (1 - d) u_low = u`` exactly, and ``u_low`` rises
    continuously to 1 as ``u`` does (Choukse et al. 2025: GPUs near full
    power while computing, lower while they wait on communication).

    Parameters
    ----------
    utilization : float
        Step-mean utilisation ``u`` [1], in [0, 1].
    compute_fraction : float
        Duty cycle ``d`` [1], in (0, 1).
    communication_level : float
        Communication-phase utilisation as a share ``c`` of the compute-phase
        utilisation [1], in [0, 1].

    Returns
    -------
    tuple of float
        ``(u_high, u_low)`` [1]; NaN for a NaN input.
    """
    d = compute_fraction
    c = communication_level
    high = utilization / (d + (1.0 - d) * c)
    high = 1.0 if high > 1.0 else high
    low = c * high if high < 1.0 else (utilization - d) / (1.0 - d)
    return high, low


@physics
def training_swing(p, power_mean, power_high, racks, training):
    """The within-step extremes of a group of ``racks`` racks moving in lock-step.

    Parameters
    ----------
    p : SwingParameters
        Named parameters (:class:`SwingParameters`).
    power_mean, power_high : float
        Rack power [W] at the step-mean and at the compute-phase utilisation.
    racks : float
        Racks in the group [1].
    training : float
        1 for a training group, 0 for inference (no swing).

    Returns
    -------
    tuple of float
        :data:`OUTPUTS`: group powers [W], storage energy per iteration
        [J], ramp rates [W s-1], floor energy of the step [J] and 1.0 where
        the storage flattens the whole swing (else 0.0). NaN in any input
        gives NaN powers (and 0.0 for the flag).
    """
    d = p.compute_fraction
    idle = p.idle
    high = power_high
    low = (power_mean - d * high) / (1.0 - d)
    if low < idle:
        low = idle
        high = (power_mean - (1.0 - d) * idle) / d
    if training < 0.5:
        high = power_mean
        low = power_mean
    floor = p.floor if p.floor < high else high
    lowest = low if low > floor else floor
    lowest = lowest if training >= 0.5 else low
    floor_power = (1.0 - d) * (lowest - low)
    swing = high - lowest
    resolution = SWING_RESOLUTION * high
    swing = 0.0 if -resolution < swing < resolution else swing
    s_power = p.storage_power
    recharge_limited = s_power * (1.0 - d) / d  # the recharge y = d x / (1 - d) <= S_p
    energy_limited = p.storage_energy / (d * p.period)
    x = s_power
    x = recharge_limited if recharge_limited < x else x
    x = energy_limited if energy_limited < x else x
    x = (1.0 - d) * swing if (1.0 - d) * swing < x else x
    x = swing if swing != swing else x  # NaN input: NaN out, as min() in numpy
    y = d * x / (1.0 - d)
    flat = (1.0 - d) * swing
    enough = flat <= s_power and d * swing <= s_power
    enough = enough and d * p.period * flat <= p.storage_energy
    top = (high - x) * racks
    bottom = (lowest + y) * racks
    # NaN in any input makes every power NaN (x != x is NaN's test)
    poison = power_mean + power_high + racks + training
    missing = poison != poison
    return (
        poison if missing else power_mean * racks,
        poison if missing else top,
        poison if missing else bottom,
        poison if missing else high * racks,
        poison if missing else low * racks,
        poison if missing else floor_power * racks,
        poison if missing else d * p.period * x * racks,
        poison if missing else (top - bottom) / p.transition,
        poison if missing else (high - low) * racks / p.transition,
        poison if missing else floor_power * racks * p.step,
        0.0 if missing else (1.0 if enough else 0.0),
    )
