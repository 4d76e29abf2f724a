"""Physical constants, each defined once and named for its use.

Plain floats: the physics reads them as globals, and the kernel compiler
(:mod:`powermodel.backends._codegen`) writes each one into a kernel in the
kernel's working precision. Where one property takes two values (water in a
data hall's facility loop and in a Norwegian reservoir), each gets its own
name and its own source.
"""

from __future__ import annotations

__all__ = [
    "AIR_DENSITY",
    "AIR_SPECIFIC_HEAT",
    "GRAVITY",
    "KELVIN",
    "LATENT_HEAT_WATER",
    "STANDARD_PRESSURE",
    "WATER_DENSITY_FACILITY",
    "WATER_DENSITY_RESERVOIR",
    "WATER_SPECIFIC_HEAT",
]

#: 0 degC in kelvin [K] (SI; EnergyPlus ``Constant::Kelvin``).
KELVIN = 273.15

#: Standard acceleration of gravity [m s-2], as hydropowerlib rounds it.
GRAVITY = 9.81

#: Fresh water in a cold reservoir [kg m-3], as hydropowerlib uses for ``eta rho g H Q``.
WATER_DENSITY_RESERVOIR = 1000.0

#: Water of a facility (liquid-cooling) loop near 30 degC [kg m-3] (IAPWS-95).
WATER_DENSITY_FACILITY = 995.6

#: Specific heat of that water [J kg-1 K-1] (IAPWS-95, 4180 near 30 degC).
WATER_SPECIFIC_HEAT = 4180.0

#: Latent heat of vaporisation of water near 20 degC [J kg-1] (IAPWS-95: 2453.5
#: kJ kg-1 at 20 degC); the usual 1.47 L of water evaporated per kWh of heat.
LATENT_HEAT_WATER = 2.45e6

#: Standard barometric pressure at sea level [Pa] (ASHRAE Handbook - Fundamentals 2017, ch. 1).
STANDARD_PRESSURE = 101325.0

#: Air of a data hall [kg m-3] and its specific heat [J kg-1 K-1]
#: (ASHRAE Handbook - Fundamentals 2017, ch. 1, eq. 30).
AIR_DENSITY = 1.2
AIR_SPECIFIC_HEAT = 1006.0
