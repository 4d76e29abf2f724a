"""EnergyPlus ``ElectricEquipment:ITE:AirCooled``: scalar physics.

The hourly calculation of EnergyPlus's air-cooled IT equipment object
(``CalcZoneITEq`` in ``src/EnergyPlus/InternalHeatGains.cc``; Engineering
Reference, "Heat Gain from IT Equipment"): the ``FlowFromSystem`` air flow
method with the ``AdjustedSupply`` / ``ZoneAirNode`` inlet connections, and
the ``FlowControlWithApproachTemperatures`` method.

Parameters reach the kernel as one flat named record, :class:`ITEParameters`,
built by :class:`powermodel.ite.ITEAirCooled`. Each EnergyPlus curve is
thirteen fields of it, ``<curve>_c1 .. <curve>_out_max, <curve>_form``
(:data:`CURVE_FIELDS`); a flat record of scalars is what numba's parallel
loops and numba-cuda both pass by value (a record holding tuples is refused
by numba's ``prange``). The curve forms are those of EnergyPlus's
``CurveManager.cc`` (``Curve::value``): Curve:Biquadratic, Curve:Linear,
Curve:Quadratic, Curve:Cubic, Curve:Quartic and Curve:Exponent.
"""

from __future__ import annotations

from typing import NamedTuple

from powermodel.kernels._physics import physics
from powermodel.kernels.constants import KELVIN

__all__ = [
    "CURVE_BIQUADRATIC",
    "CURVE_CUBIC",
    "CURVE_EXPONENT",
    "CURVE_FIELDS",
    "CURVE_FORMS",
    "CURVE_LINEAR",
    "CURVE_QUADRATIC",
    "CURVE_QUARTIC",
    "OUTPUTS",
    "SMALL_AIR_VOLUME_FLOW",
    "SMALL_TEMP_DIFF",
    "ITEParameters",
    "air_density",
    "air_specific_heat",
    "clamp",
    "curve_formula",
    "curve_value",
    "full_curve_value",
    "full_curve_value_x",
    "ite_air_cooled",
]

# Codes of the curve forms in a curve's ``form`` field (EnergyPlus Curve::CurveType).
CURVE_BIQUADRATIC = 0.0  # c1 + c2 x + c3 x**2 + c4 y + c5 y**2 + c6 x y
CURVE_LINEAR = 1.0  # c1 + c2 x
CURVE_QUADRATIC = 2.0  # c1 + c2 x + c3 x**2
CURVE_CUBIC = 3.0  # c1 + c2 x + c3 x**2 + c4 x**3
CURVE_QUARTIC = 4.0  # c1 + c2 x + c3 x**2 + c4 x**3 + c5 x**4
CURVE_EXPONENT = 5.0  # c1 + c2 x**c3

#: Curve form name -> (code, number of coefficients); unused coefficients are 0.
CURVE_FORMS = {
    "biquadratic": (CURVE_BIQUADRATIC, 6),
    "linear": (CURVE_LINEAR, 2),
    "quadratic": (CURVE_QUADRATIC, 3),
    "cubic": (CURVE_CUBIC, 4),
    "quartic": (CURVE_QUARTIC, 5),
    "exponent": (CURVE_EXPONENT, 3),
}

#: The thirteen numbers of an EnergyPlus curve, in the order :func:`curve_value`
#: reads them: six coefficients (a form with fewer has zeros after its own),
#: the input and output limits (infinite: none) and the form's code.
CURVE_FIELDS = (
    "c1", "c2", "c3", "c4", "c5", "c6", "x_min", "x_max", "y_min", "y_max", "out_min", "out_max",
    "form",
)  # fmt: skip


def curve_fields(curve: str) -> list:
    """The record fields ``[(f"{curve}_c1", float), ...]`` of one curve.

    Parameters
    ----------
    curve : str
        The curve's name, the fields' prefix, e.g. ``"cpu_power"``.

    Returns
    -------
    list of tuple
        The thirteen ``(name, float)`` field specifications, in the order of
        :data:`CURVE_FIELDS`.
    """
    return [(f"{curve}_{name}", float) for name in CURVE_FIELDS]


