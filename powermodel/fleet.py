"""A fleet entry's racks in one pass: power, power chain and swings, summed over groups.

:func:`entry_power` is what :func:`powermodel.simulate.simulate` runs for
each fleet entry: from the utilisation of its rack groups
(:func:`powermodel.workload.generate`) to the (time, scenario) totals of
the racks' IT power, UPS loss, grid-side power and within-step swing
extremes, in one compiled pass (:mod:`powermodel.kernels.fleet`). It gives
the numbers of :func:`powermodel.rack.power` and
:func:`powermodel.swing.swing_metrics` summed over groups, without writing
their (time, scenario, group) arrays.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from powermodel import catalog, rack, swing
from powermodel._api import label
from powermodel.backends import is_cupy_array, run, specs
from powermodel.timegrid import time_step
from powermodel.workload import Training

__all__ = ["OUTPUTS", "entry_power"]

#: The variables of :func:`entry_power` (units, long names: :data:`powermodel.variables.VARIABLES`)
OUTPUTS = specs.FLEET_GROUPS.outputs


def entry_power(
    utilization,
    system="gb200-nvl72",
    training: Training | None = None,
    *,
    in_service=None,
    power_cap=None,
    power_floor: float | None = None,
    storage_j_per_rack: float = 0.0,
    storage_power_w_per_rack: float = 0.0,
    transition_s: float = swing.TRANSITION_S,
    curve: str = "fan_barroso",
    chain=None,
    backend="auto",
) -> xr.Dataset:
    """Power of a fleet entry's rack groups, summed over the groups [W], float64.

    Parameters
    ----------
    utilization : xarray.DataArray
        Step-mean utilisation [1] in [0, 1] (NaN allowed), dims ``(time,
        scenario, group)`` with a ``racks`` coordinate on ``group`` and
        optionally ``kind`` (``"inference"`` groups do not swing), as
        :func:`powermodel.workload.generate` returns it (read without a copy
        in that layout). float32 or float64: the physics runs in float64.
    system : str or powermodel.catalog.System
        The rack system, by catalog name or as a :class:`powermodel.catalog.System`.
    training : powermodel.workload.Training, optional
        Iteration period, duty cycle and communication level of the jobs.
    in_service : xarray.DataArray, optional
        (time,) multiplier [1] of each step: 1 while the racks are in
        service, 0 before. Default 1 everywhere.
    power_cap : float, optional
        Cap on each rack's input power [W] (:func:`powermodel.rack.power`).
    power_floor, storage_j_per_rack, storage_power_w_per_rack, transition_s
        Swing mitigation, as :func:`powermodel.swing.swing_metrics`.
    curve, chain
        Load curve and power chain (:func:`powermodel.rack.power`).
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    xarray.Dataset
        (time, scenario), float64: ``power_it``, ``loss_ups``,
        ``power_total`` (:func:`powermodel.rack.power` summed over racks);
        ``swing_power_max``, ``swing_power_min``, ``swing_ramp_rate``,
        ``swing_power_max_unmitigated``, ``swing_ramp_rate_unmitigated`` and
        ``swing_floor_energy`` (:func:`powermodel.swing.swing_metrics`
        summed over groups: all jobs in phase, an upper bound). Each is
        multiplied by ``in_service``; a NaN utilisation of any group makes
        its row NaN.

    Notes
    -----
    Sums over groups are float64, in the groups' order, per row: a
    scenario's totals do not depend on which other scenarios run with it.
    They equal the separate functions' results summed with numpy to ~1e-15
    relative (numpy sums pairwise).

    Examples
    --------
    >>> from powermodel import workload
    >>> u = workload.generate(racks=16, periods=24, scenarios=2, seed=1)
    >>> p = entry_power(u, "gb200-nvl72", backend="numpy")
    >>> p["power_total"].dims, bool((p.swing_power_max >= p.power_total).all())
    (('time', 'scenario'), True)
    """
    if not isinstance(utilization, xr.DataArray):
        raise TypeError(f"utilization: expected an xarray.DataArray, got {type(utilization)}")
    dims = ("time", "scenario", "group")
    if set(utilization.dims) != set(dims):
        raise ValueError(f"utilization: needs dims {dims}, got {utilization.dims}")
    if np.dtype(utilization.dtype) not in (np.float32, np.float64):
        raise TypeError(f"utilization: float32 or float64 needed, got {utilization.dtype}")
    training = Training() if training is None else training
    if isinstance(system, str):
        system = catalog.system(system)
    data = utilization.transpose("scenario", "time", "group").data
    low, high = _range(data)
    if low < 0.0 or high > 1.0:
        raise ValueError(f"utilization: values must lie in [0, 1], got [{low:g}, {high:g}]")
    racks = swing._group_racks(utilization)
    is_training = swing._is_training(utilization, racks.size).astype(np.float64)
    step_s = time_step(utilization["time"]).total_seconds()
    p = swing.parameters(
        system, training, step_s, power_floor=power_floor, storage_j_per_rack=storage_j_per_rack,
        storage_power_w_per_rack=storage_power_w_per_rack, transition_s=transition_s,
        curve=curve, chain=chain,
    )  # fmt: skip
    template = xr.DataArray(np.zeros((1, racks.size)), dims=("time", "rack"))
    cap, ups_rated, scalars, reference = rack._chain_parameters(
        system, template, power_cap, catalog.ups() if chain is None else chain
    )
    exponent, table = rack._check_curve(curve, 1.4, None)
    if in_service is None:
        weights = np.ones(utilization.sizes["time"])
    else:
        weights = np.asarray(
            in_service.transpose("time").values if isinstance(in_service, xr.DataArray)
            else in_service, np.float64,
        )  # fmt: skip
        if weights.shape != (utilization.sizes["time"],):
            raise ValueError(f"in_service: needs one value per step, got shape {weights.shape}")
    options = {
        "curve": curve, "exponent": exponent, "table": table, "chain": scalars,
        "reference": reference, "power_idle": system.power_idle, "power_max": system.power_max,
    }  # fmt: skip
    parts = run(
        specs.FLEET_GROUPS,
        (data, racks, is_training, cap, ups_rated, weights),
        (p, training.communication_level),
        backend=backend,
        options=options,
    )
    coords = {"time": utilization["time"], "scenario": utilization["scenario"]}
    out = xr.Dataset(
        {name: (("scenario", "time"), part) for name, part in zip(OUTPUTS, parts, strict=True)},
        coords=coords,
    ).transpose("time", "scenario")
    out.attrs.update(system=system.name, load_curve=curve)
    return label(out)


def _range(data) -> tuple[float, float]:
    """Smallest and largest non-NaN value of ``data`` (0, 1 when all are NaN or empty)."""
    if data.size == 0:
        return 0.0, 1.0
    xp = data.__array_namespace__() if is_cupy_array(data) else np
    low, high = float(xp.min(data)), float(xp.max(data))
    if low != low:  # a NaN somewhere (kept): the range of the rest
        finite = data[~xp.isnan(data)]
        if finite.size == 0:
            return 0.0, 1.0
        low, high = float(finite.min()), float(finite.max())
    return low, high
