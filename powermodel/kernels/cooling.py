"""Cooling plant of a data hall for one time step: scalar physics.

The heat to remove is all the electricity the IT equipment and its power
chain draw (every watt ends as heat). A *liquid fraction* of it goes to a
direct-to-chip liquid loop, the rest to air; ``liquid_fraction = 0`` is an
air-cooled hall, ``1`` a fully liquid-cooled one, anything between a hybrid
(GB200-class racks reject about 80 % to liquid).

Liquid loop (:func:`liquid_loop`)
    Facility water leaves the plant at ``temp_liquid_supply`` and returns
    ``liquid_delta_t`` warmer. Pumps follow the affinity law (power ~
    flow**3, flow ~ heat at a fixed loop dT) and their work heats the water.
    An optional heat pump takes heat from the return water for district
    heating. Dry coolers reject the rest: at full fan speed a dry cooler
    rejects heat in proportion to its initial temperature difference
    ``ITD = T_return - T_air`` (constant effectiveness), sized so that it
    rejects the design heat at ``ITD = liquid_delta_t + approach``; at part
    speed ``phi`` its capacity scales as ``phi**n`` (air-side heat transfer
    coefficient ~ velocity**0.8, Dittus-Boelter) and its fan power as
    ``phi**3`` (fan affinity). When full speed is not enough, adiabatic
    pre-cooling (if fitted) lowers the air temperature toward the wet bulb,
    evaporating only the water needed, and a chiller trims the rest.
Air loop (:func:`air_loop`)
    CRAH fans move the air at a fixed supply-return dT (affinity law, their
    work heats the air). An air-side dry-bulb economiser supplies outdoor air
    (optionally cooled by direct evaporation) mixed with return air: free
    cooling below the supply set point, partial (100 % outdoor air plus
    mechanical trim) between supply and return temperature, none above.
Chillers (:func:`chiller_power`)
    A Carnot fraction, ``COP = eta T_evap / (T_cond - T_evap)`` (Modelica
    Buildings ``Fluid.Chillers.Carnot_TEva``), or EnergyPlus's
    ``Chiller:Electric:EIR`` (DOE-2) curves; a plant without chillers lets
    its supply temperatures float with the weather instead.

Parameters travel packed in one array ``p``, built by
:class:`powermodel.cooling.CoolingPlant`; the layout is the ``P_*`` indices
below. Units are SI (W, K, kg s-1) with temperatures in degC.
"""

from __future__ import annotations

from powermodel.kernels._physics import physics
from powermodel.kernels.constants import KELVIN, LATENT_HEAT_WATER
from powermodel.kernels.fastmath import pow_unit
from powermodel.kernels.ite import clamp, curve_value

__all__ = [
    "OUTPUTS",
    "PARAMETERS",
    "air_loop",
    "chiller_power",
    "cooling_plant",
    "evaporative_precool",
    "heat_pump_cop",
    "liquid_loop",
    "outdoor_air_temperature",
    "supply_air_temperature",
    "supply_from_outdoor",
    "transport_power_ratio",
]

# Smallest temperature lift a vapour-compression machine is credited with [K]:
# keeps the Carnot COP finite when condenser and evaporator temperatures meet.
LIFT_MIN = 1.0

