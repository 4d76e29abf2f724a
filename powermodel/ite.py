"""EnergyPlus ``ElectricEquipment:ITE:AirCooled``, hour by hour on xarray.

Implements the IT equipment model of the EnergyPlus Engineering Reference
("Heat Gain from IT Equipment"; ``CalcZoneITEq`` in
``src/EnergyPlus/InternalHeatGains.cc``) for the ``FlowFromSystem`` air flow
method, so that the same object parameters and the same hourly inputs give
the same hourly numbers as EnergyPlus. The physics is in
:mod:`powermodel.kernels.ite`.

Examples
--------
>>> import xarray as xr
>>> ite = ITEAirCooled.energyplus_example()      # 1ZoneDataCenterCRAC_wApproachTemp.idf
>>> u = xr.DataArray([1.0, 0.5], dims="time")
>>> out = ite_air_cooled(u, temp_zone=15.0, ite=ite, inlet="zone", backend="numpy")
>>> out.power_cpu.values.round(1).tolist()       # 30 kW design CPU power x f(u, 15 degC)
[30001.5, 15001.5]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from powermodel._api import as_float_dataarray, check_range, elementwise, operand
from powermodel.backends import specs
from powermodel.backends.physics import ITEParameters
from powermodel.psychrometrics import STANDARD_PRESSURE, standard_pressure

__all__ = ["OUTPUTS", "Curve", "ITEAirCooled", "ite_air_cooled", "standard_pressure"]

#: Output variables of :func:`ite_air_cooled`.
OUTPUTS = specs.ITE_AIR_COOLED.outputs


@dataclass(frozen=True)
class Curve:
    """An EnergyPlus performance curve: Curve:Biquadratic or Curve:Quadratic.

    ``c1 + c2 x + c3 x**2 + c4 y + c5 y**2 + c6 x y``; inputs limited to
    ``[x_min, x_max]``, ``[y_min, y_max]``, the result to ``[out_min,
    out_max]`` as EnergyPlus does.
    """

    coefficients: tuple
    x_min: float = -np.inf
    x_max: float = np.inf
    y_min: float = -np.inf
    y_max: float = np.inf
    out_min: float = -np.inf
    out_max: float = np.inf

    @classmethod
    def quadratic(cls, c1, c2, c3, x_min=-np.inf, x_max=np.inf, out_min=-np.inf, out_max=np.inf):
        """A Curve:Quadratic ``c1 + c2 x + c3 x**2``."""
        return cls((c1, c2, c3, 0.0, 0.0, 0.0), x_min, x_max, -np.inf, np.inf, out_min, out_max)

    @classmethod
    def constant(cls, value=1.0):
        """A curve equal to ``value`` everywhere."""
        return cls((value, 0.0, 0.0, 0.0, 0.0, 0.0))

    def packed(self) -> list:
        if len(self.coefficients) != 6:
            raise ValueError(f"curve: need 6 biquadratic coefficients, got {self.coefficients}")
        return [*map(float, self.coefficients), self.x_min, self.x_max, self.y_min, self.y_max,
                self.out_min, self.out_max]  # fmt: skip

    def __call__(self, x, y=0.0):
        """The curve's value (numpy), for checks."""
        c = self.coefficients
        x = np.clip(x, self.x_min, self.x_max)
        y = np.clip(y, self.y_min, self.y_max)
        value = c[0] + c[1] * x + c[2] * x**2 + c[3] * y + c[4] * y**2 + c[5] * x * y
        return np.clip(value, self.out_min, self.out_max)