def curve_of(record, curve: str) -> tuple:
    """The thirteen numbers of ``curve`` in a parameter ``record`` (plain Python, for oracles).

    Parameters
    ----------
    record : ITEParameters
        A parameter record with the curve's fields (:class:`ITEParameters`).
    curve : str
        The curve's name, the fields' prefix, e.g. ``"cpu_power"``.

    Returns
    -------
    tuple of float
        The curve's numbers in the order of :data:`CURVE_FIELDS`.
    """
    return tuple(getattr(record, f"{curve}_{name}") for name in CURVE_FIELDS)


ITEParameters = NamedTuple(
    "ITEParameters",
    [
        ("design_power_cpu", float),  # design CPU power P_des (1 - f_fan) [W]
        ("design_power_fan", float),  # design fan power P_des f_fan [W]
        ("design_air_volume_flow", float),  # [m3 s-1]
        ("design_temp_inlet", float),  # design entering air temperature [degC]
        ("ups_efficiency", float),  # design electric power supply efficiency [1]
        ("ups_loss_to_zone", float),  # fraction of supply losses to the zone [1]
        ("recirculation_design", float),  # design recirculation fraction [1]
        ("approach_method", float),  # 1: FlowControlWithApproachTemperatures, 0: FlowFromSystem
        *curve_fields("cpu_power"),  # f(u, T_in)
        *curve_fields("air_flow"),  # f(u, T_in)
        *curve_fields("fan_power"),  # f(flow fraction)
        *curve_fields("ups_efficiency"),  # f(part-load ratio)
        *curve_fields("recirculation"),  # f(u, T_supply)
    ],
)
ITEParameters.__doc__ = """Parameters of the ITE kernel (from :class:`powermodel.ite.ITEAirCooled`).

Scalars ``design_power_cpu`` and ``design_power_fan`` [W],
``design_air_volume_flow`` [m3 s-1], ``design_temp_inlet`` [degC],
``ups_efficiency``, ``ups_loss_to_zone`` and ``recirculation_design`` [1];
``approach_method`` (1 for ``FlowControlWithApproachTemperatures``, else 0);
then the curves ``cpu_power``, ``air_flow``, ``fan_power``,
``ups_efficiency`` and ``recirculation``, thirteen fields each
(:data:`CURVE_FIELDS`).

Each curve's fields are its coefficients ``c1`` .. ``c6`` (zeros beyond the
form's own), the limits of its inputs ``x`` and ``y`` and of its value
(infinite: none) and its form's code, as :class:`powermodel.ite.Curve`
packs them. The value of every curve is a dimensionless multiplier [1].

Parameters
----------
design_power_cpu : float
    Design CPU power ``P_des (1 - f_fan)`` [W].
design_power_fan : float
    Design fan power ``P_des f_fan`` [W].
design_air_volume_flow : float
    Design air volume flow ``V_des`` [m3 s-1], >= 0.
design_temp_inlet : float
    Design entering air temperature [degC].
ups_efficiency : float
    Design electric power supply efficiency [1], in (0, 1].
ups_loss_to_zone : float
    Fraction of the electric power supply losses given to the zone [1], 0..1.
recirculation_design : float
    Design recirculation fraction [1]: 0..0.5 for ``AdjustedSupply``, 1 for
    ``ZoneAirNode``, 0 for the approach method.
approach_method : float
    1 for ``FlowControlWithApproachTemperatures``, 0 for ``FlowFromSystem``.
cpu_power_c1, cpu_power_c2, cpu_power_c3, cpu_power_c4, cpu_power_c5, cpu_power_c6 : float
    Coefficients of the CPU power curve, the fraction [1] of ``design_power_cpu``
    as a function of ``x``, the CPU loading [1], and ``y``, the inlet
    temperature [degC].
cpu_power_x_min, cpu_power_x_max, cpu_power_y_min, cpu_power_y_max : float
    Limits of the CPU power curve's CPU loading [1] and inlet temperature [degC].
cpu_power_out_min, cpu_power_out_max : float
    Limits of the CPU power curve's value [1].
cpu_power_form : float
    The CPU power curve's form code (:data:`CURVE_FORMS`).
air_flow_c1, air_flow_c2, air_flow_c3, air_flow_c4, air_flow_c5, air_flow_c6 : float
    Coefficients of the air flow curve, the fraction [1] of
    ``design_air_volume_flow`` as a function of ``x``, the CPU loading [1], and
    ``y``, the inlet temperature [degC].
air_flow_x_min, air_flow_x_max, air_flow_y_min, air_flow_y_max : float
    Limits of the air flow curve's CPU loading [1] and inlet temperature [degC].
air_flow_out_min, air_flow_out_max : float
    Limits of the air flow curve's value [1].
air_flow_form : float
    The air flow curve's form code (:data:`CURVE_FORMS`).
fan_power_c1, fan_power_c2, fan_power_c3, fan_power_c4, fan_power_c5, fan_power_c6 : float
    Coefficients of the fan power curve, the fraction [1] of
    ``design_power_fan`` as a function of ``x``, the air flow fraction [1].
fan_power_x_min, fan_power_x_max, fan_power_y_min, fan_power_y_max : float
    Limits of the fan power curve's air flow fraction [1] and of its unused
    ``y`` (infinite).
fan_power_out_min, fan_power_out_max : float
    Limits of the fan power curve's value [1].
fan_power_form : float
    The fan power curve's form code (:data:`CURVE_FORMS`).
ups_efficiency_c1, ups_efficiency_c2, ups_efficiency_c3 : float
    First three coefficients of the supply efficiency curve, the multiplier
    [1] of ``ups_efficiency`` as a function of ``x``, the part-load ratio [1].
ups_efficiency_c4, ups_efficiency_c5, ups_efficiency_c6 : float
    The supply efficiency curve's other three coefficients.
ups_efficiency_x_min, ups_efficiency_x_max : float
    Limits of the supply efficiency curve's part-load ratio [1].
ups_efficiency_y_min, ups_efficiency_y_max : float
    Limits of the supply efficiency curve's unused ``y`` (infinite).
ups_efficiency_out_min, ups_efficiency_out_max : float
    Limits of the supply efficiency curve's value [1].
ups_efficiency_form : float
    The supply efficiency curve's form code (:data:`CURVE_FORMS`).
recirculation_c1, recirculation_c2, recirculation_c3 : float
    First three coefficients of the recirculation curve, the multiplier [1]
    of ``recirculation_design`` as a function of ``x``, the CPU loading [1],
    and ``y``, the supply air temperature [degC].
recirculation_c4, recirculation_c5, recirculation_c6 : float
    The recirculation curve's other three coefficients.
recirculation_x_min, recirculation_x_max, recirculation_y_min, recirculation_y_max : float
    Limits of the recirculation curve's CPU loading [1] and supply air
    temperature [degC].
recirculation_out_min, recirculation_out_max : float
    Limits of the recirculation curve's value [1].
recirculation_form : float
    The recirculation curve's form code (:data:`CURVE_FORMS`).
"""

