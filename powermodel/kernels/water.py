"""Water values of an aggregated reservoir: one stage, one filling, one scenario.

The value of stored water comes from stochastic dynamic programming over
weekly stages, the method of the Nordic long-term models (EMPS, ProdRisk;
Wolfgang et al. 2009, "Hydro reservoir handling in Norway before and after
deregulation", Energy 34: 1642-1651). At the start of week ``w`` with
storage ``S`` the expected value of the rest of the horizon is::

    V_w(S) = E_k [ max_r  trade(r, D_wk, p_wk) + V_(w+1)(S + Q_wk - r - spill) ]

over the inflow (and price) scenarios ``k``, with release ``r`` (energy in
the week [J]) between the minimum release and the turbines (and the water
above dead storage), ``spill`` what exceeds the capacity. The value of a
week's release is what the zone earns and pays trading with its neighbours
at the week's price ``p``, net demand ``D`` served first::

    trade = p (min(max(r - D, 0), E) - min(max(D - r, 0), I)) - VOLL shed

exports ``E`` and imports ``I`` limited to the interconnector, ``shed`` the
deficit the imports cannot cover, valued at the scarcity price (value of
lost load) ``VOLL``. The water value is ``dV/dS`` [currency MWh-1].

``V_(w+1)`` is known at the points of a filling grid and interpolated
linearly between them, and ``trade`` is piecewise linear in ``r``: the
objective is piecewise linear in ``r``, so its maximum lies at one of its
breakpoints. :func:`best_release_value` evaluates exactly those: the
releases that end the week on a grid point, and ``D - I``, ``D``, ``D + E``
and the two release bounds. The maximum is exact for the interpolated
table, not a search over a release grid.

Parameters reach the kernels as one named record, :class:`WaterValueParameters`.
"""

from __future__ import annotations

from typing import NamedTuple

from powermodel.kernels._physics import physics

__all__ = [
    "J_PER_MWH",
    "WaterValueParameters",
    "best_release_value",
    "interpolate",
    "release_value",
    "trade_value",
]

#: joules in a megawatt-hour
J_PER_MWH = 3.6e9


class WaterValueParameters(NamedTuple):
    """Parameters of the water-value recursion, energies per stage [J].

    numba and numba-cuda pass it by value.

    Parameters
    ----------
    capacity : float
        Reservoir capacity [J].
    storage_min : float
        Dead storage, never released [J].
    release_min : float
        Minimum (environmental) release per stage [J].
    release_max : float
        Turbine capacity per stage [J].
    import_limit, export_limit : float
        Interconnector import and export limits per stage [J].
    scarcity_price : float
        Value of lost load, the price of shed load [currency MWh-1].
    """

    capacity: float  # reservoir capacity [J]
    storage_min: float  # dead storage, never released [J]
    release_min: float  # minimum (environmental) release per stage [J]
    release_max: float  # turbine capacity per stage [J]
    import_limit: float  # interconnector import per stage [J]
    export_limit: float  # interconnector export per stage [J]
    scarcity_price: float  # value of lost load [currency MWh-1]


@physics
def trade_value(p, release, demand, price):
    """What the zone earns trading in a stage [currency], net demand served first.

    ``release`` and ``demand`` [J] in the stage, ``price`` [currency MWh-1]:
    the surplus is exported up to the limit (the rest is curtailed, worth
    nothing), the deficit imported up to the limit, and load the imports
    cannot cover is shed at the scarcity price.

    Parameters
    ----------
    p : WaterValueParameters
        Named parameters (:class:`WaterValueParameters`).
    release : float
        Reservoir release in the stage [J].
    demand : float
        Net demand on the reservoir in the stage [J].
    price : float
        The neighbours' price [currency MWh-1].

    Returns
    -------
    float
        Export earnings less import costs and the value of shed load [currency].
    """
    net = release - demand
    surplus = net if net > 0.0 else 0.0
    exported = surplus if surplus < p.export_limit else p.export_limit
    deficit = -net if net < 0.0 else 0.0
    imported = deficit if deficit < p.import_limit else p.import_limit
    shed = deficit - imported
    return (price * (exported - imported) - p.scarcity_price * shed) / J_PER_MWH


