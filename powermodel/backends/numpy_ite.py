"""EnergyPlus ITE:AirCooled in plain numpy, float64: the reference the tests trust."""

from __future__ import annotations

import numpy as np

from powermodel.kernels import ite as layout
from powermodel.kernels.ite import CURVE_FIELDS, CURVE_FORMS, curve_of

__all__ = ["CURVE_FIELDS", "CURVE_FORMS", "curve_value", "ite_air_cooled"]


def curve_value(c, x, y=None):
    """EnergyPlus curve ``c`` (the thirteen numbers of ``CURVE_FIELDS``) at ``x`` (and ``y``).

    ``y=None`` is EnergyPlus's one-variable ``CurveValue(index, x)``: a
    biquadratic is then taken at ``y = 0`` without its ``y`` limits
    (``Curve::valueFallback``). Inputs are limited, then the form's formula
    (``CurveManager.cc``, ``Curve::value``), then the output limits.
    """
    x = np.clip(x, c[6], c[7])
    y = 0.0 if y is None else np.clip(y, c[8], c[9])
    form = c[12]
    if form == layout.CURVE_BIQUADRATIC:
        value = c[0] + c[1] * x + c[2] * x**2 + c[3] * y + c[4] * y**2 + c[5] * x * y
    elif form == layout.CURVE_EXPONENT:
        with np.errstate(divide="ignore", invalid="ignore"):  # 0**-a = inf, (-1)**0.5 = NaN
            value = c[0] + c[1] * np.power(np.asarray(x, np.float64), c[2])
    elif form in (layout.CURVE_LINEAR, layout.CURVE_QUADRATIC, layout.CURVE_CUBIC,
                  layout.CURVE_QUARTIC):  # fmt: skip
        # the coefficients beyond the form's own are 0 (c3 = c4 = c5 = 0 for a Curve:Linear)
        value = c[0] + c[1] * x + c[2] * x**2 + c[3] * x**3 + c[4] * x**4
    else:
        raise ValueError(f"curve: unknown form code {form!r}")
    return np.clip(value, c[10], c[11])


def _curve(p, curve, x, y=None):
    return curve_value(curve_of(p, curve), x, y)


def ite_air_cooled(p, utilization, temp_supply, temp_zone, humidity_ratio, schedule, pressure):
    """All eleven outputs of :func:`powermodel.kernels.ite.ite_air_cooled` as a dict of arrays."""
    p = type(p)(*map(float, p))
    u, t_supply, t_zone, w, s, pb = (
        np.asarray(a, np.float64)
        for a in (utilization, temp_supply, temp_zone, humidity_ratio, schedule, pressure)
    )
    if p.approach_method == 1.0:
        t_in = t_supply + t_zone  # FlowControlWithApproachTemperatures: t_zone is dT_supply
    else:
        recirculation = p.recirculation_design * _curve(p, "recirculation", u, t_supply)
        t_in = t_supply * (1 - recirculation) + t_zone * recirculation
    cpu = np.maximum(p.design_power_cpu * s * _curve(p, "cpu_power", u, t_in), 0)  # NaN propagates
    cpu_design = np.maximum(
        p.design_power_cpu * s * _curve(p, "cpu_power", u, p.design_temp_inlet), 0
    )
    flow_fraction = np.maximum(_curve(p, "air_flow", u, t_in), 0)
    flow_fraction_design = np.maximum(_curve(p, "air_flow", u, p.design_temp_inlet), 0)
    fan = np.maximum(p.design_power_fan * s * _curve(p, "fan_power", flow_fraction), 0)
    fan_design = np.maximum(
        p.design_power_fan * s * _curve(p, "fan_power", flow_fraction_design), 0
    )
    power = cpu + fan
    design = p.design_power_cpu + p.design_power_fan
    ups_efficiency = _curve(p, "ups_efficiency", power / design)
    ups = power * np.maximum(1 - p.ups_efficiency * ups_efficiency, 0)
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
        if p.approach_method == 1.0:  # EnergyPlus: TAirOut = TSupply within SmallTempDiff
            t_out = np.where(np.abs(t_out - t_supply) < layout.SMALL_TEMP_DIFF, t_supply, t_out)
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
