"""Rack power: GPU server and rack electricity from utilisation.

Public functions take an ``xarray.DataArray`` of utilisation with named dims
(``time``, ``rack``, ``scenario``, in any order) and return xarray objects
with the same dims, ``units`` and ``long_name`` on every variable, on the
same kind of array (numpy in, numpy out; cupy in, cupy out).

Load curves (server input power [W] from utilisation):

- :func:`linear`: ``P_idle + (P_max - P_idle) u``
- :func:`fan_barroso`: ``P_idle + (P_max - P_idle)(2u - u**r)``, Fan et al. 2007
- :func:`spec_table`: piecewise linear through SPECpower-style points

The full chain for racks of a catalog system, with the breakdown into IT
power, fans, PSU loss and UPS/distribution loss, and an optional power cap
per rack: :func:`power`, and summed over racks without the big array:
:func:`facility_power`. The EnergyPlus ``ElectricEquipment:ITE:AirCooled``
model is :func:`powermodel.ite.ite_air_cooled`.
"""

from __future__ import annotations

import math

import numpy as np
import xarray as xr

from powermodel import catalog
from powermodel._api import RACK, as_float_dataarray, check_range, label, per_rack
from powermodel.backends import resolve_backend, run, specs

__all__ = [
    "BREAKDOWN",
    "facility_power",
    "fan_barroso",
    "full_load_power",
    "linear",
    "power",
    "spec_table",
]

#: Variables of the rack power breakdown; ``power_total`` is the sum of the others.
BREAKDOWN = ("power_it", "power_fan", "loss_psu", "loss_ups", "power_total")

_CURVES = ("linear", "fan_barroso", "table")
_NO_TABLE = np.zeros(2)


def _check_curve(curve, exponent, table):
    """Validate the load curve; return (exponent, normalised table)."""
    if curve not in _CURVES:
        raise ValueError(f"curve: {curve!r} is not one of {_CURVES}")
    exponent = float(exponent)
    if curve == "fan_barroso" and not 1.0 <= exponent <= 2.0:
        # r < 1 makes 2u - u**r negative near 0; r > 2 makes it fall near 1
        raise ValueError(f"exponent: must be in [1, 2] for a monotone curve, got {exponent}")
    if curve != "table":
        return exponent, _NO_TABLE
    if table is None:
        raise ValueError("table: curve='table' needs a table of power at evenly spaced loads")
    points = np.asarray(table, np.float64)
    if points.ndim != 1 or points.size < 2 or not np.isfinite(points).all():
        raise ValueError("table: need a 1-D sequence of at least 2 finite values")
    if (np.diff(points) < 0).any() or points[-1] <= points[0]:
        raise ValueError("table: values must be non-decreasing with table[-1] > table[0]")
    return exponent, (points - points[0]) / (points[-1] - points[0])


def _prepare(utilization, clip):
    utilization = as_float_dataarray(utilization, "utilization")
    utilization = check_range(utilization, "utilization", clip)
    return utilization


def _with_rack(utilization):
    """Add a length-1 rack dim if missing; return (array, added)."""
    if RACK in utilization.dims:
        return utilization, False
    return utilization.expand_dims(RACK, axis=-1), True


def _load_curve(utilization, power_idle, power_max, curve, exponent, table, clip, backend):
    utilization = _prepare(utilization, clip)
    exponent, table = _check_curve(curve, exponent, table)
    backend = resolve_backend(backend, utilization.data)
    utilization, added = _with_rack(utilization)
    idle = per_rack(power_idle, "power_idle", utilization)
    peak = per_rack(power_max, "power_max", utilization)
    if not (np.isfinite(idle).all() and np.isfinite(peak).all() and (peak >= idle).all()):
        raise ValueError("power_idle, power_max: need finite values with power_max >= power_idle")

    options = {"curve": curve, "exponent": exponent, "table": table}

    def compute(u):
        rows = u.reshape(math.prod(u.shape[:-1]), u.shape[-1])  # zero racks too
        (out,) = run(specs.SERVER_POWER, (rows, idle, peak), backend=backend, options=options)
        return out.reshape(u.shape)

    result = xr.apply_ufunc(
        compute,
        utilization,
        input_core_dims=[[RACK]],
        output_core_dims=[[RACK]],
        dask="parallelized",
        output_dtypes=[utilization.dtype],
        keep_attrs=False,
    )
    result = result.transpose(*utilization.dims)  # apply_ufunc moved 'rack' last
    if added:
        result = result.squeeze(RACK, drop=True)
    result.name = "power_server"
    return label(result.to_dataset())["power_server"]