SMALL_AIR_VOLUME_FLOW = 0.001  # m3/s, EnergyPlus HVAC::SmallAirVolFlow
SMALL_TEMP_DIFF = 1.0e-5  # K, EnergyPlus HVAC::SmallTempDiff


#: Output variables, in the order of the kernel's result tuple.
OUTPUTS = (
    "power_cpu",
    "power_fan",
    "power_ups",
    "ups_heat_to_zone",
    "air_volume_flow",
    "air_volume_flow_standard",
    "air_mass_flow",
    "temp_inlet",
    "temp_outlet",
    "power_cpu_design_inlet",
    "power_fan_design_inlet",
)


@physics
def clamp(value, low, high):
    """``value`` limited to ``[low, high]``; NaN stays NaN.

    Parameters
    ----------
    value : float
        The number to limit, in any unit.
    low, high : float
        The lower and upper limit, in ``value``'s unit (infinite: none).

    Returns
    -------
    float
        ``value`` limited to ``[low, high]``.
    """
    value = low if value < low else value
    return high if value > high else value


@physics
def curve_formula(c, x, y):
    """The formula of EnergyPlus curve ``c``, any form but Curve:Exponent, at limited inputs.

    ``c[12]`` is the form (:data:`CURVE_FORMS`). Curve:Biquadratic is
    ``c1 + x (c2 + x c3) + y (c4 + y c5) + c6 x y``; Curve:Linear, Quadratic,
    Cubic and Quartic are the one Horner polynomial
    ``c1 + x (c2 + x (c3 + x (c4 + x c5)))``, the coefficients beyond the
    form's own being 0. EnergyPlus's ``Curve::value`` (``CurveManager.cc``)
    writes each form as its own Horner polynomial; for finite ``x`` the zero
    terms add exact zeros, so the numbers are the same. Free of branches but
    the biquadratic test, so that loops calling it stay vectorised;
    Curve:Exponent, a ``pow``, is :func:`full_curve_value`'s.

    Parameters
    ----------
    c : tuple of float
        The curve's thirteen numbers (:data:`CURVE_FIELDS`).
    x, y : float
        The curve's inputs, already limited, in the units its coefficients were fitted for
        (for the ITE curves: CPU loading or air flow fraction [1], and inlet
        or supply air temperature [degC]).

    Returns
    -------
    float
        The formula's value, not limited, in the curve's output unit ([1] for
        the ITE curves).
    """
    if c[12] == CURVE_BIQUADRATIC:
        value = c[0] + x * (c[1] + x * c[2]) + y * (c[3] + y * c[4]) + c[5] * x * y
    else:
        value = c[0] + x * (c[1] + x * (c[2] + x * (c[3] + x * c[4])))
    return value


