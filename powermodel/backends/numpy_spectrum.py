"""Swing mitigations in plain numpy, float64: the reference the tests trust.

A Python loop over samples, vectorised over traces: the equations of
:mod:`powermodel.kernels.spectrum` restated on whole rows.
"""

from __future__ import annotations

import numpy as np

from powermodel.kernels import spectrum as k

__all__ = ["power_smoothing", "storage_smoothing"]


def power_smoothing(p, initial, demand):
    """Drawn, burned and deferred power, each (time, trace) float64.

    ``initial`` is (2, trace): the drawn power [W] and the time below [s]
    before the first sample.
    """
    drawn = np.array(initial[0], np.float64)
    held = np.array(initial[1], np.float64)
    out = {name: np.empty(demand.shape) for name in k.SMOOTHING_OUTPUTS}
    with np.errstate(invalid="ignore"):
        for t in range(demand.shape[0]):
            x = np.asarray(demand[t], np.float64)
            missing = np.isnan(drawn) | np.isnan(held) | np.isnan(x)
            target = np.maximum(x, p.floor)
            rising = target >= drawn
            falling = ~rising & (held + 0.5 * p.dt > p.hysteresis)
            new = np.where(
                rising,
                np.minimum(target, drawn + p.ramp_up * p.dt),
                np.where(falling, np.maximum(target, drawn - p.ramp_down * p.dt), drawn),
            )
            wait = np.where(rising, 0.0, held + p.dt)
            drawn = np.where(missing, np.nan, new)
            held = np.where(missing, np.nan, wait)
            out["power_smoothed"][t] = drawn
            out["power_burned"][t] = np.maximum(drawn - x, 0.0)
            out["power_deferred"][t] = np.maximum(x - drawn, 0.0)
    return out


def storage_smoothing(p, initial, load):
    """Grid draw, discharge, charge, stored energy (end of sample) and loss, (time, trace).

    ``initial`` is (2, trace): the stored energy [J] and the grid target [W]
    before the first sample.
    """
    stored = np.array(initial[0], np.float64)
    target = np.array(initial[1], np.float64)
    out = {name: np.empty(load.shape) for name in k.STORAGE_OUTPUTS}
    eta_c, eta_d, dt = p.efficiency_charge, p.efficiency_discharge, p.dt
    with np.errstate(invalid="ignore"):
        for t in range(load.shape[0]):
            x = np.asarray(load[t], np.float64)
            missing = np.isnan(stored) | np.isnan(target) | np.isnan(x)
            wanted = x + p.recharge * (p.energy_target - stored)
            move = np.clip(p.smoothing * (wanted - target), -p.ramp_down * dt, p.ramp_up * dt)
            goal = target + move
            gap = x - goal
            can_give = np.maximum(stored, 0.0) * eta_d / dt
            can_take = np.maximum(p.energy - stored, 0.0) / (eta_c * dt)
            discharge = np.where(gap > 0, np.minimum(np.minimum(gap, p.power), can_give), 0.0)
            charge = np.where(gap > 0, 0.0, np.minimum(np.minimum(-gap, p.power), can_take))
            end = np.clip(stored + dt * (eta_c * charge - discharge / eta_d), 0.0, p.energy)
            values = {
                "power_grid": x - discharge + charge,
                "power_discharge": discharge,
                "power_charge": charge,
                "energy_stored": end,
                "power_loss": (1.0 - eta_c) * charge + (1.0 / eta_d - 1.0) * discharge,
            }
            for name, value in values.items():
                out[name][t] = np.where(missing, np.nan, value)
            stored = np.where(missing, np.nan, end)
            target = np.where(missing, np.nan, goal)
    return out
