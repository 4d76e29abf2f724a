"""A bidding zone and a site's grid connection, one time step: scalar physics.

The zone around the reservoir scan (:mod:`powermodel.kernels.hydro`):

1. :func:`zone_inputs` -- before the scan: the zone's demand from the
   outdoor temperature (Norwegian demand peaks in winter: electric space
   heating), the run-of-river generation from the unregulated part of the
   inflow, and what is left for the reservoirs to serve;
2. the reservoir dispatch scan (guide-curve rule, interconnector slack);
3. :func:`zone_outcomes` -- after the scan: a price proxy from the water
   value and the carbon intensity of the zone's generation and of its
   supplied mix;
4. :func:`grid_supply` -- the site's share: what its contracted connection
   and the zone can serve of its demand.

Demand (a heating-degree model with a daily shape)::

    D = (D_0 + G max(0, T_balance - T)) (1 + a cos(2 pi (h - h_peak) / 24))

Run of river (hydropowerlib's run-of-river equation, aggregated): the
unregulated share ``s`` of the inflow runs through turbines of capacity
``P_ror``; what exceeds it is spilled::

    P_ror(t) = min(s I(t), P_ror),      spill_ror = s I - P_ror(t)

Price proxy (documented as a proxy, not a market model): the water value
rises as the reservoirs fall below the seasonal guide filling ``g``::

    price = clip(price_ref exp(-k (filling - g)), floor, cap),
    price = cap when the zone sheds load

Carbon intensity [g kWh-1], life-cycle factors throughout: of the zone's
own generation (production-based), and of the supplied electricity
(location-based), the pooled mix of domestic generation and imports
(exports carry the same pooled mix), with ``CI_imp(t)`` the step's
intensity of the imports (:func:`powermodel.carbon.import_intensity`)::

    CI_prod = (CI_hydro (hydro + ror) + CI_mr must-run) / (hydro + ror + must-run)
    CI_loc = (CI_hydro (hydro + ror) + CI_mr must-run + CI_imp(t) imports)
             / (hydro + ror + must-run + imports)

Parameters reach the kernels as one named record, :class:`ZoneParameters`.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from powermodel.kernels._physics import physics

__all__ = [
    "GRID_OUTPUTS",
    "INPUT_OUTPUTS",
    "OUTCOME_OUTPUTS",
    "ZoneParameters",
    "grid_supply",
    "zone_demand",
    "zone_inputs",
    "zone_outcomes",
]


class ZoneParameters(NamedTuple):
    """Parameters of the zone kernels (from :class:`powermodel.zone.Zone`).

    numba and numba-cuda pass it by value; the physics reads ``p.demand_base``.

    Parameters
    ----------
    demand_base : float
        Demand at and above the balance temperature, ``D_0`` [W].
    heating_gradient : float
        Extra demand per kelvin below the balance temperature, ``G`` [W K-1].
    temp_balance : float
        Balance temperature of space heating, ``T_balance`` [degC].
    daily_amplitude : float
        Relative amplitude ``a`` of the daily demand cosine [1], 0..1.
    peak_hour : float
        Local hour of the daily demand peak, ``h_peak`` [h].
    run_of_river_share : float
        Unregulated share ``s`` of the inflow, which cannot be stored [1], 0..1.
    run_of_river_capacity : float
        Turbine capacity of the run-of-river plants, ``P_ror`` [W].
    must_run : float
        Other must-run generation, constant [W].
    price_reference : float
        Price at the guide filling, ``price_ref`` [currency MWh-1].
    price_sensitivity : float
        Sensitivity ``k`` of the price to the filling's gap to the guide [1].
    price_floor : float
        Lowest price of the proxy [currency MWh-1].
    price_cap : float
        Highest price of the proxy, also paid while load is shed [currency MWh-1].
    carbon_domestic : float
        Life-cycle carbon intensity of hydro generation, ``CI_hydro`` [g kWh-1].
    carbon_must_run : float
        Life-cycle carbon intensity of the must-run generation, ``CI_mr`` [g kWh-1].
    """

    demand_base: float  # demand above the heating need D_0 [W]
    heating_gradient: float  # heating gradient G [W K-1]
    temp_balance: float  # balance temperature T_balance [degC]
    daily_amplitude: float  # daily amplitude a [1]
    peak_hour: float  # local hour of the daily peak h_peak [h]
    run_of_river_share: float  # unregulated share s of the inflow [1]
    run_of_river_capacity: float  # run-of-river turbine capacity [W]
    must_run: float  # must-run generation [W]
    price_reference: float  # price at the guide filling [currency MWh-1]
    price_sensitivity: float  # price sensitivity k to the filling gap [1]
    price_floor: float  # lowest price [currency MWh-1]
    price_cap: float  # highest price, paid while load is shed [currency MWh-1]
    carbon_domestic: float  # life-cycle intensity of hydro generation [g kWh-1]
    carbon_must_run: float  # life-cycle intensity of must-run generation [g kWh-1]


#: what :func:`zone_inputs` returns, in order
INPUT_OUTPUTS = (
    "zone_demand",
    "run_of_river",
    "spill_run_of_river",
    "reservoir_inflow",
    "net_demand",
)
#: what :func:`zone_outcomes` returns, in order
OUTCOME_OUTPUTS = ("price", "carbon_intensity_location", "carbon_intensity_production")
#: what :func:`grid_supply` returns, in order
GRID_OUTPUTS = ("served", "over_contract", "curtailed")


@physics
def zone_demand(p, temp_air, hour_local):
    """Zone electricity demand [W] at outdoor temperature ``temp_air`` [degC].

    ``hour_local`` [h] is the local clock hour (0 to 24) that places the
    daily shape.

    Parameters
    ----------
    p : ZoneParameters
        Named parameters (:class:`ZoneParameters`).
    temp_air : float
        Outdoor air temperature [degC].
    hour_local : float
        Local clock hour [h], 0 to 24.

    Returns
    -------
    float
        Zone demand ``D`` [W]: heating-degree demand times the daily shape
        (module docstring).
    """
    heating = p.temp_balance - temp_air
    heating = 0.0 if heating < 0.0 else heating
    daily = 1.0 + p.daily_amplitude * math.cos(2.0 * math.pi * (hour_local - p.peak_hour) / 24.0)
    return (p.demand_base + p.heating_gradient * heating) * daily


@physics
def zone_inputs(p, temp_air, hour_local, inflow, site_load):
    """The zone before the reservoir scan.

    Parameters
    ----------
    p : ZoneParameters
        Named parameters (:class:`ZoneParameters`).
    temp_air : float
        Outdoor temperature [degC].
    hour_local : float
        Local clock hour [h].
    inflow : float
        Total inflow of the zone (energy equivalent) [W], >= 0.
    site_load : float
        The site's own demand [W], added to the zone's.

    Returns
    -------
    zone_demand, run_of_river, spill_run_of_river, reservoir_inflow, net_demand : float
        [W]. ``net_demand`` is what the reservoirs and the interconnector
        must serve: zone demand plus site load minus run-of-river and other
        must-run generation (negative: a surplus).
    """
    demand = zone_demand(p, temp_air, hour_local) + site_load
    unregulated = p.run_of_river_share * inflow
    ror = unregulated if unregulated < p.run_of_river_capacity else p.run_of_river_capacity
    # NaN inflow: the comparison is False and ror takes the capacity; poison it back
    ror = unregulated if unregulated != unregulated else ror
    return (
        demand,
        ror,
        unregulated - ror,
        inflow - unregulated,
        demand - ror - p.must_run,
    )


@physics
def zone_outcomes(p, filling, guide, generation, run_of_river, imports, shortfall, carbon_import):
    """Price proxy [currency MWh-1] and carbon intensities [g kWh-1].

    Parameters
    ----------
    p : ZoneParameters
        Named parameters (:class:`ZoneParameters`).
    filling, guide : float
        Reservoir filling at the end of the step and the guide filling [1].
    generation, run_of_river, imports, shortfall : float
        Reservoir hydro generation, run-of-river generation, imports and
        unserved zone demand over the step [W].
    carbon_import : float
        Carbon intensity of the step's imports [g kWh-1].

    Returns
    -------
    price, carbon_intensity_location, carbon_intensity_production : float
        The price proxy, the intensity of the supplied mix (generation and
        imports) and of the zone's own generation.
    """
    price = p.price_reference * math.exp(-p.price_sensitivity * (filling - guide))
    price = p.price_floor if price < p.price_floor else price
    price = p.price_cap if price > p.price_cap else price
    price = p.price_cap if shortfall > 0.0 else price
    hydro = generation + run_of_river
    domestic = hydro + p.must_run
    emitted = p.carbon_domestic * hydro + p.carbon_must_run * p.must_run
    location = (emitted + carbon_import * imports) / (domestic + imports)
    production = emitted / domestic
    poison = filling + guide + generation + run_of_river + imports + shortfall + carbon_import
    missing = poison != poison
    return (
        poison if missing else price,
        poison if missing else location,
        poison if missing else production,
    )


@physics
def grid_supply(demand, capacity, rationing):
    """Serve the site's ``demand`` [W] through a connection of ``capacity`` [W].

    The zone sheds the share ``rationing`` [1] of every load when it runs
    short (pro rata), so the site can draw ``capacity (1 - rationing)``.

    Parameters
    ----------
    demand : float
        The site's demand [W].
    capacity : float
        Contracted capacity of the site's grid connection [W].
    rationing : float
        Share of every load the zone sheds in the step [1], 0..1.

    Returns
    -------
    served, over_contract, curtailed : float
        [W]. ``over_contract`` is demand above the contracted capacity (a
        planning shortfall); ``curtailed`` is demand within the contract
        that the zone could not serve. ``demand = served + over_contract +
        curtailed``.
    """
    contracted = demand if demand < capacity else capacity
    available = capacity * (1.0 - rationing)
    served = contracted if contracted < available else available
    served = 0.0 if served < 0.0 else served
    poison = demand + capacity + rationing
    missing = poison != poison
    return (
        poison if missing else served,
        poison if missing else demand - contracted,
        poison if missing else contracted - served,
    )
