"""A fleet entry's rack groups on the CPU: one pass, summed over groups.

One numba kernel reads the utilisation ``(scenario, time, group)`` once,
evaluates :func:`powermodel.kernels.fleet.rack_group_step` for each group in
registers and sums its :data:`~powermodel.kernels.fleet.OUTPUTS` over the
groups in float64, writing only ``(output, scenario, time)``. Scenarios run
in parallel over the cores; each row's groups are summed in one fixed
order, so a scenario's result does not depend on the chunk it runs in.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from powermodel.backends._codegen import kernel
from powermodel.backends.numba_rack import LOAD_CURVES
from powermodel.kernels._physics import real
from powermodel.kernels.fleet import rack_group_step
from powermodel.kernels.rack import server_power
from powermodel.kernels.swing import phase_utilization

__all__ = ["fleet_groups"]

#: Groups are padded to a multiple of this (see :func:`fleet_groups`).
LANES = 8

#: The load curve of a kernel, bound when it is compiled (see numba_rack).
load_fraction = None


def _fleet_loop(
    p, communication_level, utilization, racks, training, power_cap, ups_rated, in_service,
    power_idle, power_max, exponent, table, chain, out,
):  # fmt: skip
    servers, fan_max, fan_min, psu_rated, p0, p1, p2, u0, u1, u2, dist = chain
    scenarios, steps, groups = utilization.shape
    d = p.compute_fraction
    for s in prange(scenarios):
        for t in range(steps):
            w = in_service[t]
            if w == 0.0:  # out of service: no physics, but NaN x 0 stays NaN (the NaN rule)
                unknown = 0.0
                for j in range(groups):
                    unknown += real(utilization[s, t, j])
                for k in range(out.shape[0]):
                    out[k, s, t] = unknown * w
                continue
            it = 0.0
            ups = 0.0
            total = 0.0
            top = 0.0
            bottom = 0.0
            ramp = 0.0
            peak = 0.0
            ramp_peak = 0.0
            floor = 0.0
            for j in range(groups):
                u = real(utilization[s, t, j])
                high, _ = phase_utilization(u, d, communication_level)
                mean_servers = server_power(
                    power_idle, power_max, load_fraction(u, exponent, table)
                )
                high_servers = server_power(
                    power_idle, power_max, load_fraction(high, exponent, table)
                )
                parts = rack_group_step(
                    p, mean_servers, high_servers, racks[j], training[j], power_idle, power_max,
                    servers, power_cap[j], fan_max, fan_min, psu_rated, p0, p1, p2, ups_rated[j],
                    u0, u1, u2, dist,
                )  # fmt: skip
                it += parts[0]
                ups += parts[1]
                total += parts[2]
                top += parts[3]
                bottom += parts[4]
                ramp += parts[5]
                peak += parts[6]
                ramp_peak += parts[7]
                floor += parts[8]
            out[0, s, t] = it * w
            out[1, s, t] = ups * w
            out[2, s, t] = total * w
            out[3, s, t] = top * w
            out[4, s, t] = bottom * w
            out[5, s, t] = ramp * w
            out[6, s, t] = peak * w
            out[7, s, t] = ramp_peak * w
            out[8, s, t] = floor * w


def fleet_groups(
    p, communication_level, utilization, racks, training, power_cap, ups_rated, in_service,
    power_idle, power_max, curve, exponent, table, chain, out,
):  # fmt: skip
    """Run the fleet kernel into ``out`` (outputs, scenario, time) float64.

    ``utilization`` (scenario, time, group) float32 or float64; ``racks``,
    ``training``, ``power_cap`` and ``ups_rated`` per group, float64;
    ``in_service`` (time,) the multiplier of each step (1 in service, 0
    not); ``chain`` the rack chain's scalars as in
    :func:`powermodel.backends.numba_rack.rack_power_kernel`. The physics runs in
    float64 whatever the utilisation's storage.

    The groups are padded to a multiple of :data:`LANES` with idle groups of
    no racks (utilisation 0, which add exactly 0 to every sum): the sum over
    groups is the loop the CPU runs in SIMD lanes, and a scalar remainder of
    up to 7 groups cost more than the vector part (measured: 15 groups ran
    at 19 ns per group-step, 48 at 4 ns).
    """
    groups = utilization.shape[2]
    padded = -(-groups // LANES) * LANES
    if padded != groups and utilization.shape[0] * utilization.shape[1]:
        extra = padded - groups
        utilization = np.concatenate(
            [utilization, np.zeros((*utilization.shape[:2], extra), utilization.dtype)], axis=2
        )
        racks, training, power_cap, ups_rated = (
            np.concatenate([a, np.full(extra, fill)])
            for a, fill in ((racks, 0.0), (training, 0.0), (power_cap, np.inf), (ups_rated, 1.0))
        )
    kernel(
        f"fleet_groups_{curve}", _fleet_loop, "cpu", "float64",
        load_fraction=LOAD_CURVES[curve],
    )(
        p, communication_level, utilization, racks, training, power_cap, ups_rated, in_service,
        power_idle, power_max, exponent, table, chain, out,
    )  # fmt: skip
    return out
