"""The whole site, hour by hour and scenario by scenario.

``simulate(site, ...)`` runs the chain of the design::

    workload (utilisation per rack group) -> rack power -> cooling plant
        -> facility load -> zone supply (reservoirs, trade, price, carbon)
        -> grid connection: served, over contract, curtailed

for each scenario (weather ``[seed, k]``, inflow ``[seed, k, 2]`` and
workload ``[seed, k, 3, entry]`` streams) and returns one Dataset: the
hourly (time, scenario) results and per-scenario summaries. Scenarios run in
chunks (:func:`powermodel.runner.run`), in this process or on a Dask
cluster, optionally resumable from a Zarr store; every stage is independent
across scenarios and the cooling plant is sized from the fleet, not from the
chunk's load, so the result does not depend on the chunking.

:func:`risk` turns the per-scenario summaries into P50/P90/P99 figures and
loss-of-load statistics; :func:`max_racks` searches the largest fleet that
fits each grid phase at a stated reliability.
"""

from __future__ import annotations

import functools
import hashlib
import os
import time as _time
from dataclasses import fields, replace

import numpy as np
import pandas as pd
import xarray as xr

from powermodel import (
    auxiliaries,
    carbon,
    catalog,
    cooling,
    fleet,
    flexibility,
    grid,
    inflow,
    prices,
    rack,
    runner,
    spectrum,
    water,
    workload,
    zone,
)
from powermodel import site as _site
from powermodel._api import label
from powermodel._stochastic import scenario_ids
from powermodel.timegrid import on_grid, per_step, row_sum, step_of, time_grid, time_step
from powermodel.variables import VARIABLES
from powermodel.variables import attrs as variable_attrs

__all__ = [
    "SUMMARIES",
    "available_capacity",
    "design_heat_load",
    "fleet_power",
    "max_racks",
    "memory_estimate",
    "risk",
    "simulate",
    "zone_model",
]


#: per-scenario summaries in the result, each registered in powermodel.variables
SUMMARIES = (
    "energy_it",
    "energy_facility",
    "energy_cooling",
    "peak_facility",
    "pue",
    "pue_without_auxiliaries",
    "energy_auxiliaries",
    "energy_served",
    "energy_unserved",
    "unserved_hours",
    "curtailed_hours",
    "over_contract_hours",
    "hydro_share",
    "cost",
    "emissions",
    "heat_recovered_energy",
    "heat_liquid_energy",
    "water_use_total",
    "missing_hours",
    "peak_within_step",
    "trough_within_step",
    "ramp_rate_max",
)


def _as_site(site) -> _site.Site:
    return site if isinstance(site, _site.Site) else _site.load(site)


def _timer(timings: dict | None, stage: str, since: float) -> float:
    now = _time.perf_counter()
    if timings is not None:
        timings[stage] = timings.get(stage, 0.0) + now - since
    return now


def fleet_power(site, times, ids, seed, *, dtype=np.float32, backend="auto", timings=None):
    """Power of each fleet entry's racks [W], (time, scenario) float64, one Dataset per entry.

    Each entry draws its own utilisation (workload stream ``[seed, k, 3,
    entry]``) and runs through :func:`powermodel.fleet.entry_power` (rack
    model of its catalog system, swings of its training jobs, counted only
    while in service), one compiled pass over its groups. The Datasets hold
    ``power_it`` (chips, memory, boards), ``loss_ups``, ``power_total``
    (everything the racks and their power chain draw) and the ``swing_*``
    extremes within each step, summed over groups.

    Parameters
    ----------
    site : powermodel.site.Site
        The site; its ``fleet`` and ``workload``.
    times : pandas.DatetimeIndex
        The UTC time stamps of the run, on a regular grid.
    ids : numpy.ndarray
        The scenario ids (int), dims (scenario,).
    seed : int
        The run's seed: entry ``i`` of scenario ``k`` draws from the
        workload stream ``[seed, k, 3, i]``.
    dtype : {numpy.float32, numpy.float64}
        Dtype of the utilisation draws (:func:`powermodel.workload.generate`).
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernels run (:func:`powermodel.backends.resolve_backend`).
    timings : dict, optional
        Adds the seconds spent in the stages ``"workload"`` and ``"racks and
        swings"`` to its entries of those names.

    Returns
    -------
    list of xarray.Dataset
        One per entry of ``site.fleet``, in its order, dims (time, scenario)
        [W]; an entry not in service over ``times`` gives zeros (with
        ``attrs["idle"]``).
    """
    freq = pd.tseries.frequencies.to_offset(time_step(times))
    mitigation = site.workload.mitigation
    entries = []
    for index, entry in enumerate(site.fleet):
        tick = _time.perf_counter()
        in_service = (entry.in_service(times) > 0).astype(np.float64)
        if not in_service.any():  # not built yet: its racks draw nothing (and need no draws)
            entries.append(_idle_entry(times, ids))
            continue
        u = workload.generate(
            site.workload,
            entry.racks,
            start=times[0],
            periods=len(times),
            freq=freq,
            scenarios=ids,
            seed=seed,
            stream=index,
            dtype=dtype,
        )
        tick = _timer(timings, "workload", tick)
        powers = fleet.entry_power(
            u,
            catalog.system(entry.system),
            site.workload.training,
            in_service=in_service,
            power_cap=entry.power_cap_w,
            power_floor=mitigation.power_floor or None,
            storage_j_per_rack=mitigation.storage_j_per_rack,
            storage_power_w_per_rack=mitigation.storage_power_w_per_rack,
            backend=backend,
        )
        _timer(timings, "racks and swings", tick)
        entries.append(powers)
    return entries


def _idle_entry(times, ids) -> xr.Dataset:
    """What :func:`powermodel.fleet.entry_power` gives for racks out of service: zeros."""
    zeros = np.zeros((len(ids), len(times))).T  # scenario-major, like entry_power's
    coords = {"time": times, "scenario": ids}
    out = xr.Dataset({name: (("time", "scenario"), zeros) for name in fleet.OUTPUTS}, coords)
    out.attrs["idle"] = True
    return label(out)


def _entry_sum(entries, name: str) -> np.ndarray:
    """``name`` summed over the fleet entries, in their order, skipping idle ones.

    An idle entry's zeros add nothing (``x + 0.0`` is ``x``, NaN included): the
    same numbers without a pass over the arrays.
    """
    active = [e for e in entries if not e.attrs.get("idle")] or entries[:1]
    total = active[0][name].data
    for entry in active[1:]:
        total = total + entry[name].data
    return total


#: within-step extremes of the training power swings, summed over groups (jobs in phase)
_SWINGS = (
    "power_max",
    "power_min",
    "ramp_rate",
    "power_max_unmitigated",
    "ramp_rate_unmitigated",
    "floor_energy",
)


