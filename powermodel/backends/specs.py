"""Every compiled kernel of powermodel, declared once.

A :class:`KernelSpec` names a kernel's physics, its numpy oracle, its named
inputs and outputs and its loop shape. :func:`powermodel.backends.run`
executes any of them on any backend, and the backend-equivalence tests
(``tests/test_kernels.py``) are driven by :data:`KERNELS`, so a kernel
declared here is tested against its oracle on the CPU and under the CUDA
simulator without another line of test code.

Loop shapes:

``"elementwise"``
    The scalar physics at each element of inputs of one shape; the packed
    parameter vector, if any, passes whole. Generated for any arity by
    :mod:`powermodel.backends._elementwise`.
``"rows"``
    Rows (time x scenario) in parallel, racks innermost and contiguous;
    per-rack vectors and the load-curve settings pass whole
    (:mod:`powermodel.backends.numba_rack`, :mod:`~powermodel.backends.cuda_rack`).
``"scan"``
    Time walked in order, scenarios in parallel; a float64 state per
    scenario (:mod:`powermodel.backends.numba_hydro`, :mod:`~powermodel.backends.cuda_hydro`).
``"groups"``
    Each rack group's runs of steps walked in order, groups in parallel
    (:mod:`powermodel.backends.numba_workload`, :mod:`~powermodel.backends.cuda_workload`).
``"fleet"``
    A fleet entry's utilisation (scenario, time, group) reduced over its
    groups in one pass, rows in parallel, float64 sums (outputs, scenario,
    time); per-group vectors and the rack's settings pass whole
    (:mod:`powermodel.backends.numba_fleet`, :mod:`~powermodel.backends.cuda_fleet`).
``"stages"``
    A backward recursion over stages (stage, scenario) inputs, walked in
    order, the points of a state grid in parallel; a float64 table (stage,
    points) out; the grid size and the number of passes as options
    (:mod:`powermodel.backends.numba_water`, :mod:`~powermodel.backends.cuda_water`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from powermodel.backends import (
    numpy_auxiliaries,
    numpy_battery,
    numpy_cooling,
    numpy_fleet,
    numpy_flexibility,
    numpy_hydro,
    numpy_ite,
    numpy_psychrometrics,
    numpy_rack,
    numpy_spectrum,
    numpy_swing,
    numpy_water,
    numpy_workload,
    numpy_zone,
)
from powermodel.kernels import (
    auxiliaries,
    battery,
    cooling,
    fleet,
    flexibility,
    hydro,
    ite,
    psychrometrics,
    rack,
    spectrum,
    swing,
    water,
    workload,
    zone,
)

__all__ = ["KERNELS", "LOOPS", "KernelSpec", "support_matrix"]

LOOPS = ("elementwise", "rows", "scan", "groups", "fleet", "stages")


@dataclass(frozen=True)
class KernelSpec:
    """One kernel: what it computes, from what, and how it loops.

    Attributes
    ----------
    name : str
        The kernel's name (also that of its generated module).
    loop : {"elementwise", "rows", "scan"}
        The loop shape (module docstring).
    physics : callable or mapping
        The scalar physics function; for ``"rows"`` kernels a mapping of the
        load curve's name to its physics.
    oracle : callable
        The readable numpy float64 reference: ``oracle(*parameters, *inputs)``
        returning a dict of the outputs (``"rows"``: the numpy_rack
        signature).
    inputs, outputs : tuple of str
        Names of the array inputs and outputs, in the kernel's order.
    parameters : tuple of str
        Names of the arguments passed whole before the inputs (a packed
        parameter vector, a scan's initial state).
    record : type, optional
        The named record (a NamedTuple of floats) the first parameter is;
        None where the kernel still takes a packed parameter vector.
    launch : mapping
        ``"cpu"``/``"cuda"`` -> ``"module:function"`` that launches a
        ``"rows"`` or ``"scan"`` kernel (imported only when used).
    api : tuple of str
        The public functions that run it (the README's support matrix).
    """

    name: str
    loop: str
    physics: Callable | dict
    oracle: Callable
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    parameters: tuple[str, ...] = ()
    record: type | None = None
    launch: dict = field(default_factory=dict)
    api: tuple[str, ...] = ()

    def __post_init__(self):
        if self.loop not in LOOPS:
            raise ValueError(f"loop: {self.loop!r} is not one of {LOOPS}")


MOIST_AIR = KernelSpec(
    name="moist_air_state",
    loop="elementwise",
    physics=psychrometrics.moist_air_state,
    oracle=numpy_psychrometrics.moist_air_state,
    inputs=("temp", "relative_humidity", "pressure"),
    outputs=psychrometrics.OUTPUTS,
    api=("psychrometrics.moist_air",),
)

RELATIVE_HUMIDITY = KernelSpec(
    name="relative_humidity",
    loop="elementwise",
    physics=psychrometrics.relative_humidity,
    oracle=numpy_psychrometrics.relative_humidity,
    inputs=("temp", "dew_point_temp"),
    outputs=("relative_humidity",),
    api=("climate.synthetic", "climate.read_netcdf"),
)

ITE_AIR_COOLED = KernelSpec(
    name="ite_air_cooled",
    loop="elementwise",
    physics=ite.ite_air_cooled,
    oracle=numpy_ite.ite_air_cooled,
    parameters=("p",),
    record=ite.ITEParameters,
    inputs=("utilization", "temp_supply", "temp_zone", "humidity_ratio", "schedule", "pressure"),
    outputs=ite.OUTPUTS,
    api=("ite.ite_air_cooled",),
)

COOLING_PLANT = KernelSpec(
    name="cooling_plant",
    loop="elementwise",
    physics=cooling.cooling_plant,
    oracle=numpy_cooling.cooling_plant,
    parameters=("p",),
    record=cooling.CoolingParameters,
    inputs=("heat_load", "temp_air", "temp_wet_bulb"),
    outputs=cooling.OUTPUTS,
    api=("cooling.plant_power",),
)

SUPPLY_AIR_TEMPERATURE = KernelSpec(
    name="supply_air_temperature",
    loop="elementwise",
    physics=cooling.supply_air_temperature,
    oracle=lambda p, t, w: {"temp_supply_air": numpy_cooling.supply_air_temperature(p, t, w)},
    parameters=("p",),
    record=cooling.CoolingParameters,
    inputs=("temp_air", "temp_wet_bulb"),
    outputs=("temp_supply_air",),
    api=("cooling.supply_air_temperature",),
)

ZONE_INPUTS = KernelSpec(
    name="zone_inputs",
    loop="elementwise",
    physics=zone.zone_inputs,
    oracle=numpy_zone.zone_inputs,
    parameters=("p",),
    record=zone.ZoneParameters,
    inputs=("temp_air", "hour_local", "inflow", "site_load"),
    outputs=zone.INPUT_OUTPUTS,
    api=("zone.supply",),
)

ZONE_OUTCOMES = KernelSpec(
    name="zone_outcomes",
    loop="elementwise",
    physics=zone.zone_outcomes,
    oracle=numpy_zone.zone_outcomes,
    parameters=("p",),
    record=zone.ZoneParameters,
    inputs=(
        "filling",
        "guide",
        "generation",
        "run_of_river",
        "imports",
        "shortfall",
        "carbon_import",
    ),
    outputs=zone.OUTCOME_OUTPUTS,
    api=("zone.supply",),
)

GRID_SUPPLY = KernelSpec(
    name="grid_supply",
    loop="elementwise",
    physics=zone.grid_supply,
    oracle=numpy_zone.grid_supply,
    inputs=("demand", "capacity", "rationing"),
    outputs=zone.GRID_OUTPUTS,
    api=("grid.site_supply",),
)

TRAINING_SWING = KernelSpec(
    name="training_swing",
    loop="elementwise",
    physics=swing.training_swing,
    oracle=numpy_swing.training_swing,
    parameters=("p",),
    record=swing.SwingParameters,
    inputs=("power_mean", "power_high", "racks", "training"),
    outputs=swing.OUTPUTS,
    api=("swing.swing_metrics",),
)

PHASE_UTILIZATION = KernelSpec(
    name="phase_utilization",
    loop="elementwise",
    physics=swing.phase_utilization,
    oracle=numpy_swing.phase_utilization,
    inputs=("utilization", "compute_fraction", "communication_level"),
    outputs=("utilization_compute", "utilization_communication"),
    api=("swing.levels", "swing.swing_metrics"),
)

_CURVES = {
    "linear": rack.load_fraction_linear,
    "fan_barroso": rack.load_fraction_fan_barroso,
    "table": rack.load_fraction_table,
}

SERVER_POWER = KernelSpec(
    name="server_power",
    loop="rows",
    physics=_CURVES,
    oracle=numpy_rack.server_power,
    inputs=("utilization", "power_idle", "power_max"),
    outputs=("power_server",),
    launch={
        "cpu": "powermodel.backends.numba_rack:load_curve",
        "cuda": "powermodel.backends.cuda_rack:load_curve",
    },
    api=("rack.linear", "rack.fan_barroso", "rack.spec_table"),
)

RACK_POWER = KernelSpec(
    name="rack_power",
    loop="rows",
    physics=_CURVES,
    oracle=numpy_rack.rack_power,
    inputs=("utilization", "power_idle", "power_max", "power_cap", "ups_rated"),
    outputs=("power_it", "power_fan", "loss_psu", "loss_ups", "power_total"),
    launch={
        "cpu": "powermodel.backends.numba_rack:rack_power",
        "cuda": "powermodel.backends.cuda_rack:rack_power",
    },
    api=("rack.power",),
)

FACILITY_POWER = KernelSpec(
    name="facility_power",
    loop="rows",
    physics=_CURVES,
    oracle=numpy_rack.facility_power,
    inputs=("utilization", "power_idle", "power_max", "power_cap", "ups_rated"),
    outputs=("power_it", "power_fan", "loss_psu", "loss_ups", "power_total"),
    launch={
        "cpu": "powermodel.backends.numba_rack:facility_power",
        "cuda": "powermodel.backends.cuda_rack:facility_power",
    },
    api=("rack.facility_power",),
)

RESERVOIR_SCHEDULE = KernelSpec(
    name="reservoir_schedule",
    loop="scan",
    physics=hydro.reservoir_step,
    oracle=numpy_hydro.reservoir_schedule,
    parameters=("p", "initial"),
    record=hydro.ReservoirParameters,
    inputs=("inflow", "release"),
    outputs=hydro.SCHEDULE_OUTPUTS,
    launch={
        "cpu": "powermodel.backends.numba_hydro:reservoir_schedule",
        "cuda": "powermodel.backends.cuda_hydro:reservoir_schedule",
    },
    api=("hydro.reservoir_schedule",),
)

RESERVOIR_DISPATCH = KernelSpec(
    name="reservoir_dispatch",
    loop="scan",
    physics=hydro.dispatch_step,
    oracle=numpy_hydro.reservoir_dispatch,
    parameters=("p", "initial"),
    record=hydro.ReservoirParameters,
    inputs=("inflow", "demand", "guide"),
    outputs=hydro.DISPATCH_OUTPUTS,
    launch={
        "cpu": "powermodel.backends.numba_hydro:reservoir_dispatch",
        "cuda": "powermodel.backends.cuda_hydro:reservoir_dispatch",
    },
    api=("hydro.reservoir_dispatch", "zone.supply"),
)

RESERVOIR_MARKET = KernelSpec(
    name="reservoir_market",
    loop="scan",
    physics=hydro.market_step,
    oracle=numpy_hydro.reservoir_market,
    parameters=("p", "initial", "values"),
    record=hydro.ReservoirParameters,
    inputs=("inflow", "demand", "price", "stage"),
    outputs=hydro.MARKET_OUTPUTS,
    launch={
        "cpu": "powermodel.backends.numba_hydro:reservoir_market",
        "cuda": "powermodel.backends.cuda_hydro:reservoir_market",
    },
    api=("hydro.market_dispatch",),
)

TRAINING_GROUPS = KernelSpec(
    name="training_groups",
    loop="groups",
    physics=workload.training_step_utilization,
    oracle=numpy_workload.training_groups,
    parameters=("busy", "noise", "idle", "checkpoint", "interval", "duration", "step_h"),
    inputs=("z", "bounds", "phase"),
    outputs=("utilization",),
    launch={
        "cpu": "powermodel.backends.numba_workload:training_groups",
        "cuda": "powermodel.backends.cuda_workload:training_groups",
    },
    api=("workload.generate",),
)

FLEET_GROUPS = KernelSpec(
    name="fleet_groups",
    loop="fleet",
    physics=fleet.rack_group_step,
    oracle=numpy_fleet.fleet_groups,
    parameters=("p", "communication_level"),
    record=swing.SwingParameters,
    inputs=("utilization", "racks", "training", "power_cap", "ups_rated", "in_service"),
    outputs=fleet.OUTPUTS,
    launch={
        "cpu": "powermodel.backends.numba_fleet:fleet_groups",
        "cuda": "powermodel.backends.cuda_fleet:fleet_groups",
    },
    api=("fleet.entry_power",),
)

AUXILIARY_POWER = KernelSpec(
    name="auxiliary_power",
    loop="elementwise",
    physics=auxiliaries.auxiliary_power,
    oracle=numpy_auxiliaries.auxiliary_power,
    parameters=("p",),
    record=auxiliaries.AuxiliaryParameters,
    inputs=("heat_liquid", "in_service"),
    outputs=auxiliaries.OUTPUTS,
    api=("auxiliaries.auxiliary_power",),
)

WATER_VALUES = KernelSpec(
    name="water_values",
    loop="stages",
    physics=water.best_release_value,
    oracle=numpy_water.water_values,
    parameters=("p",),
    record=water.WaterValueParameters,
    inputs=("inflow", "demand", "price"),
    outputs=("value",),
    launch={
        "cpu": "powermodel.backends.numba_water:water_values",
        "cuda": "powermodel.backends.cuda_water:water_values",
    },
    api=("water.water_values",),
)

SHIFT_DEFERRABLE = KernelSpec(
    name="shift_deferrable",
    loop="scan",
    physics=flexibility.shift_window,
    oracle=numpy_flexibility.shift_deferrable,
    parameters=("p", "bounds"),
    record=flexibility.ShiftParameters,
    inputs=("power", "upper", "weight"),
    outputs=flexibility.SHIFT_OUTPUTS,
    launch={
        "cpu": "powermodel.backends.numba_flexibility:shift_deferrable",
        "cuda": "powermodel.backends.cuda_flexibility:shift_deferrable",
    },
    api=("flexibility.shift",),
)

BATTERY_DISPATCH = KernelSpec(
    name="battery_dispatch",
    loop="scan",
    physics=battery.battery_step,
    oracle=numpy_battery.battery_dispatch,
    parameters=("p", "initial"),
    record=battery.BatteryParameters,
    inputs=("demand", "limit", "price", "cheap", "dear"),
    outputs=battery.OUTPUTS,
    launch={
        "cpu": "powermodel.backends.numba_battery:battery_dispatch",
        "cuda": "powermodel.backends.cuda_battery:battery_dispatch",
    },
    api=("battery.dispatch", "battery.size", "grid.conditional_summary"),
)

POWER_SMOOTHING = KernelSpec(
    name="power_smoothing",
    loop="scan",
    physics=spectrum.smoothing_step,
    oracle=numpy_spectrum.power_smoothing,
    parameters=("p", "initial"),
    record=spectrum.SmoothingParameters,
    inputs=("demand",),
    outputs=spectrum.SMOOTHING_OUTPUTS,
    launch={
        "cpu": "powermodel.backends.numba_spectrum:power_smoothing",
        "cuda": "powermodel.backends.cuda_spectrum:power_smoothing",
    },
    api=("spectrum.power_smoothing", "spectrum.ramp_limited", "spectrum.scenario_compliance"),
)

STORAGE_SMOOTHING = KernelSpec(
    name="storage_smoothing",
    loop="scan",
    physics=spectrum.storage_step,
    oracle=numpy_spectrum.storage_smoothing,
    parameters=("p", "initial"),
    record=spectrum.StorageParameters,
    inputs=("load",),
    outputs=spectrum.STORAGE_OUTPUTS,
    launch={
        "cpu": "powermodel.backends.numba_spectrum:storage_smoothing",
        "cuda": "powermodel.backends.cuda_spectrum:storage_smoothing",
    },
    api=("spectrum.storage_smoothing", "spectrum.scenario_compliance"),
)

#: Every kernel, by name.
KERNELS = {
    spec.name: spec
    for spec in (
        MOIST_AIR,
        RELATIVE_HUMIDITY,
        ITE_AIR_COOLED,
        COOLING_PLANT,
        SUPPLY_AIR_TEMPERATURE,
        AUXILIARY_POWER,
        ZONE_INPUTS,
        ZONE_OUTCOMES,
        GRID_SUPPLY,
        TRAINING_SWING,
        PHASE_UTILIZATION,
        SERVER_POWER,
        RACK_POWER,
        FACILITY_POWER,
        RESERVOIR_SCHEDULE,
        RESERVOIR_DISPATCH,
        RESERVOIR_MARKET,
        TRAINING_GROUPS,
        FLEET_GROUPS,
        WATER_VALUES,
        SHIFT_DEFERRABLE,
        BATTERY_DISPATCH,
        POWER_SMOOTHING,
        STORAGE_SMOOTHING,
    )
}


def support_matrix() -> str:
    """The README's support matrix (Markdown), generated from :data:`KERNELS`.

    Every kernel runs on the three backends through one seam, so each public
    function that calls one has all three.
    """
    rows = {}
    for spec in KERNELS.values():
        for function in spec.api:
            rows.setdefault(function, []).append(spec.name)
    lines = [
        "| function | kernels | numpy (reference) | numba (CPU) | cupy (CUDA) |",
        "|---|---|---|---|---|",
    ]
    for function, names in rows.items():
        kernels = ", ".join(f"`{n}`" for n in names)
        lines.append(f"| `{function}` | {kernels} | yes | yes | yes |")
    lines.append("| `simulate.simulate` | all of the above | yes | yes | yes, untested on a GPU |")
    return "\n".join(lines)
