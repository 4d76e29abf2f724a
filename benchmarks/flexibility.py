"""Shiftable load (``powermodel.flexibility.shift``) against its LP and a numpy sort.

``python -m benchmarks.flexibility [--scenarios 100,1000] [--lp-scenarios 2]``

A year hourly per scenario, daily deadline windows, 30 % deferrable, random
loads (2-10 MW), signals and room (1-2x the load). Reports, after a
warm-up call, the median seconds per scenario-year of:

- the compiled scheduler (numba, threshold bisection, float64 and float32);
- the numpy reference (a stable argsort per window and scenario), the
  naive version of the same maths;
- the exact LP (linopy + HiGHS, one model per scenario), with the largest
  relative difference of the placed cost between the LP and the scheduler;

and the memory traffic floor: the kernel reads 3 and writes 1 array of
(time, scenario), so ``4 x itemsize`` bytes per step at the machine's copy
bandwidth measured in the same run is the fastest any one-pass kernel could
be. The bisection reads each window ~60 times (from cache), so the kernel is
compute-bound; the ratio says by how much. The CPU model is printed with
the table.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
import xarray as xr

from benchmarks.harness import cpu_bandwidth
from benchmarks.site import cpu_model
from benchmarks.water import _seconds
from powermodel import flexibility
from powermodel.backends import numpy_flexibility
from powermodel.backends.physics import ShiftParameters

SHARE = 0.3
HOURS = 8760


def _inputs(scenarios, dtype, seed=1):
    rng = np.random.default_rng(seed)
    shape = (HOURS, scenarios)
    power = rng.uniform(2e6, 10e6, shape)
    upper = power * rng.uniform(1.0, 2.0, shape)
    weight = rng.uniform(-20.0, 300.0, shape)
    return [a.astype(dtype) for a in (power, upper, weight)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.flexibility",
                                     description=__doc__)  # fmt: skip
    parser.add_argument("--scenarios", default="100,1000")
    parser.add_argument("--lp-scenarios", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    times = pd.date_range("2026-01-01", periods=HOURS, freq="1h")
    bounds = flexibility.window_bounds(times, 24.0)
    bandwidth = cpu_bandwidth(1 << 28)["bandwidth_gbytes_per_second"]
    print(f"CPU: {cpu_model()}; copy bandwidth {bandwidth:.1f} GB/s (same run)\n")
    print("| scenarios | dtype | scheduler s/scen-yr | floor s/scen-yr | x floor | "
          "numpy s/scen-yr | numpy / scheduler |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    p = ShiftParameters(SHARE, 3600.0, flexibility.ITERATIONS)
    fast = {}
    for scenarios in (int(s) for s in args.scenarios.split(",")):
        for dtype in (np.float64, np.float32):
            arrays = _inputs(scenarios, dtype)
            seconds = _seconds(
                lambda a=arrays: flexibility.shift_arrays(
                    *a, bounds, deferrable_share=SHARE, dt=3600.0, backend="numba"
                ),
                args.repeats,
            )
            per = seconds / scenarios
            fast[(scenarios, np.dtype(dtype).name)] = per
            floor = 4 * np.dtype(dtype).itemsize * HOURS / (bandwidth * 1e9)
            numpy_cell = ratio = "-"
            if scenarios <= 100:
                host = [a.astype(np.float64) for a in arrays]
                slow = _seconds(lambda h=host: numpy_flexibility.shift_deferrable(p, bounds, *h),
                                1) / scenarios  # fmt: skip
                numpy_cell, ratio = f"{slow:.2e}", f"{slow / per:.0f}"
            print(f"| {scenarios} | {np.dtype(dtype).name} | {per:.2e} | {floor:.2e} | "
                  f"{per / floor:.0f} | {numpy_cell} | {ratio} |")  # fmt: skip
    # the LP, one scenario-year at a time
    from powermodel.optimal import optimal_shift

    power, upper, weight = _inputs(args.lp_scenarios, np.float64, seed=2)
    dims = ("time", "scenario")
    coords = {"time": times, "scenario": np.arange(args.lp_scenarios)}
    da = [xr.DataArray(a, dims=dims, coords=coords) for a in (power, upper, weight)]
    start = time.perf_counter()
    exact = optimal_shift(da[0], da[2], da[1], deferrable_share=SHARE)
    lp = (time.perf_counter() - start) / args.lp_scenarios
    ours = flexibility.shift_arrays(power, upper, weight, bounds, deferrable_share=SHARE,
                                    dt=3600.0, backend="numba")  # fmt: skip
    placed = ((ours - (1 - SHARE) * power) * weight * 3600.0).sum(axis=0)
    gap = np.abs(placed / exact["objective"].values - 1).max()
    best = min(fast.values())
    print(f"\nLP (linopy + HiGHS): {lp:.2f} s per scenario-year; scheduler/LP placed-cost "
          f"difference {gap:.1e} (relative); LP / scheduler time: {lp / best:,.0f}x")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
