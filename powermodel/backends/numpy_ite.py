"""EnergyPlus ITE:AirCooled in plain numpy, float64: the reference the tests trust."""

from __future__ import annotations

import numpy as np

from powermodel.kernels import ite as layout

__all__ = ["ite_air_cooled"]


def _curve(p, k, x, y):
    x = np.clip(x, p[k + 6], p[k + 7])
    y = np.clip(y, p[k + 8], p[k + 9])
    c = p[k : k + 6]
    value = c[0] + c[1] * x + c[2] * x**2 + c[3] * y + c[4] * y**2 + c[5] * x * y
    return np.clip(value, p[k + 10], p[k + 11])


def ite_air_cooled(p, utilization, temp_supply, temp_zone, humidity_ratio, schedule, pressure):
    """All eleven outputs of :func:`powermodel.kernels.ite.ite_air_cooled` as a dict of arrays."""
    p = np.asarray(p, np.float64)
    u, t_supply, t_zone, w, s, pb = (
        np.asarray(a, np.float64)
        for a in (utilization, temp_supply, temp_zone, humidity_ratio, schedule, pressure)
    )
    recirculation = p[6] * _curve(p, layout.CURVE_RECIRCULATION, u, t_supply)
    t_in = t_supply * (1 - recirculation) + t_zone * recirculation
    cpu = np.maximum(p[0] * s * _curve(p, layout.CURVE_CPU, u, t_in), 0)  # NaN propagates
    cpu_design = np.maximum(p[0] * s * _curve(p, layout.CURVE_CPU, u, p[3]), 0)
    flow_fraction = np.maximum(_curve(p, layout.CURVE_AIR_FLOW, u, t_in), 0)
    flow_fraction_design = np.maximum(_curve(p, layout.CURVE_AIR_FLOW, u, p[3]), 0)
    fan = np.maximum(p[1] * s * _curve(p, layout.CURVE_FAN, flow_fraction, 0.0), 0)
    fan_design = np.maximum(p[1] * s * _curve(p, layout.CURVE_FAN, flow_fraction_design, 0.0), 0)
    power = cpu + fan
    ups = power * np.maximum(1 - p[4] * _curve(p, layout.CURVE_UPS, power / (p[0] + p[1]), 0.0), 0)
    volume = p[2] * s * flow_fraction
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
        "ups_heat_to_zone": ups * p[5],
        "air_volume_flow": volume,
        "air_volume_flow_standard": mass / density(20.0, 0.0),
        "air_mass_flow": mass,
        "temp_inlet": t_in,
        "temp_outlet": t_out,
        "power_cpu_design_inlet": cpu_design,
        "power_fan_design_inlet": fan_design,
    }