@physics
def curve_value(c, x, y):
    """EnergyPlus curve ``c`` (thirteen numbers, :data:`CURVE_FIELDS`) at ``(x, y)``.

    Any form but Curve:Exponent (:func:`full_curve_value` has all). As
    EnergyPlus's two-variable ``CurveValue(state, index, x, y)``
    (``CurveManager.cc``): the inputs are first limited to ``[x_min, x_max]``
    and ``[y_min, y_max]``, then the form's formula (:func:`curve_formula`)
    is limited to ``[out_min, out_max]`` (infinite limits: none). A curve of
    one variable ignores ``y``.

    Parameters
    ----------
    c : tuple of float
        The curve's thirteen numbers (:data:`CURVE_FIELDS`).
    x, y : float
        The curve's inputs, in the units its coefficients were fitted for
        (for the ITE curves: CPU loading or air flow fraction [1], and inlet
        or supply air temperature [degC]).

    Returns
    -------
    float
        The curve's value, in its output unit ([1] for the ITE curves).
    """
    x = clamp(x, c[6], c[7])
    y = clamp(y, c[8], c[9])
    return clamp(curve_formula(c, x, y), c[10], c[11])


@physics(inline=False)
def full_curve_value(c, x, y):
    """:func:`curve_value` for every form, Curve:Exponent ``c1 + c2 pow(x, c3)`` included.

    The ``pow`` makes a loop that calls this scalar (numba from PyPI has no
    vector maths library), whichever the curve's form: the ITE kernel pays
    that, the cooling plant (no Curve:Exponent) keeps :func:`curve_value`.

    Parameters
    ----------
    c : tuple of float
        The curve's thirteen numbers (:data:`CURVE_FIELDS`).
    x, y : float
        The curve's inputs, in the units its coefficients were fitted for
        (for the ITE curves: CPU loading or air flow fraction [1], and inlet
        or supply air temperature [degC]).

    Returns
    -------
    float
        The curve's value, in its output unit ([1] for the ITE curves).
    """
    if c[12] == CURVE_EXPONENT:
        x = clamp(x, c[6], c[7])
        value = clamp(c[0] + c[1] * x ** c[2], c[10], c[11])
    else:
        value = curve_value(c, x, y)
    return value


@physics
def full_curve_value_x(c, x):
    """EnergyPlus curve ``c``, any form, evaluated as a function of ``x`` alone.

    As the one-variable ``CurveValue(state, index, x)``: ``x`` limited to
    ``[x_min, x_max]``, the formula, the output limits. A Curve:Biquadratic
    here is evaluated at ``y = 0`` without its ``y`` limits, as EnergyPlus's
    ``Curve::valueFallback`` does (infinite ``y`` limits, as every
    :class:`powermodel.ite.Curve` of one variable has, make it the same).

    Parameters
    ----------
    c : tuple of float
        The curve's thirteen numbers (:data:`CURVE_FIELDS`).
    x : float
        The curve's input, in the unit its coefficients were fitted for (for
        the ITE fan and supply efficiency curves: air flow fraction or
        part-load ratio [1]).

    Returns
    -------
    float
        The curve's value, in its output unit ([1] for the ITE curves).
    """
    if c[12] == CURVE_BIQUADRATIC:
        x = clamp(x, c[6], c[7])
        value = clamp(curve_formula(c, x, 0.0), c[10], c[11])
    else:
        value = full_curve_value(c, x, 0.0)
    return value


