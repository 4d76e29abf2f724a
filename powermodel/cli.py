"""The ``powermodel`` command.

``powermodel simulate`` runs a whole site (default: the built-in ``dra01``,
the Tørdal hall) over Monte Carlo scenarios, prints a summary table and can
write the full results (NetCDF or Zarr) and a figure. ``powermodel site``
lists and prints the built-in site files; ``powermodel capacity`` searches
the largest fleet each grid phase can serve; ``powermodel report`` writes one
self-contained HTML page of a run or of saved results (the summary, the EU
Energy Efficiency Directive indicators, hourly 24/7 matching). ``powermodel demo`` computes a
year of hourly rack power for a default GPU hall (12 MW of GB200 NVL72
racks) under the default workload mix (:mod:`powermodel.workload`) and prints a
summary table.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import pandas as pd

from powermodel import catalog, rack, workload
from powermodel.backends import BackendUnavailableError
from powermodel.flexibility import SIGNALS
from powermodel.timegrid import energy, step_of, time_grid

__all__ = ["main"]

HALL_CAPACITY_W = 12e6  # the first phase of the Tørdal hall


def _whole(minimum: int):
    """An argparse type: an integer >= ``minimum``, refused with the value named."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be an integer, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be an integer >= {minimum}, got {value}")
        return value

    return parse


def _probability(text: str) -> float:
    """An argparse type: a probability in [0, 1]."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number in [0, 1], got {text!r}") from None
    if not 0.0 <= value <= 1.0:  # NaN fails too
        raise argparse.ArgumentTypeError(f"must be a number in [0, 1], got {text!r}")
    return value


def _steps(hours: int, freq: str, option: str = "--hours") -> int:
    """Time steps in ``hours`` hours of ``freq`` steps (``--hours 24 --freq 15min``: 96)."""
    try:
        step = step_of(freq)
    except ValueError as error:
        raise ValueError(f"--freq: {str(error).removeprefix('freq: ')}") from None
    steps = pd.Timedelta(hours=hours) / step
    if steps != int(steps) or steps < 1:
        raise ValueError(f"{option}: {hours} h is not a whole number of {freq} steps")
    return int(steps)


def _start(text):
    """``--start`` checked here, so that its error names it."""
    if text is None:
        return None
    try:
        return time_grid(text, periods=1)[0]
    except ValueError as error:
        raise ValueError(f"--start: {str(error).removeprefix('start: ')}") from None


def _racks_for_capacity(system: catalog.System, capacity_w: float) -> int:
    return max(1, int(capacity_w // rack.full_load_power(system)))


def _demo(args) -> int:
    system = catalog.system(args.system)
    racks = args.racks or _racks_for_capacity(system, HALL_CAPACITY_W)
    periods = _steps(args.hours, args.freq)
    start = _start(args.start)
    times = time_grid(start, periods=periods, freq=args.freq)
    # the site's default mix of training jobs and inference (powermodel.workload), one
    # scenario; groups of racks that move together, each computed once and weighted
    groups = workload.generate(
        racks=racks, start=start, periods=periods, freq=args.freq, seed=args.seed
    ).isel(scenario=0, drop=True)
    utilization = groups.rename(group="rack").drop_vars(["racks", "kind"])
    per_group = groups["racks"].rename(group="rack").drop_vars(["racks", "kind"])
    started = time.perf_counter()
    result = rack.power(utilization, system, backend=args.backend)
    seconds = time.perf_counter() - started

    hall = (result * per_group).sum("rack")
    energies = energy(hall)
    total_mwh = float(energies["power_total"]) / 3.6e9
    print(
        f"powermodel demo: {racks} x {system.name} racks, {len(times)} steps of {args.freq} "
        f"from {times[0]:%Y-%m-%d}, seed {args.seed}, backend {args.backend}"
    )
    mean_u = float((utilization * per_group).sum("rack").mean()) / racks
    print(f"mean utilisation {mean_u:.3f}; computed in {seconds:.2f} s")
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


def _cache(args) -> int:
    """``powermodel cache [info|clear]``: the kernel cache's place and size, or empty it."""
    from powermodel.backends import _codegen

    directory = _codegen.cache_dir()
    if directory is None:
        print("powermodel cache: no usable cache directory; kernels compile in memory")
        return 0
    files = [path for path in directory.rglob("*") if path.is_file()]
    modules = sum(1 for path in files if path.suffix == ".py")
    size = sum(path.stat().st_size for path in files)
    if args.action == "clear":
        removed = _codegen.clear_cache()
        print(f"powermodel cache: removed {removed} files ({size / 1e6:.1f} MB) from {directory}")
        return 0
    print(f"powermodel cache: {directory}")
    print(f"{modules} generated kernel modules, {len(files)} files, {size / 1e6:.1f} MB")
    print(f"set {_codegen.CACHE_ENV} to move it; `powermodel cache clear` empties it")
    return 0


