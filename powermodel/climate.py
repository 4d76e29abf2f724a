"""Hourly weather from the files users have: EPW, NetCDF (ERA5-style) and CSV.

Every reader returns the same ``xarray.Dataset``: ``temp_air`` [degC],
``relative_humidity`` [%] and ``pressure`` [Pa] on a regular UTC ``time``
coordinate, each with ``units`` and ``long_name``, checked by
:func:`validate_weather`. Values are labelled with the start of the
interval they describe (the package's convention, see
:mod:`powermodel.timegrid`).

The built-in synthetic climate of the default site is not here yet (issue
3); this module reads real data.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import xarray as xr

from powermodel.timegrid import validate_time
from powermodel.variables import attrs

__all__ = ["WEATHER_VARIABLES", "read_csv", "read_epw", "read_netcdf", "validate_weather"]

WEATHER_VARIABLES = ("temp_air", "relative_humidity", "pressure")


def _label(dataset: xr.Dataset) -> xr.Dataset:
    for name in WEATHER_VARIABLES:
        dataset[name].attrs = attrs(name)
    return dataset


def validate_weather(weather: xr.Dataset, source: str = "weather") -> xr.Dataset:
    """Check a weather Dataset; return it with float64 variables and labels.

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
    for name, low, high in [
        ("relative_humidity", 0.0, 100.0),
        ("temp_air", -100.0, 60.0),
        ("pressure", 30e3, 110e3),
    ]:
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
    time, temp_air, relative_humidity, pressure : str
        Column names in the file: time stamps (start of each interval),
        dry bulb [degC], relative humidity [%], pressure.
    timezone : str
        Zone of naive time stamps (aware stamps keep their own).
    pressure_units : {"Pa", "hPa", "kPa"}

    Returns
    -------
    xarray.Dataset
    """
    scale = {"Pa": 1.0, "hPa": 100.0, "kPa": 1000.0}
    if pressure_units not in scale:
        raise ValueError(f"pressure_units: {pressure_units!r} is not one of {list(scale)}")
    frame = pd.read_csv(path)
    columns = {time: "time", temp_air: "temp_air", relative_humidity: "relative_humidity",
               pressure: "pressure"}  # fmt: skip
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing columns {missing} (columns: {list(frame.columns)})")
    index = _utc_index(pd.DatetimeIndex(pd.to_datetime(frame[time])), timezone)
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
    temp_air, dew_point, relative_humidity, pressure, time : str
        Variable names; give ``relative_humidity`` (in %) instead of
        ``dew_point`` if the file has it.

    Returns
    -------
    xarray.Dataset
    """
    from powermodel.backends.numpy_psychrometrics import _saturation_vapor_pressure

    with xr.open_dataset(path) as source:
        source = source.load()
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
        humidity = 100.0 * _saturation_vapor_pressure(dew) / _saturation_vapor_pressure(temp.values)
        humidity = np.clip(humidity, 0.0, 100.0)
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
