"""A bidding zone's hourly supply, price proxy and carbon intensity.

The zone (default NO2, data with sources in ``powermodel/data/hydro_no2.toml``)
is one aggregated reservoir (energy equivalent, as Nordic models aggregate),
run-of-river plants on the unregulated share of the inflow, constant other
must-run generation (wind, thermal), a temperature-dependent demand and an
interconnector. Each step, per scenario:

1. demand from the outdoor temperature and the local hour, run of river
   and the net demand left for the reservoirs (:func:`powermodel.kernels.zone.zone_inputs`);
2. the reservoir dispatch scan with the guide-curve (water-value) rule and
   the interconnector as the slack (:func:`powermodel.hydro.reservoir_dispatch`);
3. a price proxy from the filling against the guide curve, and the
   carbon intensity of the zone's generation and of its supplied mix, with
   the imports at the neighbours' intensity
   (:func:`powermodel.kernels.zone.zone_outcomes`,
   :func:`powermodel.carbon.import_intensity`).

The price is a proxy, not a market model: it says when water is scarce
(filling below the seasonal median) and when the zone sheds load (the
cap), with the level of NO2's 2023 average. Carbon intensity comes on both
bases users report: location-based (physical mix, hourly) and market-based
(the residual mix without guarantees of origin, a constant); neither is a
default -- :func:`carbon_intensity` needs the basis named. The zone's own
generation's intensity (production-based) comes beside them.

Examples
--------
>>> from powermodel import climate, inflow, zone
>>> no2 = zone.load("NO2")
>>> weather = climate.synthetic(periods=48, scenarios=2, seed=1)
>>> q = inflow.synthetic(periods=48, scenarios=2, seed=1)
>>> out = zone.supply(no2, weather["temp_air"], q, backend="numpy")
>>> supplied = out.generation + out.run_of_river + out.must_run + out.imports + out.shortfall
>>> used = out.zone_demand + out.exports + out.surplus
>>> bool(abs(supplied - used).max() < 1e-3)  # the balance closes at every step [W]
True
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from powermodel import carbon as _carbon
from powermodel import inflow as _inflow
from powermodel._api import label, operand
from powermodel.backends import specs
from powermodel.backends._dispatch import run
from powermodel.backends.physics import ZoneParameters
from powermodel.hydro import (
    Reservoir,
    _check_rates,
    _time_scenario,
    dispatch_arrays,
    market_arrays,
)
from powermodel.timegrid import per_step, time_step

__all__ = ["BASES", "Zone", "carbon_intensity", "hour_local", "load", "supply"]

#: the two carbon accounting bases (GHG Protocol Scope 2)
BASES = ("location", "market")
_MW = 1e6


@dataclass(frozen=True)
class Zone:
    """A bidding zone around an aggregated reservoir (SI units, energy in J, power in W).

    Parameters
    ----------
    name : str
        The bidding zone's code, e.g. ``"NO2"``; it names the zone's data
        (guide curve, inflow, neighbours).
    reservoir : powermodel.hydro.Reservoir
        The zone's regulated reservoirs and their turbines (``units="J"``).
    demand_base : float
        Demand at and above the balance temperature, ``D_0`` [W].
    heating_gradient : float
        Extra demand per kelvin below the balance temperature, ``G`` [W K-1].
    temp_balance : float
        Balance temperature of space heating [degC].
    daily_amplitude, peak_hour : float
        Relative amplitude [1] and local hour [h] of the daily demand cosine.
    timezone : str
        Local time zone of the daily shape.
    run_of_river_share : float
        Share of the inflow that cannot be stored [1].
    run_of_river_capacity : float
        Turbine capacity of the run-of-river plants [W].
    must_run : float
        Other must-run generation, constant [W].
    import_limit, export_limit : float
        Interconnector limits [W].
    planned_export : float
        Exports the zone plans in a normal year, its structural surplus
        (mean inflow plus must-run generation less mean demand) [W]. The
        dispatch rule serves it like demand, so a full reservoir exports
        more and a low one cuts exports and imports instead of spilling or
        running dry.
    guide_gain : float
        ``k`` of the dispatch rule's release scale ``1 + k (filling - guide)`` [1], >= 0.
    price_reference, price_sensitivity, price_floor, price_cap : float
        Price proxy ``clip(price_ref exp(-k (filling - guide)), floor, cap)``
        [currency MWh-1]; the cap is also the price while load is shed.
        ``price_sensitivity`` is the dimensionless ``k`` [1], >= 0; need
        ``0 <= price_floor <= price_reference <= price_cap``.
    currency : str
        Currency of the prices, e.g. ``"NOK"``.
    carbon_domestic, carbon_must_run, carbon_market : float
        Life-cycle carbon intensity of hydro generation and of the must-run
        generation, and the market-based residual mix [g kWh-1].
    neighbours : tuple of powermodel.carbon.Neighbour
        The zones behind the interconnectors, whose mix the imports carry
        (:func:`powermodel.carbon.import_intensity`).
    """

    name: str
    reservoir: Reservoir
    demand_base: float
    heating_gradient: float
    temp_balance: float = 15.0
    daily_amplitude: float = 0.0
    peak_hour: float = 12.0
    timezone: str = "UTC"
    run_of_river_share: float = 0.0
    run_of_river_capacity: float = 0.0
    must_run: float = 0.0
    import_limit: float = 0.0
    export_limit: float = 0.0
    planned_export: float = 0.0
    guide_gain: float = 2.0
    price_reference: float = 0.0
    price_sensitivity: float = 0.0
    price_floor: float = 0.0
    price_cap: float = np.inf
    currency: str = "NOK"
    carbon_domestic: float = 0.0
    carbon_must_run: float = 0.0
    carbon_market: float = 0.0
    neighbours: tuple = ()

    def __post_init__(self):
        if self.reservoir.units != "J":
            raise ValueError("reservoir: a zone needs an energy reservoir (units='J')")
        for name in (
            "demand_base",
            "heating_gradient",
            "run_of_river_capacity",
            "must_run",
            "import_limit",
            "export_limit",
            "planned_export",
            "guide_gain",
            "price_sensitivity",
            "carbon_domestic",
            "carbon_must_run",
            "carbon_market",
        ):
            value = getattr(self, name)
            if not (np.isfinite(value) and value >= 0):
                raise ValueError(f"{name}: must be a finite number >= 0, got {value!r}")
        for name in ("daily_amplitude", "run_of_river_share"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"{name}: must be in [0, 1], got {value!r}")
        if self.planned_export > self.export_limit:
            raise ValueError(
                f"planned_export: {self.planned_export!r} W exceeds export_limit "
                f"{self.export_limit!r} W"
            )
        if not 0 <= self.price_floor <= self.price_reference <= self.price_cap:
            raise ValueError(
                "price_floor, price_reference, price_cap: need 0 <= floor <= reference <= cap, "
                f"got {self.price_floor!r}, {self.price_reference!r}, {self.price_cap!r}"
            )

    @property
    def carbon_import(self) -> float:
        """The imports' intensity from the neighbours' annual figures [g kWh-1] (0: none)."""
        if not self.neighbours:
            return 0.0
        total = sum(n.capacity for n in self.neighbours)
        return sum(n.capacity * n.carbon for n in self.neighbours) / total

    def replace(self, **changes) -> Zone:
        """A copy with ``changes``.

        Parameters
        ----------
        **changes
            New values of fields, by field name (as :func:`dataclasses.replace`).

        Returns
        -------
        Zone
            The copy, checked as a new zone.
        """
        return dataclasses.replace(self, **changes)

    def packed(self) -> ZoneParameters:
        """The parameter array ``p`` of :mod:`powermodel.kernels.zone`.

        Returns
        -------
        powermodel.kernels.zone.ZoneParameters
            The zone's parameters in SI units; an infinite ``price_cap`` is
            capped at the largest float32.
        """
        return ZoneParameters(
            demand_base=self.demand_base,
            heating_gradient=self.heating_gradient,
            temp_balance=self.temp_balance,
            daily_amplitude=self.daily_amplitude,
            peak_hour=self.peak_hour,
            run_of_river_share=self.run_of_river_share,
            run_of_river_capacity=self.run_of_river_capacity,
            must_run=self.must_run,
            price_reference=self.price_reference,
            price_sensitivity=self.price_sensitivity,
            price_floor=self.price_floor,
            price_cap=min(self.price_cap, float(np.finfo(np.float32).max)),
            carbon_domestic=self.carbon_domestic,
            carbon_must_run=self.carbon_must_run,
        )


@functools.cache
def load(name: str = "NO2") -> Zone:
    """The built-in zone ``name`` (``powermodel/data/hydro_<zone>.toml``).

    Parameters
    ----------
    name : str
        The bidding zone's code; built in: ``"NO2"``.

    Returns
    -------
    Zone
        The zone from its data file, with its neighbours
        (:func:`powermodel.carbon.neighbours`).
    """
    data = _inflow.zone(name)
    share = data["zone_share"]
    capacity = data["national_reservoir_capacity_twh"] * share * _inflow.TWH
    turbines = data["national_turbine_capacity_gw"] * share * 1e9
    ror_capacity = data["run_of_river_capacity_share"] * turbines
    reservoir_turbines = turbines - ror_capacity
    reservoir = Reservoir(
        capacity=capacity,
        release_max=reservoir_turbines,
        release_min=data["release_min_fraction"] * reservoir_turbines,
        storage_min=data["storage_min_filling"] * capacity,
        initial_filling=0.7,
    )
    # D_0 from the mean demand and the mean heating of the reference climate, 10 K
    # below the balance temperature (derivation in the data file)
    mean = data["national_consumption_twh"] * data["demand_share"] * _inflow.TWH
    mean /= _inflow.YEAR_SECONDS
    base = mean / (1.0 + 10.0 * data["heating_gradient_ratio"])
    mean_inflow = data["national_mean_inflow_twh"] * share * _inflow.TWH / _inflow.YEAR_SECONDS
    surplus = mean_inflow + data["must_run_mw"] * _MW - mean
    return Zone(
        name=name,
        reservoir=reservoir,
        demand_base=base,
        heating_gradient=data["heating_gradient_ratio"] * base,
        temp_balance=data["temp_balance"],
        daily_amplitude=data["daily_amplitude"],
        peak_hour=data["peak_hour"],
        timezone=data["timezone"],
        run_of_river_share=data["run_of_river_share"],
        run_of_river_capacity=ror_capacity,
        must_run=data["must_run_mw"] * _MW,
        import_limit=data["import_limit_mw"] * _MW,
        export_limit=data["export_limit_mw"] * _MW,
        planned_export=min(max(surplus, 0.0), data["export_limit_mw"] * _MW),
        guide_gain=data["guide_gain"],
        price_reference=data["price_reference"],
        price_sensitivity=data["price_sensitivity"],
        price_floor=data["price_floor"],
        price_cap=data["price_cap"],
        currency=data["currency"],
        carbon_domestic=data["carbon_domestic"],
        carbon_must_run=data["carbon_must_run"],
        carbon_market=data["carbon_market"],
        neighbours=_carbon.neighbours(name),
    )


def hour_local(time, timezone: str) -> xr.DataArray:
    """The local clock hour [h] (0 to 24) of UTC ``time`` stamps in ``timezone``.

    Parameters
    ----------
    time : array-like of datetime64 or pandas.DatetimeIndex
        Time stamps in UTC, without a time zone.
    timezone : str
        IANA time zone name, e.g. ``"Europe/Oslo"``.

    Returns
    -------
    xarray.DataArray
        Local clock hour [h] with minutes as fractions, dims (time,).
    """
    index = pd.DatetimeIndex(time)
    local = index.tz_localize("UTC").tz_convert(timezone)
    hours = (local.hour + local.minute / 60.0).to_numpy(np.float64)
    return xr.DataArray(hours, dims="time", coords={"time": index}, attrs={"units": "h"})


def supply(
    zone: Zone, temperature, inflow, *, site_load=0.0, initial_filling=None, rule="guide",
    price=None, water_values=None, import_carbon=None, backend="auto",
) -> xr.Dataset:  # fmt: skip
    """Hourly supply, demand, trade, price proxy and carbon intensity of a zone.

    Parameters
    ----------
    zone : Zone
        E.g. ``load("NO2")``.
    temperature : xarray.DataArray
        Outdoor air temperature standing for the zone's [degC], dims
        (time[, scenario]); e.g. the site's weather.
    inflow : xarray.DataArray
        Total inflow of the zone [W] (energy equivalent), >= 0, dims
        (time[, scenario]); sets the dtype of the results.
    site_load : float or xarray.DataArray
        The site's demand [W], added to the zone's, dims (time[, scenario]).
    initial_filling : float or array, optional
        Reservoir filling at the start, per scenario (default: the
        reservoir's).
    rule : {"guide", "water-values"}
        The reservoirs' dispatch: the guide-curve rule with the price proxy
        (:func:`powermodel.hydro.reservoir_dispatch`), or trade against
        ``water_values`` at the neighbours' ``price``
        (:func:`powermodel.hydro.market_dispatch`), whose zone price
        replaces the proxy; shed load is priced at ``zone.price_cap``.
    price : xarray.DataArray, optional
        The neighbours' price [currency MWh-1], dims (time[, scenario]), for
        ``rule="water-values"`` (e.g. :func:`powermodel.prices.synthetic`).
    water_values : xarray.Dataset, optional
        :func:`powermodel.water.water_values` of this zone, for
        ``rule="water-values"``.
    import_carbon : mapping or xarray.DataArray, optional
        The imports' carbon intensity [g kWh-1]: a mapping of neighbour
        names to their hourly or monthly series
        (:func:`powermodel.carbon.import_intensity`), or the imports'
        intensity itself, dims (time[, scenario]). Default: the neighbours'
        annual figures.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    xarray.Dataset
        Dims (time, scenario): ``zone_demand`` (including the site),
        ``run_of_river``, ``spill_run_of_river``, ``reservoir_inflow``,
        ``storage``, ``filling``, ``release``, ``spill``, ``generation``
        (reservoir hydro), ``imports``, ``exports``, ``shortfall``,
        ``surplus``, ``rationing`` (share of every load shed), ``price``,
        ``carbon_import`` (the imports'), ``carbon_intensity_location``,
        ``carbon_intensity_production``; ``must_run`` [W] and
        ``carbon_intensity_market`` [g kWh-1] as scalars. Balance per step::

            generation + run_of_river + must_run + imports + shortfall
                = zone_demand + exports + surplus
    """
    q = _time_scenario(inflow, "inflow")
    _check_rates(q, "inflow")
    temp = _time_scenario(temperature, "temperature", q).astype(q.dtype, copy=False)
    site = _time_scenario(operand(site_load, "site_load"), "site_load", q)
    _check_rates(site, "site_load")
    market = {}
    if rule == "water-values":
        if price is None or water_values is None:
            raise ValueError('rule: "water-values" needs price= and water_values=')
        market = {"price": _time_scenario(price, "price", q).astype(q.dtype).data,
                  "water_values": water_values}  # fmt: skip
    times = pd.DatetimeIndex(q["time"].values)
    if import_carbon is None or isinstance(import_carbon, Mapping):
        carbon = _carbon.import_intensity(zone.neighbours, times, import_carbon)
    else:
        carbon = _time_scenario(import_carbon, "import_carbon", q).data
    _check_rates(xr.DataArray(np.asarray(carbon)), "import_carbon")
    arrays = supply_arrays(
        zone, temp.data, q.data, site.astype(q.dtype, copy=False).data, times,
        initial_filling=initial_filling, rule=rule, import_carbon=carbon, backend=backend,
        **market,
    )  # fmt: skip
    out = xr.Dataset({name: q.copy(data=a) for name, a in arrays.items()})
    out["must_run"] = xr.DataArray(zone.must_run)
    out["carbon_intensity_market"] = xr.DataArray(zone.carbon_market)
    out = label(out)
    out["filling"].attrs = {"units": "1", "long_name": "reservoir filling, storage / capacity"}
    out["price"].attrs["units"] = f"{zone.currency} MWh-1"
    out.attrs.update(zone=zone.name, currency=zone.currency)
    return out


def supply_arrays(zone: Zone, temperature, inflow, site_load, times, *, initial_filling=None,
                  rule="guide", price=None, water_values=None, import_carbon=None,
                  backend="auto") -> dict:  # fmt: skip
    """:func:`supply` on arrays: (time, scenario) ``temperature`` [degC], ``inflow``
    and ``site_load`` [W] in one dtype, the UTC ``times``; the (time, scenario)
    outputs by name, as arrays. ``import_carbon`` [g kWh-1] is (time,) or
    (time, scenario); None takes the neighbours' annual figures.

    The engine of the whole-site chain, which holds its inputs as arrays
    already checked; :func:`supply` checks and labels.

    Parameters
    ----------
    zone : Zone
        The bidding zone.
    temperature : numpy.ndarray
        Outdoor air temperature [degC], dims (time, scenario).
    inflow : numpy.ndarray
        Total inflow of the zone [W] (energy equivalent), >= 0, dims (time,
        scenario); sets the dtype of the results.
    site_load : numpy.ndarray
        The site's demand [W], added to the zone's, dims (time, scenario),
        in the dtype of ``inflow``.
    times : pandas.DatetimeIndex
        The UTC time stamps of the rows, on a regular grid.
    initial_filling : float or array, optional
        Reservoir filling at the start [1], per scenario (default: the
        reservoir's).
    rule : {"guide", "water-values"}
        The reservoirs' dispatch, as in :func:`supply`.
    price : numpy.ndarray, optional
        The neighbours' price [currency MWh-1], dims (time, scenario), for
        ``rule="water-values"``.
    water_values : xarray.Dataset, optional
        :func:`powermodel.water.water_values` of this zone, for
        ``rule="water-values"``.
    import_carbon : numpy.ndarray, optional
        The imports' carbon intensity [g kWh-1], dims (time,) or (time,
        scenario).
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernels run (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    dict of str to numpy.ndarray
        The (time, scenario) variables of :func:`supply` but the scalars
        ``must_run`` and ``carbon_intensity_market``, by name, unlabelled;
        with ``rule="water-values"`` also ``water_value`` [currency MWh-1].
    """
    shape = inflow.shape
    p = zone.packed()
    before = zone_inputs(zone, temperature, inflow, site_load, times, backend=backend)
    guide = _inflow.guide_curve(times, zone.name).values
    # the scan serves the planned exports like demand; its interconnector slack is
    # the trade left around them, and the net trade is planned + exports - imports
    planned = zone.planned_export
    limits = {"import_limit": zone.import_limit + planned,
              "export_limit": zone.export_limit - planned}  # fmt: skip
    demand = before.pop("net_demand") + planned
    if rule == "guide":
        scan = dispatch_arrays(
            before["reservoir_inflow"], demand, zone.reservoir, guide,
            time_step(pd.DatetimeIndex(times)).total_seconds(), guide_gain=zone.guide_gain,
            initial_filling=initial_filling, backend=backend, **limits,
        )  # fmt: skip
    elif rule == "water-values":
        if price is None or water_values is None:
            raise ValueError('rule: "water-values" needs the neighbours\' price and a table')
        scan = market_arrays(
            before["reservoir_inflow"], demand, price, zone.reservoir, water_values, times,
            scarcity_price=zone.price_cap, initial_filling=initial_filling, backend=backend,
            **limits,
        )  # fmt: skip
        market_price = scan.pop("price")
    else:
        raise ValueError(f'rule: {rule!r} is not "guide" or "water-values"')
    trade = planned + scan["exports"] - scan["imports"]
    scan["exports"] = np.clip(trade, 0.0, None)
    scan["imports"] = np.clip(-trade, 0.0, None)
    if import_carbon is None:
        import_carbon = _carbon.import_intensity(zone.neighbours, times)
    import_carbon = np.asarray(import_carbon, inflow.dtype)
    if import_carbon.ndim == 1:
        import_carbon = per_step(import_carbon, shape)
    after = dict(zip(specs.ZONE_OUTCOMES.outputs, run(
        specs.ZONE_OUTCOMES,
        [scan["filling"], per_step(guide, shape), scan["generation"], before["run_of_river"],
         scan["imports"], scan["shortfall"], import_carbon],
        (p,), backend=backend,
    ), strict=True))  # fmt: skip
    after["carbon_import"] = import_carbon
    if rule == "water-values":  # the market's price replaces the proxy
        after["price"] = market_price.astype(after["price"].dtype, copy=False)
    out = {**before, **scan, **after}
    zone_demand = out["zone_demand"]
    with np.errstate(divide="ignore", invalid="ignore"):  # no demand: nothing to shed
        out["rationing"] = np.where(
            zone_demand != 0, out["shortfall"] / zone_demand, zone_demand.dtype.type(0)
        )
    return out


def zone_inputs(zone: Zone, temperature, inflow, site_load, times, *, backend="auto") -> dict:
    """The zone's demand, run of river and net demand on the reservoirs, as arrays.

    (time, scenario) ``temperature`` [degC], ``inflow`` and ``site_load``
    [W]; the outputs of :func:`powermodel.kernels.zone.zone_inputs` by name.

    Parameters
    ----------
    zone : Zone
        The bidding zone.
    temperature : numpy.ndarray
        Outdoor air temperature [degC], dims (time, scenario).
    inflow : numpy.ndarray
        Total inflow of the zone [W] (energy equivalent), >= 0, dims (time,
        scenario).
    site_load : numpy.ndarray
        The site's demand [W], added to the zone's, dims (time, scenario).
    times : pandas.DatetimeIndex
        The UTC time stamps of the rows; they place the daily demand shape.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernels run (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    dict of str to numpy.ndarray
        ``zone_demand`` (including the site), ``run_of_river``,
        ``spill_run_of_river``, ``reservoir_inflow`` and ``net_demand`` [W],
        dims (time, scenario).
    """
    hours = hour_local(times, zone.timezone).values  # (time,): broadcast, as in supply
    return dict(zip(specs.ZONE_INPUTS.outputs, run(
        specs.ZONE_INPUTS, [temperature, per_step(hours, inflow.shape), inflow, site_load],
        (zone.packed(),), backend=backend,
    ), strict=True))  # fmt: skip


def carbon_arrays(zone_supply: dict, zone: Zone, basis: str):
    """:func:`carbon_intensity` [g kWh-1] from :func:`supply_arrays`' outputs.

    Parameters
    ----------
    zone_supply : dict of str to numpy.ndarray
        Output of :func:`supply_arrays`.
    zone : Zone
        The zone it was computed for; gives the market-based residual mix.
    basis : {"location", "market"}
        The accounting basis, as in :func:`carbon_intensity`; no default.

    Returns
    -------
    numpy.ndarray
        Carbon intensity of the supplied electricity [g kWh-1], dims (time,
        scenario).
    """
    if basis not in BASES:
        raise ValueError(f"basis: {basis!r} is not one of {BASES}; choose one explicitly")
    location = zone_supply["carbon_intensity_location"]
    return location if basis == "location" else np.full(location.shape, float(zone.carbon_market))


def carbon_attrs(basis: str) -> dict:
    """Attributes of a carbon intensity on ``basis``.

    Parameters
    ----------
    basis : {"location", "market"}
        The accounting basis, named in the long name.

    Returns
    -------
    dict of str to str
        ``units`` (``"g kWh-1"``) and ``long_name``.
    """
    return {
        "units": "g kWh-1",
        "long_name": f"carbon intensity of supplied electricity ({basis}-based)",
    }


def carbon_intensity(zone_supply: xr.Dataset, basis: str) -> xr.DataArray:
    """Carbon intensity of electricity taken from the zone [g kWh-1] on ``basis``.

    Parameters
    ----------
    zone_supply : xarray.Dataset
        Output of :func:`supply`.
    basis : {"location", "market"}
        ``"location"``: the hourly physical mix of the zone (generation
        plus imports); ``"market"``: the residual mix without guarantees of
        origin, constant. There is no default: reports must say which.

    Returns
    -------
    xarray.DataArray
        ``carbon_intensity`` [g kWh-1], dims (time, scenario), with
        :func:`carbon_attrs`.
    """
    if basis not in BASES:
        raise ValueError(f"basis: {basis!r} is not one of {BASES}; choose one explicitly")
    if basis == "location":
        da = zone_supply["carbon_intensity_location"]
    else:
        da = zone_supply["carbon_intensity_market"].broadcast_like(
            zone_supply["carbon_intensity_location"]
        )
    return da.rename("carbon_intensity").assign_attrs(carbon_attrs(basis))
