"""Hydro reservoirs on xarray: mass-balance scans over time, parallel over scenarios.

The physics is in :mod:`powermodel.kernels.hydro`. Two drives:

- :func:`reservoir_schedule`: a given release schedule, pure mass balance
  (replay, and checks against other tools such as PyPSA's ``StorageUnit``);
- :func:`reservoir_dispatch`: a zone reservoir serving a demand with a
  guide-curve (water-value) rule and an interconnector as the slack.

Inputs are (time, scenario) DataArrays (a missing ``scenario`` dim is one
scenario); outputs have dims (time, scenario). NaN in an input makes that
scenario NaN from that step on (the storage is unknown after it); other
scenarios are untouched.

Examples
--------
>>> import numpy as np, pandas as pd, xarray as xr
>>> from powermodel import hydro
>>> time = pd.date_range("2025-01-01", periods=3, freq="1h")
>>> inflow = xr.DataArray([5.0, 5.0, 5.0], dims="time", coords={"time": time})
>>> release = xr.DataArray([1.0, 9.0, 1.0], dims="time", coords={"time": time})
>>> dam = hydro.Reservoir(capacity=3600 * 10.0, release_max=8.0, units="m3")
>>> out = hydro.reservoir_schedule(inflow, release, dam, initial_filling=0.9, backend="numpy")
>>> out.release.values[:, 0].tolist(), out.spill.values[:, 0].tolist()
([1.0, 8.0, 1.0], [3.0, 0.0, 1.0])
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from powermodel._api import check_non_negative, label, operand
from powermodel.backends import run, specs
from powermodel.backends.physics import ReservoirParameters, power_per_flow
from powermodel.timegrid import time_step

__all__ = ["DISPATCH_OUTPUTS", "Reservoir", "reservoir_dispatch", "reservoir_schedule"]

DISPATCH_OUTPUTS = specs.RESERVOIR_DISPATCH.outputs
SCENARIO = "scenario"


@dataclass(frozen=True)
class Reservoir:
    """A reservoir, physical (``units="m3"``) or aggregated in energy (``units="J"``).

    Parameters
    ----------
    capacity : float
        Storage capacity [m3 or J], > 0.
    release_min, release_max : float
        Release limits [m3 s-1 or W]: environmental flow and turbine capacity.
    storage_min : float
        Dead storage never released [m3 or J], below ``capacity``.
    units : {"J", "m3"}
        What storage counts: energy equivalent or water.
    efficiency : float
        Turbine and generator efficiency (``"m3"`` only) [1].
    head_min, head_max : float
        Net head at empty and full storage [m] (``"m3"`` only); generation is
        ``efficiency rho g H Q`` with ``H`` linear in storage.
    initial_filling : float
        Default storage at the start, as a fraction of capacity.
    """

    capacity: float
    release_min: float = 0.0
    release_max: float = np.inf
    storage_min: float = 0.0
    units: str = "J"
    efficiency: float = 0.9
    head_min: float = 0.0
    head_max: float = 0.0
    initial_filling: float = 0.5

    def __post_init__(self):
        for name in ("capacity", "release_min", "release_max", "storage_min", "efficiency",
                     "head_min", "head_max", "initial_filling"):  # fmt: skip
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float | np.number):
                raise TypeError(f"{name}: expected a number, got {value!r}")
        if self.units not in ("J", "m3"):
            raise ValueError(f"units: {self.units!r} is not 'J' or 'm3'")
        if not (np.isfinite(self.capacity) and self.capacity > 0):
            raise ValueError(f"capacity: must be a positive number, got {self.capacity!r}")
        if not 0 <= self.storage_min < self.capacity:
            raise ValueError(
                f"storage_min: must be in [0, capacity), got {self.storage_min!r} "
                f"(capacity {self.capacity!r}): storage bounds reversed"
            )
        if not 0 <= self.release_min <= self.release_max:
            raise ValueError(
                f"release_min, release_max: need 0 <= release_min <= release_max, got "
                f"{self.release_min!r} and {self.release_max!r}"
            )
        if not 0 <= self.initial_filling <= 1:
            raise ValueError(f"initial_filling: must be in [0, 1], got {self.initial_filling!r}")
        if self.units == "m3" and not (
            0 < self.efficiency <= 1 and self.head_max >= self.head_min >= 0
        ):
            raise ValueError("efficiency must be in (0, 1] and 0 <= head_min <= head_max")

    def replace(self, **changes) -> Reservoir:
        """A copy with ``changes``.

        Parameters
        ----------
        **changes
            New values of fields, by name (checked as in the constructor).

        Returns
        -------
        Reservoir
            The copy.
        """
        return dataclasses.replace(self, **changes)

    @property
    def rate_units(self) -> str:
        """Units of the rates (inflow, release, spill): ``"W"`` or ``"m3 s-1"``.

        ``"W"`` for an energy reservoir (``units="J"``), ``"m3 s-1"`` for water.
        """
        return "W" if self.units == "J" else "m3 s-1"

    def packed(self, dt: float, guide_gain=0.0, import_limit=0.0, export_limit=0.0,
               scarcity_price=0.0):  # fmt: skip
        """The parameters ``p`` of :mod:`powermodel.kernels.hydro`, a named record.

        Parameters
        ----------
        dt : float
            The time step [s].
        guide_gain : float
            ``k`` of the guide-curve rule [1] (dispatch).
        import_limit, export_limit : float
            Interconnector limits [W] (dispatch).
        scarcity_price : float
            The zone's price when it sheds load [currency MWh-1] (market dispatch).

        Returns
        -------
        powermodel.kernels.hydro.ReservoirParameters
            The record; for ``units="m3"`` the generation factors ``eta rho g H``
            [W per (m3 s-1)] at the heads, for ``units="J"`` a factor of 1.
        """
        if self.units == "J":
            factor, gain = 1.0, 0.0
        else:
            factor = power_per_flow(self.efficiency, self.head_min)
            gain = power_per_flow(self.efficiency, self.head_max - self.head_min)
        return ReservoirParameters(
            capacity=self.capacity,
            release_min=self.release_min,
            release_max=min(self.release_max, float(np.finfo(np.float64).max)),
            dt=dt,
            factor=factor,
            factor_gain=gain,
            guide_gain=guide_gain,
            import_limit=import_limit,
            export_limit=export_limit,
            storage_min=self.storage_min,
            scarcity_price=scarcity_price,
        )


def _time_scenario(value, name: str, template=None) -> xr.DataArray:
    """``value`` as a (time, scenario) float DataArray, broadcast to ``template``."""
    da = operand(value, name)
    if template is not None:
        _align_exact(da, template, name)
        da = da.broadcast_like(template)
    extra = set(da.dims) - {"time", SCENARIO}
    if extra or "time" not in da.dims:
        raise ValueError(f"{name}: dims must be ('time', 'scenario') or ('time',), got {da.dims}")
    if SCENARIO not in da.dims:
        da = da.expand_dims(SCENARIO, axis=1)
    return da.transpose("time", SCENARIO)


def _align_exact(da, template, name: str) -> None:
    """Raise if ``da``'s coordinates differ from ``template``'s on shared dims."""
    try:
        xr.align(da, template, join="exact")
    except ValueError:
        raise ValueError(
            f"{name}: its coordinates do not match the inflow's (same time stamps and "
            "scenarios in the same order are needed)"
        ) from None


def _check_rates(da: xr.DataArray, name: str) -> None:
    negative = int((da < 0).sum())  # NaN compares False: propagated, not an error
    if negative:
        raise ValueError(f"{name}: {negative} negative values; rates must be >= 0")


def _initial(reservoir, initial_filling, scenarios: int):
    """Start storage per scenario [m3 or J] from a filling (default the reservoir's)."""
    filling = reservoir.initial_filling if initial_filling is None else initial_filling
    filling = np.broadcast_to(np.asarray(filling, np.float64), (scenarios,))
    if not ((filling >= 0) & (filling <= 1)).all():  # NaN fails too
        raise ValueError("initial_filling: must be in [0, 1]")
    return np.maximum(filling * reservoir.capacity, 0.0)


def _frame(template, arrays: dict, reservoir, units: dict) -> xr.Dataset:
    out = xr.Dataset({name: template.copy(data=a) for name, a in arrays.items()})
    out = label(out)
    for name, unit in units.items():
        out[name].attrs["units"] = unit
    out["filling"].attrs = {"units": "1", "long_name": "reservoir filling, storage / capacity"}
    return out


def reservoir_schedule(
    inflow, release, reservoir: Reservoir, *, initial_filling=None, backend="auto"
) -> xr.Dataset:
    """Storage, release, spill and generation under a given release schedule.

    Parameters
    ----------
    inflow : xarray.DataArray
        Mean inflow per step [m3 s-1 or W], >= 0; dims (time[, scenario]).
        Sets the dtype of the outputs (storage state is float64 inside).
    release : float or xarray.DataArray
        Wanted release [m3 s-1 or W], limited to the reservoir's release
        range and to the water above dead storage.
    reservoir : Reservoir
        The reservoir: capacity, release range and units.
    initial_filling : float or array, optional
        Start storage as a fraction of capacity, per scenario.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    xarray.Dataset
        ``storage`` (end of each step) [m3 or J], ``filling`` [1],
        ``release``, ``spill`` [m3 s-1 or W] and ``generation`` [W], dims
        (time, scenario). Mass balance per step: ``storage[t] -
        storage[t-1] = dt (inflow - release - spill)``.
    """
    inflow = _time_scenario(inflow, "inflow")
    _check_rates(inflow, "inflow")
    wanted = _time_scenario(release, "release", inflow)
    _check_rates(wanted, "release")
    dt = time_step(inflow["time"]).total_seconds()
    p = reservoir.packed(dt)
    initial = _initial(reservoir, initial_filling, inflow.sizes[SCENARIO])
    operands = [inflow.data, wanted.data]
    arrays = _scan(specs.RESERVOIR_SCHEDULE, backend, p, initial, reservoir, operands)
    rate = reservoir.rate_units
    return _frame(
        inflow, arrays, reservoir, {"storage": reservoir.units, "release": rate, "spill": rate}
    )


def _scan(spec, backend, p, initial, reservoir, arrays) -> dict:
    """Run the scan ``spec`` on ``backend``: its outputs by name, then ``filling``.

    ``arrays`` are the kernel's inputs, (time, scenario) arrays (the guide
    (time,)); the outputs are in the first one's dtype.
    """
    out = dict(zip(spec.outputs, run(spec, arrays, (p, initial), backend=backend), strict=True))
    out["filling"] = out["storage"] / reservoir.capacity
    return out


def reservoir_dispatch(
    inflow,
    demand,
    reservoir: Reservoir,
    guide,
    *,
    guide_gain=2.0,
    import_limit=0.0,
    export_limit=0.0,
    initial_filling=None,
    backend="auto",
) -> xr.Dataset:
    """A zone reservoir serving a demand under a guide-curve rule.

    Parameters
    ----------
    inflow : xarray.DataArray
        Inflow [W] (energy equivalent), >= 0; dims (time[, scenario]).
    demand : xarray.DataArray
        Demand on the reservoir [W]: zone demand minus run-of-river and
        other must-run generation; negative is a surplus to export.
    reservoir : Reservoir
        With ``units="J"``.
    guide : xarray.DataArray
        Guide filling [1] per step, dims (time,): the seasonal target
        (e.g. the median filling curve).
    guide_gain : float
        ``k`` in the release scale ``1 + k (filling - guide)`` [1].
    import_limit, export_limit : float
        Interconnector limits [W].
    initial_filling : float or array, optional
        Start storage as a fraction of capacity [1], 0..1, per scenario;
        default the reservoir's ``initial_filling``.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    xarray.Dataset
        ``storage`` [J], ``filling``, ``release``, ``spill``, ``generation``,
        ``imports``, ``exports``, ``shortfall`` (demand neither generated nor
        imported) and ``surplus`` (generation neither used nor exported)
        [W], dims (time, scenario). Per step: ``generation + imports +
        shortfall = demand + exports + surplus``.
    """
    if reservoir.units != "J":
        raise ValueError("reservoir: dispatch needs an energy reservoir (units='J')")
    inflow = _time_scenario(inflow, "inflow")
    _check_rates(inflow, "inflow")
    demand = _time_scenario(demand, "demand", inflow)
    guide = operand(guide, "guide")
    if guide.dims != ("time",):
        raise ValueError(f"guide: must have the single dim 'time', got {guide.dims}")
    _align_exact(guide, inflow["time"], "guide")
    if int(((guide < 0) | (guide > 1)).sum()):
        raise ValueError("guide: filling must be in [0, 1]")
    arrays = dispatch_arrays(
        inflow.data, demand.data, reservoir, guide.data,
        time_step(inflow["time"]).total_seconds(),
        guide_gain=guide_gain, import_limit=import_limit, export_limit=export_limit,
        initial_filling=initial_filling, backend=backend,
    )  # fmt: skip
    return _frame(inflow, arrays, reservoir, {})


def dispatch_arrays(
    inflow, demand, reservoir: Reservoir, guide, dt: float, *, guide_gain, import_limit,
    export_limit, initial_filling=None, backend="auto",
) -> dict:  # fmt: skip
    """:func:`reservoir_dispatch` on arrays: (time, scenario) ``inflow`` and ``demand``
    [W], (time,) ``guide``, step ``dt`` [s]; its outputs by name, as arrays.

    The engine of the whole-site chain, which holds its inputs as arrays
    already checked; the scalar limits are checked here.

    Parameters
    ----------
    inflow : numpy.ndarray
        Inflow [W] (energy equivalent), >= 0, dims (time, scenario); sets the
        outputs' dtype.
    demand : numpy.ndarray
        Net demand on the reservoir [W], dims (time, scenario); negative is a
        surplus to export.
    reservoir : Reservoir
        With ``units="J"``.
    guide : numpy.ndarray
        Guide filling [1] per step, 0..1, dims (time,).
    dt : float
        The time step [s].
    guide_gain : float
        ``k`` in the release scale ``1 + k (filling - guide)`` [1], >= 0.
    import_limit, export_limit : float
        Interconnector limits [W], >= 0.
    initial_filling : float or array, optional
        Start storage as a fraction of capacity [1], 0..1, per scenario;
        default the reservoir's ``initial_filling``.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    dict of str to numpy.ndarray
        :data:`powermodel.kernels.hydro.DISPATCH_OUTPUTS` (``storage`` [J], the
        rates [W]) and ``filling`` [1], each (time, scenario).
    """
    for name, value in [
        ("import_limit", import_limit),
        ("export_limit", export_limit),
        ("guide_gain", guide_gain),
    ]:
        if not value >= 0:
            raise ValueError(f"{name}: must be >= 0, got {value!r}")
    p = reservoir.packed(dt, guide_gain, import_limit, export_limit)
    initial = _initial(reservoir, initial_filling, inflow.shape[1])
    return _scan(specs.RESERVOIR_DISPATCH, backend, p, initial, reservoir, [inflow, demand, guide])


def market_dispatch(
    inflow,
    demand,
    price,
    reservoir: Reservoir,
    water_values: xr.Dataset,
    *,
    import_limit,
    export_limit,
    scarcity_price=None,
    initial_filling=None,
    backend="auto",
) -> xr.Dataset:
    """A zone reservoir trading against its water values, without foresight.

    Each step compares the neighbours' ``price`` with the water value at
    the current filling (from ``water_values``, the table of
    :func:`powermodel.water.water_values`): above it the zone releases for
    its demand and for export, below it imports and keeps its water
    (:func:`powermodel.kernels.hydro.market_step`). Load is shed only when
    the turbines or the water run out, and the overflow of a full
    reservoir is released before it spills.

    Parameters
    ----------
    inflow : xarray.DataArray
        Inflow [W] (energy equivalent), >= 0; dims (time[, scenario]).
    demand : float or xarray.DataArray
        Net demand on the reservoir [W], dims (time[, scenario]).
    price : float or xarray.DataArray
        The neighbours' price [currency MWh-1], dims (time[, scenario]).
    reservoir : Reservoir
        With ``units="J"``.
    water_values : xarray.Dataset
        From :func:`powermodel.water.water_values`. Step ``t`` uses the row
        of the week it falls in, counted from the table's first week; the
        table repeats after its last week (a year has 52 weeks and a day).
    import_limit, export_limit : float
        Interconnector limits [W].
    scarcity_price : float, optional
        The zone's price when it sheds load [currency MWh-1]; default the
        one in ``water_values.attrs``.
    initial_filling : float or array, optional
        Start storage as a fraction of capacity [1], 0..1, per scenario;
        default the reservoir's ``initial_filling``.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    xarray.Dataset
        :func:`reservoir_dispatch`'s outputs, and ``price`` (the zone's:
        the neighbours' price, the water value when the interconnector is
        congested, the scarcity price when load is shed) and
        ``water_value`` [currency MWh-1], dims (time, scenario).
    """
    if reservoir.units != "J":
        raise ValueError("reservoir: dispatch needs an energy reservoir (units='J')")
    if not isinstance(water_values, xr.Dataset) or "water_value" not in water_values:
        raise TypeError("water_values: expected the Dataset of powermodel.water.water_values")
    inflow = _time_scenario(inflow, "inflow")
    _check_rates(inflow, "inflow")
    demand = _time_scenario(demand, "demand", inflow)
    price = _time_scenario(price, "price", inflow)
    if scarcity_price is None:
        scarcity_price = water_values.attrs.get("scarcity_price", 0.0)
    out = market_arrays(
        inflow.data, demand.data, price.data, reservoir, water_values, inflow["time"].to_index(),
        import_limit=import_limit, export_limit=export_limit,
        scarcity_price=float(scarcity_price), initial_filling=initial_filling, backend=backend,
    )  # fmt: skip
    result = _frame(inflow, out, reservoir, {})
    currency = water_values["water_value"].attrs.get("units", "currency MWh-1")
    result["price"].attrs = {"units": currency, "long_name": "zone price (market dispatch)"}
    return result


def market_arrays(
    inflow, demand, price, reservoir, water_values, times, *, import_limit, export_limit,
    scarcity_price, initial_filling=None, backend="auto",
) -> dict:  # fmt: skip
    """:func:`market_dispatch` on (time, scenario) arrays at UTC ``times``: its outputs
    by name, with ``filling``.

    The engine of the whole-site chain, which holds its inputs as arrays
    already checked; the scalar limits are checked here.

    Parameters
    ----------
    inflow : numpy.ndarray
        Inflow [W] (energy equivalent), >= 0, dims (time, scenario); sets the
        outputs' dtype.
    demand : numpy.ndarray
        Net demand on the reservoir [W], dims (time, scenario).
    price : numpy.ndarray
        The neighbours' price [currency MWh-1], dims (time, scenario).
    reservoir : Reservoir
        With ``units="J"``.
    water_values : xarray.Dataset
        From :func:`powermodel.water.water_values`; step ``t`` uses the row of
        the week it falls in, counted from the first ``week_start``, cyclically.
    times : pandas.DatetimeIndex
        The UTC time stamps of the rows, regular.
    import_limit, export_limit : float
        Interconnector limits [W], >= 0.
    scarcity_price : float
        The zone's price when it sheds load [currency MWh-1], >= 0.
    initial_filling : float or array, optional
        Start storage as a fraction of capacity [1], 0..1, per scenario;
        default the reservoir's ``initial_filling``.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    dict of str to numpy.ndarray
        :data:`powermodel.kernels.hydro.MARKET_OUTPUTS` (``storage`` [J], the
        rates [W], ``price`` and ``water_value`` [currency MWh-1]) and
        ``filling`` [1], each (time, scenario).
    """
    check_non_negative(import_limit=import_limit, export_limit=export_limit,
                       scarcity_price=scarcity_price)  # fmt: skip
    table = np.asarray(water_values["water_value"].transpose("week", "filling").values, np.float64)
    first = pd.Timestamp(water_values["week_start"].values[0])
    weeks_in = (pd.DatetimeIndex(times) - first) // pd.Timedelta(weeks=1)
    stage = np.mod(np.asarray(weeks_in, np.int64), table.shape[0]).astype(np.float64)
    dt = time_step(pd.DatetimeIndex(times)).total_seconds()
    p = reservoir.packed(dt, 0.0, import_limit, export_limit, float(scarcity_price))
    initial = _initial(reservoir, initial_filling, inflow.shape[1])
    spec = specs.RESERVOIR_MARKET
    out = run(spec, [inflow, demand, price, stage], (p, initial, table), backend=backend)
    out = dict(zip(spec.outputs, out, strict=True))
    out["filling"] = out["storage"] / reservoir.capacity
    return out
