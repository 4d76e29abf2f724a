"""Water values without foresight: stochastic dynamic programming over weeks.

The value of a joule of stored water is what it will earn later, in
expectation over the inflow and price scenarios, when it is released at
the best moment (Nordic long-term models, EMPS and ProdRisk: Wolfgang et
al. 2009, Energy 34: 1642-1651). :func:`water_values` computes the table
of that value by week and filling with a backward recursion; its physics
(one stage, one filling, one scenario) is
:func:`powermodel.kernels.water.best_release_value`.

>>> import numpy as np, pandas as pd, xarray as xr
>>> from powermodel import hydro, water
>>> times = pd.date_range("2025-01-01", periods=24 * 7 * 4, freq="h")
>>> q = xr.DataArray(np.full((times.size, 3), 1e9), dims=("time", "scenario"),
...                  coords={"time": times})
>>> dam = hydro.Reservoir(capacity=3.6e15, release_max=3e9)
>>> table = water.water_values(q, 1e9, 40.0, dam, import_limit=5e8, export_limit=5e8,
...                            points=11, backend="numpy")
>>> table.water_value.dims
('week', 'filling')
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from powermodel._api import check_non_negative, label
from powermodel.backends import run, specs
from powermodel.backends.physics import J_PER_MWH, WaterValueParameters
from powermodel.hydro import Reservoir, _check_rates, _time_scenario
from powermodel.timegrid import time_step

__all__ = ["SCARCITY_PRICE", "STAGE", "water_values", "weekly"]

#: The stage of the recursion: a week.
STAGE = pd.Timedelta(weeks=1)

#: Default value of lost load [currency MWh-1]: the harmonised maximum clearing
#: price of the single European day-ahead coupling (SDAC), 4,000 EUR MWh-1
#: (Nord Pool, "Harmonised max and min clearing price"). In EUR: convert it
#: for prices in another currency.
SCARCITY_PRICE = 4000.0


def weekly(da: xr.DataArray, how: str) -> xr.DataArray:
    """``da`` (time, scenario) per whole week from its first stamp: ``"energy"``
    sums a rate [W] over each week [J], ``"mean"`` averages it over the week.

    A trailing part of a week is dropped.

    Parameters
    ----------
    da : xarray.DataArray
        A rate [W] (or, with ``"mean"``, any quantity), dims (time[,
        scenario]), on a regular grid whose step divides a week.
    how : {"energy", "mean"}
        Sum over each week times the step (energy [J]) or the week's mean
        (in the units of ``da``).

    Returns
    -------
    xarray.DataArray
        Float64, dims (week[, scenario]), with coordinates ``week`` (0, 1,
        ...) and ``week_start`` (each week's first time stamp).
    """
    step = time_step(da["time"])
    per_week = int(STAGE / step)
    if per_week * step != STAGE:
        raise ValueError(f"time: a step of {step} does not divide a week")
    weeks = da.sizes["time"] // per_week
    if weeks < 1:
        raise ValueError(f"time: {da.sizes['time']} steps of {step} are less than one week")
    values = np.asarray(da.values[: weeks * per_week], np.float64)
    blocks = values.reshape(weeks, per_week, *values.shape[1:])
    if how == "energy":
        out = blocks.sum(axis=1) * step.total_seconds()
    elif how == "mean":
        out = blocks.mean(axis=1)
    else:
        raise ValueError(f'how: {how!r} is not "energy" or "mean"')
    starts = da["time"].values[: weeks * per_week : per_week]
    return xr.DataArray(out, dims=("week", *da.dims[1:]), coords={"week": np.arange(weeks),
                        "week_start": ("week", starts)})  # fmt: skip


def water_values(
    inflow,
    demand,
    price,
    reservoir: Reservoir,
    *,
    import_limit,
    export_limit,
    scarcity_price=SCARCITY_PRICE,
    points=51,
    cycles=3,
    backend="auto",
) -> xr.Dataset:
    """The value of stored water by week and filling, without foresight.

    Parameters
    ----------
    inflow : xarray.DataArray
        Inflow [W] (energy equivalent), >= 0, dims (time, scenario), on a
        regular grid whose step divides a week; a year of hours gives 52
        weekly stages (the last 24 hours are dropped).
    demand : float or xarray.DataArray
        Net demand on the reservoir [W] (zone demand minus run of river
        and must-run generation), dims (time[, scenario]).
    price : float or xarray.DataArray
        The neighbours' price [currency MWh-1] at which the zone exports
        and imports, dims (time[, scenario]); averaged over each week.
        Scenario ``k`` of the price goes with scenario ``k`` of the inflow,
        so a correlation between them is kept.
    reservoir : Reservoir
        With ``units="J"``; its turbine capacity, minimum release and dead
        storage bound the release.
    import_limit, export_limit : float
        Interconnector limits [W].
    scarcity_price : float
        Value of lost load [currency MWh-1] (:data:`SCARCITY_PRICE`).
    points : int
        Filling points ``0, 1/(points-1), ..., 1`` of the table, >= 2. The
        release is exact for the interpolated table (no release grid);
        the water values converge as the grid refines (the README gives
        the measured convergence).
    cycles : int
        Passes over the weeks, >= 1: the first ends with water worth
        nothing, each next one with the previous pass's first week, which
        converges to a periodic (year-on-year) table.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    xarray.Dataset
        Dims (week, filling): ``value`` [currency], the expected trade
        value of the rest of the horizon from that week and filling
        (relative to the terminal value at an empty reservoir), and
        ``water_value`` [currency MWh-1], its slope ``dV/dS``.
    """
    if not isinstance(reservoir, Reservoir) or reservoir.units != "J":
        raise ValueError("reservoir: water values need an energy reservoir (units='J')")
    for name, value in (("points", points), ("cycles", cycles)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise TypeError(f"{name}: expected an integer, got {value!r}")
    if points < 2:
        raise ValueError(f"points: need at least 2 filling points, got {points}")
    if cycles < 1:
        raise ValueError(f"cycles: need at least 1 pass, got {cycles}")
    check_non_negative(import_limit=import_limit, export_limit=export_limit,
                       scarcity_price=scarcity_price)  # fmt: skip
    q = _time_scenario(inflow, "inflow")
    _check_rates(q, "inflow")
    d = _time_scenario(demand, "demand", q)
    c = _time_scenario(price, "price", q)
    seconds = STAGE.total_seconds()
    p = WaterValueParameters(
        capacity=reservoir.capacity,
        storage_min=reservoir.storage_min,
        release_min=reservoir.release_min * seconds,
        release_max=min(reservoir.release_max, np.finfo(np.float64).max / seconds) * seconds,
        import_limit=float(import_limit) * seconds,
        export_limit=float(export_limit) * seconds,
        scarcity_price=float(scarcity_price),
    )
    stages = [weekly(q, "energy"), weekly(d, "energy"), weekly(c, "mean")]
    options = {"points": int(points), "cycles": int(cycles)}
    (value,) = run(specs.WATER_VALUES, [s.values for s in stages], (p,), backend=backend,
                   options=options)  # fmt: skip
    filling = np.linspace(0.0, 1.0, points)
    slope = np.gradient(value, filling * reservoir.capacity, axis=1) * J_PER_MWH
    coords = {"week": stages[0]["week"], "week_start": stages[0]["week_start"],
              "filling": filling}  # fmt: skip
    out = xr.Dataset(
        {"value": (("week", "filling"), value), "water_value": (("week", "filling"), slope)},
        coords=coords,
    )
    out = label(out)
    currency = getattr(price, "attrs", {}).get("units", "currency MWh-1").split()[0]
    out["value"].attrs["units"] = currency
    out["water_value"].attrs["units"] = f"{currency} MWh-1"
    out.attrs.update(points=int(points), cycles=int(cycles), scenarios=q.sizes["scenario"],
                     scarcity_price=float(scarcity_price))  # fmt: skip
    return out
