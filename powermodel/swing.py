"""Sub-hourly power swings of synchronous training, and their mitigation.

Every iteration of a synchronous training job has a compute phase (GPUs
near full power) and a communication phase (GPUs waiting on collectives),
and all racks of the job switch together. An hourly mean hides this square
wave; the grid connection sees its peak, its trough and the ramp between
them, growing with the number of racks in lock-step (Choukse et al. 2025).

:func:`swing_metrics` turns the step-mean utilisation of rack groups (from
:mod:`powermodel.workload`) into the within-step maximum and minimum power
and the ramp rate of each group, without and with two mitigations: a GPU
power floor and rack-level energy storage. :func:`swing_summary` reduces
them per scenario, next to the energy.

References
----------
E. Choukse et al., "Power Stabilization for AI Training Datacenters",
arXiv:2508.14318 (2025), https://arxiv.org/abs/2508.14318

NVIDIA, "How New GB300 NVL72 Features Provide Steady Power for AI" (2025),
https://developer.nvidia.com/blog/how-new-gb300-nvl72-features-provide-steady-power-for-ai/
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from powermodel import catalog, rack
from powermodel._api import as_float_dataarray, check_range, elementwise, label
from powermodel.backends import specs, to_host
from powermodel.backends.physics import SwingParameters
from powermodel.timegrid import time_step
from powermodel.variables import attrs_over_time
from powermodel.workload import Training

__all__ = ["OUTPUTS", "levels", "parameters", "swing_metrics", "swing_summary"]

#: Default time the power of a job takes to switch between phases [s].
#: Assumption: GPU power follows the phase change within about 100 ms;
#: Choukse et al. (2025) state grid limits as ramp rates without a value.
TRANSITION_S = 0.1

#: The variables of :func:`swing_metrics` (units and long names in
#: :data:`powermodel.variables.VARIABLES`).
OUTPUTS = specs.TRAINING_SWING.outputs


def levels(utilization, compute_fraction: float, communication_level: float, *, backend="auto"):
    """Compute- and communication-phase utilisation of a step-mean utilisation.

    ``u_high = min(1, u / (d + (1 - d) c))`` and the ``u_low`` that keeps
    ``d u_high + (1 - d) u_low = u``; the equations, and why, are in
    :func:`powermodel.kernels.swing.phase_utilization`.

    Parameters
    ----------
    utilization : array-like or xarray.DataArray
        Step-mean utilisation [1] in [0, 1].
    compute_fraction : float
        Duty cycle ``d`` [1], in (0, 1).
    communication_level : float
        ``c`` [1], in [0, 1].
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    u_high, u_low
        Utilisation [1] during compute and communication: DataArrays for a
        DataArray input, else numpy arrays.

    Examples
    --------
    >>> [round(float(x), 3) for x in levels(0.5, 0.75, 0.3)]
    [0.606, 0.182]
    """
    if not 0.0 < compute_fraction < 1.0:
        raise ValueError(f"compute_fraction: must be in (0, 1), got {compute_fraction!r}")
    if not 0.0 <= communication_level <= 1.0:
        raise ValueError(f"communication_level: must be in [0, 1], got {communication_level!r}")
    is_array = isinstance(utilization, xr.DataArray)
    u = utilization if is_array else xr.DataArray(np.asarray(utilization, np.float64))
    operands = [u, xr.DataArray(float(compute_fraction)), xr.DataArray(float(communication_level))]
    out = elementwise(operands, specs.PHASE_UTILIZATION, backend)
    high, low = out["utilization_compute"], out["utilization_communication"]
    if is_array:
        return high, low
    return np.asarray(to_host(high.data)), np.asarray(to_host(low.data))


def parameters(
    system,
    training: Training,
    step_s: float,
    *,
    power_floor: float | None = None,
    storage_j_per_rack: float = 0.0,
    storage_power_w_per_rack: float = 0.0,
    transition_s: float = TRANSITION_S,
    curve: str = "fan_barroso",
    chain=None,
) -> SwingParameters:
    """The swing kernels' record for racks of ``system``, each argument checked.

    The arguments are those of :func:`swing_metrics` (``step_s`` the time
    step [s]). The rack's idle and full-load grid-side power (without a cap)
    come from :func:`powermodel.rack.power`: ``idle`` is the lowest power a
    communication phase can fall to, and the floor is ``power_floor`` of the
    full-load power [W].

    Parameters
    ----------
    system : str or powermodel.catalog.System
        The racks' system: a catalog name (:func:`powermodel.catalog.systems`) or a System.
    training : powermodel.workload.Training
        Gives ``iteration_period_s`` and ``compute_fraction``.
    step_s : float
        Time step [s].
    power_floor : float, optional
        GPU power floor as a fraction [1] of a rack's full-load grid-side power, in
        [0, 1]. None: no floor.
    storage_j_per_rack : float
        Usable energy of rack-level storage [J] per rack, >= 0.
    storage_power_w_per_rack : float
        Maximum charge and discharge power of that storage [W] per rack, >= 0.
    transition_s : float
        Time the job's power takes to switch between phases [s], > 0; default
        :data:`TRANSITION_S` (Assumption).
    curve : {"fan_barroso", "linear", "table"}
        Load curve of the server input power (:func:`powermodel.rack.power`).
    chain : powermodel.catalog.PowerChain, optional
        UPS and distribution (:func:`powermodel.rack.power`); default
        :func:`powermodel.catalog.ups`.

    Returns
    -------
    SwingParameters
        The record of :class:`powermodel.kernels.swing.SwingParameters`: per rack, the
        floor [W], storage energy [J] and power [W] and idle power [W]; the duty cycle
        [1], iteration period [s], transition time [s] and time step [s].
    """
    if not isinstance(training, Training):
        raise TypeError(f"training: expected a workload.Training, got {type(training).__name__}")
    for name, value in [
        ("storage_j_per_rack", storage_j_per_rack),
        ("storage_power_w_per_rack", storage_power_w_per_rack),
    ]:
        if not (np.isfinite(value) and value >= 0.0):
            raise ValueError(f"{name}: must be a finite number >= 0, got {value!r}")
    if not (np.isfinite(transition_s) and transition_s > 0.0):
        raise ValueError(f"transition_s: must be > 0 s, got {transition_s!r}")
    if power_floor is not None and not 0.0 <= power_floor <= 1.0:
        raise ValueError(f"power_floor: must be a fraction in [0, 1] or None, got {power_floor!r}")
    ends = rack.power(
        xr.DataArray([[0.0], [1.0]], dims=("level", "rack")), system, curve=curve, chain=chain,
        backend="numpy",
    )["power_total"].values[:, 0]  # fmt: skip
    p_idle, p_full = float(ends[0]), float(ends[1])
    return SwingParameters(
        compute_fraction=training.compute_fraction,
        period=training.iteration_period_s,
        floor=0.0 if power_floor is None else power_floor * p_full,
        storage_energy=storage_j_per_rack,
        storage_power=storage_power_w_per_rack,
        idle=p_idle,
        transition=transition_s,
        step=step_s,
    )


def _group_racks(utilization) -> np.ndarray:
    """Racks per group [1], float64, from the ``racks`` coordinate on ``group``, checked."""
    if "racks" not in utilization.coords:
        raise ValueError("utilization: has a 'group' dim but no 'racks' coordinate")
    racks = np.asarray(utilization["racks"].values, np.float64)
    if not (racks >= 1).all():
        raise ValueError(f"utilization: racks coordinate must be >= 1, got {racks}")
    return racks


def _is_training(utilization, count: int) -> np.ndarray:
    """True for each group or rack that trains: the ``kind`` coordinate, else all."""
    if "kind" in utilization.coords:
        return np.asarray(utilization["kind"].values) == "training"
    return np.ones(count, bool)


def _as_racks(utilization):
    """Utilisation with a ``rack`` dim for :func:`powermodel.rack.power`.

    Returns (utilization, racks per element, training mask, how to undo).
    """
    if "group" in utilization.dims:
        racks = _group_racks(utilization)
        if "rack" in utilization.dims:
            raise ValueError("utilization: has both 'group' and 'rack' dims")
        racks = xr.DataArray(racks, dims="rack")
        mode = "group"
        utilization = utilization.rename(group="rack")
    elif "rack" in utilization.dims:
        racks, mode = 1.0, "rack"
    else:
        racks, mode = 1.0, "none"
        utilization = utilization.expand_dims("rack", axis=-1)
    training = xr.DataArray(_is_training(utilization, utilization.sizes["rack"]), dims="rack")
    keep = [c for c in ("racks", "kind") if c in utilization.coords]
    plain = utilization.drop_vars(keep)
    return plain, racks, training, mode


def swing_metrics(
    utilization,
    system="gb200-nvl72",
    training: Training | None = None,
    *,
    power_floor: float | None = None,
    storage_j_per_rack: float = 0.0,
    storage_power_w_per_rack: float = 0.0,
    transition_s: float = TRANSITION_S,
    curve: str = "fan_barroso",
    chain=None,
    power_cap=None,
    power_mean=None,
    backend="auto",
) -> xr.Dataset:
    """Within-step peak, trough and ramp of synchronous training power.

    Parameters
    ----------
    utilization : xarray.DataArray
        Step-mean utilisation [1] in [0, 1] with a ``time`` dim, e.g. from
        :func:`powermodel.workload.generate`. With a ``group`` dim it needs a
        ``racks`` coordinate (racks per group, all in lock-step); a ``kind``
        coordinate marks ``"inference"`` groups, which get no swing. Without
        ``group``, each element is one rack.
    system : str or powermodel.catalog.System
        The racks' system (:func:`powermodel.catalog.system`).
    training : powermodel.workload.Training, optional
        Gives ``iteration_period_s``, ``compute_fraction`` and
        ``communication_level``; default ``Training()``.
    power_floor : float, optional
        GPU power floor as a fraction [1] of a rack's full-load grid-side
        power, held during communication phases; never above the
        compute-phase power. None: no floor.
    storage_j_per_rack : float
        Usable energy of rack-level storage [J] per rack.
    storage_power_w_per_rack : float
        Maximum charge and discharge power of that storage [W] per rack.
    transition_s : float
        Time the job's power takes to switch between phases [s]; default
        :data:`TRANSITION_S` (Assumption).
    curve, chain, power_cap, backend
        Passed to :func:`powermodel.rack.power`.
    power_mean : xarray.DataArray, optional
        The rack power [W] at ``utilization`` (``power_total`` of
        :func:`powermodel.rack.power` with the same arguments, per rack, on
        ``utilization``'s dims with ``group`` renamed ``rack``), when the
        caller has it already: saves one rack-power evaluation.

    Returns
    -------
    xarray.Dataset
        Per group (whole group, i.e. times ``racks``) and step, float64:
        ``power_mean``, ``power_max``, ``power_min`` [W], ``ramp_rate``
        [W s-1] as the grid sees them after mitigation; the same without
        mitigation (``*_unmitigated``); ``floor_power`` [W] and
        ``floor_energy`` [J] of the floor; ``storage_energy`` [J] cycled per
        iteration; ``storage_sufficient`` (bool). See :data:`powermodel.variables.VARIABLES`.

    Notes
    -----
    Levels. :func:`levels` splits the step mean ``u`` into ``u_high``
    (compute) and ``u_low`` (communication). The compute-phase power is the
    rack power at ``u_high``, ``P_high = P(u_high)``
    (:func:`powermodel.rack.power`, ``power_total``: IT, fans, PSU and UPS
    losses, taken as following the swing); the communication-phase power
    closes the energy balance with the hourly model::

        d P_high + (1 - d) P_low = P(u)

    so the swing never changes the step's energy. (For a concave load curve
    such as Fan et al.'s, ``P_low >= P(u_low)``; if a curve made
    ``P_low < P(0)``, ``P_low`` is raised to ``P(0)`` and ``P_high`` lowered
    to keep the balance.)

    Floor. ``F = min(power_floor P(1), P_high)``; ``P_min = max(P_low, F)``;
    ``floor_power = (1 - d)(P_min - P_low)`` per rack.

    Storage (lossless; an Assumption) discharges ``x`` during compute and
    recharges ``y = d x / (1 - d)`` during communication, so energy in equals
    energy out over each iteration of period ``T``::

        x = min(S_p, S_p (1 - d) / d, S_e / (d T), (1 - d)(P_high - P_min))

    Grid side: ``power_max = P_high - x``, ``power_min = P_min + y``;
    ``storage_energy = d T x`` per rack; ``storage_sufficient`` when the
    limits allow the full flattening ``x = (1 - d)(P_high - P_min)``.

    Ramp: ``racks (power_max - power_min) / transition_s`` per group, all
    racks of a job switching together. Checkpoint dips and job starts inside
    a step are not resolved: the levels come from the step mean.

    References
    ----------
    E. Choukse et al., "Power Stabilization for AI Training Datacenters",
    arXiv:2508.14318 (2025), https://arxiv.org/abs/2508.14318

    Examples
    --------
    >>> import xarray as xr, pandas as pd
    >>> u = xr.DataArray([0.8], dims="time", coords={"time": pd.date_range("2025", periods=1)})
    >>> m = swing_metrics(u, "gb200-nvl72", backend="numpy")
    >>> round((m.power_max / m.power_min).item(), 2)  # peak over trough of one GB200 rack
    1.61
    """
    utilization = check_range(as_float_dataarray(utilization, "utilization"), "utilization", False)
    if "time" not in utilization.dims:
        raise ValueError(f"utilization: needs a 'time' dim, got {utilization.dims}")
    training = Training() if training is None else training
    if isinstance(system, str):
        system = catalog.system(system)
    step_s = time_step(utilization["time"]).total_seconds()
    params = parameters(
        system, training, step_s, power_floor=power_floor, storage_j_per_rack=storage_j_per_rack,
        storage_power_w_per_rack=storage_power_w_per_rack, transition_s=transition_s,
        curve=curve, chain=chain,
    )  # fmt: skip
    d, period = training.compute_fraction, training.iteration_period_s

    plain, racks, is_training, mode = _as_racks(utilization.astype(np.float64))
    u_high, _ = levels(plain, d, training.communication_level, backend=backend)

    def total(u, cap=power_cap):
        result = rack.power(u, system, curve=curve, chain=chain, power_cap=cap, backend=backend)
        return result["power_total"].astype(np.float64)

    if power_mean is None:
        p_mean = total(plain)
    else:
        p_mean = power_mean.astype(np.float64).transpose(*plain.dims)
    p_high = total(u_high)
    racks = xr.DataArray(np.broadcast_to(np.asarray(racks, np.float64), (plain.sizes["rack"],)),
                         dims="rack")  # fmt: skip
    data = elementwise(
        [p_mean, p_high, racks, is_training.astype(np.float64)],
        specs.TRAINING_SWING,
        backend,
        parameters=params,
        labels=False,  # labelled once reshaped, below
    )
    data["storage_sufficient"] = data["storage_sufficient"] > 0.5
    dataset = xr.Dataset({name: data[name] for name in OUTPUTS})
    dataset = dataset.transpose(*plain.dims)
    if mode == "group":
        dataset = dataset.rename(rack="group").assign_coords(
            {c: utilization[c] for c in ("racks", "kind") if c in utilization.coords}
        )
        dataset = dataset.assign_coords(group=utilization["group"])
    elif mode == "none":
        dataset = dataset.squeeze("rack", drop=True)
    label(dataset)
    dataset.attrs.update(
        system=system.name,
        iteration_period_s=period,
        compute_fraction=d,
        transition_s=float(transition_s),
    )
    return dataset


def swing_summary(metrics: xr.Dataset, dim: str = "time") -> xr.Dataset:
    """Reduce :func:`swing_metrics` over time (and groups): one value per scenario.

    Groups are summed as if all jobs swung in phase, so ``power_max``,
    ``power_min`` and ``ramp_rate`` bound what the hall can show (jobs that
    drift out of phase partly cancel).

    Parameters
    ----------
    metrics : xarray.Dataset
        Output of :func:`swing_metrics`.
    dim : str
        The time dimension.

    Returns
    -------
    xarray.Dataset
        ``energy`` [J] (from ``power_mean``), ``power_max`` (max over
        ``dim``), ``power_min`` (min), ``ramp_rate`` and
        ``ramp_rate_unmitigated`` (max) [W, W s-1], ``floor_energy`` [J]
        (sum), ``storage_sufficient`` (all).
    """
    if dim not in metrics.dims:
        raise ValueError(f"metrics: has no {dim!r} dimension (dims {tuple(metrics.dims)})")
    step_s = time_step(metrics[dim]).total_seconds()
    groups = [g for g in ("group", "rack") if g in metrics.dims]
    hall = metrics.sum(groups, skipna=False) if groups else metrics
    hall = hall.drop_vars([c for c in ("racks", "kind") if c in hall.coords])
    summary = xr.Dataset(
        {
            "energy": hall["power_mean"].sum(dim, skipna=False) * step_s,
            "power_max": hall["power_max"].max(dim, skipna=False),
            "power_min": hall["power_min"].min(dim, skipna=False),
            "ramp_rate": hall["ramp_rate"].max(dim, skipna=False),
            "ramp_rate_unmitigated": hall["ramp_rate_unmitigated"].max(dim, skipna=False),
            "floor_energy": hall["floor_energy"].sum(dim, skipna=False),
            "storage_sufficient": metrics["storage_sufficient"].all([dim, *groups]),
        }
    )
    statistics = {"power_max": "maximum", "power_min": "minimum", "ramp_rate": "maximum",
                  "ramp_rate_unmitigated": "maximum", "floor_energy": "sum",
                  "storage_sufficient": "all"}  # fmt: skip
    for name, statistic in statistics.items():
        summary[name].attrs = attrs_over_time(name, statistic)
    summary["energy"].attrs = {"units": "J", "long_name": "grid-side energy of the racks"}
    return summary
