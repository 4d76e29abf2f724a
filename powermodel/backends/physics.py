"""What the API modules take from the physics, through the backends layer.

Arrays reach the kernels only through :func:`powermodel.backends.run` and a
:mod:`~powermodel.backends.specs` entry. Besides that, an API module needs
the kernels' parameter records (to build them from its dataclasses), a few
constants, and a handful of scalar equations it evaluates once, in plain
Python, while setting a model up (a site's standard pressure, a turbine's
power per flow, a pump's power ratio). They are gathered here so that API
modules import :mod:`powermodel.backends` only and never
:mod:`powermodel.kernels` (the layers of the design): a reader changing an
equation still finds it in ``kernels/`` under its physical name.
"""

from __future__ import annotations

from powermodel.kernels.auxiliaries import AuxiliaryParameters
from powermodel.kernels.constants import (
    AIR_DENSITY,
    AIR_SPECIFIC_HEAT,
    STANDARD_PRESSURE,
    WATER_DENSITY_FACILITY,
    WATER_SPECIFIC_HEAT,
)
from powermodel.kernels.cooling import (
    CHILLER_CARNOT,
    CHILLER_EIR,
    CHILLER_NONE,
    CoolingParameters,
    transport_power_ratio,
)
from powermodel.kernels.flexibility import ShiftParameters
from powermodel.kernels.hydro import ReservoirParameters, power_per_flow
from powermodel.kernels.ite import CURVE_FIELDS, ITEParameters
from powermodel.kernels.psychrometrics import standard_pressure
from powermodel.kernels.spectrum import SmoothingParameters, StorageParameters
from powermodel.kernels.swing import SwingParameters
from powermodel.kernels.water import J_PER_MWH, WaterValueParameters
from powermodel.kernels.zone import ZoneParameters

__all__ = [
    "AIR_DENSITY",
    "AIR_SPECIFIC_HEAT",
    "CHILLER_CARNOT",
    "CHILLER_EIR",
    "CHILLER_NONE",
    "CURVE_FIELDS",
    "J_PER_MWH",
    "STANDARD_PRESSURE",
    "WATER_DENSITY_FACILITY",
    "WATER_SPECIFIC_HEAT",
    "AuxiliaryParameters",
    "CoolingParameters",
    "ITEParameters",
    "ReservoirParameters",
    "ShiftParameters",
    "SmoothingParameters",
    "StorageParameters",
    "SwingParameters",
    "WaterValueParameters",
    "ZoneParameters",
    "power_per_flow",
    "standard_pressure",
    "transport_power_ratio",
]