def _scenario_table(result) -> list[str]:
    """Rows of the summary table: P50, P90 and P99 across scenarios."""
    from powermodel.simulate import risk

    figures = risk(result, quantiles=(0.5, 0.9, 0.99))
    currency = result.attrs.get("currency", "")
    basis = result.attrs.get("carbon_basis", "")
    from powermodel.report import SUMMARY_ROWS

    rows = [
        (label.format(basis=basis, currency=currency), name, factor, unit.format(currency=currency))
        for label, name, factor, unit in SUMMARY_ROWS
    ]
    if "cost_saved" in figures:
        rows += [
            ("shifted load: energy", "energy_shifted", 1 / 3.6e9, "MWh"),
            ("  deadlines held", "deadlines_held", 100.0, "%"),
            ("  cost saved", "cost_saved", 1e-6, f"M{currency}"),
            ("  CO2e saved, location", "emissions_saved_location", 1e-3, "t"),
            ("  CO2e saved, marginal", "emissions_saved_marginal", 1e-3, "t"),
        ]
    if "swing_limits_held" in figures:
        rows += [
            ("swing 0.1-1 Hz", "swing_band_low", 1e-6, "MW"),
            ("swing 1-20 Hz", "swing_band_high", 1e-6, "MW"),
            ("  swing limits held", "swing_limits_held", 100.0, "%"),
        ]
        if "swing_limits_held_mitigated" in figures:
            rows += [
                ("  mitigated 0.1-1 Hz", "swing_band_low_mitigated", 1e-6, "MW"),
                ("  mitigated, held", "swing_limits_held_mitigated", 100.0, "%"),
                ("  mitigation energy", "swing_mitigation_energy", 1 / 3.6e9, "MWh"),
            ]
    lines = [f"{'':<24}{'P50':>12}{'P90':>12}{'P99':>12}  unit"]
    for label, name, factor, unit in rows:
        values = figures[name].values * factor
        lines.append(f"{label:<24}" + "".join(f"{v:>12,.4g}" for v in values) + f"  {unit}")
    lines.append("")
    lines.append(
        f"loss-of-load probability {float(figures['loss_of_load_probability']):.1%} of scenarios; "
        f"expectation {float(figures['loss_of_load_expectation']):.1f} h"
    )
    if "missing_hours" in result:
        gaps = result["missing_hours"].values
        if (gaps > 0).any():
            lines.append(
                f"warning: {int((gaps > 0).sum())} of {gaps.size} scenarios have up to "
                f"{gaps.max():g} h with missing inputs (NaN, e.g. a gap in the weather file); "
                "their totals, and every figure above that they enter, are NaN"
            )
    return lines


def _check_figure_path(path, overwrite: bool) -> None:
    """Refuse before a long run: an existing figure (without --overwrite), a missing folder."""
    from pathlib import Path

    path = Path(path)
    if path.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise ValueError(f"--plot: {path} must end in .png, .pdf or .svg")
    if path.exists() and not overwrite:
        raise FileExistsError(f"--plot: {path} exists; pass --overwrite to replace it")
    if not path.parent.resolve().is_dir():
        raise FileNotFoundError(f"--plot: the folder {path.parent} does not exist")
    if not os.access(path.parent.resolve(), os.W_OK | os.X_OK):
        raise PermissionError(f"--plot: the folder {path.parent} is not writable")


