"""The training power swing in plain numpy, float64: the test oracle.

The equations of :mod:`powermodel.kernels.swing` restated on whole arrays.
"""

from __future__ import annotations

import numpy as np

from powermodel.kernels import swing as k

__all__ = ["phase_utilization", "training_swing"]


def phase_utilization(utilization, compute_fraction, communication_level):
    """``u_high`` and ``u_low``, as :func:`powermodel.kernels.swing.phase_utilization`."""
    u, d, c = (np.asarray(a, np.float64) for a in (utilization, compute_fraction,
                                                  communication_level))  # fmt: skip
    high = np.minimum(1.0, u / (d + (1.0 - d) * c))  # NaN stays NaN
    low = np.where(high < 1.0, c * high, (u - d) / (1.0 - d))
    return {"utilization_compute": high, "utilization_communication": low}


def training_swing(p, power_mean, power_high, racks, training):
    """Group totals of the swing, as :func:`powermodel.kernels.swing.training_swing`."""
    d, period, idle = p.compute_fraction, p.period, p.idle
    s_energy, s_power = p.storage_energy, p.storage_power
    is_training = training >= 0.5
    low = (power_mean - d * power_high) / (1.0 - d)
    raised = low < idle
    high = np.where(raised, (power_mean - (1.0 - d) * idle) / d, power_high)
    low = np.where(raised, idle, low)
    high = np.where(is_training, high, power_mean)
    low = np.where(is_training, low, power_mean)
    lowest = np.where(is_training, np.maximum(low, np.minimum(p.floor, high)), low)
    floor_power = (1.0 - d) * (lowest - low)
    swing = high - lowest
    swing = np.where(np.abs(swing) < k.SWING_RESOLUTION * high, 0.0, swing)
    x = np.minimum(
        np.minimum(s_power, s_power * (1.0 - d) / d),
        np.minimum(s_energy / (d * period), (1.0 - d) * swing),
    )
    y = d * x / (1.0 - d)
    flat = (1.0 - d) * swing
    enough = (flat <= s_power) & (d * swing <= s_power) & (d * period * flat <= s_energy)
    top, bottom = (high - x) * racks, (lowest + y) * racks
    missing = np.isnan(power_mean) | np.isnan(power_high) | np.isnan(racks) | np.isnan(training)
    out = {
        "power_mean": power_mean * racks,
        "power_max": top,
        "power_min": bottom,
        "power_max_unmitigated": high * racks,
        "power_min_unmitigated": low * racks,
        "floor_power": floor_power * racks,
        "storage_energy": d * period * x * racks,
        "ramp_rate": (top - bottom) / p.transition,
        "ramp_rate_unmitigated": (high - low) * racks / p.transition,
        "floor_energy": floor_power * racks * p.step,
    }
    out = {name: np.where(missing, np.nan, value) for name, value in out.items()}
    out["storage_sufficient"] = np.where(missing, 0.0, enough.astype(np.float64))
    return out