@physics
def release_value(p, storage, inflow, demand, price, release, low, high, values, points):
    """The stage's trade plus the interpolated value of the water left [currency].

    ``release`` is clipped to ``[low, high]``; what the reservoir cannot
    hold spills. ``values`` holds the next stage's value at ``points``
    fillings ``0, 1/(points-1), ..., 1`` of the capacity.

    Parameters
    ----------
    p : WaterValueParameters
        Named parameters (:class:`WaterValueParameters`).
    storage : float
        Storage at the start of the stage [J].
    inflow, demand : float
        Inflow and net demand on the reservoir in the stage [J].
    price : float
        The neighbours' price [currency MWh-1].
    release : float
        Proposed release in the stage [J], clipped to ``[low, high]``.
    low, high : float
        Lowest and highest release allowed in the stage [J].
    values : numpy.ndarray
        The next stage's value [currency] at the grid's fillings, dims (filling,).
    points : int
        Number of filling points of the grid, >= 1.

    Returns
    -------
    float
        The stage's trade value plus the next stage's value at the filling
        the release ends on [currency].
    """
    r = low if release < low else release
    r = high if r > high else r
    end = storage + inflow - r
    end = p.capacity if end > p.capacity else end  # the excess spills
    end = 0.0 if end < 0.0 else end
    later = interpolate(values, points, end / p.capacity)
    return trade_value(p, r, demand, price) + later


@physics
def interpolate(values, points, filling):
    """``values`` at ``points`` fillings ``0, 1/(points-1), ..., 1``, linear at ``filling``.

    Outside [0, 1] the end values hold; NaN gives NaN.

    Parameters
    ----------
    values : numpy.ndarray
        Values at the grid's fillings, dims (filling,).
    points : int
        Number of filling points of the grid, >= 1.
    filling : float
        Reservoir filling to interpolate at [1].

    Returns
    -------
    float
        The linear interpolation of ``values`` at ``filling``, in the units of ``values``.
    """
    if filling != filling:  # unknown: unknown (and no index from NaN)
        return filling
    if points == 1:
        return values[0]
    x = filling * (points - 1)
    x = 0.0 if x < 0.0 else x
    x = points - 1.0 if x > points - 1.0 else x
    i = int(x)
    i = points - 2 if i > points - 2 else i
    frac = x - i
    return values[i] * (1.0 - frac) + values[i + 1] * frac


@physics(inline=False)
def best_release_value(p, storage, inflow, demand, price, values, points):
    """The best release's value [currency] at ``storage`` [J] for one scenario's stage.

    ``inflow`` and ``demand`` [J] and ``price`` [currency MWh-1] of the
    stage; ``values`` the next stage's value at the grid's ``points``
    fillings. The candidates are the objective's breakpoints (module
    docstring). NaN in any input, or in the values reached, gives NaN.

    Parameters
    ----------
    p : WaterValueParameters
        Named parameters (:class:`WaterValueParameters`).
    storage : float
        Storage at the start of the stage [J].
    inflow, demand : float
        Inflow and net demand on the reservoir in the stage [J].
    price : float
        The neighbours' price [currency MWh-1].
    values : numpy.ndarray
        The next stage's value [currency] at the grid's fillings, dims (filling,).
    points : int
        Number of filling points of the grid, >= 1.

    Returns
    -------
    float
        The largest :func:`release_value` over the candidate releases [currency].
    """
    available = storage + inflow - p.storage_min  # water that may be released
    available = 0.0 if available < 0.0 else available
    high = p.release_max if p.release_max < available else available
    low = p.release_min if p.release_min < high else high
    best = release_value(p, storage, inflow, demand, price, low, low, high, values, points)
    step = p.capacity / (points - 1) if points > 1 else 0.0  # between the grid's fillings
    for candidate in range(points + 4):
        if candidate < points:  # the release that ends the stage on grid point `candidate`
            release = storage + inflow - step * candidate
        elif candidate == points:
            release = high
        elif candidate == points + 1:
            release = demand - p.import_limit
        elif candidate == points + 2:
            release = demand
        else:
            release = demand + p.export_limit
        value = release_value(p, storage, inflow, demand, price, release, low, high, values,
                              points)  # fmt: skip
        if value > best or value != value:  # NaN sticks: an unknown input is not skipped
            best = value
        if best != best:
            break
    poison = storage + inflow + demand + price
    return poison if poison != poison else best
