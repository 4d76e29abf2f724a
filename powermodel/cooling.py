"""Cooling plants on xarray: cooling electricity, water, heat reuse and PUE.

The physics (and its documentation: loops, dry coolers, economiser, chillers,
heat pump) is in :mod:`powermodel.kernels.cooling`; the parameters, each with
its source, in ``powermodel/data/cooling.toml``.

Coupling with the racks
-----------------------
The chain runs one way, so nothing iterates: weather and plant give the
supply air temperature (:func:`supply_air_temperature`; the set point, or
the outdoor air in a plant without chillers); that is the inlet temperature
of the EnergyPlus ITE model (:func:`powermodel.ite.ite_air_cooled`), whose
electricity is the heat load of :func:`plant_power`. This holds because the
supply temperature depends on weather and set points only: the air and water
flows follow the heat at fixed temperature differences. The liquid loop's
supply temperature may float (plants without chillers) but the rack models
do not depend on it (GPU leakage power vs coolant temperature is not
modelled).

Examples
--------
>>> import numpy as np, xarray as xr
>>> from powermodel import climate, cooling
>>> weather = climate.synthetic(periods=24 * 365)
>>> heat = xr.full_like(weather.temp_air, 10e6).assign_attrs(units="W")  # 10 MW
>>> plant = cooling.plant_power(heat, weather, "liquid-dry-cooler", backend="numpy")
>>> summary = cooling.summarize(plant, power_it=heat)
>>> 1.0 < float(summary.pue.squeeze()) < 1.1
True
"""

from __future__ import annotations

import dataclasses
import functools
import tomllib
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
import xarray as xr

from powermodel._api import as_float_dataarray, elementwise, label, operand
from powermodel.backends import physics as k
from powermodel.backends import specs
from powermodel.backends._dispatch import run
from powermodel.backends.physics import (
    AIR_DENSITY,
    AIR_SPECIFIC_HEAT,
    CURVE_FIELDS,
    WATER_DENSITY_FACILITY,
    WATER_SPECIFIC_HEAT,
)
from powermodel.ite import Curve
from powermodel.psychrometrics import moist_air
from powermodel.timegrid import _reduced, energy, hours_where, row_sum, time_step

__all__ = [
    "AirLoop",
    "Chiller",
    "CoolingPlant",
    "Evaporative",
    "HeatReuse",
    "LiquidLoop",
    "annual_pue",
    "facility_totals",
    "plant",
    "plant_power",
    "plants",
    "summarize",
    "supply_air_temperature",
]

_CHILLER_MODELS = {"none": k.CHILLER_NONE, "carnot": k.CHILLER_CARNOT, "eir": k.CHILLER_EIR}


def _positive(where: str, **values) -> None:
    for name, value in values.items():
        if not np.isfinite(value) or value <= 0:
            raise ValueError(f"{where}: {name} must be a positive number, got {value!r}")


def _fraction(where: str, **values) -> None:
    for name, value in values.items():
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{where}: {name} must be in [0, 1], got {value!r}")