def design_heat_load(entry) -> float:
    """Heat of a fleet entry's racks at full utilisation [W]: its cooling plant's design load.

    Parameters
    ----------
    entry : powermodel.site.FleetEntry
        The fleet entry: its system, rack count and power cap.

    Returns
    -------
    float
        The racks' full-load power [W] (:func:`powermodel.rack.full_load_power`),
        all of it heat.
    """
    system = catalog.system(entry.system)
    return entry.racks * rack.full_load_power(system, power_cap=entry.power_cap_w)


#: cooling outputs summed over the fleet entries' plants
_COOLING = ("power_cooling", "power_heat_pump", "heat_recovered", "heat_liquid", "water_use")


def _cooling(site, entries, weather, backend) -> dict:
    """Each fleet entry's racks get a plant of the site's type sized for them (built with them).

    Returns the :data:`_COOLING` totals over the plants, (time, scenario) float64 arrays.
    """
    totals = {}
    designs = [design_heat_load(entry) for entry in site.fleet]
    outdoor = {}  # (dry bulb, wet bulb) by whether the plant needs the wet bulb
    for design, powers in zip(designs, entries, strict=True):
        # the district-heating demand is split between the plants by design load
        plant = site.cooling.model(heat_reuse_share=design / sum(designs))
        evaporative = plant.evaporative.enabled
        if evaporative not in outdoor:  # checked and computed once per chunk
            outdoor[evaporative] = [a.data for a in cooling._outdoor(weather, evaporative)]
        out = cooling.plant_arrays(
            powers["power_total"].data, *outdoor[evaporative], plant, design, _COOLING, backend
        )
        for name in _COOLING:
            value = out[name].astype(np.float64, copy=False)
            totals[name] = value if name not in totals else totals[name] + value
    return totals


def _auxiliaries(site, times, heat_liquid, backend) -> np.ndarray:
    """The facility's auxiliaries [W] (time, scenario), on once any rack is in service."""
    energised = (site.racks(times).sum("fleet") > 0).values.astype(np.float64)
    out = auxiliaries.auxiliary_arrays(
        heat_liquid,
        per_step(energised, heat_liquid.shape),
        site.auxiliaries,
        design_load=sum(design_heat_load(entry) for entry in site.fleet),
        racks=sum(entry.racks for entry in site.fleet),
        backend=backend,
    )
    return out["power_auxiliaries"].astype(np.float64, copy=False)


def zone_model(site) -> zone.Zone:
    """The site's bidding zone with the site file's overrides applied.

    Parameters
    ----------
    site : powermodel.site.Site
        The site; its ``[zone]`` (name, guide gain, interconnector limits)
        and the market-based residual mix of its ``[carbon]``.

    Returns
    -------
    powermodel.zone.Zone
        The built-in zone (:func:`powermodel.zone.load`) with the overrides.
    """
    spec = site.zone
    model = zone.load(spec.name)
    changes = {"guide_gain": spec.guide_gain}
    if spec.import_limit_mw is not None:
        changes["import_limit"] = spec.import_limit_mw * 1e6
    if spec.export_limit_mw is not None:
        changes["export_limit"] = spec.export_limit_mw * 1e6
        changes["planned_export"] = min(model.planned_export, changes["export_limit"])
    changes["carbon_market"] = site.carbon.market_residual_mix_g_per_kwh
    return model.replace(**changes)


def _weather(site, times, ids, seed) -> xr.Dataset:
    freq = pd.tseries.frequencies.to_offset(time_step(times))
    if site.climate.synthetic:
        weather = site.climate.weather(
            start=times[0], periods=len(times), freq=freq, scenarios=ids, seed=seed
        )
    else:
        weather = site.climate.weather()
        try:
            weather = weather.sel(time=times)
        except KeyError:
            raise ValueError(
                f"climate: the weather file {site.climate.path} does not cover "
                f"{times[0]} .. {times[-1]} at {freq.freqstr}"
            ) from None
    if "scenario" not in weather.dims:
        weather = weather.expand_dims(scenario=ids)
    weather = weather.transpose("time", "scenario")
    # scenario-major memory, as the racks' power: the kernels then read every input in place
    return weather.copy(data={name: np.asfortranarray(var.values)
                              for name, var in weather.data_vars.items()})  # fmt: skip


#: the hourly results of a chunk, in the order of the returned Dataset
HOURLY = (
    "power_it", "power_it_equipment", "power_total", "power_cooling", "power_auxiliaries",
    "power_facility", "power_heat_pump", "heat_recovered", "heat_liquid", "water_use",
    "grid_capacity", "served", "unserved", "over_contract", "curtailed", "filling", "rationing",
    "price", "carbon_intensity", "hydro_fraction",
)  # fmt: skip


