"""EnergyPlus ``ElectricEquipment:ITE:AirCooled``, hour by hour on xarray.

Implements the IT equipment model of the EnergyPlus Engineering Reference
("Heat Gain from IT Equipment"; ``CalcZoneITEq`` in
``src/EnergyPlus/InternalHeatGains.cc``) for the ``FlowFromSystem`` and
``FlowControlWithApproachTemperatures`` air flow methods, with EnergyPlus's
curve objects (:class:`Curve`: Curve:Biquadratic, Linear, Quadratic, Cubic,
Quartic, Exponent), so that the same object parameters and the same hourly
inputs give the same hourly numbers as EnergyPlus. The physics is in
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
from powermodel.backends import array_module, is_cupy_array, specs
from powermodel.backends.numpy_ite import CURVE_FORMS, curve_value
from powermodel.backends.physics import ITEParameters
from powermodel.psychrometrics import STANDARD_PRESSURE, standard_pressure
from powermodel.variables import attrs

__all__ = ["OUTPUTS", "Curve", "ITEAirCooled", "ite_air_cooled", "standard_pressure"]

#: Output variables of :func:`ite_air_cooled` (``inlet="approach"`` adds ``temp_return``).
OUTPUTS = specs.ITE_AIR_COOLED.outputs

#: The ``inlet`` choices of :func:`ite_air_cooled`.
INLETS = ("adjusted_supply", "zone", "approach")

TEMP_RETURN_ATTRS = attrs("temp_return")


@dataclass(frozen=True)
class Curve:
    """An EnergyPlus curve: Curve:Biquadratic, Linear, Quadratic, Cubic, Quartic or Exponent.

    ``form`` names the EnergyPlus object and fixes the number of
    ``coefficients`` (``c1, c2, ...``):

    ============  ====================================  ============
    form          value                                 coefficients
    ============  ====================================  ============
    biquadratic   c1 + c2 x + c3 x**2 + c4 y + c5 y**2     6
                  + c6 x y
    linear        c1 + c2 x                                2
    quadratic     c1 + c2 x + c3 x**2                      3
    cubic         c1 + c2 x + c3 x**2 + c4 x**3            4
    quartic       c1 + ... + c5 x**4                       5
    exponent      c1 + c2 x**c3                            3
    ============  ====================================  ============

    As EnergyPlus (``CurveManager.cc``, ``CurveValue``), the inputs are
    limited to ``[x_min, x_max]`` (and ``[y_min, y_max]``) before the
    formula, its result to ``[out_min, out_max]`` after; an infinite limit
    is no limit (a blank EnergyPlus output limit). Curves of one variable
    ignore ``y``; EnergyPlus accepts them for the two-variable ITE curves
    too and evaluates them at ``x`` (the CPU loading) alone.

    Parameters
    ----------
    coefficients : tuple of float
        ``c1, c2, ...``, as many as ``form`` has (see the table).
    x_min, x_max : float
        Limits of the first input ``x``, in its unit (for the ITE curves the
        CPU loading or air flow fraction [1]); infinite: none.
    y_min, y_max : float
        Limits of the second input ``y``, in its unit (for the ITE curves an
        air temperature [degC]); infinite: none. Unused by a curve of one
        variable.
    out_min, out_max : float
        Limits of the curve's value, in its unit ([1] for the ITE curves);
        infinite: none.
    form : {"biquadratic", "linear", "quadratic", "cubic", "quartic", "exponent"}
        The EnergyPlus curve object.
    """

    coefficients: tuple
    x_min: float = -np.inf
    x_max: float = np.inf
    y_min: float = -np.inf
    y_max: float = np.inf
    out_min: float = -np.inf
    out_max: float = np.inf
    form: str = "biquadratic"

    def __post_init__(self):
        if self.form not in CURVE_FORMS:
            raise ValueError(f"form: {self.form!r} is not one of {sorted(CURVE_FORMS)}")
        count = CURVE_FORMS[self.form][1]
        if len(self.coefficients) != count:
            raise ValueError(
                f"curve: need {count} {self.form} coefficients, got {self.coefficients}"
            )

    @classmethod
    def biquadratic(
        cls, c1, c2, c3, c4, c5, c6, x_min=-np.inf, x_max=np.inf, y_min=-np.inf, y_max=np.inf,
        out_min=-np.inf, out_max=np.inf,
    ):  # fmt: skip
        """A Curve:Biquadratic ``c1 + c2 x + c3 x**2 + c4 y + c5 y**2 + c6 x y``.

        Parameters
        ----------
        c1, c2, c3, c4, c5, c6 : float
            The coefficients.
        x_min, x_max, y_min, y_max : float
            Limits of the inputs ``x`` and ``y``, in their units; infinite: none.
        out_min, out_max : float
            Limits of the curve's value, in its unit; infinite: none.

        Returns
        -------
        Curve
            The curve (``form="biquadratic"``).
        """
        return cls((c1, c2, c3, c4, c5, c6), x_min, x_max, y_min, y_max, out_min, out_max)

    @classmethod
    def linear(cls, c1, c2, x_min=-np.inf, x_max=np.inf, out_min=-np.inf, out_max=np.inf):
        """A Curve:Linear ``c1 + c2 x``.

        Parameters
        ----------
        c1, c2 : float
            The coefficients.
        x_min, x_max : float
            Limits of the input ``x``, in its unit; infinite: none.
        out_min, out_max : float
            Limits of the curve's value, in its unit; infinite: none.

        Returns
        -------
        Curve
            The curve (``form="linear"``).
        """
        return cls((c1, c2), x_min, x_max, out_min=out_min, out_max=out_max, form="linear")

    @classmethod
    def quadratic(cls, c1, c2, c3, x_min=-np.inf, x_max=np.inf, out_min=-np.inf, out_max=np.inf):
        """A Curve:Quadratic ``c1 + c2 x + c3 x**2``.

        Parameters
        ----------
        c1, c2, c3 : float
            The coefficients.
        x_min, x_max : float
            Limits of the input ``x``, in its unit; infinite: none.
        out_min, out_max : float
            Limits of the curve's value, in its unit; infinite: none.

        Returns
        -------
        Curve
            The curve (``form="quadratic"``).
        """
        return cls((c1, c2, c3), x_min, x_max, out_min=out_min, out_max=out_max, form="quadratic")

    @classmethod
    def cubic(
        cls, c1, c2, c3, c4, x_min=-np.inf, x_max=np.inf, out_min=-np.inf, out_max=np.inf
    ):  # fmt: skip
        """A Curve:Cubic ``c1 + c2 x + c3 x**2 + c4 x**3``.

        Parameters
        ----------
        c1, c2, c3, c4 : float
            The coefficients.
        x_min, x_max : float
            Limits of the input ``x``, in its unit; infinite: none.
        out_min, out_max : float
            Limits of the curve's value, in its unit; infinite: none.

        Returns
        -------
        Curve
            The curve (``form="cubic"``).
        """
        return cls((c1, c2, c3, c4), x_min, x_max, out_min=out_min, out_max=out_max, form="cubic")

    @classmethod
    def quartic(
        cls, c1, c2, c3, c4, c5, x_min=-np.inf, x_max=np.inf, out_min=-np.inf, out_max=np.inf
    ):  # fmt: skip
        """A Curve:Quartic ``c1 + c2 x + c3 x**2 + c4 x**3 + c5 x**4``.

        Parameters
        ----------
        c1, c2, c3, c4, c5 : float
            The coefficients.
        x_min, x_max : float
            Limits of the input ``x``, in its unit; infinite: none.
        out_min, out_max : float
            Limits of the curve's value, in its unit; infinite: none.

        Returns
        -------
        Curve
            The curve (``form="quartic"``).
        """
        coefficients = (c1, c2, c3, c4, c5)
        return cls(coefficients, x_min, x_max, out_min=out_min, out_max=out_max, form="quartic")

    @classmethod
    def exponent(cls, c1, c2, c3, x_min=-np.inf, x_max=np.inf, out_min=-np.inf, out_max=np.inf):
        """A Curve:Exponent ``c1 + c2 x**c3``.

        Parameters
        ----------
        c1, c2, c3 : float
            The coefficients.
        x_min, x_max : float
            Limits of the input ``x``, in its unit; infinite: none.
        out_min, out_max : float
            Limits of the curve's value, in its unit; infinite: none.

        Returns
        -------
        Curve
            The curve (``form="exponent"``).
        """
        return cls((c1, c2, c3), x_min, x_max, out_min=out_min, out_max=out_max, form="exponent")

    @classmethod
    def constant(cls, value=1.0):
        """A curve equal to ``value`` everywhere.

        Parameters
        ----------
        value : float
            The curve's value, in its unit ([1] for the ITE curves).

        Returns
        -------
        Curve
            A Curve:Biquadratic with ``c1 = value``, the other coefficients 0.
        """
        return cls((value, 0.0, 0.0, 0.0, 0.0, 0.0))

    def packed(self) -> list:
        """The thirteen numbers of the kernels' curve fields (``CURVE_FIELDS``).

        Returns
        -------
        list of float
            ``c1`` .. ``c6`` (zeros beyond the form's own), ``x_min``,
            ``x_max``, ``y_min``, ``y_max``, ``out_min``, ``out_max`` and the
            form's code, in the order of ``powermodel.kernels.ite.CURVE_FIELDS``.
        """
        code, count = CURVE_FORMS[self.form]
        coefficients = [*map(float, self.coefficients), *[0.0] * (6 - count)]
        return [*coefficients, self.x_min, self.x_max, self.y_min, self.y_max,
                self.out_min, self.out_max, code]  # fmt: skip

    def __call__(self, x, y=None):
        """The curve's value (numpy), for checks.

        ``y=None`` evaluates it as a curve of ``x`` alone, as EnergyPlus's
        one-variable ``CurveValue`` (a biquadratic at ``y = 0``, its ``y``
        limits not applied).
        """
        return curve_value(self.packed(), x, y)


@dataclass(frozen=True)
class ITEAirCooled:
    """Fields of an ``ElectricEquipment:ITE:AirCooled`` object.

    Parameters
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

    def packed(self, inlet: str = "adjusted_supply") -> ITEParameters:
        """The named parameter record of the ITE kernel for an ``inlet`` of :func:`ite_air_cooled`.

        ``"zone"`` (ZoneAirNode) is a recirculation of 1 (the inlet is the
        zone air); ``"approach"`` (FlowControlWithApproachTemperatures)
        sets the kernel's approach method, which ignores the recirculation.

        Parameters
        ----------
        inlet : {"adjusted_supply", "zone", "approach"}
            The inlet connection, as :func:`ite_air_cooled` takes it.

        Returns
        -------
        powermodel.kernels.ite.ITEParameters
            The kernel's flat parameter record: design powers [W], air flow
            [m3 s-1], inlet temperature [degC], the supply and recirculation
            fractions [1], the method flag and the five curves' numbers.
        """
        if inlet not in INLETS:
            raise ValueError(f"inlet: {inlet!r} is not one of {INLETS}")
        zone_air_node = inlet == "zone"
        recirculation = Curve.constant(1.0) if zone_air_node else self.recirculation_curve
        recirculation_design = float(self.recirculation_fraction)
        if inlet != "adjusted_supply":
            recirculation_design = 1.0 if zone_air_node else 0.0
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
            recirculation_design,
            1.0 if inlet == "approach" else 0.0,
            *(number for curve in curves for number in curve.packed()),
        )


