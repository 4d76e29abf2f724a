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

**Conditional connections.** While the grid is reinforced, a grid operator
may offer a connection with a firm part and a non-firm part it can curtail
(in Norway "tilknytning med vilkår om utkobling eller begrensning",
conditional connection on terms of disconnection or limitation, allowed
since 2021 by NEM-forskriften §§ 3-1 and 3-2 third paragraph: the terms must
say in which concrete cases curtailment may happen, NVE-RME,
https://www.nve.no/reguleringsmyndigheten/regulering/nettvirksomhet/nettilknytning/leveringsplikt/tilknytning-med-vilkaar-om-utkobling/;
in Britain "flexible" or "non-firm" connections under active network
management, with the operator's curtailment estimate in the offer,
https://www.energynetworks.org/electricity/futures/flexible-connections.html).
Each hour the site may draw::

    available = firm + non_firm (1 - curtailment)

with ``curtailment`` (0..1) an input series or :func:`curtailment_signal`,
a seeded process tied to the zone's stress. :func:`conditional_summary`
counts the hours and energy of demand above it, and what a site battery
(:mod:`powermodel.battery`) dispatched against it closes.

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
from powermodel._stochastic import scenario_ids
from powermodel.backends import specs
from powermodel.backends._dispatch import run
from powermodel.hydro import _check_rates, _time_scenario
from powermodel.timegrid import _reduced, row_hours, row_sum, time_step

__all__ = [
    "available_capacity",
    "conditional_summary",
    "connection_capacity",
    "connection_parts",
    "cost",
    "curtailment_signal",
    "emissions",
    "reservoir_stress",
    "site_supply",
    "summarize",
]

#: the seed stream of :func:`curtailment_signal`: ``default_rng([s, k, STREAM])`` (inflow
#: uses 2, the workload 3, prices 4)
STREAM = 6


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

    Returns
    -------
    xarray.DataArray
        ``grid_capacity`` [W], dim ``time`` (UTC, timezone-naive).
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
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

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
    outputs by name.

    Parameters
    ----------
    demand : numpy.ndarray
        The site's facility power [W], >= 0, dims (time, scenario).
    capacity : numpy.ndarray
        Contracted capacity [W], same shape.
    rationing : numpy.ndarray
        Share of every load the zone sheds [1], 0..1, same shape.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    dict of str to numpy.ndarray
        ``served``, ``over_contract``, ``curtailed`` and ``unserved`` [W], each
        of the inputs' shape (cupy arrays on the ``"cupy"`` backend).
    """
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
    dim : str
        The time dimension summed over.
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
    """:func:`summarize` on arrays with time last [W], step [s]: its totals by name.

    Parameters
    ----------
    served, unserved, curtailed, over_contract : numpy.ndarray
        The :func:`site_supply` powers of those names [W], one shape, time last.
    step : float
        The time step [s].
    tolerance : float
        Power [W] below which a step counts as served (rounding).

    Returns
    -------
    dict of str to numpy.ndarray
        ``energy_served``, ``energy_unserved``, ``energy_curtailed``,
        ``energy_over_contract`` [J] and ``unserved_hours``, ``curtailed_hours``,
        ``over_contract_hours`` [h], float64, the inputs' shape without the time
        axis; NaN for a row with a NaN step.
    """
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

    Parameters
    ----------
    served : xarray.DataArray
        Power served by the grid [W] (e.g. ``site_supply(...)["served"]``),
        dims (time[, scenario]).
    price : float or xarray.DataArray
        Energy price [currency MWh-1], a number or a series that broadcasts
        against ``served``; its ``units`` attribute names the currency.
    tariff : float
        Network tariff added to every step's price [currency MWh-1].
    dim : str
        The time dimension summed over.

    Returns
    -------
    xarray.DataArray
        ``cost`` [currency], ``served``'s other dims; ``units`` the price's
        currency.
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
    """:func:`cost` on arrays with time last: ``served`` [W], ``price`` [currency MWh-1].

    Parameters
    ----------
    served : numpy.ndarray
        Power served [W], time last.
    price : float or numpy.ndarray
        Energy price [currency MWh-1], a number or an array of ``served``'s shape.
    step : float
        The time step [s].
    tariff : float
        Network tariff added to the price [currency MWh-1].

    Returns
    -------
    numpy.ndarray
        Total cost [currency], float64, ``served``'s shape without the time axis.
    """
    energy_mwh = served.astype(np.float64, copy=False) * step / 3.6e9
    return row_sum(energy_mwh * (price + tariff))


def emissions(served, carbon_intensity, *, dim="time") -> xr.DataArray:
    """Emissions of the energy ``served`` [W] at ``carbon_intensity`` [g kWh-1], in kg.

    Pass :func:`powermodel.zone.carbon_intensity` with the basis named. NaN if
    any step is NaN.

    Parameters
    ----------
    served : xarray.DataArray
        Power served by the grid [W], dims (time[, scenario]).
    carbon_intensity : xarray.DataArray
        Carbon intensity of the grid's electricity [g kWh-1] (CO2e), dims
        (time[, scenario]); its ``long_name`` (the basis) goes into the result's.
    dim : str
        The time dimension summed over.

    Returns
    -------
    xarray.DataArray
        ``emissions`` [kg CO2e], ``served``'s other dims.
    """
    step = time_step(served[dim]).total_seconds()
    basis = carbon_intensity.attrs.get("long_name", "")
    served, intensity = _time_last(served, carbon_intensity, dim)
    total = _reduced(served, emission_arrays(served.values, intensity, step), {})
    return total.rename("emissions").assign_attrs(
        units="kg", long_name=f"CO2e emissions of the energy served; {basis}".rstrip("; ")
    )


def emission_arrays(served, carbon_intensity, step: float):
    """:func:`emissions` [kg] on arrays with time last: ``served`` [W], intensity [g kWh-1].

    Parameters
    ----------
    served : numpy.ndarray
        Power served [W], time last.
    carbon_intensity : float or numpy.ndarray
        Carbon intensity [g kWh-1] (CO2e), a number or an array of ``served``'s shape.
    step : float
        The time step [s].

    Returns
    -------
    numpy.ndarray
        Emissions [kg CO2e], float64, ``served``'s shape without the time axis.
    """
    energy_kwh = served.astype(np.float64, copy=False) * step / 3.6e6
    return row_sum(energy_kwh * carbon_intensity) / 1000.0


def _time_last(served: xr.DataArray, other, dim: str):
    """``served`` with ``dim`` last and ``other`` (a number or DataArray) as its array."""
    if not isinstance(other, xr.DataArray):
        return served.transpose(..., dim), other
    served, other = xr.broadcast(*xr.align(served, other))
    served = served.transpose(..., dim)
    return served, other.transpose(*served.dims).values


# ------------------------------------------------------- conditional connections


def connection_parts(phases, time) -> xr.Dataset:
    """Firm and non-firm capacity [W] in force at each time stamp.

    Parameters
    ----------
    phases : sequence of (start, firm, non_firm)
        Start date (UTC), firm and non-firm capacity [W] of each phase, in
        increasing order of start; a phase reinforced to a firm connection
        has ``non_firm = 0``. Before the first phase both are 0.
    time : array of datetime64
        UTC time stamps.

    Returns
    -------
    xarray.Dataset
        ``grid_capacity_firm`` and ``grid_capacity_non_firm`` [W], dim ``time``.
    """
    try:
        rows = [(start, float(firm), float(non_firm)) for start, firm, non_firm in phases]
    except (TypeError, ValueError):
        raise ValueError(
            f"phases: expected (start, firm, non_firm) triples, got {list(phases)!r}"
        ) from None
    firm = connection_capacity([(start, f) for start, f, _ in rows], time)
    non_firm = connection_capacity([(start, n) for start, _, n in rows], time)
    return label(xr.Dataset({"grid_capacity_firm": firm, "grid_capacity_non_firm": non_firm}))


def available_capacity(firm, non_firm, curtailment) -> xr.DataArray:
    """Capacity the site may draw [W]: ``firm + non_firm (1 - curtailment)``.

    Parameters
    ----------
    firm, non_firm : float or xarray.DataArray
        Firm and non-firm capacity [W], >= 0 (e.g. :func:`connection_parts`).
    curtailment : float or xarray.DataArray
        Share of the non-firm part curtailed [1], 0 to 1 (an input series or
        :func:`curtailment_signal`); NaN gives NaN.

    Returns
    -------
    xarray.DataArray
        ``grid_available`` [W], the inputs broadcast.
    """
    parts = {}
    for name, value in (("firm", firm), ("non_firm", non_firm), ("curtailment", curtailment)):
        da = operand(value, name)
        if name != "curtailment":
            negative = int(((da < 0) | np.isinf(da)).sum())
            if negative:
                raise ValueError(f"{name}: {negative} values negative or infinite; must be >= 0 W")
        parts[name] = da
    share = parts["curtailment"]
    outside = int(((share < 0) | (share > 1)).sum())
    if outside:
        raise ValueError(f"curtailment: {outside} values outside [0, 1]")
    try:
        firm, non_firm, share = xr.align(parts["firm"], parts["non_firm"], share, join="exact")
    except ValueError as error:
        raise ValueError(f"inputs: coordinates do not align ({error})") from None
    available = (firm + non_firm * (1.0 - share)).rename("grid_available")
    return label(available.to_dataset())["grid_available"]


def reservoir_stress(filling, guide) -> xr.DataArray:
    """The zone's stress [1]: how far its reservoirs are below their guide curve.

    ``guide - filling``, positive when the zone holds less water than its
    seasonal guide (the hours a hydro zone's grid operator is most likely
    to curtail flexible load), for :func:`curtailment_signal`.

    Parameters
    ----------
    filling : xarray.DataArray
        Reservoir filling [1], e.g. ``zone.supply(...)["filling"]``.
    guide : xarray.DataArray
        Guide filling [1], e.g. :func:`powermodel.inflow.guide_curve`.

    Returns
    -------
    xarray.DataArray
        ``grid_stress`` [1], ``guide - filling``, the inputs' dims.
    """
    filling = operand(filling, "filling")
    guide = operand(guide, "guide")
    try:
        filling, guide = xr.align(filling, guide, join="exact")
    except ValueError as error:
        raise ValueError(f"guide: coordinates do not align with the filling's ({error})") from None
    stress = (guide - filling).rename("grid_stress")
    return label(stress.to_dataset())["grid_stress"]


def curtailment_signal(stress, *, seed=0, scenarios=None, threshold=0.05, scale=0.02,
                       starts_per_day=1.0, duration=4.0, depth=1.0) -> xr.DataArray:  # fmt: skip
    """A seeded, persistent curtailment signal of the non-firm capacity, per hour.

    A two-state Markov process per scenario: curtailment events start at a
    rate that rises with the zone's ``stress`` along a logistic curve,

        rate = starts_per_day / 86400 s / (1 + exp(-(stress - threshold) / scale))

    (per step ``1 - exp(-rate dt)``), last a geometric number of steps of
    mean ``duration`` (each step of an event ends it with probability
    ``dt / duration``; one step if ``duration <= dt``), and curtail
    ``depth`` of the non-firm part while they last. Scenario ``k`` of
    ``seed`` draws one uniform number per step from
    ``numpy.random.default_rng([seed, k, STREAM])``: the signal of a
    scenario is the same whatever other scenarios run with it.

    Parameters
    ----------
    stress : xarray.DataArray
        Zone stress [any units; 1 for :func:`reservoir_stress`], dims
        (time[, scenario]); NaN gives NaN (and starts no event).
    seed : int
        Seed of the random events: scenario ``k`` depends only on ``(seed, k)``.
    scenarios : int or sequence of int, optional
        Scenario ids when ``stress`` has no ``scenario`` dim (default one,
        id 0); with one, its integer ``scenario`` coordinate (or 0..N-1).
    threshold, scale : float
        The logistic's midpoint and width [stress units]. The defaults put
        the midpoint 5 percentage points of filling below the guide curve.
    starts_per_day : float
        Event starts per day at high stress [d-1], >= 0.
    duration : float
        Mean event length [h], > 0.
    depth : float
        Share of the non-firm part curtailed during an event [1], 0 to 1
        (1: disconnected, as a Norwegian "utkobling"; less: a limitation).

    Returns
    -------
    xarray.DataArray
        ``non_firm_curtailment`` [1], dims (time, scenario).

    Notes
    -----
    The defaults are illustrative, not a published operator's numbers: the
    Norwegian regulator leaves the terms to each agreement, and the British
    operators' curtailment estimates are per connection (DCUSA DCP 404
    methodology, since April 2023); no typical hours per year were found.
    Calibrate ``starts_per_day`` and ``duration`` to the operator's offer.
    """
    for name, value, ok in (
        ("scale", scale, scale > 0), ("starts_per_day", starts_per_day, starts_per_day >= 0),
        ("duration", duration, duration > 0), ("depth", depth, 0 <= depth <= 1),
        ("threshold", threshold, np.isfinite(threshold)),
    ):  # fmt: skip
        if not (ok and np.isfinite(value)):
            raise ValueError(f"{name}: got {value!r}; see the docstring for its range")
    da = operand(stress, "stress")
    if set(da.dims) - {"time", "scenario"} or "time" not in da.dims:
        raise ValueError(f"stress: dims must be ('time', 'scenario') or ('time',), got {da.dims}")
    if "scenario" in da.dims:
        if scenarios is not None:
            raise ValueError("scenarios: stress has a 'scenario' dim already; leave it out")
        count = da.sizes["scenario"]
        ids = scenario_ids(da["scenario"].values if "scenario" in da.coords else count)
    else:
        ids = scenario_ids(1 if scenarios is None else scenarios)
        da = da.expand_dims(scenario=ids, axis=1)
    da = da.transpose("time", "scenario")
    dt = time_step(da["time"]).total_seconds()
    values = np.asarray(da.values, np.float64)
    times = values.shape[0]
    draws = np.stack(
        [np.random.default_rng([int(seed), int(k), STREAM]).random(times) for k in ids], axis=1
    )
    with np.errstate(over="ignore", invalid="ignore"):
        rate = starts_per_day / 86400.0 / (1.0 + np.exp(-(values - threshold) / scale))
        start = 1.0 - np.exp(-rate * dt)
    stop = min(dt / (duration * 3600.0), 1.0)  # geometric: a mean of `duration`
    on = np.zeros(len(ids), bool)
    signal = np.empty(values.shape)
    for t in range(times):
        # one draw decides the step: a running event ends, or a new one starts
        on = np.where(on, draws[t] >= stop, draws[t] < start[t])
        signal[t] = np.where(np.isnan(values[t]), np.nan, depth * on)
    out = xr.DataArray(signal, dims=("time", "scenario"),
                       coords={"time": da["time"], "scenario": ids})  # fmt: skip
    return label(out.rename("non_firm_curtailment").to_dataset())["non_firm_curtailment"]


def conditional_summary(demand, firm, non_firm, curtailment, battery=None, *, price=None,
                        tolerance=1.0, backend="auto") -> xr.Dataset:  # fmt: skip
    """Hours and energy a conditional connection cannot serve, and what a battery closes.

    Parameters
    ----------
    demand : xarray.DataArray
        The site's demand [W], dims (time[, scenario]).
    firm, non_firm : float or xarray.DataArray
        Firm and non-firm capacity [W] (:func:`connection_parts`).
    curtailment : float or xarray.DataArray
        Share of the non-firm part curtailed [1] (:func:`curtailment_signal`).
    battery : powermodel.battery.Battery, optional
        A site battery dispatched against the available capacity
        (:func:`powermodel.battery.dispatch`, peak shaving first).
    price : xarray.DataArray, optional
        For the battery's arbitrage.
    tolerance : float
        Power above the available capacity [W] that still counts as served.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    xarray.Dataset
        Dims (scenario,): ``non_firm_curtailment_hours`` [h] (the operator
        curtails), ``energy_non_firm_curtailed`` [J] (demand within the
        contract, ``firm + non_firm``, above the available capacity),
        ``over_available_hours`` [h] and ``energy_over_available`` [J]
        (all demand above the available capacity, over-contract included);
        with a battery ``over_available_hours_battery``,
        ``energy_over_available_battery`` and ``energy_closed_by_battery``
        [J]. NaN for a scenario with a NaN step.
    """
    from powermodel import battery as _battery

    load = _battery._series(demand, "demand")
    _battery._non_negative(load, "demand")
    available = _battery._series(available_capacity(firm, non_firm, curtailment), "curtailment",
                                 load)  # fmt: skip
    contract = _battery._series(operand(firm, "firm") + operand(non_firm, "non_firm"), "firm",
                                load)  # fmt: skip
    share = _battery._series(curtailment, "curtailment", load)
    step = time_step(load["time"]).total_seconds()
    hours = step / 3600.0
    d, a, c, s = (np.asarray(x.transpose("scenario", "time").values, np.float64)
                  for x in (load, available, contract, share))  # fmt: skip
    over = np.maximum(d - a, 0.0)  # NaN stays NaN
    cut = np.maximum(np.minimum(d, c) - a, 0.0)
    totals = {
        "non_firm_curtailment_hours": row_hours(s > 0, ~np.isnan(s), hours),
        "energy_non_firm_curtailed": row_sum(cut * step),
        "over_available_hours": row_hours(over > tolerance, ~np.isnan(over), hours),
        "energy_over_available": row_sum(over * step),
    }
    if battery is not None:
        result = _battery.dispatch(load, available, battery, price, backend=backend)
        left = np.asarray(result["over_limit"].transpose("scenario", "time").values)
        totals["over_available_hours_battery"] = row_hours(left > tolerance, ~np.isnan(left), hours)
        totals["energy_over_available_battery"] = row_sum(left * step)
        totals["energy_closed_by_battery"] = (
            totals["energy_over_available"] - totals["energy_over_available_battery"]
        )
    template = load.transpose("scenario", "time")
    return label(xr.Dataset({name: _reduced(template, v, {}) for name, v in totals.items()}))