def _chunk(ids, site, seed, start, periods, freq, backend, timings=None) -> xr.Dataset:
    """One chunk of scenarios ``ids``: the hourly results and the summaries.

    The stages pass (time, scenario) arrays to each other (each module's
    ``*_arrays`` engine, the same code its public function runs after its
    checks); xarray holds only the inputs and the result.
    """
    ids = np.asarray(ids)
    times = time_grid(start, periods=periods, freq=freq)
    step = time_step(times).total_seconds()
    tick = _time.perf_counter()
    weather = _weather(site, times, ids, seed)
    tick = _timer(timings, "weather", tick)
    entries = fleet_power(site, times, ids, seed, backend=backend, timings=timings)
    power = {name: _entry_sum(entries, name) for name in ("power_it", "loss_ups", "power_total")}
    tick = _time.perf_counter()
    heat = power["power_total"]  # all the electricity the racks draw ends as heat
    plant = _cooling(site, entries, weather, backend)
    tick = _timer(timings, "cooling", tick)
    aux = _auxiliaries(site, times, plant["heat_liquid"], backend)
    facility = heat + plant["power_cooling"] + aux  # what the site's meter sees (ISO/IEC 30134-2)
    demand = facility + plant["power_heat_pump"]  # the heat pump draws from the same connection
    model = zone_model(site)
    q = inflow.synthetic(
        model.name, start=times[0], periods=periods, freq=freq, scenarios=ids, seed=seed
    ).transpose("time", "scenario")
    market = {}
    if site.zone.rule == "water-values":
        market = {
            "rule": "water-values",
            "price": neighbour_prices(site, model, times, ids, seed, q),
            "water_values": water_value_table(site, seed, times[0], backend),
        }  # fmt: skip
    supply_zone = zone.supply_arrays(
        model,
        weather["temp_air"].data.astype(q.dtype, copy=False),
        q.data,
        demand,
        times,
        initial_filling=_initial_filling(site, model, times),
        import_carbon=import_carbon(site, model, times),
        backend=backend,
        **market,
    )
    tick = _timer(timings, "zone", tick)
    capacity = site.grid.capacity(times)
    supply = grid.supply_arrays(
        demand,
        per_step(capacity.values.astype(demand.dtype, copy=False), demand.shape),
        supply_zone["rationing"].astype(demand.dtype, copy=False),
        backend=backend,
    )
    hourly = {
        "power_it": power["power_it"],
        "power_it_equipment": heat - power["loss_ups"],
        "power_total": heat,
        "power_cooling": plant["power_cooling"],
        "power_auxiliaries": aux,
        "power_facility": facility,
        "power_heat_pump": plant["power_heat_pump"],
        "heat_recovered": plant["heat_recovered"],
        "heat_liquid": plant["heat_liquid"],
        "water_use": plant["water_use"],
        "served": supply["served"],
        "unserved": supply["unserved"],
        "over_contract": supply["over_contract"],
        "curtailed": supply["curtailed"],
        "filling": supply_zone["filling"],
        "rationing": supply_zone["rationing"],
        "price": _price(site, supply_zone),
        "carbon_intensity": zone.carbon_arrays(supply_zone, model, site.carbon.basis),
        "hydro_fraction": _hydro_fraction(supply_zone, model),
    }
    if site.carbon.basis == "location" and site.carbon.location_g_per_kwh is not None:
        hourly["carbon_intensity"] = np.full_like(
            hourly["carbon_intensity"], site.carbon.location_g_per_kwh
        )
    swings = {name: _entry_sum(entries, f"swing_{name}") for name in _SWINGS}
    summaries = {**_summaries(hourly, site, step), **_swing_summaries(swings, hourly)}
    if site.swing.checked:
        summaries.update(_swing_compliance(site, swings, times, ids, backend))
    if site.grid.conditional or site.battery.present:
        summaries.update(_connection(site, model, times, ids, seed, demand, hourly, backend))
    if site.workload.flexibility.enabled:
        grid_cap = per_step(capacity.values.astype(demand.dtype, copy=False), demand.shape)
        summaries.update(_flexibility(site, times, hourly, supply_zone, demand, grid_cap,
                                      backend))  # fmt: skip
    out = _dataset(hourly, capacity, summaries, site, times, ids)
    _timer(timings, "balance", tick)
    out.attrs.update(
        site=site.location.name,
        seed=int(seed),
        carbon_basis=site.carbon.basis,
        currency=site.economics.currency,
        zone=model.name,
        cooling_plant=site.cooling.plant,
    )
    return out


def _dataset(hourly, capacity, summaries, site, times, ids) -> xr.Dataset:
    """The chunk's arrays as a labelled Dataset: the one place its attrs are set."""
    dims = ("time", "scenario")
    data = {name: (dims, hourly[name]) if name != "grid_capacity" else capacity
            for name in HOURLY}  # fmt: skip
    data.update({name: ("scenario", values) for name, values in summaries.items()})
    out = xr.Dataset(data, coords={"time": times, "scenario": ids})
    for name in out.data_vars:
        if name in VARIABLES:
            out[name].attrs = variable_attrs(name)
    economics, basis = site.economics, site.carbon.basis
    zone_price = (
        "energy price (zone market against water values)"
        if site.zone.rule == "water-values"
        else "energy price (zone water-value proxy)"
    )
    out["price"].attrs = {
        "units": f"{economics.currency} MWh-1",
        "long_name": zone_price if economics.energy_price == "zone"
        else "energy price (flat, from the site file)",
    }  # fmt: skip
    out["carbon_intensity"].attrs = zone.carbon_attrs(basis)
    out["hydro_fraction"].attrs = {
        "units": "1",
        "long_name": "share of hydro in the zone's supplied mix",
    }
    out["hydro_share"].attrs = {
        "units": "1",
        "long_name": "hydro share of the energy served (zone mix, served-energy weighted)",
    }
    out["cost"].attrs = {
        "units": economics.currency,
        "long_name": "cost of the energy served (energy price plus network tariff)",
    }
    if "cost_saved" in out:
        out["cost_saved"].attrs["units"] = economics.currency
    out["emissions"].attrs = {
        "units": "kg",
        "long_name": f"CO2e emissions ({basis}-based)",
    }
    return out


#: Scenarios the water-value table is computed from: ids far from any run's, so that
#: the table depends on the seed alone (a run's results do not depend on its chunking)
TABLE_SCENARIOS = 10**9 + np.arange(100)

_TABLES: dict = {}


def water_value_table(site, seed: int, start, backend="auto"):
    """The site zone's water values for a year from ``start``, computed once per process.

    By :func:`powermodel.water.water_values` over :data:`TABLE_SCENARIOS`
    of the seed's inflow, weather (the zone's demand) and prices
    (:func:`powermodel.prices.synthetic`), 51 filling points, the zone's
    price cap as the scarcity price, interconnectors less the planned exports.

    Parameters
    ----------
    site : powermodel.site.Site
        The site; its zone and climate.
    seed : int
        The run's seed.
    start : str or datetime-like
        First time stamp (UTC) of the table's year of hourly steps.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernels run (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    xarray.Dataset
        :func:`powermodel.water.water_values`' table: ``value`` [currency]
        and ``water_value`` [currency MWh-1], dims (week, filling). Cached:
        the same object for the same site, seed and start.
    """
    model = zone_model(site)
    key = (repr(model), repr(site.zone), repr(site.climate), int(seed), str(pd.Timestamp(start)))
    if key not in _TABLES:
        times = time_grid(start, periods=8760, freq="1h")
        ids = TABLE_SCENARIOS
        if site.climate.synthetic:
            weather = _weather(site, times, ids, seed)
        else:  # a weather file: its mean temperature stands for the zone's
            temp = float(site.climate.weather()["temp_air"].mean())
            weather = {"temp_air": np.full((len(times), len(ids)), temp)}
        q = inflow.synthetic(model.name, start=times[0], periods=len(times), freq="1h",
                             scenarios=ids, seed=seed).transpose("time", "scenario")  # fmt: skip
        price = _table_prices(site, model, times, ids, seed, q)
        before = zone.zone_inputs(model, np.asarray(weather["temp_air"], q.dtype),
                                  q.values, np.zeros(q.shape), times, backend=backend)  # fmt: skip
        planned = model.planned_export
        frame = {name: q.copy(data=values) for name, values in before.items()}
        _TABLES[key] = water.water_values(
            frame["reservoir_inflow"], frame["net_demand"] + planned, price, model.reservoir,
            import_limit=model.import_limit + planned, export_limit=model.export_limit - planned,
            scarcity_price=model.price_cap, points=51, backend=backend,
        )  # fmt: skip
    return _TABLES[key]