# Layout of ``p``
P_LIQUID_FRACTION = 0
P_DESIGN_HEAT = 1  # design heat load of the whole plant [W]
P_TEMP_LIQUID_SUPPLY = 2  # facility water supply set point [degC]
P_LIQUID_DELTA_T = 3  # return - supply [K]
P_DRY_COOLER_APPROACH = 4  # supply - outdoor air at design, full fan [K]
P_DRY_COOLER_FAN_RATIO = 5  # design fan power per design liquid heat [1]
P_DRY_COOLER_EXPONENT = 6  # capacity ~ fan speed**n [1]
P_DRY_COOLER_MIN_SPEED = 7  # [1]
P_DRY_COOLER_AIR_RISE = 8  # air temperature rise through the coil at design [K]
P_PUMP_RATIO = 9  # design pump power per design liquid heat [1]
P_PUMP_MIN_FLOW = 10  # [1]
P_TEMP_AIR_SUPPLY = 11  # supply air set point [degC]
P_AIR_DELTA_T = 12  # return - supply air [K]
P_CRAH_FAN_RATIO = 13  # design CRAH fan power per design air heat [1]
P_CRAH_MIN_FLOW = 14  # [1]
P_ECONOMIZER = 15  # 1: air-side economiser fitted, 0: not
P_TEMP_CHILLED_WATER = 16  # chilled water for the air loop's coils [degC]
P_EVAPORATIVE = 17  # 1: evaporative assist fitted, 0: not
P_EVAPORATIVE_EFFECTIVENESS = 18  # wet-bulb effectiveness of the pads [1]
P_CYCLES_OF_CONCENTRATION = 19  # [1], blowdown = evaporation / (cycles - 1)
P_CHILLER_MODEL = 20  # 0: none, 1: Carnot fraction, 2: EnergyPlus EIR
P_CARNOT_EFFICIENCY = 21  # [1]
P_CARNOT_EVAPORATOR_APPROACH = 22  # leaving fluid - evaporating refrigerant [K]
P_CARNOT_CONDENSER_APPROACH = 23  # condensing refrigerant - outdoor air [K]
P_TEMP_CONDENSING_MIN = 24  # head-pressure control floor [degC]
P_COP_REFERENCE = 25  # EIR reference COP [1]
P_CHILLER_SIZING = 26  # chiller capacity per design heat of its loop [1]
P_PLR_MIN = 27  # EIR minimum part-load ratio before cycling [1]
P_EIR_CONDENSER_OFFSET = 28  # EIR condenser entering - outdoor air [K]
P_HEAT_PUMP_DEMAND = 29  # district heating demand, most heat delivered [W]
P_TEMP_DISTRICT_SUPPLY = 30  # district heating supply temperature [degC]
P_HEAT_PUMP_EFFICIENCY = 31  # Carnot fraction of the heat pump [1]
P_HEAT_PUMP_APPROACH = 32  # both heat exchangers [K]
P_CAPFT = 34  # EnergyPlus curves, 12 numbers each (ite.curve_value layout)
P_EIRFT = 46
P_EIRFPLR = 58
PARAMETERS = 70

CHILLER_NONE = 0.0
CHILLER_CARNOT = 1.0
CHILLER_EIR = 2.0

OUTPUTS = (
    "power_crah_fan",
    "power_dry_cooler_fan",
    "power_pump",
    "power_chiller",
    "power_cooling",
    "heat_mechanical",
    "free_cooling_fraction",
    "heat_rejected",
    "water_evaporated",
    "water_blowdown",
    "heat_recovered",
    "heat_reuse_delivered",
    "power_heat_pump",
    "temp_liquid_supply",
    "temp_supply_air",
    "heat_liquid",
)


@physics
def transport_power_ratio(pressure, efficiency, density, specific_heat, delta_t):
    """Pump or fan power per heat carried at design [1]: ``dp / (eta rho c_p dT)``.

    The flow that carries 1 W at a temperature rise ``delta_t`` [K] is
    ``1 / (rho c_p dT)`` [m3 s-1]; moving it against ``pressure`` [Pa] at
    ``efficiency`` [1] takes ``dp Q / eta`` [W]. ``density`` [kg m-3] and
    ``specific_heat`` [J kg-1 K-1] are the fluid's (water for pumps, air for
    CRAH fans; :mod:`powermodel.kernels.constants`).
    """
    flow_per_watt = 1.0 / (density * specific_heat * delta_t)
    return flow_per_watt * pressure / efficiency


