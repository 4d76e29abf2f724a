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
    """A physical variable: units, description and valid range.

    Parameters
    ----------
    units : str
        CF/UDUNITS units, e.g. ``"W"``, ``"degC"``, ``"1"`` for a share.
    long_name : str
        What the variable is, for the ``long_name`` attribute.
    valid_min, valid_max : float, optional
        The valid range, in ``units``; None where it is open.
    """

    units: str
    long_name: str
    valid_min: float | None = None
    valid_max: float | None = None


#: Every variable by name: its units, long name and valid range.
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
    # conditional (firm and non-firm) connections (powermodel.grid)
    "grid_capacity_firm": Variable("W", "firm part of the grid connection's capacity"),
    "grid_capacity_non_firm": Variable(
        "W", "non-firm part of the grid connection's capacity (curtailable by the operator)"
    ),
    "non_firm_curtailment": Variable(
        "1", "share of the non-firm capacity the grid operator curtails", 0.0, 1.0
    ),
    "grid_available": Variable("W", "grid capacity available: firm plus uncurtailed non-firm"),
    "grid_stress": Variable("1", "zone stress index driving non-firm curtailment"),
    "non_firm_curtailment_hours": Variable("h", "time with the non-firm capacity curtailed"),
    "energy_non_firm_curtailed": Variable(
        "J", "site energy within the contract cut because the non-firm part was curtailed"
    ),
    "over_available_hours": Variable("h", "time with site demand above the available capacity"),
    "energy_over_available": Variable("J", "site energy above the available capacity"),
    "over_available_hours_battery": Variable(
        "h", "time with grid draw above the available capacity, after the site battery"
    ),
    "energy_over_available_battery": Variable(
        "J", "site energy above the available capacity, after the site battery"
    ),
    "energy_closed_by_battery": Variable(
        "J", "site energy above the available capacity that the site battery serves"
    ),
    # the site battery (powermodel.battery)
    "grid_draw": Variable("W", "power drawn through the grid connection, after the site battery"),
    "battery_charge": Variable("W", "site battery charging power, drawn from the grid"),
    "battery_discharge": Variable("W", "site battery discharging power, served to the site"),
    "battery_energy": Variable("J", "energy stored in the site battery at the end of the step"),
    "battery_soc": Variable("1", "site battery state of charge, stored over rated energy", 0, 1),
    "battery_loss": Variable("W", "site battery conversion and standing losses"),
    "over_limit": Variable("W", "grid draw above the grid limit, after the site battery"),
    "over_limit_unmitigated": Variable("W", "site demand above the grid limit, with no battery"),
    "price_cheap": Variable("currency MWh-1", "price below which the battery charges to trade"),
    "price_dear": Variable("currency MWh-1", "price above which the battery discharges to trade"),
    "energy_over_limit": Variable("J", "grid energy above the grid limit, after the battery"),
    "energy_over_limit_unmitigated": Variable("J", "site energy above the grid limit, no battery"),
    "over_limit_hours": Variable("h", "time with grid draw above the grid limit, with battery"),
    "over_limit_hours_unmitigated": Variable(
        "h", "time with site demand above the grid limit, with no battery"
    ),
    "energy_battery_charge": Variable("J", "energy charged into the site battery from the grid"),
    "energy_battery_discharge": Variable("J", "energy the site battery served to the site"),
    "energy_battery_loss": Variable("J", "site battery conversion and standing losses"),
    "battery_cycles": Variable("1", "equivalent full cycles: discharged over usable energy"),
    "battery_power_rating": Variable("W", "site battery power rating"),
    "battery_energy_rating": Variable("J", "site battery energy rating"),
    "over_limit_probability": Variable(
        "1", "share of scenarios with any step above the grid limit, with the battery"
    ),
    "over_limit_probability_unmitigated": Variable(
        "1", "share of scenarios with any step above the grid limit, with no battery"
    ),
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
    # swings in the frequency domain (powermodel.spectrum.scenario_compliance)
    "swing_worst_step": Variable("W", "largest within-step training power swing (peak - trough)"),
    "oscillation_amplitude": Variable(
        "W", "amplitude of the training power oscillation in the band, at the worst step"
    ),
    "ramp_rate_steepest": Variable("W s-1", "steepest ramp of the grid draw at the worst step"),
    "dynamic_range": Variable("W", "range (max - min) of the grid draw at the worst step"),
    "band_limit_held": Variable("1", "oscillation amplitude within the band's limit (1 yes, 0 no)"),
    "ramp_limit_held": Variable("1", "steepest ramp within the ramp-rate limit (1 yes, 0 no)"),
    "range_limit_held": Variable("1", "dynamic range within its limit (1 yes, 0 no)"),
    "limits_held": Variable("1", "every checked swing limit held (1 yes, 0 no)"),
    "mitigation_energy": Variable(
        "J", "energy the swing mitigation burns or loses over the simulated steps"
    ),
    "mitigation_energy_annual": Variable(
        "J year-1", "energy the swing mitigation burns or loses, per year"
    ),
    # hourly matching with carbon-free contracts (powermodel.matching)
    "carbon_free_fraction": Variable(
        "1", "carbon-free share of the zone's supplied mix (hydro, wind)", 0.0, 1.0
    ),
    "cfe_score": Variable(
        "1", "24/7 carbon-free energy score: contract matched hourly plus the grid's CFE share"
    ),
    "matched_share_hourly": Variable("1", "share of the load matched hour by hour by the PPA"),
    "matched_share_annual": Variable(
        "1", "share of the load matched volumetrically over the period by the PPA and GOs"
    ),
    "power_matched": Variable("W", "load matched in its own step by the PPA"),
    "power_grid_cfe": Variable("W", "load not matched by the PPA, served by the grid's CFE share"),
    "power_not_cfe": Variable("W", "load served by neither the PPA nor carbon-free grid supply"),
    "energy_load": Variable("J", "site energy taken from the grid connection (the load matched)"),
    "energy_contract": Variable("J", "contracted carbon-free energy (PPA generation plus GOs)"),
    "energy_matched_hourly": Variable("J", "load energy matched hour by hour by the PPA"),
    "energy_matched_annual": Variable("J", "load energy matched volumetrically (PPA and GOs)"),
    "energy_contract_surplus": Variable("J", "PPA energy beyond the load of its own step"),
    "emissions_location": Variable("kg", "CO2e emissions of the load, location-based"),
    "emissions_market": Variable(
        "kg", "CO2e emissions, market-based: unmatched (annual) energy at the residual mix"
    ),
    "emissions_market_hourly": Variable(
        "kg", "CO2e emissions, market-based with hourly matching: unmatched energy at residual mix"
    ),
    # EU Energy Efficiency Directive indicators (powermodel.reporting)
    "renewable_energy_factor": Variable(
        "1", "renewable energy factor (REF): contracted renewable energy per facility energy"
    ),
    "energy_renewable": Variable(
        "J", "renewable energy counted for the REF (PPA and GOs, capped at facility energy)"
    ),
    "energy_reused": Variable("J", "waste heat reused outside the data centre (ERF numerator)"),
    # time integrals
    "energy_total": Variable("J", "electric energy drawn by the IT equipment and its power chain"),
    # swings against the site's [swing] limits (powermodel.simulate, powermodel.spectrum)
    "swing_band_low": Variable("W", "oscillation amplitude of the worst step, 0.1-1 Hz"),
    "swing_band_high": Variable("W", "oscillation amplitude of the worst step, 1-20 Hz"),
    "swing_ramp_steepest": Variable("W s-1", "steepest ramp of the worst step's swing"),
    "swing_dynamic_range": Variable("W", "max - min of the worst step's swing"),
    "swing_limits_held": Variable("1", "1 if every [swing] limit held, 0 if one broke"),
    "swing_band_low_mitigated": Variable("W", "oscillation amplitude, 0.1-1 Hz, mitigated"),
    "swing_band_high_mitigated": Variable("W", "oscillation amplitude, 1-20 Hz, mitigated"),
    "swing_ramp_steepest_mitigated": Variable("W s-1", "steepest ramp of the swing, mitigated"),
    "swing_dynamic_range_mitigated": Variable("W", "max - min of the swing, mitigated"),
    "swing_limits_held_mitigated": Variable("1", "1 if every [swing] limit held, mitigated"),
    "swing_mitigation_energy": Variable("J", "energy the [swing] mitigation burns or loses"),
    # shiftable load (powermodel.flexibility)
    "power_shifted": Variable("W", "load with its deferrable share moved within its deadline"),
    "energy_shifted": Variable("J", "deferrable energy moved to other steps of its window"),
    "energy_deadline_missed": Variable("J", "deferrable energy its window could not take"),
    "deadlines_held": Variable("1", "share of deadline windows whose deferrable energy was placed"),
    "cost_saved": Variable("currency", "energy cost saved by shifting deferrable load"),
    "emissions_saved_location": Variable(
        "kg", "CO2e saved by shifting deferrable load (location-based average intensity)"
    ),
    "emissions_saved_production": Variable(
        "kg", "CO2e saved by shifting deferrable load (production-based intensity)"
    ),
    "emissions_saved_marginal": Variable(
        "kg", "CO2e saved by shifting deferrable load (marginal intensity: the imports' mix)"
    ),
}


