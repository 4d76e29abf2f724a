"""A fleet entry's rack groups in plain numpy, float64: the test oracle.

The fused kernel (:mod:`powermodel.backends.numba_fleet`) restated as the
chain of the separate references it fuses: the rack chain at the step mean
and at the compute phase (:mod:`powermodel.backends.numpy_rack`), the phase
levels and the swing (:mod:`powermodel.backends.numpy_swing`), summed over
groups and counted while in service.
"""

from __future__ import annotations

import numpy as np

from powermodel.backends import numpy_rack, numpy_swing

__all__ = ["fleet_groups"]


def fleet_groups(
    p, communication_level, utilization, racks, training, power_cap, ups_rated, in_service,
    *, power_idle, power_max, curve, exponent, table, reference,
):  # fmt: skip
    """``{output: (scenario, time)}`` of :data:`powermodel.kernels.fleet.OUTPUTS`."""
    u = np.asarray(utilization, np.float64)
    scenarios, steps, groups = u.shape
    rows = u.reshape(scenarios * steps, groups)
    idle = np.full(groups, power_idle)
    peak = np.full(groups, power_max)
    chain = dict(reference, ups_rated=np.asarray(ups_rated, np.float64))

    def rack(v):
        return numpy_rack.rack_power(v, idle, peak, power_cap, curve, exponent, table, chain)

    high = numpy_swing.phase_utilization(rows, p.compute_fraction, communication_level)
    mean = rack(rows)
    swing = numpy_swing.training_swing(
        p, mean["power_total"], rack(high["utilization_compute"])["power_total"],
        np.asarray(racks, np.float64), np.asarray(training, np.float64),
    )  # fmt: skip
    per_group = {
        "power_it": mean["power_it"] * racks,
        "loss_ups": mean["loss_ups"] * racks,
        "power_total": mean["power_total"] * racks,
        "swing_power_max": swing["power_max"],
        "swing_power_min": swing["power_min"],
        "swing_ramp_rate": swing["ramp_rate"],
        "swing_power_max_unmitigated": swing["power_max_unmitigated"],
        "swing_ramp_rate_unmitigated": swing["ramp_rate_unmitigated"],
        "swing_floor_energy": swing["floor_energy"],
    }
    w = np.asarray(in_service, np.float64)
    return {
        name: value.sum(axis=-1).reshape(scenarios, steps) * w for name, value in per_group.items()
    }