def linear(utilization, power_idle, power_max, *, clip=False, backend="auto"):
    """Server input power [W], linear in utilisation.

    ``P = P_idle + (P_max - P_idle) u`` (CloudSim ``PowerModelLinear``).

    Parameters
    ----------
    utilization : xarray.DataArray
        Utilisation [1] in [0, 1]; NaN gives NaN.
    power_idle, power_max : float or xarray.DataArray
        Input power at idle and at full load [W]; a DataArray varies by
        ``rack``.
    clip : bool
        Clip utilisation to [0, 1] instead of raising.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    xarray.DataArray
        ``power_server`` [W], same dims and dtype as ``utilization``.

    Examples
    --------
    >>> import xarray as xr
    >>> u = xr.DataArray([0.0, 0.5, 1.0], dims="time")
    >>> linear(u, 100.0, 300.0, backend="numpy").values.tolist()
    [100.0, 200.0, 300.0]
    """
    return _load_curve(utilization, power_idle, power_max, "linear", 1.0, None, clip, backend)


def fan_barroso(utilization, power_idle, power_max, exponent=1.4, *, clip=False, backend="auto"):
    """Server input power [W] by Fan, Weber & Barroso (2007).

    ``P = P_idle + (P_max - P_idle)(2u - u**r)``, concave: a server at half
    load draws more than half of its dynamic range.

    Parameters
    ----------
    utilization : xarray.DataArray
        Utilisation [1] in [0, 1]; NaN gives NaN.
    power_idle, power_max : float or xarray.DataArray
        Input power at idle and at full load [W]; a DataArray varies by
        ``rack``.
    exponent : float
        Calibration exponent ``r`` [1], in [1, 2]; 1.4 fits the paper's
        measurements.
    clip : bool
        Clip utilisation to [0, 1] instead of raising.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    xarray.DataArray
        ``power_server`` [W].

    References
    ----------
    X. Fan, W.-D. Weber, L. A. Barroso, "Power provisioning for a
    warehouse-sized computer", ISCA 2007, https://doi.org/10.1145/1273440.1250665

    Examples
    --------
    >>> import xarray as xr
    >>> u = xr.DataArray([0.5], dims="time")
    >>> round(float(fan_barroso(u, 0.0, 1.0, backend="numpy")[0]), 4)  # 2(0.5) - 0.5**1.4
    0.6211
    """
    return _load_curve(
        utilization, power_idle, power_max, "fan_barroso", exponent, None, clip, backend
    )


def spec_table(utilization, table, *, clip=False, backend="auto"):
    """Server input power [W] interpolated in a SPECpower-style table.

    Parameters
    ----------
    utilization : xarray.DataArray
        Utilisation [1] in [0, 1].
    table : sequence of float or str
        Power [W] at evenly spaced utilisation from 0 to 1 (SPECpower_ssj2008
        gives 11 points, 0 %, 10 %, ..., 100 %), non-decreasing; or the name
        of a catalog table (:func:`powermodel.catalog.load_tables`).
    clip : bool
        Clip utilisation to [0, 1] instead of raising.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    xarray.DataArray
        ``power_server`` [W], linear between the table's points as in
        CloudSim's ``PowerModelSpecPower``.

    Examples
    --------
    >>> import xarray as xr
    >>> u = xr.DataArray([0.55], dims="time")
    >>> float(spec_table(u, "ibm-x3550-xeon-x5675", backend="numpy")[0])  # between 140 and 153 W
    146.5
    """
    if isinstance(table, str):
        table = catalog.load_table(table)
    points = np.asarray(table, np.float64)
    _check_curve("table", 1.0, points)
    return _load_curve(utilization, points[0], points[-1], "table", 1.0, points, clip, backend)