def _with_flexibility(site, args):
    """The site with the command line's shiftable-load options over ``[workload.flexibility]``."""
    import dataclasses

    given = {
        "deferrable_share": args.deferrable_share,
        "signal": args.shift_signal,
        "window_hours": args.window_hours,
    }
    given = {key: value for key, value in given.items() if value is not None}
    if not given:
        return site
    options = {"deferrable_share": "--deferrable-share", "signal": "--shift-signal",
               "window_hours": "--window-hours"}  # fmt: skip
    old = site.workload.flexibility
    try:
        flex = dataclasses.replace(old, **given)
    except ValueError as error:
        key, _, message = str(error).partition(": ")
        raise ValueError(f"{options.get(key, key)}: {message}") from None
    if flex.signal == "water_value" and site.zone.rule != "water-values":
        raise ValueError('--shift-signal: "water_value" needs the site\'s [zone] rule = '
                         '"water-values"')  # fmt: skip
    work = dataclasses.replace(site.workload, flexibility=flex)
    return dataclasses.replace(site, workload=work)


def _simulate(args) -> int:
    from powermodel import runner, simulate
    from powermodel import site as sites

    name = args.site_file or args.site
    site = _with_flexibility(sites.load(name), args)
    periods = _steps(args.hours, args.freq)
    start = _start(args.start)
    if args.out:
        runner.check_writable(args.out, args.overwrite)
    if args.plot:
        _check_figure_path(args.plot, args.overwrite)
        if args.keep == "summaries":
            raise ValueError("--plot: the figure needs the hourly results; drop --keep summaries")
    keep = "hourly" if args.plot and args.keep == "auto" else args.keep
    client = args.dask
    started = time.perf_counter()
    result = simulate.simulate(
        site,
        args.scenarios,
        seed=args.seed,
        start=start,
        periods=periods,
        freq=args.freq,
        backend=args.backend,
        chunk_size=args.chunk_size,
        client=client,
        store=args.store,
        progress=args.progress,
        keep=keep,
    )
    seconds = time.perf_counter() - started
    times = result.indexes["time"]
    fleet = ", ".join(f"{e.racks} x {e.system} from {e.start}" for e in site.fleet)
    phases = ", ".join(f"{p.capacity_mw:g} MW from {p.start}" for p in site.grid.phases)
    print(
        f"powermodel simulate: site {site.location.name} ({site.zone.name}), "
        f"{result.sizes['scenario']} scenarios x {len(times)} steps from {times[0]:%Y-%m-%d}, "
        f"seed {args.seed}, {seconds:.1f} s"
    )
    print(f"fleet: {fleet}; grid: {phases}; cooling: {site.cooling.plant}")
    kept = result.attrs.get("kept", "hourly")
    where = f"; every chunk's hourly results are in {args.store}" if args.store else ""
    what = "hourly results and summaries" if kept == "hourly" else "per-scenario summaries"
    print(f"kept: {what}{where}")
    print()
    print("\n".join(_scenario_table(result)))
    if args.out:
        path = runner.write(result, args.out, overwrite=args.overwrite)
        print(f"results written to {path}")
    if args.plot:
        from powermodel import plots

        plots.summary_figure(result, args.plot)
        print(f"figure written to {args.plot}")
    return 0


def _site(args) -> int:
    from powermodel import site as sites

    if args.action == "list":
        for name in sites.builtin():
            print(name)
        return 0
    sys.stdout.write(sites.text(args.name))
    return 0


def _capacity(args) -> int:
    from powermodel import simulate
    from powermodel import site as sites

    site = sites.load(args.site_file or args.site)
    result = simulate.max_racks(
        site,
        args.system,
        probability=args.probability,
        scenarios=args.scenarios,
        seed=args.seed,
        periods=args.hours,
        backend=args.backend,
    )
    print(
        f"largest fleet of {args.system} racks per grid phase with P(any unserved hour) <= "
        f"{args.probability:g} ({args.scenarios} scenarios x {args.hours} h each)"
    )
    print(f"{'phase start':<14}{'capacity MW':>12}{'racks':>8}{'P(unserved)':>13}")
    for i in range(result.sizes["phase"]):
        row = result.isel(phase=i)
        print(
            f"{row.phase.values!s:<14}{float(row.capacity) / 1e6:>12.1f}"
            f"{int(row.racks):>8}{float(row.loss_of_load_probability):>13.1%}"
        )
    return 0


def _durations(text: str) -> tuple[float, ...]:
    """``--durations``: comma-separated hours, each > 0."""
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected hours like 1,2,4, got {text!r}") from None
    if not values or not all(0 < v < 1e4 for v in values):
        raise argparse.ArgumentTypeError(f"each duration must be in (0, 10000) h, got {text!r}")
    return values


