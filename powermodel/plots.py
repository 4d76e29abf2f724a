"""Figures of a simulation: the ones ``powermodel simulate --plot`` and the notebooks share.

Every function takes xarray objects in SI units (power in W, a ``time``
coordinate in UTC, an optional ``scenario`` dimension), draws on the given
matplotlib Axes (or a new one) and returns it; nothing is shown. Figures show
power in MW and energy in GWh, with the units in every axis label.

Functions
---------
load_duration_curve
    Sorted power against the hours it is reached or exceeded.
monthly_energy
    Stacked monthly energy of IT, power-chain losses and cooling.
heatmap
    Hour of day (Europe/Oslo local time) x day of year.
fan_chart
    Quantile bands over the scenarios, through time.
supply_demand
    Facility demand against the contracted grid capacity, unserved hours marked.
summary_figure
    The four-panel figure of a simulation, optionally saved atomically.

matplotlib is imported when a function is called, not with this module. With
``ax=None`` a new figure is made with :mod:`matplotlib.pyplot` (so notebooks
display it); :func:`summary_figure` builds a :class:`matplotlib.figure.Figure`
without pyplot, so the command line keeps no global figure state.
"""

from __future__ import annotations

import os
import re
import tempfile

import numpy as np
import pandas as pd
import xarray as xr

from powermodel.timegrid import time_step, validate_time

__all__ = [
    "fan_chart",
    "heatmap",
    "load_duration_curve",
    "monthly_energy",
    "summary_figure",
    "supply_demand",
]

LOCAL_TZ = "Europe/Oslo"
SCENARIO = "scenario"
_DASH = "\N{EN DASH}"  # of a range in a legend: P10–P90

# Short legend and axis names; the registry's long_names are too long for an axis.
_SHORT_NAMES = {
    "power_it": "IT",
    "power_total": "IT and power chain",
    "losses": "power-chain losses",
    "power_cooling": "cooling",
    "power_facility": "facility power",
    "grid_capacity": "grid capacity",
    "served": "served power",
    "unserved": "unserved power",
    "heat_recovered": "recovered heat",
    "price": "electricity price",
    "carbon_intensity": "carbon intensity",
    "filling": "reservoir filling",
}
_COLOURS = {"power_it": "tab:blue", "losses": "tab:orange", "power_cooling": "tab:cyan"}
_TO_MW = {"W": 1e-6, "kW": 1e-3, "MW": 1.0, "GW": 1e3}
_UNIT_WORDS = {"degC": "°C", "m3": "m³", "m2": "m²", "1": ""}
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


# --------------------------------------------------------------------------- helpers


def _short_name(da: xr.DataArray, name: str | None = None) -> str:
    name = name if name is not None else da.name
    if name in _SHORT_NAMES:
        return _SHORT_NAMES[name]
    return str(da.attrs.get("long_name") or name or "value")


def _pretty_units(units: str) -> str:
    """CF/UDUNITS units as an axis reads them: ``"NOK MWh-1"`` -> ``"NOK/MWh"``."""
    numerator, denominator = [], []
    for token in str(units).split():
        match = re.fullmatch(r"([^\d-]+)(-?\d+)?", token)
        if match is None:
            return str(units)
        word, power = match.group(1), int(match.group(2) or 1)
        word = _UNIT_WORDS.get(word, word)
        target = numerator if power > 0 else denominator
        power = abs(power)
        target.append(word + (str(power).translate(_SUPERSCRIPT) if power != 1 else ""))
    text = " ".join(numerator) or "1"
    return f"{text}/{' '.join(denominator)}" if denominator else text


def _display(da: xr.DataArray, assume: str | None = None) -> tuple[xr.DataArray, str]:
    """``da`` in display units and the unit text: power in MW, fractions in %."""
    units = da.attrs.get("units", assume)
    if units in _TO_MW:
        return da * _TO_MW[units], "MW"
    if units == "1":
        return da * 100.0, "%"
    if units is None:
        return da, "no units given"
    return da, _pretty_units(units)


