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

Parameters reach the kernels as one flat named record,
:class:`CoolingParameters`, built by :class:`powermodel.cooling.CoolingPlant`;
the physics reads ``p.dry_cooler_fan_ratio``. Units are SI (W, K, kg s-1)
with temperatures in degC.
"""

from __future__ import annotations

from typing import NamedTuple

from powermodel.kernels._physics import physics
from powermodel.kernels.constants import KELVIN, LATENT_HEAT_WATER
from powermodel.kernels.fastmath import pow_unit
from powermodel.kernels.ite import clamp, curve_fields, curve_value

__all__ = [
    "OUTPUTS",
    "CoolingParameters",
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

CoolingParameters = NamedTuple(
    "CoolingParameters",
    [
        ("liquid_fraction", float),  # share of the heat load taken by the liquid loop [1]
        ("design_heat", float),  # design heat load of the whole plant [W]
        ("temp_liquid_supply", float),  # facility water supply set point [degC]
        ("liquid_delta_t", float),  # return - supply [K]
        ("dry_cooler_approach", float),  # supply - outdoor air at design, full fan [K]
        ("dry_cooler_fan_ratio", float),  # design fan power per design liquid heat [1]
        ("dry_cooler_exponent", float),  # capacity ~ fan speed**n [1]
        ("dry_cooler_min_speed", float),  # [1]
        ("dry_cooler_air_rise", float),  # air temperature rise through the coil at design [K]
        ("pump_ratio", float),  # design pump power per design liquid heat [1]
        ("pump_min_flow", float),  # [1]
        ("temp_air_supply", float),  # supply air set point [degC]
        ("air_delta_t", float),  # return - supply air [K]
        ("crah_fan_ratio", float),  # design CRAH fan power per design air heat [1]
        ("crah_min_flow", float),  # [1]
        ("economizer", float),  # 1: air-side economiser fitted, 0: not
        ("temp_chilled_water", float),  # chilled water for the air loop's coils [degC]
        ("evaporative", float),  # 1: evaporative assist fitted, 0: not
        ("evaporative_effectiveness", float),  # wet-bulb effectiveness of the pads [1]
        ("cycles_of_concentration", float),  # [1], blowdown = evaporation / (cycles - 1)
        ("chiller_model", float),  # 0: none, 1: Carnot fraction, 2: EnergyPlus EIR
        ("carnot_efficiency", float),  # [1]
        ("carnot_evaporator_approach", float),  # leaving fluid - evaporating refrigerant [K]
        ("carnot_condenser_approach", float),  # condensing refrigerant - outdoor air [K]
        ("temp_condensing_min", float),  # head-pressure control floor [degC]
        ("cop_reference", float),  # EIR reference COP [1]
        ("chiller_sizing", float),  # chiller capacity per design heat of its loop [1]
        ("plr_min", float),  # EIR minimum part-load ratio before cycling [1]
        ("eir_condenser_offset", float),  # EIR condenser entering - outdoor air [K]
        ("heat_pump_demand", float),  # district heating demand, most heat delivered [W]
        ("temp_district_supply", float),  # district heating supply temperature [degC]
        ("heat_pump_efficiency", float),  # Carnot fraction of the heat pump [1]
        ("heat_pump_approach", float),  # both heat exchangers [K]
        *curve_fields("capft"),  # EIR: capacity f(T_leaving, T_condenser,in)
        *curve_fields("eirft"),  # EIR: EIR f(T_leaving, T_condenser,in)
        *curve_fields("eirfplr"),  # EIR: EIR f(part-load ratio)
    ],
)
CoolingParameters.__doc__ = """Parameters of the cooling kernels (from ``CoolingPlant.packed``).