@dataclass(frozen=True)
class LiquidLoop:
    """Direct-to-chip facility water loop with dry coolers.

    Parameters
    ----------
    temp_supply : float
        Facility water supply set point [degC].
    delta_t : float
        Return minus supply [K], > 0.
    dry_cooler_approach : float
        Water leaving minus air entering at design load and full fan speed [K], > 0.
    dry_cooler_fan_power_ratio : float
        Dry-cooler fan power at full speed per design liquid heat [1], >= 0.
    dry_cooler_capacity_exponent : float
        ``n`` in capacity ~ fan speed**n [1], 0.5 to 1.
    dry_cooler_min_speed : float
        Lowest fan speed fraction [1], 0..1.
    dry_cooler_air_temp_rise : float
        Air temperature rise through the coil at design [K], > 0.
    pump_pressure : float
        Pump pressure rise at design flow [Pa], >= 0.
    pump_efficiency : float
        Wire-to-water efficiency [1], > 0 and <= 1.
    pump_min_flow : float
        Lowest flow fraction [1], 0..1.
    """

    temp_supply: float = 30.0
    delta_t: float = 10.0
    dry_cooler_approach: float = 6.0
    dry_cooler_fan_power_ratio: float = 0.02
    dry_cooler_capacity_exponent: float = 0.8
    dry_cooler_min_speed: float = 0.2
    dry_cooler_air_temp_rise: float = 10.0
    pump_pressure: float = 300e3
    pump_efficiency: float = 0.7
    pump_min_flow: float = 0.3

    def __post_init__(self):
        _positive(
            "liquid", delta_t=self.delta_t, dry_cooler_approach=self.dry_cooler_approach,
            dry_cooler_air_temp_rise=self.dry_cooler_air_temp_rise,
            pump_efficiency=self.pump_efficiency,
        )  # fmt: skip
        _fraction(
            "liquid", dry_cooler_min_speed=self.dry_cooler_min_speed,
            pump_min_flow=self.pump_min_flow, pump_efficiency=self.pump_efficiency,
        )  # fmt: skip
        if not 0.5 <= self.dry_cooler_capacity_exponent <= 1.0:
            raise ValueError("liquid: dry_cooler_capacity_exponent must be in [0.5, 1]")
        if self.dry_cooler_fan_power_ratio < 0 or self.pump_pressure < 0:
            raise ValueError("liquid: fan power ratio and pump pressure must be >= 0")

    @property
    def pump_power_ratio(self) -> float:
        """Pump power per heat carried at design [1]: ``dp / (eta rho c_p dT)``."""
        return k.transport_power_ratio(
            self.pump_pressure, self.pump_efficiency, WATER_DENSITY_FACILITY,
            WATER_SPECIFIC_HEAT, self.delta_t,
        )  # fmt: skip


@dataclass(frozen=True)
class AirLoop:
    """CRAH air loop with an optional air-side economiser.

    Parameters
    ----------
    temp_supply : float
        Supply air set point [degC].
    delta_t : float
        Return minus supply air [K], > 0.
    fan_pressure : float
        Fan pressure rise at design flow [Pa], >= 0.
    fan_efficiency : float
        Fan, motor and drive efficiency [1], > 0 and <= 1.
    min_flow : float
        Lowest air flow fraction [1], 0..1.
    economizer : bool
        Air-side dry-bulb economiser fitted.
    temp_chilled_water : float
        Chilled water temperature for the coils [degC].
    """

    temp_supply: float = 25.0
    delta_t: float = 12.0
    fan_pressure: float = 500.0
    fan_efficiency: float = 0.6
    min_flow: float = 0.3
    economizer: bool = True
    temp_chilled_water: float = 14.0

    def __post_init__(self):
        _positive("air", delta_t=self.delta_t, fan_efficiency=self.fan_efficiency)
        _fraction("air", min_flow=self.min_flow, fan_efficiency=self.fan_efficiency)
        if self.fan_pressure < 0:
            raise ValueError("air: fan_pressure must be >= 0")

    @property
    def fan_power_ratio(self) -> float:
        """CRAH fan power per heat carried at design [1]: ``dp / (eta rho c_p dT)``."""
        return k.transport_power_ratio(
            self.fan_pressure, self.fan_efficiency, AIR_DENSITY, AIR_SPECIFIC_HEAT, self.delta_t
        )


@dataclass(frozen=True)
class Evaporative:
    """Evaporative (adiabatic) assist on the dry coolers and the outdoor air.

    Parameters
    ----------
    enabled : bool
        Evaporative assist fitted: adiabatic pads pre-cool the dry coolers' air
        and the economiser's outdoor air toward the wet bulb.
    effectiveness : float
        Wet-bulb effectiveness of the pads [1], 0..1.
    cycles_of_concentration : float
        Cycles of concentration of the water [1], > 1; blowdown = evaporation /
        (cycles - 1).
    """

    enabled: bool = False
    effectiveness: float = 0.85
    cycles_of_concentration: float = 3.0

    def __post_init__(self):
        _fraction("evaporative", effectiveness=self.effectiveness)
        if not self.cycles_of_concentration > 1:
            raise ValueError("evaporative: cycles_of_concentration must be > 1")


