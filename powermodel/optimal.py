"""Exact optima (linopy + HiGHS) that check the engine's fast rules.

:func:`optimal_shift` is the linear programme of the deferrable-load
scheduler (:func:`powermodel.flexibility.shift`): per scenario and deadline
window, minimise ``sum_t w_t x_t dt + M missed_w`` subject to ``sum_t x_t dt
+ missed_w = E_w`` and ``0 <= x_t <= room_t``, ``M`` above every weight so
energy misses its deadline only where the window cannot take it.

The perfect-foresight optimum of a zone reservoir: an exact reference for the rules.

:func:`optimal_dispatch` solves, for each scenario on its own, the linear
programme of the zone that :func:`powermodel.hydro.reservoir_dispatch` and
:func:`powermodel.hydro.market_dispatch` operate without foresight: the
same reservoir, inflow, net demand, interconnector limits and prices, with
the whole year known in advance. It minimises the net trade cost::

    sum_t dt (price_t (imports_t - exports_t) + VOLL shed_t) - end_value S_T

subject to, at every step::

    release + imports + shed = demand + exports + curtailed
    S_t = S_(t-1) + dt (inflow - release - spill)
    storage_min <= S_t <= capacity,  0 <= release <= turbines,
    0 <= imports <= import limit,     0 <= exports <= export limit

the water left at the end valued at ``end_value`` [currency MWh-1]. The
minimum (environmental) release is not imposed (it would make an empty
reservoir infeasible). It is built with linopy and solved with HiGHS
(``pip install ".[optimize]"``): a year of hours is about 60,000 variables
and solves in seconds. The rules run in nanoseconds per scenario-hour: the
LP is the yardstick, not the engine.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from powermodel._api import check_non_negative, label
from powermodel.hydro import Reservoir, _check_rates, _time_scenario
from powermodel.timegrid import time_step

__all__ = ["net_trade_cost", "optimal_dispatch", "optimal_shift"]

_MWH = 3.6e9  # J per MWh


def _linopy():
    try:
        import linopy
    except ImportError as error:
        raise ImportError(
            f"optimal_dispatch needs linopy and HiGHS ({error}); pip install '.[optimize]'"
        ) from None
    return linopy


def optimal_dispatch(
    inflow,
    demand,
    price,
    reservoir: Reservoir,
    *,
    import_limit,
    export_limit,
    scarcity_price,
    end_value,
    initial_filling=None,
) -> xr.Dataset:
    """The cost-optimal dispatch of a zone reservoir with perfect foresight.

    Parameters
    ----------
    inflow : xarray.DataArray
        Inflow [W] (energy equivalent), >= 0, dims (time[, scenario]).
    demand : float or xarray.DataArray
        Net demand on the reservoir [W], dims (time[, scenario]).
    price : float or xarray.DataArray
        The neighbours' price [currency MWh-1], dims (time[, scenario]).
    reservoir : Reservoir
        With ``units="J"``.
    import_limit, export_limit : float
        Interconnector limits [W].
    scarcity_price : float
        Cost of shed load [currency MWh-1].
    end_value : float
        Value of the water left at the end [currency MWh-1], e.g. the mean
        price or a water value: without it the optimum empties the
        reservoir.
    initial_filling : float or array, optional
        Per scenario (default: the reservoir's).

    Returns
    -------
    xarray.Dataset
        Dims (time, scenario): ``storage`` [J], ``filling``, ``release``,
        ``spill``, ``generation``, ``imports``, ``exports``, ``shortfall``
        and ``surplus`` (curtailed) [W], as :func:`powermodel.hydro.reservoir_dispatch`;
        ``objective`` (scenario) [currency], the net trade cost.
    """
    linopy = _linopy()
    if reservoir.units != "J":
        raise ValueError("reservoir: the optimum needs an energy reservoir (units='J')")
    check_non_negative(import_limit=import_limit, export_limit=export_limit,
                       scarcity_price=scarcity_price, end_value=end_value)  # fmt: skip
    q = _time_scenario(inflow, "inflow")
    _check_rates(q, "inflow")
    d = _time_scenario(demand, "demand", q).broadcast_like(q)
    c = _time_scenario(price, "price", q).broadcast_like(q)
    values = [np.asarray(a.transpose("time", "scenario").values, np.float64) for a in (q, d, c)]
    if not all(np.isfinite(v).all() for v in values):
        raise ValueError("inflow, demand, price: the optimum needs finite values")
    hours = time_step(q["time"]).total_seconds() / 3600.0
    filling = reservoir.initial_filling if initial_filling is None else initial_filling
    filling = np.broadcast_to(np.asarray(filling, np.float64), (q.sizes["scenario"],))
    if not ((filling >= 0) & (filling <= 1)).all():
        raise ValueError("initial_filling: must be in [0, 1]")
    names = ("storage", "release", "spill", "imports", "exports", "shortfall", "surplus")
    out = {name: np.empty(q.shape) for name in names}
    objective = np.empty(q.sizes["scenario"])
    for k in range(q.sizes["scenario"]):
        solved = _solve(linopy, reservoir, *(v[:, k] for v in values), hours,
                        float(filling[k]) * reservoir.capacity / _MWH, import_limit / 1e6,
                        export_limit / 1e6, scarcity_price, end_value)  # fmt: skip
        for name in names:
            out[name][:, k] = solved[name]
        objective[k] = solved["objective"]
    # back to SI: storage [J], rates [W]
    out["storage"] *= _MWH
    for name in names[1:]:
        out[name] *= 1e6
    out["generation"] = out["release"]
    out["filling"] = out["storage"] / reservoir.capacity
    order = ("storage", "release", "spill", "generation", "imports", "exports", "shortfall",
             "surplus", "filling")  # fmt: skip
    result = xr.Dataset({name: (("time", "scenario"), out[name]) for name in order},
                        coords=q.coords)  # fmt: skip
    result = label(result)
    result["objective"] = xr.DataArray(
        objective, dims="scenario", coords={"scenario": q["scenario"]},
        attrs={"units": "currency", "long_name": "net trade cost"},
    )  # fmt: skip
    return result


def _solve(linopy, reservoir, inflow, demand, price, hours, initial, imports_max, exports_max,
           scarcity, end_value) -> dict:  # fmt: skip
    """One scenario's LP in MW and MWh; the solution as arrays and the objective."""
    time = pd.RangeIndex(inflow.size, name="time")
    m = linopy.Model()
    capacity, floor = reservoir.capacity / _MWH, min(reservoir.storage_min / _MWH, initial)
    storage = m.add_variables(lower=floor, upper=capacity, coords=[time], name="storage")
    release = m.add_variables(lower=0.0, upper=reservoir.release_max / 1e6, coords=[time],
                              name="release")  # fmt: skip
    spill = m.add_variables(lower=0.0, coords=[time], name="spill")
    imports = m.add_variables(lower=0.0, upper=imports_max, coords=[time], name="imports")
    exports = m.add_variables(lower=0.0, upper=exports_max, coords=[time], name="exports")
    shed = m.add_variables(lower=0.0, coords=[time], name="shortfall")
    curtailed = m.add_variables(lower=0.0, coords=[time], name="surplus")
    mw = xr.DataArray(demand / 1e6, coords=[time])
    m.add_constraints(release + imports + shed - exports - curtailed == mw, name="balance")
    start = np.zeros(inflow.size)
    start[0] = initial
    m.add_constraints(
        storage - storage.shift(time=1).fillna(0) + hours * (release + spill)
        == xr.DataArray(hours * inflow / 1e6 + start, coords=[time]),
        name="storage_balance",
    )
    cost = xr.DataArray(price * hours, coords=[time])
    m.add_objective((cost * (imports - exports)).sum() + (scarcity * hours * shed).sum()
                    - end_value * storage.isel(time=-1))  # fmt: skip
    status, condition = m.solve(solver_name="highs", progress=False, output_flag=False,
                                log_to_console=False)  # fmt: skip
    if status != "ok":
        raise RuntimeError(f"optimal_dispatch: HiGHS ended with {status} ({condition})")
    names = ("storage", "release", "spill", "imports", "exports", "shortfall", "surplus")
    solution = {name: m.solution[name].values for name in names}
    solution["objective"] = float(m.objective.value) + end_value * initial  # cost net of start
    return solution


def net_trade_cost(out: xr.Dataset, price, *, scarcity_price, end_value, initial_storage):
    """Net trade cost of a dispatch [currency] per scenario, as :func:`optimal_dispatch` counts it.

    ``sum dt (price (imports - exports) + VOLL shortfall) - end_value (S_T - S_0)``,
    for any rule's output (imports, exports, shortfall [W], storage [J]).

    Parameters
    ----------
    out : xarray.Dataset
        A dispatch's output (:func:`powermodel.hydro.reservoir_dispatch`,
        :func:`powermodel.hydro.market_dispatch` or :func:`optimal_dispatch`):
        ``imports``, ``exports``, ``shortfall`` [W] and ``storage`` [J], dims
        (time, scenario).
    price : float or xarray.DataArray
        The neighbours' price [currency MWh-1], dims (time[, scenario]).
    scarcity_price : float
        Cost of shed load, ``VOLL`` [currency MWh-1].
    end_value : float
        Value of the water left at the end [currency MWh-1].
    initial_storage : float or xarray.DataArray
        Storage at the start ``S_0`` [J], per scenario.

    Returns
    -------
    xarray.DataArray
        The net trade cost [currency], dims (scenario,).
    """
    hours = time_step(out["time"]).total_seconds() / 3600.0
    trade = ((price * (out["imports"] - out["exports"])).sum("time")
             + scarcity_price * out["shortfall"].sum("time")) * hours / 1e6  # fmt: skip
    kept = (out["storage"].isel(time=-1) - initial_storage) / _MWH * end_value
    return (trade - kept).drop_vars("time", errors="ignore")


def optimal_shift(power, signal, upper, *, deferrable_share: float, window_hours: float = 24.0,
                  overhead=1.0) -> xr.Dataset:  # fmt: skip
    """The LP optimum of :func:`powermodel.flexibility.shift`'s problem, per scenario.

    Same arguments as :func:`~powermodel.flexibility.shift` (no backend: HiGHS
    solves it). Returns ``power_shifted`` [W] (time, scenario) and
    ``objective`` (scenario): ``sum_t w_t x_t dt`` [signal unit x J] of the
    deferrable energy placed, ``w_t = signal_t overhead_t``.

    Parameters
    ----------
    power : xarray.DataArray
        The load as scheduled without flexibility [W], >= 0, dims (time[,
        scenario]).
    signal : float or xarray.DataArray
        What a step costs per unit of grid energy: a price [currency MWh-1], a
        carbon intensity [g kWh-1] or a water value; any sign.
    upper : float or xarray.DataArray
        The most load a step can take [W].
    deferrable_share : float
        Share [1] of each window's energy that may move, 0..1.
    window_hours : float
        Deadline window [h] (:func:`powermodel.flexibility.window_bounds`).
    overhead : float or xarray.DataArray
        Grid power drawn per watt of load [1]: steps are weighted by
        ``signal * overhead``.

    Returns
    -------
    xarray.Dataset
        ``power_shifted`` [W], dims (time, scenario), and ``objective``
        [signal unit x J], dims (scenario,).
    """
    from powermodel.flexibility import window_bounds

    linopy = _linopy()
    load = _time_scenario(power, "power")
    _check_rates(load, "power")
    w = _time_scenario(signal, "signal", load) * _time_scenario(overhead, "overhead", load)
    top = _time_scenario(upper, "upper", load).broadcast_like(load)
    w = w.broadcast_like(load)
    values = [
        np.asarray(a.transpose("time", "scenario").values, np.float64) for a in (load, top, w)
    ]
    if not all(np.isfinite(v).all() for v in values):
        raise ValueError("power, upper, signal: the optimum needs finite values")
    dt = time_step(load["time"]).total_seconds()
    bounds = window_bounds(load["time"].values, window_hours)
    window = np.repeat(np.arange(len(bounds) - 1), np.diff(bounds))
    shifted = np.empty(load.shape)
    objective = np.empty(load.sizes["scenario"])
    for k in range(load.sizes["scenario"]):
        p, u, c = (v[:, k] for v in values)
        fixed = (1.0 - deferrable_share) * p
        room = np.maximum(u - fixed, 0.0) / 1e6  # MW
        energy = np.bincount(window, deferrable_share * p * dt / _MWH, len(bounds) - 1)  # MWh
        time = pd.RangeIndex(p.size, name="time")
        windows = pd.RangeIndex(len(bounds) - 1, name="window")
        m = linopy.Model()
        x = m.add_variables(lower=0.0, upper=xr.DataArray(room, coords=[time]), coords=[time],
                            name="placed")  # fmt: skip
        missed = m.add_variables(lower=0.0, coords=[windows], name="missed")
        member = xr.DataArray(window, coords=[time])
        hours = dt / 3600.0
        m.add_constraints((hours * x).groupby(member).sum().rename(group="window") + missed
                          == xr.DataArray(energy, coords=[windows]), name="deadline")  # fmt: skip
        penalty = 10.0 * (np.abs(c).max() + 1.0)
        m.add_objective((xr.DataArray(c * hours, coords=[time]) * x).sum()
                        + penalty * missed.sum())  # fmt: skip
        status, condition = m.solve(solver_name="highs", progress=False, output_flag=False,
                                    log_to_console=False)  # fmt: skip
        if status != "ok":
            raise RuntimeError(f"optimal_shift: HiGHS ended with {status} ({condition})")
        placed = m.solution["placed"].values
        shifted[:, k] = fixed + placed * 1e6
        objective[k] = float((c * placed * 1e6 * dt).sum())
    result = label(xr.Dataset({"power_shifted": (("time", "scenario"), shifted)},
                              coords=load.coords))  # fmt: skip
    result["objective"] = xr.DataArray(
        objective, dims="scenario", coords={"scenario": load["scenario"]},
        attrs={"units": "1", "long_name": "signal-weighted energy of the placed deferrable load"},
    )  # fmt: skip
    return result