Every field a float in SI units with temperatures in degC (the comments
of the definition give each one's meaning and unit); the chiller curves
``capft``, ``eirft`` and ``eirfplr`` are thirteen fields each
(:data:`powermodel.kernels.ite.CURVE_FIELDS`).

Parameters
----------
liquid_fraction : float
    Share of the heat load taken by the liquid loop [1], 0..1.
design_heat : float
    Design heat load of the whole plant [W].
temp_liquid_supply : float
    Facility water supply set point [degC].
liquid_delta_t : float
    Facility water return minus supply temperature [K].
dry_cooler_approach : float
    Water supply minus outdoor air temperature at design load and full fan speed [K].
dry_cooler_fan_ratio : float
    Design dry-cooler fan power per design liquid heat [1].
dry_cooler_exponent : float
    ``n`` in dry-cooler capacity ~ fan speed**n [1].
dry_cooler_min_speed : float
    Lowest dry-cooler fan speed fraction [1].
dry_cooler_air_rise : float
    Air temperature rise through the dry-cooler coil at design [K].
pump_ratio : float
    Design pump power per design liquid heat [1].
pump_min_flow : float
    Lowest pump flow fraction [1].
temp_air_supply : float
    Supply air set point [degC].
air_delta_t : float
    Return minus supply air temperature [K].
crah_fan_ratio : float
    Design CRAH fan power per design air heat [1].
crah_min_flow : float
    Lowest CRAH air flow fraction [1].
economizer : float
    1: air-side economiser fitted, 0: not.
temp_chilled_water : float
    Chilled water temperature for the air loop's coils [degC].
evaporative : float
    1: evaporative assist fitted, 0: not.
evaporative_effectiveness : float
    Wet-bulb effectiveness of the evaporative pads [1].
cycles_of_concentration : float
    Cycles of concentration of the evaporative water [1], > 1; blowdown =
    evaporation / (cycles - 1).
chiller_model : float
    0: no chiller, 1: Carnot fraction, 2: EnergyPlus EIR.
carnot_efficiency : float
    Fraction of the Carnot COP the chiller reaches [1].
carnot_evaporator_approach : float
    Leaving chilled fluid minus evaporating refrigerant temperature [K].
carnot_condenser_approach : float
    Condensing refrigerant minus outdoor air temperature [K].
temp_condensing_min : float
    Head-pressure control floor of the condensing temperature [degC].
cop_reference : float
    EIR reference COP [1].
chiller_sizing : float
    Chiller capacity per design heat of the loop it serves [1].
plr_min : float
    EIR minimum part-load ratio, below which the chiller cycles [1].
eir_condenser_offset : float
    EIR condenser entering minus outdoor air temperature [K].
heat_pump_demand : float
    District heating demand, the most heat delivered [W]; 0: no heat reuse.
temp_district_supply : float
    District heating supply temperature [degC].
heat_pump_efficiency : float
    Fraction of the Carnot heating COP the heat pump reaches [1].
heat_pump_approach : float
    Temperature difference in each of the heat pump's heat exchangers [K].
capft_c1, capft_c2, capft_c3, capft_c4, capft_c5, capft_c6 : float
    Coefficients of the EIR chiller's CAPFT curve
    (:func:`powermodel.kernels.ite.curve_formula`).
capft_x_min, capft_x_max : float
    Limits of the CAPFT curve's ``x``, the leaving chilled fluid temperature [degC].
capft_y_min, capft_y_max : float
    Limits of the CAPFT curve's ``y``, the condenser entering temperature [degC].
capft_out_min, capft_out_max : float
    Limits of the CAPFT curve's value, the capacity fraction [1]; infinite: none.
capft_form : float
    Code of the CAPFT curve's form (``CURVE_BIQUADRATIC`` etc. of
    :mod:`powermodel.kernels.ite`).
eirft_c1, eirft_c2, eirft_c3, eirft_c4, eirft_c5, eirft_c6 : float
    Coefficients of the EIR chiller's EIRFT curve
    (:func:`powermodel.kernels.ite.curve_formula`).
eirft_x_min, eirft_x_max : float
    Limits of the EIRFT curve's ``x``, the leaving chilled fluid temperature [degC].
eirft_y_min, eirft_y_max : float
    Limits of the EIRFT curve's ``y``, the condenser entering temperature [degC].
eirft_out_min, eirft_out_max : float
    Limits of the EIRFT curve's value, the EIR fraction [1]; infinite: none.
