"""The site battery in plain numpy, float64: the reference the tests trust.

A Python loop over time, vectorised over scenarios: the dispatch rule of
:mod:`powermodel.kernels.battery` restated on whole rows.
"""

from __future__ import annotations

import numpy as np

from powermodel.kernels import battery as k

__all__ = ["battery_dispatch"]


def battery_dispatch(p, initial, demand, limit, price, cheap, dear):
    """The six outputs of the dispatch rule, each (time, scenario) float64.

    ``initial`` (scenario,) is the stored energy at the start [J]; the
    inputs are (time, scenario) arrays (:func:`powermodel.kernels.battery.battery_step`).
    """
    out = {name: np.empty(np.shape(demand)) for name in k.OUTPUTS}
    energy = np.asarray(initial, np.float64).copy()
    dt = p.dt
    with np.errstate(invalid="ignore"):
        for t in range(np.shape(demand)[0]):
            d, cap, q, low, high = (
                np.asarray(a[t], np.float64) for a in (demand, limit, price, cheap, dear)
            )
            standing = p.standing * dt * energy
            held = energy - standing
            most_out = np.minimum(np.maximum(held - p.energy_min, 0.0) * p.eta_discharge / dt,
                                  p.power)  # fmt: skip
            most_in = np.minimum(np.maximum(p.energy_max - held, 0.0) / (p.eta_charge * dt),
                                 p.power)  # fmt: skip
            over = d - cap
            above = held - p.energy_reserve
            shave = over > 0.0
            sell = ~shave & (q > high) & (above > 0.0)
            refill = ~shave & ~sell
            # peak shaving, arbitrage discharge to the reserve (no export), refilling
            discharge = np.where(shave, np.minimum(over, most_out), 0.0)
            arbitrage = np.minimum(np.minimum(above * p.eta_discharge / dt, d), most_out)
            discharge = np.where(sell, arbitrage, discharge)
            target = np.where(q < low, p.energy_max, p.energy_reserve)
            wanted = np.maximum((target - held) / (p.eta_charge * dt), 0.0)
            charge = np.where(refill, np.minimum(np.minimum(wanted, -over), most_in), 0.0)
            grid = d - discharge + charge
            end = energy - dt * (discharge / p.eta_discharge - charge * p.eta_charge) - standing
            still = grid - cap
            values = {
                "grid_draw": grid,
                "battery_charge": charge,
                "battery_discharge": discharge,
                "battery_energy": end,
                "over_limit": np.where(shave & (still > 0.0), still, 0.0),
                "battery_loss": charge * (1.0 - p.eta_charge)
                + discharge * (1.0 / p.eta_discharge - 1.0)
                + p.standing * energy,
            }
            missing = np.isnan(energy + d + cap + q + low + high)
            for name, value in values.items():
                out[name][t] = np.where(missing, np.nan, value)
            energy = out["battery_energy"][t]
    return out
