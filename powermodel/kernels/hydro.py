"""Hydro reservoirs, one time step of one scenario: scalar physics.

Storage is an amount (m3 of water, or J for an aggregated reservoir counted
in energy equivalent, the way Nordic models aggregate a zone); inflow,
release and spill are rates (m3 s-1, or W) held over a step of ``dt``
seconds. The mass balance of a step is exact by construction::

    S[t+1] = S[t] + dt (inflow[t] - release[t] - spill[t]),   0 <= S <= capacity

Release lies between the minimum (environmental) flow and the turbine
capacity, and never takes storage below the dead storage ``storage_min``;
spill happens only when the reservoir is full. Generation is
``P = eta rho g H Q`` with the head rising linearly with storage,
``H = H_0 + dH S / capacity`` (for an energy reservoir: ``eta rho g H = 1``,
``dH = 0``).

Parameters reach the kernels as one named record, :class:`ReservoirParameters`.
"""

from __future__ import annotations

from typing import NamedTuple

from powermodel.kernels._physics import physics
from powermodel.kernels.constants import GRAVITY, WATER_DENSITY_RESERVOIR
from powermodel.kernels.water import interpolate

__all__ = [
    "DISPATCH_OUTPUTS",
    "MARKET_OUTPUTS",
    "SCHEDULE_OUTPUTS",
    "ReservoirParameters",
    "dispatch_step",
    "generation",
    "market_step",
    "power_per_flow",
    "release_limits",
    "reservoir_step",
    "settle",
]


class ReservoirParameters(NamedTuple):
    """Parameters of the reservoir scans (shared by both drives).

    numba and numba-cuda pass it by value; the physics reads ``p.capacity``.

    Parameters
    ----------
    capacity : float
        Storage capacity [m3 or J].
    release_min : float
        Minimum (environmental) release [m3 s-1 or W].
    release_max : float
        Turbine capacity [m3 s-1 or W].
    dt : float
        Time step [s].
    factor : float
        Generation factor at empty storage, ``eta rho g H_0`` [W per (m3 s-1)]; 1
        for an energy reservoir.
    factor_gain : float
        Generation factor gain from empty to full, ``eta rho g dH`` [W per (m3 s-1)];
        0 for an energy reservoir.
    guide_gain : float
        Guide gain ``k`` (dispatch) [1].
    import_limit, export_limit : float
        Interconnector import and export limits (dispatch) [W].
    storage_min : float
        Dead storage, never released [m3 or J].
    scarcity_price : float
        Value of lost load, the zone's price when it sheds load (market
        dispatch) [currency MWh-1].
    """

    capacity: float  # capacity [m3 or J]
    release_min: float  # minimum (environmental) release [m3 s-1 or W]
    release_max: float  # turbine capacity [m3 s-1 or W]
    dt: float  # time step [s]
    factor: float  # generation factor at empty, eta rho g H_0 [W per (m3 s-1)]; 1 for energy
    factor_gain: float  # generation factor gain to full, eta rho g dH [W per (m3 s-1)]
    guide_gain: float  # guide gain k (dispatch) [1]
    import_limit: float  # import limit (dispatch) [W]
    export_limit: float  # export limit (dispatch) [W]
    storage_min: float  # dead storage, never released [m3 or J]
    scarcity_price: float = 0.0  # value of lost load (market dispatch) [currency MWh-1]


#: what the schedule kernels write, in order: :func:`reservoir_step`'s three
#: values and the :func:`generation` of the release
SCHEDULE_OUTPUTS = ("storage", "release", "spill", "generation")

#: what :func:`dispatch_step` returns, in order
DISPATCH_OUTPUTS = (
    "storage",
    "release",
    "spill",
    "generation",
    "imports",
    "exports",
    "shortfall",
    "surplus",
)


#: what :func:`market_step` returns, in order: :data:`DISPATCH_OUTPUTS`, the
#: zone's price and the water value at the step's filling
MARKET_OUTPUTS = (*DISPATCH_OUTPUTS, "price", "water_value")


@physics
def generation(p, storage, release):
    """Generation [W] of ``release`` at ``storage``: ``eta rho g H(S) Q``.

    Parameters
    ----------
    p : ReservoirParameters
        Named parameters (:class:`ReservoirParameters`).
    storage : float
        Storage [m3 or J], which sets the head.
    release : float
        Release through the turbines [m3 s-1 or W].

    Returns
    -------
    float
        Electric power generated [W].
    """
    return release * (p.factor + p.factor_gain * storage / p.capacity)


@physics
def power_per_flow(efficiency, head):
    """Electric power per unit of water flow [W per (m3 s-1)]: ``eta rho g H``.

    ``efficiency`` [1] of turbine and generator, ``head`` [m]; fresh reservoir
    water (:data:`~powermodel.kernels.constants.WATER_DENSITY_RESERVOIR`).

    Parameters
    ----------
    efficiency : float
        Efficiency of turbine and generator ``eta`` [1].
    head : float
        Net head ``H`` [m].

    Returns
    -------
    float
        Power per unit of flow [W per (m3 s-1)].
    """
    return efficiency * WATER_DENSITY_RESERVOIR * GRAVITY * head


