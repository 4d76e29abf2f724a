"""A bidding zone and a site's grid connection, one time step: scalar physics.

The zone around the reservoir scan (:mod:`powermodel.kernels.hydro`):

1. :func:`zone_inputs` -- before the scan: the zone's demand from the
   outdoor temperature (Norwegian demand peaks in winter: electric space
   heating), the run-of-river generation from the unregulated part of the
   inflow, and what is left for the reservoirs to serve;
2. the reservoir dispatch scan (guide-curve rule, interconnector slack);
3. :func:`zone_outcomes` -- after the scan: a price proxy from the water
   value and the location-based carbon intensity of the supplied mix;
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

Location-based carbon intensity of the supplied electricity, pooled mix of
domestic generation and imports (exports carry the same pooled mix)::

    CI = (CI_dom (hydro + ror + must-run) + CI_imp imports) / (hydro + ror + must-run + imports)

``p`` layout::

    0  demand at and above the balance temperature, D_0  [W]
    1  heating gradient G                                [W K-1]
    2  balance temperature T_balance                     [degC]
    3  daily demand amplitude a                          [1]
    4  hour of the daily demand peak h_peak (local)     [h]
    5  unregulated (run-of-river) share of inflow s      [1]
    6  run-of-river turbine capacity P_ror              [W]
    7  other must-run generation (wind, thermal)        [W]
    8  reference price price_ref                        [currency MWh-1]
    9  price sensitivity to the filling deviation k     [1]
    10 price floor                                      [currency MWh-1]
    11 price cap (also the scarcity price)              [currency MWh-1]
    12 carbon intensity of domestic generation CI_dom   [g kWh-1]
    13 carbon intensity of imports CI_imp               [g kWh-1]
"""

from __future__ import annotations

import math

from powermodel.kernels._physics import physics

__all__ = [
    "GRID_OUTPUTS",
    "INPUT_OUTPUTS",
    "OUTCOME_OUTPUTS",
    "PARAMETERS",
    "grid_supply",
    "zone_demand",
    "zone_inputs",
    "zone_outcomes",
]

P_DEMAND_BASE = 0
P_HEATING_GRADIENT = 1
P_TEMP_BALANCE = 2
P_DAILY_AMPLITUDE = 3
P_PEAK_HOUR = 4
P_ROR_SHARE = 5
P_ROR_CAPACITY = 6
P_MUST_RUN = 7
P_PRICE_REFERENCE = 8
P_PRICE_SENSITIVITY = 9
P_PRICE_FLOOR = 10
P_PRICE_CAP = 11
P_CARBON_DOMESTIC = 12
P_CARBON_IMPORT = 13
PARAMETERS = 14

#: what :func:`zone_inputs` returns, in order
INPUT_OUTPUTS = (
    "zone_demand",
    "run_of_river",
    "spill_run_of_river",
    "reservoir_inflow",
    "net_demand",
)
#: what :func:`zone_outcomes` returns, in order
OUTCOME_OUTPUTS = ("price", "carbon_intensity_location")
#: what :func:`grid_supply` returns, in order
GRID_OUTPUTS = ("served", "over_contract", "curtailed")


@physics
def zone_demand(p, temp_air, hour_local):
    """Zone electricity demand [W] at outdoor temperature ``temp_air`` [degC].

    ``hour_local`` [h] is the local clock hour (0 to 24) that places the
    daily shape.
    """
    heating = p[P_TEMP_BALANCE] - temp_air
    heating = 0.0 if heating < 0.0 else heating
    daily = 1.0 + p[P_DAILY_AMPLITUDE] * math.cos(
        2.0 * math.pi * (hour_local - p[P_PEAK_HOUR]) / 24.0
    )
    return (p[P_DEMAND_BASE] + p[P_HEATING_GRADIENT] * heating) * daily


@physics
def zone_inputs(p, temp_air, hour_local, inflow, site_load):
    """The zone before the reservoir scan.

    Parameters
    ----------
    p : array
        Packed parameters (module docstring).
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
    unregulated = p[P_ROR_SHARE] * inflow
    ror = unregulated if unregulated < p[P_ROR_CAPACITY] else p[P_ROR_CAPACITY]
    # NaN inflow: the comparison is False and ror takes the capacity; poison it back
    ror = unregulated if unregulated != unregulated else ror
    return (
        demand,
        ror,
        unregulated - ror,
        inflow - unregulated,
        demand - ror - p[P_MUST_RUN],
    )


@physics
def zone_outcomes(p, filling, guide, generation, run_of_river, imports, shortfall):
    """Price proxy [currency MWh-1] and location-based carbon intensity [g kWh-1].

    Parameters
    ----------
    p : array
        Packed parameters (module docstring).
    filling, guide : float
        Reservoir filling at the end of the step and the guide filling [1].
    generation, run_of_river, imports, shortfall : float
        Reservoir hydro generation, run-of-river generation, imports and
        unserved zone demand over the step [W].
    """
    price = p[P_PRICE_REFERENCE] * math.exp(-p[P_PRICE_SENSITIVITY] * (filling - guide))
    price = p[P_PRICE_FLOOR] if price < p[P_PRICE_FLOOR] else price
    price = p[P_PRICE_CAP] if price > p[P_PRICE_CAP] else price
    price = p[P_PRICE_CAP] if shortfall > 0.0 else price
    domestic = generation + run_of_river + p[P_MUST_RUN]
    supplied = domestic + imports
    carbon = (p[P_CARBON_DOMESTIC] * domestic + p[P_CARBON_IMPORT] * imports) / supplied
    poison = filling + guide + generation + run_of_river + imports + shortfall
    missing = poison != poison
    return (poison if missing else price, poison if missing else carbon)


@physics
def grid_supply(demand, capacity, rationing):
    """Serve the site's ``demand`` [W] through a connection of ``capacity`` [W].

    The zone sheds the share ``rationing`` [1] of every load when it runs
    short (pro rata), so the site can draw ``capacity (1 - rationing)``.

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