@physics
def affinity_power(design_power, flow_fraction, min_fraction):
    """Fan or pump power [W] by the affinity law, ``P_des max(f, f_min)**3``.

    Zero when there is nothing to move (``flow_fraction <= 0``).
    """
    f = min_fraction if flow_fraction < min_fraction else flow_fraction
    power = design_power * f * f * f
    return 0.0 if flow_fraction <= 0.0 else power


@physics
def evaporative_precool(temp_air, temp_wet_bulb, effectiveness, temp_target):
    """Air temperature after an evaporative pad [degC], cooling no further than needed.

    ``T = max(T_db - eps (T_db - T_wb), T_target)``, never above ``T_db``
    (a direct evaporative cooler; eps is the wet-bulb effectiveness).
    """
    cooled = temp_air - effectiveness * (temp_air - temp_wet_bulb)
    cooled = temp_target if cooled < temp_target else cooled
    return temp_air if cooled > temp_air else cooled


@physics
def carnot_cop(temp_cold, temp_hot, efficiency):
    """Coefficient of performance ``eta T_cold / (T_hot - T_cold)`` [1].

    Temperatures of evaporating and condensing refrigerant [degC]; the lift
    is taken as at least ``LIFT_MIN``.
    """
    lift = temp_hot - temp_cold
    lift = LIFT_MIN if lift < LIFT_MIN else lift
    return efficiency * (temp_cold + KELVIN) / lift


@physics(inline=False)
def chiller_power(p, heat, temp_leaving, temp_air, capacity):
    """Electric power [W] of a chiller removing ``heat`` [W].

    Parameters
    ----------
    p : array
        Packed plant parameters (module docstring).
    heat : float
        Heat removed from the chilled fluid [W], >= 0.
    temp_leaving : float
        Chilled fluid leaving temperature [degC].
    temp_air : float
        Outdoor dry-bulb temperature [degC]; the condenser rejects to it.
    capacity : float
        Reference capacity [W] (EIR model).

    Notes
    -----
    Carnot fraction: ``COP = eta T_e / (T_c - T_e)`` with the evaporating
    temperature ``T_e = T_leaving - approach`` and the condensing temperature
    ``T_c = max(T_air + approach, T_c,min)`` (head-pressure control).

    EIR (EnergyPlus Engineering Reference, "Electric Chiller Model Based on
    Condenser Entering Temperature"): ``Cap = Cap_ref CAPFT(T_leaving,
    T_cond,in)``, ``PLR = heat / Cap``, ``P = Cap / COP_ref EIRFT EIRFPLR(
    max(PLR, PLR_min)) min(1, PLR / PLR_min)`` with ``T_cond,in = T_air +
    offset``; curve inputs are limited to the curves' ranges.
    """
    model = p[P_CHILLER_MODEL]
    power = 0.0
    if model == CHILLER_CARNOT:
        temp_evaporating = temp_leaving - p[P_CARNOT_EVAPORATOR_APPROACH]
        temp_condensing = temp_air + p[P_CARNOT_CONDENSER_APPROACH]
        floor = p[P_TEMP_CONDENSING_MIN]
        temp_condensing = floor if temp_condensing < floor else temp_condensing
        power = heat / carnot_cop(temp_evaporating, temp_condensing, p[P_CARNOT_EFFICIENCY])
    elif model == CHILLER_EIR:
        temp_condenser_in = temp_air + p[P_EIR_CONDENSER_OFFSET]
        available = capacity * curve_value(p, P_CAPFT, temp_leaving, temp_condenser_in)
        ratio = heat / available
        plr_min = p[P_PLR_MIN]
        cycling = ratio / plr_min
        cycling = 1.0 if cycling > 1.0 else cycling
        power = (
            available
            / p[P_COP_REFERENCE]
            * curve_value(p, P_EIRFT, temp_leaving, temp_condenser_in)
            * curve_value(p, P_EIRFPLR, plr_min if ratio < plr_min else ratio, 0.0)
            * cycling
        )
    return 0.0 if heat == 0.0 else power