@physics
def cpu_power_curve(p):
    """The CPU power curve f(u, T_in) of the record ``p``.

    Parameters
    ----------
    p : ITEParameters
        The equipment's parameters (:class:`ITEParameters`).

    Returns
    -------
    tuple of float
        The curve's thirteen numbers ``cpu_power_c1`` .. ``cpu_power_form``, in the
        order of :data:`CURVE_FIELDS`.
    """
    return (
        p.cpu_power_c1, p.cpu_power_c2, p.cpu_power_c3, p.cpu_power_c4, p.cpu_power_c5,
        p.cpu_power_c6, p.cpu_power_x_min, p.cpu_power_x_max, p.cpu_power_y_min,
        p.cpu_power_y_max, p.cpu_power_out_min, p.cpu_power_out_max, p.cpu_power_form,
    )  # fmt: skip


@physics
def air_flow_curve(p):
    """The air flow curve f(u, T_in) of the record ``p``.

    Parameters
    ----------
    p : ITEParameters
        The equipment's parameters (:class:`ITEParameters`).

    Returns
    -------
    tuple of float
        The curve's thirteen numbers ``air_flow_c1`` .. ``air_flow_form``, in the
        order of :data:`CURVE_FIELDS`.
    """
    return (
        p.air_flow_c1, p.air_flow_c2, p.air_flow_c3, p.air_flow_c4, p.air_flow_c5,
        p.air_flow_c6, p.air_flow_x_min, p.air_flow_x_max, p.air_flow_y_min,
        p.air_flow_y_max, p.air_flow_out_min, p.air_flow_out_max, p.air_flow_form,
    )  # fmt: skip


@physics
def fan_power_curve(p):
    """The fan power curve f(flow fraction) of the record ``p``.

    Parameters
    ----------
    p : ITEParameters
        The equipment's parameters (:class:`ITEParameters`).

    Returns
    -------
    tuple of float
        The curve's thirteen numbers ``fan_power_c1`` .. ``fan_power_form``, in the
        order of :data:`CURVE_FIELDS`.
    """
    return (
        p.fan_power_c1, p.fan_power_c2, p.fan_power_c3, p.fan_power_c4, p.fan_power_c5,
        p.fan_power_c6, p.fan_power_x_min, p.fan_power_x_max, p.fan_power_y_min,
        p.fan_power_y_max, p.fan_power_out_min, p.fan_power_out_max, p.fan_power_form,
    )  # fmt: skip


@physics
def ups_efficiency_curve(p):
    """The UPS efficiency curve f(part-load ratio) of the record ``p``.

    Parameters
    ----------
    p : ITEParameters
        The equipment's parameters (:class:`ITEParameters`).

    Returns
    -------
    tuple of float
        The curve's thirteen numbers ``ups_efficiency_c1`` .. ``ups_efficiency_form``, in the
        order of :data:`CURVE_FIELDS`.
    """
    return (
        p.ups_efficiency_c1, p.ups_efficiency_c2, p.ups_efficiency_c3, p.ups_efficiency_c4,
        p.ups_efficiency_c5, p.ups_efficiency_c6, p.ups_efficiency_x_min,
        p.ups_efficiency_x_max, p.ups_efficiency_y_min, p.ups_efficiency_y_max,
        p.ups_efficiency_out_min, p.ups_efficiency_out_max, p.ups_efficiency_form,
    )  # fmt: skip


@physics
def recirculation_curve(p):
    """The recirculation curve f(u, T_supply) of the record ``p``.

    Parameters
    ----------
    p : ITEParameters
        The equipment's parameters (:class:`ITEParameters`).

    Returns
    -------
    tuple of float
        The curve's thirteen numbers ``recirculation_c1`` .. ``recirculation_form``, in the
        order of :data:`CURVE_FIELDS`.
    """
    return (
        p.recirculation_c1, p.recirculation_c2, p.recirculation_c3, p.recirculation_c4,
        p.recirculation_c5, p.recirculation_c6, p.recirculation_x_min,
        p.recirculation_x_max, p.recirculation_y_min, p.recirculation_y_max,
        p.recirculation_out_min, p.recirculation_out_max, p.recirculation_form,
    )  # fmt: skip


