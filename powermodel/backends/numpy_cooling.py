"""Cooling plant in plain numpy, float64: the reference the tests trust.

The equations of :mod:`powermodel.kernels.cooling` restated on whole arrays,
written for reading rather than speed.
"""

from __future__ import annotations

import numpy as np

from powermodel.backends.numpy_ite import curve_value
from powermodel.kernels import cooling as k
from powermodel.kernels.constants import KELVIN, LATENT_HEAT_WATER
from powermodel.kernels.ite import curve_of

__all__ = ["cooling_plant", "supply_air_temperature"]


def _affinity(design_power, flow_fraction, min_fraction):
    power = design_power * np.maximum(flow_fraction, min_fraction) ** 3
    return np.where(flow_fraction <= 0, 0.0, power)


def _precool(p, temp_air, temp_wet_bulb, target):
    if p.evaporative <= 0:
        return temp_air
    cooled = temp_air - p.evaporative_effectiveness * (temp_air - temp_wet_bulb)
    return np.minimum(np.maximum(cooled, target), temp_air)


def _curve(p, curve, x, y):
    return curve_value(curve_of(p, curve), x, y)  # every EnergyPlus curve form, limits applied


def _chiller_power(p, heat, temp_leaving, temp_air, capacity):
    model = p.chiller_model
    if model == k.CHILLER_NONE:
        return np.zeros_like(heat)
    if model == k.CHILLER_CARNOT:
        evaporating = temp_leaving - p.carnot_evaporator_approach + KELVIN
        condensing = (
            np.maximum(temp_air + p.carnot_condenser_approach, p.temp_condensing_min) + KELVIN
        )
        lift = np.maximum(condensing - evaporating, k.LIFT_MIN)
        power = heat / (p.carnot_efficiency * evaporating / lift)
    else:
        condenser_in = temp_air + p.eir_condenser_offset
        available = capacity * _curve(p, "capft", temp_leaving, condenser_in)
        ratio = heat / available
        plr_min = p.plr_min
        power = (
            available
            / p.cop_reference
            * _curve(p, "eirft", temp_leaving, condenser_in)
            * _curve(p, "eirfplr", np.maximum(ratio, plr_min), 0.0)
            * np.minimum(ratio / plr_min, 1.0)
        )
    return np.where(heat == 0, 0.0, power)


def _heat_pump_cop(p):
    approach = p.heat_pump_approach
    source = p.temp_liquid_supply + p.liquid_delta_t - approach
    sink = p.temp_district_supply + approach
    return p.heat_pump_efficiency * (sink + KELVIN) / max(sink - source, k.LIFT_MIN)


def _supply_from_outdoor(p, temp_air, outdoor):
    setpoint = p.temp_air_supply
    if p.chiller_model != k.CHILLER_NONE:
        supply = np.full_like(np.asarray(temp_air, np.float64), setpoint)
    else:
        supply = np.maximum(outdoor, setpoint)
    return np.where(np.isnan(temp_air), np.nan, supply)


def supply_air_temperature(p, temp_air, temp_wet_bulb):
    """Supply air temperature [degC] (:func:`powermodel.kernels.cooling.supply_air_temperature`)."""
    p = type(p)(*map(float, p))
    temp_air = np.asarray(temp_air, np.float64)
    outdoor = _precool(p, temp_air, temp_wet_bulb, p.temp_air_supply)
    return _supply_from_outdoor(p, temp_air, outdoor)


def _liquid_loop(p, heat, temp_air, temp_wet_bulb):
    design = p.liquid_fraction * p.design_heat
    delta_t = p.liquid_delta_t
    temp_return = p.temp_liquid_supply + delta_t
    zero = np.zeros_like(heat)
    if design <= 0:
        supply = np.full_like(heat, p.temp_liquid_supply)
        return dict.fromkeys(
            ["fan", "pump", "chiller", "mechanical", "evaporated", "recovered",
             "delivered", "heat_pump", "rejected"], zero,
        ) | {"supply": supply}  # fmt: skip

    pump = _affinity(p.pump_ratio * design, heat / design, p.pump_min_flow)
    water_heat = heat + pump

    cop = _heat_pump_cop(p)
    if cop > 1:
        delivered = np.minimum(water_heat * cop / (cop - 1), p.heat_pump_demand)
    else:
        delivered = zero
    heat_pump = delivered / cop
    recovered = delivered - heat_pump
    to_reject = water_heat - recovered

    itd_design = delta_t + p.dry_cooler_approach
    temp_needed = temp_return - to_reject * itd_design / design
    temp_in = _precool(p, temp_air, temp_wet_bulb, temp_needed)
    evaporated = design * (temp_air - temp_in) / (p.dry_cooler_air_rise * LATENT_HEAT_WATER)
    capacity = np.maximum(design * (temp_return - temp_in) / itd_design, 0.0)

    enough = to_reject <= capacity
    has_chiller = p.chiller_model != k.CHILLER_NONE
    with np.errstate(divide="ignore", invalid="ignore"):
        partial_speed = np.where(capacity > 0, to_reject / capacity, 0.0) ** (
            1 / p.dry_cooler_exponent
        )
    if has_chiller:
        speed = np.where(enough, partial_speed, np.where(capacity > 0, 1.0, 0.0))
        heat_dry = np.where(enough, to_reject, capacity)
        mechanical = np.where(enough, 0.0, to_reject - capacity)
        supply = np.full_like(heat, p.temp_liquid_supply)
    else:
        speed = np.where(enough, partial_speed, 1.0)
        heat_dry = to_reject
        mechanical = zero
        floating = temp_in + to_reject * itd_design / design - delta_t
        supply = np.where(enough, p.temp_liquid_supply, floating)
    fan = _affinity(p.dry_cooler_fan_ratio * design, speed, p.dry_cooler_min_speed)
    chiller = _chiller_power(p, mechanical, supply, temp_air, p.chiller_sizing * design)
    return {
        "fan": fan,
        "pump": pump,
        "chiller": chiller,
        "mechanical": mechanical,
        "evaporated": evaporated,
        "recovered": recovered,
        "delivered": delivered,
        "heat_pump": heat_pump,
        "rejected": heat_dry + mechanical + chiller + fan,
        "supply": supply,
    }


