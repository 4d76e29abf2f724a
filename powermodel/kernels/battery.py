"""A site battery, one time step of one scenario: scalar physics.

The battery sits behind the site's meter, between the grid connection and
the facility. Each step of ``dt`` seconds it either charges at ``c`` [W]
(drawn from the grid) or discharges at ``d`` [W] (served to the
facility), never both, so the grid draw and the stored energy ``E`` [J]
are, exactly as computed::

    grid = demand - d + c
    E[t+1] = E[t] - dt (d / eta_d - c eta_c) - s dt E[t]

with the charge and discharge efficiencies ``eta_c``, ``eta_d`` (the
round trip is ``eta_c eta_d``) and the standing (self-discharge) loss rate
``s`` [s-1]. What the step loses, ``c (1 - eta_c) + d (1 / eta_d - 1) +
s E[t]`` [W], closes the battery's balance ``c = d + dE/dt + losses``.

The dispatch rule, in priority order:

1. **Peak shaving.** Demand above the ``limit`` (the contract, or what a
   conditional connection makes available this step) is discharged, as
   far as the power rating and the energy above ``energy_min`` allow;
   what remains is ``over_limit``.
2. **Reserve.** Below the limit, the headroom ``limit - demand`` recharges
   the battery up to ``energy_reserve``, the energy kept for peak shaving,
   whatever the price.
3. **Arbitrage.** Above the reserve, the battery charges towards
   ``energy_max`` when the price is below ``cheap`` (still only from the
   headroom: charging never lifts the grid draw above the limit) and
   discharges down to the reserve when it is above ``dear`` (never more
   than the demand: nothing is exported). Between the two thresholds it
   only refills the reserve.

With no price (``price = cheap = dear``) and the reserve at ``energy_max``
the rule is pure peak shaving: recharge to full from any headroom.

Parameters reach the kernels as one named record, :class:`BatteryParameters`.
"""

from __future__ import annotations

from typing import NamedTuple

from powermodel.kernels._physics import physics

__all__ = ["OUTPUTS", "BatteryParameters", "battery_step"]


class BatteryParameters(NamedTuple):
    """Parameters of the battery dispatch scan; the physics reads ``p.power``.

    Parameters
    ----------
    power : float
        Charge and discharge power limit [W].
    energy_min : float
        Lowest stored energy the dispatch may reach [J].
    energy_max : float
        Highest stored energy [J].
    energy_reserve : float
        Stored energy arbitrage keeps for peak shaving [J].
    eta_charge : float
        Charge efficiency, grid to storage [1].
    eta_discharge : float
        Discharge efficiency, storage to load [1].
    standing : float
        Standing (self-discharge) loss rate [s-1].
    dt : float
        Time step [s].
    """

    power: float  # charge and discharge power limit [W]
    energy_min: float  # lowest stored energy the dispatch may reach [J]
    energy_max: float  # highest stored energy [J]
    energy_reserve: float  # stored energy arbitrage keeps for peak shaving [J]
    eta_charge: float  # charge efficiency, grid to storage [1]
    eta_discharge: float  # discharge efficiency, storage to load [1]
    standing: float  # standing (self-discharge) loss rate [s-1]
    dt: float  # time step [s]


#: what :func:`battery_step` returns, in order (the stored energy at the end of the step)
OUTPUTS = (
    "grid_draw",
    "battery_charge",
    "battery_discharge",
    "battery_energy",
    "over_limit",
    "battery_loss",
)


@physics
def battery_step(p, energy, demand, limit, price, cheap, dear):
    """Advance the battery one step under the peak-shaving-first rule.

    Parameters
    ----------
    p : BatteryParameters
        Named parameters (:class:`BatteryParameters`).
    energy : float
        Stored energy at the start of the step [J].
    demand : float
        The site's demand [W], >= 0.
    limit : float
        The most the grid connection may draw this step [W], >= 0.
    price : float
        Energy price this step [currency MWh-1].
    cheap, dear : float
        Arbitrage thresholds [currency MWh-1]: charge above the reserve when
        ``price < cheap``, discharge above it when ``price > dear``.

    Returns
    -------
    grid_draw, battery_charge, battery_discharge, battery_energy, over_limit, battery_loss : float
        Mean powers over the step [W] and the stored energy at its end [J].
        NaN in any input gives NaN in all six.
    """
    dt = p.dt
    standing = p.standing * dt * energy  # energy lost over the step [J]
    held = energy - standing
    spare = held - p.energy_min
    spare = spare if spare > 0.0 else 0.0
    room = p.energy_max - held
    room = room if room > 0.0 else 0.0
    most_out = spare * p.eta_discharge / dt  # the discharge that reaches energy_min
    most_out = p.power if most_out > p.power else most_out
    most_in = room / (p.eta_charge * dt)  # the charge that reaches energy_max
    most_in = p.power if most_in > p.power else most_in
    over = demand - limit
    charge = 0.0
    discharge = 0.0
    if over > 0.0:  # 1. peak shaving
        discharge = most_out if over > most_out else over
    else:
        above = held - p.energy_reserve
        if price > dear and above > 0.0:  # 3. arbitrage, discharge down to the reserve
            wanted = above * p.eta_discharge / dt
            wanted = demand if wanted > demand else wanted
            discharge = most_out if wanted > most_out else wanted
        else:  # 2. refill the reserve; 3. charge to full when cheap
            target = p.energy_max if price < cheap else p.energy_reserve
            wanted = (target - held) / (p.eta_charge * dt)
            wanted = wanted if wanted > 0.0 else 0.0
            wanted = -over if wanted > -over else wanted
            charge = most_in if wanted > most_in else wanted
    grid = demand - discharge + charge
    energy_end = energy - dt * (discharge / p.eta_discharge - charge * p.eta_charge) - standing
    still = grid - limit
    over_limit = still if over > 0.0 and still > 0.0 else 0.0
    loss = (
        charge * (1.0 - p.eta_charge)
        + discharge * (1.0 / p.eta_discharge - 1.0)
        + p.standing * energy
    )
    poison = energy + demand + limit + price + cheap + dear
    missing = poison != poison
    return (
        poison if missing else grid,
        poison if missing else charge,
        poison if missing else discharge,
        poison if missing else energy_end,
        poison if missing else over_limit,
        poison if missing else loss,
    )