@physics
def air_density(pressure, temperature, humidity_ratio):
    """Moist air density [kg m-3], EnergyPlus ``PsyRhoAirFnPbTdbW``.

    ``rho = P / (287 (T + 273.15)(1 + 1.6077687 max(W, 1e-5)))`` with ``P``
    [Pa], ``T`` [degC], ``W`` [kg kg-1]: the ideal gas law with a gas
    constant of 287 J kg-1 K-1 and the air/water molar mass ratio
    28.9645/18.01534 (EnergyPlus ``Psychrometrics.hh``; matches
    EnergyPlus 25.2 output, tests/data/energyplus_ite).

    Parameters
    ----------
    pressure : float
        Barometric pressure [Pa].
    temperature : float
        Dry-bulb temperature [degC].
    humidity_ratio : float
        Humidity ratio [kg kg-1]; below 1e-5 it counts as 1e-5.

    Returns
    -------
    float
        Moist air density [kg m-3].
    """
    w = 1.0e-5 if humidity_ratio < 1.0e-5 else humidity_ratio
    return pressure / (287.0 * (temperature + KELVIN) * (1.0 + 1.6077687 * w))


@physics
def air_specific_heat(humidity_ratio):
    """Moist air specific heat [J kg-1 K-1], EnergyPlus ``PsyCpAirFnW``.

    ``c_p = 1004.84 + 1858.95 max(W, 1e-5)``.

    Parameters
    ----------
    humidity_ratio : float
        Humidity ratio ``W`` [kg kg-1]; below 1e-5 it counts as 1e-5.

    Returns
    -------
    float
        Moist air specific heat ``c_p`` [J kg-1 K-1].
    """
    w = 1.0e-5 if humidity_ratio < 1.0e-5 else humidity_ratio
    return 1.00484e3 + 1.85895e3 * w