def _air_loop(p, heat, temp_air, temp_wet_bulb):
    design = (1 - p.liquid_fraction) * p.design_heat
    zero = np.zeros_like(heat)
    setpoint = p.temp_air_supply
    outdoor = _precool(p, temp_air, temp_wet_bulb, setpoint)
    supply = _supply_from_outdoor(p, temp_air, outdoor)
    if design <= 0:
        return {"fan": zero, "chiller": zero, "mechanical": zero, "evaporated": zero,
                "rejected": zero, "supply": supply}  # fmt: skip
    delta_t = p.air_delta_t
    fan = _affinity(p.crah_fan_ratio * design, heat / design, p.crah_min_flow)
    air_heat = heat + fan

    economizer = p.economizer > 0
    has_chiller = p.chiller_model != k.CHILLER_NONE
    if not has_chiller:
        share = zero
    elif economizer:
        share = np.clip((outdoor - setpoint) / delta_t, 0.0, 1.0)
    else:
        share = np.ones_like(heat)
    if economizer:
        uses_outdoor_air = (outdoor < setpoint + delta_t) | (not has_chiller)
    else:
        uses_outdoor_air = np.zeros(heat.shape, bool)
    evaporated = np.where(
        uses_outdoor_air, air_heat * (temp_air - outdoor) / (delta_t * LATENT_HEAT_WATER), 0.0
    )
    mechanical = share * air_heat
    chiller = _chiller_power(
        p, mechanical, p.temp_chilled_water, temp_air, p.chiller_sizing * design
    )
    return {
        "fan": fan,
        "chiller": chiller,
        "mechanical": mechanical,
        "evaporated": evaporated,
        "rejected": (air_heat - mechanical) + mechanical + chiller,
        "supply": supply,
    }


def cooling_plant(p, heat_load, temp_air, temp_wet_bulb):
    """Dict of the outputs of :func:`powermodel.kernels.cooling.cooling_plant`."""
    p = type(p)(*map(float, p))  # float64 fields, whatever precision it came in
    heat_load, temp_air, temp_wet_bulb = np.broadcast_arrays(
        *(np.asarray(a, np.float64) for a in (heat_load, temp_air, temp_wet_bulb))
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        heat_liquid = p.liquid_fraction * heat_load
        liquid = _liquid_loop(p, heat_liquid, temp_air, temp_wet_bulb)
        air = _air_loop(p, heat_load - heat_liquid, temp_air, temp_wet_bulb)
        mechanical = liquid["mechanical"] + air["mechanical"]
        removed = heat_load + air["fan"] + liquid["pump"] - liquid["recovered"]
        free = np.where(removed > 0, 1 - mechanical / removed, 1.0)
        free = np.where(free < 0, 0.0, free)  # rounding when all heat is mechanical
        evaporated = liquid["evaporated"] + air["evaporated"]
        out = {
            "power_crah_fan": air["fan"],
            "power_dry_cooler_fan": liquid["fan"],
            "power_pump": liquid["pump"],
            "power_chiller": liquid["chiller"] + air["chiller"],
            "power_cooling": air["fan"] + liquid["fan"] + liquid["pump"]
            + liquid["chiller"] + air["chiller"],
            "heat_mechanical": mechanical,
            "free_cooling_fraction": free,
            "heat_rejected": liquid["rejected"] + air["rejected"],
            "water_evaporated": evaporated,
            "water_blowdown": evaporated / (p.cycles_of_concentration - 1),
            "heat_recovered": liquid["recovered"],
            "heat_reuse_delivered": liquid["delivered"],
            "power_heat_pump": liquid["heat_pump"],
            "temp_liquid_supply": liquid["supply"],
            "temp_supply_air": air["supply"],
            "heat_liquid": heat_liquid,
        }  # fmt: skip
    # NaN or +-inf in an input used: no answer (a plant has no state at an infinite load)
    missing = ~np.isfinite(heat_load) | ~np.isfinite(temp_air)
    if p.evaporative > 0:
        missing |= ~np.isfinite(temp_wet_bulb)
    return {name: np.where(missing, np.nan, np.broadcast_to(v, heat_load.shape))
            for name, v in out.items()}  # fmt: skip
