"""EnergyPlus ``ElectricEquipment:ITE:AirCooled``: scalar physics.

The hourly calculation of EnergyPlus's air-cooled IT equipment object
(``CalcZoneITEq`` in ``src/EnergyPlus/InternalHeatGains.cc``; Engineering
Reference, "Heat Gain from IT Equipment"), for the ``FlowFromSystem`` air
flow method and the ``AdjustedSupply`` / ``ZoneAirNode`` inlet connections.

Parameters travel packed in one array ``p`` (layout below) so that the same
function compiles for CPU and CUDA; :class:`powermodel.ite.ITEAirCooled`
builds it.

``p`` layout::

    0 design CPU power P_des (1 - f_fan)        [W]
    1 design fan power P_des f_fan              [W]
    2 design air volume flow                    [m3 s-1]
    3 design entering air temperature           [degC]
    4 design electric power supply efficiency   [1]
    5 fraction of supply losses to zone         [1]
    6 design recirculation fraction             [1]
    7 (unused)
    8, 20, 32, 44, 56: the curves CPU power f(u, T_in), air flow f(u, T_in),
      fan power f(flow fraction), UPS efficiency f(PLR), recirculation
      f(u, T_supply); 12 numbers each, see :func:`curve_value`.
"""

from __future__ import annotations

from powermodel.kernels._physics import physics
from powermodel.kernels.constants import KELVIN

__all__ = [
    "CURVE_AIR_FLOW",
    "CURVE_CPU",
    "CURVE_FAN",
    "CURVE_RECIRCULATION",
    "CURVE_UPS",
    "OUTPUTS",
    "PARAMETERS",
    "SMALL_AIR_VOLUME_FLOW",
    "air_density",
    "air_specific_heat",
    "clamp",
    "curve_value",
    "ite_air_cooled",
]

CURVE_CPU = 8
CURVE_AIR_FLOW = 20
CURVE_FAN = 32
CURVE_UPS = 44
CURVE_RECIRCULATION = 56
PARAMETERS = 68

SMALL_AIR_VOLUME_FLOW = 0.001  # m3/s, EnergyPlus HVAC::SmallAirVolFlow


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
    """``value`` limited to ``[low, high]``; NaN stays NaN."""
    value = low if value < low else value
    return high if value > high else value


@physics
def curve_value(p, k, x, y):
    """EnergyPlus curve ``p[k : k + 12]`` at ``(x, y)``.

    ``c1 + c2 x + c3 x**2 + c4 y + c5 y**2 + c6 x y`` (Curve:Biquadratic;
    Curve:Quadratic has ``c4 = c5 = c6 = 0``). As EnergyPlus's
    ``CurveValue``, inputs are first limited to ``[x_min, x_max]`` and
    ``[y_min, y_max]``, and the result to ``[out_min, out_max]``.
    Layout: ``c1..c6, x_min, x_max, y_min, y_max, out_min, out_max``.
    """
    x = clamp(x, p[k + 6], p[k + 7])
    y = clamp(y, p[k + 8], p[k + 9])
    value = p[k] + x * (p[k + 1] + x * p[k + 2]) + y * (p[k + 3] + y * p[k + 4]) + p[k + 5] * x * y
    return clamp(value, p[k + 10], p[k + 11])


@physics
def air_density(pressure, temperature, humidity_ratio):
    """Moist air density [kg m-3], EnergyPlus ``PsyRhoAirFnPbTdbW``.

    ``rho = P / (287 (T + 273.15)(1 + 1.6077687 max(W, 1e-5)))`` with ``P``
    [Pa], ``T`` [degC], ``W`` [kg kg-1]: the ideal gas law with a gas
    constant of 287 J kg-1 K-1 and the air/water molar mass ratio
    28.9645/18.01534 (EnergyPlus ``Psychrometrics.hh``; matches
    EnergyPlus 25.2 output, tests/data/energyplus_ite).
    """
    w = 1.0e-5 if humidity_ratio < 1.0e-5 else humidity_ratio
    return pressure / (287.0 * (temperature + KELVIN) * (1.0 + 1.6077687 * w))


@physics
def air_specific_heat(humidity_ratio):
    """Moist air specific heat [J kg-1 K-1], EnergyPlus ``PsyCpAirFnW``.

    ``c_p = 1004.84 + 1858.95 max(W, 1e-5)``.
    """
    w = 1.0e-5 if humidity_ratio < 1.0e-5 else humidity_ratio
    return 1.00484e3 + 1.85895e3 * w