def _table_prices(site, model, times, ids, seed, q) -> xr.DataArray:
    """The water-value table's price scenarios: seeded, or the site's price file.

    A price file that covers the table's year is used as it is (the same in
    every scenario); a shorter one sets the level of seeded scenarios
    (its mean price), since water values need a whole year of prices.
    """
    if site.zone.price_file is None:
        return prices.synthetic(model.name, start=times[0], periods=len(times), freq="1h",
                                scenarios=ids, seed=seed, inflow=q)  # fmt: skip
    file = _price_file(site, model)
    try:
        price = on_grid(file, times, "zone.price_file")
    except ValueError:
        level = float(file.mean())  # NaN (a gap) fails the table's own check, named
        return prices.synthetic(
            model.name, start=times[0], periods=len(times), freq="1h", scenarios=ids, seed=seed,
            inflow=q, model=prices.PriceModel(level=level, currency=model.currency),
        )  # fmt: skip
    return q.copy(data=np.ascontiguousarray(per_step(price.values, q.shape)))


def _price_file(site, model) -> xr.DataArray:
    """The site's price file, read once per process, in the zone's currency [currency MWh-1]."""
    spec = site.zone
    key = (str(spec.price_file), spec.price_area, spec.price_currency_rate, model.currency)
    if key not in _PRICE_FILES:
        price = prices.read(spec.price_file, spec.price_area or model.name)
        currency = price.attrs["units"].split()[0]
        if currency != model.currency:
            if spec.price_currency_rate is None:
                raise ValueError(
                    f"zone.price_currency_rate: the price file {spec.price_file} is in "
                    f"{currency}, the zone in {model.currency}; give the rate "
                    f"({model.currency} per {currency})"
                )
            price = price * spec.price_currency_rate
            price.attrs["units"] = f"{model.currency} MWh-1"
        _PRICE_FILES[key] = price
    return _PRICE_FILES[key]


_PRICE_FILES: dict = {}


def neighbour_prices(site, model, times, ids, seed, inflow_) -> np.ndarray:
    """The neighbours' prices [currency MWh-1] (time, scenario) the zone trades at.

    The site's price file on the run's grid (held or averaged,
    :func:`powermodel.timegrid.on_grid`), the same in every scenario; or
    seeded scenarios coupled to each scenario's inflow
    (:func:`powermodel.prices.synthetic`). A step without a price in the
    file is an error: the reservoir's state would be unknown from there on.

    Parameters
    ----------
    site : powermodel.site.Site
        The site; its ``zone.price_file``, if any.
    model : powermodel.zone.Zone
        The site's zone (:func:`zone_model`).
    times : pandas.DatetimeIndex
        The UTC time stamps of the run.
    ids : numpy.ndarray
        The scenario ids (int), dims (scenario,).
    seed : int
        The run's seed.
    inflow_ : xarray.DataArray
        The same scenarios' inflow of the zone [W], dims (time, scenario),
        to which seeded prices are coupled.

    Returns
    -------
    numpy.ndarray
        The neighbours' price [currency MWh-1], dims (time, scenario).
    """
    if site.zone.price_file is None:
        return prices.synthetic(model.name, start=times[0], periods=len(times),
                                freq=time_step(times), scenarios=ids, seed=seed,
                                inflow=inflow_).values  # fmt: skip
    price = on_grid(_price_file(site, model), times, "zone.price_file")
    gaps = np.isnan(price.values)
    if gaps.any():  # a missing price would poison the reservoir's state for the rest of the run
        raise ValueError(
            f"zone.price_file: {site.zone.price_file} has no price for {int(gaps.sum())} steps "
            f"of the run, the first at {times[gaps.argmax()]} (UTC); fill the gaps or start "
            "the run elsewhere"
        )
    return np.ascontiguousarray(per_step(price.values, (len(times), len(ids))))


def import_carbon(site, model, times) -> np.ndarray:
    """Carbon intensity of the zone's imports [g kWh-1] (time,): the neighbours' mix.

    The site file's ``[[carbon.neighbour]]`` series or figures, the zone's
    annual defaults for the rest (:func:`powermodel.carbon.import_intensity`).

    Parameters
    ----------
    site : powermodel.site.Site
        The site; its ``[carbon]`` neighbours.
    model : powermodel.zone.Zone
        The site's zone (:func:`zone_model`), whose neighbours the imports
        come from.
    times : pandas.DatetimeIndex
        The UTC time stamps of the run.

    Returns
    -------
    numpy.ndarray
        Float64, dims (time,) [g kWh-1]; cached per site and time grid.
    """
    key = (repr(site.carbon), repr(model.neighbours), times[0], len(times), time_step(times))
    if key not in _IMPORT_CARBON:  # every chunk of a run has the same times: read files once
        given = {n.name: n.series(times) for n in site.carbon.neighbours}
        try:
            _IMPORT_CARBON[key] = carbon.import_intensity(model.neighbours, times, given)
        except ValueError as error:
            raise ValueError(f"carbon.neighbour: {error}") from None
    return _IMPORT_CARBON[key]


_IMPORT_CARBON: dict = {}


def _initial_filling(site, model, times) -> float:
    """The site's start filling, or the zone's median (guide) filling at the start."""
    if site.zone.initial_filling is not None:
        return site.zone.initial_filling
    return float(inflow.guide_curve(times[:1], model.name)[0])


def _price(site, supply_zone: dict) -> np.ndarray:
    """The energy price [currency MWh-1]: the zone's, or the site file's flat one."""
    price = supply_zone["price"]
    if site.economics.energy_price == "zone":
        return price
    return np.full_like(price, float(site.economics.energy_price))


def _hydro_fraction(supply_zone: dict, model) -> np.ndarray:
    """Share of hydro (reservoir and run of river) in the zone's supplied mix [1]."""
    hydro = supply_zone["generation"] + supply_zone["run_of_river"]
    total = hydro + np.float64(model.must_run) + supply_zone["imports"]
    return hydro / total