@dataclass(frozen=True)
class Chiller:
    """Chillers for mechanical cooling: ``"carnot"``, ``"eir"`` or ``"none"``.

    Parameters
    ----------
    model : {"carnot", "eir", "none"}
        The chiller model: a Carnot fraction, EnergyPlus's EIR curves, or no
        chillers (supply temperatures float with the weather).
    carnot_efficiency : float
        Fraction of the Carnot COP [1], > 0.
    evaporator_approach, condenser_approach : float
        Refrigerant temperatures from the leaving fluid and outdoor air [K].
    temp_condensing_min : float
        Head-pressure floor of the condensing temperature [degC].
    cop_reference : float
        EIR reference COP [1], > 0.
    capft, eirft, eirfplr : Curve
        EIR curves (EnergyPlus ``Chiller:Electric:EIR``).
    plr_min : float
        EIR minimum part-load ratio [1], > 0; below it the chiller cycles.
    condenser_offset : float
        EIR condenser entering temperature minus outdoor air [K].
    sizing : float
        Capacity per design heat of the loop it serves [1], > 0.
    """

    model: str = "carnot"
    carnot_efficiency: float = 0.5
    evaporator_approach: float = 4.0
    condenser_approach: float = 12.0
    temp_condensing_min: float = 25.0
    cop_reference: float = 5.89
    capft: Curve = field(default_factory=Curve.constant)
    eirft: Curve = field(default_factory=Curve.constant)
    eirfplr: Curve = field(default_factory=Curve.constant)
    plr_min: float = 0.1
    condenser_offset: float = 5.0
    sizing: float = 1.0

    def __post_init__(self):
        if self.model not in _CHILLER_MODELS:
            raise ValueError(f"chiller: model {self.model!r} is not one of {list(_CHILLER_MODELS)}")
        _positive(
            "chiller", carnot_efficiency=self.carnot_efficiency,
            cop_reference=self.cop_reference, plr_min=self.plr_min, sizing=self.sizing,
        )  # fmt: skip


@dataclass(frozen=True)
class HeatReuse:
    """A heat pump lifting liquid-loop heat to district heating.

    Parameters
    ----------
    demand : float
        Most heat the district network takes [W], >= 0; 0 disables reuse.
    temp_district_supply : float
        District heating supply temperature [degC].
    heat_pump_efficiency : float
        Fraction of the Carnot heating COP [1], > 0.
    approach : float
        Temperature difference in each heat exchanger [K].
    """

    demand: float = 0.0
    temp_district_supply: float = 70.0
    heat_pump_efficiency: float = 0.45
    approach: float = 3.0

    def __post_init__(self):
        if not self.demand >= 0:
            raise ValueError(f"heat_reuse: demand must be >= 0 W, got {self.demand!r}")
        _positive("heat_reuse", heat_pump_efficiency=self.heat_pump_efficiency)


