"""Shiftable training: deferrable load moved to cheap or clean hours within its deadline.

A workload declares the share of its load that is deferrable (training
jobs that must finish their GPU-hours within a window, for instance each
day) in :class:`Flexibility`; the rest is always on. :func:`shift` moves,
per scenario and window, the deferrable energy to the steps ranked by a
signal, within the most each step can take (the fleet at its maximum
utilisation, and what the grid connection leaves); the physics is
:mod:`powermodel.kernels.flexibility`, exactly optimal for this problem
(:func:`powermodel.optimal.optimal_shift` is the LP that checks it).
:func:`savings` prices the move on every basis at once, whatever signal
drove it::

    saved_X = sum_t dt (P_t - P'_t) k_t X_t     (k_t: grid W per W of load)

for ``X`` the price and the carbon intensities (location-based average,
production-based, and the marginal one), so that shifting by one signal
and claiming another's saving cannot pass unnoticed: moving load by the
zone's *average* intensity can leave the *marginal* emissions unchanged or
higher (Sukprasert et al. 2024, "On the Limitations of Carbon-Aware
Temporal and Spatial Workload Shifting in the Cloud", EuroSys,
https://arxiv.org/abs/2306.06502; Gorka et al. 2024,
https://arxiv.org/abs/2411.06560).

Examples
--------
>>> import numpy as np, pandas as pd, xarray as xr
>>> from powermodel import flexibility
>>> time = pd.date_range("2026-01-01", periods=4, freq="6h")
>>> load = xr.DataArray(np.full(4, 10e6), dims="time", coords={"time": time})
>>> price = xr.DataArray([90.0, 40.0, 60.0, 120.0], dims="time", coords={"time": time})
>>> out = flexibility.shift(load, price, 20e6, deferrable_share=0.5, window_hours=24)
>>> (out["power_shifted"].squeeze().values / 1e6).tolist()
[5.0, 20.0, 10.0, 5.0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from powermodel._api import label, operand
from powermodel.backends import specs
from powermodel.backends._dispatch import run
from powermodel.backends.physics import ShiftParameters
from powermodel.hydro import _check_rates, _time_scenario
from powermodel.timegrid import _reduced, row_sum, time_step

__all__ = ["SIGNALS", "Flexibility", "savings", "shift", "shift_arrays", "window_bounds"]

#: what the scheduler may rank steps by (the hourly series :func:`powermodel.simulate.simulate`
#: has for each)
SIGNALS = ("price", "carbon_location", "carbon_production", "carbon_marginal", "water_value")

#: most bisection steps on the signal threshold: float64 brackets stop shrinking after ~1100
#: halvings of the widest range, in practice after ~60
ITERATIONS = 200.0

_J_PER_MWH = 3.6e9
_J_PER_KWH = 3.6e6


@dataclass(frozen=True)
class Flexibility:
    """``[workload.flexibility]``: the deferrable share of the IT load and its deadlines.

    Parameters
    ----------
    deferrable_share : float
        Share [1] of the site's IT energy in each window that may move
        within it (training that must finish its GPU-hours by the window's
        end); ``1 - deferrable_share`` of each step's load is always on
        and stays. 0 (the default) disables shifting. Assumption per
        site: Google reports that over a third of its non-production
        compute is flexible in time or place (Radovanovic et al. 2023,
        IEEE Trans. Power Systems 38(2): 1270-1280,
        https://arxiv.org/abs/2106.11750).
    window_hours : float
        Length of the deadline windows [h], counted from 00:00 UTC of
        1970-01-01 (24: each UTC day's deferrable work is done that day).
    signal : str
        What ranks the steps (:data:`~powermodel.flexibility.SIGNALS`): ``"price"``, a carbon
        intensity (``"carbon_location"``, ``"carbon_production"``,
        ``"carbon_marginal"``) or ``"water_value"`` (the zone's water value
        at the step's filling; needs the zone's water-value rule).
    max_utilization : float
        Highest utilisation [1] the fleet may run at while it catches up
        deferred work (1: full power).
    """

    deferrable_share: float = 0.0
    window_hours: float = 24.0
    signal: str = "price"
    max_utilization: float = 1.0

    def __post_init__(self):
        share = self.deferrable_share
        if not (isinstance(share, int | float) and 0.0 <= share <= 1.0):
            raise ValueError(f"deferrable_share: must be a number in [0, 1], got {share!r}")
        hours = self.window_hours
        if not (isinstance(hours, int | float) and 0.0 < hours <= 8784.0):
            raise ValueError(f"window_hours: must be in (0, 8784] h, got {hours!r}")
        if self.signal not in SIGNALS:
            raise ValueError(f"signal: {self.signal!r} is not one of {SIGNALS}")
        top = self.max_utilization
        if not (isinstance(top, int | float) and 0.0 < top <= 1.0):
            raise ValueError(f"max_utilization: must be in (0, 1], got {top!r}")

    @property
    def enabled(self) -> bool:
        """Whether any load may move."""
        return self.deferrable_share > 0.0


def window_bounds(times, window_hours: float) -> np.ndarray:
    """First step of each deadline window and, last, the number of steps (int64).

    Windows are ``window_hours`` long counted from the Unix epoch (00:00
    UTC), so a run's windows do not depend on where it starts.

    Parameters
    ----------
    times : array-like of datetime64 or pandas.DatetimeIndex
        Time stamps of the steps, in order; time-zone aware stamps are converted to UTC,
        naive ones are taken as UTC.
    window_hours : float
        Length of the deadline windows [h], > 0.

    Returns
    -------
    numpy.ndarray of int64
        Index of the first step of each window, then the number of steps: window ``i``
        is the steps ``out[i]`` to ``out[i + 1] - 1``.
    """
    if not (np.isfinite(window_hours) and window_hours > 0):
        raise ValueError(f"window_hours: must be > 0 h, got {window_hours!r}")
    index = pd.DatetimeIndex(times)
    if index.tz is not None:
        index = index.tz_convert("UTC").tz_localize(None)
    ns = index.values.astype("datetime64[ns]").astype(np.int64)
    which = np.floor_divide(ns, round(window_hours * 3.6e12))
    starts = np.flatnonzero(np.diff(which, prepend=which[:1] - 1)) if len(which) else []
    return np.asarray([*starts, len(index)], np.int64)


def shift_arrays(power, upper, weight, bounds, *, deferrable_share: float, dt: float,
                 backend="auto") -> np.ndarray:  # fmt: skip
    """:func:`shift` on (time, scenario) arrays: the shifted load [W].

    Parameters
    ----------
    power : numpy.ndarray or cupy.ndarray
        The load as scheduled without flexibility [W], >= 0, dims (time, scenario).
    upper : numpy.ndarray or cupy.ndarray
        The most load a step can take [W], dims (time, scenario).
    weight : numpy.ndarray or cupy.ndarray
        What placing one watt costs at each step (the signal times the grid power per
        watt of load, in the signal's unit), dims (time, scenario); any sign.
    bounds : numpy.ndarray of int64
        The deadline windows (:func:`window_bounds`).
    deferrable_share : float
        Share [1] of each window's energy that may move, in [0, 1].
    dt : float
        Time step [s].
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    numpy.ndarray or cupy.ndarray
        The shifted load [W], dims (time, scenario), the dtype and array type of ``power``.
    """
    p = ShiftParameters(deferrable_share=float(deferrable_share), dt=float(dt),
                        iterations=ITERATIONS)  # fmt: skip
    (out,) = run(specs.SHIFT_DEFERRABLE, [power, upper, weight], (p, bounds), backend=backend)
    return out


def shift(
    power,
    signal,
    upper,
    *,
    deferrable_share: float,
    window_hours: float = 24.0,
    overhead=1.0,
    backend="auto",
) -> xr.Dataset:
    """Move the deferrable share of ``power`` to the cheapest steps of each window.

    Parameters
    ----------
    power : xarray.DataArray
        The load as scheduled without flexibility [W], >= 0, dims (time[,
        scenario]); for a site, its IT power.
    signal : float or xarray.DataArray
        What a step costs per unit of grid energy: a price [currency
        MWh-1], a carbon intensity [g kWh-1] or a water value; any sign.
    upper : float or xarray.DataArray
        The most load a step can take [W]: the fleet at its maximum
        utilisation, or less where the grid connection leaves less.
    deferrable_share : float
        Share [1] of each window's energy that may move (:class:`Flexibility`).
    window_hours : float
        Deadline window [h] (:func:`window_bounds`).
    overhead : float or xarray.DataArray
        Grid power drawn per watt of load [1] (a site's facility power over
        its IT power, its hourly PUE): steps are ranked by ``signal *
        overhead``.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    xarray.Dataset
        ``power_shifted`` [W] (time, scenario), and per scenario
        ``energy_shifted`` [J] (load moved to other steps),
        ``energy_deadline_missed`` [J] (deferrable energy no step of its
        window could take) and ``deadlines_held`` [1] (share of windows
        whose deferrable energy was all placed).
    """
    if not 0.0 <= deferrable_share <= 1.0:
        raise ValueError(f"deferrable_share: must be in [0, 1], got {deferrable_share!r}")
    load = _time_scenario(power, "power")
    _check_rates(load, "power")
    dtype = load.dtype
    rank = _time_scenario(operand(signal, "signal"), "signal", load).astype(dtype, copy=False)
    top = _time_scenario(operand(upper, "upper"), "upper", load).astype(dtype, copy=False)
    _check_rates(top, "upper")
    ratio = _time_scenario(operand(overhead, "overhead"), "overhead", load).astype(
        dtype, copy=False
    )
    if int((ratio <= 0).sum()):
        raise ValueError("overhead: must be > 0 (grid power per watt of load)")
    try:
        load, rank, top, ratio = xr.broadcast(*xr.align(load, rank, top, ratio, join="exact"))
    except ValueError as error:
        raise ValueError(f"inputs: coordinates do not align ({error})") from None
    dt = time_step(load["time"]).total_seconds()
    bounds = window_bounds(load["time"].values, window_hours)
    shifted = shift_arrays(load.data, top.data, (rank * ratio).data, bounds,
                           deferrable_share=deferrable_share, dt=dt, backend=backend)  # fmt: skip
    out = xr.Dataset({"power_shifted": load.copy(deep=False, data=shifted)})
    totals = shift_summary_arrays(load.data, shifted, bounds, dt)
    template = load.transpose(..., "time")
    for name, values in totals.items():
        out[name] = _reduced(template, values, {})
    return label(out)


def shift_summary_arrays(power, shifted, bounds, dt: float, tolerance=1.0) -> dict:
    """Energy moved and missed, and deadlines held, per scenario, from (time, scenario) arrays.

    A window holds when its missed energy is below ``tolerance`` [J] (or
    1e-9 of its energy: the rounding of its sums).

    Parameters
    ----------
    power, shifted : array-like
        Load before and after :func:`shift_arrays` [W], dims (time, scenario).
    bounds : numpy.ndarray of int64
        The deadline windows (:func:`window_bounds`).
    dt : float
        Time step [s].
    tolerance : float
        Missed energy [J] a window may have and still hold its deadline, >= 0.

    Returns
    -------
    dict of str to numpy.ndarray
        Per scenario: ``energy_shifted`` [J] (load moved to other steps),
        ``energy_deadline_missed`` [J] (deferrable energy no step of its window could
        take) and ``deadlines_held`` [1] (share of windows that held; NaN where a window
        is NaN).
    """
    power = np.asarray(power, np.float64)
    shifted = np.asarray(shifted, np.float64)
    moved = row_sum(np.maximum(shifted - power, 0.0).T) * dt
    starts = bounds[:-1][bounds[:-1] < power.shape[0]]
    if power.shape[0] == 0 or len(starts) == 0:
        zeros = np.zeros(power.shape[1])
        return {"energy_shifted": moved, "energy_deadline_missed": zeros,
                "deadlines_held": np.ones(power.shape[1])}  # fmt: skip
    missed = np.add.reduceat((power - shifted) * dt, starts, axis=0)  # (window, scenario)
    # a window's missed energy is >= 0 up to rounding of its sums
    scale = np.add.reduceat(power * dt, starts, axis=0)
    held = missed <= np.maximum(tolerance, 1e-9 * scale)
    held = np.where(np.isnan(missed), np.nan, held)
    return {
        "energy_shifted": moved,
        "energy_deadline_missed": np.maximum(missed, 0.0).sum(axis=0),
        "deadlines_held": held.mean(axis=0),
    }


def savings(power, shifted, overhead, prices, intensities: dict, *, dim="time") -> xr.Dataset:
    """What the shifted schedule saves against the original, on every basis.

    Parameters
    ----------
    power, shifted : xarray.DataArray
        Load before and after :func:`shift` [W], (time[, scenario]).
    overhead : float or xarray.DataArray
        Grid power per watt of load [1] (as given to :func:`shift`).
    prices : xarray.DataArray
        Energy price [currency MWh-1].
    intensities : dict of str to xarray.DataArray
        Carbon intensities [g kWh-1] by basis name, e.g. ``{"location": ...,
        "marginal": ...}``.
    dim : str
        Name of the time dimension; its coordinate gives the time step.

    Returns
    -------
    xarray.Dataset
        Per scenario: ``cost_saved`` [currency] and ``emissions_saved_<basis>``
        [kg] for each basis. Deferred energy that missed its deadline is not
        counted as saved: it is valued at the scenario's load-weighted mean
        signal, as if it had run (so a missed deadline is never a saving).
    """
    load = _time_scenario(power, "power")
    after = _time_scenario(shifted, "shifted", load)
    ratio = _time_scenario(operand(overhead, "overhead"), "overhead", load)
    dt = time_step(load[dim]).total_seconds()
    series = {"cost_saved": (_time_scenario(prices, "prices", load), _J_PER_MWH, 1.0)}
    for basis, intensity in intensities.items():
        series[f"emissions_saved_{basis}"] = (_time_scenario(intensity, basis, load), _J_PER_KWH,
                                              1e3)  # fmt: skip
    out = xr.Dataset()
    template = load.transpose(..., dim)
    for name, (values, per, scale) in series.items():
        saved = saving_arrays(load.data, after.data, np.broadcast_to(ratio.data, load.shape),
                              values.data, dt) / (per * scale)  # fmt: skip
        out[name] = _reduced(template, saved, {})
    return label(out)


def saving_arrays(power, shifted, overhead, signal, dt: float) -> np.ndarray:
    """``sum_t dt (P - P') k X`` per scenario [signal unit x J] from (time, scenario) arrays.

    The load ``P - P'`` summed over the run is what missed its deadline; it
    is taken back at the run's mean of ``k X`` per watt of load, so that
    work not done is not a saving.

    Parameters
    ----------
    power, shifted : array-like
        Load before and after :func:`shift_arrays` [W], dims (time, scenario).
    overhead : array-like
        Grid power drawn per watt of load ``k`` [1], dims (time, scenario).
    signal : array-like
        Price or carbon intensity ``X`` per unit of grid energy (e.g. [currency MWh-1]),
        dims (time, scenario).
    dt : float
        Time step [s].

    Returns
    -------
    numpy.ndarray
        The saving per scenario [signal unit x J], dims (scenario,); divide by the joules
        in the signal's energy unit (3.6e9 for MWh) for the signal's own unit.
    """
    power, shifted, overhead, signal = (
        np.asarray(a, np.float64) for a in (power, shifted, overhead, signal)
    )
    drop = power - shifted  # load given up [W]
    gross = row_sum((drop * overhead * signal).T) * dt
    missed = row_sum(drop.T) * dt  # 0 to rounding where every deadline held
    mean = row_sum((power * overhead * signal).T) / row_sum(power.T)
    return gross - missed * mean