def _summaries(hourly: dict, site, step: float) -> dict:
    """Per-scenario totals of the hourly (time, scenario) arrays (float64), by name.

    One rule (:func:`powermodel.timegrid.time_sum`, here :func:`row_sum` on
    each scenario's row): a scenario with a NaN step, for instance a gap in
    its weather, has NaN totals, and ``missing_hours`` says how many steps
    of its facility power are NaN.
    """
    rows = {name: values.T for name, values in hourly.items()}  # (scenario, time)
    served = rows["served"].astype(np.float64, copy=False)
    sums = grid.summary_arrays(*(rows[name] for name in grid.SUMMARIZED), step)
    totals = cooling.totals_arrays(
        rows["power_it_equipment"], rows["power_facility"], rows["power_cooling"],
        rows["heat_recovered"], rows["water_use"], step,
    )  # fmt: skip
    # annual_pue's arithmetic, reusing the IT energy just summed
    without = row_sum(rows["power_facility"] - rows["power_auxiliaries"]) * step
    facility = hourly["power_facility"]
    tariff = site.economics.grid_tariff_per_mwh
    return {
        "energy_it": totals["energy_it"],
        "energy_facility": totals["energy_facility"],
        "energy_cooling": totals["energy_cooling"],
        "peak_facility": facility.max(axis=0),  # NaN propagates: an unknown step may be the peak
        "pue": totals["pue"],
        "pue_without_auxiliaries": without / totals["energy_it"],
        "energy_auxiliaries": row_sum(rows["power_auxiliaries"] * step),
        "energy_served": sums["energy_served"],
        "energy_unserved": sums["energy_unserved"],
        "unserved_hours": sums["unserved_hours"],
        "curtailed_hours": sums["curtailed_hours"],
        "over_contract_hours": sums["over_contract_hours"],
        "heat_recovered_energy": totals["heat_recovered_energy"],
        "heat_liquid_energy": row_sum(rows["heat_liquid"] * step),
        "water_use_total": totals["water_use_total"],
        "missing_hours": np.isnan(facility).sum(axis=0).astype(np.int64) * (step / 3600.0),
        "hydro_share": row_sum(served * rows["hydro_fraction"]) / row_sum(served),
        "cost": grid.cost_arrays(rows["served"], rows["price"], step, tariff),
        "emissions": grid.emission_arrays(rows["served"], rows["carbon_intensity"], step),
    }


#: per-scenario summaries of a conditional connection and a site battery, when the site has them
CONNECTION_SUMMARIES = (
    "non_firm_curtailment_hours",
    "energy_non_firm_curtailed",
    "over_available_hours",
    "energy_over_available",
    "over_available_hours_battery",
    "energy_over_available_battery",
    "energy_closed_by_battery",
)


def _curtailment(site, filling: xr.DataArray, seed: int):
    """The curtailed share [1] of the non-firm capacity, (time, scenario); 0.0 for a firm site."""
    if not site.grid.conditional:
        return 0.0
    times = filling.indexes["time"]
    guide = xr.DataArray(inflow.guide_curve(times, zone_model(site).name), dims="time",
                         coords={"time": filling["time"]})  # fmt: skip
    return site.grid.curtailment.signal(grid.reservoir_stress(filling, guide), seed)


def available_capacity(site, filling, seed: int) -> xr.DataArray:
    """What the grid connection makes available [W] each step, per scenario.

    The firm part of each phase, plus its non-firm part less the share the
    operator curtails: a seeded process tied to the zone's stress, its
    reservoirs' ``filling`` [1] (time, scenario) below the guide curve
    (``[grid.curtailment]``, :func:`powermodel.grid.curtailment_signal`,
    stream ``[seed, k, 6]``). Equal to the contract for a firm connection.

    Parameters
    ----------
    site : Site or str
        The site, or a built-in site name or site file
        (:func:`powermodel.site.load`).
    filling : xarray.DataArray
        The zone's reservoir filling [1], e.g. ``simulate(...)["filling"]``.
    seed : int
        The run's seed (``result.attrs["seed"]``).

    Returns
    -------
    xarray.DataArray
        Available capacity [W], dims (time, scenario).
    """
    site = _as_site(site)
    filling = filling.transpose("time", "scenario").astype(np.float64)
    parts = site.grid.parts(filling.indexes["time"])
    share = _curtailment(site, filling, seed)
    available = grid.available_capacity(parts["grid_capacity_firm"],
                                        parts["grid_capacity_non_firm"], share)  # fmt: skip
    return available.broadcast_like(filling)


def _connection(site, model, times, ids, seed, demand, hourly, backend) -> dict:
    """Hours and energy above what the connection makes available, with and without the battery
    (``[battery]``, dispatched against the available capacity: :func:`available_capacity`)."""
    coords = {"time": times, "scenario": ids}
    dims = ("time", "scenario")
    load = xr.DataArray(np.asarray(demand, np.float64), dims=dims, coords=coords)
    parts = site.grid.parts(times)
    filling = xr.DataArray(hourly["filling"].astype(np.float64), dims=dims, coords=coords)
    curtailment = _curtailment(site, filling, seed)
    store = site.battery.model() if site.battery.present else None
    price = None
    if store is not None and site.battery.arbitrage:
        price = xr.DataArray(hourly["price"], dims=dims, coords=coords)
    out = grid.conditional_summary(load, parts["grid_capacity_firm"],
                                   parts["grid_capacity_non_firm"], curtailment, store,
                                   price=price, backend=backend)  # fmt: skip
    return {name: out[name].values for name in out.data_vars}


#: the per-scenario summaries of shiftable load, when the site declares any
FLEXIBILITY_SUMMARIES = (
    "energy_shifted",
    "energy_deadline_missed",
    "deadlines_held",
    "cost_saved",
    "emissions_saved_location",
    "emissions_saved_production",
    "emissions_saved_marginal",
)


#: per-scenario summaries of the swings against the site's [swing] limits, when it has any
SWING_SUMMARIES = (
    "swing_worst_step",
    "swing_band_low",
    "swing_band_high",
    "swing_ramp_steepest",
    "swing_dynamic_range",
    "swing_limits_held",
    "swing_band_low_mitigated",
    "swing_band_high_mitigated",
    "swing_ramp_steepest_mitigated",
    "swing_dynamic_range_mitigated",
    "swing_limits_held_mitigated",
    "swing_mitigation_energy",
)


def _swing_compliance(site, swings, times, ids, backend) -> dict:
    """The racks' within-step swing against the ``[swing]`` limits, per scenario.

    The swing is the hourly engine's (jobs in phase, after any
    ``[workload.mitigation]``); the ``[swing]`` mitigation acts on top.
    """
    swing = xr.DataArray(swings["power_max"] - swings["power_min"], dims=("time", "scenario"),
                         coords={"time": times, "scenario": ids})  # fmt: skip
    config = site.swing
    checked = spectrum.scenario_compliance(
        swing, config.job(site.workload.training), config.limits(), config.model(),
        backend=backend,
    )  # fmt: skip
    out = {"swing_worst_step": checked["swing_worst_step"].values}
    for case in checked["case"].values:
        tail = "" if case == "unmitigated" else "_mitigated"
        one = checked.sel(case=case)
        bands = one["oscillation_amplitude"].transpose("band", "scenario").values
        out[f"swing_band_low{tail}"], out[f"swing_band_high{tail}"] = bands[0], bands[1]
        out[f"swing_ramp_steepest{tail}"] = one["ramp_rate_steepest"].values
        out[f"swing_dynamic_range{tail}"] = one["dynamic_range"].values
        out[f"swing_limits_held{tail}"] = one["limits_held"].values
    if "mitigation_energy" in checked:
        out["swing_mitigation_energy"] = checked["mitigation_energy"].values
    return out