def _chain_parameters(system, utilization, power_cap, chain):
    racks = utilization.sizes[RACK]
    cap = per_rack(np.inf if power_cap is None else power_cap, "power_cap", utilization)
    idle = system.servers_per_rack * system.power_idle
    if np.isnan(cap).any() or (cap < idle).any():
        raise ValueError(
            f"power_cap: {int((~(cap >= idle)).sum())} racks have a cap below the rack's idle "
            f"power {idle:g} W (or NaN); a cap cannot push a rack below idle "
            "(use None or inf for no cap)"
        )
    ups_rated = np.full(racks, system.rack_power_max / chain.ups_load_at_max)
    scalars = (
        float(system.servers_per_rack),
        system.fan_power_max,
        system.fan_min_speed,
        system.psu_rated,
        *system.psu_loss,
        *chain.ups_loss,
        chain.distribution_loss,
    )
    reference = {
        "servers": float(system.servers_per_rack),
        "fan_power_max": system.fan_power_max,
        "fan_min_speed": system.fan_min_speed,
        "psu_rated": system.psu_rated,
        "psu_loss": system.psu_loss,
        "ups_rated": ups_rated,
        "ups_loss": chain.ups_loss,
        "distribution_loss": chain.distribution_loss,
    }
    return cap, ups_rated, scalars, reference


def _chain(utilization, system, curve, exponent, table, power_cap, chain, clip, backend, total):
    utilization = _prepare(utilization, clip)
    if isinstance(system, str):
        system = catalog.system(system)
    if not isinstance(system, catalog.System):
        raise TypeError(f"system: expected a catalog name or catalog.System, got {system!r}")
    chain = catalog.ups() if chain is None else chain
    if isinstance(table, str):
        table = catalog.load_table(table)
    exponent, table = _check_curve(curve, exponent, table)
    backend = resolve_backend(backend, utilization.data)
    utilization, added = _with_rack(utilization)
    cap, ups_rated, scalars, reference = _chain_parameters(system, utilization, power_cap, chain)
    idle = np.full(utilization.sizes[RACK], system.power_idle)
    peak = np.full(utilization.sizes[RACK], system.power_max)

    spec = specs.FACILITY_POWER if total else specs.RACK_POWER
    options = {
        "curve": curve, "exponent": exponent, "table": table, "chain": scalars,
        "reference": reference,
    }  # fmt: skip

    def compute(u):
        rows = u.reshape(math.prod(u.shape[:-1]), u.shape[-1])  # zero racks too
        parts = run(spec, (rows, idle, peak, cap, ups_rated), backend=backend, options=options)
        shape = u.shape[:-1] if total else u.shape
        return tuple(part.reshape(shape) for part in parts)

    out_dims = [] if total else [RACK]
    dtype = np.float64 if total else utilization.dtype
    results = xr.apply_ufunc(
        compute,
        utilization,
        input_core_dims=[[RACK]],
        output_core_dims=[out_dims] * len(BREAKDOWN),
        dask="parallelized",
        output_dtypes=[dtype] * len(BREAKDOWN),
        keep_attrs=False,
    )
    dataset = xr.Dataset(dict(zip(BREAKDOWN, results, strict=True)))
    dataset = dataset.transpose(*[d for d in utilization.dims if d in dataset.dims])
    if added and not total:
        dataset = dataset.squeeze(RACK, drop=True)
    dataset.attrs["system"] = system.name
    dataset.attrs["load_curve"] = curve
    return label(dataset)


