"""Rack power on the GPU: numba CUDA kernels launched on cupy arrays.

The same scalar physics as the CPU kernels (:mod:`powermodel.kernels.rack`,
compiled as CUDA device functions). Element kernels use a 2-D grid: x over
racks, so that neighbouring threads touch neighbouring addresses
(coalesced), and a grid-stride loop over rows in y (the grid's y size is
limited to 65,535). The facility kernel gives each row to one block, which
sums over racks in float64 in shared memory. Under numba's CUDA simulator
the kernels run on numpy arrays, slowly: keep sizes small there.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import cuda

from powermodel.backends._codegen import kernel
from powermodel.backends.numba_rack import LOAD_CURVES
from powermodel.kernels.rack import rack_power_chain, server_power

__all__ = ["facility_power", "load_curve", "rack_power"]

#: The load curve of a kernel, bound per kernel (see numba_rack).
load_fraction = None

THREADS_X = 128  # threads per block along racks
MAX_GRID_Y = 65_535
FACILITY_THREADS = 128  # threads per block summing one row


def _grid(rows: int, racks: int):
    # at least one block each way: a grid of size 0 is an invalid launch (empty inputs)
    blocks_x = max(1, (racks + THREADS_X - 1) // THREADS_X)
    return (blocks_x, max(1, min(rows, MAX_GRID_Y))), (THREADS_X, 1)


def _load_curve_loop(utilization, power_idle, power_max, exponent, table, out):
    rows, racks = utilization.shape
    j = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    if j >= racks:
        return
    idle = power_idle[j]
    peak = power_max[j]
    for i in range(cuda.blockIdx.y, rows, cuda.gridDim.y):
        g = load_fraction(utilization[i, j], exponent, table)
        out[i, j] = server_power(idle, peak, g)


def _load_curve_kernel(curve: str, precision: str):
    return kernel(
        "cuda_load_curve_" + curve, _load_curve_loop, "cuda", precision,
        load_fraction=LOAD_CURVES[curve],
    )  # fmt: skip


def _rack_power_loop(
    utilization, power_idle, power_max, power_cap, exponent, table, chain, ups_rated,
    power_it, power_fan, loss_psu, loss_ups, power_total,
):  # fmt: skip
    servers, fan_max, fan_min, psu_rated, p0, p1, p2, u0, u1, u2, dist = chain
    rows, racks = utilization.shape
    j = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    if j >= racks:
        return
    for i in range(cuda.blockIdx.y, rows, cuda.gridDim.y):
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


def _rack_power_kernel(curve: str, precision: str):
    return kernel(
        "cuda_rack_power_" + curve, _rack_power_loop, "cuda", precision,
        load_fraction=LOAD_CURVES[curve],
    )  # fmt: skip


def _facility_power_loop(
    utilization, power_idle, power_max, power_cap, exponent, table, chain, ups_rated, out
):
    servers, fan_max, fan_min, psu_rated, p0, p1, p2, u0, u1, u2, dist = chain
    rows, racks = utilization.shape
    partial = cuda.shared.array(shape=(5, FACILITY_THREADS), dtype=numba.float64)
    t = cuda.threadIdx.x
    for i in range(cuda.blockIdx.x, rows, cuda.gridDim.x):
        s_it = 0.0
        s_fan = 0.0
        s_psu = 0.0
        s_ups = 0.0
        s_total = 0.0
        for j in range(t, racks, FACILITY_THREADS):
            g = load_fraction(utilization[i, j], exponent, table)
            p = server_power(power_idle[j], power_max[j], g)
            it, fan, psu, ups, total = rack_power_chain(
                p, power_idle[j], power_max[j], servers, power_cap[j], fan_max, fan_min,
                psu_rated, p0, p1, p2, ups_rated[j], u0, u1, u2, dist,
            )  # fmt: skip
            s_it += it
            s_fan += fan
            s_psu += psu
            s_ups += ups
            s_total += total
        partial[0, t] = s_it
        partial[1, t] = s_fan
        partial[2, t] = s_psu
        partial[3, t] = s_ups
        partial[4, t] = s_total
        cuda.syncthreads()
        stride = FACILITY_THREADS // 2
        while stride > 0:
            if t < stride:
                for c in range(5):
                    partial[c, t] += partial[c, t + stride]
            cuda.syncthreads()
            stride //= 2
        if t < 5:
            out[i, t] = partial[t, 0]
        cuda.syncthreads()


def _facility_power_kernel(curve: str, precision: str):
    return kernel(
        "cuda_facility_power_" + curve, _facility_power_loop, "cuda", precision,
        load_fraction=LOAD_CURVES[curve],
    )  # fmt: skip


def _precision(array) -> str:
    return np.dtype(array.dtype).name


def load_curve(utilization, power_idle, power_max, curve, exponent, table, out):
    """Launch the load-curve kernel; all arrays on the device (or numpy under the simulator)."""
    rows, racks = utilization.shape
    compiled = _load_curve_kernel(curve, _precision(utilization))
    blocks, threads = _grid(rows, racks)
    compiled[blocks, threads](utilization, power_idle, power_max, exponent, table, out)
    return out


def rack_power(utilization, power_idle, power_max, power_cap, curve, exponent, table, chain,
               ups_rated, outs):  # fmt: skip
    """Launch the rack-power kernel writing the five arrays of ``outs``."""
    rows, racks = utilization.shape
    compiled = _rack_power_kernel(curve, _precision(utilization))
    blocks, threads = _grid(rows, racks)
    compiled[blocks, threads](
        utilization, power_idle, power_max, power_cap, exponent, table, chain, ups_rated, *outs
    )
    return outs


def facility_power(utilization, power_idle, power_max, power_cap, curve, exponent, table, chain,
                   ups_rated, out):  # fmt: skip
    """Launch the facility-sum kernel writing ``out`` (rows, 5) float64."""
    rows = utilization.shape[0]
    compiled = _facility_power_kernel(curve, _precision(utilization))
    blocks = max(1, min(rows, 65_535 * 16))
    compiled[blocks, FACILITY_THREADS](
        utilization, power_idle, power_max, power_cap, exponent, table, chain, ups_rated, out
    )
    return out