def fleet_it_max(site, times, utilization: float) -> np.ndarray:
    """IT power [W] of the racks in service at ``utilization``, (time,).

    Parameters
    ----------
    site : powermodel.site.Site
        The site; its ``fleet``.
    times : pandas.DatetimeIndex
        The UTC time stamps; a fleet entry counts from its start.
    utilization : float
        Utilisation of every rack [1], 0..1.

    Returns
    -------
    numpy.ndarray
        ``power_it`` [W] of :func:`powermodel.rack.power` summed over the
        racks in service, dims (time,).
    """
    total = np.zeros(len(times))
    for entry in site.fleet:
        u = xr.DataArray(np.array([utilization]), dims="time")
        per_rack = rack.power(u, entry.system, power_cap=entry.power_cap_w, backend="numpy")
        total += entry.in_service(times).values * float(per_rack["power_it"][0])
    return total


def _flexibility(site, times, hourly, supply_zone, demand, capacity, backend) -> dict:
    """What moving the deferrable IT load within its windows saves, per scenario.

    The IT power moves; the grid power follows it at each step's ratio of
    grid power (facility plus heat pump) to IT power, the hour's PUE. A
    step takes at most the fleet at the declared maximum utilisation and
    what the contract leaves, so shifting never adds an hour over contract.
    """
    flex = site.workload.flexibility
    step = time_step(times).total_seconds()
    it = hourly["power_it"]
    with np.errstate(divide="ignore", invalid="ignore"):
        overhead = np.where(it > 0, demand / it, 1.0).astype(it.dtype, copy=False)
    headroom = it + np.maximum(capacity - demand, 0.0) / overhead
    upper = np.minimum(headroom, fleet_it_max(site, times, flex.max_utilization)[:, None])
    tariff = site.economics.grid_tariff_per_mwh
    intensity = {
        "location": supply_zone["carbon_intensity_location"],
        "production": supply_zone["carbon_intensity_production"],
        # in a hydro zone on thermal neighbours an extra MWh is met, in the end, by less export
        # or more import: the neighbours' mix is the marginal intensity's proxy (a lower bound
        # where their marginal plant is coal or gas)
        "marginal": supply_zone["carbon_import"],
    }
    signals = {"price": hourly["price"] + tariff, "water_value": supply_zone.get("water_value"),
               **{f"carbon_{basis}": values for basis, values in intensity.items()}}  # fmt: skip
    signal = signals[flex.signal]
    bounds = flexibility.window_bounds(times, flex.window_hours)
    shifted = flexibility.shift_arrays(it, upper.astype(it.dtype, copy=False),
                                       (signal * overhead).astype(it.dtype, copy=False), bounds,
                                       deferrable_share=flex.deferrable_share, dt=step,
                                       backend=backend)  # fmt: skip
    out = flexibility.shift_summary_arrays(it, shifted, bounds, step)
    out["cost_saved"] = flexibility.saving_arrays(it, shifted, overhead, signals["price"],
                                                  step) / 3.6e9  # fmt: skip
    for basis, values in intensity.items():
        saved = flexibility.saving_arrays(it, shifted, overhead, values, step)
        out[f"emissions_saved_{basis}"] = saved / 3.6e6 / 1e3  # g kWh-1 x J -> kg
    return out


def _swing_summaries(swings: dict, hourly: dict) -> dict:
    """Per scenario: the facility's within-step peak and trough and the steepest ramp.

    The racks' within-step extremes (all training jobs in phase: an upper
    bound) plus the step's cooling power, which does not follow sub-second
    swings. NaN propagates: an unknown step may hold the peak.
    """
    others = hourly["power_facility"] - hourly["power_total"]  # cooling
    return {
        "peak_within_step": (swings["power_max"] + others).max(axis=0),
        "peak_within_step_unmitigated": (swings["power_max_unmitigated"] + others).max(axis=0),
        "trough_within_step": (swings["power_min"] + others).min(axis=0),
        "ramp_rate_max": swings["ramp_rate"].max(axis=0),
        "ramp_rate_max_unmitigated": swings["ramp_rate_unmitigated"].max(axis=0),
        "floor_energy": row_sum(swings["floor_energy"].T),
    }


def simulate(
    site="dra01",
    scenarios=100,
    *,
    seed=0,
    start=None,
    periods=8760,
    freq="1h",
    backend="auto",
    chunk_size=None,
    client=None,
    store=None,
    progress=False,
    timings=None,
    keep="auto",
) -> xr.Dataset:
    """Simulate a whole site over ``scenarios`` Monte Carlo scenarios.

    Parameters
    ----------
    site : str, path or powermodel.site.Site
        A built-in site name (``"dra01"``), a TOML site file or a Site.
    scenarios : int or sequence of int
        ``N`` runs scenarios ``0 .. N-1``; a sequence picks ids.
    seed : int
        Scenario ``k`` of seed ``s`` depends only on ``(s, k)``.
    start : str or datetime, optional
        First time stamp (UTC); default the start of the first grid phase.
    periods, freq
        Length and step of the time grid (hourly or sub-hourly).
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).
    chunk_size : int, optional
        Scenarios per chunk (default: all in one chunk up to 64).
    client : None, "local" or distributed.Client
        Run chunks on a Dask cluster (see :func:`powermodel.runner.run`).
    store : path, optional
        Zarr store for finished chunks; a rerun resumes from it.
    progress : bool
        Show a progress bar over chunks.
    timings : dict, optional
        Filled with the seconds spent in each stage (in-process runs only).
    keep : {"auto", "hourly", "summaries"} or list of str
        What the returned Dataset holds: ``"hourly"`` everything,
        ``"summaries"`` the per-scenario summaries (and ``grid_capacity``)
        only, a list of names those plus the named hourly variables.
        ``"auto"``: hourly up to :data:`HOURLY_LIMIT` scenario-steps (or
        with a ``store``), summaries beyond. With a ``store`` every chunk's
        hourly results go to the store as it finishes and the returned
        Dataset is lazy (dask arrays reading the store), so memory is set
        by the chunk size, not by the number of scenarios. ``attrs["kept"]``
        says what was kept.

    Returns
    -------
    xarray.Dataset
        Hourly results (time, scenario): ``power_it``, ``power_total`` (IT
        and power chain), ``power_cooling``, ``power_facility``,
        ``power_heat_pump``, ``heat_recovered``, ``water_use``, ``served``,
        ``unserved``, ``over_contract``, ``curtailed``, ``filling``,
        ``rationing``, ``price``, ``carbon_intensity`` (the site's basis),
        ``hydro_fraction``; ``grid_capacity`` (time); and the per-scenario
        summaries :data:`SUMMARIES`. Balances at every step:
        ``power_facility = power_total + power_cooling + power_auxiliaries`` and
        ``power_facility + power_heat_pump = served + unserved``.
    """
    site = _as_site(site)
    if start is None:
        start = pd.Timestamp(site.grid.phases[0].start)
    ids = scenario_ids(scenarios)
    if chunk_size is None:
        chunk_size = min(len(ids), 64)
    times = time_grid(start, periods, freq)  # bad start, periods or freq: named first
    if not bool((site.racks(times) > 0).any()):
        first = min(entry.start for entry in site.fleet)
        raise ValueError(
            f"start: no racks are in service from {times[0]} to {times[-1]}; the first fleet "
            f"entry enters service on {first}"
        )
    kept = _kept(keep, len(ids) * periods, store)
    _check_memory(site, len(ids), periods, chunk_size, client, kept == "hourly" and store is None)
    task = functools.partial(
        _chunk,
        site=site,
        seed=seed,
        start=start,
        periods=periods,
        freq=freq,
        backend=backend,
        timings=timings if client is None else None,
    )
    fingerprint = None if store is None else _fingerprint(site, seed, start, periods, freq, backend)
    result = runner.run(
        task,
        ids,
        chunk_size=chunk_size,
        client=client,
        store=store,
        progress=progress,
        fingerprint=fingerprint,
        keep=None if kept == "hourly" else functools.partial(_select, kept=kept),
        lazy=store is not None,
    )
    result.attrs["kept"] = kept if isinstance(kept, str) else "summaries+" + ",".join(kept)
    return result


