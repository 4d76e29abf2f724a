"""Moist air properties on xarray: humidity ratio, dew point, wet bulb, enthalpy, density.

ASHRAE Handbook - Fundamentals (2017), chapter 1, the equations of PsychroLib;
the physics is in :mod:`powermodel.kernels.psychrometrics`. The wet-bulb
temperature is the thermodynamic one, solved exactly (bisection to < 1e-9 K),
not Stull's (2011) empirical fit, whose error is -1 to +0.65 K.

Examples
--------
>>> import xarray as xr
>>> air = moist_air(xr.DataArray([20.0]), xr.DataArray([50.0]), backend="numpy")
>>> round(float(air.temp_wet_bulb[0]), 2), round(float(air.humidity_ratio[0]), 5)
(13.78, 0.00726)
"""

from __future__ import annotations

import numpy as np

from powermodel._api import elementwise, operand
from powermodel.backends import physics, specs
from powermodel.backends.physics import STANDARD_PRESSURE

OUTPUTS = specs.MOIST_AIR.outputs

__all__ = ["OUTPUTS", "STANDARD_PRESSURE", "moist_air", "standard_pressure"]


def standard_pressure(elevation: float) -> float:
    """Standard barometric pressure [Pa] at ``elevation`` [m].

    ``101325 (1 - 2.25577e-5 z)**5.2559`` (ASHRAE Handbook - Fundamentals
    2017, ch. 1, eq. 3; :func:`powermodel.kernels.psychrometrics.standard_pressure`);
    EnergyPlus's ``StdBaroPress``, the pressure it uses for ITE air densities.

    Parameters
    ----------
    elevation : float
        Elevation above sea level [m].

    Returns
    -------
    float
        Standard barometric pressure [Pa].
    """
    return physics.standard_pressure(float(elevation))


def moist_air(temp_air, relative_humidity, pressure=STANDARD_PRESSURE, *, backend="auto"):
    """Moist air state from dry-bulb temperature, relative humidity and pressure.

    Parameters
    ----------
    temp_air : float or xarray.DataArray
        Dry-bulb temperature [degC], -100 to 200; sets the output dtype.
    relative_humidity : float or xarray.DataArray
        Relative humidity [%], 0 to 100.
    pressure : float or xarray.DataArray
        Barometric pressure [Pa].
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    xarray.Dataset
        ``vapor_pressure`` [Pa], ``humidity_ratio`` [kg kg-1], ``temp_dew``
        [degC] (limited below at -100), ``temp_wet_bulb`` [degC],
        ``enthalpy`` [J kg-1] and ``air_density`` [kg m-3], broadcast over
        the inputs; float32 input gives float32 output. NaN in an input
        gives NaN in that element's outputs.

    Raises
    ------
    ValueError
        Relative humidity outside [0, 100] % or temperature outside
        [-100, 200] degC (the range of the saturation formula), or a
        pressure <= 0, each with the count of bad values; misaligned
        coordinates.
    """
    temp = operand(temp_air, "temp_air")
    humidity = operand(relative_humidity, "relative_humidity")
    pressure = operand(pressure, "pressure")
    for da, name, low, high in [
        (temp, "temp_air", -100.0, 200.0),
        (humidity, "relative_humidity", 0.0, 100.0),
        (pressure, "pressure", 1e-9, np.inf),
    ]:
        bad = int(((da < low) | (da > high)).sum())  # NaN compares False: allowed
        if bad:
            raise ValueError(f"{name}: {bad} values outside [{low:g}, {high:g}]")
    return elementwise(
        [temp, humidity, pressure],
        specs.MOIST_AIR,
        backend,
    )
