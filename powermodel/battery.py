"""A site battery: peak shaving under a grid limit first, price arbitrage second; sizing.

The battery sits behind the site's meter. Each hour it discharges the
demand above the ``limit`` (the contracted capacity, or what a conditional
connection makes available that hour, :func:`powermodel.grid.available_capacity`),
recharges from the headroom below it, and, given a price, trades above a
reserve kept for peak shaving: it charges in the day's cheap hours and
discharges in its dear ones, never lifting the grid draw above the limit
and never exporting. Every step closes exactly (as computed, in float64)::

    grid_draw = demand - battery_discharge + battery_charge
    E[t+1] = E[t] - dt (discharge / eta_d - charge eta_c) - s dt E[t]

The physics is :func:`powermodel.kernels.battery.battery_step`;
:func:`size` finds the smallest battery (power and energy at a stated
duration) that keeps the share of scenarios with any step above the limit
at or below a probability, the way :func:`powermodel.simulate.max_racks`
sizes a fleet.

Examples
--------
>>> import numpy as np, pandas as pd, xarray as xr
>>> from powermodel import battery
>>> time = pd.date_range("2026-01-01", periods=4, freq="1h")
>>> demand = xr.DataArray([10e6, 14e6, 13e6, 10e6], dims="time", coords={"time": time})
>>> store = battery.Battery.rated(3e6, hours=2.0, round_trip_efficiency=1.0, standing_loss=0.0)
>>> out = battery.dispatch(demand, 12e6, store, backend="numpy")
>>> (out.grid_draw.values[:, 0] / 1e6).tolist()
[10.0, 12.0, 12.0, 12.0]
>>> (out.battery_energy.values[:, 0] / 3.6e9).tolist()  # MWh at the end of each hour
[6.0, 4.0, 3.0, 5.0]
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from powermodel._api import label, operand
from powermodel.backends import specs
from powermodel.backends._dispatch import run, to_host
from powermodel.timegrid import _reduced, row_hours, row_sum, time_step

__all__ = [
    "Battery",
    "arbitrage_thresholds",
    "dispatch",
    "dispatch_arrays",
    "size",
    "summarize",
]

SCENARIO = "scenario"
HOUR = 3600.0


@dataclass(frozen=True)
class Battery:
    """A site battery (a lithium-ion battery energy storage system).

    Parameters
    ----------
    power : float
        Charge and discharge power limit [W], at the grid side.
    energy : float
        Usable energy capacity [J] (the rating; ``soc_min`` and ``soc_max``
        narrow it further where a warranty window asks for it).
    round_trip_efficiency : float
        AC-to-AC round trip [1], split evenly: ``eta_c = eta_d =
        sqrt(round_trip_efficiency)``. Default 0.85, the representative
        value NREL's Annual Technology Baseline adopts for utility-scale
        lithium-ion batteries (ATB 2020 onwards, after Cole and Frazier
        2020, NREL/TP-6A20-75385; https://atb.nrel.gov/electricity/2020/index.php?t=st).
    standing_loss : float
        Standing (self-discharge) loss [h-1]: the share of the stored energy
        lost per hour. Default 3e-5 h-1 (about 2.2 % per month): lithium-ion
        cells self-discharge 2-3 % per month at room temperature
        (http://www.diracdelta.co.uk/science/source/s/e/self%20discharge/source.html).
        The system's auxiliary load (cooling, controls) is not in it: count
        that as site load.
    soc_min, soc_max : float
        State-of-charge window [1], ``0 <= soc_min <= soc_max <= 1``: the
        dispatch keeps the stored energy within ``[soc_min, soc_max] energy``
        (standing loss alone may take an idle battery below ``soc_min``).
    initial_soc : float, optional
        State of charge at the start [1], within the window; default
        ``soc_max`` (a battery bought for peak shaving starts full).
    reserve : float
        State of charge [1] below which price arbitrage does not discharge
        (kept for peak shaving, and refilled from headroom whatever the
        price). Used only when :func:`dispatch` is given a price; clipped to
        the window.
    """

    power: float
    energy: float
    round_trip_efficiency: float = 0.85
    standing_loss: float = 3e-5
    soc_min: float = 0.0
    soc_max: float = 1.0
    initial_soc: float | None = None
    reserve: float = 0.5

    def __post_init__(self):
        for name in ("power", "energy", "round_trip_efficiency", "standing_loss", "soc_min",
                     "soc_max", "reserve"):  # fmt: skip
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise TypeError(f"{name}: expected a number, got {value!r}")
        _check(self.power >= 0 and math.isfinite(self.power), "power", self.power, ">= 0 W")
        _check(self.energy >= 0 and math.isfinite(self.energy), "energy", self.energy, ">= 0 J")
        rte = self.round_trip_efficiency
        _check(0 < rte <= 1, "round_trip_efficiency", rte, "in (0, 1]")
        _check(0 <= self.standing_loss < 1, "standing_loss", self.standing_loss, "in [0, 1) h-1")
        _check(0 <= self.soc_min <= 1, "soc_min", self.soc_min, "in [0, 1]")
        _check(self.soc_min <= self.soc_max <= 1, "soc_max", self.soc_max, "in [soc_min, 1]")
        _check(0 <= self.reserve <= 1, "reserve", self.reserve, "in [0, 1]")
        if self.initial_soc is not None:
            soc = self.initial_soc
            _check(self.soc_min <= soc <= self.soc_max, "initial_soc", soc, "in [soc_min, soc_max]")

    @classmethod
    def rated(cls, power: float, hours: float, **settings) -> Battery:
        """A battery of ``power`` [W] lasting ``hours`` [h] at it: ``energy = power hours``.

        Parameters
        ----------
        power : float
            Charge and discharge power limit [W], >= 0.
        hours : float
            Duration at rated power [h], >= 0.
        **settings
            The other fields of :class:`Battery` (``round_trip_efficiency``,
            ``standing_loss``, ``soc_min``, ...), by name.

        Returns
        -------
        Battery
            The battery, ``energy = power hours 3600 s h-1`` [J].
        """
        _check(hours >= 0 and math.isfinite(hours), "hours", hours, ">= 0 h")
        return cls(power=power, energy=power * hours * HOUR, **settings)

    @property
    def duration(self) -> float:
        """Hours [h] at rated power from full to empty, ``energy / power`` (inf at 0 W)."""
        return self.energy / self.power / HOUR if self.power > 0 else math.inf

    @property
    def usable_energy(self) -> float:
        """Energy [J] within the state-of-charge window."""
        return (self.soc_max - self.soc_min) * self.energy

    def record(self, dt: float, *, arbitrage: bool = True):
        """The kernels' parameter record for steps of ``dt`` [s].

        Without ``arbitrage`` (no price) the reserve is the top of the
        window: the battery recharges to full from any headroom.

        Parameters
        ----------
        dt : float
            The time step [s]; the standing loss over one step must be below 1.
        arbitrage : bool
            Whether the dispatch trades against a price (else the reserve is
            ``soc_max energy``).

        Returns
        -------
        powermodel.kernels.battery.BatteryParameters
            The record: energies [J], efficiencies [1] (each the square root of
            the round trip), the standing loss rate [s-1] and ``dt`` [s].
        """
        standing = self.standing_loss / HOUR
        if not standing * dt < 1.0:
            raise ValueError(
                f"standing_loss: {self.standing_loss} h-1 loses everything within a step of "
                f"{dt / HOUR:g} h"
            )
        low, high = self.soc_min * self.energy, self.soc_max * self.energy
        reserve = min(max(self.reserve, self.soc_min), self.soc_max) * self.energy
        eta = math.sqrt(self.round_trip_efficiency)
        return specs.BATTERY_DISPATCH.record(
            power=float(self.power), energy_min=low, energy_max=high,
            energy_reserve=reserve if arbitrage else high, eta_charge=eta, eta_discharge=eta,
            standing=standing, dt=float(dt),
        )  # fmt: skip

    def initial_energy(self, scenarios: int) -> np.ndarray:
        """Stored energy [J] at the start, per scenario (scenario,) float64.

        Parameters
        ----------
        scenarios : int
            Number of scenarios.

        Returns
        -------
        numpy.ndarray
            ``initial_soc energy`` (default ``soc_max energy``) [J], dims (scenario,).
        """
        soc = self.soc_max if self.initial_soc is None else self.initial_soc
        return np.full(scenarios, soc * self.energy, np.float64)


def _check(ok, name: str, value, what: str) -> None:
    if not ok:  # NaN fails every comparison: an error too
        raise ValueError(f"{name}: must be {what}, got {value!r}")


def _series(value, name: str, template=None) -> xr.DataArray:
    """``value`` as a (time, scenario) float DataArray, broadcast to ``template``."""
    da = operand(value, name)
    if template is not None:
        try:
            xr.align(da, template, join="exact")
        except ValueError:
            raise ValueError(
                f"{name}: its coordinates do not match the demand's (same time stamps and "
                "scenarios in the same order are needed)"
            ) from None
        da = da.broadcast_like(template)
    if set(da.dims) - {"time", SCENARIO} or "time" not in da.dims:
        raise ValueError(f"{name}: dims must be ('time', 'scenario') or ('time',), got {da.dims}")
    if SCENARIO not in da.dims:
        da = da.expand_dims(SCENARIO, axis=1)
    return da.transpose("time", SCENARIO)


def _non_negative(da: xr.DataArray, name: str) -> None:
    negative = int((da < 0).sum())  # NaN compares False: propagated, not an error
    if negative:
        raise ValueError(f"{name}: {negative} negative values; must be >= 0 W")
    infinite = int(np.isinf(da).sum())
    if infinite:
        raise ValueError(f"{name}: {infinite} infinite values; must be finite")


def _day_codes(time) -> np.ndarray:
    """The calendar day (UTC, the time grid's own) of each stamp, as 0, 1, 2, ..."""
    days = pd.DatetimeIndex(time).floor("D")
    return np.unique(days.values, return_inverse=True)[1].reshape(-1)


def threshold_arrays(price, days, round_trip_efficiency: float, quantiles=(0.25, 0.75)):
    """:func:`arbitrage_thresholds` on arrays: ``price`` (time, scenario), ``days``
    (time,) day codes; returns ``(cheap, dear)``, each (time, scenario) float64.

    Parameters
    ----------
    price : numpy.ndarray
        Energy price [currency MWh-1], dims (time, scenario) (a cupy array is
        copied to the host).
    days : numpy.ndarray of int
        Day code of each step, dims (time,): steps of one calendar day share one.
    round_trip_efficiency : float
        The battery's round trip [1], in (0, 1]; a day whose spread does not pay
        for it does not trade.
    quantiles : (float, float)
        The cheap and dear quantiles [1], ``0 <= q0 <= q1 <= 1``.

    Returns
    -------
    cheap, dear : numpy.ndarray
        The thresholds [currency MWh-1] of each step's day, dims (time, scenario),
        float64; a day's lowest and highest price where it does not trade.
    """
    price = np.asarray(to_host(price), np.float64)
    low_q, high_q = quantiles
    cheap = np.empty(price.shape)
    dear = np.empty(price.shape)
    for day in np.unique(days):
        rows = days == day
        block = price[rows]
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN day: NaN thresholds
            low = np.nanquantile(block, low_q, axis=0)
            high = np.nanquantile(block, high_q, axis=0)
            # the spread must pay for the round trip's losses: else no trade that day
            # (thresholds at the day's extremes, which the strict tests never pass)
            worth = high * round_trip_efficiency > low
            cheap[rows] = np.where(worth, low, np.nanmin(block, axis=0))
            dear[rows] = np.where(worth, high, np.nanmax(block, axis=0))
    return cheap, dear


def arbitrage_thresholds(price, battery: Battery, *, quantiles=(0.25, 0.75)) -> xr.Dataset:
    """The price thresholds of :func:`dispatch`'s arbitrage, per day and scenario.

    Each calendar day of the time grid (UTC) and scenario, the battery
    charges above its reserve in hours priced below the day's ``quantiles[0]``
    quantile (``price_cheap``) and discharges in hours above the
    ``quantiles[1]`` quantile (``price_dear``): a rule a site operator can
    run from the day-ahead prices, known the day before (Nord Pool's
    day-ahead auction), not an optimum. A day whose spread does not pay for
    the round trip (``dear eta_rt <= cheap``) gets thresholds at its lowest
    and highest price, so no hour trades.

    Parameters
    ----------
    price : xarray.DataArray
        Energy price [currency MWh-1], dims (time[, scenario]).
    battery : Battery
        For its round-trip efficiency.
    quantiles : (float, float)
        The cheap and dear quantiles [1], ``0 <= q0 <= q1 <= 1``.

    Returns
    -------
    xarray.Dataset
        ``price_cheap`` and ``price_dear`` [the price's units], dims (time, scenario).
    """
    _check_quantiles(quantiles)
    values = _series(price, "price")
    days = _day_codes(values["time"].values)
    cheap, dear = threshold_arrays(values.data, days, battery.round_trip_efficiency, quantiles)
    out = label(
        xr.Dataset({"price_cheap": values.copy(data=cheap), "price_dear": values.copy(data=dear)})
    )
    units = getattr(price, "attrs", {}).get("units")
    for name in out.data_vars:
        if units:
            out[name].attrs["units"] = units
    return out


def _check_quantiles(quantiles) -> None:
    try:
        low, high = (float(q) for q in quantiles)
    except (TypeError, ValueError):
        raise ValueError(f"quantiles: expected two numbers, got {quantiles!r}") from None
    if not 0.0 <= low <= high <= 1.0:
        raise ValueError(f"quantiles: must satisfy 0 <= cheap <= dear <= 1, got {quantiles!r}")


def dispatch(demand, limit, battery: Battery, price=None, *, quantiles=(0.25, 0.75),
             backend="auto") -> xr.Dataset:  # fmt: skip
    """The site battery dispatched under a grid limit, hour by hour, per scenario.

    Parameters
    ----------
    demand : xarray.DataArray
        The site's demand [W], >= 0, dims (time[, scenario]) on a regular
        time grid (the step sets ``dt``).
    limit : float or xarray.DataArray
        The most the grid connection may draw [W], >= 0 and finite: the
        contracted capacity (:func:`powermodel.grid.connection_capacity`) or
        a conditional connection's available capacity
        (:func:`powermodel.grid.available_capacity`).
    battery : Battery
        The battery: power, energy, efficiencies, reserve and standing loss.
    price : xarray.DataArray, optional
        Energy price [currency MWh-1], dims (time[, scenario]). Without it
        the battery only shaves peaks (and recharges to full from any
        headroom); with it, it also trades above its reserve against
        :func:`arbitrage_thresholds`.
    quantiles : (float, float)
        The arbitrage thresholds' daily quantiles (:func:`arbitrage_thresholds`).
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    xarray.Dataset
        Dims (time, scenario), float64 whatever the inputs' dtype (the
        balance closes in float64): ``grid_draw``, ``battery_charge``,
        ``battery_discharge``, ``over_limit`` (the grid draw still above
        the limit), ``over_limit_unmitigated`` (the demand above it, with no
        battery), ``battery_loss`` [W]; ``battery_energy`` [J] stored at the
        end of each step and ``battery_soc`` [1]; with a price,
        ``price_cheap`` and ``price_dear``. Attributes: the battery's
        settings. NaN in an input step makes that step and every later
        step of its scenario NaN (the stored energy is unknown from there).

    Notes
    -----
    Per step, exactly as computed: ``grid_draw = demand - discharge +
    charge``, ``E[t+1] = E[t] - dt (discharge / eta_d - charge eta_c) - s dt
    E[t]``, and ``charge = discharge + (E[t+1] - E[t]) / dt + battery_loss``
    (to rounding). Charge and discharge never both happen in a step. The
    rule (:mod:`powermodel.kernels.battery`): peak shaving first, then
    refilling the reserve, then arbitrage.
    """
    load = _series(demand, "demand")
    _non_negative(load, "demand")
    cap = _series(limit, "limit", load)
    _non_negative(cap, "limit")
    dt = time_step(load["time"]).total_seconds()
    out = {}
    if price is None:
        arrays = dispatch_arrays(load.data, cap.data, battery, dt, backend=backend)
    else:
        _check_quantiles(quantiles)
        prices = _series(price, "price", load)
        days = _day_codes(load["time"].values)
        cheap, dear = threshold_arrays(prices.data, days, battery.round_trip_efficiency, quantiles)
        arrays = dispatch_arrays(
            load.data, cap.data, battery, dt, price=prices.data, cheap=cheap, dear=dear,
            backend=backend,
        )  # fmt: skip
        out = {"price_cheap": cheap, "price_dear": dear}
    arrays = {**arrays, **out}
    result = label(xr.Dataset({name: load.copy(data=a) for name, a in arrays.items()}))
    units = getattr(price, "attrs", {}).get("units") if price is not None else None
    for name in out:
        if units:
            result[name].attrs["units"] = units
    result.attrs.update(
        {f"battery_{k}": ("none" if v is None else v) for k, v in
         dataclasses.asdict(battery).items()}
    )  # fmt: skip
    result.attrs["battery_usable_energy"] = battery.usable_energy
    return result


def dispatch_arrays(demand, limit, battery: Battery, dt: float, *, price=None, cheap=None,
                    dear=None, backend="auto") -> dict:  # fmt: skip
    """:func:`dispatch` on (time, scenario) arrays already checked: ``demand``,
    ``limit`` [W], optional ``price``, ``cheap``, ``dear`` [currency MWh-1];
    step ``dt`` [s]. Returns its outputs by name, float64 arrays.

    Parameters
    ----------
    demand : numpy.ndarray
        The site's demand [W], >= 0, dims (time, scenario).
    limit : numpy.ndarray
        The most the grid connection may draw [W], >= 0, ``demand``'s shape.
    battery : Battery
        The battery dispatched.
    dt : float
        The time step [s].
    price : numpy.ndarray, optional
        Energy price [currency MWh-1], ``demand``'s shape; without it the battery
        only shaves peaks.
    cheap, dear : numpy.ndarray, optional
        Arbitrage thresholds [currency MWh-1] (:func:`threshold_arrays`),
        ``demand``'s shape; needed with ``price``.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    dict of str to numpy.ndarray
        :data:`powermodel.kernels.battery.OUTPUTS` (powers [W],
        ``battery_energy`` [J]), ``battery_soc`` [1] and
        ``over_limit_unmitigated`` [W], each (time, scenario), float64.
    """
    demand = demand.astype(np.float64, copy=False)
    limit = limit.astype(np.float64, copy=False)
    arbitrage = price is not None
    if arbitrage:
        price, cheap, dear = (a.astype(np.float64, copy=False) for a in (price, cheap, dear))
    else:  # no trade: price == cheap == dear never passes the strict tests
        price = cheap = dear = demand * 0.0
    p = battery.record(dt, arbitrage=arbitrage)
    initial = battery.initial_energy(demand.shape[1])
    columns = run(
        specs.BATTERY_DISPATCH, [demand, limit, price, cheap, dear], (p, initial), backend=backend
    )
    out = dict(zip(specs.BATTERY_DISPATCH.outputs, columns, strict=True))
    stored = out["battery_energy"]
    out["battery_soc"] = stored / battery.energy if battery.energy > 0 else stored * 0.0
    excess = demand - limit
    out["over_limit_unmitigated"] = excess * (excess > 0)  # NaN stays NaN
    return out


def summarize(result: xr.Dataset, *, tolerance=1.0) -> xr.Dataset:
    """Per-scenario totals of a :func:`dispatch` result.

    Parameters
    ----------
    result : xarray.Dataset
        Output of :func:`dispatch`.
    tolerance : float
        Power above the limit [W] below which a step counts as within it.

    Returns
    -------
    xarray.Dataset
        ``energy_over_limit`` and ``energy_over_limit_unmitigated`` [J],
        ``over_limit_hours`` and ``over_limit_hours_unmitigated`` [h],
        ``energy_battery_charge``, ``energy_battery_discharge``,
        ``energy_battery_loss`` [J] and ``battery_cycles`` [1] (discharged
        energy over the usable capacity), dims (scenario,). A scenario with
        a NaN step has NaN totals.
    """
    step = time_step(result["time"]).total_seconds()
    hours = step / HOUR
    moved = {name: result[name].transpose(..., "time") for name in result.data_vars}
    values = {name: da.values for name, da in moved.items()}
    totals = {}
    for name in ("over_limit", "over_limit_unmitigated"):
        suffix = name.removeprefix("over_limit")
        totals[f"energy_over_limit{suffix}"] = row_sum(values[name] * step)
        totals[f"over_limit_hours{suffix}"] = row_hours(
            values[name] > tolerance, ~np.isnan(values[name]), hours
        )
    for name in ("battery_charge", "battery_discharge", "battery_loss"):
        totals[f"energy_{name}"] = row_sum(values[name] * step)
    usable = float(result.attrs.get("battery_usable_energy", np.nan))
    cycles = totals["energy_battery_discharge"] / usable if usable > 0 else np.nan
    totals["battery_cycles"] = cycles + 0.0 * totals["energy_battery_discharge"]
    template = moved["over_limit"]
    return label(xr.Dataset({name: _reduced(template, v, {}) for name, v in totals.items()}))


def size(demand, limit, *, probability=0.01, durations=(1.0, 2.0, 4.0), battery=None,
         tolerance=1.0, rtol=1e-3, backend="auto") -> xr.Dataset:  # fmt: skip
    """The smallest battery, per duration, that keeps the site within its limit.

    For each duration ``h`` [h], the battery's power ``P`` is the smallest
    (to ``rtol``) for which a battery of ``P`` and ``energy = P h``, peak
    shaving only, leaves at most ``probability`` of the scenarios with any
    step above the limit (bisection on ``P``, the way
    :func:`powermodel.simulate.max_racks` sizes a fleet; a scenario with a
    NaN step counts as failing).

    Parameters
    ----------
    demand : xarray.DataArray
        The site's demand [W], dims (time[, scenario]).
    limit : float or xarray.DataArray
        The grid limit [W] (contract or available capacity).
    probability : float
        The accepted share of scenarios with any step above the limit [1].
    durations : sequence of float
        Hours at rated power [h], each > 0.
    battery : Battery, optional
        The settings other than power and energy (efficiency, standing loss,
        state-of-charge window, starting charge); default :class:`Battery`'s.
    tolerance : float
        Power above the limit [W] that still counts as within it (rounding).
    rtol : float
        Relative resolution of the power found [1].
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    xarray.Dataset
        Dim ``duration`` [h]: ``battery_power_rating`` [W],
        ``battery_energy_rating`` [J] and ``over_limit_probability`` [1] at
        that size; ``over_limit_probability_unmitigated`` [1] with no
        battery. NaN where no battery up to 2**40 times the largest excess
        suffices (demand above the limit with no headroom to recharge).

    Notes
    -----
    Bisection presumes that a larger battery never fails a scenario a
    smaller one passes. For peak shaving with ``soc_min = 0`` and no
    standing loss this holds: by induction, in a scenario the smaller
    battery passes, both discharge the same (the demand above the limit)
    and the larger holds at least as much energy after every step.
    """
    template = battery if battery is not None else Battery(power=0.0, energy=0.0)
    if not isinstance(template, Battery):
        raise TypeError(f"battery: expected a Battery, got {type(template).__name__}")
    _check(0.0 <= probability <= 1.0, "probability", probability, "in [0, 1]")
    _check(rtol > 0, "rtol", rtol, "> 0")
    hours = np.asarray(durations, np.float64).reshape(-1)
    if hours.size == 0 or not np.all(np.isfinite(hours) & (hours > 0)):
        raise ValueError(f"durations: must be finite and > 0 h, got {list(durations)!r}")
    load = _series(demand, "demand")
    _non_negative(load, "demand")
    cap = _series(limit, "limit", load)
    _non_negative(cap, "limit")
    dt = time_step(load["time"]).total_seconds()
    demand_values = np.asarray(to_host(load.data), np.float64)
    limit_values = np.asarray(to_host(cap.data), np.float64)
    scenarios = demand_values.shape[1]

    def failing(power, duration):
        trial = dataclasses.replace(template, power=power, energy=power * duration * HOUR)
        over = dispatch_arrays(demand_values, limit_values, trial, dt, backend=backend)[
            "over_limit"
        ]
        bad = ~(over <= tolerance)  # NaN fails
        return float(bad.any(axis=0).sum()) / scenarios

    excess = demand_values - limit_values
    worst = float(np.nanmax(excess)) if np.isfinite(excess).any() else 0.0
    unmitigated = float((~(excess <= tolerance)).any(axis=0).sum()) / scenarios
    powers, probabilities = [], []
    for duration in hours:
        if unmitigated <= probability:
            powers.append(0.0)
            probabilities.append(unmitigated)
            continue
        low, high = 0.0, max(worst, 1.0)
        found = failing(high, duration)
        doublings = 0
        while found > probability and doublings < 40:
            low, high = high, 2.0 * high
            found = failing(high, duration)
            doublings += 1
        if found > probability:
            powers.append(np.nan)
            probabilities.append(np.nan)
            continue
        while high - low > rtol * high:
            middle = 0.5 * (low + high)
            share = failing(middle, duration)
            if share <= probability:
                high, found = middle, share
            else:
                low = middle
        powers.append(high)
        probabilities.append(found)
    power = np.asarray(powers)
    out = label(
        xr.Dataset(
            {
                "battery_power_rating": ("duration", power),
                "battery_energy_rating": ("duration", power * hours * HOUR),
                "over_limit_probability": ("duration", np.asarray(probabilities)),
                "over_limit_probability_unmitigated": ((), unmitigated),
            },
            coords={"duration": hours},
        )
    )
    out["duration"].attrs = {"units": "h", "long_name": "battery duration at rated power"}
    out.attrs.update({"probability": probability, "scenarios": scenarios, "tolerance": tolerance})
    return out