@dataclass(frozen=True)
class CoolingPlant:
    """A cooling plant: how the heat splits and what removes it.

    Parameters
    ----------
    name : str
        Name of the plant (a shipped one's key in ``powermodel/data/cooling.toml``).
    liquid_fraction : float
        Share of the heat to the liquid loop [1]; 0 air-cooled, 1 all liquid.
    liquid : LiquidLoop
        The direct-to-chip liquid loop (defaults from ``powermodel/data/cooling.toml``).
    air : AirLoop
        The CRAH air loop; without an economiser it needs a chiller.
    chiller : Chiller
        The chillers for mechanical cooling.
    evaporative : Evaporative
        The evaporative assist.
    heat_reuse : HeatReuse
        The heat pump to district heating.
    description : str
        Free text describing the plant.
    """

    name: str = "custom"
    liquid_fraction: float = 1.0
    liquid: LiquidLoop = field(default_factory=LiquidLoop)
    air: AirLoop = field(default_factory=AirLoop)
    chiller: Chiller = field(default_factory=Chiller)
    evaporative: Evaporative = field(default_factory=Evaporative)
    heat_reuse: HeatReuse = field(default_factory=HeatReuse)
    description: str = ""

    def __post_init__(self):
        _fraction(f"plant {self.name!r}", liquid_fraction=self.liquid_fraction)
        if self.chiller.model == "none" and self.liquid_fraction < 1 and not self.air.economizer:
            raise ValueError(f"plant {self.name!r}: an air loop without economiser needs a chiller")

    def replace(self, **changes) -> CoolingPlant:
        """A copy with ``changes`` (``dataclasses.replace``).

        Parameters
        ----------
        **changes
            New values of fields, by field name (e.g. ``liquid_fraction=0.8``).

        Returns
        -------
        CoolingPlant
            The new plant, checked as any other.
        """
        return dataclasses.replace(self, **changes)

    @property
    def temp_heat_recovery(self) -> float:
        """Temperature of the recoverable heat, the liquid return [degC]."""
        return self.liquid.temp_supply + self.liquid.delta_t

    def packed(self, design_heat_load: float) -> k.CoolingParameters:
        """The named parameter record ``p`` of :mod:`powermodel.kernels.cooling`.

        Parameters
        ----------
        design_heat_load : float
            Heat load the plant is sized for [W].

        Returns
        -------
        powermodel.kernels.cooling.CoolingParameters
            The plant's parameters as one flat record of floats.
        """
        liquid, air, chiller = self.liquid, self.air, self.chiller
        evaporative, reuse = self.evaporative, self.heat_reuse
        return k.CoolingParameters(
            liquid_fraction=float(self.liquid_fraction),
            design_heat=float(design_heat_load),
            temp_liquid_supply=float(liquid.temp_supply),
            liquid_delta_t=float(liquid.delta_t),
            dry_cooler_approach=float(liquid.dry_cooler_approach),
            dry_cooler_fan_ratio=float(liquid.dry_cooler_fan_power_ratio),
            dry_cooler_exponent=float(liquid.dry_cooler_capacity_exponent),
            dry_cooler_min_speed=float(liquid.dry_cooler_min_speed),
            dry_cooler_air_rise=float(liquid.dry_cooler_air_temp_rise),
            pump_ratio=float(liquid.pump_power_ratio),
            pump_min_flow=float(liquid.pump_min_flow),
            temp_air_supply=float(air.temp_supply),
            air_delta_t=float(air.delta_t),
            crah_fan_ratio=float(air.fan_power_ratio),
            crah_min_flow=float(air.min_flow),
            economizer=float(air.economizer),
            temp_chilled_water=float(air.temp_chilled_water),
            evaporative=float(evaporative.enabled),
            evaporative_effectiveness=float(evaporative.effectiveness),
            cycles_of_concentration=float(evaporative.cycles_of_concentration),
            chiller_model=float(_CHILLER_MODELS[chiller.model]),
            carnot_efficiency=float(chiller.carnot_efficiency),
            carnot_evaporator_approach=float(chiller.evaporator_approach),
            carnot_condenser_approach=float(chiller.condenser_approach),
            temp_condensing_min=float(chiller.temp_condensing_min),
            cop_reference=float(chiller.cop_reference),
            chiller_sizing=float(chiller.sizing),
            plr_min=float(chiller.plr_min),
            eir_condenser_offset=float(chiller.condenser_offset),
            heat_pump_demand=float(reuse.demand),
            temp_district_supply=float(reuse.temp_district_supply),
            heat_pump_efficiency=float(reuse.heat_pump_efficiency),
            heat_pump_approach=float(reuse.approach),
            **_curve_record("capft", chiller.capft),
            **_curve_record("eirft", chiller.eirft),
            **_curve_record("eirfplr", chiller.eirfplr),
        )


def _curve_record(prefix: str, curve) -> dict:
    """The record fields ``{prefix}_c1 .. {prefix}_form`` of an EnergyPlus curve."""
    if curve.form == "exponent":  # the plant kernel evaluates the polynomial forms only
        raise ValueError(f"{prefix}: a chiller curve cannot be a Curve:Exponent")
    return {
        f"{prefix}_{name}": value for name, value in zip(CURVE_FIELDS, curve.packed(), strict=True)
    }


@functools.cache
def _data() -> dict:
    text = resources.files("powermodel.data").joinpath("cooling.toml").read_text("utf-8")
    return tomllib.loads(text)


def _numbers(table: dict) -> dict:
    """A TOML table without its ``*_source`` and ``description`` entries."""
    return {
        key: value
        for key, value in table.items()
        if not key.endswith("_source") and key != "description"
    }


def _chiller(name: str) -> Chiller:
    tables = _data()["chiller"]
    if name not in tables:
        raise KeyError(f"chiller: {name!r} is not one of {sorted(tables)}")
    values = _numbers(tables[name])
    if values["model"] == "eir":
        x_range, y_range = values.pop("temp_leaving_range"), values.pop("temp_condenser_range")
        plr_range = values.pop("plr_range")
        values["capft"] = Curve(tuple(values["capft"]), *x_range, *y_range)
        values["eirft"] = Curve(tuple(values["eirft"]), *x_range, *y_range)
        values["eirfplr"] = Curve.quadratic(*values["eirfplr"], *plr_range)
        values["plr_min"] = plr_range[0]
    return Chiller(**values)


