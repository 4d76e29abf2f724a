"""Moist air properties in plain numpy, float64: the reference the tests trust.

The equations of :mod:`powermodel.kernels.psychrometrics` restated on whole
arrays (ASHRAE Handbook - Fundamentals 2017, ch. 1).
"""

from __future__ import annotations

import numpy as np

from powermodel.kernels import psychrometrics as constants

__all__ = ["moist_air_state", "relative_humidity"]


def _saturation_vapor_pressure(temp):
    t = temp + 273.15
    ice = (
        -5.6745359e03 / t + 6.3925247 - 9.677843e-03 * t + 6.2215701e-07 * t**2
        + 2.0747825e-09 * t**3 - 9.484024e-13 * t**4 + 4.1635019 * np.log(t)
    )  # fmt: skip
    water = (
        -5.8002206e03 / t + 1.3914993 - 4.8640239e-02 * t + 4.1764768e-05 * t**2
        - 1.4452093e-08 * t**3 + 6.5459673 * np.log(t)
    )  # fmt: skip
    return np.exp(np.where(temp <= constants.TRIPLE_POINT, ice, water))


def relative_humidity(temp, dew_point_temp):
    """Relative humidity [%] as a dict (the kernel: ``psychrometrics.relative_humidity``)."""
    return {
        "relative_humidity": 100.0
        * _saturation_vapor_pressure(dew_point_temp)
        / _saturation_vapor_pressure(temp)
    }


def _humidity_ratio(vapor_pressure, pressure):
    return 0.621945 * vapor_pressure / (pressure - vapor_pressure)


def _bisect(function, low, high, target):
    """Root of the increasing ``function`` = ``target`` in [low, high], fixed halvings."""
    low, high = np.broadcast_arrays(np.asarray(low, np.float64), np.asarray(high, np.float64))
    low, high = low.copy(), high.copy()
    for _ in range(constants.BISECTIONS):
        middle = 0.5 * (low + high)
        above = function(middle) >= target
        high = np.where(above, middle, high)
        low = np.where(above, low, middle)
    return 0.5 * (low + high)


def moist_air_state(temp, relative_humidity, pressure):
    """Dict of the six outputs of :func:`powermodel.kernels.psychrometrics.moist_air_state`."""
    temp, rh, pressure = np.broadcast_arrays(
        *(np.asarray(a, np.float64) for a in (temp, relative_humidity, pressure))
    )
    with np.errstate(invalid="ignore"):
        vapor_pressure = rh / 100.0 * _saturation_vapor_pressure(temp)
        w = _humidity_ratio(vapor_pressure, pressure)
        dew = _bisect(_saturation_vapor_pressure, constants.DEW_POINT_MIN, temp, vapor_pressure)

        def humidity_at(wet_bulb):  # ASHRAE 2017 ch. 1 eqs. 33 (water) and 35 (ice)
            saturated = _humidity_ratio(_saturation_vapor_pressure(wet_bulb), pressure)
            water = ((2501 - 2.326 * wet_bulb) * saturated - 1.006 * (temp - wet_bulb)) / (
                2501 + 1.86 * temp - 4.186 * wet_bulb
            )
            ice = ((2830 - 0.24 * wet_bulb) * saturated - 1.006 * (temp - wet_bulb)) / (
                2830 + 1.86 * temp - 2.1 * wet_bulb
            )
            return np.where(wet_bulb <= 0.0, ice, water)

        # humidity_at rises with the wet bulb; '>=' and '>' differ only on exact ties
        wet = _bisect(humidity_at, dew, temp, w)
        enthalpy = 1006.0 * temp + w * (2.501e6 + 1860.0 * temp)
        density = (1 + w) * pressure / (287.042 * (temp + 273.15) * (1 + 1.607858 * w))
    missing = np.isnan(temp) | np.isnan(rh) | np.isnan(pressure)
    out = {
        "vapor_pressure": vapor_pressure,
        "humidity_ratio": w,
        "temp_dew": dew,
        "temp_wet_bulb": wet,
        "enthalpy": enthalpy,
        "air_density": density,
    }
    return {name: np.where(missing, np.nan, value) for name, value in out.items()}
