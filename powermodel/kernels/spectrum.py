"""Mitigations of sub-second training power swings, one sample of one trace: scalar physics.

Both mitigations walk a power trace in time; a trace (a job, a scenario's
worst hour) is one "scenario" of the scan kernels.

**GPU power smoothing** (NVIDIA's NVML power-smoothing profile, Blackwell and
newer): the drawn power ``y`` follows the demand ``x`` held at or above a
floor ``F`` (the profile's floor, a percentage of the total module power),
rising at most ``r_up`` and falling at most ``r_down`` [W s-1]; a fall starts
only once the target has been below ``y`` for the ramp-down hysteresis ``H``
[s] (the profile gives it in ms). Per step of ``dt`` with target ``g = max(x, F)``
and ``h`` the time the target has been below ``y``::

    g >= y:               y' = min(g, y + r_up dt),    h' = 0
    g < y, h >= H:        y' = max(g, y - r_down dt),  h' = h + dt
    g < y, h < H:         y' = y (hold),               h' = h + dt

(``h >= H`` is tested as ``h + dt / 2 > H``, so ``H`` counts in whole
samples, rounded, whatever the float rounding of ``h``). The GPUs burn
``max(y' - x, 0)`` above the demand (the smoothing's energy cost) and the
work of ``max(x - y', 0)`` waits (deferred: assumed made up later in the
iteration, no energy change).

**Energy storage** (PSU or rack storage, NVIDIA GB300 NVL72; a site battery):
a store of usable energy ``E`` [J] and power ``P`` [W] supplies or absorbs the
difference between the load ``L`` and a smoothed grid target ``g``: a
first-order low-pass of time constant ``tau`` (``a = 1 - exp(-dt / tau)``,
the exact response of a first-order lag to a sample held over ``dt``),
with a state-of-charge correction ``(S_ref - S) k`` and optional ramp
limits on the target::

    g' = g + clip(a (L + k (S_ref - S) - g), -r_down dt, r_up dt)
    discharge  d = min(L - g', P, eta_d S / dt)                 if L > g'
    charge     c = min(g' - L, P, (E - S) / (eta_c dt))         if L < g'
    grid       G = L - d + c
    S' = S + dt (eta_c c - d / eta_d),   loss = (1 - eta_c) c + (1 / eta_d - 1) d

so ``L = G + d - c`` at every step and ``S' - S = dt (c - d - loss)``. What
the store cannot cover, the grid sees.

Parameters reach the kernels as named records, :class:`SmoothingParameters`
and :class:`StorageParameters`.

References
----------
NVIDIA, NVML API Reference, "Power Smoothing Information",
https://docs.nvidia.com/deploy/nvml-api/group__nvmlPowerSmoothing.html

NVIDIA, "How New GB300 NVL72 Features Provide Steady Power for AI" (2025),
https://developer.nvidia.com/blog/how-new-gb300-nvl72-features-provide-steady-power-for-ai/

E. Choukse et al., "Power Stabilization for AI Training Datacenters",
arXiv:2508.14318 (2025), https://arxiv.org/abs/2508.14318
"""

from __future__ import annotations

import math
from typing import NamedTuple

from powermodel.kernels._physics import physics

__all__ = [
    "SMOOTHING_OUTPUTS",
    "STORAGE_OUTPUTS",
    "SmoothingParameters",
    "StorageParameters",
    "smoothing_step",
    "storage_step",
]

#: what the power-smoothing scan writes per sample, in order
SMOOTHING_OUTPUTS = ("power_smoothed", "power_burned", "power_deferred")

#: what the storage scan writes per sample, in order
STORAGE_OUTPUTS = ("power_grid", "power_discharge", "power_charge", "energy_stored", "power_loss")


class SmoothingParameters(NamedTuple):
    """Parameters of :func:`smoothing_step` (NVML power-smoothing profile).

    numba and numba-cuda pass it by value.

    Parameters
    ----------
    floor : float
        Power floor ``F`` [W] (0 or ``-inf``: none).
    ramp_up : float
        Most rise of the drawn power ``r_up`` [W s-1], > 0 (inf: none).
    ramp_down : float
        Most fall of the drawn power ``r_down`` [W s-1], > 0 (inf: none).
    hysteresis : float
        Time the target must stay below the drawn power before a fall starts, ``H`` [s],
        >= 0.
    dt : float
        Sample step [s], > 0.
    """

    floor: float  # power floor F [W] (0: none)
    ramp_up: float  # most rise of the drawn power r_up [W s-1] (inf: none)
    ramp_down: float  # most fall r_down [W s-1] (inf: none)
    hysteresis: float  # time below before a fall starts, H [s]
    dt: float  # sample step [s]