def plants() -> list[str]:
    """Names of the plants shipped in ``powermodel/data/cooling.toml``.

    Returns
    -------
    list of str
        The plant names, sorted.
    """
    return sorted(_data()["plants"])


def plant(name: str) -> CoolingPlant:
    """A shipped cooling plant by name (see :func:`plants`).

    Parameters
    ----------
    name : str
        Name of a shipped plant (:func:`plants`).

    Returns
    -------
    CoolingPlant
        The plant, with its parts' defaults from ``powermodel/data/cooling.toml``.

    Raises
    ------
    KeyError
        Unknown name; the message lists the known ones.
    """
    data = _data()
    if name not in data["plants"]:
        raise KeyError(f"plant: {name!r} is not one of {plants()}")
    entry = dict(data["plants"][name])

    def part(cls, key):
        return cls(**(_numbers(data.get(key, {})) | entry.get(key, {})))

    return CoolingPlant(
        name=name,
        liquid_fraction=float(entry["liquid_fraction"]),
        liquid=part(LiquidLoop, "liquid"),
        air=part(AirLoop, "air"),
        chiller=_chiller(entry.get("chiller", "carnot")),
        evaporative=part(Evaporative, "evaporative"),
        heat_reuse=part(HeatReuse, "heat_reuse"),
        description=entry.get("description", ""),
    )


def _resolve(plant_or_name, liquid_fraction) -> CoolingPlant:
    if isinstance(plant_or_name, str):
        plant_or_name = plant(plant_or_name)
    elif not isinstance(plant_or_name, CoolingPlant):
        raise TypeError(f"plant: expected a name or a CoolingPlant, got {plant_or_name!r}")
    if liquid_fraction is not None:
        plant_or_name = plant_or_name.replace(liquid_fraction=float(liquid_fraction))
    return plant_or_name


def plant_arrays(heat_load, temp_air, temp_wet_bulb, plant, design_heat_load, outputs, backend):
    """:func:`plant_power` on arrays of one shape: the ``outputs`` (kernel outputs or
    ``water_use``) by name.

    The engine of the whole-site chain, which holds its inputs as arrays
    already checked; :func:`plant_power` checks and labels.

    Parameters
    ----------
    heat_load : numpy.ndarray or cupy.ndarray
        Heat the IT equipment and its power chain put into the hall [W].
    temp_air : numpy.ndarray or cupy.ndarray
        Outdoor dry-bulb temperature [degC], the shape of ``heat_load``.
    temp_wet_bulb : numpy.ndarray or cupy.ndarray
        Outdoor wet-bulb temperature [degC], the shape of ``heat_load``; used
        only with evaporative assist.
    plant : CoolingPlant
        The plant.
    design_heat_load : float
        Heat load the plant is sized for [W].
    outputs : sequence of str
        Names of :data:`powermodel.kernels.cooling.OUTPUTS` or ``water_use``.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs; ``"auto"`` picks cupy for cupy input or a
        usable GPU, else numba.

    Returns
    -------
    dict of str to numpy.ndarray
        Each of ``outputs`` by name, the shape of ``heat_load`` (cupy arrays
        on the GPU), in the units of :func:`plant_power`'s variables.
    """
    kernel_outputs = [name for name in specs.COOLING_PLANT.outputs if name in outputs]
    if "water_use" in outputs:
        kernel_outputs += [n for n in ("water_evaporated", "water_blowdown") if n not in outputs]
    columns = run(
        specs.COOLING_PLANT, [heat_load, temp_air, temp_wet_bulb],
        (plant.packed(design_heat_load),), backend=backend, outputs=kernel_outputs,
    )  # fmt: skip
    out = dict(zip(kernel_outputs, columns, strict=True))
    if "water_use" in outputs:
        out["water_use"] = out["water_evaporated"] + out["water_blowdown"]
    return {name: out[name] for name in outputs}


def _outdoor(weather, needs_wet_bulb: bool):
    """Dry-bulb and (when needed) wet-bulb temperature from a weather Dataset."""
    if not isinstance(weather, xr.Dataset):
        raise TypeError(
            "weather: expected an xarray.Dataset (powermodel.climate), "
            f"got {type(weather).__name__}"
        )
    needed = ["temp_air"] + (["relative_humidity"] if needs_wet_bulb else [])
    missing = [name for name in needed if name not in weather]
    if missing:
        raise ValueError(f"weather: missing weather variables {missing}")
    temp_air = operand(weather["temp_air"], "weather.temp_air")
    bad = int(((temp_air < -100) | (temp_air > 60)).sum())
    if bad:
        raise ValueError(f"weather: temp_air has {bad} values outside [-100, 60] degC")
    if not needs_wet_bulb:
        return temp_air, temp_air
    pressure = weather["pressure"] if "pressure" in weather else 101325.0
    air = moist_air(temp_air, weather["relative_humidity"], pressure)
    return temp_air, air["temp_wet_bulb"]