def power(
    utilization,
    system="dgx-h100",
    *,
    curve="fan_barroso",
    exponent=1.4,
    table=None,
    power_cap=None,
    chain=None,
    clip=False,
    backend="auto",
):
    """Electric power of racks of one catalog system, with its breakdown.

    Each rack holds ``system.servers_per_rack`` identical systems that share
    the rack's utilisation. Per time step and rack::

        P_rack  = min(n * P_server(u), power_cap)          load curve, cap
        P_dc    = PSU output for the input P_rack / n       PSU loss model
        P_fan   = P_fan,max (s_min + (1 - s_min) x)**3      fans, inside the server
        power_it    = n (P_dc - P_fan)                      chips, memory, boards
        power_fan   = n P_fan
        loss_psu    = P_rack - n P_dc
        loss_ups    = UPS loss of P_rack + distribution loss
        power_total = power_it + power_fan + loss_psu + loss_ups

    with ``x`` the load fraction after the cap. Converter losses follow
    ``loss = rated (a0 + a1 L + a2 L**2)`` (no-load, proportional and
    resistive losses, Schneider Electric/APC White Paper 108); the PSU
    coefficients are fitted to the 80 PLUS points of the catalog
    (:func:`powermodel.catalog.fit_converter_loss`). Unlike EnergyPlus's
    ``(1 - eta) P`` convention, the UPS loss is the physical
    ``P_in - P_out`` at output ``P_rack``.

    Parameters
    ----------
    utilization : xarray.DataArray
        Utilisation [1] in [0, 1], dims including ``rack`` (and usually
        ``time``, ``scenario``). float32 or float64.
    system : str or powermodel.catalog.System
        Catalog name (:func:`powermodel.catalog.systems`) or a System.
    curve : {"fan_barroso", "linear", "table"}
        Load curve of the server input power.
    exponent : float
        Exponent ``r`` of the Fan et al. curve.
    table : sequence of float or str, optional
        For ``curve="table"``: power at evenly spaced loads (only its shape
        is used: idle and max come from ``system``) or a catalog table name.
    power_cap : float or xarray.DataArray, optional
        Cap on each rack's input power before the UPS [W], a scalar or per
        ``rack``, at least the rack's idle power; like a node power budget
        (NVIDIA DPS), it lowers the server power and so the fans.
    chain : powermodel.catalog.PowerChain, optional
        UPS and distribution; default :func:`powermodel.catalog.ups`.
    clip : bool
        Clip utilisation to [0, 1] instead of raising.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    xarray.Dataset
        ``power_it, power_fan, loss_psu, loss_ups, power_total`` [W], each
        with the dims and dtype of ``utilization``.

    Examples
    --------
    >>> import xarray as xr
    >>> u = xr.DataArray([[0.0, 1.0]], dims=("time", "rack"))
    >>> p = power(u, "dgx-h100", backend="numpy")
    >>> p["power_total"].values.round(-1).tolist()
    [[8790.0, 42640.0]]
    """
    return _chain(utilization, system, curve, exponent, table, power_cap, chain, clip, backend,
                  total=False)  # fmt: skip


def facility_power(
    utilization,
    system="dgx-h100",
    *,
    curve="fan_barroso",
    exponent=1.4,
    table=None,
    power_cap=None,
    chain=None,
    clip=False,
    backend="auto",
):
    """The breakdown of :func:`power` summed over racks, in one fused pass.

    Same parameters as :func:`power`. The sums over ``rack`` accumulate in
    float64 inside the kernel, so no ``(time, rack)`` array is written: the
    way to run many racks x scenarios x hours.

    Parameters
    ----------
    utilization : xarray.DataArray
        Utilisation [1] in [0, 1], dims including ``rack`` (and usually
        ``time``, ``scenario``). float32 or float64.
    system : str or powermodel.catalog.System
        Catalog name (:func:`powermodel.catalog.systems`) or a System.
    curve : {"fan_barroso", "linear", "table"}
        Load curve of the server input power.
    exponent : float
        Exponent ``r`` of the Fan et al. curve.
    table : sequence of float or str, optional
        For ``curve="table"``: power at evenly spaced loads (only its shape
        is used: idle and max come from ``system``) or a catalog table name.
    power_cap : float or xarray.DataArray, optional
        Cap on each rack's input power before the UPS [W], a scalar or per
        ``rack``, at least the rack's idle power.
    chain : powermodel.catalog.PowerChain, optional
        UPS and distribution; default :func:`powermodel.catalog.ups`.
    clip : bool
        Clip utilisation to [0, 1] instead of raising.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    xarray.Dataset
        ``power_it, power_fan, loss_psu, loss_ups, power_total`` [W],
        float64, with the dims of ``utilization`` except ``rack``.
    """
    return _chain(utilization, system, curve, exponent, table, power_cap, chain, clip, backend,
                  total=True)  # fmt: skip


def full_load_power(system, *, power_cap=None) -> float:
    """Power one rack of ``system`` draws at utilisation 1 [W] (``power_total``).

    The size of a rack for grid and cooling sizing: the rack, its power
    chain and the cap, as :func:`power` computes them.

    Parameters
    ----------
    system : str or powermodel.catalog.System
        Catalog name (:func:`powermodel.catalog.systems`) or a System.
    power_cap : float, optional
        Cap on the rack's input power before the UPS [W], at least its idle
        power; None for no cap.

    Returns
    -------
    float
        ``power_total`` of one rack at full load [W], with the default UPS and
        distribution chain (:func:`powermodel.catalog.ups`).
    """
    full = xr.DataArray(np.ones((1, 1)), dims=("time", "rack"))
    return float(power(full, system, power_cap=power_cap, backend="numpy")["power_total"][0, 0])
