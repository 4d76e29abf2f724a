"""Moist air properties: scalar physics in SI units (Pa, degC, kg kg-1, J kg-1).

Equations of the ASHRAE Handbook - Fundamentals (2017), chapter 1
("Psychrometrics"), the same as PsychroLib (Meyer & Thevenard 2019,
https://doi.org/10.21105/joss.01137), which the tests use as the reference.
Saturation over ice below the triple point of water (0.01 degC) and over
liquid water above it, so that the dew point is continuous.

Dew point and wet-bulb temperature are found by bisection with a fixed number
of halvings (no data-dependent loop exit: the same code vectorises on the CPU
and runs lock-step on the GPU); the bracket shrinks below 1e-9 K.
"""

from __future__ import annotations

import math

from powermodel.kernels._physics import physics
from powermodel.kernels.constants import KELVIN, STANDARD_PRESSURE

__all__ = [
    "OUTPUTS",
    "dew_point",
    "humidity_ratio",
    "moist_air_density",
    "moist_air_enthalpy",
    "moist_air_state",
    "relative_humidity",
    "saturation_vapor_pressure",
    "standard_pressure",
    "wet_bulb",
]

TRIPLE_POINT = 0.01  # degC
MOLAR_MASS_RATIO = 0.621945  # water / dry air, ASHRAE 2017 ch. 1 eq. 20
GAS_CONSTANT_DRY_AIR = 287.042  # J kg-1 K-1, ASHRAE 2017 ch. 1 eq. 28
DEW_POINT_MIN = -100.0  # degC, lower limit of the ASHRAE saturation formula
BISECTIONS = 48


#: Output variables, in the order of the kernel's result tuple.
OUTPUTS = (
    "vapor_pressure",
    "humidity_ratio",
    "temp_dew",
    "temp_wet_bulb",
    "enthalpy",
    "air_density",
)


@physics
def saturation_vapor_pressure(temp):
    """Saturation vapour pressure [Pa] at ``temp`` [degC], ASHRAE 2017 ch. 1 eqs. 5-6.

    Hyland & Wexler (1983): over ice at or below the triple point, over
    liquid water above it; valid -100 to 200 degC.

    Parameters
    ----------
    temp : float
        Temperature [degC], -100 to 200.

    Returns
    -------
    float
        Saturation vapour pressure [Pa].
    """
    t = temp + KELVIN
    # both branches are evaluated and one is selected: keeps the loop branch-free
    ice = (
        -5.6745359e03 / t
        + 6.3925247
        - 9.677843e-03 * t
        + 6.2215701e-07 * t * t
        + 2.0747825e-09 * t * t * t
        - 9.484024e-13 * t * t * t * t
        + 4.1635019 * math.log(t)
    )
    water = (
        -5.8002206e03 / t
        + 1.3914993
        - 4.8640239e-02 * t
        + 4.1764768e-05 * t * t
        - 1.4452093e-08 * t * t * t
        + 6.5459673 * math.log(t)
    )
    return math.exp(ice if temp <= TRIPLE_POINT else water)


@physics
def standard_pressure(elevation):
    """Standard barometric pressure [Pa] at ``elevation`` [m].

    ``101325 (1 - 2.25577e-5 z)**5.2559`` (ASHRAE Handbook - Fundamentals
    2017, ch. 1, eq. 3); EnergyPlus's ``StdBaroPress``, the pressure it uses
    for ITE air densities.

    Parameters
    ----------
    elevation : float
        Elevation above sea level [m].

    Returns
    -------
    float
        Standard barometric pressure [Pa].
    """
    return STANDARD_PRESSURE * (1.0 - 2.25577e-5 * elevation) ** 5.2559


@physics
def relative_humidity(temp, dew_point_temp):
    """Relative humidity [%] of air at ``temp`` with dew point ``dew_point_temp`` [degC].

    ``100 p_ws(T_dew) / p_ws(T)`` (ASHRAE Handbook - Fundamentals 2017, ch. 1,
    eqs. 5 and 6 for ``p_ws``); how weather files that give a dew point (ERA5,
    the synthetic Tørdal climate) become relative humidity. A dew point above
    the temperature gives more than 100 %: callers clip where rounding can do that.

    Parameters
    ----------
    temp : float
        Dry-bulb temperature [degC].
    dew_point_temp : float
        Dew-point temperature [degC].

    Returns
    -------
    float
        Relative humidity [%].
    """
    return 100.0 * saturation_vapor_pressure(dew_point_temp) / saturation_vapor_pressure(temp)


@physics
def humidity_ratio(vapor_pressure, pressure):
    """Humidity ratio [kg kg-1] from vapour and total pressure [Pa], ASHRAE eq. 20.

    Parameters
    ----------
    vapor_pressure : float
        Partial pressure of the water vapour [Pa].
    pressure : float
        Total (barometric) pressure [Pa].

    Returns
    -------
    float
        Humidity ratio, mass of water vapour per mass of dry air [kg kg-1].
    """
    return MOLAR_MASS_RATIO * vapor_pressure / (pressure - vapor_pressure)