def plant_power(
    heat_load,
    weather,
    plant="hybrid-dry-cooler",
    *,
    design_heat_load=None,
    liquid_fraction=None,
    outputs=None,
    backend="auto",
):
    """Cooling electricity, heat, water and heat reuse of a plant, per time step.

    Parameters
    ----------
    heat_load : xarray.DataArray
        Heat the IT equipment and its power chain put into the hall [W]:
        all of their electricity (e.g. ``power_total`` of
        :func:`powermodel.rack.facility_power`). Any dims but ``rack`` (sum
        over racks first); sets the output dtype.
    weather : xarray.Dataset
        ``temp_air`` [degC]; with evaporative assist also
        ``relative_humidity`` [%] and optionally ``pressure`` [Pa]
        (:mod:`powermodel.climate`). Broadcast against ``heat_load``.
    plant : str or CoolingPlant
        A shipped plant name (:func:`plants`) or a plant object.
    design_heat_load : float, optional
        Heat load the plant is sized for [W]: fans and pumps reach design
        flow and chillers full capacity at it. Default: the largest value of
        ``heat_load``.
    liquid_fraction : float, optional
        Override of the plant's liquid share of the heat, e.g. the rack
        system's ``heat_to_liquid`` (:mod:`powermodel.catalog`).
    outputs : sequence of str, optional
        Only these variables (names of the Returns below): the kernel then
        writes no others, which saves memory and time (measured 7x faster for
        the five outputs of a site's balance). That kernel is another
        compilation: its values may differ from the full call's in the last
        bit.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    xarray.Dataset
        The variables of :data:`powermodel.kernels.cooling.OUTPUTS` plus
        ``water_use`` (evaporation + blowdown) [kg s-1] and the 0-d
        ``temp_heat_recovery`` [degC], with units (or those of ``outputs``).
        Energy balance per step: ``heat_load + power_cooling = heat_rejected
        + heat_recovered``.

    Raises
    ------
    ValueError
        Missing weather variables, humidity outside [0, 100] %, an irregular
        time axis, negative heat load or a ``rack`` dim.
    """
    plant = _resolve(plant, liquid_fraction)
    heat = operand(heat_load, "heat_load")
    if "rack" in heat.dims:
        raise ValueError("heat_load: has a 'rack' dim; sum over racks (rack.facility_power) first")
    negative = int((heat < 0).sum())
    if negative:
        raise ValueError(f"heat_load: {negative} values below 0 W")
    temp_air, temp_wet_bulb = _outdoor(weather, plant.evaporative.enabled)
    if design_heat_load is None:
        design_heat_load = float(heat.max(skipna=True))
    design_heat_load = float(design_heat_load)
    if not (np.isfinite(design_heat_load) and design_heat_load > 0):
        raise ValueError(
            f"design_heat_load: must be a positive number of W, got {design_heat_load!r}"
        )
    extra = ("water_use", "temp_heat_recovery")
    wanted = (*specs.COOLING_PLANT.outputs, *extra) if outputs is None else tuple(outputs)
    unknown = [name for name in wanted if name not in (*specs.COOLING_PLANT.outputs, *extra)]
    if unknown:
        raise ValueError(f"outputs: {unknown} are not outputs of plant_power")
    try:
        heat, temp_air, temp_wet_bulb = xr.broadcast(
            *xr.align(heat, temp_air, temp_wet_bulb, join="exact")
        )
    except ValueError as error:
        raise ValueError(f"inputs: coordinates do not align ({error})") from None
    arrays = plant_arrays(
        heat.data, temp_air.data, temp_wet_bulb.data, plant, design_heat_load,
        [name for name in wanted if name != "temp_heat_recovery"], backend,
    )  # fmt: skip
    result = xr.Dataset({name: heat.copy(deep=False, data=a) for name, a in arrays.items()})
    if "temp_heat_recovery" in wanted:
        result["temp_heat_recovery"] = xr.DataArray(plant.temp_heat_recovery)
    result = result[list(wanted)]
    result.attrs.update(plant=plant.name, design_heat_load=design_heat_load)
    return label(result)