def _battery(args) -> int:
    from powermodel import battery, simulate
    from powermodel import site as sites

    site = sites.load(args.site_file or args.site)
    periods = _steps(args.hours, args.freq)
    result = simulate.simulate(site, args.scenarios, seed=args.seed, start=_start(args.start),
                               periods=periods, freq=args.freq, backend=args.backend,
                               keep="hourly")  # fmt: skip
    demand = result["power_facility"] + result["power_heat_pump"]
    limit = simulate.available_capacity(site, result["filling"], args.seed)
    settings = site.battery.model()
    table = battery.size(demand, limit, probability=args.probability, durations=args.durations,
                         battery=settings, backend=args.backend)  # fmt: skip
    where = "the available capacity (conditional connection)" if site.grid.conditional else (
        "the contract")  # fmt: skip
    print(
        f"smallest battery per duration with P(any hour above {where}) <= {args.probability:g} "
        f"({args.scenarios} scenarios x {periods} steps from {result.indexes['time'][0]:%Y-%m-%d}"
        f"; round trip {settings.round_trip_efficiency:g})"
    )
    unmitigated = float(table["over_limit_probability_unmitigated"])
    print(f"without a battery: P(any hour above) = {unmitigated:.1%}")
    print(f"{'duration h':>10}{'power MW':>10}{'energy MWh':>12}{'P(above)':>10}")
    for i in range(table.sizes["duration"]):
        row = table.isel(duration=i)
        print(f"{float(row.duration):>10g}{float(row.battery_power_rating) / 1e6:>10.2f}"
              f"{float(row.battery_energy_rating) / 3.6e9:>12.2f}"
              f"{float(row.over_limit_probability):>10.1%}")  # fmt: skip
    return 0


def _report_result(args):
    """The result a report is made of: read from ``--from``, or simulated now."""
    import xarray as xr

    from powermodel import simulate
    from powermodel import site as sites

    if args.from_ is not None:
        from pathlib import Path

        if args.site_file is not None:
            raise ValueError("--from: give a site file or --from, not both")
        path = Path(args.from_)
        if not path.exists():
            raise FileNotFoundError(f"--from: {path} does not exist")
        try:
            if path.is_dir():
                return xr.open_zarr(path).load()
            return xr.load_dataset(path)
        except (OSError, ValueError) as error:
            first = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise ValueError(f"--from: {path} is not a readable result ({first})") from None
    site = sites.load(args.site_file or args.site)
    periods = _steps(args.hours, args.freq)
    return simulate.simulate(
        site,
        args.scenarios,
        seed=args.seed,
        start=_start(args.start),
        periods=periods,
        freq=args.freq,
        backend=args.backend,
        keep="hourly",
    )


def _report_ppa(args):
    """The PPA of ``--ppa-mw`` (flat) or ``--ppa-file`` (CSV: time, MW), in W; or None."""
    import xarray as xr

    if args.ppa_mw is not None and args.ppa_file is not None:
        raise ValueError("--ppa-file: give --ppa-mw or --ppa-file, not both")
    if args.ppa_mw is not None:
        if not args.ppa_mw >= 0:
            raise ValueError(f"--ppa-mw: must be >= 0 MW, got {args.ppa_mw}")
        return args.ppa_mw * 1e6
    if args.ppa_file is None:
        return None
    try:
        table = pd.read_csv(args.ppa_file, index_col=0, parse_dates=[0])
        times = pd.DatetimeIndex(table.index)
        values = table.iloc[:, 0].to_numpy(dtype=float) * 1e6
    except FileNotFoundError:
        raise FileNotFoundError(f"--ppa-file: {args.ppa_file} does not exist") from None
    except (ValueError, TypeError, IndexError) as error:
        raise ValueError(
            f"--ppa-file: {args.ppa_file} is not a CSV of time (UTC) and power in MW ({error})"
        ) from None
    if times.tz is not None:
        times = times.tz_convert("UTC").tz_localize(None)
    return xr.DataArray(values, dims="time", coords={"time": times}, name="ppa")