def _check_series(da, argument: str, units: str | None = None) -> xr.DataArray:
    """Check a DataArray over ``time`` (and optionally ``scenario``); return it ordered."""
    if isinstance(da, xr.Dataset):
        raise TypeError(f"{argument}: expected an xarray.DataArray, got a Dataset")
    if not isinstance(da, xr.DataArray):
        raise TypeError(f"{argument}: expected an xarray.DataArray, got {type(da).__name__}")
    if "time" not in da.dims:
        raise ValueError(f"{argument}: has no 'time' dimension (dims {tuple(da.dims)})")
    extra = [dim for dim in da.dims if dim not in ("time", SCENARIO)]
    if extra:
        raise ValueError(
            f"{argument}: unexpected dimension(s) {tuple(extra)}; expected ('time',) or "
            f"('time', '{SCENARIO}') - select or reduce the others first"
        )
    try:
        validate_time(da["time"])
    except (TypeError, ValueError) as error:
        raise ValueError(f"{argument}: {error}") from None
    if units is not None and da.attrs.get("units", units) not in _TO_MW:
        raise ValueError(
            f"{argument}: has units {da.attrs['units']!r}, expected power ({', '.join(_TO_MW)})"
        )
    if da.sizes["time"] == 0:
        raise ValueError(f"{argument}: the time axis is empty")
    return da.transpose("time", ...)


def _require(dataset, names, argument: str = "dataset") -> None:
    if not isinstance(dataset, xr.Dataset):
        raise TypeError(f"{argument}: expected an xarray.Dataset, got {type(dataset).__name__}")
    missing = [name for name in names if name not in dataset.data_vars]
    if missing:
        raise ValueError(
            f"{argument}: missing variable(s) {', '.join(map(repr, missing))} "
            f"(has {', '.join(map(str, dataset.data_vars)) or 'none'})"
        )


def _component(dataset: xr.Dataset, name: str) -> xr.DataArray:
    """A power variable of ``dataset``; ``"losses"`` is power_total - power_it."""
    if name == "losses":
        _require(dataset, ("power_total", "power_it"))
        losses = dataset["power_total"] - dataset["power_it"]
        return losses.rename("losses").assign_attrs(
            units=dataset["power_it"].attrs.get("units", "W"), long_name="power-chain losses"
        )
    _require(dataset, (name,))
    return dataset[name]


def _scenario_count(da: xr.DataArray) -> int:
    return da.sizes.get(SCENARIO, 1)


def _quantile(da: xr.DataArray, q: float) -> xr.DataArray:
    """Quantile over scenarios (the data itself without a scenario dimension)."""
    if SCENARIO not in da.dims:
        return da
    return da.quantile(q, dim=SCENARIO, skipna=True).drop_vars("quantile")


def _percentile_label(q: float) -> str:
    return "median" if q == 0.5 else f"P{100 * q:g}"


def _new_axes(ax, figsize=(8, 4.5)):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _time_axis(ax, label: str = "time (UTC)") -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlabel(label)


def _scenario_note(da: xr.DataArray) -> str:
    count = _scenario_count(da)
    return f"{count} scenario{'s' if count != 1 else ''}"


# --------------------------------------------------------------------------- figures