def attrs(name: str) -> dict[str, object]:
    """The ``units`` and ``long_name`` attributes of variable ``name``.

    Parameters
    ----------
    name : str
        A key of :data:`VARIABLES`; an unregistered name raises ``KeyError``.

    Returns
    -------
    dict of str to object
        ``{"units": ..., "long_name": ...}``.
    """
    try:
        variable = VARIABLES[name]
    except KeyError:
        raise KeyError(f"name: {name!r} is not a registered variable") from None
    return {"units": variable.units, "long_name": variable.long_name}


def attrs_over_time(name: str, statistic: str) -> dict[str, object]:
    """Attributes of a period ``statistic`` (``"maximum"``, ``"sum"``...) of ``name``.

    The units are the variable's; the long name says what was taken over
    time, e.g. ``"maximum over time of within-step maximum ..."``.

    Parameters
    ----------
    name : str
        A key of :data:`VARIABLES`.
    statistic : str
        What was taken over time, e.g. ``"maximum"``; starts the long name.

    Returns
    -------
    dict of str to object
        ``{"units": ..., "long_name": ...}``.
    """
    variable = attrs(name)
    return {
        "units": variable["units"],
        "long_name": f"{statistic} over time of {variable['long_name']}",
    }


def valid_range(name: str) -> tuple[float, float]:
    """The registered ``(valid_min, valid_max)`` of ``name``, -inf/inf where open.

    Parameters
    ----------
    name : str
        A key of :data:`VARIABLES`.

    Returns
    -------
    tuple of float
        ``(low, high)`` in the variable's units.
    """
    attrs(name)  # a clear KeyError for an unregistered name
    variable = VARIABLES[name]
    low = float("-inf") if variable.valid_min is None else variable.valid_min
    high = float("inf") if variable.valid_max is None else variable.valid_max
    return low, high
