"""The ``powermodel`` command.

``powermodel demo`` computes a year of hourly rack power for a default GPU
hall (12 MW of GB200 NVL72 racks, the first phase of the Tørdal site) under
a synthetic mixed training/inference load and prints a summary table.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import xarray as xr

from powermodel import catalog, rack
from powermodel.backends import BackendUnavailableError
from powermodel.timegrid import energy, time_grid

__all__ = ["demo_utilization", "main"]

HALL_CAPACITY_W = 12e6  # the first phase of the Tørdal hall


def demo_utilization(times, racks: int, seed: int = 0) -> xr.DataArray:
    """A synthetic, seeded utilisation of a GPU hall, float32 (time, rack).

    Two thirds of the racks run training (high, flat load with a daily
    checkpoint dip and occasional idle days between jobs), one third
    inference (a diurnal and weekly pattern with noise). For demonstration
    only: :mod:`powermodel.workload` will hold the documented generators.
    """
    rng = np.random.default_rng(seed)
    hours = np.asarray((times - times[0]) / np.timedelta64(1, "h"), np.float64)[:, None]
    local_hour = (hours + times[0].hour + 1.0) % 24.0  # CET
    day = np.floor(hours / 24.0)
    training = np.arange(racks) < (2 * racks) // 3

    busy = 0.92 + 0.04 * rng.standard_normal((len(times), racks))
    checkpoint = np.where(local_hour == 3.0, 0.35, 0.0)
    idle_day = rng.random((int(day.max()) + 1, racks)) < 0.05
    train = np.where(idle_day[day.astype(int)[:, 0]], 0.05, busy - checkpoint)

    weekly = np.where((day % 7.0) >= 5.0, 0.8, 1.0)
    diurnal = 0.55 + 0.3 * np.sin(2.0 * np.pi * (local_hour - 9.0) / 24.0)
    infer = diurnal * weekly + 0.05 * rng.standard_normal((len(times), racks))

    u = np.clip(np.where(training, train, infer), 0.0, 1.0).astype(np.float32)
    return xr.DataArray(
        u,
        dims=("time", "rack"),
        coords={"time": times, "rack": np.arange(racks)},
        attrs={"units": "1", "long_name": "utilisation of the IT equipment"},
    )


def _racks_for_capacity(system: catalog.System, capacity_w: float) -> int:
    full = xr.DataArray(np.ones((1, 1)), dims=("time", "rack"))
    per_rack = float(rack.power(full, system, backend="numpy")["power_total"][0, 0])
    return max(1, int(capacity_w // per_rack))


def _demo(args) -> int:
    system = catalog.system(args.system)
    racks = args.racks or _racks_for_capacity(system, HALL_CAPACITY_W)
    times = time_grid(args.start, periods=args.hours, freq=args.freq)
    utilization = demo_utilization(times, racks, seed=args.seed)
    started = time.perf_counter()
    result = rack.power(utilization, system, backend=args.backend)
    seconds = time.perf_counter() - started

    hall = result.sum("rack")
    energies = energy(hall)
    total_mwh = float(energies["power_total"]) / 3.6e9
    print(
        f"powermodel demo: {racks} x {system.name} racks, {len(times)} steps of {args.freq} "
        f"from {times[0]:%Y-%m-%d}, seed {args.seed}, backend {args.backend}"
    )
    print(f"mean utilisation {float(utilization.mean()):.3f}; computed in {seconds:.2f} s")
    print()
    print(f"{'component':<14}{'energy MWh':>12}{'share':>8}{'peak MW':>9}  description")
    for name in rack.BREAKDOWN:
        mwh = float(energies[name]) / 3.6e9
        peak = float(hall[name].max()) / 1e6
        description = result[name].attrs["long_name"]
        print(f"{name:<14}{mwh:>12,.0f}{mwh / total_mwh:>8.1%}{peak:>9.2f}  {description}")
    mean_mw = float(hall["power_total"].mean()) / 1e6
    peak_mw = float(hall["power_total"].max()) / 1e6
    losses_mwh = float(energies["loss_psu"] + energies["loss_ups"]) / 3.6e9
    print()
    print(
        f"mean {mean_mw:.2f} MW, load factor {mean_mw / peak_mw:.2f}, "
        f"losses (PSU + UPS) {losses_mwh:,.0f} MWh"
    )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="powermodel", description="Electricity and heat of AI data centers."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="a year of hourly rack power for a default GPU hall")
    demo.add_argument("--system", default="gb200-nvl72", choices=catalog.systems())
    demo.add_argument("--racks", type=int, default=None, help="default: fill 12 MW at full load")
    demo.add_argument("--start", default="2025-01-01")
    demo.add_argument("--hours", type=int, default=8760, help="number of time steps")
    demo.add_argument("--freq", default="1h", help="time step, e.g. 1h or 15min")
    demo.add_argument("--seed", type=int, default=0)
    demo.add_argument("--backend", default="auto", choices=["auto", "numpy", "numba", "cupy"])
    return parser


def main(argv=None) -> int:
    """Entry point of the ``powermodel`` command; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "demo":
            return _demo(args)
    except (ValueError, KeyError, TypeError, BackendUnavailableError) as error:
        print(f"powermodel: error: {error}", file=sys.stderr)
        return 2
    return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
