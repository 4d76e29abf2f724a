"""The site's grid connection: contracted capacity in phases, served and unserved demand.

The connection's contracted capacity steps up on given dates (the Tørdal
hall: 12 MW now, up to 52 MW later). Each step the site can draw up to that
capacity, less the share the zone sheds from every load when it runs short
(``rationing`` of :func:`powermodel.zone.supply`)::

    served = min(demand, capacity, capacity (1 - rationing))
    over_contract = demand - min(demand, capacity)         (a planning shortfall)
    curtailed = min(demand, capacity) - served              (the zone could not serve it)
    demand = served + over_contract + curtailed

The physics is :func:`powermodel.kernels.zone.grid_supply`.

Examples
--------
>>> import pandas as pd
>>> from powermodel import grid
>>> time = pd.date_range("2026-12-31 22:00", periods=4, freq="1h")
>>> cap = grid.connection_capacity([("2025-10-01", 12e6), ("2027-01-01", 52e6)], time)
>>> (cap.values / 1e6).tolist()
[12.0, 12.0, 52.0, 52.0]
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import xarray as xr

from powermodel._api import label, operand
from powermodel.backends import specs
from powermodel.backends._dispatch import run
from powermodel.hydro import _check_rates, _time_scenario
from powermodel.timegrid import _reduced, row_hours, row_sum, time_step

__all__ = ["connection_capacity", "cost", "emissions", "site_supply", "summarize"]


def connection_capacity(phases, time) -> xr.DataArray:
    """Contracted capacity [W] in force at each time stamp.

    Parameters
    ----------
    phases : sequence of (start, capacity)
        Start date (anything :class:`pandas.Timestamp` reads, UTC) and
        capacity [W] of each phase, in increasing order of start. Before the
        first phase the capacity is 0.
    time : array of datetime64
        UTC time stamps (zone-aware ones are converted to UTC).
    """
    index = pd.DatetimeIndex(time)
    if index.tz is not None:
        index = index.tz_convert("UTC").tz_localize(None)
    starts = [pd.Timestamp(start) for start, _ in phases]
    values = [float(capacity) for _, capacity in phases]
    if not phases:
        raise ValueError("phases: at least one (start, capacity) phase is needed")
    if any(b <= a for a, b in itertools.pairwise(starts)):
        raise ValueError(f"phases: start dates must increase, got {[str(s) for s in starts]}")
    if not all(np.isfinite(v) and v >= 0 for v in values):
        raise ValueError(f"phases: capacities must be finite and >= 0 W, got {values}")
    which = np.searchsorted(np.asarray(starts, "datetime64[ns]"), index.values, side="right") - 1
    capacity = np.where(which >= 0, np.asarray(values)[np.maximum(which, 0)], 0.0)
    return label(
        xr.Dataset({"grid_capacity": xr.DataArray(capacity, dims="time", coords={"time": index})})
    )["grid_capacity"]


def site_supply(demand, capacity, rationing=0.0, *, backend="auto") -> xr.Dataset:
    """What the grid connection serves of the site's demand.

    Parameters
    ----------
    demand : xarray.DataArray
        The site's facility power [W], >= 0, dims (time[, scenario]).
    capacity : float or xarray.DataArray
        Contracted capacity [W], e.g. :func:`connection_capacity`.
    rationing : float or xarray.DataArray
        Share of every load the zone sheds [1], e.g. ``zone.supply(...)
        ["rationing"]``; 0 for a firm supply.
    backend : {"auto", "numpy", "numba", "cupy"}

    Returns
    -------
    xarray.Dataset
        ``served``, ``over_contract``, ``curtailed``, ``unserved`` [W], dims
        (time, scenario), and ``grid_capacity`` [W]. ``demand = served +
        unserved`` and ``unserved = over_contract + curtailed`` at every step.
    """
    load = _time_scenario(demand, "demand")
    _check_rates(load, "demand")
    cap = _time_scenario(operand(capacity, "capacity"), "capacity", load).astype(
        load.dtype, copy=False
    )
    _check_rates(cap, "capacity")
    share = _time_scenario(operand(rationing, "rationing"), "rationing", load).astype(
        load.dtype, copy=False
    )
    if int(((share < 0) | (share > 1)).sum()):
        raise ValueError("rationing: values outside [0, 1]")
    try:
        load, cap, share = xr.broadcast(*xr.align(load, cap, share, join="exact"))
    except ValueError as error:
        raise ValueError(f"inputs: coordinates do not align ({error})") from None
    arrays = supply_arrays(load.data, cap.data, share.data, backend=backend)
    out = xr.Dataset({name: load.copy(deep=False, data=a) for name, a in arrays.items()})
    out["grid_capacity"] = capacity if isinstance(capacity, xr.DataArray) else cap
    return label(out)


def supply_arrays(demand, capacity, rationing, *, backend="auto") -> dict:
    """:func:`site_supply` on arrays of one shape [W, W, 1]: its (time, scenario)
    outputs by name."""
    columns = run(specs.GRID_SUPPLY, [demand, capacity, rationing], backend=backend)
    out = dict(zip(specs.GRID_SUPPLY.outputs, columns, strict=True))
    out["unserved"] = out["over_contract"] + out["curtailed"]
    return out


def summarize(supply: xr.Dataset, *, dim="time", tolerance=1.0) -> xr.Dataset:
    """Energy served and unserved, and hours with unserved demand, per scenario.

    Parameters
    ----------
    supply : xarray.Dataset
        Output of :func:`site_supply`.
    tolerance : float
        Unserved power [W] below which a step counts as served (rounding).

    Returns
    -------
    xarray.Dataset
        ``energy_served``, ``energy_unserved``, ``energy_curtailed``,
        ``energy_over_contract`` [J] and ``unserved_hours``,
        ``curtailed_hours``, ``over_contract_hours`` [h]. A scenario with a
        NaN step has NaN totals and counts (:func:`powermodel.timegrid.time_sum`):
        an unknown step may have been unserved.
    """
    step = time_step(supply[dim]).total_seconds()
    moved = {name: supply[name].transpose(..., dim) for name in SUMMARIZED}
    totals = summary_arrays(*(moved[name].values for name in SUMMARIZED), step, tolerance)
    template = moved["served"]
    return label(xr.Dataset({name: _reduced(template, v, {}) for name, v in totals.items()}))


#: the site_supply variables summarize reads, in the order summary_arrays takes them
SUMMARIZED = ("served", "unserved", "curtailed", "over_contract")


def summary_arrays(served, unserved, curtailed, over_contract, step: float, tolerance=1.0):
    """:func:`summarize` on arrays with time last [W], step [s]: its totals by name."""
    out = {}
    powers = {"served": served, "unserved": unserved, "curtailed": curtailed,
              "over_contract": over_contract}  # fmt: skip
    for name, values in powers.items():
        out[f"energy_{name}"] = row_sum(values * step)
    hours = step / 3600.0
    for name in ("unserved", "curtailed", "over_contract"):
        values = powers[name]
        out[f"{name}_hours"] = row_hours(values > tolerance, ~np.isnan(values), hours)
    return out


def cost(served, price, *, tariff=0.0, dim="time") -> xr.DataArray:
    """Energy cost of ``served`` [W] at ``price`` plus ``tariff`` [currency MWh-1].

    Returns the total over ``dim`` [currency]; NaN if any step is NaN.
    """
    step = time_step(served[dim]).total_seconds()
    price_units = getattr(price, "attrs", {}).get("units", "currency MWh-1")
    served, price = _time_last(served, price, dim)
    total = _reduced(served, cost_arrays(served.values, price, step, tariff), {})
    return total.rename("cost").assign_attrs(
        units=price_units.split()[0],
        long_name="cost of the energy served (energy price plus network tariff)",
    )


def cost_arrays(served, price, step: float, tariff=0.0):
    """:func:`cost` on arrays with time last: ``served`` [W], ``price`` [currency MWh-1]."""
    energy_mwh = served.astype(np.float64, copy=False) * step / 3.6e9
    return row_sum(energy_mwh * (price + tariff))


def emissions(served, carbon_intensity, *, dim="time") -> xr.DataArray:
    """Emissions of the energy ``served`` [W] at ``carbon_intensity`` [g kWh-1], in kg.

    Pass :func:`powermodel.zone.carbon_intensity` with the basis named. NaN if
    any step is NaN.
    """
    step = time_step(served[dim]).total_seconds()
    basis = carbon_intensity.attrs.get("long_name", "")
    served, intensity = _time_last(served, carbon_intensity, dim)
    total = _reduced(served, emission_arrays(served.values, intensity, step), {})
    return total.rename("emissions").assign_attrs(
        units="kg", long_name=f"CO2e emissions of the energy served; {basis}".rstrip("; ")
    )


def emission_arrays(served, carbon_intensity, step: float):
    """:func:`emissions` [kg] on arrays with time last: ``served`` [W], intensity [g kWh-1]."""
    energy_kwh = served.astype(np.float64, copy=False) * step / 3.6e6
    return row_sum(energy_kwh * carbon_intensity) / 1000.0


def _time_last(served: xr.DataArray, other, dim: str):
    """``served`` with ``dim`` last and ``other`` (a number or DataArray) as its array."""
    if not isinstance(other, xr.DataArray):
        return served.transpose(..., dim), other
    served, other = xr.broadcast(*xr.align(served, other))
    served = served.transpose(..., dim)
    return served, other.transpose(*served.dims).values