def load_duration_curve(power, ax=None, capacity=None):
    """Load duration curve: power, largest first, against the hours it is reached.

    Parameters
    ----------
    power : xarray.DataArray or xarray.Dataset
        Power [W] over ``time`` and optionally ``scenario``; a Dataset gives its
        ``power_facility``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure if not given.
    capacity : float or xarray.DataArray, optional
        Contracted grid capacity [W], a number or a series over ``time``;
        each of its levels is drawn as a horizontal line.

    Returns
    -------
    matplotlib.axes.Axes
        Power in MW against hours at or above it [h]. With a ``scenario``
        dimension, each scenario is sorted on its own and the median curve is
        drawn with the P10-P90 band of the scenarios.

    Notes
    -----
    The k-th largest value (k = 1, 2, ...) is reached or exceeded for k x step
    hours, so the curve ends at the length of the period.
    """
    if isinstance(power, xr.Dataset):
        _require(power, ("power_facility",), "power")
        power = power["power_facility"]
    power = _check_series(power, "power", units="W")
    values, unit = _display(power, assume="W")
    hours = time_step(power["time"]).total_seconds() / 3600.0
    data = np.asarray(values, dtype=np.float64)
    if data.ndim == 1:
        data = data[:, None]
    # largest first, NaN (missing steps) last
    curves = -np.sort(-data, axis=0)
    x = np.arange(1, curves.shape[0] + 1) * hours

    ax = _new_axes(ax)
    name = _short_name(power)
    if curves.shape[1] == 1:
        ax.plot(x, curves[:, 0], color="tab:blue", label=name)
    else:
        low, mid, high = np.nanquantile(curves, [0.1, 0.5, 0.9], axis=1)
        ax.fill_between(x, low, high, color="tab:blue", alpha=0.25, lw=0, label=f"P10{_DASH}P90")
        ax.plot(x, mid, color="tab:blue", label=f"median of {curves.shape[1]} scenarios")
    if capacity is not None:
        if isinstance(capacity, xr.DataArray):
            capacity = _check_series(capacity, "capacity", units="W")
            cap_values, _ = _display(capacity, assume="W")
            levels = np.unique(np.asarray(cap_values, dtype=np.float64))
            levels = levels[np.isfinite(levels)]
        else:
            levels = np.atleast_1d(np.asarray(capacity, dtype=np.float64)) * 1e-6
        for i, level in enumerate(levels):
            ax.axhline(
                level,
                color="black",
                ls="--",
                lw=1,
                label=f"grid capacity ({', '.join(f'{v:g}' for v in levels)} {unit})"
                if i == 0
                else None,
            )
    ax.set_xlim(0, x[-1])
    ax.set_xlabel("hours at or above the power (h)")
    ax.set_ylabel(f"{name} ({unit})")
    ax.set_title(f"Load duration curve, {_scenario_note(power)}")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best")
    return ax


def _monthly_energy_table(dataset: xr.Dataset, components) -> pd.DataFrame:
    """Monthly energy [GWh] of each component, median over scenarios (rows: months)."""
    columns = {}
    for name in components:
        da = _check_series(_component(dataset, name), name, units="W")
        factor = _TO_MW[da.attrs.get("units", "W")] * 1e6  # to W
        seconds = time_step(da["time"]).total_seconds()
        joules = (da.astype(np.float64) * factor * seconds).resample(time="MS").sum(skipna=False)
        columns[name] = _quantile(joules, 0.5).to_series() / 3.6e12
    return pd.DataFrame(columns)