@physics
def heat_pump_cop(p):
    """Heating COP of the district-heating heat pump [1].

    Carnot fraction between the liquid loop's return (minus the approach)
    and the district supply (plus the approach):
    ``COP_h = eta T_c / (T_c - T_e)``.
    """
    approach = p[P_HEAT_PUMP_APPROACH]
    temp_source = p[P_TEMP_LIQUID_SUPPLY] + p[P_LIQUID_DELTA_T] - approach
    temp_sink = p[P_TEMP_DISTRICT_SUPPLY] + approach
    lift = temp_sink - temp_source
    lift = LIFT_MIN if lift < LIFT_MIN else lift
    return p[P_HEAT_PUMP_EFFICIENCY] * (temp_sink + KELVIN) / lift


@physics
def liquid_loop(p, heat, temp_air, temp_wet_bulb):
    """The direct-to-chip liquid loop for one time step.

    Parameters
    ----------
    p : array
        Packed plant parameters.
    heat : float
        Heat the racks reject to liquid [W].
    temp_air, temp_wet_bulb : float
        Outdoor dry-bulb and wet-bulb temperature [degC].

    Returns
    -------
    tuple of float
        Dry-cooler fan power, pump power, chiller power, heat removed by the
        chiller, evaporated water [kg s-1], heat to the heat pump's
        evaporator, heat delivered to district heating, heat pump power [W],
        heat rejected outdoors [W] and the facility water supply
        temperature [degC].
    """
    design = p[P_LIQUID_FRACTION] * p[P_DESIGN_HEAT]
    delta_t = p[P_LIQUID_DELTA_T]
    temp_supply = p[P_TEMP_LIQUID_SUPPLY]
    temp_return = temp_supply + delta_t
    load = heat / design if design > 0.0 else 0.0

    power_pump = affinity_power(p[P_PUMP_RATIO] * design, load, p[P_PUMP_MIN_FLOW])
    water_heat = heat + power_pump  # pump work ends as heat in the water

    # heat pump on the return water: Q_cond = Q_evap + W, W = Q_cond / COP
    cop = heat_pump_cop(p)
    demand = p[P_HEAT_PUMP_DEMAND]
    delivered = water_heat * cop / (cop - 1.0)
    delivered = demand if delivered > demand else delivered
    # no offtake or no lift: nothing delivered, whatever the load (an infinite one too)
    delivered = 0.0 if cop <= 1.0 or demand <= 0.0 else delivered
    power_heat_pump = delivered / cop
    recovered = delivered - power_heat_pump
    to_reject = water_heat - recovered

    # dry coolers, full speed: Q_full = Q_des (T_return - T_in) / ITD_des
    itd_design = delta_t + p[P_DRY_COOLER_APPROACH]
    temp_needed = temp_return - to_reject * itd_design / design if design > 0.0 else temp_air
    temp_in = temp_air
    if p[P_EVAPORATIVE] > 0.0:
        temp_in = evaporative_precool(
            temp_air, temp_wet_bulb, p[P_EVAPORATIVE_EFFECTIVENESS], temp_needed
        )
    # dry-cooler air mass flow at full speed: Q_des / (c_p dT_air,des); c_p cancels
    evaporated = design * (temp_air - temp_in) / (p[P_DRY_COOLER_AIR_RISE] * LATENT_HEAT_WATER)
    capacity = design * (temp_return - temp_in) / itd_design
    capacity = 0.0 if capacity < 0.0 else capacity
    has_chiller = p[P_CHILLER_MODEL] != CHILLER_NONE
    if to_reject <= capacity:
        ratio = to_reject / capacity if capacity > 0.0 else 0.0
        speed = pow_unit(ratio, 1.0 / p[P_DRY_COOLER_EXPONENT])
        heat_dry = to_reject
        heat_chiller = 0.0
    elif has_chiller:
        speed = 1.0 if capacity > 0.0 else 0.0  # fans off when the air is warmer
        heat_dry = capacity
        heat_chiller = to_reject - capacity
    else:
        # no chiller: the supply temperature floats until the dry coolers suffice
        speed = 1.0
        heat_dry = to_reject
        heat_chiller = 0.0
        temp_supply = temp_in + to_reject * itd_design / design - delta_t
    power_fan = affinity_power(p[P_DRY_COOLER_FAN_RATIO] * design, speed, p[P_DRY_COOLER_MIN_SPEED])
    power_chiller = chiller_power(
        p, heat_chiller, temp_supply, temp_air, p[P_CHILLER_SIZING] * design
    )
    rejected = heat_dry + heat_chiller + power_chiller + power_fan
    return (
        power_fan,
        power_pump,
        power_chiller,
        heat_chiller,
        evaporated,
        recovered,
        delivered,
        power_heat_pump,
        rejected,
        temp_supply,
    )


