"""A fleet entry's rack groups on the GPU: one thread per (scenario, step).

The same physics and the same order of the sums over groups as the CPU
kernel (:mod:`powermodel.backends.numba_fleet`): each thread walks its row's
groups and writes the row's float64 totals. Under numba's CUDA simulator the
kernel runs on numpy arrays, slowly: keep sizes small there.
"""

from __future__ import annotations

from numba import cuda

from powermodel.backends._codegen import kernel
from powermodel.backends.numba_rack import LOAD_CURVES
from powermodel.kernels._physics import real
from powermodel.kernels.fleet import rack_group_step
from powermodel.kernels.rack import server_power
from powermodel.kernels.swing import phase_utilization

__all__ = ["fleet_groups"]

THREADS = 128

#: The load curve of a kernel, bound when it is compiled (see numba_rack).
load_fraction = None


def _fleet_loop(
    p, communication_level, utilization, racks, training, power_cap, ups_rated, in_service,
    power_idle, power_max, exponent, table, chain, out,
):  # fmt: skip
    servers, fan_max, fan_min, psu_rated, p0, p1, p2, u0, u1, u2, dist = chain
    scenarios, steps, groups = utilization.shape
    row = cuda.grid(1)
    if row >= scenarios * steps:
        return
    s = row // steps
    t = row - s * steps
    d = p.compute_fraction
    w = in_service[t]
    if w == 0.0:  # out of service: no physics, but NaN x 0 stays NaN (the NaN rule)
        unknown = 0.0
        for j in range(groups):
            unknown += real(utilization[s, t, j])
        for k in range(out.shape[0]):
            out[k, s, t] = unknown * w
        return
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
        mean_servers = server_power(power_idle, power_max, load_fraction(u, exponent, table))
        high_servers = server_power(power_idle, power_max, load_fraction(high, exponent, table))
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
    """As :func:`powermodel.backends.numba_fleet.fleet_groups`, on the device."""
    rows = utilization.shape[0] * utilization.shape[1]
    blocks = max(1, (rows + THREADS - 1) // THREADS)
    kernel(
        f"cuda_fleet_groups_{curve}", _fleet_loop, "cuda", "float64",
        load_fraction=LOAD_CURVES[curve],
    )[blocks, THREADS](
        p, communication_level, utilization, racks, training, power_cap, ups_rated, in_service,
        power_idle, power_max, exponent, table, chain, out,
    )  # fmt: skip
    return out