#: Largest scenarios x steps for which ``keep="auto"`` holds the hourly results in
#: memory without a store (about 3 GB at 148 B per scenario-step).
HOURLY_LIMIT = 20_000_000


def _kept(keep, scenario_steps: int, store):
    """``keep`` checked and resolved: "hourly", "summaries" or a tuple of names."""
    if isinstance(keep, str):
        if keep == "auto":
            return "hourly" if store is not None or scenario_steps <= HOURLY_LIMIT else "summaries"
        if keep in ("hourly", "summaries"):
            return keep
        raise ValueError(f'keep: {keep!r} is not "auto", "hourly", "summaries" or a list of names')
    names = tuple(keep)
    if not names or not all(isinstance(name, str) for name in names):
        raise TypeError(f"keep: a list of variable names is needed, got {keep!r}")
    unknown = [name for name in names if name not in VARIABLES and name not in HOURLY]
    if unknown:
        raise ValueError(f"keep: unknown variables {unknown}")
    return names


def _select(chunk: xr.Dataset, kept) -> xr.Dataset:
    """The per-scenario summaries of a chunk, and the hourly variables named in ``kept``."""
    names = [name for name, var in chunk.data_vars.items()
             if "time" not in var.dims or name == "grid_capacity"
             or (not isinstance(kept, str) and name in kept)]  # fmt: skip
    return chunk[names]


# Measured on dra01 (two fleet entries), numba, a year hourly, Zen 4, chunks of 64 with
# keep="summaries": peak RSS 0.50 GB (one entry in service) and 0.61 GB (both, from
# 2027), so 450-650 B per scenario-step of a chunk in flight (8.9 kB before the fused
# fleet kernel); the kept result is 148-160 B per scenario-step (1,000 scenarios hourly:
# 1.90 GB); 0.25 GB for the interpreter. The chunk figure keeps a 1.5x margin.
_CHUNK_BYTES_PER_STEP = 1_000
_RESULT_BYTES_PER_STEP = 160
_BASE_BYTES = 250e6


def memory_estimate(site, scenarios: int, periods: int, chunk_size: int, hourly=True) -> float:
    """Peak memory [B] a run of ``scenarios`` x ``periods`` steps needs, about.

    The kept result (every hourly variable of every scenario) plus the
    working arrays of one chunk of ``chunk_size`` scenarios in flight,
    scaled by the number of fleet entries (coefficients measured on dra01;
    see the source); ``hourly=False`` when the hourly results are not held
    (summaries only, or streamed to a store). An estimate to refuse hopeless
    runs early, not a bound.

    Parameters
    ----------
    site : powermodel.site.Site
        The site; the number of its fleet entries scales the chunk's share.
    scenarios : int
        Scenarios of the run.
    periods : int
        Time steps of the run.
    chunk_size : int
        Scenarios per chunk in flight in this process (0: none, chunks run
        elsewhere).
    hourly : bool
        Whether the hourly results of every scenario are held in memory.

    Returns
    -------
    float
        Estimated peak memory [B].
    """
    entries = max(1, len(site.fleet) / 2)
    chunk = min(chunk_size, scenarios)
    held = scenarios if hourly else 0
    return (
        _BASE_BYTES
        + float(chunk) * periods * _CHUNK_BYTES_PER_STEP * entries
        + float(held) * periods * _RESULT_BYTES_PER_STEP
    )


def _available_memory() -> float | None:
    """Memory [B] this machine can give now (``MemAvailable``), None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as file:
            for line in file:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024.0
    except OSError:
        pass
    try:
        return float(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return None


def _check_memory(site, n_scenarios, periods, chunk_size, client, holds_hourly) -> None:
    kept = n_scenarios if holds_hourly else 0  # scenarios whose hourly results stay here
    chunk = 0 if client is not None else chunk_size  # a Dask worker holds the chunk
    needed = memory_estimate(site, n_scenarios, periods, chunk, hourly=holds_hourly)
    available = _available_memory()
    if available is not None and needed > available:
        raise MemoryError(
            f"this run needs about {needed / 1e9:.1f} GB and {available / 1e9:.1f} GB are "
            f"available: {n_scenarios} scenarios x {periods} steps keep "
            f"{kept * periods * _RESULT_BYTES_PER_STEP / 1e9:.1f} GB of results and a "
            f"chunk of {min(chunk_size, n_scenarios)} scenarios needs "
            f"{min(chunk_size, n_scenarios) * periods * _CHUNK_BYTES_PER_STEP / 1e9:.1f} GB "
            "while it runs; keep the summaries only (keep='summaries') or stream the hourly "
            "results to a store (store=, --store), run fewer scenarios per chunk (chunk_size, "
            "--chunk-size), fewer scenarios or steps, or on a machine with more memory"
        )


def _fingerprint(site, seed, start, periods, freq, backend) -> dict[str, str]:
    """Everything that determines the results, by name, for a run store.

    Each site section by value (not where the site file lives), the content
    of the weather file (its SHA-256, not its path: an edited file is another
    run, a copied one the same), the seed, the time grid normalised (``60min``
    is ``1h``) and the backend as resolved (``auto`` on a CPU is ``numba``),
    and the versions of powermodel and numpy.
    """
    from importlib.metadata import PackageNotFoundError, version

    from powermodel.backends import resolve_backend

    prints = {}
    for item in fields(site):
        if item.name in ("path", "sources"):
            continue
        value = getattr(site, item.name)
        if item.name == "climate":
            value = {f.name: getattr(value, f.name) for f in fields(value)
                     if f.name not in ("path", "sources")}  # fmt: skip
            if not site.climate.synthetic:
                del value["source"]  # a path: the content below is what matters
                try:
                    digest = hashlib.sha256(site.climate.path.read_bytes()).hexdigest()
                except OSError as error:  # the weather reader says so, naming the file
                    digest = f"unreadable ({type(error).__name__})"
                prints["climate.file_sha256"] = digest
        prints[f"site.{item.name}"] = repr(value)
    # the data files the zone reads, by content (as the weather file)
    files = {"zone.price_file": site.zone.price_file}
    files.update({f"carbon.neighbour.{n.name}.file": n.file for n in site.carbon.neighbours})
    for key, path in files.items():
        if path is not None:
            try:
                prints[f"{key}_sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError as error:  # its reader says so, naming the file
                prints[f"{key}_sha256"] = f"unreadable ({type(error).__name__})"
    try:
        package = version("powermodel")
    except PackageNotFoundError:  # running from a source tree
        package = "source"
    prints.update(
        seed=str(seed),
        start=pd.Timestamp(start).isoformat(),
        periods=str(periods),
        step=str(step_of(freq)),
        backend=resolve_backend(backend),
        powermodel=package,
        numpy=np.__version__,
    )
    return prints


def _loss_of_load_probability(unserved_hours: xr.DataArray) -> xr.DataArray:
    """Share of scenarios with any unserved hour; NaN if a scenario's count is unknown."""
    any_unserved = (unserved_hours > 0).astype(np.float64).where(unserved_hours.notnull())
    return any_unserved.mean("scenario", skipna=False)


