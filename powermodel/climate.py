"""Hourly weather from the files users have: EPW, NetCDF (ERA5-style) and CSV.

Every reader returns the same ``xarray.Dataset``: ``temp_air`` [degC],
``relative_humidity`` [%] and ``pressure`` [Pa] on a regular UTC ``time``
coordinate, each with ``units`` and ``long_name``, checked by
:func:`validate_weather`. Values are labelled with the start of the
interval they describe (the package's convention, see
:mod:`powermodel.timegrid`).

:func:`synthetic` draws seeded weather scenarios from the built-in climate
of the default site (Tørdal, Telemark), whose numbers and sources live in
``powermodel/data/climate_tordal.toml``.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import xarray as xr

from powermodel._api import read_input_file
from powermodel._stochastic import ar1, periodic_interp, scenario_ids
from powermodel.backends import run, specs
from powermodel.timegrid import validate_time
from powermodel.variables import attrs, valid_range

__all__ = [
    "WEATHER_VARIABLES",
    "read_csv",
    "read_epw",
    "read_netcdf",
    "synthetic",
    "validate_weather",
]

WEATHER_VARIABLES = ("temp_air", "relative_humidity", "pressure")


def _relative_humidity(temp, dew):
    """Relative humidity [%] from temperature and dew point arrays [degC].

    The kernel :func:`powermodel.kernels.psychrometrics.relative_humidity`, run
    on the CPU (numba, float64) whatever backend the rest of a run uses, so
    the generated climate is identical on every backend. (Its numpy oracle
    took 5 % of a 1,000-scenario site run; the CPU kernel gives every element
    the same instructions wherever it sits, so chunking changes nothing.)
    """
    return run(specs.RELATIVE_HUMIDITY, (temp, dew), backend="numba")[0]


def _label(dataset: xr.Dataset) -> xr.Dataset:
    for name in WEATHER_VARIABLES:
        dataset[name].attrs = attrs(name)
    return dataset


def validate_weather(weather: xr.Dataset, source: str = "weather") -> xr.Dataset:
    """Check a weather Dataset; return it with float64 variables and labels.

    Parameters
    ----------
    weather : xarray.Dataset
        ``temp_air`` [degC], ``relative_humidity`` [%] and ``pressure`` [Pa]
        on a regular ``time`` dimension; other variables are dropped.
    source : str
        Where the weather comes from (e.g. the file's path), named in error
        messages.

    Returns
    -------
    xarray.Dataset
        ``temp_air`` [degC], ``relative_humidity`` [%] and ``pressure`` [Pa]
        as float64, each with ``units`` and ``long_name``; missing values
        (NaN) are kept.

    Raises
    ------
    ValueError
        A missing variable, relative humidity outside [0, 100] %, a
        temperature outside [-100, 60] degC, a pressure outside [30, 110]
        kPa, or an irregular time axis; the message names ``source``, the
        variable and how many values are wrong.
    """
    missing = [name for name in WEATHER_VARIABLES if name not in weather]
    if missing:
        raise ValueError(f"{source}: missing weather variables {missing}")
    if "time" not in weather.dims:
        raise ValueError(f"{source}: no 'time' dimension")
    try:
        validate_time(weather["time"])
    except (ValueError, TypeError) as error:
        raise ValueError(f"{source}: {error}") from None
    weather = weather[list(WEATHER_VARIABLES)].astype(np.float64)
    for name in WEATHER_VARIABLES:
        low, high = valid_range(name)  # the registry's valid_min, valid_max
        values = weather[name].values
        bad = int(((values < low) | (values > high)).sum())  # NaN: missing, kept
        if bad:
            raise ValueError(
                f"{source}: {name} has {bad} values outside [{low:g}, {high:g}] "
                f"{attrs(name)['units']}"
            )
    return _label(weather)


def _utc_index(index: pd.DatetimeIndex, timezone) -> pd.DatetimeIndex:
    if index.tz is None:
        index = index.tz_localize(timezone)
    return index.tz_convert("UTC").tz_localize(None).rename("time")


def read_epw(path) -> xr.Dataset:
    """Read an EnergyPlus weather (EPW) file with :func:`pvlib.iotools.read_epw`.

    EPW rows are numbered by the hour they end, in local standard time;
    pvlib labels each with the start of that hour (hour 1 is 00:00), which
    is this package's convention; the labels are converted to UTC. Station
    pressure is used as ``pressure``.

    Parameters
    ----------
    path : str or os.PathLike
        The EnergyPlus weather (EPW) file.

    Returns
    -------
    xarray.Dataset
        ``temp_air``, ``relative_humidity``, ``pressure`` on UTC time; the
        site (``latitude``, ``longitude``, ``elevation``, ``city``) in attrs.

    Raises
    ------
    ImportError
        pvlib is not installed (``pip install powermodel[weather]``).
    """
    try:
        from pvlib.iotools import read_epw as pvlib_read_epw
    except ImportError as error:
        raise ImportError(
            "read_epw needs pvlib: pip install 'powermodel[weather]' (or pvlib)"
        ) from error
    try:
        frame, metadata = pvlib_read_epw(os.fspath(path))
        index = _utc_index(frame.index, None)
        weather = xr.Dataset(
            {
                "temp_air": ("time", frame["temp_air"].to_numpy(np.float64)),
                "relative_humidity": ("time", frame["relative_humidity"].to_numpy(np.float64)),
                "pressure": ("time", frame["atmospheric_pressure"].to_numpy(np.float64)),
            },
            coords={"time": index},
            attrs={
                "source": f"EPW file {os.fspath(path)}",
                "city": str(metadata.get("city", "")),
                "latitude": float(metadata["latitude"]),
                "longitude": float(metadata["longitude"]),
                "elevation": float(metadata["altitude"]),
            },
        )
    except FileNotFoundError:
        raise FileNotFoundError(f"{os.fspath(path)}: weather file not found") from None
    except Exception as error:  # pvlib's own: a KeyError 'altitude', parser errors
        raise ValueError(
            f"{os.fspath(path)}: not a readable EPW file ({type(error).__name__}: {error})"
        ) from None
    return validate_weather(weather, f"{path}")


def read_csv(
    path,
    *,
    time="time",
    temp_air="temp_air",
    relative_humidity="relative_humidity",
    pressure="pressure",
    timezone="UTC",
    pressure_units="Pa",
) -> xr.Dataset:
    """Read hourly (or sub-hourly) weather from a CSV file with named columns.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file, one row per time step.
    time, temp_air, relative_humidity, pressure : str
        Column names in the file: time stamps (start of each interval),
        dry bulb [degC], relative humidity [%], pressure.
    timezone : str
        Zone of naive time stamps (aware stamps keep their own).
    pressure_units : {"Pa", "hPa", "kPa"}
        Units of the pressure column.

    Returns
    -------
    xarray.Dataset
        ``temp_air`` [degC], ``relative_humidity`` [%] and ``pressure`` [Pa] on UTC
        time, as :func:`read_epw` returns them.
    """
    scale = {"Pa": 1.0, "hPa": 100.0, "kPa": 1000.0}
    if pressure_units not in scale:
        raise ValueError(f"pressure_units: {pressure_units!r} is not one of {list(scale)}")
    frame = read_input_file(pd.read_csv, path, "weather CSV file")
    columns = {time: "time", temp_air: "temp_air", relative_humidity: "relative_humidity",
               pressure: "pressure"}  # fmt: skip
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing columns {missing} (columns: {list(frame.columns)})")
    try:
        index = _utc_index(pd.DatetimeIndex(pd.to_datetime(frame[time])), timezone)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{path}: column {time!r} is not time stamps ({error})") from None
    weather = xr.Dataset(
        {
            "temp_air": ("time", frame[temp_air].to_numpy(np.float64)),
            "relative_humidity": ("time", frame[relative_humidity].to_numpy(np.float64)),
            "pressure": ("time", frame[pressure].to_numpy(np.float64) * scale[pressure_units]),
        },
        coords={"time": index},
        attrs={"source": f"CSV file {os.fspath(path)}"},
    )
    return validate_weather(weather, f"{path}")


def read_netcdf(
    path,
    *,
    temp_air="t2m",
    dew_point="d2m",
    relative_humidity=None,
    pressure="sp",
    time="time",
) -> xr.Dataset:
    """Read weather from a NetCDF file through xarray (ERA5 names by default).

    ERA5 single levels give 2 m temperature ``t2m`` and dew point ``d2m`` in
    K and surface pressure ``sp`` in Pa; relative humidity is then derived
    from the dew point with the ASHRAE saturation pressure
    (:mod:`powermodel.kernels.psychrometrics`). Temperatures in K are
    converted to degC (by their ``units`` attribute). Extra dims (a single
    grid point's ``latitude``/``longitude``) of length 1 are dropped.

    Parameters
    ----------
    path : str or os.PathLike
        The NetCDF file.
    temp_air, dew_point, relative_humidity, pressure, time : str
        Variable names; give ``relative_humidity`` (in %) instead of
        ``dew_point`` if the file has it.

    Returns
    -------
    xarray.Dataset
        ``temp_air`` [degC], ``relative_humidity`` [%] and ``pressure`` [Pa] on UTC
        time, as :func:`read_epw` returns them.
    """
    source = read_input_file(xr.load_dataset, path, "weather NetCDF file")
    if time != "time":
        source = source.rename({time: "time"})
    wanted = [temp_air, pressure, relative_humidity or dew_point]
    missing = [name for name in wanted if name not in source]
    if missing:
        raise ValueError(f"{path}: missing variables {missing} (has {list(source.data_vars)})")
    source = source.squeeze(drop=True)

    def celsius(name):
        da = source[name].astype(np.float64)
        return da - 273.15 if da.attrs.get("units") in ("K", "kelvin", "Kelvin") else da

    temp = celsius(temp_air)
    if temp.dims != ("time",):
        raise ValueError(
            f"{path}: {temp_air} has dims {temp.dims}; select one grid point first "
            "(e.g. ds.sel(latitude=59.2, longitude=8.8, method='nearest'))"
        )
    if relative_humidity is not None:
        humidity = source[relative_humidity].astype(np.float64).values
    else:
        dew = celsius(dew_point).values
        # a dew point a rounding error above the temperature would give RH > 100 %: clipped
        humidity = np.clip(_relative_humidity(temp.values, dew), 0.0, 100.0)
    index = _utc_index(pd.DatetimeIndex(source["time"].values), "UTC")
    weather = xr.Dataset(
        {
            "temp_air": ("time", temp.values),
            "relative_humidity": ("time", humidity),
            "pressure": ("time", source[pressure].astype(np.float64).values),
        },
        coords={"time": index},
        attrs={"source": f"NetCDF file {os.fspath(path)}"},
    )
    return validate_weather(weather, f"{path}")


def _site_data(site: str) -> dict:
    import tomllib
    from importlib import resources

    files = {"tordal": "climate_tordal.toml"}
    if site not in files:
        raise KeyError(f"site: {site!r} has no built-in climate; known: {sorted(files)}")
    text = resources.files("powermodel.data").joinpath(files[site]).read_text("utf-8")
    return tomllib.loads(text)


def _seasonal(monthly, day_of_year):
    """Monthly values (mid-month) interpolated linearly and periodically by day of year."""
    middles = (np.arange(12) + 0.5) * 365.25 / 12.0
    return periodic_interp(day_of_year, middles, monthly, 365.25)


def synthetic(
    site="tordal", start="2025-01-01", periods=8760, freq="1h", scenarios=1, seed=0
) -> xr.Dataset:
    """Weather scenarios drawn from the built-in climate of a site.

    Hourly temperature = smoothed monthly normal + a daily anomaly + a
    diurnal cosine (minimum near 03:00, maximum near 15:00 local standard
    time) of the month's mean daily range. The daily anomalies follow a
    stationary AR(1) process of the climate's lag-1 correlation, scaled by
    the month's anomaly standard deviation, so that cold and warm spells
    persist for days. Humidity: the daily mean dew point sits the month's
    dew-point depression below the daily mean temperature; relative
    humidity follows from it and the hourly temperature (ASHRAE saturation
    pressure), so it peaks at dawn as observed. Pressure: the standard
    pressure at the site's elevation.

    Parameters
    ----------
    site : {"tordal"}
        Built-in climate (``powermodel/data/climate_<site>.toml``, with the
        source of every number).
    start, periods, freq
        The UTC time grid, as :func:`powermodel.timegrid.time_grid`.
    scenarios : int or sequence of int
        ``N`` gives scenarios ``0 .. N-1``; a sequence picks scenario ids.
    seed : int
        Scenario ``k`` of seed ``s`` depends only on ``(s, k)``: not on
        which other scenarios are drawn, nor in which order.

    Returns
    -------
    xarray.Dataset
        ``temp_air``, ``relative_humidity``, ``pressure`` on
        ``(scenario, time)``.
    """
    from powermodel.psychrometrics import standard_pressure
    from powermodel.timegrid import time_grid

    data = _site_data(site)
    monthly, anomaly = data["monthly"], data["anomaly"]
    ids = scenario_ids(scenarios)
    times = time_grid(start, periods=periods, freq=freq)
    # local standard time (UTC+1 for Norway) for the daily cycle and the calendar
    local = times + pd.Timedelta("1h")
    day_number = ((local.normalize() - local[0].normalize()).days).to_numpy()
    days = int(day_number[-1]) + 1
    first_day = local[0].normalize()
    day_of_year = (
        pd.DatetimeIndex(first_day + pd.to_timedelta(np.arange(days), "D")).day_of_year.to_numpy()
        - 0.5
    )
    hour = (local.hour + local.minute / 60.0).to_numpy()

    phi = float(anomaly["lag1_correlation"])
    noise = np.stack([np.random.default_rng([int(seed), int(k)]).standard_normal(days)
                      for k in ids])  # fmt: skip
    z = ar1(noise[:, 0], noise, phi)  # stationary start
    daily_mean = (
        _seasonal(monthly["temp_air_reference"], day_of_year)
        + float(monthly["temp_air_offset"])
        + _seasonal(monthly["anomaly_std"], day_of_year) * z
    )
    half_range = 0.5 * _seasonal(monthly["diurnal_range"], day_of_year)[day_number]
    temp = daily_mean[:, day_number] + half_range * np.cos(2.0 * np.pi * (hour - 15.0) / 24.0)
    dew = (daily_mean - _seasonal(monthly["dew_point_depression"], day_of_year))[:, day_number]
    humidity = _relative_humidity(temp, dew)
    pressure = np.full_like(temp, standard_pressure(float(data["site"]["elevation"])))
    weather = xr.Dataset(
        {
            "temp_air": (("scenario", "time"), temp),
            "relative_humidity": (("scenario", "time"), np.minimum(humidity, 100.0)),
            "pressure": (("scenario", "time"), pressure),
        },
        coords={"scenario": ids, "time": times},
        attrs={
            "source": f"powermodel synthetic climate '{site}', seed {seed}",
            "site": data["site"]["name"],
            "latitude": data["site"]["latitude"],
            "longitude": data["site"]["longitude"],
            "elevation": data["site"]["elevation"],
        },
    )
    return validate_weather(weather, f"synthetic climate {site!r}")
