"""Electricity prices in: day-ahead price files users have, and seeded price scenarios.

Readers of the files a planner already has, both in local market time with
daylight saving (the autumn night has its 02:00-03:00 hour twice, the spring
night none), returned on a UTC grid:

- :func:`read_entsoe`: the ENTSO-E Transparency Platform's day-ahead price
  export (CSV), columns ``MTU (CET/CEST)`` (``"dd.mm.yyyy HH:MM - dd.mm.yyyy
  HH:MM"``, or with ``/`` and seconds as the newer platform writes them; the
  repeated hour may carry ``(CET)`` / ``(CEST)``) and ``Day-ahead Price
  [EUR/MWh]`` (``n/e`` or ``-`` where no price was published);
- :func:`read_nordpool`: Nord Pool's day-ahead price export (CSV, ``,`` or
  ``;``, decimal comma or point), columns ``Delivery Start (CET)`` and one
  per area named ``"<area> (<currency>)"``, e.g. ``NO2 (EUR)``.

Hourly (60-minute MTU) and 15-minute files both read; SDAC has settled in
15-minute steps since 1 October 2025 (Nord Pool). :func:`synthetic` draws
seeded Monte Carlo price scenarios. No file is downloaded: the package
ships only small generated samples in the two formats (``powermodel/data/``).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from powermodel import inflow as _inflow
from powermodel._stochastic import ar1, scenario_ids
from powermodel.timegrid import row_sum, time_grid, time_step

__all__ = ["MARKET_TIMEZONE", "PriceModel", "read", "read_entsoe", "read_nordpool", "synthetic"]

#: The day-ahead market's clock (CET/CEST), the same as Norway's.
MARKET_TIMEZONE = "Europe/Brussels"

#: Random stream of the price scenarios: scenario ``k`` of seed ``s`` draws from
#: ``default_rng([s, k, STREAM])`` (inflow uses 2, the workload 3).
STREAM = 4


def _to_utc(local: pd.Series, dst: np.ndarray | None, path) -> pd.DatetimeIndex:
    """Local market times (naive) to UTC; the repeated autumn hour by flag or by order."""
    index = pd.DatetimeIndex(np.asarray(local, "datetime64[ns]"))
    try:
        ambiguous = dst if dst is not None else "infer"
        aware = index.tz_localize(MARKET_TIMEZONE, ambiguous=ambiguous, nonexistent="raise")
    except Exception as error:  # pytz/zoneinfo errors differ between pandas versions
        raise ValueError(f"{path}: local times do not map to UTC ({error})") from None
    return aware.tz_convert("UTC").tz_localize(None)


def _regular(times: pd.DatetimeIndex, path) -> None:
    if len(times) < 2:
        raise ValueError(f"{path}: fewer than two prices")
    steps = np.unique(np.diff(times.values))
    if len(steps) != 1:
        gaps = times[1:][np.diff(times.values) != np.median(np.diff(times.values))]
        raise ValueError(f"{path}: the MTUs are not regular in UTC (first irregular at {gaps[0]})")


def _price_array(values, times, path, area, currency) -> xr.DataArray:
    return xr.DataArray(
        np.asarray(values, np.float64),
        dims="time",
        coords={"time": times},
        name="price",
        attrs={
            "units": f"{currency} MWh-1",
            "long_name": f"day-ahead price {area}".strip(),
            "source": str(path),
        },
    )


def _number(text: pd.Series) -> np.ndarray:
    """Prices as float; ``n/e``, ``-`` and blanks as NaN; a decimal comma read."""
    cleaned = text.astype(str).str.strip().str.replace(",", ".", regex=False)
    return pd.to_numeric(cleaned.where(~cleaned.isin(["n/e", "-", "", "nan"])), errors="coerce")


def read_entsoe(path) -> xr.DataArray:
    """Day-ahead prices from an ENTSO-E Transparency Platform CSV export.

    Parameters
    ----------
    path : str or path-like
        The CSV file, with columns ``MTU (CET/CEST)`` and ``Day-ahead Price
        [EUR/MWh]`` (the currency is read from the column's name).

    Returns
    -------
    xarray.DataArray
        ``price`` [EUR MWh-1] on the UTC start of each MTU (hourly or 15-min),
        NaN where the file has no price.

    Raises
    ------
    ValueError
        A missing column, times that do not parse or do not make a regular
        UTC grid (a missing or extra MTU), with the file's name.
    """
    frame = pd.read_csv(path, dtype=str)
    mtu = next((c for c in frame.columns if c.startswith("MTU")), None)
    price = next((c for c in frame.columns if "Day-ahead Price" in c), None)
    if mtu is None or price is None:
        raise ValueError(f"{path}: needs columns 'MTU (CET/CEST)' and 'Day-ahead Price [EUR/MWh]', "
                         f"found {list(frame.columns)}")  # fmt: skip
    text = frame[mtu].str.strip()
    flag = text.str.extract(r"\((CET|CEST)\)\s*$")[0]
    start = text.str.split(" - ").str[0].str.strip()
    try:
        local = pd.to_datetime(start, dayfirst=True, format="mixed")
    except (ValueError, TypeError) as error:
        raise ValueError(f"{path}: MTU times do not parse ({error})") from None
    dst = None if flag.isna().all() else (flag == "CEST").to_numpy()
    times = _to_utc(local, dst, path)
    _regular(times, path)
    match = re.search(r"\[(\w+)/MWh\]", price)
    currency = match.group(1) if match else "EUR"
    return _price_array(_number(frame[price]), times, path, "", currency)


def read_nordpool(path, area: str = "NO2") -> xr.DataArray:
    """Day-ahead prices of ``area`` from a Nord Pool CSV export.

    Parameters
    ----------
    path : str or path-like
        The CSV file, with a ``Delivery Start (CET)`` column and one per area.
    area : str
        The bidding zone whose column ``"<area> (<currency>)"`` is read, e.g.
        ``"NO2"``.

    Returns
    -------
    xarray.DataArray
        ``price`` [currency MWh-1, from the column's name] on the UTC start
        of each delivery period.

    Raises
    ------
    ValueError
        No ``Delivery Start`` column, no column for ``area``, or times that
        do not make a regular UTC grid, with the file's name.
    """
    frame = pd.read_csv(path, sep=None, engine="python", dtype=str)
    start = next((c for c in frame.columns if c.startswith("Delivery Start")), None)
    column = next((c for c in frame.columns if re.fullmatch(rf"{re.escape(area)} \(\w+\)", c)),
                  None)  # fmt: skip
    if start is None or column is None:
        raise ValueError(f"{path}: needs columns 'Delivery Start (...)' and '{area} (<currency>)', "
                         f"found {list(frame.columns)}")  # fmt: skip
    try:
        local = pd.to_datetime(frame[start].str.strip(), dayfirst=True, format="mixed")
    except (ValueError, TypeError) as error:
        raise ValueError(f"{path}: delivery times do not parse ({error})") from None
    times = _to_utc(local, None, path)
    _regular(times, path)
    currency = re.fullmatch(r".* \((\w+)\)", column).group(1)
    return _price_array(_number(frame[column]), times, path, area, currency)


def read(path, area: str = "NO2") -> xr.DataArray:
    """Day-ahead prices from an ENTSO-E or a Nord Pool CSV export, told apart by its header.

    :func:`read_entsoe` for a file with an ``MTU`` column, else
    :func:`read_nordpool` (``area``'s column).

    Parameters
    ----------
    path : str or path-like
        The CSV file, either export.
    area : str
        The bidding zone read from a Nord Pool file, e.g. ``"NO2"`` (an
        ENTSO-E file has one price column and ignores it).

    Returns
    -------
    xarray.DataArray
        ``price`` [currency MWh-1] on the UTC start of each MTU, dim ``time``;
        NaN where the file has no price.
    """
    with open(path, encoding="utf-8-sig") as file:
        header = file.readline()
    if header.startswith('"MTU') or header.startswith("MTU"):
        return read_entsoe(path)
    return read_nordpool(path, area)


@dataclass(frozen=True)
class PriceModel:
    """A zone's day-ahead price scenarios: level, shapes and noise.

    ``price = level (1 + a_s cos(2 pi (d - d_peak) / 365.25)) (1 + a_d cos(2 pi
    (h - h_peak) / 24)) exp(sigma x - sigma**2 / 2) (Q_year / Q_clim)**(-e)``

    with ``x`` a unit AR(1) series of hourly persistence ``phi``, ``h`` the
    local hour and ``d`` the day of the year, and the inflow's yearly ratio
    to its climatology raised to the elasticity ``-e`` (a dry year is a
    dear one). The level is NVE's 2023 NO2 average, 90 ore/kWh = 900 NOK
    MWh-1; the shapes, noise and elasticity are assumptions for Monte Carlo
    (winter-peaking, evening-peaking, a dry year 1 sigma below normal about
    30 % dearer), not a fit: read real series with :func:`read_entsoe` or
    :func:`read_nordpool` where they matter.

    Parameters
    ----------
    level : float
        Mean price ``level`` [currency MWh-1]; NVE's NO2 2023 average by default.
    currency : str
        Currency of the prices, e.g. ``"NOK"``; the ``units`` are
        ``"<currency> MWh-1"``.
    seasonal_amplitude : float
        Relative amplitude ``a_s`` of the yearly cosine [1], winter above summer.
    peak_day : float
        Day of the year of the seasonal peak ``d_peak`` [d], counted from 0 on
        1 January in ``timezone``.
    daily_amplitude : float
        Relative amplitude ``a_d`` of the daily cosine [1].
    peak_hour : float
        Local hour of the daily peak ``h_peak`` [h].
    sigma : float
        Standard deviation of the log-price noise [1].
    persistence : float
        Hourly AR(1) coefficient ``phi`` of the noise [1]; on a step of ``n``
        hours ``phi**n``.
    inflow_elasticity : float
        Elasticity ``e`` of the price to the yearly inflow ratio [1].
    subhourly_sigma : float
        Standard deviation of the log price between the steps of one hour [1]
        on a sub-hourly grid (the hour's mean is kept).
    timezone : str
        IANA time zone of the local hour and day of the shapes.
    """

    level: float = 900.0  # [currency MWh-1] NVE: NO2 2023 average spot price 90 ore/kWh
    currency: str = "NOK"
    seasonal_amplitude: float = 0.25  # [1] winter above summer (assumed)
    peak_day: float = 15.0  # [day of year] mid-January (assumed)
    daily_amplitude: float = 0.10  # [1] (assumed)
    peak_hour: float = 18.0  # [h local] (assumed)
    sigma: float = 0.30  # [1] of log price (assumed)
    persistence: float = 0.97  # [1] per hour (assumed)
    inflow_elasticity: float = 2.0  # [1] of price to the yearly inflow (assumed)
    # [1] of log price between the quarter hours of one hour: SDAC has cleared 15-minute
    # products since 1 October 2025 (Nord Pool); the spread is an assumption, not a fit
    subhourly_sigma: float = 0.05
    timezone: str = "Europe/Oslo"

    def replace(self, **changes) -> PriceModel:
        """A copy with ``changes`` (``dataclasses.replace``).

        Parameters
        ----------
        **changes
            New values of fields, by name.

        Returns
        -------
        PriceModel
            The copy.
        """
        return dataclasses.replace(self, **changes)


def synthetic(
    zone_name="NO2",
    start="2025-01-01",
    periods=8760,
    freq="1h",
    scenarios=1,
    seed=0,
    *,
    model: PriceModel | None = None,
    inflow: xr.DataArray | None = None,
) -> xr.DataArray:
    """Seeded day-ahead price scenarios [currency MWh-1], dims (time, scenario).

    Parameters
    ----------
    zone_name : str
        Built-in zone (its inflow climatology scales a dry or wet year).
    start, periods, freq
        The UTC time grid (:func:`powermodel.timegrid.time_grid`), e.g.
        ``freq="15min"``.
    scenarios : int or sequence of int
        ``N`` gives scenarios ``0 .. N-1``; a sequence picks scenario ids.
    seed : int
        Scenario ``k`` depends only on ``(seed, k)`` (and on its inflow).
    model : PriceModel, optional
        The price process' parameters (default: the zone's built-in model).
    inflow : xarray.DataArray, optional
        The same scenarios' inflow [W] (:func:`powermodel.inflow.synthetic`),
        (time, scenario): each calendar year's ratio to the climatology sets
        that year's price factor. Without it the factor is 1.

    Returns
    -------
    xarray.DataArray
        ``price`` [currency MWh-1], dims (time, scenario); ``units``
        ``"<currency> MWh-1"``.

    Notes
    -----
    On a sub-hourly grid (``"15min"``) each hour is the same scenario's
    hourly price and its quarter hours scatter around it
    (``PriceModel.subhourly_sigma``) with the hour's mean kept exactly, so
    a run at 15 minutes and one at an hour see the same hourly prices.
    """
    model = PriceModel() if model is None else model
    times = time_grid(start, periods=periods, freq=freq)
    ids = scenario_ids(scenarios)
    step = time_step(times)
    if step >= _HOUR:
        values = _hourly_model(model, times, ids, seed)
    else:
        values = _within_hours(model, times, ids, seed)
    if inflow is not None:
        values = values * _dry_year_factor(inflow, times, ids, zone_name, model).T
    return xr.DataArray(
        values.T,
        dims=("time", "scenario"),
        coords={"time": times, "scenario": ids},
        name="price",
        attrs={
            "units": f"{model.currency} MWh-1",
            "long_name": f"day-ahead price of {zone_name} (synthetic)",
            "source": f"powermodel synthetic prices {zone_name!r}, seed {seed}",
        },
    )


_HOUR = pd.Timedelta("1h")


def _hourly_model(model, times, ids, seed) -> np.ndarray:
    """(scenario, time): level, seasonal and daily shape and AR(1) noise, steps >= 1 h."""
    local = times.tz_localize("UTC").tz_convert(model.timezone)
    day = (local.day_of_year - 1 + local.hour / 24.0).to_numpy()
    hour = (local.hour + local.minute / 60.0).to_numpy()
    season = 1 + model.seasonal_amplitude * np.cos(2 * np.pi * (day - model.peak_day) / 365.25)
    daily = 1 + model.daily_amplitude * np.cos(2 * np.pi * (hour - model.peak_hour) / 24.0)
    step_h = time_step(times) / _HOUR
    phi = model.persistence**step_h  # the same hourly memory on any grid
    draws = []
    for k in ids:
        rng = np.random.default_rng([int(seed), int(k), STREAM])
        draws.append((rng.standard_normal(), rng.standard_normal(len(times))))
    x = ar1([d[0] for d in draws], np.array([d[1] for d in draws]).reshape(len(ids), -1), phi)
    noise = np.exp(model.sigma * x - 0.5 * model.sigma**2)
    return model.level * season * daily * noise


def _within_hours(model, times, ids, seed) -> np.ndarray:
    """(scenario, time) on a sub-hourly grid: each hour's price, shaped within the hour.

    The hours are the same scenario's hourly prices (the same draws as on an
    hourly grid); the steps within each hour scatter around it by
    ``exp(s z) / mean_hour(exp(s z))``, so every hour's mean price is the
    hourly price exactly (energy bought at a flat load costs the same).
    """
    step = time_step(times)
    per = _HOUR / step
    if per != int(per):
        raise ValueError(f"freq: a sub-hourly step must divide the hour, got {step}")
    per = int(per)
    first = times[0].floor("1h")
    hours = int(np.ceil((times[-1] + step - first) / _HOUR))
    hourly = _hourly_model(model, time_grid(first, periods=hours, freq="1h"), ids, seed)
    z = np.array([np.random.default_rng([int(seed), int(k), STREAM, 1]).standard_normal(
        hours * per) for k in ids]).reshape(len(ids), hours, per)  # fmt: skip
    shape = np.exp(model.subhourly_sigma * z)
    shape /= shape.mean(axis=2, keepdims=True)
    values = (hourly[:, :, None] * shape).reshape(len(ids), hours * per)
    offset = int((times[0] - first) / step)
    return values[:, offset : offset + len(times)]


def _dry_year_factor(inflow, times, ids, zone_name, model) -> np.ndarray:
    """(time, scenario): each calendar year's (inflow / climatology) ** -elasticity."""
    if inflow.sizes.get("time") != len(times) or not np.array_equal(
        inflow["time"].values, times.values
    ):
        raise ValueError("inflow: must be on the same time grid as the prices")
    q = np.asarray(inflow.transpose("time", ...).values, np.float64).reshape(len(times), -1)
    if q.shape[1] != len(ids):
        raise ValueError(f"inflow: has {q.shape[1]} scenarios, the prices {len(ids)}")
    clim = _inflow.climatology(times, zone_name)
    factor = np.empty_like(q)
    for year in np.unique(times.year):
        rows = times.year == year
        ratio = row_sum(q[rows].T) / clim[rows].sum()  # each scenario's own sum: chunk-free
        factor[rows] = ratio ** (-model.inflow_elasticity)
    return factor