def supply_air_temperature(weather, plant="hybrid-dry-cooler", *, backend="auto"):
    """Air temperature the plant supplies to the racks [degC].

    The inlet temperature for :func:`powermodel.ite.ite_air_cooled`: the set
    point, or, in plants without chillers, the (evaporatively cooled)
    outdoor air when it is warmer. Independent of the heat load, so that
    racks and plant need no iteration (module docstring).

    Parameters
    ----------
    weather : xarray.Dataset
        ``temp_air`` [degC]; with evaporative assist also
        ``relative_humidity`` [%] and optionally ``pressure`` [Pa]
        (:mod:`powermodel.climate`).
    plant : str or CoolingPlant
        A shipped plant name (:func:`plants`) or a plant object.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs; ``"auto"`` picks cupy for cupy input or a
        usable GPU, else numba.

    Returns
    -------
    xarray.DataArray
        Supply air temperature [degC], on the dims of ``weather.temp_air``.
    """
    plant = _resolve(plant, None)
    temp_air, temp_wet_bulb = _outdoor(weather, plant.evaporative.enabled)
    result = elementwise(
        [temp_air, temp_wet_bulb],
        specs.SUPPLY_AIR_TEMPERATURE,
        backend,
        parameters=plant.packed(1.0),
    )
    return result["temp_supply_air"]


def _power(value, name: str) -> xr.DataArray:
    """A power DataArray [W] with a valid time axis and no negative values."""
    da = as_float_dataarray(value, name)
    negative = int((da < 0).sum())
    if negative:
        raise ValueError(f"{name}: {negative} values below 0 W")
    return da


def annual_pue(power_it, power_facility, dim="time"):
    """Energy-weighted power usage effectiveness over ``dim`` [1].

    ``PUE = E_facility / E_IT`` with both energies summed over the period,
    not the mean of hourly ratios (The Green Grid, PUE: a comprehensive
    examination of the metric, 2012). A NaN step in either power makes the
    PUE NaN (:func:`powermodel.timegrid.time_sum`).

    Parameters
    ----------
    power_it : xarray.DataArray
        IT equipment power, the PUE denominator [W], >= 0.
    power_facility : xarray.DataArray
        All electricity of the site [W], >= 0.
    dim : str
        The time dim summed over.

    Returns
    -------
    xarray.DataArray
        PUE [1], without ``dim``.
    """
    power_it = _power(power_it, "power_it")
    power_facility = _power(power_facility, "power_facility")
    return energy(power_facility, dim) / energy(power_it, dim)


def facility_totals(
    power_it, power_facility, power_cooling, heat_recovered, water_use, *, dim="time"
) -> xr.Dataset:
    """Period totals and ratios of a facility: the one place PUE, WUE and reuse are computed.

    Parameters
    ----------
    power_it : xarray.DataArray
        IT equipment power, the PUE denominator [W].
    power_facility : xarray.DataArray
        All electricity of the site [W].
    power_cooling : xarray.DataArray
        Cooling plant electricity [W].
    heat_recovered : xarray.DataArray
        Heat delivered for reuse [W].
    water_use : xarray.DataArray
        Site water use, evaporation plus blowdown [kg s-1].
    dim : str
        The time dim summed over.

    Returns
    -------
    xarray.Dataset
        ``energy_it``, ``energy_facility``, ``energy_cooling``,
        ``heat_recovered_energy`` [J], ``water_use_total`` [L],
        ``pue = E_facility / E_IT`` [1] (The Green Grid 2012), ``wue``
        [L kWh-1] (site water per IT energy, The Green Grid WUE, 2011) and
        ``energy_reuse_factor`` (reused heat per facility energy, The Green
        Grid ERF, 2010) [1]. Every total is NaN for a scenario with a NaN
        step (:func:`powermodel.timegrid.time_sum`).
    """
    power_it, power_facility, power_cooling, heat_recovered = (
        _power(value, name) for value, name in [
            (power_it, "power_it"), (power_facility, "power_facility"),
            (power_cooling, "power_cooling"), (heat_recovered, "heat_recovered"),
        ]
    )  # fmt: skip
    water_use = as_float_dataarray(water_use, "water_use")
    if dim not in power_it.dims:
        raise ValueError(f"power_it: has no {dim!r} dimension (dims {tuple(power_it.dims)})")
    for da in (power_it, power_facility, power_cooling, heat_recovered):
        if da.attrs.get("units", "W") != "W":  # energy()'s check
            raise ValueError(f"power: {da.name} has units {da.attrs['units']!r}, expected 'W'")
    step = time_step(power_it[dim]).total_seconds()
    powers = xr.broadcast(*xr.align(power_it, power_facility, power_cooling, heat_recovered,
                                    water_use))  # fmt: skip
    moved = [da.transpose(..., dim) for da in powers]
    totals = totals_arrays(*(da.values for da in moved), step)
    out = xr.Dataset({name: _reduced(moved[0], v, {}) for name, v in totals.items()})
    return label(out)