def _report(args) -> int:
    """``powermodel report``: one HTML page of a run (or of ``--from`` results)."""
    from powermodel import report

    try:  # before a long run
        out = report.check_writable(args.out, args.overwrite)
    except (ValueError, OSError) as error:
        raise type(error)(f"--out: {str(error).removeprefix('path: ')}") from None
    ppa = _report_ppa(args)
    if not args.go_mwh >= 0:
        raise ValueError(f"--go-mwh: must be >= 0 MWh per year, got {args.go_mwh}")
    if args.residual_mix is not None and not args.residual_mix >= 0:
        raise ValueError(f"--residual-mix: must be >= 0 g/kWh, got {args.residual_mix}")
    started = time.perf_counter()
    result = _report_result(args)
    try:
        path = report.write(
            result,
            out,
            overwrite=args.overwrite,
            ppa=ppa,
            go_per_year=args.go_mwh * 3.6e9,
            residual_mix=args.residual_mix,
        )
    except ValueError as error:
        where = f"--from {args.from_}: " if args.from_ is not None else ""
        raise ValueError(f"{where}{error}") from None
    seconds = time.perf_counter() - started
    print(
        f"powermodel report: {result.sizes.get('scenario', 1)} scenarios x "
        f"{result.sizes['time']} steps, {seconds:.1f} s; written to {path}"
    )
    return 0


def _add_run_options(parser, scenarios: int, hours: int) -> None:
    parser.add_argument("site_file", nargs="?", default=None, help="a site TOML file")
    parser.add_argument("--site", default="dra01", help="a built-in site (default dra01)")
    parser.add_argument("--scenarios", type=_whole(1), default=scenarios)
    parser.add_argument("--seed", type=_whole(0), default=0)
    parser.add_argument("--hours", type=_whole(1), default=hours, help="length of the run in hours")
    parser.add_argument("--backend", default="auto", choices=["auto", "numpy", "numba", "cupy"])


def _add_report_parser(commands) -> None:
    report = commands.add_parser(
        "report", help="one self-contained HTML page: summary, EU EED indicators, 24/7 matching"
    )
    _add_run_options(report, scenarios=20, hours=8760)
    report.add_argument("--start", default=None, help="first time stamp (UTC); default: phase 1")
    report.add_argument("--freq", default="1h", help="time step, e.g. 1h or 15min")
    report.add_argument(
        "--from", dest="from_", default=None, help="report saved results (.nc or .zarr) instead"
    )
    report.add_argument("--out", default="report.html", help="the page to write (.html)")
    report.add_argument("--overwrite", action="store_true", help="replace an existing page")
    report.add_argument("--ppa-mw", type=float, default=None, help="a flat (baseload) PPA in MW")
    report.add_argument(
        "--ppa-file", default=None, help="a PPA generation profile: CSV of time (UTC) and MW"
    )
    report.add_argument(
        "--go-mwh", type=float, default=0.0, help="guarantees of origin bought, MWh per year"
    )
    report.add_argument(
        "--residual-mix",
        type=float,
        default=None,
        help="residual-mix intensity, g/kWh (default 402: NVE 2020 for Norway, AIB residual mix)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="powermodel", description="Electricity and heat of AI data centers."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("simulate", help="simulate a whole site over scenarios")
    _add_run_options(run, scenarios=20, hours=8760)
    run.add_argument("--start", default=None, help="first time stamp (UTC); default: phase 1")
    run.add_argument("--freq", default="1h", help="time step, e.g. 1h or 15min")
    run.add_argument("--chunk-size", type=_whole(1), default=None, help="scenarios per chunk")
    run.add_argument(
        "--dask", default=None, help="'local' for a local Dask cluster, or a scheduler address"
    )
    run.add_argument("--store", default=None, help="Zarr store of finished chunks (resumable)")
    run.add_argument("--out", default=None, help="write the results (.nc or .zarr)")
    run.add_argument("--plot", default=None, help="write a summary figure (.png)")
    run.add_argument("--overwrite", action="store_true", help="replace existing outputs")
    run.add_argument("--progress", action="store_true", help="show a progress bar")
    run.add_argument("--deferrable-share", type=float, default=None,
                     help="share of the IT load that may move within its deadline window "
                          "(overrides [workload.flexibility])")  # fmt: skip
    run.add_argument("--shift-signal", default=None, choices=list(SIGNALS),
                     help="what ranks the hours the deferrable load moves to")  # fmt: skip
    run.add_argument(
        "--window-hours",
        type=float,
        default=None,
        help="deadline window of the deferrable load [h] (default 24)",
    )
    run.add_argument(
        "--keep",
        default="auto",
        choices=["auto", "hourly", "summaries"],
        help="hold the hourly results or only the per-scenario summaries (auto: hourly up to "
        "20 million scenario-steps or with --store)",
    )
    _add_report_parser(commands)
    site = commands.add_parser("site", help="list or print the built-in site files")
    actions = site.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="the built-in sites")
    show = actions.add_parser("show", help="print a built-in site file (copy it to edit)")
    show.add_argument("name")
    capacity = commands.add_parser(
        "capacity", help="the most racks each grid phase serves at a stated reliability"
    )
    _add_run_options(capacity, scenarios=10, hours=24 * 28)
    capacity.add_argument("--system", default="gb200-nvl72", choices=catalog.systems())
    capacity.add_argument(
        "--probability", type=_probability, default=0.05, help="allowed P(any unserved hour)"
    )
    sizing = commands.add_parser(
        "battery", help="the smallest site battery that keeps every hour within the grid limit"
    )
    _add_run_options(sizing, scenarios=10, hours=24 * 28)
    sizing.add_argument("--start", default=None, help="first time stamp (UTC); default: phase 1")
    sizing.add_argument("--freq", default="1h", help="time step, e.g. 1h or 15min")
    sizing.add_argument("--probability", type=_probability, default=0.01,
                        help="allowed P(any hour above the limit) across scenarios")  # fmt: skip
    sizing.add_argument("--durations", type=_durations, default=(1.0, 2.0, 4.0),
                        help="hours at rated power to size for, e.g. 1,2,4")  # fmt: skip
    cache = commands.add_parser("cache", help="the compiled-kernel cache: where, how big; clear it")
    cache.add_argument("action", nargs="?", choices=["info", "clear"], default="info")
    demo = commands.add_parser("demo", help="a year of hourly rack power for a default GPU hall")
    demo.add_argument("--system", default="gb200-nvl72", choices=catalog.systems())
    demo.add_argument(
        "--racks", type=_whole(1), default=None, help="default: fill 12 MW at full load"
    )
    demo.add_argument("--start", default="2025-01-01")
    demo.add_argument("--hours", type=_whole(1), default=8760, help="length in hours")
    demo.add_argument("--freq", default="1h", help="time step, e.g. 1h or 15min")
    demo.add_argument("--seed", type=_whole(0), default=0)
    demo.add_argument("--backend", default="auto", choices=["auto", "numpy", "numba", "cupy"])
    return parser