@physics
def ite_air_cooled(p, utilization, temp_supply, temp_zone, humidity_ratio, schedule, pressure):
    """One time step of ``ElectricEquipment:ITE:AirCooled``.

    Parameters
    ----------
    p : ITEParameters
        The equipment's parameters.
    utilization : float
        CPU loading schedule value [1].
    temp_supply : float
        Supply air temperature [degC] (for ``ZoneAirNode`` pass the zone
        temperature and a recirculation of 1; for the approach method the
        supply air node's temperature as the equipment sees it).
    temp_zone : float
        Zone (recirculated) air temperature [degC]; with the approach method
        (``p.approach_method = 1``), which ignores the zone air, the supply
        approach temperature ``dT_supply`` [K] instead.
    humidity_ratio : float
        Inlet air humidity ratio [kg kg-1] (the approach method: the supply
        air's).
    schedule : float
        Design power input schedule value (fraction of equipment on) [1].
    pressure : float
        Barometric pressure for the air density [Pa]: EnergyPlus uses the
        site's standard pressure (from its elevation), not the weather's.

    Returns
    -------
    tuple of float
        ``(power_cpu, power_fan, power_ups, ups_heat_to_zone,
        air_volume_flow, air_volume_flow_standard, air_mass_flow,
        temp_inlet, temp_outlet, power_cpu_design_inlet,
        power_fan_design_inlet)`` in W, m3 s-1, kg s-1 and degC.

    Notes
    -----
    ::

        FlowFromSystem:   r = r_des f_recirc(u, T_supply);  T_in = T_supply (1 - r) + T_zone r
        FlowControlWithApproachTemperatures:               T_in = T_supply + dT_supply
        P_cpu  = max(P_cpu,des S f_cpu(u, T_in), 0)
        FF     = max(f_flow(u, T_in), 0);   V = V_des S FF  (0 below 0.001 m3/s)
        P_fan  = max(P_fan,des S f_fan(FF), 0)
        PLR    = (P_cpu + P_fan) / (P_cpu,des + P_fan,des)
        P_ups  = (P_cpu + P_fan) max(1 - eta_des f_ups(PLR), 0)
        m      = V rho(P, T_in, W)
        T_out  = T_in + (P_cpu + P_fan) / (m c_p(W))   (T_in if m = 0)
        approach method: T_out = T_supply where |T_out - T_supply| < 1e-5 K

    EnergyPlus snaps the outlet to ``TSupply`` in every mode; here only the
    approach method does, whose ``T_supply`` is its own supply node (for
    ``FlowFromSystem`` the < 1e-5 K effect is not modelled).

    The curves of one variable (fan, UPS) are evaluated with
    :func:`full_curve_value_x`, the others with :func:`full_curve_value`. The return
    air temperature of the approach method, ``T_out + dT_return``
    (EnergyPlus's ``Zone ITE Adjusted Return Air Temperature`` for a zone's
    only ITE object), is formed by :func:`powermodel.ite.ite_air_cooled`.
    EnergyPlus sources: ``InternalHeatGains.cc`` ``CalcZoneITEq``
    (``TAirIn = TSupply + SupplyApproachTemp``; ``if (std::abs(TAirOut -
    TSupply) < SmallTempDiff) TAirOut = TSupply``; ``TAirReturn =
    AirOutletDryBulbT + ReturnApproachTemp``).
    """
    design_cpu = p.design_power_cpu
    design_fan = p.design_power_fan
    design_temp = p.design_temp_inlet
    if p.approach_method == 1.0:
        # FlowControlWithApproachTemperatures: TAirIn = TSupply + SupplyApproachTemp
        temp_inlet = temp_supply + temp_zone
    else:
        recirculation = p.recirculation_design * full_curve_value(
            recirculation_curve(p), utilization, temp_supply
        )
        temp_inlet = temp_supply * (1.0 - recirculation) + temp_zone * recirculation

    power_cpu = (
        design_cpu * schedule * full_curve_value(cpu_power_curve(p), utilization, temp_inlet)
    )
    power_cpu = 0.0 if power_cpu < 0.0 else power_cpu
    cpu_design_inlet = (
        design_cpu * schedule * full_curve_value(cpu_power_curve(p), utilization, design_temp)
    )
    cpu_design_inlet = 0.0 if cpu_design_inlet < 0.0 else cpu_design_inlet

    flow_fraction = full_curve_value(air_flow_curve(p), utilization, temp_inlet)
    flow_fraction = 0.0 if flow_fraction < 0.0 else flow_fraction
    air_volume_flow = p.design_air_volume_flow * schedule * flow_fraction
    # EnergyPlus zeroes flows below HVAC::SmallAirVolFlow (the fan curve still sees the fraction)
    air_volume_flow = 0.0 if air_volume_flow < SMALL_AIR_VOLUME_FLOW else air_volume_flow
    flow_fraction_design = full_curve_value(air_flow_curve(p), utilization, design_temp)
    flow_fraction_design = 0.0 if flow_fraction_design < 0.0 else flow_fraction_design

    power_fan = design_fan * schedule * full_curve_value_x(fan_power_curve(p), flow_fraction)
    power_fan = 0.0 if power_fan < 0.0 else power_fan
    fan_design_inlet = (
        design_fan * schedule * full_curve_value_x(fan_power_curve(p), flow_fraction_design)
    )
    fan_design_inlet = 0.0 if fan_design_inlet < 0.0 else fan_design_inlet

    power_it = power_cpu + power_fan
    part_load = power_it / (design_cpu + design_fan)
    ups_loss_fraction = 1.0 - p.ups_efficiency * full_curve_value_x(
        ups_efficiency_curve(p), part_load
    )
    ups_loss_fraction = 0.0 if ups_loss_fraction < 0.0 else ups_loss_fraction
    power_ups = power_it * ups_loss_fraction

    air_mass_flow = air_volume_flow * air_density(pressure, temp_inlet, humidity_ratio)
    capacity_rate = air_mass_flow * air_specific_heat(humidity_ratio)  # W/K
    # no flow: no heating (EnergyPlus); guarded so that NaN stays NaN and 0/0 never happens
    guarded = 1.0 if capacity_rate == 0.0 else capacity_rate
    temp_outlet = temp_inlet if air_mass_flow == 0.0 else temp_inlet + power_it / guarded
    if p.approach_method == 1.0 and abs(temp_outlet - temp_supply) < SMALL_TEMP_DIFF:
        temp_outlet = temp_supply  # EnergyPlus: TAirOut = TSupply within HVAC::SmallTempDiff
    # EnergyPlus reports the flow at standard density: 20 degC, dry air, same pressure
    air_volume_flow_standard = air_mass_flow / air_density(pressure, 20.0, 0.0)
    return (
        power_cpu,
        power_fan,
        power_ups,
        power_ups * p.ups_loss_to_zone,
        air_volume_flow,
        air_volume_flow_standard,
        air_mass_flow,
        temp_inlet,
        temp_outlet,
        cpu_design_inlet,
        fan_design_inlet,
    )