@physics
def reservoir_step(p, storage, inflow, release_wanted):
    """Advance a reservoir one step with a wanted release.

    Parameters
    ----------
    p : ReservoirParameters
        Named parameters (:class:`ReservoirParameters`).
    storage : float
        Storage at the start of the step [m3 or J].
    inflow : float
        Mean inflow over the step [m3 s-1 or W], >= 0.
    release_wanted : float
        Release asked for [m3 s-1 or W]; limited to ``[release_min,
        release_max]`` and to the water available.

    Returns
    -------
    storage_end, release, spill : float
        Storage at the end of the step and the mean release and spill
        rates. NaN in any input gives NaN in all three.
    """
    dt = p.dt
    low = p.release_min
    high = p.release_max
    release = low if release_wanted < low else release_wanted
    release = high if release > high else release
    available = storage + dt * inflow - p.storage_min  # water that may be released
    available = 0.0 if available < 0.0 else available
    release = available / dt if release * dt > available else release
    after = storage + dt * inflow - dt * release
    excess = after - p.capacity
    spill = excess / dt if excess > 0.0 else 0.0
    storage_end = after - dt * spill
    poison = storage + inflow + release_wanted
    missing = poison != poison
    return (
        poison if missing else storage_end,
        poison if missing else release,
        poison if missing else spill,
    )


@physics
def dispatch_step(p, storage, inflow, demand, guide):
    """Advance a zone reservoir one step under the guide-curve dispatch rule.

    The reservoir serves ``demand`` (zone demand minus must-run generation
    [W]; negative is a surplus), scaled by the water-value heuristic
    ``1 + k (S / capacity - guide)``: below the seasonal guide filling it
    holds water back, above it releases more. Imports and exports through
    the interconnector balance the rest. Three limits keep the heuristic
    from wasting water or shedding load needlessly:

    - the release never exceeds what the demand plus the export limit can
      take (``demand + export_limit``): more would be curtailed;
    - it is at least what the demand minus the import limit needs
      (``demand - import_limit``): load is shed (shortfall) only when the
      turbines are at capacity or the water above dead storage is gone;
    - when the step would spill, it releases the overflow instead, up to
      what can be taken: water spills only past the turbines' capacity or
      what the demand and the exports can use.

    Surplus (curtailed generation) remains only where the minimum
    (environmental) release exceeds what can be taken.

    Parameters
    ----------
    p : ReservoirParameters
        Named parameters (:class:`ReservoirParameters`).
    storage : float
        Storage at the start of the step [J].
    inflow : float
        Inflow [W].
    demand : float
        Net demand on the reservoir [W].
    guide : float
        Guide filling for this step [1], 0 to 1.

    Returns
    -------
    storage_end, release, spill, generation, imports, exports, shortfall, surplus : float
        Storage [J] and mean rates [W] over the step.
    """
    filling = storage / p.capacity
    factor = p.factor + p.factor_gain * filling  # power per unit of release at this filling
    scale = 1.0 + p.guide_gain * (filling - guide)
    scale = 0.0 if scale < 0.0 else scale
    wanted = demand if demand > 0.0 else 0.0
    wanted = wanted * scale / factor
    taken, firm, overflow = release_limits(p, storage, inflow, demand, factor)
    wanted = taken if wanted > taken else wanted
    wanted = firm if firm > wanted else wanted
    wanted = overflow if overflow > wanted else wanted
    parts = settle(p, storage, inflow, demand, wanted)
    poison = storage + inflow + demand + guide
    missing = poison != poison
    return (
        poison if missing else parts[0],
        poison if missing else parts[1],
        poison if missing else parts[2],
        poison if missing else parts[3],
        poison if missing else parts[4],
        poison if missing else parts[5],
        poison if missing else parts[6],
        poison if missing else parts[7],
    )


@physics
def release_limits(p, storage, inflow, demand, factor):
    """The three limits on a zone reservoir's wanted release [m3 s-1 or W].

    ``factor`` is the power per unit of release at this filling. Returns
    ``taken``, what the demand and the exports can take (more would be
    curtailed); ``firm``, the demand the imports cannot cover (released
    rather than shed while there is water); and ``overflow``, what would
    spill, up to ``taken`` (spill beyond it: no one can use it).

    Parameters
    ----------
    p : ReservoirParameters
        Named parameters (:class:`ReservoirParameters`).
    storage : float
        Storage at the start of the step [m3 or J].
    inflow : float
        Mean inflow over the step [m3 s-1 or W].
    demand : float
        Net demand on the reservoir [W]; negative is a surplus.
    factor : float
        Power per unit of release at this filling [W per (m3 s-1)]; 1 for an
        energy reservoir.

    Returns
    -------
    taken, firm, overflow : float
        The three limits as releases [m3 s-1 or W].
    """
    taken = demand + p.export_limit
    taken = (taken if taken > 0.0 else 0.0) / factor
    firm = (demand - p.import_limit) / factor
    overflow = (storage + p.dt * inflow - p.capacity) / p.dt
    overflow = taken if overflow > taken else overflow
    return taken, firm, overflow


