"""The hydro rules against the perfect-foresight LP on a NO2-like year.

``python -m benchmarks.market [--scenarios 10] [--train 60]``

The reference case (own construction, seeded): NO2's reservoirs (32,725 GWh,
NVE magasinstatistikk), 12 GW of turbines, dead storage 5 %, no minimum
release (the LP does not impose one); synthetic NO2 inflow (``inflow.synthetic``,
seed 3); a net demand equal to the mean inflow, 25 % higher in winter; a
neighbours' price of 45 EUR MWh-1 with a +-20 seasonal and a +-8 daily
cosine times hourly lognormal noise (sigma 0.25); 2 GW of imports, 3 GW of
exports; start at 60 % filling; the water left at the end valued at the
mean price. The water-value table comes from ``--train`` scenarios, the
rules and the LP run on ``--scenarios`` others (out of sample).

Reports per rule: the net trade cost (``powermodel.optimal.net_trade_cost``)
and its gap to the LP (absolute, and relative to the LP's |cost|; the
relative gap is ill-conditioned where the LP's cost is near zero, so both
are given), spill, shed energy, minimum filling, and the speed: ns per
scenario-hour for the rules (1,000 scenarios, median of 3) and seconds per
scenario for the LP (HiGHS). The CPU model is printed with the table.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import xarray as xr

from benchmarks.site import cpu_model
from powermodel import hydro, inflow, optimal, water

CAPACITY = 32.7e3 * 3.6e12
DAM = hydro.Reservoir(capacity=CAPACITY, release_max=12e9, release_min=0.0,
                      storage_min=0.05 * CAPACITY)  # fmt: skip
LIMITS = {"import_limit": 2e9, "export_limit": 3e9}
SCARCITY = water.SCARCITY_PRICE


def reference_case(scenarios: int, seed: int = 3):
    """Inflow, net demand and price (time, scenario) of the reference year."""
    q = inflow.synthetic("NO2", periods=8760, scenarios=scenarios, seed=seed)
    times = q.time.to_index()
    day, hour = times.day_of_year.to_numpy(), times.hour.to_numpy()
    shape = 45 + 20 * np.cos(2 * np.pi * (day - 15) / 365.25) + 8 * np.cos(
        2 * np.pi * (hour - 18) / 24)  # fmt: skip
    noise = np.random.default_rng(seed).lognormal(0.0, 0.25, q.shape)

    def frame(values):
        return xr.DataArray(values, dims=("time", "scenario"), coords={"time": times})

    seasonal = float(q.mean()) * (1 + 0.25 * np.cos(2 * np.pi * (day - 15) / 365.25))
    return (
        q,
        frame(np.broadcast_to(seasonal[:, None], q.shape).copy()),
        frame(shape[:, None] * noise),
    )


def _ns_per_scenario_hour(call, scenarios):
    call()
    times = []
    for _ in range(3):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) / (scenarios * 8760) * 1e9


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.market", description=__doc__)
    parser.add_argument("--scenarios", type=int, default=10)
    parser.add_argument("--train", type=int, default=60)
    args = parser.parse_args(argv)
    q, demand, price = reference_case(args.train + max(args.scenarios, 1000))
    train = slice(0, args.train)
    start = time.perf_counter()
    table = water.water_values(q.isel(scenario=train), demand.isel(scenario=train),
                               price.isel(scenario=train), DAM, **LIMITS)  # fmt: skip
    table_s = time.perf_counter() - start
    test = slice(args.train, args.train + args.scenarios)
    qt, dt, pt = (a.isel(scenario=test) for a in (q, demand, price))
    guide = inflow.guide_curve(qt.time.to_index())
    end_value = float(pt.mean())
    start = time.perf_counter()
    lp = optimal.optimal_dispatch(qt, dt, pt, DAM, scarcity_price=SCARCITY,
                                  end_value=end_value, initial_filling=0.6, **LIMITS)  # fmt: skip
    lp_s = (time.perf_counter() - start) / args.scenarios
    rules = {
        "LP (perfect foresight)": lp,
        "water values (SDP)": hydro.market_dispatch(qt, dt, pt, DAM, table,
                                                    initial_filling=0.6, **LIMITS),
        "guide curve": hydro.reservoir_dispatch(qt, dt, DAM, guide, initial_filling=0.6,
                                                **LIMITS),
    }  # fmt: skip
    many = slice(args.train, args.train + 1000)
    qm, dm, pm = (a.isel(scenario=many) for a in (q, demand, price))
    speed = {
        "LP (perfect foresight)": f"{lp_s:.2f} s per scenario",
        "water values (SDP)": "{:.1f} ns per scenario-hour".format(_ns_per_scenario_hour(
            lambda: hydro.market_dispatch(qm, dm, pm, DAM, table, initial_filling=0.6,
                                          backend="numba", **LIMITS), 1000)),
        "guide curve": "{:.1f} ns per scenario-hour".format(_ns_per_scenario_hour(
            lambda: hydro.reservoir_dispatch(qm, dm, DAM, guide, initial_filling=0.6,
                                             backend="numba", **LIMITS), 1000)),
    }  # fmt: skip
    counted = dict(scarcity_price=SCARCITY, end_value=end_value, initial_storage=0.6 * CAPACITY)
    best = optimal.net_trade_cost(lp, pt, **counted)
    print(f"CPU: {cpu_model()}; {args.scenarios} scenarios out of sample, table from "
          f"{args.train} ({table_s:.1f} s, 51 points)")  # fmt: skip
    print("\n| rule | net trade cost MEUR (mean) | gap MEUR (median, max) | relative gap "
          "(median) | within 10 % | spill TWh | shed GWh | min filling | speed |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, out in rules.items():
        cost = optimal.net_trade_cost(out, pt, **counted)
        gap = (cost - best).values / 1e6
        relative = gap * 1e6 / np.abs(best.values)
        spill = float(out.spill.sum("time").mean()) * 3600 / 3.6e15
        shed = float(out.shortfall.sum("time").mean()) * 3600 / 3.6e12
        print(f"| {name} | {float(cost.mean()) / 1e6:.1f} | {np.median(gap):.1f}, "
              f"{gap.max():.1f} | {np.median(relative):.3f} | "
              f"{int((relative <= 0.10).sum())}/{relative.size} | {spill:.3f} | {shed:.2f} | "
              f"{float(out.filling.min()):.3f} | {speed[name]} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