class StorageParameters(NamedTuple):
    """Parameters of :func:`storage_step` (PSU, rack or site storage).

    numba and numba-cuda pass it by value.

    Parameters
    ----------
    energy : float
        Usable energy ``E`` [J], > 0.
    power : float
        Most charge and discharge power ``P`` [W], >= 0.
    efficiency_charge, efficiency_discharge : float
        Charge and discharge efficiencies ``eta_c``, ``eta_d`` [1], in (0, 1].
    smoothing : float
        Low-pass weight ``a = 1 - exp(-dt / tau)`` [1], in (0, 1] (1: no smoothing).
    ramp_up, ramp_down : float
        Most rise and fall of the grid target [W s-1], > 0 (inf: none).
    recharge : float
        State-of-charge correction gain ``k`` [s-1], >= 0 (0: none).
    energy_target : float
        Stored energy the correction aims at, ``S_ref`` [J], in [0, ``energy``].
    dt : float
        Sample step [s], > 0.
    """

    energy: float  # usable energy E [J]
    power: float  # most charge and discharge power P [W]
    efficiency_charge: float  # eta_c [1], in (0, 1]
    efficiency_discharge: float  # eta_d [1], in (0, 1]
    smoothing: float  # low-pass weight a = 1 - exp(-dt / tau) [1], in (0, 1]
    ramp_up: float  # most rise of the grid target [W s-1] (inf: none)
    ramp_down: float  # most fall of the grid target [W s-1] (inf: none)
    recharge: float  # state-of-charge correction gain k [s-1] (0: none)
    energy_target: float  # stored energy the correction aims at, S_ref [J]
    dt: float  # sample step [s]


@physics
def smoothing_step(p, drawn, held, demand):
    """One sample of GPU power smoothing.

    Parameters
    ----------
    p : SmoothingParameters
        The smoothing's parameters (:class:`SmoothingParameters`).
    drawn : float
        Drawn power at the end of the previous sample ``y`` [W].
    held : float
        Time the target has been below ``y`` [s].
    demand : float
        The workload's power ``x`` this sample [W].

    Returns
    -------
    drawn_end, held_end, burned, deferred : float
        ``y'`` [W], ``h'`` [s], the power burned above the demand and the
        demand deferred [W]. NaN in any input gives NaN in all four.
    """
    if math.isnan(drawn) or math.isnan(held) or math.isnan(demand):
        return math.nan, math.nan, math.nan, math.nan
    target = max(demand, p.floor)
    if target >= drawn:
        new = min(target, drawn + p.ramp_up * p.dt)
        wait = 0.0
    elif held + 0.5 * p.dt > p.hysteresis:
        new = max(target, drawn - p.ramp_down * p.dt)
        wait = held + p.dt
    else:
        new = drawn
        wait = held + p.dt
    return new, wait, max(new - demand, 0.0), max(demand - new, 0.0)


@physics
def storage_step(p, stored, target, load):
    """One sample of storage smoothing the grid draw.

    Parameters
    ----------
    p : StorageParameters
        The storage's parameters (:class:`StorageParameters`).
    stored : float
        Stored energy at the start of the sample ``S`` [J].
    target : float
        The previous sample's grid target ``g`` [W].
    load : float
        The load ``L`` this sample [W].

    Returns
    -------
    stored_end, target_end, grid, discharge, charge, loss : float
        ``S'`` [J], ``g'`` [W], and the grid draw, discharge, charge and
        conversion loss [W] of the sample. NaN in any input gives NaN in all.
    """
    if math.isnan(stored) or math.isnan(target) or math.isnan(load):
        return math.nan, math.nan, math.nan, math.nan, math.nan, math.nan
    wanted = load + p.recharge * (p.energy_target - stored)
    move = p.smoothing * (wanted - target)
    move = min(max(move, -p.ramp_down * p.dt), p.ramp_up * p.dt)
    goal = target + move
    gap = load - goal
    discharge = 0.0
    charge = 0.0
    if gap > 0.0:
        discharge = min(gap, p.power, max(stored, 0.0) * p.efficiency_discharge / p.dt)
    else:
        room = max(p.energy - stored, 0.0)
        charge = min(-gap, p.power, room / (p.efficiency_charge * p.dt))
    stored_end = stored + p.dt * (p.efficiency_charge * charge - discharge / p.efficiency_discharge)
    stored_end = min(max(stored_end, 0.0), p.energy)  # rounding only
    grid = load - discharge + charge
    loss = (1.0 - p.efficiency_charge) * charge + (1.0 / p.efficiency_discharge - 1.0) * discharge
    return stored_end, goal, grid, discharge, charge, loss