def monthly_energy(dataset, components=("power_it", "losses", "power_cooling"), ax=None):
    """Stacked monthly electric energy by component, in GWh.

    Parameters
    ----------
    dataset : xarray.Dataset
        Simulation output with the power variables [W] named in ``components``
        over ``time`` and optionally ``scenario``.
    components : sequence of str
        Variables to stack, bottom first; ``"losses"`` is the power chain,
        ``power_total - power_it``. With the default the stack is the facility
        energy (IT + power-chain losses + cooling).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure if not given.

    Returns
    -------
    matplotlib.axes.Axes
        One bar per calendar month (UTC) and component. With a ``scenario``
        dimension each component shows its median over the scenarios.
    """
    _require(dataset, [c for c in components if c != "losses"])
    if not components:
        raise ValueError("components: give at least one variable")
    table = _monthly_energy_table(dataset, components)
    ax = _new_axes(ax)
    positions = np.arange(len(table))
    bottom = np.zeros(len(table))
    palette = iter(["tab:green", "tab:red", "tab:purple", "tab:brown", "tab:gray"])
    for name in table.columns:
        heights = table[name].to_numpy()
        ax.bar(
            positions,
            heights,
            bottom=bottom,
            width=0.8,
            label=_short_name(_component(dataset, name), name),
            color=_COLOURS.get(name) or next(palette, None),
        )
        bottom = bottom + np.nan_to_num(heights)
    months = table.index
    if len(set(months.year)) == 1:
        ax.set_xticks(positions, [f"{m:%b}" for m in months])
        ax.set_xlabel(f"month of {months[0].year} (UTC)")
    else:
        ax.set_xticks(positions, [f"{m:%b}\n{m:%Y}" for m in months])
        ax.set_xlabel("month (UTC)")
    ax.set_ylabel("energy (GWh)")
    count = max(_scenario_count(_component(dataset, name)) for name in components)
    note = f"median of {count} scenarios" if count > 1 else "1 scenario"
    ax.set_title(f"Monthly electricity use, {note}")
    ax.grid(True, axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    ax.set_ylim(0, 1.2 * np.nanmax(bottom) if np.nanmax(bottom) > 0 else None)  # legend room
    ax.legend(loc="upper center", ncols=len(table.columns), framealpha=0.9)
    return ax


def heatmap(da, ax=None):
    """Hour of day against day, both in local time, the colour the value.

    Parameters
    ----------
    da : xarray.DataArray
        Values over ``time`` (UTC) and optionally ``scenario``; power [W] is
        shown in MW, fractions (units ``1``) in %, other units as they are.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure if not given.

    Returns
    -------
    matplotlib.axes.Axes
        With a colour bar. Each cell is the mean of the steps in that local
        hour (Europe/Oslo, so daylight saving time shifts the UTC hours); with
        a ``scenario`` dimension, of the median over the scenarios. The hour
        skipped in spring is left blank; the hour repeated in autumn is averaged.
        Columns are local calendar days (the days of the year, in order), so a
        UTC year ends with a one-hour column of 1 January and years never fold
        onto each other.
    """
    da = _check_series(da, "da")
    values, unit = _display(da)
    series = _quantile(values, 0.5).to_series()
    local = series.index.tz_localize("UTC").tz_convert(LOCAL_TZ).tz_localize(None)
    table = series.groupby([local.hour, local.normalize()]).mean().unstack()
    days = pd.date_range(local[0].normalize(), local[-1].normalize(), freq="1D")
    table = table.reindex(index=range(24), columns=days)

    ax = _new_axes(ax, figsize=(9, 4.5))
    mesh = ax.pcolormesh(
        days.append(days[-1:] + pd.Timedelta("1D")).to_numpy(),
        np.arange(25),
        table.to_numpy(),
        cmap="viridis",
        shading="flat",
    )
    name = _short_name(da)
    colorbar = ax.figure.colorbar(mesh, ax=ax, pad=0.02)
    colorbar.set_label(f"{name} ({unit})")
    ax.set_ylim(0, 24)
    ax.set_yticks(range(0, 25, 6), [f"{h:02d}:00" for h in range(0, 25, 6)])
    ax.set_ylabel(f"hour of day ({LOCAL_TZ} local time)")
    _time_axis(ax, f"day ({LOCAL_TZ} local time)")
    count = _scenario_count(da)
    note = f", median of {count} scenarios" if count > 1 else ""
    ax.set_title(f"{name[:1].upper()}{name[1:]} by local hour and day{note}")
    return ax


def _daily_if_long(da: xr.DataArray, how: str = "mean") -> tuple[xr.DataArray, bool]:
    """Daily means (or maxima) of sub-daily data longer than two weeks, per scenario."""
    step = time_step(da["time"])
    span = step * da.sizes["time"]
    if step < pd.Timedelta("1D") and span > pd.Timedelta("14D"):
        return getattr(da.resample(time="1D"), how)(skipna=False), True
    return da, False


def fan_chart(da, ax=None, quantiles=(0.01, 0.1, 0.5, 0.9, 0.99)):
    """Scenario quantile bands through time.

    Parameters
    ----------
    da : xarray.DataArray
        Values over ``time`` and ``scenario`` (without ``scenario``, one line);
        power [W] is shown in MW, fractions (units ``1``) in %.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure if not given.
    quantiles : sequence of float
        Quantiles in [0, 1], paired outermost first into bands (0.01 with
        0.99, 0.1 with 0.9); a middle one (0.5) is drawn as a line.

    Returns
    -------
    matplotlib.axes.Axes
        Sub-daily data over more than two weeks is first averaged per day and
        scenario, so the bands are of daily means.
    """
    da = _check_series(da, "da")
    q = np.asarray(quantiles, dtype=np.float64)
    if q.ndim != 1 or q.size == 0 or np.any((q < 0) | (q > 1)) or np.any(np.diff(q) <= 0):
        raise ValueError(
            f"quantiles: must be increasing values in [0, 1], got {tuple(quantiles)!r}"
        )
    values, unit = _display(da)
    values, daily = _daily_if_long(values)
    times = values["time"].to_numpy()
    name = _short_name(da)
    ax = _new_axes(ax)
    colour = "tab:blue"
    if SCENARIO not in values.dims:
        ax.plot(times, values.to_numpy(), color=colour, label=name)
    else:
        bands = values.quantile(q, dim=SCENARIO, skipna=True).transpose("quantile", "time")
        bands = bands.to_numpy()
        pairs = q.size // 2
        for i in range(pairs):
            ax.fill_between(
                times,
                bands[i],
                bands[-1 - i],
                color=colour,
                alpha=0.15 + 0.25 * i / max(pairs, 1),
                lw=0,
                label=f"{_percentile_label(q[i])}{_DASH}{_percentile_label(q[-1 - i])}",
            )
        if q.size % 2:
            ax.plot(times, bands[pairs], color=colour, lw=1.2, label=_percentile_label(q[pairs]))
    _time_axis(ax, "date (UTC), daily means" if daily else "time (UTC)")
    ax.set_ylabel(f"{name} ({unit})")
    ax.set_title(f"{name[:1].upper()}{name[1:]}, {_scenario_note(da)}")
    ax.grid(True, alpha=0.3)
    low, high = ax.get_ylim()
    ax.set_ylim(low, high + 0.15 * (high - low))  # a band for the legend above the data
    entries = len(ax.get_legend_handles_labels()[0])
    ax.legend(loc="upper center", ncols=max(entries, 1), framealpha=0.9)
    return ax


def supply_demand(dataset, ax=None):
    """Facility demand against the contracted grid capacity through time.

    Parameters
    ----------
    dataset : xarray.Dataset
        With ``power_facility`` [W] over ``time`` (and ``scenario``) and
        ``grid_capacity`` [W] over ``time``; ``unserved`` [W] if present marks
        the unserved steps, else demand above capacity does.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure if not given.

    Returns
    -------
    matplotlib.axes.Axes
        Median demand in MW with the P1-P99 band of the scenarios, the
        capacity as a step line, and a red tick along the top at each step
        with unserved demand in at least one scenario; the legend gives the
        unserved hours. Sub-daily data over more than two weeks is shown as
        daily peaks (the maximum of each day and scenario), so the band and
        ticks stay readable and no over-capacity peak is averaged away.
    """
    _require(dataset, ("power_facility", "grid_capacity"))
    demand = _check_series(dataset["power_facility"], "power_facility", units="W")
    capacity = _check_series(dataset["grid_capacity"], "grid_capacity", units="W")
    if "unserved" in dataset.data_vars:
        unserved = _check_series(dataset["unserved"], "unserved", units="W") > 0
    else:
        unserved = demand > capacity
    if SCENARIO in unserved.dims:
        unserved = unserved.any(SCENARIO)
    hours = time_step(demand["time"]).total_seconds() / 3600.0
    unserved_hours = float(unserved.sum()) * hours
    demand_mw, unit = _display(demand, assume="W")
    capacity_mw, _ = _display(capacity, assume="W")
    if SCENARIO in capacity_mw.dims:
        capacity_mw = capacity_mw.max(SCENARIO)
    demand_mw, daily = _daily_if_long(demand_mw, how="max")
    capacity_mw, _ = _daily_if_long(capacity_mw, how="max")
    flagged, _ = _daily_if_long(unserved, how="max")
    times = demand_mw["time"].to_numpy()
    peak = "daily peak " if daily else ""

    ax = _new_axes(ax)
    if SCENARIO in demand_mw.dims and demand_mw.sizes[SCENARIO] > 1:
        low, mid, high = (_quantile(demand_mw, q).to_numpy() for q in (0.01, 0.5, 0.99))
        ax.fill_between(times, low, high, color="tab:blue", alpha=0.3, lw=0, label=f"P1{_DASH}P99")
        ax.plot(times, mid, color="tab:blue", lw=0.8, label=f"median {peak}demand")
    else:
        line = demand_mw.squeeze(drop=True).to_numpy()
        ax.plot(times, line, color="tab:blue", lw=0.8, label=f"{peak}demand")
    ax.plot(
        times,
        capacity_mw.to_numpy(),
        color="black",
        lw=1.5,
        drawstyle="steps-post",
        label="contracted grid capacity",
    )
    flagged = flagged.to_numpy().astype(bool)
    if flagged.any():
        periods = f" on {int(flagged.sum())} days" if daily else ""
        ax.plot(  # a rug along the top: when, not how much
            times[flagged],
            np.full(int(flagged.sum()), 0.97),
            transform=ax.get_xaxis_transform(),
            ls="none",
            marker="|",
            ms=10,
            color="tab:red",
            label=f"unserved in ≥1 scenario: {unserved_hours:g} h{periods}",
        )
    _time_axis(ax, "date (UTC), daily peaks" if daily else "time (UTC)")
    ax.set_ylabel(f"facility power ({unit})")
    top = np.nanmax([np.nanmax(demand_mw.to_numpy()), np.nanmax(capacity_mw.to_numpy())])
    ax.set_ylim(0, 1.15 * top if np.isfinite(top) and top > 0 else None)
    ax.set_title(
        f"Demand and grid capacity, {_scenario_note(demand)}"
        + ("" if flagged.any() else ": no unserved hours")
    )
    ax.grid(True, alpha=0.3)
    ax.legend(loc="lower right", framealpha=0.9)  # below the demand: the axis starts at 0
    return ax


def summary_figure(dataset, path=None):
    """The four-panel summary of a simulation, saved atomically if ``path`` is given.

    Parameters
    ----------
    dataset : xarray.Dataset
        Simulation output with ``power_it``, ``power_total``, ``power_cooling``,
        ``power_facility`` and ``grid_capacity`` [W]; ``filling`` (units 1) if
        present gives the fourth panel, else a heatmap of facility power.
    path : str or os.PathLike, optional
        Where to save; the format follows the suffix (``.png``, ``.pdf``,
        ``.svg``, ...). The file is written to a temporary name in the same
        directory and renamed, so it is whole or absent, never half-written.

    Returns
    -------
    matplotlib.figure.Figure
        Load duration curve, monthly energy, demand against capacity, and the
        fan chart of reservoir filling (or the heatmap).
    """
    from matplotlib.figure import Figure

    _require(
        dataset, ("power_it", "power_total", "power_cooling", "power_facility", "grid_capacity")
    )
    demand = _check_series(dataset["power_facility"], "power_facility", units="W")
    fig = Figure(figsize=(15, 9.5), layout="constrained")
    axes = fig.subplots(2, 2)
    load_duration_curve(demand, ax=axes[0, 0], capacity=dataset["grid_capacity"])
    monthly_energy(dataset, ax=axes[0, 1])
    supply_demand(dataset, ax=axes[1, 0])
    if "filling" in dataset.data_vars:
        fan_chart(dataset["filling"], ax=axes[1, 1])
    else:
        heatmap(demand, ax=axes[1, 1])
    index = pd.DatetimeIndex(demand["time"].to_numpy())
    step = time_step(demand["time"])
    fig.suptitle(
        f"powermodel simulation: {_scenario_note(demand)}, "
        f"{index[0]:%Y-%m-%d} to {index[-1]:%Y-%m-%d} UTC, step {_step_text(step)}",
        fontsize="x-large",
    )
    if path is not None:
        _save_atomically(fig, path)
    return fig


def _step_text(step: pd.Timedelta) -> str:
    minutes = step.total_seconds() / 60.0
    return f"{minutes / 60:g} h" if minutes >= 60 else f"{minutes:g} min"


def _save_atomically(fig, path) -> None:
    """Write ``fig`` to a temporary file next to ``path``, then rename it into place."""
    path = os.fspath(path)
    suffix = os.path.splitext(path)[1].lstrip(".").lower()
    supported = fig.canvas.get_supported_filetypes()
    if suffix not in supported:
        raise ValueError(
            f"path: unknown figure format {suffix or '(no suffix)'!r} in {path!r}; "
            f"use one of {', '.join(sorted(supported))}"
        )
    directory = os.path.dirname(os.path.abspath(path))
    descriptor, temporary = tempfile.mkstemp(
        dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as stream:
            fig.savefig(stream, format=suffix, dpi=120)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a figure is for reading
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