@physics
def moist_air_enthalpy(temp, humidity):
    """Specific enthalpy [J kg-1 of dry air], ASHRAE 2017 ch. 1 eq. 30.

    ``h = 1006 t + W (2501000 + 1860 t)``.

    Parameters
    ----------
    temp : float
        Dry-bulb temperature [degC].
    humidity : float
        Humidity ratio [kg kg-1].

    Returns
    -------
    float
        Specific enthalpy of the moist air per mass of dry air [J kg-1].
    """
    return 1006.0 * temp + humidity * (2.501e6 + 1860.0 * temp)


@physics
def moist_air_density(temp, humidity, pressure):
    """Moist air density [kg m-3]: ``(1 + W) / v`` with ASHRAE eq. 26's volume.

    ``v = R_da (t + 273.15)(1 + 1.607858 W) / p``.

    Parameters
    ----------
    temp : float
        Dry-bulb temperature [degC].
    humidity : float
        Humidity ratio [kg kg-1].
    pressure : float
        Total (barometric) pressure [Pa].

    Returns
    -------
    float
        Density of the moist air, dry air plus vapour [kg m-3].
    """
    volume = GAS_CONSTANT_DRY_AIR * (temp + KELVIN) * (1.0 + 1.607858 * humidity) / pressure
    return (1.0 + humidity) / volume


@physics
def dew_point(temp, vapor_pressure):
    """Dew-point temperature [degC]: ``p_ws(t_dp) = p_w``, by bisection.

    Searched in ``[-100 degC, temp]``; a vapour pressure below saturation
    at -100 degC gives -100 degC.

    Parameters
    ----------
    temp : float
        Dry-bulb temperature [degC], the upper end of the search.
    vapor_pressure : float
        Partial pressure of the water vapour [Pa].

    Returns
    -------
    float
        Dew-point temperature [degC], -100 to ``temp``.
    """
    low = DEW_POINT_MIN
    high = temp
    for _ in range(BISECTIONS):
        middle = 0.5 * (low + high)
        saturated = saturation_vapor_pressure(middle) >= vapor_pressure
        high = middle if saturated else high
        low = low if saturated else middle
    return 0.5 * (low + high)


@physics
def _humidity_ratio_at_wet_bulb(temp, wet_bulb_temp, pressure):
    """Humidity ratio [kg kg-1] for a wet-bulb reading, ASHRAE 2017 ch. 1 eqs. 33 and 35."""
    saturated = humidity_ratio(saturation_vapor_pressure(wet_bulb_temp), pressure)
    water = ((2501.0 - 2.326 * wet_bulb_temp) * saturated - 1.006 * (temp - wet_bulb_temp)) / (
        2501.0 + 1.86 * temp - 4.186 * wet_bulb_temp
    )
    ice = ((2830.0 - 0.24 * wet_bulb_temp) * saturated - 1.006 * (temp - wet_bulb_temp)) / (
        2830.0 + 1.86 * temp - 2.1 * wet_bulb_temp
    )
    return ice if wet_bulb_temp <= 0.0 else water


@physics
def wet_bulb(temp, humidity, dew_point_temp, pressure):
    """Thermodynamic wet-bulb temperature [degC], by bisection on ASHRAE eqs. 33/35.

    Between the dew point and the dry bulb, the humidity ratio implied by a
    wet-bulb guess rises with the guess; the root is where it equals
    ``humidity``.

    Parameters
    ----------
    temp : float
        Dry-bulb temperature [degC], the upper end of the search.
    humidity : float
        Humidity ratio of the air [kg kg-1].
    dew_point_temp : float
        Dew-point temperature of the air [degC] (:func:`dew_point`), the lower
        end of the search.
    pressure : float
        Total (barometric) pressure [Pa].

    Returns
    -------
    float
        Thermodynamic wet-bulb temperature [degC].
    """
    low = dew_point_temp
    high = temp
    for _ in range(BISECTIONS):
        middle = 0.5 * (low + high)
        too_wet = _humidity_ratio_at_wet_bulb(temp, middle, pressure) > humidity
        high = middle if too_wet else high
        low = low if too_wet else middle
    return 0.5 * (low + high)


@physics
def moist_air_state(temp, relative_humidity, pressure):
    """All moist air properties from dry bulb [degC], RH [%] and pressure [Pa].

    Parameters
    ----------
    temp : float
        Dry-bulb temperature [degC], -100 to 200.
    relative_humidity : float
        Relative humidity [%], 0 to 100.
    pressure : float
        Total (barometric) pressure [Pa], > 0.

    Returns
    -------
    tuple of float
        ``(vapor_pressure [Pa], humidity_ratio [kg kg-1], temp_dew [degC],
        temp_wet_bulb [degC], enthalpy [J kg-1], density [kg m-3])``. NaN in
        any input gives NaN in every output.
    """
    # NaN in any input gives NaN everywhere. (x - x) would not do: LLVM folds it to 0
    # under the reassociation flag. The sum of the inputs is NaN exactly when one is.
    poison = temp + relative_humidity + pressure
    missing = poison != poison
    vapor_pressure = 0.01 * relative_humidity * saturation_vapor_pressure(temp)
    humidity = humidity_ratio(vapor_pressure, pressure)
    dew = dew_point(temp, vapor_pressure)
    wet = wet_bulb(temp, humidity, dew, pressure)
    return (
        poison if missing else vapor_pressure,
        poison if missing else humidity,
        poison if missing else dew,
        poison if missing else wet,
        poison if missing else moist_air_enthalpy(temp, humidity),
        poison if missing else moist_air_density(temp, humidity, pressure),
    )
