"""Reservoir inflow: seeded stochastic scenarios and readers for observed series.

The built-in zone (``"NO2"``, data in ``powermodel/data/hydro_no2.toml``
with the source of each number) has a monthly inflow climatology derived
from NVE's reservoir statistics by mass balance: low winter flow, the
snowmelt flood in May-July and autumn rain. Scenarios multiply it by a
lognormal anomaly, ``exp(x_d + y_year - (var_x + var_y) / 2)`` (mean one),
with ``x`` a daily AR(1) in log space and ``y`` an annual AR(1) that makes
wet and dry years. Inflow is in W of energy equivalent (the zone's
reservoirs aggregated, as Nordic models do).

Scenario ``k`` of seed ``s`` draws from ``numpy.random.default_rng([s, k,
2])`` (2 marks the inflow stream; weather uses ``[s, k]``), so it depends
only on ``(s, k)``.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources

import numpy as np
import pandas as pd
import xarray as xr

from powermodel._api import read_input_file
from powermodel._stochastic import ar1, periodic_interp, scenario_ids
from powermodel.timegrid import time_grid, validate_time

__all__ = ["TWH", "guide_curve", "read_csv", "read_netcdf", "synthetic", "zone"]

TWH = 3.6e15  # J per TWh
YEAR_SECONDS = 365.25 * 86400.0
_STREAM = 2
_UNITS = {"W": 1.0, "MW": 1e6, "GW": 1e9}


@functools.cache
def zone(name: str = "NO2") -> dict:
    """The hydro data of a bidding zone (``powermodel/data/hydro_<zone>.toml``).

    Parameters
    ----------
    name : str
        The built-in zone, ``"NO2"``.

    Returns
    -------
    dict
        The file's contents, parsed (the inflow climatology, guide curve and
        neighbours, with the units in the keys' names, e.g. ``_twh`` or ``_mw``).
    """
    files = {"NO2": "hydro_no2.toml"}
    if name not in files:
        raise KeyError(f"zone: {name!r} is not one of {sorted(files)}")
    text = resources.files("powermodel.data").joinpath(files[name]).read_text("utf-8")
    return tomllib.loads(text)


def _day_of_year(times: pd.DatetimeIndex) -> np.ndarray:
    return (times.day_of_year - 1 + times.hour / 24.0 + times.minute / 1440.0).to_numpy()


def climatology(times, zone_name: str = "NO2") -> np.ndarray:
    """Mean inflow [W] of the zone at ``times`` (monthly means, linear between mid-months).

    Parameters
    ----------
    times : pandas.DatetimeIndex or array-like of datetime64
        UTC time stamps.
    zone_name : str
        Built-in zone (``"NO2"``).

    Returns
    -------
    numpy.ndarray
        Mean inflow [W] (energy equivalent), dims (time,), float64.
    """
    data = zone(zone_name)
    annual = data["national_mean_inflow_twh"] * data["zone_share"] * TWH  # J per year
    share = np.asarray(data["inflow_monthly_share"], np.float64)
    days = np.array([31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    monthly_rate = share / share.sum() * annual / (days * 86400.0)
    middles = np.cumsum(days) - days / 2.0
    rate = periodic_interp(_day_of_year(pd.DatetimeIndex(times)), middles, monthly_rate, 365.25)
    # linear interpolation shifts the annual mean slightly: restore it
    grid = periodic_interp(np.arange(0, 365.25, 0.25), middles, monthly_rate, 365.25)
    return rate * (annual / YEAR_SECONDS) / grid.mean()


def guide_curve(times, zone_name: str = "NO2") -> xr.DataArray:
    """Median reservoir filling [1] at ``times``, the dispatch guide curve.

    Parameters
    ----------
    times : pandas.DatetimeIndex or array-like of datetime64
        UTC time stamps.
    zone_name : str
        Built-in zone (``"NO2"``).

    Returns
    -------
    xarray.DataArray
        Guide filling [1], 0..1, dim ``time``.
    """
    data = zone(zone_name)
    weeks = np.asarray(data["guide_weeks"], np.float64)
    filling = np.asarray(data["guide_filling"], np.float64) / 100.0
    index = pd.DatetimeIndex(times)
    week = _day_of_year(index) / 7.0 + 1.0
    values = periodic_interp(week, weeks, filling, 52.18)
    return xr.DataArray(
        values,
        dims="time",
        coords={"time": index},
        attrs={"units": "1", "long_name": "guide reservoir filling (median)"},
    )


def synthetic(zone_name="NO2", start="2025-01-01", periods=8760, freq="1h", scenarios=1, seed=0):
    """Inflow scenarios of a zone [W], dims (time, scenario).

    Parameters
    ----------
    zone_name : str
        Built-in zone (``"NO2"``).
    start, periods, freq
        The UTC time grid (:func:`powermodel.timegrid.time_grid`).
    scenarios : int or sequence of int
        ``N`` gives scenarios ``0 .. N-1``; a sequence picks scenario ids.
    seed : int
        Seed of the random anomalies.

    Returns
    -------
    xarray.DataArray
        ``inflow`` [W], float64. Scenario ``k`` depends only on
        ``(seed, k)``; its daily anomaly is held over the day's steps.
    """
    data = zone(zone_name)
    times = time_grid(start, periods=periods, freq=freq)
    ids = scenario_ids(scenarios)
    mean = climatology(times, zone_name)
    days = (times.normalize() - times[0].normalize()).days.to_numpy()
    years = times.year.to_numpy() - times[0].year
    sigma_d, sigma_y = data["daily_sigma"], data["annual_sigma"]
    n_days, n_years = int(days[-1]) + 1, int(years[-1]) + 1
    draws = {"daily": [], "daily_first": [], "annual": [], "annual_first": []}
    for k in ids:  # each scenario's own stream, in a fixed order of draws
        rng = np.random.default_rng([int(seed), int(k), _STREAM])
        draws["daily"].append(rng.standard_normal(n_days))
        draws["daily_first"].append(rng.standard_normal())
        draws["annual"].append(rng.standard_normal(n_years))
        draws["annual_first"].append(rng.standard_normal())
    daily = sigma_d * ar1(draws["daily_first"], draws["daily"], data["daily_persistence"])
    annual = sigma_y * ar1(draws["annual_first"], draws["annual"], data["annual_persistence"])
    anomaly = daily[:, days] + annual[:, years] - 0.5 * (sigma_d**2 + sigma_y**2)
    values = (mean * np.exp(anomaly)).T
    return xr.DataArray(
        values,
        dims=("time", "scenario"),
        coords={"time": times, "scenario": ids},
        name="inflow",
        attrs={
            "units": "W",
            "long_name": f"reservoir inflow of {zone_name} (energy equivalent)",
            "source": f"powermodel synthetic inflow {zone_name!r}, seed {seed}",
        },
    )


def _labelled(values, times, units, source) -> xr.DataArray:
    if units not in _UNITS:
        raise ValueError(f"units: {units!r} is not one of {sorted(_UNITS)}")
    index = validate_time(pd.DatetimeIndex(times))
    data = np.asarray(values, np.float64) * _UNITS[units]
    negative = int((data < 0).sum())
    if negative:
        raise ValueError(f"{source}: {negative} negative inflow values")
    return xr.DataArray(
        data,
        dims="time",
        coords={"time": index},
        name="inflow",
        attrs={"units": "W", "long_name": "reservoir inflow (energy equivalent)", "source": source},
    )


def read_csv(path, column="inflow", time_column="time", units="MW") -> xr.DataArray:
    """An observed inflow series from a CSV file with a time column [W].

    ``units`` is that of the column: ``"W"``, ``"MW"`` or ``"GW"`` (mean
    power of the energy-equivalent inflow per step). Time stamps without a
    zone are taken as UTC.

    Parameters
    ----------
    path : str or path-like
        The CSV file.
    column : str
        The column of the inflow values, >= 0.
    time_column : str
        The column of the time stamps, a regular grid.
    units : {"W", "MW", "GW"}
        Units of ``column``.

    Returns
    -------
    xarray.DataArray
        ``inflow`` [W] (energy equivalent), dim ``time`` (UTC).
    """
    frame = read_input_file(pd.read_csv, path, "inflow CSV file")
    for name in (column, time_column):
        if name not in frame:
            raise ValueError(f"{path}: no column {name!r} (has {list(frame.columns)})")
    times = pd.to_datetime(frame[time_column], utc=True).dt.tz_localize(None)
    return _labelled(frame[column].to_numpy(), times, units, str(path))


def read_netcdf(path, variable="inflow", units=None) -> xr.DataArray:
    """An observed inflow series from a NetCDF file [W] (``units`` from the file if None).

    Parameters
    ----------
    path : str or path-like
        The NetCDF file.
    variable : str
        The inflow variable, >= 0, dim ``time`` (a regular UTC grid).
    units : {"W", "MW", "GW"}, optional
        Units of ``variable``; default its ``units`` attribute, else ``"W"``.

    Returns
    -------
    xarray.DataArray
        ``inflow`` [W] (energy equivalent), dim ``time``.
    """
    with xr.open_dataset(path) as dataset:
        if variable not in dataset:
            raise ValueError(f"{path}: no variable {variable!r}")
        da = dataset[variable].load()
    units = units or da.attrs.get("units", "W")
    return _labelled(da.values, da["time"].values, units, str(path))