def totals_arrays(power_it, power_facility, power_cooling, heat_recovered, water_use, step):
    """:func:`facility_totals` on arrays with time last, step [s]: its totals by name.

    Parameters
    ----------
    power_it, power_facility, power_cooling, heat_recovered : numpy.ndarray
        IT equipment power, all electricity of the site, cooling plant
        electricity and heat delivered for reuse [W], time last.
    water_use : numpy.ndarray
        Site water use, evaporation plus blowdown [kg s-1], time last.
    step : float
        Length of a time step [s].

    Returns
    -------
    dict of str to numpy.ndarray
        The variables of :func:`facility_totals` by name, in its units, with
        the time axis summed away.
    """
    e_it = row_sum(power_it) * step
    e_facility = row_sum(power_facility) * step
    e_recovered = row_sum(heat_recovered) * step
    water = row_sum(water_use * step)  # kg == L
    return {
        "energy_it": e_it,
        "energy_facility": e_facility,
        "energy_cooling": row_sum(power_cooling) * step,
        "heat_recovered_energy": e_recovered,
        "water_use_total": water,
        "pue": e_facility / e_it,
        "wue": water / (e_it / 3.6e6),
        "energy_reuse_factor": e_recovered / e_facility,
    }


def summarize(plant_output, power_it, power_total=None, *, dim="time"):
    """Period totals and ratios of a :func:`plant_power` result.

    Parameters
    ----------
    plant_output : xarray.Dataset
        From :func:`plant_power`.
    power_it : xarray.DataArray
        IT equipment power, the PUE denominator [W] (for racks from
        :func:`powermodel.rack.facility_power`: ``power_total - loss_ups``).
    power_total : xarray.DataArray, optional
        Electricity of IT equipment and power chain [W] (the heat load);
        default ``power_it``.
    dim : str
        The time dim summed over.

    Returns
    -------
    xarray.Dataset
        ``pue_hourly`` (per step), ``pue`` (energy-weighted), ``wue``
        [L kWh-1] (site water per IT energy, The Green Grid 2011),
        ``energy_it``, ``energy_cooling``, ``heat_recovered_energy`` [J],
        ``water_use_total`` [L], ``free_cooling_hours`` (steps with no
        mechanical cooling) and ``partial_free_cooling_hours`` [h], and
        ``energy_reuse_factor`` (reused heat per facility energy) [1]; the
        totals and ratios from :func:`facility_totals`, NaN for a scenario
        with a NaN step.
    """
    power_it = _power(power_it, "power_it")
    power_total = power_it if power_total is None else _power(power_total, "power_total")
    facility = power_total + plant_output["power_cooling"]
    free = plant_output["free_cooling_fraction"]
    totals = facility_totals(
        power_it, facility, plant_output["power_cooling"], plant_output["heat_recovered"],
        plant_output["water_use"], dim=dim,
    )  # fmt: skip
    known = free.notnull()
    out = xr.Dataset(
        {
            "pue_hourly": facility / power_it,
            "pue": totals["pue"],
            "wue": totals["wue"],
            "energy_it": totals["energy_it"],
            "energy_cooling": totals["energy_cooling"],
            "heat_recovered_energy": totals["heat_recovered_energy"],
            "water_use_total": totals["water_use_total"],
            "free_cooling_hours": hours_where(free >= 1.0, known, dim),
            "partial_free_cooling_hours": hours_where((free > 0.0) & (free < 1.0), known, dim),
            "energy_reuse_factor": totals["energy_reuse_factor"],
        }
    )
    return label(out)