@dataclass(frozen=True)
class ITEAirCooled:
    """Fields of an ``ElectricEquipment:ITE:AirCooled`` object.

    Attributes
    ----------
    design_power : float
        Design power input [W] (Watts/Unit x Number of Units).
    fan_power_fraction : float
        Design fan power input fraction [1].
    air_flow_per_power : float
        Design fan air flow rate per power input [m3 s-1 W-1].
    design_inlet_temperature : float
        Design entering air temperature [degC]; EnergyPlus default 15.
    cpu_power_curve, air_flow_curve : Curve
        CPU power and air flow as functions of (CPU loading, inlet
        temperature); 1 at (1, design inlet temperature).
    fan_power_curve : Curve
        Fan power as a function of the air flow fraction.
    ups_efficiency : float
        Design electric power supply efficiency [1]; EnergyPlus default 1.
    ups_efficiency_curve : Curve
        Supply efficiency as a function of the part-load ratio.
    ups_loss_to_zone : float
        Fraction of electric power supply losses to zone [1].
    recirculation_fraction : float
        Design recirculation fraction [1] (AdjustedSupply).
    recirculation_curve : Curve
        Recirculation as a function of (CPU loading, supply temperature).
    """

    design_power: float
    fan_power_fraction: float = 0.0
    air_flow_per_power: float = 0.0001
    design_inlet_temperature: float = 15.0
    cpu_power_curve: Curve = field(default_factory=Curve.constant)
    air_flow_curve: Curve = field(default_factory=Curve.constant)
    fan_power_curve: Curve = field(default_factory=Curve.constant)
    ups_efficiency: float = 1.0
    ups_efficiency_curve: Curve = field(default_factory=Curve.constant)
    ups_loss_to_zone: float = 1.0
    recirculation_fraction: float = 0.0
    recirculation_curve: Curve = field(default_factory=Curve.constant)

    def __post_init__(self):
        if not self.design_power > 0:
            raise ValueError(f"design_power: must be > 0 W, got {self.design_power}")
        for name in ("fan_power_fraction", "ups_loss_to_zone"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name}: must be in [0, 1], got {getattr(self, name)}")
        if not 0.0 < self.ups_efficiency <= 1.0:
            raise ValueError(f"ups_efficiency: must be in (0, 1], got {self.ups_efficiency}")
        if not 0.0 <= self.recirculation_fraction <= 0.5:
            raise ValueError("recirculation_fraction: must be in [0, 0.5] (EnergyPlus limit)")
        if not self.air_flow_per_power >= 0:
            raise ValueError("air_flow_per_power: must be >= 0")

    @classmethod
    def energyplus_example(cls) -> ITEAirCooled:
        """'Data Center Servers' of EnergyPlus's ``1ZoneDataCenterCRAC_wApproachTemp.idf``.

        500 W x 100 units, fan fraction 0.4, 0.0001 m3/s-W, design inlet
        15 degC, supply efficiency 0.9, recirculation 0.1, and the file's
        curves (linear toy curves: fine for regression tests, not realistic
        defaults -- idle CPU power is 0 and CPU power rises 6.7 %/K).
        """
        return cls(
            design_power=500.0 * 100,
            fan_power_fraction=0.4,
            air_flow_per_power=0.0001,
            design_inlet_temperature=15.0,
            cpu_power_curve=Curve(
                (-1.0, 1.0, 0.0, 0.06667, 0.0, 0.0), 0.0, 1.5, -10.0, 99.0, 0.0, 99.0
            ),
            air_flow_curve=Curve((-1.4, 0.9, 0.0, 0.1, 0.0, 0.0), 0.0, 1.5, -10.0, 99.0, 0.0, 99.0),
            fan_power_curve=Curve.quadratic(0.0, 1.0, 0.0, 0.0, 99.0, 0.0, 99.0),
            ups_efficiency=0.9,
            ups_efficiency_curve=Curve.quadratic(1.0, 0.0, 0.0, 0.0, 99.0, 0.0, 99.0),
            ups_loss_to_zone=1.0,
            recirculation_fraction=0.1,
            recirculation_curve=Curve(
                (1.0, 0.0, 0.0, 0.0, 0.0, 0.0), 0.0, 1.5, -10.0, 99.0, 0.0, 99.0
            ),
        )

    def packed(self, zone_air_node: bool = False) -> ITEParameters:
        """The named parameter record of :mod:`powermodel.kernels.ite`."""
        recirculation = Curve.constant(1.0) if zone_air_node else self.recirculation_curve
        curves = [
            self.cpu_power_curve,
            self.air_flow_curve,
            self.fan_power_curve,
            self.ups_efficiency_curve,
            recirculation,
        ]
        return ITEParameters(
            self.design_power * (1.0 - self.fan_power_fraction),
            self.design_power * self.fan_power_fraction,
            self.design_power * self.air_flow_per_power,
            float(self.design_inlet_temperature),
            float(self.ups_efficiency),
            float(self.ups_loss_to_zone),
            1.0 if zone_air_node else float(self.recirculation_fraction),
            *(number for curve in curves for number in curve.packed()),
        )


