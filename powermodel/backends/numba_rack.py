"""Rack power on the CPU: fused, parallel numba kernels.

Each kernel makes one pass over the utilisation: it reads each value once,
evaluates the whole chain of :mod:`powermodel.kernels.rack` in registers and
writes the results, with no temporaries. Rows (time x scenario) run in
parallel over the cores; the rack axis is innermost and contiguous, so the
loop over racks vectorises. Kernels are built and compiled once per (load
curve, precision).
"""

from __future__ import annotations

import numpy as np
from numba import prange

from powermodel.backends._codegen import kernel
from powermodel.kernels import rack as physics
from powermodel.kernels._physics import real
from powermodel.kernels.rack import rack_power_chain, server_power

__all__ = [
    "facility_power",
    "facility_power_kernel",
    "load_curve",
    "load_curve_kernel",
    "rack_power",
    "rack_power_kernel",
]

LOAD_CURVES = {
    "linear": physics.load_fraction_linear,
    "fan_barroso": physics.load_fraction_fan_barroso,
    "table": physics.load_fraction_table,
}

#: Racks summed in the working precision before adding to the float64 total
#: in :func:`facility_power_kernel`: keeps the SIMD width of float32 while the
#: float64 sum bounds the rounding error.
SUM_BLOCK = 64


#: The load curve of a kernel: bound to one of :data:`LOAD_CURVES` when the
#: loops below are compiled (:func:`powermodel.backends._codegen.kernel`).
load_fraction = None


def _load_curve_loop(utilization, power_idle, power_max, exponent, table, out):
    rows, racks = utilization.shape
    for i in prange(rows):
        for j in range(racks):
            g = load_fraction(utilization[i, j], exponent, table)
            out[i, j] = server_power(power_idle[j], power_max[j], g)


def load_curve_kernel(curve: str, precision: str):
    """Kernel ``(utilization, power_idle, power_max, exponent, table, out)``.

    ``out[i, j] = server_power(...)`` [W] for utilisation ``(rows, racks)``.
    """
    return kernel(
        f"load_curve_{curve}", _load_curve_loop, "cpu", precision,
        load_fraction=LOAD_CURVES[curve],
    )  # fmt: skip


def _rack_power_loop(
    utilization, power_idle, power_max, power_cap, exponent, table, chain, ups_rated,
    power_it, power_fan, loss_psu, loss_ups, power_total,
):  # fmt: skip
    servers, fan_max, fan_min, psu_rated, p0, p1, p2, u0, u1, u2, dist = chain
    rows, racks = utilization.shape
    for i in prange(rows):
        for j in range(racks):
            g = load_fraction(utilization[i, j], exponent, table)
            p = server_power(power_idle[j], power_max[j], g)
            it, fan, psu, ups, total = rack_power_chain(
                p, power_idle[j], power_max[j], servers, power_cap[j], fan_max, fan_min,
                psu_rated, p0, p1, p2, ups_rated[j], u0, u1, u2, dist,
            )  # fmt: skip
            power_it[i, j] = it
            power_fan[i, j] = fan
            loss_psu[i, j] = psu
            loss_ups[i, j] = ups
            power_total[i, j] = total


def rack_power_kernel(curve: str, precision: str):
    """Kernel writing the five breakdown arrays ``(rows, racks)`` [W].

    Signature ``(utilization, power_idle, power_max, power_cap, exponent,
    table, chain, ups_rated, power_it, power_fan, loss_psu, loss_ups,
    power_total)``; ``chain`` is the tuple of chain scalars in the order of
    :func:`powermodel.kernels.rack.rack_power_chain` (``servers`` ...
    ``distribution_loss`` without ``power_cap`` and ``ups_rated``).
    """
    return kernel(
        f"rack_power_{curve}", _rack_power_loop, "cpu", precision,
        load_fraction=LOAD_CURVES[curve],
    )  # fmt: skip


def _facility_power_loop(
    utilization, power_idle, power_max, power_cap, exponent, table, chain, ups_rated, out
):
    servers, fan_max, fan_min, psu_rated, p0, p1, p2, u0, u1, u2, dist = chain
    rows, racks = utilization.shape
    zero = real(0)
    for i in prange(rows):
        sum_it = 0.0
        sum_fan = 0.0
        sum_psu = 0.0
        sum_ups = 0.0
        sum_total = 0.0
        for start in range(0, racks, SUM_BLOCK):
            b_it = zero
            b_fan = zero
            b_psu = zero
            b_ups = zero
            b_total = zero
            for j in range(start, min(start + SUM_BLOCK, racks)):
                g = load_fraction(utilization[i, j], exponent, table)
                p = server_power(power_idle[j], power_max[j], g)
                it, fan, psu, ups, total = rack_power_chain(
                    p, power_idle[j], power_max[j], servers, power_cap[j], fan_max, fan_min,
                    psu_rated, p0, p1, p2, ups_rated[j], u0, u1, u2, dist,
                )  # fmt: skip
                b_it += it
                b_fan += fan
                b_psu += psu
                b_ups += ups
                b_total += total
            sum_it += b_it
            sum_fan += b_fan
            sum_psu += b_psu
            sum_ups += b_ups
            sum_total += b_total
        out[i, 0] = sum_it
        out[i, 1] = sum_fan
        out[i, 2] = sum_psu
        out[i, 3] = sum_ups
        out[i, 4] = sum_total


def facility_power_kernel(curve: str, precision: str):
    """Kernel summing the breakdown over racks: ``out (rows, 5)`` float64 [W].

    Same inputs as :func:`rack_power_kernel`; the five columns of ``out`` are
    ``power_it, power_fan, loss_psu, loss_ups, power_total``. No
    ``(rows, racks)`` array is ever written.
    """
    return kernel(
        f"facility_power_{curve}", _facility_power_loop, "cpu", precision,
        load_fraction=LOAD_CURVES[curve],
    )  # fmt: skip


def _precision(array) -> str:
    return np.dtype(array.dtype).name


def load_curve(utilization, power_idle, power_max, curve, exponent, table, out):
    """Run the load-curve kernel into ``out`` (rows, racks)."""
    load_curve_kernel(curve, _precision(utilization))(
        utilization, power_idle, power_max, exponent, table, out
    )
    return out


def rack_power(utilization, power_idle, power_max, power_cap, curve, exponent, table, chain,
               ups_rated, outs):  # fmt: skip
    """Run the rack-power kernel writing the five arrays of ``outs``."""
    rack_power_kernel(curve, _precision(utilization))(
        utilization, power_idle, power_max, power_cap, exponent, table, chain, ups_rated, *outs
    )
    return outs


def facility_power(utilization, power_idle, power_max, power_cap, curve, exponent, table, chain,
                   ups_rated, out):  # fmt: skip
    """Run the facility-sum kernel writing ``out`` (rows, 5) float64."""
    facility_power_kernel(curve, _precision(utilization))(
        utilization, power_idle, power_max, power_cap, exponent, table, chain, ups_rated, out
    )
    return out