eirft_form : float
    Code of the EIRFT curve's form (``CURVE_BIQUADRATIC`` etc. of
    :mod:`powermodel.kernels.ite`).
eirfplr_c1, eirfplr_c2, eirfplr_c3, eirfplr_c4, eirfplr_c5, eirfplr_c6 : float
    Coefficients of the EIR chiller's EIRFPLR curve
    (:func:`powermodel.kernels.ite.curve_formula`).
eirfplr_x_min, eirfplr_x_max : float
    Limits of the EIRFPLR curve's ``x``, the part-load ratio [1].
eirfplr_y_min, eirfplr_y_max : float
    Limits of the EIRFPLR curve's ``y``, the unused [1].
eirfplr_out_min, eirfplr_out_max : float
    Limits of the EIRFPLR curve's value, the EIR fraction [1]; infinite: none.
eirfplr_form : float
    Code of the EIRFPLR curve's form (``CURVE_BIQUADRATIC`` etc. of
    :mod:`powermodel.kernels.ite`).
"""

CHILLER_NONE = 0.0
CHILLER_CARNOT = 1.0
CHILLER_EIR = 2.0

#: The outputs of :func:`cooling_plant`, in the order it writes them.
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

    Parameters
    ----------
    pressure : float
        Pressure rise of the pump or fan at design flow [Pa].
    efficiency : float
        Efficiency of the pump or fan with motor and drive [1].
    density : float
        Density of the fluid moved [kg m-3].
    specific_heat : float
        Specific heat capacity of the fluid moved [J kg-1 K-1].
    delta_t : float
        Temperature rise of the fluid carrying the heat [K].

    Returns
    -------
    float
        Pump or fan power per heat carried at design [1] (W per W).
    """
    flow_per_watt = 1.0 / (density * specific_heat * delta_t)
    return flow_per_watt * pressure / efficiency


@physics
def affinity_power(design_power, flow_fraction, min_fraction):
    """Fan or pump power [W] by the affinity law, ``P_des max(f, f_min)**3``.

    Zero when there is nothing to move (``flow_fraction <= 0``).

    Parameters
    ----------
    design_power : float
        Power at design flow [W].
    flow_fraction : float
        Flow as a fraction of the design flow [1].
    min_fraction : float
        Lowest flow fraction the fan or pump runs at [1].

    Returns
    -------
    float
        Fan or pump power [W].
    """
    f = min_fraction if flow_fraction < min_fraction else flow_fraction
    power = design_power * f * f * f
    return 0.0 if flow_fraction <= 0.0 else power


@physics
def evaporative_precool(temp_air, temp_wet_bulb, effectiveness, temp_target):
    """Air temperature after an evaporative pad [degC], cooling no further than needed.

    ``T = max(T_db - eps (T_db - T_wb), T_target)``, never above ``T_db``
    (a direct evaporative cooler; eps is the wet-bulb effectiveness).

    Parameters
    ----------
    temp_air : float
        Outdoor dry-bulb temperature [degC].
    temp_wet_bulb : float
        Outdoor wet-bulb temperature [degC].
    effectiveness : float
        Wet-bulb effectiveness of the pad [1].
    temp_target : float
        Temperature the air need not be cooled below [degC].

    Returns
    -------
    float
        Air temperature leaving the pad [degC].
    """
    cooled = temp_air - effectiveness * (temp_air - temp_wet_bulb)
    cooled = temp_target if cooled < temp_target else cooled
    return temp_air if cooled > temp_air else cooled


@physics
def carnot_cop(temp_cold, temp_hot, efficiency):
    """Coefficient of performance ``eta T_cold / (T_hot - T_cold)`` [1].

    Temperatures of evaporating and condensing refrigerant [degC]; the lift
    is taken as at least ``LIFT_MIN``.

    Parameters
    ----------
    temp_cold : float
        Evaporating refrigerant temperature [degC].
    temp_hot : float
        Condensing refrigerant temperature [degC].
    efficiency : float
        Fraction of the Carnot COP reached [1].

    Returns
    -------
    float
        Cooling coefficient of performance [1].
    """
    lift = temp_hot - temp_cold
    lift = LIFT_MIN if lift < LIFT_MIN else lift
    return efficiency * (temp_cold + KELVIN) / lift