def ite_air_cooled(
    utilization,
    temp_zone,
    ite: ITEAirCooled,
    *,
    temp_supply=None,
    inlet="adjusted_supply",
    humidity_ratio=0.008,
    schedule=1.0,
    pressure=STANDARD_PRESSURE,
    clip=False,
    backend="auto",
) -> xr.Dataset:
    """Hourly power, air flow and outlet temperature of EnergyPlus ITE equipment.

    Parameters
    ----------
    utilization : xarray.DataArray
        CPU loading schedule [1], 0..1 (``clip=True`` clips).
    temp_zone : float or xarray.DataArray
        Zone air temperature [degC]: the inlet temperature for
        ``inlet="zone"``, the recirculated air for ``"adjusted_supply"``.
    ite : ITEAirCooled
        The object's fields.
    temp_supply : float or xarray.DataArray, optional
        Supply air temperature [degC]; required for ``"adjusted_supply"``.
    inlet : {"adjusted_supply", "zone"}
        EnergyPlus's Air Inlet Connection Type (AdjustedSupply, ZoneAirNode).
    humidity_ratio : float or xarray.DataArray
        Inlet air humidity ratio [kg kg-1] (for ``"adjusted_supply"``, the
        recirculation-weighted mix of zone and supply air, as EnergyPlus).
    schedule : float or xarray.DataArray
        Design power input schedule [1].
    pressure : float or xarray.DataArray
        Barometric pressure for the air density [Pa]; EnergyPlus uses the
        site's standard pressure, :func:`standard_pressure` of its elevation.
    clip : bool
    backend : {"auto", "numpy", "numba", "cupy"}

    Returns
    -------
    xarray.Dataset
        :data:`OUTPUTS`, broadcast over the inputs' dims, with units.

    Notes
    -----
    See :func:`powermodel.kernels.ite.ite_air_cooled` for the equations.
    The electric power supply loss follows EnergyPlus's convention
    ``(1 - eta) (P_cpu + P_fan)``, not ``P/eta - P``. Not modelled: the
    ``FlowControlWithApproachTemperatures`` method and the room-air-model
    inlet, which need EnergyPlus's HVAC and room air solvers.
    """
    if inlet not in ("adjusted_supply", "zone"):
        raise ValueError(f"inlet: {inlet!r} is not 'adjusted_supply' or 'zone'")
    if inlet == "adjusted_supply" and temp_supply is None:
        raise ValueError("temp_supply: required when inlet='adjusted_supply'")
    if not isinstance(ite, ITEAirCooled):
        raise TypeError(f"ite: expected an ITEAirCooled, got {type(ite).__name__}")
    utilization = check_range(as_float_dataarray(utilization, "utilization"), "utilization", clip)
    zone = operand(temp_zone, "temp_zone")
    supply = zone if inlet == "zone" else operand(temp_supply, "temp_supply")
    operands = [
        utilization,
        supply,
        zone,
        operand(humidity_ratio, "humidity_ratio"),
        operand(schedule, "schedule"),
        operand(pressure, "pressure"),
    ]
    return elementwise(
        operands,
        specs.ITE_AIR_COOLED,
        backend,
        parameters=ite.packed(zone_air_node=inlet == "zone"),
    )
