"""Facility auxiliaries in plain numpy, float64: the test oracle.

The equation of :mod:`powermodel.kernels.auxiliaries` restated on whole arrays.
"""

from __future__ import annotations

import numpy as np

__all__ = ["auxiliary_power"]


def auxiliary_power(p, heat_liquid, in_service):
    """Outputs of :func:`powermodel.kernels.auxiliaries.auxiliary_power` as a dict of arrays."""
    heat, on = np.broadcast_arrays(np.asarray(heat_liquid, np.float64),
                                   np.asarray(in_service, np.float64))  # fmt: skip
    energised = np.where(np.isnan(on), np.nan, (on > 0.5).astype(np.float64))
    parts = {
        "power_transformer_no_load": energised * p.transformer_no_load,
        "power_lighting": energised * p.lighting,
        "power_building": energised * p.building,
        "power_humidification": energised * p.humidification,
        "power_cdu_pumps": p.cdu_pump_ratio * heat,
    }
    parts["power_auxiliaries"] = sum(parts.values())
    missing = np.isnan(heat) | np.isnan(on)
    return {name: np.where(missing, np.nan, value) for name, value in parts.items()}
