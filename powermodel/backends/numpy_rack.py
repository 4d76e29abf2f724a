"""Rack power in plain numpy, float64: the reference the tests trust.

Written for reading, not speed: each equation of
:mod:`powermodel.kernels.rack` once more, with whole arrays. Inputs are 2-D
``(rows, racks)`` utilisation and 1-D per-rack parameters; the wrappers in
:mod:`powermodel.rack` do the reshaping.
"""

from __future__ import annotations

import numpy as np

__all__ = ["facility_power", "load_fraction", "rack_power", "server_power"]


def load_fraction(utilization, curve, exponent, table):
    """Fraction of the idle-to-max range for each utilisation, float64."""
    u = np.asarray(utilization, dtype=np.float64)
    if curve == "linear":
        return u
    if curve == "fan_barroso":
        return 2.0 * u - u ** float(exponent)
    if curve == "table":
        points = np.linspace(0.0, 1.0, len(table))
        return np.where(np.isnan(u), np.nan, np.interp(u, points, np.asarray(table, np.float64)))
    raise ValueError(f"curve: unknown load curve {curve!r}")


def server_power(utilization, power_idle, power_max, curve, exponent, table):
    """Server input power [W] (rows, racks)."""
    g = load_fraction(utilization, curve, exponent, table)
    idle = np.asarray(power_idle, np.float64)
    return idle + (np.asarray(power_max, np.float64) - idle) * g


def _converter_loss(power_out, rated, a0, a1, a2):
    load = power_out / rated
    return rated * (a0 + a1 * load + a2 * load**2)


def _converter_output(power_in, rated, a0, a1, a2):
    # power_in = rated * (L + a0 + a1 L + a2 L^2), solved for L >= 0
    if a2 == 0.0:
        load = (power_in / rated - a0) / (1.0 + a1)
    else:
        b = 1.0 + a1
        c = power_in / rated - a0
        load = (-b + np.sqrt(np.maximum(b * b + 4.0 * a2 * c, 0.0))) / (2.0 * a2)
    return rated * np.where(load < 0.0, 0.0, load)


def rack_power(utilization, power_idle, power_max, power_cap, curve, exponent, table, chain):
    """Rack power breakdown, float64.

    Parameters
    ----------
    utilization : ndarray (rows, racks)
    power_idle, power_max, power_cap : ndarray (racks,)
        Per-rack server idle and max input power and rack cap [W].
    curve, exponent, table
        Load curve, see :func:`load_fraction`.
    chain : dict
        Scalars of the power chain: ``servers, fan_power_max, fan_min_speed,
        psu_rated, psu_loss (a0, a1, a2), ups_rated (racks,), ups_loss (a0,
        a1, a2), distribution_loss``.

    Returns
    -------
    dict of ndarray
        ``power_it, power_fan, loss_psu, loss_ups, power_total`` [W].
    """
    n = float(chain["servers"])
    idle = np.asarray(power_idle, np.float64)
    peak = np.asarray(power_max, np.float64)
    rack_in = n * server_power(utilization, idle, peak, curve, exponent, table)
    cap = np.asarray(power_cap, np.float64)
    rack_in = np.where(rack_in > cap, cap, rack_in)  # NaN stays NaN
    per_server = rack_in / n
    x = (per_server - idle) / (peak - idle)

    dc = _converter_output(per_server, chain["psu_rated"], *chain["psu_loss"])
    fan_speed = chain["fan_min_speed"] + (1.0 - chain["fan_min_speed"]) * x
    fan = chain["fan_power_max"] * fan_speed**3
    ups_rated = np.asarray(chain["ups_rated"], np.float64)
    loss_ups = _converter_loss(rack_in, ups_rated, *chain["ups_loss"])
    loss_ups = loss_ups + chain["distribution_loss"] * rack_in
    out = {
        "power_it": n * (dc - fan),
        "power_fan": n * fan,
        "loss_psu": n * (per_server - dc),
        "loss_ups": loss_ups,
    }
    out["power_total"] = rack_in + loss_ups
    return out


def facility_power(utilization, power_idle, power_max, power_cap, curve, exponent, table, chain):
    """Sum of each breakdown term over racks: dict of (rows,) float64 [W]."""
    parts = rack_power(utilization, power_idle, power_max, power_cap, curve, exponent, table, chain)
    return {name: value.sum(axis=-1) for name, value in parts.items()}