def ite_air_cooled(
    utilization,
    temp_zone=None,
    ite=None,
    *,
    temp_supply=None,
    inlet="adjusted_supply",
    supply_approach=None,
    return_approach=None,
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
        ``inlet="zone"``, the recirculated air for ``"adjusted_supply"``;
        not used (must be None) for ``"approach"``.
    ite : ITEAirCooled
        The object's fields.
    temp_supply : float or xarray.DataArray, optional
        Supply air temperature [degC], the object's Supply Air Node;
        required for ``"adjusted_supply"`` and ``"approach"``.
    inlet : {"adjusted_supply", "zone", "approach"}
        EnergyPlus's Air Inlet Connection Type with the ``FlowFromSystem``
        air flow method (AdjustedSupply, ZoneAirNode), or ``"approach"``:
        the ``FlowControlWithApproachTemperatures`` method, inlet at
        ``temp_supply + supply_approach``.
    supply_approach : float or xarray.DataArray, optional
        ``"approach"`` only (required): Supply Temperature Difference [K],
        given or scheduled (a time series), the inlet's excess over the
        supply air temperature.
    return_approach : float or xarray.DataArray, optional
        ``"approach"`` only (required): Return Temperature Difference [K],
        given or scheduled, the return air's excess over the equipment's
        outlet; gives the output ``temp_return``.
    humidity_ratio : float or xarray.DataArray
        Inlet air humidity ratio [kg kg-1] (for ``"adjusted_supply"``, the
        recirculation-weighted mix of zone and supply air, as EnergyPlus;
        for ``"approach"``, the supply air's).
    schedule : float or xarray.DataArray
        Design power input schedule [1].
    pressure : float or xarray.DataArray
        Barometric pressure for the air density [Pa]; EnergyPlus uses the
        site's standard pressure,
        :func:`~powermodel.psychrometrics.standard_pressure` of its elevation.
    clip : bool
        Clip utilisation to [0, 1] instead of raising.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    xarray.Dataset
        :data:`OUTPUTS`, broadcast over the inputs' dims, with units; for
        ``"approach"`` also ``temp_return`` [degC], the return air
        temperature ``temp_outlet + return_approach``.

    Notes
    -----
    See :func:`powermodel.kernels.ite.ite_air_cooled` for the equations.
    The electric power supply loss follows EnergyPlus's convention
    ``(1 - eta) (P_cpu + P_fan)``, not ``P/eta - P``.

    For ``"approach"`` EnergyPlus reads the supply air node at the start of
    its zone time step, before that step's HVAC simulation: its
    ``ITE Air Inlet Dry-Bulb Temperature`` is the node temperature it
    reported for the previous step plus the approach
    (``tests/data/energyplus_ite_approach``); pass the temperature the
    equipment sees. EnergyPlus's ``Zone ITE Adjusted Return Air
    Temperature`` is the air-mass-flow-weighted mean of ``temp_return``
    over the zone's ITE objects (reported 0 in a step without flow).

    Not modelled: the room-air-model inlet, which needs EnergyPlus's room
    air solver, and the zone thermostat's use of the adjusted return
    temperature.
    """
    if inlet not in INLETS:
        raise ValueError(f"inlet: {inlet!r} is not one of {INLETS}")
    if not isinstance(ite, ITEAirCooled):
        raise TypeError(f"ite: expected an ITEAirCooled, got {type(ite).__name__}")
    if inlet != "zone" and temp_supply is None:
        raise ValueError(f"temp_supply: required when inlet={inlet!r}")
    approach = inlet == "approach"
    approaches = {"supply_approach": supply_approach, "return_approach": return_approach}
    if approach:
        if temp_zone is not None:
            raise ValueError(
                "temp_zone: not used with inlet='approach' (the inlet is temp_supply + "
                "supply_approach), pass None"
            )
        for name, value in approaches.items():
            if value is None:
                raise ValueError(f"{name}: required when inlet='approach'")
    else:
        if temp_zone is None:
            raise ValueError(f"temp_zone: required when inlet={inlet!r}")
        for name, value in approaches.items():
            if value is not None:
                raise ValueError(f"{name}: only used with inlet='approach', got inlet={inlet!r}")
    utilization = check_range(as_float_dataarray(utilization, "utilization"), "utilization", clip)
    if approach:
        # the kernel's temp_zone input carries the supply approach for this method
        zone = operand(supply_approach, "supply_approach")
        supply = operand(temp_supply, "temp_supply")
        returned = operand(return_approach, "return_approach")
        try:  # the return approach's dims are the outputs' too
            utilization, returned = xr.broadcast(*xr.align(utilization, returned, join="exact"))
        except ValueError as error:
            raise ValueError(f"inputs: coordinates do not align ({error})") from None
    else:
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
    out = elementwise(operands, specs.ITE_AIR_COOLED, backend, parameters=ite.packed(inlet))
    if approach:
        outlet = out["temp_outlet"]
        data = returned.broadcast_like(outlet).transpose(*outlet.dims).data
        if is_cupy_array(outlet.data) and not is_cupy_array(data):
            data = array_module("cupy").asarray(data)
        # EnergyPlus CalcZoneITEq: TAirReturn = AirOutletDryBulbT + ReturnApproachTemp
        temp_return = outlet.copy(data=(outlet.data + data).astype(outlet.dtype))
        out["temp_return"] = temp_return.assign_attrs(TEMP_RETURN_ATTRS)
    return out