@physics
def outdoor_air_temperature(p, temp_air, temp_wet_bulb):
    """Outdoor air as the economiser gets it [degC].

    After the evaporative pad, if fitted, which cools no further than the
    supply set point.
    """
    if p[P_EVAPORATIVE] > 0.0:
        return evaporative_precool(
            temp_air, temp_wet_bulb, p[P_EVAPORATIVE_EFFECTIVENESS], p[P_TEMP_AIR_SUPPLY]
        )
    return temp_air


@physics
def supply_from_outdoor(p, temp_air, outdoor):
    """Supply air temperature [degC] given the economiser's outdoor air ``outdoor``.

    The set point, or in a plant without chillers the outdoor air when it is
    warmer; NaN when ``temp_air`` is NaN.
    """
    setpoint = p[P_TEMP_AIR_SUPPLY]
    floating = setpoint if outdoor < setpoint else outdoor
    result = setpoint if p[P_CHILLER_MODEL] != CHILLER_NONE else floating
    return temp_air if temp_air != temp_air else result  # NaN stays NaN


@physics
def supply_air_temperature(p, temp_air, temp_wet_bulb):
    """Temperature of the air supplied to the racks [degC].

    The set point, except in a plant without chillers, where it floats up
    with the (evaporatively cooled) outdoor air. Depends on the weather and
    the plant only, never on the heat load: this is what lets the ITE model
    take it as its inlet temperature without iterating.
    """
    outdoor = outdoor_air_temperature(p, temp_air, temp_wet_bulb)
    return supply_from_outdoor(p, temp_air, outdoor)


@physics
def air_loop(p, heat, temp_air, temp_wet_bulb):
    """The air loop (CRAH fans, economiser, chiller) for one time step.

    Parameters
    ----------
    p : array
        Packed plant parameters.
    heat : float
        Heat the racks reject to air [W].
    temp_air, temp_wet_bulb : float
        Outdoor dry-bulb and wet-bulb temperature [degC].

    Returns
    -------
    tuple of float
        CRAH fan power, chiller power, heat removed by the chiller [W],
        evaporated water [kg s-1], heat rejected outdoors [W] and the supply
        air temperature [degC].
    """
    design = (1.0 - p[P_LIQUID_FRACTION]) * p[P_DESIGN_HEAT]
    delta_t = p[P_AIR_DELTA_T]
    load = heat / design if design > 0.0 else 0.0
    power_fan = affinity_power(p[P_CRAH_FAN_RATIO] * design, load, p[P_CRAH_MIN_FLOW])
    air_heat = heat + power_fan  # fan work ends as heat in the air stream

    setpoint = p[P_TEMP_AIR_SUPPLY]
    outdoor = outdoor_air_temperature(p, temp_air, temp_wet_bulb)
    temp_supply = supply_from_outdoor(p, temp_air, outdoor)
    economizer = p[P_ECONOMIZER] > 0.0
    has_chiller = p[P_CHILLER_MODEL] != CHILLER_NONE
    # share of the heat left to the chiller: outdoor air cools the stream from
    # T_return down to max(T_outdoor, T_supply)
    share = (outdoor - setpoint) / delta_t
    share = clamp(share, 0.0, 1.0)
    share = share if economizer else 1.0
    share = share if has_chiller else 0.0
    uses_outdoor_air = economizer and (outdoor < setpoint + delta_t or not has_chiller)
    # evaporation into the outdoor air stream, mass flow Q / (c_p dT); c_p cancels
    evaporated = air_heat * (temp_air - outdoor) / (delta_t * LATENT_HEAT_WATER)
    evaporated = evaporated if uses_outdoor_air else 0.0
    heat_chiller = share * air_heat
    power_chiller = chiller_power(
        p, heat_chiller, p[P_TEMP_CHILLED_WATER], temp_air, p[P_CHILLER_SIZING] * design
    )
    exhaust = air_heat - heat_chiller
    rejected = exhaust + heat_chiller + power_chiller
    return power_fan, power_chiller, heat_chiller, evaporated, rejected, temp_supply