@physics
def capft(p):
    """The EIR chiller's capacity curve CAPFT(T_leaving, T_condenser,in): thirteen numbers.

    Parameters
    ----------
    p : CoolingParameters
        The plant's parameters (:class:`CoolingParameters`).

    Returns
    -------
    tuple of float
        The ``capft_*`` fields of ``p`` in the order of
        :data:`powermodel.kernels.ite.CURVE_FIELDS`.
    """
    return (
        p.capft_c1, p.capft_c2, p.capft_c3, p.capft_c4, p.capft_c5, p.capft_c6, p.capft_x_min,
        p.capft_x_max, p.capft_y_min, p.capft_y_max, p.capft_out_min, p.capft_out_max,
        p.capft_form,
    )  # fmt: skip


@physics
def eirft(p):
    """The EIR chiller's EIR curve EIRFT(T_leaving, T_condenser,in): thirteen numbers of ``p``.

    Parameters
    ----------
    p : CoolingParameters
        The plant's parameters (:class:`CoolingParameters`).

    Returns
    -------
    tuple of float
        The ``eirft_*`` fields of ``p`` in the order of
        :data:`powermodel.kernels.ite.CURVE_FIELDS`.
    """
    return (
        p.eirft_c1, p.eirft_c2, p.eirft_c3, p.eirft_c4, p.eirft_c5, p.eirft_c6, p.eirft_x_min,
        p.eirft_x_max, p.eirft_y_min, p.eirft_y_max, p.eirft_out_min, p.eirft_out_max,
        p.eirft_form,
    )  # fmt: skip


@physics
def eirfplr(p):
    """The EIR chiller's part-load curve EIRFPLR(PLR): thirteen numbers of ``p``.

    Parameters
    ----------
    p : CoolingParameters
        The plant's parameters (:class:`CoolingParameters`).

    Returns
    -------
    tuple of float
        The ``eirfplr_*`` fields of ``p`` in the order of
        :data:`powermodel.kernels.ite.CURVE_FIELDS`.
    """
    return (
        p.eirfplr_c1, p.eirfplr_c2, p.eirfplr_c3, p.eirfplr_c4, p.eirfplr_c5, p.eirfplr_c6,
        p.eirfplr_x_min, p.eirfplr_x_max, p.eirfplr_y_min, p.eirfplr_y_max, p.eirfplr_out_min,
        p.eirfplr_out_max, p.eirfplr_form,
    )  # fmt: skip