@physics
def settle(p, storage, inflow, demand, wanted):
    """Release ``wanted`` within the reservoir's limits and trade the balance.

    Returns storage_end, release, spill, generation, imports, exports,
    shortfall (demand neither generated nor imported) and surplus
    (generation neither used nor exported).

    Parameters
    ----------
    p : ReservoirParameters
        Named parameters (:class:`ReservoirParameters`).
    storage : float
        Storage at the start of the step [m3 or J].
    inflow : float
        Mean inflow over the step [m3 s-1 or W], >= 0.
    demand : float
        Net demand on the reservoir [W]; negative is a surplus to export.
    wanted : float
        Release asked for [m3 s-1 or W], limited as in :func:`reservoir_step`.

    Returns
    -------
    storage_end, release, spill, generation, imports, exports, shortfall, surplus : float
        Storage at the end of the step [m3 or J], mean release and spill
        [m3 s-1 or W] and mean powers [W] over the step.
    """
    storage_end, release, spill = reservoir_step(p, storage, inflow, wanted)
    generated = generation(p, storage, release)
    balance = generated - demand  # > 0: surplus to export
    deficit = -balance if balance < 0.0 else 0.0
    excess = balance if balance > 0.0 else 0.0
    imports = deficit if deficit < p.import_limit else p.import_limit
    exports = excess if excess < p.export_limit else p.export_limit
    shortfall, surplus = deficit - imports, excess - exports
    return storage_end, release, spill, generated, imports, exports, shortfall, surplus


@physics
def market_step(p, storage, inflow, demand, price, values, points):
    """Advance a zone reservoir one step, trading against the water value.

    The water value ``w`` [currency MWh-1] at the step's filling,
    interpolated from ``values`` (the week's row of a water-value table at
    ``points`` fillings, :func:`powermodel.kernels.water.best_release_value`'s
    recursion), is the price at which the zone is indifferent between
    releasing a MWh now and keeping it. Against the neighbours' ``price``:

    - ``price > w``: sell. Release what the demand plus the export limit
      can take (turbines permitting): the water earns more now.
    - ``price < w``: buy. Import up to the limit and release only the
      demand the imports cannot cover: the water is worth more later.
    - ``price == w``: serve the demand.

    In every case load is shed only when the turbines or the water above
    dead storage run out, and what would spill is released first, up to
    what can be taken (:func:`dispatch_step`'s limits).

    The zone's price is the marginal of its supply: the neighbours' price
    while the interconnector has room, the water value when it is
    congested (exporting or importing at its limit, hydro sets the price),
    and the scarcity price ``p.scarcity_price`` when load is shed.

    Parameters
    ----------
    p : ReservoirParameters
        Named parameters (:class:`ReservoirParameters`).
    storage : float
        Storage at the start of the step [J].
    inflow : float
        Inflow [W].
    demand : float
        Net demand on the reservoir [W].
    price : float
        The neighbours' price [currency MWh-1].
    values : numpy.ndarray
        The week's water values [currency MWh-1] at the grid's fillings, dims
        (filling,).
    points : int
        Number of filling points of the grid, ``0, 1/(points-1), ..., 1``, >= 1.

    Returns
    -------
    tuple of float
        ``storage_end`` [J]; the step's mean ``release``, ``spill``, ``generation``,
        ``imports``, ``exports``, ``shortfall`` and ``surplus`` [W]; ``zone_price`` and
        ``water_value`` [currency MWh-1].
    """
    filling = storage / p.capacity
    worth = interpolate(values, points, filling)
    factor = p.factor + p.factor_gain * filling  # power per unit of release at this filling
    taken, firm, overflow = release_limits(p, storage, inflow, demand, factor)
    if price > worth:
        wanted = taken
    elif price < worth:
        wanted = firm
    else:
        wanted = demand / factor
    wanted = firm if firm > wanted else wanted
    wanted = overflow if overflow > wanted else wanted
    storage_end, release, spill, generated, imports, exports, shortfall, surplus = settle(
        p, storage, inflow, demand, wanted
    )
    # congestion within rounding (1 W and 1e-9 of the flows): which side of the limit a
    # rounded sum falls on must not flip the price between the neighbours' and the water value
    slack = 1.0 + 1e-9 * (abs(demand) + p.import_limit + p.export_limit)
    zone_price = price
    if shortfall > slack:
        zone_price = p.scarcity_price
    elif (exports > slack and exports >= p.export_limit - slack) or (
        imports > slack and imports >= p.import_limit - slack
    ):
        zone_price = worth  # congested: the zone's own hydro is marginal
    poison = storage + inflow + demand + price + worth
    missing = poison != poison
    return (
        poison if missing else storage_end,
        poison if missing else release,
        poison if missing else spill,
        poison if missing else generated,
        poison if missing else imports,
        poison if missing else exports,
        poison if missing else shortfall,
        poison if missing else surplus,
        poison if missing else zone_price,
        poison if missing else worth,
    )