def main(argv=None) -> int:
    """Entry point of the ``powermodel`` command; returns the exit status.

    Parameters
    ----------
    argv : list of str or None
        The command-line arguments after the program name; None (the default)
        reads ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status: 0 on success, 2 for invalid input (a bad option,
        site, file or value, or out of memory), 1 for a failed run or an
        internal error, 130 when interrupted.
    """
    args = _parser().parse_args(argv)
    store = getattr(args, "store", None)
    try:
        if args.command == "demo":
            return _demo(args)
        if args.command == "simulate":
            return _simulate(args)
        if args.command == "report":
            return _report(args)
        if args.command == "site":
            return _site(args)
        if args.command == "capacity":
            return _capacity(args)
        if args.command == "battery":
            return _battery(args)
        if args.command == "cache":
            return _cache(args)
    except KeyboardInterrupt:
        kept = ""
        if store is not None and os.path.isdir(store):
            chunks = sum(1 for entry in os.scandir(store) if entry.name.startswith("chunk-"))
            kept = f"; {chunks} finished chunks kept in {store} (rerun to resume)"
        print(f"powermodel: interrupted{kept}", file=sys.stderr)
        return 130
    except MemoryError as error:
        detail = str(error) or "the run does not fit in memory"
        print(f"powermodel: error: out of memory: {detail}", file=sys.stderr)
        return 2
    except (ValueError, KeyError, TypeError, OSError, BackendUnavailableError) as error:
        print(f"powermodel: error: {error}", file=sys.stderr)
        return 2
    except (OverflowError, RuntimeError) as error:  # e.g. runner.StoreBusyError
        print(f"powermodel: error: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # a bug of ours: say so, without a traceback unless asked
        if os.environ.get("POWERMODEL_DEBUG"):
            raise
        print(
            f"powermodel: internal error: {type(error).__name__}: {error} (please report it; "
            "POWERMODEL_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return 1
    return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