@physics
def cooling_plant(p, heat_load, temp_air, temp_wet_bulb):
    """All of the cooling plant for one time step.

    Parameters
    ----------
    p : array
        Packed plant parameters (module docstring).
    heat_load : float
        Heat the IT equipment and its power chain put into the hall [W].
    temp_air : float
        Outdoor dry-bulb temperature [degC].
    temp_wet_bulb : float
        Outdoor wet-bulb temperature [degC]; used only with evaporative assist.

    Returns
    -------
    tuple of float
        The 16 values named by ``OUTPUTS``, in that order. Energy balance:
        ``heat_load + power_cooling = heat_rejected + heat_recovered``.
    """
    heat_liquid = p[P_LIQUID_FRACTION] * heat_load
    # NaN in any input used makes every output NaN (x != x is NaN's test)
    poison = heat_load + temp_air
    poison = poison + temp_wet_bulb if p[P_EVAPORATIVE] > 0.0 else poison
    missing = poison != poison
    heat_air = heat_load - heat_liquid
    (
        dry_cooler_fan,
        pump,
        liquid_chiller,
        liquid_mechanical,
        liquid_evaporated,
        recovered,
        delivered,
        power_heat_pump,
        liquid_rejected,
        temp_liquid_supply,
    ) = liquid_loop(p, heat_liquid, temp_air, temp_wet_bulb)
    crah_fan, air_chiller, air_mechanical, air_evaporated, air_rejected, temp_supply_air = air_loop(
        p, heat_air, temp_air, temp_wet_bulb
    )
    power_chiller = liquid_chiller + air_chiller
    power_cooling = crah_fan + dry_cooler_fan + pump + power_chiller
    mechanical = liquid_mechanical + air_mechanical
    removed = heat_load + crah_fan + pump - recovered
    free = 1.0 - mechanical / removed if removed > 0.0 else 1.0
    # all heat through chillers: 1 - m/m can round to -2e-16; a share is never below 0
    free = 0.0 if free < 0.0 else free
    evaporated = liquid_evaporated + air_evaporated
    blowdown = evaporated / (p[P_CYCLES_OF_CONCENTRATION] - 1.0)
    return (
        poison if missing else crah_fan,
        poison if missing else dry_cooler_fan,
        poison if missing else pump,
        poison if missing else power_chiller,
        poison if missing else power_cooling,
        poison if missing else mechanical,
        poison if missing else free,
        poison if missing else liquid_rejected + air_rejected,
        poison if missing else evaporated,
        poison if missing else blowdown,
        poison if missing else recovered,
        poison if missing else delivered,
        poison if missing else power_heat_pump,
        poison if missing else temp_liquid_supply,
        poison if missing else temp_supply_air,
        poison if missing else heat_liquid,
    )
