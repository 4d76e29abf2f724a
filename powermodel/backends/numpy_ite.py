"""EnergyPlus ITE:AirCooled in plain numpy, float64: the reference the tests trust."""

from __future__ import annotations

import numpy as np

from powermodel.kernels import ite as layout
from powermodel.kernels.ite import curve_of

__all__ = ["ite_air_cooled"]


def _curve(p, curve, x, y):
    c = curve_of(p, curve)
    x = np.clip(x, c[6], c[7])
    y = np.clip(y, c[8], c[9])
    value = c[0] + c[1] * x + c[2] * x**2 + c[3] * y + c[4] * y**2 + c[5] * x * y
    return np.clip(value, c[10], c[11])


def ite_air_cooled(p, utilization, temp_supply, temp_zone, humidity_ratio, schedule, pressure):
    """All eleven outputs of :func:`powermodel.kernels.ite.ite_air_cooled` as a dict of arrays."""
    p = type(p)(*map(float, p))
    u, t_supply, t_zone, w, s, pb = (
        np.asarray(a, np.float64)
        for a in (utilization, temp_supply, temp_zone, humidity_ratio, schedule, pressure)
    )
    recirculation = p.recirculation_design * _curve(p, "recirculation", u, t_supply)
    t_in = t_supply * (1 - recirculation) + t_zone * recirculation
    cpu = np.maximum(p.design_power_cpu * s * _curve(p, "cpu_power", u, t_in), 0)  # NaN propagates
    cpu_design = np.maximum(
        p.design_power_cpu * s * _curve(p, "cpu_power", u, p.design_temp_inlet), 0
    )
    flow_fraction = np.maximum(_curve(p, "air_flow", u, t_in), 0)
    flow_fraction_design = np.maximum(_curve(p, "air_flow", u, p.design_temp_inlet), 0)
    fan = np.maximum(p.design_power_fan * s * _curve(p, "fan_power", flow_fraction, 0.0), 0)
    fan_design = np.maximum(
        p.design_power_fan * s * _curve(p, "fan_power", flow_fraction_design, 0.0), 0
    )
    power = cpu + fan
    design = p.design_power_cpu + p.design_power_fan
    ups = power * np.maximum(
        1 - p.ups_efficiency * _curve(p, "ups_efficiency", power / design, 0.0), 0
    )
    volume = p.design_air_volume_flow * s * flow_fraction
    volume = np.where(volume < layout.SMALL_AIR_VOLUME_FLOW, 0.0, volume)  # NaN stays NaN

    def density(temperature, humidity_ratio):  # EnergyPlus PsyRhoAirFnPbTdbW
        return pb / (
            287.0 * (temperature + 273.15) * (1 + 1.6077687 * np.maximum(humidity_ratio, 1e-5))
        )

    mass = volume * density(t_in, w)
    cp = 1.00484e3 + 1.85895e3 * np.maximum(w, 1e-5)
    with np.errstate(divide="ignore", invalid="ignore"):
        t_out = np.where(mass == 0, t_in, t_in + power / (mass * cp))
    return {
        "power_cpu": cpu,
        "power_fan": fan,
        "power_ups": ups,
        "ups_heat_to_zone": ups * p.ups_loss_to_zone,
        "air_volume_flow": volume,
        "air_volume_flow_standard": mass / density(20.0, 0.0),
        "air_mass_flow": mass,
        "temp_inlet": t_in,
        "temp_outlet": t_out,
        "power_cpu_design_inlet": cpu_design,
        "power_fan_design_inlet": fan_design,
    }