@physics(inline=False)
def chiller_power(p, heat, temp_leaving, temp_air, capacity):
    """Electric power [W] of a chiller removing ``heat`` [W].

    Parameters
    ----------
    p : CoolingParameters
        The plant's parameters.
    heat : float
        Heat removed from the chilled fluid [W], >= 0.
    temp_leaving : float
        Chilled fluid leaving temperature [degC].
    temp_air : float
        Outdoor dry-bulb temperature [degC]; the condenser rejects to it.
    capacity : float
        Reference capacity [W] (EIR model).

    Returns
    -------
    float
        Electric power of the chiller [W]; 0 when ``heat`` is 0 or the plant
        has no chiller.

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
    model = p.chiller_model
    power = 0.0
    if model == CHILLER_CARNOT:
        temp_evaporating = temp_leaving - p.carnot_evaporator_approach
        temp_condensing = temp_air + p.carnot_condenser_approach
        floor = p.temp_condensing_min
        temp_condensing = floor if temp_condensing < floor else temp_condensing
        power = heat / carnot_cop(temp_evaporating, temp_condensing, p.carnot_efficiency)
    elif model == CHILLER_EIR:
        temp_condenser_in = temp_air + p.eir_condenser_offset
        available = capacity * curve_value(capft(p), temp_leaving, temp_condenser_in)
        ratio = heat / available
        plr_min = p.plr_min
        cycling = ratio / plr_min
        cycling = 1.0 if cycling > 1.0 else cycling
        power = (
            available
            / p.cop_reference
            * curve_value(eirft(p), temp_leaving, temp_condenser_in)
            * curve_value(eirfplr(p), plr_min if ratio < plr_min else ratio, 0.0)
            * cycling
        )
    return 0.0 if heat == 0.0 else power


@physics
def heat_pump_cop(p):
    """Heating COP of the district-heating heat pump [1].

    Carnot fraction between the liquid loop's return (minus the approach)
    and the district supply (plus the approach):
    ``COP_h = eta T_c / (T_c - T_e)``.

    Parameters
    ----------
    p : CoolingParameters
        The plant's parameters (:class:`CoolingParameters`).

    Returns
    -------
    float
        Heating coefficient of performance [1], heat delivered per electricity.
    """
    approach = p.heat_pump_approach
    temp_source = p.temp_liquid_supply + p.liquid_delta_t - approach
    temp_sink = p.temp_district_supply + approach
    lift = temp_sink - temp_source
    lift = LIFT_MIN if lift < LIFT_MIN else lift
    return p.heat_pump_efficiency * (temp_sink + KELVIN) / lift


@physics
def liquid_loop(p, heat, temp_air, temp_wet_bulb):
    """The direct-to-chip liquid loop for one time step.

    Parameters
    ----------
    p : CoolingParameters
        The plant's parameters.
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
    design = p.liquid_fraction * p.design_heat
    delta_t = p.liquid_delta_t
    temp_supply = p.temp_liquid_supply
    temp_return = temp_supply + delta_t
    load = heat / design if design > 0.0 else 0.0

    power_pump = affinity_power(p.pump_ratio * design, load, p.pump_min_flow)
    water_heat = heat + power_pump  # pump work ends as heat in the water

    # heat pump on the return water: Q_cond = Q_evap + W, W = Q_cond / COP
    cop = heat_pump_cop(p)
    demand = p.heat_pump_demand
    delivered = water_heat * cop / (cop - 1.0)
    delivered = demand if delivered > demand else delivered
    # no offtake or no lift: nothing delivered, whatever the load (an infinite one too)
    delivered = 0.0 if cop <= 1.0 or demand <= 0.0 else delivered
    power_heat_pump = delivered / cop
    recovered = delivered - power_heat_pump
    to_reject = water_heat - recovered

    # dry coolers, full speed: Q_full = Q_des (T_return - T_in) / ITD_des
    itd_design = delta_t + p.dry_cooler_approach
    temp_needed = temp_return - to_reject * itd_design / design if design > 0.0 else temp_air
    temp_in = temp_air
    if p.evaporative > 0.0:
        temp_in = evaporative_precool(
            temp_air, temp_wet_bulb, p.evaporative_effectiveness, temp_needed
        )
    # dry-cooler air mass flow at full speed: Q_des / (c_p dT_air,des); c_p cancels
    evaporated = design * (temp_air - temp_in) / (p.dry_cooler_air_rise * LATENT_HEAT_WATER)
    capacity = design * (temp_return - temp_in) / itd_design
    capacity = 0.0 if capacity < 0.0 else capacity
    has_chiller = p.chiller_model != CHILLER_NONE
    if to_reject <= capacity:
        ratio = to_reject / capacity if capacity > 0.0 else 0.0
        speed = pow_unit(ratio, 1.0 / p.dry_cooler_exponent)
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
    power_fan = affinity_power(p.dry_cooler_fan_ratio * design, speed, p.dry_cooler_min_speed)
    power_chiller = chiller_power(p, heat_chiller, temp_supply, temp_air, p.chiller_sizing * design)
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

    Parameters
    ----------
    p : CoolingParameters
        The plant's parameters (:class:`CoolingParameters`).
    temp_air : float
        Outdoor dry-bulb temperature [degC].
    temp_wet_bulb : float
        Outdoor wet-bulb temperature [degC]; used only with evaporative assist.

    Returns
    -------
    float
        Dry-bulb temperature of the outdoor air reaching the economiser [degC].
    """
    if p.evaporative > 0.0:
        return evaporative_precool(
            temp_air, temp_wet_bulb, p.evaporative_effectiveness, p.temp_air_supply
        )
    return temp_air


@physics
def supply_from_outdoor(p, temp_air, outdoor):
    """Supply air temperature [degC] given the economiser's outdoor air ``outdoor``.

    The set point, or in a plant without chillers the outdoor air when it is
    warmer; NaN when ``temp_air`` is NaN.

    Parameters
    ----------
    p : CoolingParameters
        The plant's parameters (:class:`CoolingParameters`).
    temp_air : float
        Outdoor dry-bulb temperature [degC].
    outdoor : float
        Outdoor air temperature after the evaporative pad, if fitted [degC]
        (:func:`outdoor_air_temperature`).

    Returns
    -------
    float
        Supply air temperature [degC].
    """
    setpoint = p.temp_air_supply
    floating = setpoint if outdoor < setpoint else outdoor
    result = setpoint if p.chiller_model != CHILLER_NONE else floating
    return temp_air if temp_air != temp_air else result  # NaN stays NaN


@physics
def supply_air_temperature(p, temp_air, temp_wet_bulb):
    """Temperature of the air supplied to the racks [degC].

    The set point, except in a plant without chillers, where it floats up
    with the (evaporatively cooled) outdoor air. Depends on the weather and
    the plant only, never on the heat load: this is what lets the ITE model
    take it as its inlet temperature without iterating.

    Parameters
    ----------
    p : CoolingParameters
        The plant's parameters (:class:`CoolingParameters`).
    temp_air : float
        Outdoor dry-bulb temperature [degC].
    temp_wet_bulb : float
        Outdoor wet-bulb temperature [degC]; used only with evaporative assist.

    Returns
    -------
    float
        Supply air temperature [degC].
    """
    outdoor = outdoor_air_temperature(p, temp_air, temp_wet_bulb)
    return supply_from_outdoor(p, temp_air, outdoor)


@physics
def air_loop(p, heat, temp_air, temp_wet_bulb):
    """The air loop (CRAH fans, economiser, chiller) for one time step.

    Parameters
    ----------
    p : CoolingParameters
        The plant's parameters.
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
    design = (1.0 - p.liquid_fraction) * p.design_heat
    delta_t = p.air_delta_t
    load = heat / design if design > 0.0 else 0.0
    power_fan = affinity_power(p.crah_fan_ratio * design, load, p.crah_min_flow)
    air_heat = heat + power_fan  # fan work ends as heat in the air stream

    setpoint = p.temp_air_supply
    outdoor = outdoor_air_temperature(p, temp_air, temp_wet_bulb)
    temp_supply = supply_from_outdoor(p, temp_air, outdoor)
    economizer = p.economizer > 0.0
    has_chiller = p.chiller_model != CHILLER_NONE
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
        p, heat_chiller, p.temp_chilled_water, temp_air, p.chiller_sizing * design
    )
    exhaust = air_heat - heat_chiller
    rejected = exhaust + heat_chiller + power_chiller
    return power_fan, power_chiller, heat_chiller, evaporated, rejected, temp_supply


@physics
def cooling_plant(p, heat_load, temp_air, temp_wet_bulb):
    """All of the cooling plant for one time step.

    Parameters
    ----------
    p : CoolingParameters
        The plant's parameters.
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
        ``heat_load + power_cooling = heat_rejected + heat_recovered``. All
        NaN when an input it uses is NaN or infinite.
    """
    heat_liquid = p.liquid_fraction * heat_load
    # NaN or +-inf in any input used makes every output NaN: a plant has no state at an
    # infinite load or temperature. x - x is 0 for a finite x and NaN otherwise.
    poison = heat_load + temp_air
    poison = poison + temp_wet_bulb if p.evaporative > 0.0 else poison
    poison = poison - poison
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
    blowdown = evaporated / (p.cycles_of_concentration - 1.0)
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
