"""Benchmarks of the reservoir scans (ns per scenario-hour).

- ``reservoir_scan``: a given release schedule (read inflow and release,
  write storage, release, spill, generation) on the (time, scenario) layout the library
  uses (blocks of scenarios per task, time outer, scenarios inner);
- ``reservoir_scan_scenario_major``: the same physics on a (scenario, time)
  layout, one scenario per parallel iteration: the layout comparison;
- ``reservoir_dispatch``: the guide-curve dispatch rule (read inflow and
  demand, write eight outputs).

The numpy baseline is the numpy reference backend: a Python loop over time,
vectorised over scenarios.
"""

from __future__ import annotations

import functools

import numba
import numpy as np
from numba import prange

from benchmarks.harness import kernel_record, log_line, time_call
from powermodel import hydro
from powermodel.backends import numpy_hydro
from powermodel.backends._codegen import CPU_JIT_OPTIONS, compile_physics
from powermodel.kernels import hydro as physics

__all__ = ["run"]

RESERVOIR = hydro.Reservoir(
    capacity=3.6e12 * 5000, release_min=1e8, release_max=3e9, storage_min=1e14
)


@functools.cache
def _scenario_major():
    step = compile_physics(physics.reservoir_step, "cpu", "float64")
    generation = compile_physics(physics.generation, "cpu", "float64")

    @numba.njit(parallel=True, **CPU_JIT_OPTIONS)
    def kernel(p, initial, inflow, release_wanted, out):
        scenarios, times = inflow.shape
        for j in prange(scenarios):
            state = initial[j]
            for t in range(times):
                start = state
                state, release, spill = step(
                    p, start, np.float64(inflow[j, t]), np.float64(release_wanted[j, t])
                )
                out[0, j, t] = state
                out[1, j, t] = release
                out[2, j, t] = spill
                out[3, j, t] = generation(p, start, release)

    return kernel


def run(backend, shapes, dtypes, bandwidth_gbs, repeats, numpy_max_elements, log=print):
    """Time the scans for each (scenarios, hours) shape; records as :func:`benchmarks.rack.run`."""
    if backend == "numba":
        from powermodel.backends import numba_hydro as module

        xp, synchronize = np, None
    else:
        import cupy as xp

        from powermodel.backends import cuda_hydro as module

        synchronize = xp.cuda.Device().synchronize
    p = RESERVOIR.packed(3600.0, guide_gain=2.0, import_limit=1e9, export_limit=1e9)
    records = []
    for dtype in map(np.dtype, dtypes):
        for scenarios, hours in shapes:
            rng = np.random.default_rng(0)
            q = (rng.gamma(2.0, 0.5e9, (hours, scenarios))).astype(dtype)
            r = (rng.gamma(2.0, 0.5e9, (hours, scenarios))).astype(dtype)
            guide = np.full(hours, 0.5, dtype)
            initial = np.full(scenarios, 0.5 * RESERVOIR.capacity)
            elements = hours * scenarios
            numpy_seconds = {}
            if elements <= numpy_max_elements:
                numpy_seconds["reservoir_scan"], _ = time_call(
                    functools.partial(numpy_hydro.reservoir_schedule, p, initial, q, r), 1
                )
                numpy_seconds["reservoir_dispatch"], _ = time_call(
                    functools.partial(numpy_hydro.reservoir_dispatch, p, initial, q, r, guide), 1
                )
                numpy_seconds["reservoir_scan_scenario_major"] = numpy_seconds["reservoir_scan"]
            dq, dr, dg = (xp.asarray(a) for a in (q, r, guide))
            dp, di = p, xp.asarray(initial)  # the record passes by value
            out4 = xp.empty((4, hours, scenarios), dtype)
            out8 = xp.empty((8, hours, scenarios), dtype)
            calls = {
                "reservoir_scan": (
                    functools.partial(module.reservoir_schedule, dp, di, dq, dr, out4),
                    6,
                ),
                "reservoir_dispatch": (
                    functools.partial(module.reservoir_dispatch, dp, di, dq, dr, dg, out8),
                    10,
                ),
            }
            if backend == "numba":
                qt, rt = np.ascontiguousarray(q.T), np.ascontiguousarray(r.T)
                out4_t = np.empty((4, scenarios, hours), dtype)
                calls["reservoir_scan_scenario_major"] = (
                    functools.partial(_scenario_major(), p, initial, qt, rt, out4_t),
                    6,
                )
            for name, (call, values) in calls.items():
                timing = time_call(call, repeats, synchronize)
                base = numpy_seconds.get(name)
                record = kernel_record(
                    name, backend, dtype, [scenarios, hours], elements, values * dtype.itemsize,
                    timing, bandwidth_gbs, repeats,
                    None if base is None else elements / base,
                    None if base is None else [scenarios, hours],
                    notes="element = scenario-hour; state float64",
                    extra={"ns_per_scenario_hour": timing[0] / elements * 1e9},
                )  # fmt: skip
                records.append(record)
                log(f"{log_line(record, 30)} ({timing[0] / elements * 1e9:.2f} ns/scenario-hour)")
    return records