def risk(result: xr.Dataset, quantiles=(0.5, 0.9, 0.99)) -> xr.Dataset:
    """Risk figures across scenarios of the per-scenario summaries.

    Parameters
    ----------
    result : xarray.Dataset
        Output of :func:`simulate` (its per-scenario summaries, at least
        ``unserved_hours``).
    quantiles : sequence of float
        Quantiles taken across scenarios, each 0..1.

    Returns
    -------
    xarray.Dataset
        Each summary at ``quantiles`` (dim ``quantile``),
        ``loss_of_load_probability`` (share of scenarios with any unserved
        hour) and ``loss_of_load_expectation`` (mean unserved hours). A
        scenario with a NaN summary (a gap in its inputs) makes each figure
        of that summary NaN: an unknown scenario may be the one that fails.
    """
    extra = (*FLEXIBILITY_SUMMARIES, *SWING_SUMMARIES, *CONNECTION_SUMMARIES)
    names = [name for name in (*SUMMARIES, *extra) if name in result]
    out = result[names].quantile(list(quantiles), dim="scenario", keep_attrs=True, skipna=False)
    unserved = result["unserved_hours"]
    out["loss_of_load_probability"] = _loss_of_load_probability(unserved)
    out["loss_of_load_probability"].attrs = {
        "units": "1",
        "long_name": "share of scenarios with unserved demand",
    }
    out["loss_of_load_expectation"] = unserved.mean("scenario", skipna=False)
    out["loss_of_load_expectation"].attrs = {
        "units": "h",
        "long_name": "expected hours with unserved demand (LOLE)",
    }
    return out


def max_racks(
    site,
    system: str,
    *,
    probability=0.01,
    scenarios=50,
    seed=0,
    periods=8760,
    freq="1h",
    backend="auto",
) -> xr.Dataset:
    """The most racks of ``system`` each grid phase can serve at a stated reliability.

    For each phase of the site's grid connection, a fleet of ``n`` racks of
    ``system`` (entering service with the phase, the site's workload and
    cooling) is simulated over ``periods`` steps from the phase's start with
    that phase's capacity; ``n`` is the largest count whose probability of
    any unserved hour stays at or below ``probability`` (bisection; the
    probability grows with ``n``).

    Parameters
    ----------
    site : str, path or powermodel.site.Site
        A built-in site name, a TOML site file or a Site; its grid phases,
        workload and cooling.
    system : str
        A catalog system (:func:`powermodel.catalog.systems`).
    probability : float
        Largest acceptable loss-of-load probability [1], 0..1: the share of
        scenarios with any unserved hour.
    scenarios : int or sequence of int
        Scenarios each trial fleet is simulated over, as in :func:`simulate`.
    seed : int
        The seed of the scenarios.
    periods, freq
        Length and step of each phase's time grid, as in :func:`simulate`.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernels run (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    xarray.Dataset
        ``racks`` (dim ``phase``) with the phase's ``capacity`` [W] and the
        ``loss_of_load_probability`` at that fleet size.
    """
    site = _as_site(site)
    per_rack = rack.full_load_power(catalog.system(system))
    racks, capacities, probabilities = [], [], []
    for phase in site.grid.phases:
        capacity = phase.capacity_mw * 1e6
        only = replace(site.grid, phases=(phase,))

        def lolp(n, phase=phase, only=only):
            entry = _site.FleetEntry(system=system, racks=int(n), start=phase.start)
            trial = replace(site, grid=only, fleet=(entry,))
            result = simulate(
                trial,
                scenarios,
                seed=seed,
                start=pd.Timestamp(phase.start),
                periods=periods,
                freq=freq,
                backend=backend,
            )
            # NaN (a gap in the inputs) compares as failing: never a fit by default
            return float(_loss_of_load_probability(result["unserved_hours"]))

        # below full utilisation more racks than capacity / per_rack may fit: grow the
        # upper bound until it fails
        low, high = 0, max(1, int(capacity / per_rack) + 1)
        while lolp(high) <= probability:
            low, high = high, 2 * high
        best = lolp(low) if low > 0 else 0.0
        while high - low > 1:
            middle = (low + high) // 2
            value = lolp(middle) if middle > 0 else 0.0
            if value <= probability:
                low, best = middle, value
            else:
                high = middle
        racks.append(low)
        capacities.append(capacity)
        probabilities.append(best)
    phase_start = [str(phase.start) for phase in site.grid.phases]
    share = "share of scenarios with unserved demand"
    return xr.Dataset(
        {
            "racks": ("phase", np.asarray(racks), {"units": "1", "long_name": f"{system} racks"}),
            "capacity": ("phase", np.asarray(capacities), {"units": "W", "long_name": "capacity"}),
            "loss_of_load_probability": (
                "phase",
                np.asarray(probabilities),
                {"units": "1", "long_name": share},
            ),
        },
        coords={"phase": phase_start},
        attrs={"system": system, "probability": probability, "scenarios": scenarios},
    )
