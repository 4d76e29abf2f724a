"""Water values (``powermodel.water.water_values``): speed, grid convergence, cycles.

``python -m benchmarks.water [--scenarios 100,1000] [--points 26,51,101] [--backend numba]``

On NO2's synthetic inflow (a year hourly, 52 weekly stages), a reservoir of
NO2's size (32,725 GWh, 12 GW of turbines), a flat 40 EUR MWh-1 price, 2 GW
of imports and 3 GW of exports. Reports, after a warm-up call:

- the median seconds of the whole call (weekly aggregation, recursion,
  slopes) and of the numpy reference for the smaller sizes, and ns per
  (stage, point, scenario) evaluation of the best release (``points + 5``
  candidates each);
- convergence in the grid: the largest difference of the value table and
  of the water values at the 11 common fillings from a 201-point table;
- convergence in the cycles: the largest change of the water values from
  one pass to the next.

The recursion reads 3 x 8 bytes per (stage, scenario) and is compute-bound
(each input is read ``points`` times per pass), so no bandwidth floor is
quoted. The CPU model (``lscpu``) is printed with the tables.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from benchmarks.site import cpu_model
from powermodel import hydro, inflow, water

CAPACITY = 32.7e3 * 3.6e12
DAM = hydro.Reservoir(capacity=CAPACITY, release_max=12e9, release_min=1e9,
                      storage_min=0.05 * CAPACITY)  # fmt: skip
LIMITS = {"import_limit": 2e9, "export_limit": 3e9}


def _seconds(call, repeats):
    call()  # warm-up (compiles or loads the kernel)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.water", description=__doc__)
    parser.add_argument("--scenarios", default="100,1000")
    parser.add_argument("--points", default="26,51,101")
    parser.add_argument("--backend", default="numba")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.scenarios.split(",")]
    grids = [int(n) for n in args.points.split(",")]
    q = inflow.synthetic("NO2", periods=8760, scenarios=max(counts), seed=1)
    demand = float(q.mean())
    print(f"CPU: {cpu_model()}; backend {args.backend}; 52 weeks, 3 cycles")
    print("\n| scenarios | points | s | ns per evaluation | numpy s | numpy / ours |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in counts:
        sub = q.isel(scenario=slice(0, n))
        for points in grids:

            def call(backend, sub=sub, points=points):
                return water.water_values(sub, demand, 40.0, DAM, points=points,
                                          backend=backend, **LIMITS)  # fmt: skip

            ours = _seconds(lambda: call(args.backend), args.repeats)
            evaluations = 52 * 3 * points * n
            ref = " | "
            if n * points <= 100 * 51:  # the numpy loop takes ~10 s at 1,000 x 51
                ref_s = _seconds(lambda: call("numpy"), 1)
                ref = f"{ref_s:.2f} | {ref_s / ours:.1f}x"
            print(f"| {n} | {points} | {ours:.3f} | {ours / evaluations * 1e9:.1f} | {ref} |")
    sub = q.isel(scenario=slice(0, min(counts)))
    fine = water.water_values(sub, demand, 40.0, DAM, points=201, backend=args.backend, **LIMITS)
    common = np.linspace(0.0, 1.0, 11)
    print(f"\nGrid convergence ({min(counts)} scenarios; differences from 201 points at 11 "
          "fillings):")  # fmt: skip
    print("\n| points | max abs value difference [EUR] | of the value range | max abs water-value "
          "difference [EUR MWh-1] | median |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|")
    span = float(fine.value.max() - fine.value.min())
    for points in (11, 21, 51, 101):
        table = water.water_values(sub, demand, 40.0, DAM, points=points, backend=args.backend,
                                   **LIMITS)  # fmt: skip
        dv = abs(table.value.sel(filling=common, method="nearest").values
                 - fine.value.sel(filling=common, method="nearest").values)  # fmt: skip
        dw = abs(table.water_value.sel(filling=common, method="nearest").values
                 - fine.water_value.sel(filling=common, method="nearest").values)  # fmt: skip
        print(
            f"| {points} | {float(dv.max()):.3g} | {float(dv.max()) / span:.2e} | "
            f"{float(dw.max()):.3g} | {float(np.median(dw)):.3g} |"
        )
    print("\nCycle convergence (51 points): largest change of the water values from the "
          "previous pass [EUR MWh-1]:")  # fmt: skip
    previous = None
    for cycles in (1, 2, 3, 4, 5):
        table = water.water_values(sub, demand, 40.0, DAM, points=51, cycles=cycles,
                                   backend=args.backend, **LIMITS)  # fmt: skip
        if previous is not None:
            change = float(abs(table.water_value - previous).max())
            print(f"- {cycles - 1} -> {cycles}: {change:.3g}")
        previous = table.water_value
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
