"""Benchmarks of the rack power hot paths.

Kernels, each on (scenario x time) rows x 1000 racks of utilisation:

- ``fan_barroso``: the Fan et al. load curve alone (read u, write P).
- ``rack_power``: the whole chain with its five-way breakdown (read u,
  write five arrays).
- ``facility_power``: the chain summed over racks inside the kernel (read
  u, write five numbers per row).

The numpy baselines are the naive array versions of the same maths: the
Fan curve as one numpy expression in the input dtype, and the chain and
its rack sum as the numpy reference backend (float64 throughout).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from benchmarks.harness import kernel_record, log_line, time_call
from powermodel import catalog
from powermodel.backends import numpy_rack
from powermodel.rack import _chain_parameters

__all__ = ["run"]

RACKS = 1000
EXPONENT = 1.4


def _parameters(dtype):
    """Kernel arguments for racks of DGX H100 without a cap, as powermodel.rack builds them."""
    system = catalog.system("dgx-h100")
    template = xr.DataArray(np.zeros((1, RACKS)), dims=("time", "rack"))
    cap, ups_rated, scalars, reference = _chain_parameters(system, template, None, catalog.ups())
    idle = np.full(RACKS, system.power_idle, dtype)
    peak = np.full(RACKS, system.power_max, dtype)
    scalars = tuple(dtype.type(v) for v in scalars)
    return idle, peak, cap.astype(dtype), ups_rated.astype(dtype), scalars, reference


def _numpy_baselines(u, dtype):
    idle, peak, cap, _, _, reference = _parameters(dtype)
    r = dtype.type(EXPONENT)
    two = dtype.type(2.0)
    table = np.zeros(2)
    return {
        "fan_barroso": lambda: idle + (peak - idle) * (two * u - u**r),
        "rack_power": lambda: numpy_rack.rack_power(
            u, idle, peak, cap, "fan_barroso", EXPONENT, table, reference
        ),
        "facility_power": lambda: numpy_rack.facility_power(
            u, idle, peak, cap, "fan_barroso", EXPONENT, table, reference
        ),
    }


def _kernel_calls(module, xp, u, dtype):
    idle, peak, cap, ups_rated, scalars, _ = _parameters(dtype)
    idle, peak, cap, ups_rated = (xp.asarray(a) for a in (idle, peak, cap, ups_rated))
    table = xp.zeros(2, dtype)
    r = dtype.type(EXPONENT)
    out = xp.empty_like(u)
    outs = [xp.empty_like(u) for _ in range(5)]
    totals = xp.empty((u.shape[0], 5), np.float64)
    args = (u, idle, peak, cap, "fan_barroso", r, table, scalars, ups_rated)
    calls = {
        "fan_barroso": lambda: module.load_curve(u, idle, peak, "fan_barroso", r, table, out),
        "rack_power": lambda: module.rack_power(*args, outs),
        "facility_power": lambda: module.facility_power(*args, totals),
    }
    bytes_per_element = {"fan_barroso": 2.0, "rack_power": 6.0, "facility_power": 1.0}
    return calls, {k: v * dtype.itemsize for k, v in bytes_per_element.items()}


def run(backend, shapes, dtypes, bandwidth_gbs, repeats, numpy_max_elements, log=print):
    """Time the rack kernels on ``backend`` for each (scenarios, hours) shape.

    Parameters
    ----------
    backend : {"numba", "cupy"}
    shapes : list of (scenarios, hours)
    dtypes : list of numpy dtypes
    bandwidth_gbs : float
        The measured memory bandwidth of the device the kernels run on.
    repeats : int
        Timed calls per kernel (the median is reported).
    numpy_max_elements : int
        Largest input the numpy baselines run on; above it the speed-up
        uses the numpy rate measured on the largest shape that fit.

    Returns
    -------
    list of Record
    """
    if backend == "numba":
        from powermodel.backends import numba_rack as module

        xp, synchronize = np, None
    else:
        import cupy as xp

        from powermodel.backends import cuda_rack as module

        synchronize = xp.cuda.Device().synchronize

    records = []
    numpy_rates = {}
    for dtype in map(np.dtype, dtypes):
        for scenarios, hours in shapes:
            rows = scenarios * hours
            shape = [scenarios, hours, RACKS]
            if xp is np:
                u = np.random.default_rng(0).random((rows, RACKS), dtype=np.float32)
                u = u.astype(dtype, copy=False)
            else:
                u = xp.random.default_rng(0).random((rows, RACKS), dtype=np.float32).astype(dtype)
            elements = u.size
            baselines = {}
            if elements <= numpy_max_elements:
                host = u if xp is np else u.get()
                for name, call in _numpy_baselines(host, dtype).items():
                    seconds, _ = time_call(call, max(1, repeats // 2))
                    baselines[name] = (elements / seconds, shape)
                    numpy_rates[(name, dtype.name)] = baselines[name]
            calls, nbytes = _kernel_calls(module, xp, u, dtype)
            for name, call in calls.items():
                numpy_rate, numpy_shape = baselines.get(name) or numpy_rates.get(
                    (name, dtype.name), (None, None)
                )
                record = kernel_record(
                    name, backend, dtype, shape, elements, nbytes[name],
                    time_call(call, repeats, synchronize), bandwidth_gbs, repeats,
                    numpy_rate, numpy_shape,
                )  # fmt: skip
                records.append(record)
                log(log_line(record))
            del u, calls
    return records