@physics
def ite_air_cooled(p, utilization, temp_supply, temp_zone, humidity_ratio, schedule, pressure):
    """One time step of ``ElectricEquipment:ITE:AirCooled``.

    Parameters
    ----------
    p : array
        Packed parameters (module docstring).
    utilization : float
        CPU loading schedule value [1].
    temp_supply : float
        Supply air temperature [degC] (for ``ZoneAirNode`` pass the zone
        temperature and a recirculation of 1).
    temp_zone : float
        Zone (recirculated) air temperature [degC].
    humidity_ratio : float
        Inlet air humidity ratio [kg kg-1].
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

        r      = r_des f_recirc(u, T_supply)
        T_in   = T_supply (1 - r) + T_zone r
        P_cpu  = max(P_cpu,des S f_cpu(u, T_in), 0)
        FF     = max(f_flow(u, T_in), 0);   V = V_des S FF  (0 below 0.001 m3/s)
        P_fan  = max(P_fan,des S f_fan(FF), 0)
        PLR    = (P_cpu + P_fan) / (P_cpu,des + P_fan,des)
        P_ups  = (P_cpu + P_fan) max(1 - eta_des f_ups(PLR), 0)
        m      = V rho(P, T_in, W)
        T_out  = T_in + (P_cpu + P_fan) / (m c_p(W))   (T_in if m = 0)
    """
    design_cpu = p[0]
    design_fan = p[1]
    design_temp = p[3]
    recirculation = p[6] * curve_value(p, CURVE_RECIRCULATION, utilization, temp_supply)
    temp_inlet = temp_supply * (1.0 - recirculation) + temp_zone * recirculation

    power_cpu = design_cpu * schedule * curve_value(p, CURVE_CPU, utilization, temp_inlet)
    power_cpu = 0.0 if power_cpu < 0.0 else power_cpu
    cpu_design_inlet = design_cpu * schedule * curve_value(p, CURVE_CPU, utilization, design_temp)
    cpu_design_inlet = 0.0 if cpu_design_inlet < 0.0 else cpu_design_inlet

    flow_fraction = curve_value(p, CURVE_AIR_FLOW, utilization, temp_inlet)
    flow_fraction = 0.0 if flow_fraction < 0.0 else flow_fraction
    air_volume_flow = p[2] * schedule * flow_fraction
    # EnergyPlus zeroes flows below HVAC::SmallAirVolFlow (the fan curve still sees the fraction)
    air_volume_flow = 0.0 if air_volume_flow < SMALL_AIR_VOLUME_FLOW else air_volume_flow
    flow_fraction_design = curve_value(p, CURVE_AIR_FLOW, utilization, design_temp)
    flow_fraction_design = 0.0 if flow_fraction_design < 0.0 else flow_fraction_design

    power_fan = design_fan * schedule * curve_value(p, CURVE_FAN, flow_fraction, 0.0)
    power_fan = 0.0 if power_fan < 0.0 else power_fan
    fan_design_inlet = design_fan * schedule * curve_value(p, CURVE_FAN, flow_fraction_design, 0.0)
    fan_design_inlet = 0.0 if fan_design_inlet < 0.0 else fan_design_inlet

    power_it = power_cpu + power_fan
    part_load = power_it / (design_cpu + design_fan)
    ups_loss_fraction = 1.0 - p[4] * curve_value(p, CURVE_UPS, part_load, 0.0)
    ups_loss_fraction = 0.0 if ups_loss_fraction < 0.0 else ups_loss_fraction
    power_ups = power_it * ups_loss_fraction

    air_mass_flow = air_volume_flow * air_density(pressure, temp_inlet, humidity_ratio)
    capacity_rate = air_mass_flow * air_specific_heat(humidity_ratio)  # W/K
    # no flow: no heating (EnergyPlus); guarded so that NaN stays NaN and 0/0 never happens
    guarded = 1.0 if capacity_rate == 0.0 else capacity_rate
    temp_outlet = temp_inlet if air_mass_flow == 0.0 else temp_inlet + power_it / guarded
    # EnergyPlus reports the flow at standard density: 20 degC, dry air, same pressure
    air_volume_flow_standard = air_mass_flow / air_density(pressure, 20.0, 0.0)
    return (
        power_cpu,
        power_fan,
        power_ups,
        power_ups * p[5],
        air_volume_flow,
        air_volume_flow_standard,
        air_mass_flow,
        temp_inlet,
        temp_outlet,
        cpu_design_inlet,
        fan_design_inlet,
    )
