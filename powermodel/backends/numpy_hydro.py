"""Hydro reservoirs in plain numpy, float64: the reference the tests trust.

A Python loop over time, vectorised over scenarios: the equations of
:mod:`powermodel.kernels.hydro` restated on whole rows.
"""

from __future__ import annotations

import numpy as np

from powermodel.kernels import hydro as k

__all__ = ["reservoir_dispatch", "reservoir_market", "reservoir_schedule"]


def _step(p, storage, inflow, wanted):
    dt = p.dt
    release = np.clip(wanted, p.release_min, p.release_max)
    available = np.maximum(storage + dt * inflow - p.storage_min, 0.0)
    release = np.where(release * dt > available, available / dt, release)
    after = storage + dt * inflow - dt * release
    spill = np.maximum(after - p.capacity, 0.0) / dt
    end = after - dt * spill
    missing = np.isnan(storage) | np.isnan(inflow) | np.isnan(wanted)
    return (
        np.where(missing, np.nan, end),
        np.where(missing, np.nan, release),
        np.where(missing, np.nan, spill),
    )


def reservoir_schedule(p, initial, inflow, release):
    """Storage (end of step), release, spill and generation, each (time, scenario) float64."""
    storage = np.asarray(initial, np.float64).copy()
    out = {name: np.empty(inflow.shape) for name in k.SCHEDULE_OUTPUTS}
    with np.errstate(invalid="ignore"):
        for t in range(inflow.shape[0]):
            start = storage
            storage, out["release"][t], out["spill"][t] = _step(
                p, storage, inflow[t].astype(np.float64), release[t].astype(np.float64)
            )
            out["storage"][t] = storage
            head = p.factor + p.factor_gain * start / p.capacity
            out["generation"][t] = out["release"][t] * head
    return out


def reservoir_dispatch(p, initial, inflow, demand, guide):
    """The eight outputs of the dispatch rule, each (time, scenario) float64."""
    names = k.DISPATCH_OUTPUTS
    out = {name: np.empty(inflow.shape) for name in names}
    storage = np.asarray(initial, np.float64).copy()
    capacity = p.capacity
    with np.errstate(invalid="ignore"):
        for t in range(inflow.shape[0]):
            q, d, g = (np.asarray(a[t], np.float64) for a in (inflow, demand, guide))
            filling = storage / capacity
            scale = np.maximum(1.0 + p.guide_gain * (filling - g), 0.0)
            factor = p.factor + p.factor_gain * filling
            wanted = np.maximum(d, 0.0) * scale / factor
            taken = np.maximum(d + p.export_limit, 0.0) / factor  # what can be used
            wanted = np.minimum(wanted, taken)
            wanted = np.maximum(wanted, (d - p.import_limit) / factor)  # no needless shedding
            overflow = (storage + p.dt * q - capacity) / p.dt  # what would spill
            wanted = np.maximum(wanted, np.minimum(overflow, taken))
            end, release, spill = _step(p, storage, q, wanted)
            generated = release * factor
            balance = generated - d
            deficit, excess = np.maximum(-balance, 0.0), np.maximum(balance, 0.0)
            imports = np.minimum(deficit, p.import_limit)
            exports = np.minimum(excess, p.export_limit)
            missing = np.isnan(storage) | np.isnan(q) | np.isnan(d) | np.isnan(g)
            values = (
                end,
                release,
                spill,
                generated,
                imports,
                exports,
                deficit - imports,
                excess - exports,
            )
            for name, value in zip(names, values, strict=True):
                out[name][t] = np.where(missing, np.nan, value)
            storage = out["storage"][t]
    return out


def _interpolate(values, filling):
    """Each scenario's water value: ``values`` (points,) at ``filling`` (scenario,)."""
    points = values.shape[-1]
    if points == 1:
        return np.broadcast_to(values[0], filling.shape)
    x = np.clip(filling, 0.0, 1.0) * (points - 1)
    i = np.minimum(np.floor(np.nan_to_num(x)).astype(np.int64), points - 2)
    frac = x - i
    return values[i] * (1.0 - frac) + values[i + 1] * frac


def reservoir_market(p, initial, values, inflow, demand, price, stage):
    """The ten outputs of the market dispatch, each (time, scenario) float64."""
    names = k.MARKET_OUTPUTS
    out = {name: np.empty(inflow.shape) for name in names}
    storage = np.asarray(initial, np.float64).copy()
    capacity = p.capacity
    with np.errstate(invalid="ignore"):
        for t in range(inflow.shape[0]):
            q, d, c = (np.asarray(a[t], np.float64) for a in (inflow, demand, price))
            filling = storage / capacity
            worth = _interpolate(np.asarray(values[int(stage[t])], np.float64), filling)
            factor = p.factor + p.factor_gain * filling
            taken = np.maximum(d + p.export_limit, 0.0) / factor
            firm = (d - p.import_limit) / factor
            wanted = np.where(c > worth, taken, np.where(c < worth, firm, d / factor))
            wanted = np.maximum(wanted, firm)  # no needless shedding
            overflow = (storage + p.dt * q - capacity) / p.dt  # what would spill
            wanted = np.maximum(wanted, np.minimum(overflow, taken))
            end, release, spill = _step(p, storage, q, wanted)
            generated = release * factor
            balance = generated - d
            deficit, excess = np.maximum(-balance, 0.0), np.maximum(balance, 0.0)
            imports = np.minimum(deficit, p.import_limit)
            exports = np.minimum(excess, p.export_limit)
            shortfall = deficit - imports
            slack = 1.0 + 1e-9 * (np.abs(d) + p.import_limit + p.export_limit)  # rounding
            congested = ((exports > slack) & (exports >= p.export_limit - slack)) | (
                (imports > slack) & (imports >= p.import_limit - slack)
            )
            zone_price = np.where(shortfall > slack, p.scarcity_price,
                                  np.where(congested, worth, c))  # fmt: skip
            missing = np.isnan(storage) | np.isnan(q) | np.isnan(d) | np.isnan(c) | np.isnan(worth)
            values_t = (end, release, spill, generated, imports, exports, shortfall,
                        excess - exports, zone_price, worth)  # fmt: skip
            for name, value in zip(names, values_t, strict=True):
                out[name][t] = np.where(missing, np.nan, value)
            storage = out["storage"][t]
    return out
