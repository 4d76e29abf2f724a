"""One registry of the variables powermodel reads and writes.

Each entry gives the CF/UDUNITS ``units``, a ``long_name`` and, where it has
one, the valid range. The API layer uses it to label outputs
(:func:`attrs`, :func:`attrs_over_time`) and to check inputs against the
valid range (:func:`valid_range`: utilisation in the rack, ITE and swing
models, the weather's temperature, humidity and pressure in
:func:`powermodel.climate.validate_weather`).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["VARIABLES", "Variable", "attrs", "attrs_over_time", "valid_range"]


@dataclass(frozen=True)
class Variable:
    """A physical variable: units, description and valid range."""

    units: str
    long_name: str
    valid_min: float | None = None
    valid_max: float | None = None


VARIABLES: dict[str, Variable] = {
    # inputs
    "utilization": Variable("1", "utilisation of the IT equipment", 0.0, 1.0),
    "temp_inlet": Variable("degC", "IT equipment air inlet dry-bulb temperature"),
    "temp_supply": Variable("degC", "supply air dry-bulb temperature"),
    "temp_zone": Variable("degC", "zone air dry-bulb temperature"),
    # rack power
    "power_server": Variable("W", "server input power"),
    "power_it": Variable("W", "IT power delivered to chips, memory and boards (DC)"),
    "power_fan": Variable("W", "IT equipment fan power"),
    "loss_psu": Variable("W", "power supply unit conversion loss"),
    "loss_ups": Variable("W", "UPS and power distribution loss"),
    "power_total": Variable(
        "W", "total electric power drawn by the IT equipment and its power chain"
    ),
    # EnergyPlus ElectricEquipment:ITE:AirCooled outputs
    "power_cpu": Variable("W", "ITE CPU electricity rate"),
    "power_ups": Variable("W", "ITE UPS electricity rate (electric power supply loss)"),
    "power_cpu_design_inlet": Variable("W", "ITE CPU electricity rate at design inlet conditions"),
    "power_fan_design_inlet": Variable("W", "ITE fan electricity rate at design inlet conditions"),
    "ups_heat_to_zone": Variable("W", "ITE UPS heat gain to zone"),
    "air_volume_flow": Variable("m3 s-1", "ITE air volume flow rate at inlet conditions"),
    "air_volume_flow_standard": Variable("m3 s-1", "ITE standard density air volume flow rate"),
    "air_mass_flow": Variable("kg s-1", "ITE air mass flow rate"),
    "temp_outlet": Variable("degC", "ITE air outlet dry-bulb temperature"),
    "temp_return": Variable(
        "degC", "ITE return air dry-bulb temperature (outlet + return approach)"
    ),
    "supply_heat_index": Variable("1", "ITE supply heat index"),
    # weather and psychrometrics
    # weather ranges: beyond the records of Earth's surface (-89.2 and 56.7 degC, WMO
    # archive) and the barometric pressure of a site between about -400 m and 9 km
    "temp_air": Variable("degC", "outdoor air dry-bulb temperature", -100.0, 60.0),
    "pressure": Variable("Pa", "barometric pressure", 30e3, 110e3),
    "relative_humidity": Variable("%", "relative humidity", 0.0, 100.0),
    "vapor_pressure": Variable("Pa", "partial pressure of water vapour"),
    "humidity_ratio": Variable("kg kg-1", "humidity ratio (water vapour per dry air)"),
    "temp_dew": Variable("degC", "dew-point temperature"),
    "temp_wet_bulb": Variable("degC", "thermodynamic wet-bulb temperature"),
    "enthalpy": Variable("J kg-1", "specific enthalpy of moist air per dry air"),
    "air_density": Variable("kg m-3", "moist air density"),
    # cooling plant
    "power_crah_fan": Variable("W", "CRAH (computer room air handler) fan power"),
    "power_dry_cooler_fan": Variable("W", "dry-cooler fan power"),
    "power_pump": Variable("W", "liquid-loop pump power"),
    "power_chiller": Variable("W", "chiller electric power"),
    "power_cooling": Variable("W", "cooling plant electric power (fans, pumps, chillers)"),
    "heat_mechanical": Variable("W", "heat removed by chillers (mechanical cooling)"),
    "free_cooling_fraction": Variable("1", "share of the heat removed without chillers", 0.0, 1.0),
    "heat_rejected": Variable("W", "heat rejected to the outdoor air"),
    "heat_liquid": Variable("W", "heat the racks reject to the liquid loop"),
    "water_evaporated": Variable("kg s-1", "water evaporated by evaporative assist"),
    "water_blowdown": Variable("kg s-1", "blowdown water of evaporative assist"),
    "water_use": Variable("kg s-1", "site water use (evaporation plus blowdown)"),
    "heat_recovered": Variable("W", "waste heat taken by the heat pump from the liquid loop"),
    "heat_reuse_delivered": Variable("W", "heat delivered to district heating by the heat pump"),
    "power_heat_pump": Variable("W", "heat pump electric power (not part of PUE)"),
    "temp_liquid_supply": Variable("degC", "facility water supply temperature"),
    "temp_supply_air": Variable("degC", "supply air temperature to the IT equipment"),
    "temp_heat_recovery": Variable("degC", "temperature of the recoverable heat (liquid return)"),
    # period summaries
    "pue_hourly": Variable("1", "power usage effectiveness of each time step"),
    "pue": Variable("1", "power usage effectiveness, energy-weighted over the period"),
    "wue": Variable("L kWh-1", "water usage effectiveness (site water per IT energy)"),
    "energy_it": Variable("J", "IT equipment energy"),
    "energy_cooling": Variable("J", "cooling plant electric energy"),
    "heat_recovered_energy": Variable("J", "waste heat recovered for reuse"),
    "heat_liquid_energy": Variable(
        "J", "waste heat captured by the liquid loop, available for reuse at its return temperature"
    ),
    "water_use_total": Variable("L", "site water use over the period"),
    "energy_auxiliaries": Variable(
        "J", "energy of the facility's auxiliaries (transformers' no-load losses, lighting, ...)"
    ),
    "pue_without_auxiliaries": Variable(
        "1", "PUE counting only IT, its power chain and cooling (no auxiliaries)"
    ),
    # facility auxiliaries (powermodel.auxiliaries)
    "in_service": Variable("1", "1 where the site is energised (any rack in service)", 0.0, 1.0),
    "power_transformer_no_load": Variable("W", "no-load (core) losses of the MV/LV transformers"),
    "power_lighting": Variable("W", "lighting of the halls and technical rooms"),
    "power_building": Variable("W", "offices, building management, security and fire systems"),
    "power_humidification": Variable("W", "humidity control"),
    "power_cdu_pumps": Variable("W", "secondary pumps of the coolant distribution units"),
    "power_auxiliaries": Variable(
        "W", "facility auxiliaries outside the IT power chain and the cooling plant"
    ),
    "missing_hours": Variable(
        "h", "hours with no facility power (NaN input such as a weather gap); totals are NaN"
    ),
    "free_cooling_hours": Variable("h", "time with no mechanical cooling"),
    "partial_free_cooling_hours": Variable("h", "time with free cooling and mechanical trim"),
    "energy_reuse_factor": Variable("1", "reused heat per facility energy (ERF)"),
    # hydro
    "inflow": Variable("W", "reservoir inflow (energy equivalent)"),
    "storage": Variable("J", "reservoir storage at the end of the step"),
    "release": Variable("W", "reservoir release through the turbines"),
    "spill": Variable("W", "reservoir spill"),
    "generation": Variable("W", "hydro generation"),
    "imports": Variable("W", "imports through the interconnector"),
    "exports": Variable("W", "exports through the interconnector"),
    "shortfall": Variable("W", "demand neither generated nor imported"),
    "surplus": Variable("W", "generation neither used nor exported"),
    "filling": Variable("1", "reservoir filling, storage / capacity", 0.0, 1.0),
    # bidding zone
    "zone_demand": Variable("W", "electricity demand of the zone, including the site"),
    "run_of_river": Variable("W", "run-of-river generation"),
    "spill_run_of_river": Variable("W", "unregulated inflow above the run-of-river capacity"),
    "reservoir_inflow": Variable("W", "inflow to the regulated reservoirs (energy equivalent)"),
    "net_demand": Variable("W", "zone demand less run-of-river and must-run generation"),
    "must_run": Variable("W", "other must-run generation (wind, thermal)"),
    "rationing": Variable("1", "share of every load the zone sheds", 0.0, 1.0),
    "price": Variable("NOK MWh-1", "electricity price proxy from the water value"),
    # water values (powermodel.water)
    "value": Variable("currency", "expected trade value of the rest of the horizon"),
    "water_value": Variable("currency MWh-1", "water value, marginal value of stored energy"),
    "carbon_intensity_location": Variable(
        "g kWh-1", "carbon intensity of the zone's supplied mix (location-based)"
    ),
    "carbon_intensity_production": Variable(
        "g kWh-1", "carbon intensity of the zone's own generation (production-based)"
    ),
    "carbon_import": Variable("g kWh-1", "carbon intensity of the zone's imports"),
    "carbon_intensity_market": Variable(
        "g kWh-1", "residual-mix carbon intensity without guarantees of origin (market-based)"
    ),
    # the site's grid connection
    "grid_capacity": Variable("W", "contracted grid connection capacity"),
    "served": Variable("W", "site demand served through the grid connection"),
    "over_contract": Variable("W", "site demand above the contracted capacity"),
    "curtailed": Variable("W", "site demand within the contract that the zone could not serve"),
    "unserved": Variable("W", "site demand not served (over contract plus curtailed)"),
    "energy_served": Variable("J", "site energy served through the grid connection"),
    "energy_unserved": Variable("J", "site energy not served"),
    "energy_curtailed": Variable("J", "site energy within the contract the zone could not serve"),
    "energy_over_contract": Variable("J", "site energy above the contracted capacity"),
    "unserved_hours": Variable("h", "time with unserved site demand"),
    "curtailed_hours": Variable("h", "time with site demand curtailed by the zone"),
    "over_contract_hours": Variable("h", "time with site demand above the contracted capacity"),
    # the whole site
    "power_it_equipment": Variable(
        "W", "power at the IT equipment's input (racks: PSUs, fans, chips), the PUE denominator"
    ),
    "power_facility": Variable("W", "facility power: IT, power chain and cooling"),
    "energy_facility": Variable("J", "facility electric energy"),
    "peak_facility": Variable("W", "peak facility power"),
    "peak_within_step": Variable(
        "W", "peak facility power within a step: training swings of all jobs in phase"
    ),
    "peak_within_step_unmitigated": Variable(
        "W", "peak facility power within a step without swing mitigation"
    ),
    "trough_within_step": Variable("W", "lowest facility power within a step (jobs in phase)"),
    "ramp_rate_max": Variable("W s-1", "steepest ramp of the training power swings (in phase)"),
    "ramp_rate_max_unmitigated": Variable(
        "W s-1", "steepest ramp of the training power swings without mitigation"
    ),
    "floor_energy": Variable("J", "extra energy drawn by the GPU power floor"),
    # sub-hourly training power swings (powermodel.swing.swing_metrics)
    "utilization_compute": Variable("1", "utilisation during the compute phase of an iteration"),
    "utilization_communication": Variable(
        "1", "utilisation during the communication phase of an iteration"
    ),
    "power_mean": Variable("W", "mean grid-side power of the rack group over the step"),
    "power_max": Variable("W", "within-step maximum grid-side power of the rack group, mitigated"),
    "power_min": Variable("W", "within-step minimum grid-side power of the rack group, mitigated"),
    "ramp_rate": Variable("W s-1", "grid-side ramp rate of the training power swing, mitigated"),
    "power_max_unmitigated": Variable("W", "within-step maximum grid-side power of the rack group"),
    "power_min_unmitigated": Variable("W", "within-step minimum grid-side power of the rack group"),
    "ramp_rate_unmitigated": Variable("W s-1", "grid-side ramp rate of the training power swing"),
    "floor_power": Variable("W", "mean extra power drawn by the GPU power floor"),
    "storage_energy": Variable("J", "energy discharged by rack storage per training iteration"),
    "storage_sufficient": Variable("1", "rack storage flattens the whole iteration swing"),
    # the same summed over a fleet entry's groups (powermodel.fleet.entry_power): jobs in phase
    "swing_power_max": Variable("W", "within-step maximum grid-side power of the racks, mitigated"),
    "swing_power_min": Variable("W", "within-step minimum grid-side power of the racks, mitigated"),
    "swing_ramp_rate": Variable("W s-1", "grid-side ramp rate of the racks' swings, mitigated"),
    "swing_power_max_unmitigated": Variable(
        "W", "within-step maximum grid-side power of the racks"
    ),
    "swing_ramp_rate_unmitigated": Variable("W s-1", "grid-side ramp rate of the racks' swings"),
    "swing_floor_energy": Variable("J", "extra energy drawn by the GPU power floor in the step"),
    # time integrals
    "energy_total": Variable("J", "electric energy drawn by the IT equipment and its power chain"),
}


def attrs(name: str) -> dict[str, object]:
    """The ``units`` and ``long_name`` attributes of variable ``name``."""
    try:
        variable = VARIABLES[name]
    except KeyError:
        raise KeyError(f"name: {name!r} is not a registered variable") from None
    return {"units": variable.units, "long_name": variable.long_name}


def attrs_over_time(name: str, statistic: str) -> dict[str, object]:
    """Attributes of a period ``statistic`` (``"maximum"``, ``"sum"``...) of ``name``.

    The units are the variable's; the long name says what was taken over
    time, e.g. ``"maximum over time of within-step maximum ..."``.
    """
    variable = attrs(name)
    return {
        "units": variable["units"],
        "long_name": f"{statistic} over time of {variable['long_name']}",
    }


def valid_range(name: str) -> tuple[float, float]:
    """The registered ``(valid_min, valid_max)`` of ``name``, -inf/inf where open."""
    attrs(name)  # a clear KeyError for an unregistered name
    variable = VARIABLES[name]
    low = float("-inf") if variable.valid_min is None else variable.valid_min
    high = float("inf") if variable.valid_max is None else variable.valid_max
    return low, high
