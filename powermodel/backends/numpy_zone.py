"""The bidding zone and the grid connection in plain numpy, float64: the test oracle.

The equations of :mod:`powermodel.kernels.zone` restated on whole arrays.
"""

from __future__ import annotations

import numpy as np

__all__ = ["grid_supply", "zone_inputs", "zone_outcomes"]


def zone_inputs(p, temp_air, hour_local, inflow, site_load):
    """Zone demand, run of river, its spill, reservoir inflow and net demand [W]."""
    heating = np.maximum(p.temp_balance - temp_air, 0.0)
    heating = np.where(np.isnan(temp_air), np.nan, heating)
    daily = 1.0 + p.daily_amplitude * np.cos(2 * np.pi * (hour_local - p.peak_hour) / 24)
    demand = (p.demand_base + p.heating_gradient * heating) * daily + site_load
    unregulated = p.run_of_river_share * inflow
    ror = np.where(np.isnan(unregulated), np.nan, np.minimum(unregulated, p.run_of_river_capacity))
    return {
        "zone_demand": demand,
        "run_of_river": ror,
        "spill_run_of_river": unregulated - ror,
        "reservoir_inflow": inflow - unregulated,
        "net_demand": demand - ror - p.must_run,
    }


def zone_outcomes(p, filling, guide, generation, run_of_river, imports, shortfall, carbon_import):
    """Price proxy [currency MWh-1] and carbon intensities [g kWh-1]."""
    price = p.price_reference * np.exp(-p.price_sensitivity * (filling - guide))
    price = np.clip(price, p.price_floor, p.price_cap)
    price = np.where(shortfall > 0, p.price_cap, price)
    hydro = generation + run_of_river
    domestic = hydro + p.must_run
    emitted = p.carbon_domestic * hydro + p.carbon_must_run * p.must_run
    with np.errstate(invalid="ignore", divide="ignore"):
        location = (emitted + carbon_import * imports) / (domestic + imports)
        production = emitted / domestic
    missing = np.isnan(
        filling + guide + generation + run_of_river + imports + shortfall + carbon_import
    )
    return {
        "price": np.where(missing, np.nan, price),
        "carbon_intensity_location": np.where(missing, np.nan, location),
        "carbon_intensity_production": np.where(missing, np.nan, production),
    }


def grid_supply(demand, capacity, rationing):
    """Served, over-contract and curtailed site demand [W]."""
    contracted = np.minimum(demand, capacity)
    served = np.maximum(np.minimum(contracted, capacity * (1.0 - rationing)), 0.0)
    missing = np.isnan(demand + capacity + rationing)
    return {
        "served": np.where(missing, np.nan, served),
        "over_contract": np.where(missing, np.nan, demand - contracted),
        "curtailed": np.where(missing, np.nan, contracted - served),
    }
