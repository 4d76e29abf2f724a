"""EnergyPlus ElectricEquipment:ITE:AirCooled: published example values, balances, backends."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given
from hypothesis import strategies as st

from powermodel.backends import cuda_simulator_enabled, to_host
from powermodel.ite import OUTPUTS, Curve, ITEAirCooled, ite_air_cooled, standard_pressure

EXAMPLE = ITEAirCooled.energyplus_example()


def assert_close(ours, reference, dtype, name):
    # relative to the variable's design scale: the toy CPU curve cancels to ~0 at u = 0
    # (-1 + 0.06667 T), where float32 keeps only an absolute accuracy of ~1e-7 x design power
    flows = {"air_volume_flow": 10.0, "air_volume_flow_standard": 10.0, "air_mass_flow": 10.0}
    scale = {**flows, "temp_inlet": 50.0}.get(
        name, 50.0 if name == "temp_outlet" else EXAMPLE.design_power
    )
    rtol = 1e-5 if dtype == np.float32 else 1e-9
    np.testing.assert_allclose(ours, reference, rtol=rtol, atol=rtol * scale)


def series(values, dtype=np.float64):
    return xr.DataArray(np.asarray(values, dtype), dims="time")


def test_example_idf_curves_as_published():
    # 1ZoneDataCenterCRAC_wApproachTemp.idf curves, values derived from their coefficients:
    # f_cpu(1, 15) = 1.00005, f_cpu(0, 15) ~ 0, f_cpu(1, 25) = 1.6667, f_flow(1, 25) = 2.0
    assert EXAMPLE.cpu_power_curve(1.0, 15.0) == pytest.approx(1.00005)
    assert EXAMPLE.cpu_power_curve(0.0, 15.0) == pytest.approx(0.00005)
    assert EXAMPLE.cpu_power_curve(1.0, 25.0) == pytest.approx(1.6667, abs=1e-4)
    assert EXAMPLE.air_flow_curve(1.0, 25.0) == pytest.approx(2.0)
    # inputs beyond the curve limits are clamped (CPU loading max 1.5)
    assert EXAMPLE.cpu_power_curve(3.0, 15.0) == EXAMPLE.cpu_power_curve(1.5, 15.0)


def test_example_at_design_conditions():
    # Zone inlet at the 15 degC design temperature, full CPU load:
    # CPU = 50 kW (1 - 0.4) x 1.00005; flow fraction f_flow(1, 15) = 1.0 -> V = 5 m3/s and
    # fan = 20 kW x 1.0 (linear ECM curve); UPS = (CPU + fan)(1 - 0.9 x 1) as EnergyPlus's
    # InternalHeatGains_ElectricEquipITE_DefaultCurves test asserts: (CPU + Fan) max(1 - eta, 0)
    out = ite_air_cooled(series([1.0]), temp_zone=15.0, ite=EXAMPLE, inlet="zone", backend="numpy")
    cpu = 30000.0 * 1.00005
    assert float(out.power_cpu[0]) == pytest.approx(cpu)
    assert float(out.air_volume_flow[0]) == pytest.approx(5.0)
    assert float(out.power_fan[0]) == pytest.approx(20000.0)
    assert float(out.power_ups[0]) == pytest.approx((cpu + 20000.0) * (1 - 0.9))
    assert float(out.power_cpu_design_inlet[0]) == pytest.approx(cpu)


def test_adjusted_supply_mixes_recirculated_air():
    # T_in = T_supply (1 - r) + T_zone r with r = 0.1 x f_recirc = 0.1
    out = ite_air_cooled(
        series([0.5]), temp_zone=30.0, temp_supply=20.0, ite=EXAMPLE, backend="numpy"
    )
    assert float(out.temp_inlet[0]) == pytest.approx(21.0)


@pytest.mark.parametrize("backend", ["numpy", "numba"])
@given(
    u=st.floats(0.0, 1.0),
    t_zone=st.floats(10.0, 35.0),
    t_supply=st.floats(10.0, 30.0),
    w=st.floats(0.002, 0.015),
)
def test_air_heat_balance(backend, u, t_zone, t_supply, w):
    out = ite_air_cooled(
        series([u]), temp_zone=t_zone, temp_supply=t_supply, humidity_ratio=w, ite=EXAMPLE,
        backend=backend,
    )  # fmt: skip
    heat = float(out.power_cpu[0] + out.power_fan[0])
    mass = float(out.air_mass_flow[0])
    rise = float(out.temp_outlet[0] - out.temp_inlet[0])
    assert float(out.power_ups[0]) >= 0 and heat >= 0
    if mass > 0:
        # all CPU and fan electricity ends as heat in the air stream
        assert mass * (1.00484e3 + 1.85895e3 * w) * rise == pytest.approx(heat, rel=1e-9)
    else:
        assert rise == 0.0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@given(values=st.lists(st.one_of(st.floats(0, 1), st.just(float("nan"))), min_size=1, max_size=8))
def test_numba_matches_numpy(dtype, values):
    u = series(values, dtype)
    temps = xr.DataArray(np.linspace(12, 30, len(values)), dims="time")
    kwargs = dict(temp_zone=temps + 5, temp_supply=temps, ite=EXAMPLE)
    ref = ite_air_cooled(u.astype(np.float64), backend="numpy", **kwargs)
    ours = ite_air_cooled(u, backend="numba", **kwargs)
    for name in OUTPUTS:
        assert ours[name].dtype == dtype
        assert ours[name].attrs["units"]
        assert_close(ours[name].values, ref[name].values, dtype, name)
    assert np.array_equal(np.isnan(ours.power_cpu), np.isnan(u))


def test_bad_inputs():
    with pytest.raises(ValueError, match="temp_supply: required"):
        ite_air_cooled(series([0.5]), temp_zone=20.0, ite=EXAMPLE)
    with pytest.raises(ValueError, match="utilization: 1 values outside"):
        ite_air_cooled(series([1.5]), temp_zone=20.0, ite=EXAMPLE, inlet="zone")
    with pytest.raises(ValueError, match="design_power"):
        ITEAirCooled(design_power=0.0)
    with pytest.raises(ValueError, match="inlet"):
        ite_air_cooled(series([0.5]), temp_zone=20.0, ite=EXAMPLE, inlet="room")
    stamps = np.array(["2025-01-01T05", "2025-01-01T01"], "datetime64[ns]")
    misaligned = xr.DataArray([20.0], dims="time", coords={"time": stamps[:1]})
    with pytest.raises(ValueError, match="inputs: coordinates do not align"):
        ite_air_cooled(
            series([0.5]).assign_coords(time=stamps[1:]), temp_zone=misaligned, ite=EXAMPLE,
            inlet="zone",
        )  # fmt: skip
    with pytest.raises(TypeError, match=r"time: numbers .* are not time stamps"):
        ite_air_cooled(series([0.5]).assign_coords(time=[1]), temp_zone=20.0, ite=EXAMPLE,
                       inlet="zone")  # fmt: skip


def test_output_clamp():
    hot = Curve((0.0, 0.0, 0.0, 10.0, 0.0, 0.0), out_max=2.0)  # 10 T, limited to 2
    ite = ITEAirCooled(design_power=1000.0, cpu_power_curve=hot)
    out = ite_air_cooled(series([0.5]), temp_zone=30.0, ite=ite, inlet="zone", backend="numba")
    assert float(out.power_cpu[0]) == pytest.approx(2000.0)


@pytest.mark.gpu
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cuda_matches_numpy(dtype):
    u = series([0.0, 0.3, 1.0, np.nan], dtype)
    if not cuda_simulator_enabled():
        import cupy

        u = u.copy(data=cupy.asarray(u.data))
    kwargs = dict(temp_zone=24.0, temp_supply=16.0, ite=EXAMPLE)
    ours = ite_air_cooled(u, backend="cupy", **kwargs)
    ref = ite_air_cooled(series([0.0, 0.3, 1.0, np.nan]), backend="numpy", **kwargs)
    for name in OUTPUTS:
        values = to_host(ours[name].data)
        assert_close(values, ref[name].values, dtype, name)


# --- EnergyPlus 25.2 reference run (tests/data/energyplus_ite/README.md) ---------------

DATA = Path(__file__).parent / "data" / "energyplus_ite"
CPU_LOADING = [0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
CPU_LOADING += [1.0, 0.95, 0.85, 0.75, 0.65, 0.55, 0.45, 0.35, 0.25, 0.15, 0.02, 0.5]
OPERATION = [1.0] * 24
OPERATION[3], OPERATION[10], OPERATION[17] = 0.0, 0.5, 0.75
REAL_SERVERS = ITEAirCooled(
    design_power=10200.0 * 8,
    fan_power_fraction=0.08,
    air_flow_per_power=0.00008,
    design_inlet_temperature=25.0,
    cpu_power_curve=Curve((0.15, 0.9, -0.1, 0.002, 0.0, 0.0), 0.0, 1.5, 10.0, 40.0, 0.0, 2.0),
    air_flow_curve=Curve((0.3, 0.5, 0.0, 0.008, 0.0, 0.0), 0.0, 1.5, 10.0, 40.0, 0.1, 2.0),
    fan_power_curve=Curve.quadratic(0.1, 0.3, 0.6, 0.0, 1.5, 0.0, 2.0),
    ups_efficiency=0.95,
    ups_efficiency_curve=Curve.quadratic(0.85, 0.25, -0.1, 0.0, 1.5, 0.0, 1.1),
    ups_loss_to_zone=0.7,
)
ENERGYPLUS_NAMES = {
    "power_cpu": "ITE CPU Electricity Rate [W]",
    "power_fan": "ITE Fan Electricity Rate [W]",
    "power_ups": "ITE UPS Electricity Rate [W]",
    "power_cpu_design_inlet": "ITE CPU Electricity Rate at Design Inlet Conditions [W]",
    "power_fan_design_inlet": "ITE Fan Electricity Rate at Design Inlet Conditions [W]",
    "ups_heat_to_zone": "ITE UPS Heat Gain to Zone Rate [W]",
    "air_volume_flow_standard": "ITE Standard Density Air Volume Flow Rate [m3/s]",
    "air_mass_flow": "ITE Air Mass Flow Rate [kg/s]",
    "temp_outlet": "ITE Air Outlet Dry-Bulb Temperature [C]",
}


def energyplus_replay(obj, ite, backend, dtype=np.float64):
    """Our model on EnergyPlus's inputs; returns (ours, EnergyPlus's columns)."""
    table = pd.read_csv(DATA / "eplusout.csv")
    hours = len(table)
    u = series(np.tile(CPU_LOADING, hours // 24), dtype)
    if backend == "cupy" and not cuda_simulator_enabled():
        import cupy

        u = u.copy(data=cupy.asarray(u.data))
    inlet = series(table[f"{obj}:ITE Air Inlet Dry-Bulb Temperature [C](TimeStep)"])
    humidity = series(table["HALL:Zone Air Humidity Ratio [](TimeStep) "])
    ours = ite_air_cooled(
        u,
        temp_zone=inlet,
        ite=ite,
        inlet="zone",
        humidity_ratio=humidity,
        schedule=series(np.tile(OPERATION, hours // 24)),
        pressure=standard_pressure(2.0),  # the IDF's site elevation
        backend=backend,
    )
    theirs = {name: table[f"{obj}:{column}(TimeStep)"].to_numpy() for name, column in
              ENERGYPLUS_NAMES.items()}  # fmt: skip
    return ours, theirs


@pytest.mark.parametrize(("obj", "ite"), [("TOY SERVERS", EXAMPLE), ("REAL SERVERS", REAL_SERVERS)])
@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_matches_energyplus(obj, ite, backend):
    ours, theirs = energyplus_replay(obj, ite, backend)
    for name, reference in theirs.items():
        # every output of every hour, to rounding (measured: <= 3e-15 relative)
        np.testing.assert_allclose(
            ours[name].values, reference, rtol=1e-12, atol=1e-9, err_msg=name
        )


def test_matches_energyplus_in_float32():
    ours, theirs = energyplus_replay("REAL SERVERS", REAL_SERVERS, "numba", np.float32)
    for name, reference in theirs.items():
        np.testing.assert_allclose(ours[name].values, reference, rtol=2e-5, atol=1e-3, err_msg=name)


@pytest.mark.gpu
def test_cuda_matches_energyplus():
    ours, theirs = energyplus_replay("REAL SERVERS", REAL_SERVERS, "cupy")
    for name, reference in theirs.items():
        values = to_host(ours[name].data)
        np.testing.assert_allclose(values, reference, rtol=1e-12, atol=1e-9, err_msg=name)


def test_energyplus_unit_test_state_adjusted_supply():
    # The state of EnergyPlus's InternalHeatGains_ElectricEquipITE_BeginEnvironmentReset test:
    # zone MAT 24 degC and W 0.008, supply node at 45 degC and W 0, recirculation 0.1, at
    # 101325 Pa. Values computed by hand from CalcZoneITEq (the test itself only compares
    # totals): T_in = 0.1 x 24 + 0.9 x 45 = 42.9, W_in = 0.1 x 0.008 = 0.0008.
    out = ite_air_cooled(
        series([1.0]), temp_zone=24.0, temp_supply=45.0, humidity_ratio=0.0008, ite=EXAMPLE,
        backend="numba",
    )  # fmt: skip
    assert float(out.temp_inlet[0]) == pytest.approx(42.9)
    assert float(out.power_cpu[0]) == pytest.approx(85804.29, rel=1e-9)
    assert float(out.power_fan[0]) == pytest.approx(75800.0, rel=1e-9)
    assert float(out.power_ups[0]) == pytest.approx(16160.429, rel=1e-9)
    assert float(out.air_mass_flow[0]) == pytest.approx(21.141213, rel=1e-6)
    assert float(out.temp_outlet[0]) == pytest.approx(50.495980, abs=1e-5)


def test_small_air_flow_is_zero():
    # Below EnergyPlus's SmallAirVolFlow (0.001 m3/s) the flow is zero and the air is not heated.
    out = ite_air_cooled(
        series([0.5]), temp_zone=15.0, ite=EXAMPLE, inlet="zone", schedule=1e-4, backend="numba"
    )
    assert float(out.air_volume_flow[0]) == 0.0 and float(out.air_mass_flow[0]) == 0.0
    assert float(out.temp_outlet[0]) == float(out.temp_inlet[0])
    assert float(out.power_fan[0]) > 0.0  # the fan curve still sees the flow fraction


# --- EnergyPlus curve forms: Curve:Linear, Quadratic, Cubic, Quartic, Exponent ---------

LINEAR = Curve.linear(0.9, 0.1, 0.2, 1.1, 0.93, 0.995)
QUADRATIC = Curve.quadratic(0.85, 0.25, -0.1, 0.0, 1.5, 0.0, 1.1)
CUBIC = Curve.cubic(0.05, 0.2, 0.25, 0.5, 0.45, 0.9, 0.25, 0.75)
QUARTIC = Curve.quartic(0.02, 0.1, 0.3, 0.4, 0.18, 0.1, 1.3)  # no output limits
EXPONENT = Curve.exponent(0.1, 0.9, 2.7, 0.0, 0.9, 0.2, 1.3)
EXPONENT_NEGATIVE = Curve.exponent(1.02, -0.05, -0.6, 0.05, 2.0, 0.8)

# (curve, x, value): worked by hand; 'in' the formula inside the limits, 'x' an input
# limited first, 'out' a value limited after (CurveManager.cc CurveValue)
CURVE_VALUES = [
    (LINEAR, 0.5, 0.95),  # in: 0.9 + 0.05
    (LINEAR, 0.0, 0.93),  # x 0 -> 0.2: 0.92 -> out 0.93
    (LINEAR, 2.0, 0.995),  # x 2 -> 1.1: 1.01 -> out 0.995
    (QUADRATIC, 0.5, 0.95),  # 0.85 + 0.125 - 0.025
    (QUADRATIC, 2.0, 1.0),  # x -> 1.5: 0.85 + 0.375 - 0.225
    (CUBIC, 0.6, 0.368),  # 0.05 + 0.12 + 0.09 + 0.108
    (CUBIC, 0.3, 0.25),  # x -> 0.45: 0.2361875 -> out 0.25
    (CUBIC, 1.0, 0.75),  # x -> 0.9: 0.797 -> out 0.75
    (QUARTIC, 0.5, 0.20625),  # 0.02 + 0.05 + 0.075 + 0.05 + 0.01125
    (QUARTIC, 1.0, 1.0),
    (QUARTIC, 2.0, 2.049898),  # x -> 1.3: 0.02 + 0.13 + 0.507 + 0.8788 + 0.514098, no out limit
    (EXPONENT, 0.8, 0.5927033),  # 0.1 + 0.9 x 0.8**2.7 (0.64 x 0.855388)
    (EXPONENT, 0.1, 0.2),  # 0.1018 -> out 0.2
    (EXPONENT, 1.2, 0.7771693),  # x -> 0.9: 0.1 + 0.9 x 0.9**2.7
    (EXPONENT_NEGATIVE, 0.5, 0.9442142),  # 1.02 - 0.05 x 2**0.6
    (EXPONENT_NEGATIVE, 0.0, 0.8),  # x -> 0.05: 0.7183 -> out 0.8 (no 0**-0.6)
]


@pytest.mark.parametrize(("curve", "x", "value"), CURVE_VALUES)
def test_curve_forms_by_hand(curve, x, value):
    assert float(curve(x)) == pytest.approx(value, rel=1e-7)
    assert float(curve(x, 1e3)) == float(curve(x))  # one variable: y is ignored


@pytest.mark.parametrize("backend", ["numpy", "numba"])
@pytest.mark.parametrize(("curve", "x", "value"), CURVE_VALUES)
def test_curve_forms_in_the_kernel(backend, curve, x, value):
    # the fan curve sees the flow fraction x of a constant air flow curve: P_fan = P_fan,des f(x)
    # (x limited at 0: the kernel's max(f_flow, 0) keeps the flow fraction non-negative)
    ite = ITEAirCooled(
        design_power=1000.0, fan_power_fraction=0.5, air_flow_curve=Curve.constant(x),
        fan_power_curve=curve, ups_efficiency_curve=curve,
    )  # fmt: skip
    out = ite_air_cooled(series([0.5]), temp_zone=20.0, ite=ite, inlet="zone", backend=backend)
    assert float(out.power_fan[0]) == pytest.approx(500.0 * value, rel=1e-7)
    # the same curve as the power supply's efficiency f(PLR), PLR = (CPU + fan) / design
    part_load = float(out.power_cpu[0] + out.power_fan[0]) / 1000.0
    expected = (500.0 + 500.0 * value) * max(1.0 - float(curve(part_load)), 0.0)
    assert float(out.power_ups[0]) == pytest.approx(expected, rel=1e-7, abs=1e-9)


def test_one_variable_curves_in_two_variable_slots_ignore_the_temperature():
    # EnergyPlus accepts a Curve:Linear as the CPU curve f(u, T) and evaluates it at u alone
    ite = ITEAirCooled(design_power=1000.0, cpu_power_curve=Curve.linear(0.2, 0.8))
    for temp in (10.0, 30.0):
        out = ite_air_cooled(series([0.5]), temp_zone=temp, ite=ite, inlet="zone", backend="numba")
        assert float(out.power_cpu[0]) == pytest.approx(1000.0 * 0.6)


def test_biquadratic_of_one_variable_is_taken_at_zero_without_its_y_limits():
    # Curve::valueFallback: a Curve:Biquadratic where EnergyPlus wants f(x) is f(x, 0), y unlimited
    curve = Curve((1.0, 0.0, 0.0, 2.0, 0.0, 0.0), y_min=5.0)
    assert float(curve(0.3)) == 1.0
    assert float(curve(0.3, 0.0)) == 11.0  # two variables: y = 0 is limited to 5 first
    ite = ITEAirCooled(design_power=1000.0, fan_power_fraction=0.5, fan_power_curve=curve)
    out = ite_air_cooled(series([0.5]), temp_zone=20.0, ite=ite, inlet="zone", backend="numba")
    assert float(out.power_fan[0]) == pytest.approx(500.0)


def test_quadratic_keeps_its_biquadratic_bits():
    # Curve.quadratic is now a Curve:Quadratic; the numbers are those of the biquadratic with
    # c4 = c5 = c6 = 0 it used to be (the zero terms add exact zeros)
    old = Curve((0.85, 0.25, -0.1, 0.0, 0.0, 0.0), 0.0, 1.5, -np.inf, np.inf, 0.0, 1.1)
    x = np.linspace(-0.5, 2.0, 101)
    assert np.array_equal(QUADRATIC(x), old(x, 0.0))
    assert QUADRATIC.packed()[:6] == [0.85, 0.25, -0.1, 0.0, 0.0, 0.0]


def test_curve_validation():
    with pytest.raises(ValueError, match="form: 'bicubic' is not one of"):
        Curve((1.0,) * 10, form="bicubic")
    with pytest.raises(ValueError, match="need 4 cubic coefficients"):
        Curve((1.0, 2.0, 3.0), form="cubic")
    with pytest.raises(ValueError, match="need 6 biquadratic coefficients"):
        Curve((1.0, 2.0, 3.0))
    assert Curve.biquadratic(1, 2, 3, 4, 5, 6, 0, 1, 2, 3).packed()[-1] == 0.0  # the form code


def test_chiller_refuses_an_exponent_curve():
    from powermodel import cooling

    plant = cooling.plant("air-chiller")
    chiller = dataclasses.replace(plant.chiller, eirfplr=EXPONENT)
    broken = dataclasses.replace(plant, chiller=chiller)
    with pytest.raises(ValueError, match="eirfplr: a chiller curve cannot be a Curve:Exponent"):
        broken.packed(1e6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_numba_matches_numpy_for_every_curve_form(dtype):
    ite = ITEAirCooled(
        design_power=5e4, fan_power_fraction=0.3, air_flow_per_power=1e-4,
        cpu_power_curve=Curve.cubic(0.1, 0.5, 0.3, 0.1, 0.0, 1.5),
        air_flow_curve=Curve.biquadratic(0.3, 0.5, 0.0, 0.008, 0.0, 0.0, 0.0, 1.5, 10.0, 40.0),
        fan_power_curve=EXPONENT, ups_efficiency=0.95, ups_efficiency_curve=EXPONENT_NEGATIVE,
    )  # fmt: skip
    u = series(np.linspace(0, 1, 23), dtype)
    temps = series(np.linspace(5, 45, 23))
    ref = ite_air_cooled(
        u.astype(np.float64), temp_zone=temps, ite=ite, inlet="zone", backend="numpy"
    )
    ours = ite_air_cooled(u, temp_zone=temps, ite=ite, inlet="zone", backend="numba")
    for name in OUTPUTS:
        assert ours[name].dtype == dtype
        rtol = 1e-5 if dtype == np.float32 else 1e-12
        np.testing.assert_allclose(ours[name].values, ref[name].values, rtol=rtol, atol=rtol * 1e4)


# --- FlowControlWithApproachTemperatures ----------------------------------------------


def test_approach_inlet_and_return_by_hand():
    # T_in = T_supply + dT_supply, the zone air ignored; T_return = T_out + dT_return
    ite = ITEAirCooled(design_power=1000.0, recirculation_fraction=0.5)  # recirculation ignored
    out = ite_air_cooled(
        series([1.0, 1.0]), temp_supply=series([18.0, 20.0]), inlet="approach", ite=ite,
        supply_approach=series([2.0, 3.5]), return_approach=-1.5, humidity_ratio=0.01,
        backend="numba",
    )  # fmt: skip
    np.testing.assert_allclose(out.temp_inlet.values, [20.0, 23.5])
    # V = 1000 W x 1e-4 m3 s-1 W-1 at the inlet; 1000 W heat the air
    density = 101325.0 / (287.0 * (out.temp_inlet.values + 273.15) * (1 + 1.6077687 * 0.01))
    mass = 0.1 * density
    np.testing.assert_allclose(out.air_mass_flow.values, mass, rtol=1e-12)
    rise = 1000.0 / (mass * (1.00484e3 + 1.85895e3 * 0.01))
    np.testing.assert_allclose(out.temp_outlet.values, np.array([20.0, 23.5]) + rise, rtol=1e-12)
    np.testing.assert_allclose(out.temp_return.values, out.temp_outlet.values - 1.5, rtol=1e-14)
    assert out.temp_return.attrs["units"] == "degC"


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_approach_outlet_snaps_to_the_supply_within_small_temp_diff(backend):
    # CalcZoneITEq: if |T_out - T_supply| < HVAC::SmallTempDiff (1e-5 K) then T_out = T_supply;
    # no air flow (schedule 0) leaves T_out = T_in = T_supply + dT_supply
    ite = ITEAirCooled(design_power=1000.0)
    out = ite_air_cooled(
        series([0.5, 0.5, 0.5]), temp_supply=16.0, supply_approach=series([5e-6, 2e-5, -5e-6]),
        return_approach=0.5, inlet="approach", ite=ite, schedule=0.0, backend=backend,
    )  # fmt: skip
    np.testing.assert_array_equal(out.air_mass_flow.values, 0.0)
    inlet = 16.0 + np.array([5e-6, 2e-5, -5e-6])
    np.testing.assert_array_equal(out.temp_inlet.values, inlet)
    np.testing.assert_array_equal(out.temp_outlet.values, [16.0, inlet[1], 16.0])
    np.testing.assert_array_equal(out.temp_return.values, [16.5, inlet[1] + 0.5, 16.5])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_approach_numba_matches_numpy(dtype):
    u = series(np.linspace(0, 1, 17), dtype)
    kwargs = dict(
        temp_supply=series(np.linspace(12, 26, 17)), supply_approach=series(np.linspace(-1, 5, 17)),
        return_approach=series(np.linspace(-3, 2, 17)), inlet="approach", ite=EXAMPLE,
    )  # fmt: skip
    ref = ite_air_cooled(u.astype(np.float64), backend="numpy", **kwargs)
    ours = ite_air_cooled(u, backend="numba", **kwargs)
    for name in [*OUTPUTS, "temp_return"]:
        assert ours[name].dtype == dtype
        assert_close(ours[name].values, ref[name].values, dtype, name)


def test_approach_temperatures_broadcast_over_their_dims():
    ret = xr.DataArray([-1.0, 0.0, 2.0], dims="case")
    out = ite_air_cooled(
        series([0.5, 1.0]), temp_supply=18.0, supply_approach=2.0, return_approach=ret,
        inlet="approach", ite=EXAMPLE, backend="numba",
    )  # fmt: skip
    assert dict(out.temp_return.sizes) == {"time": 2, "case": 3}
    assert dict(out.power_cpu.sizes) == {"time": 2, "case": 3}
    np.testing.assert_allclose(
        out.temp_return.values, out.temp_outlet.values + ret.values[None, :], rtol=1e-14
    )


def test_approach_bad_inputs():
    kwargs = dict(ite=EXAMPLE, inlet="approach", temp_supply=18.0)
    with pytest.raises(ValueError, match="supply_approach: required"):
        ite_air_cooled(series([0.5]), return_approach=0.0, **kwargs)
    with pytest.raises(ValueError, match="return_approach: required"):
        ite_air_cooled(series([0.5]), supply_approach=0.0, **kwargs)
    with pytest.raises(ValueError, match="temp_zone: not used with inlet='approach'"):
        ite_air_cooled(series([0.5]), 20.0, supply_approach=0.0, return_approach=0.0, **kwargs)
    with pytest.raises(ValueError, match="temp_supply: required when inlet='approach'"):
        ite_air_cooled(
            series([0.5]), ite=EXAMPLE, inlet="approach", supply_approach=0.0, return_approach=0.0
        )
    with pytest.raises(ValueError, match="supply_approach: only used with inlet='approach'"):
        ite_air_cooled(
            series([0.5]), temp_zone=20.0, ite=EXAMPLE, inlet="zone", supply_approach=1.0
        )
    with pytest.raises(ValueError, match="temp_zone: required when inlet='zone'"):
        ite_air_cooled(series([0.5]), ite=EXAMPLE, inlet="zone")
    with pytest.raises(TypeError, match="return_approach: expected a number"):
        ite_air_cooled(series([0.5]), supply_approach=0.0, return_approach="warm", **kwargs)
    stamps = np.array(["2025-01-01T00", "2025-01-01T01"], "datetime64[ns]")
    with pytest.raises(ValueError, match="inputs: coordinates do not align"):
        ite_air_cooled(
            series([0.5]).assign_coords(time=stamps[:1]), supply_approach=0.0,
            return_approach=series([1.0]).assign_coords(time=stamps[1:]), **kwargs,
        )  # fmt: skip


@pytest.mark.gpu
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cuda_approach_matches_numpy(dtype):
    u = series([0.0, 0.3, 1.0, np.nan], dtype)
    if not cuda_simulator_enabled():
        import cupy

        u = u.copy(data=cupy.asarray(u.data))
    kwargs = dict(
        temp_supply=16.0, supply_approach=series([2.0, 5e-6, 3.0, 1.0]),
        return_approach=series([-1.0, 0.0, 1.0, 2.0]), inlet="approach", ite=EXAMPLE,
    )  # fmt: skip
    ours = ite_air_cooled(u, backend="cupy", **kwargs)
    ref = ite_air_cooled(series([0.0, 0.3, 1.0, np.nan]), backend="numpy", **kwargs)
    for name in [*OUTPUTS, "temp_return"]:
        assert_close(to_host(ours[name].data), ref[name].values, dtype, name)


# --- EnergyPlus 25.2 reference runs of the curve forms and of the approach method ------
# (tests/data/energyplus_ite_curves/README.md, tests/data/energyplus_ite_approach/README.md)

REAL_CPU = Curve((0.15, 0.9, -0.1, 0.002, 0.0, 0.0), 0.0, 1.5, 10.0, 40.0, 0.0, 2.0)
REAL_FLOW = Curve((0.3, 0.5, 0.0, 0.008, 0.0, 0.0), 0.0, 1.5, 10.0, 40.0, 0.1, 2.0)


def _servers(units, watts, fan, flow, inlet, fan_curve, efficiency, ups_curve, to_zone):
    return ITEAirCooled(
        design_power=watts * units, fan_power_fraction=fan, air_flow_per_power=flow,
        design_inlet_temperature=inlet, cpu_power_curve=REAL_CPU, air_flow_curve=REAL_FLOW,
        fan_power_curve=fan_curve, ups_efficiency=efficiency, ups_efficiency_curve=ups_curve,
        ups_loss_to_zone=to_zone,
    )  # fmt: skip


CUBIC_UPS = Curve.cubic(0.7, 0.6, -0.5, 0.2, 0.05, 1.5, 0.72, 1.02)
CURVE_SERVERS = {
    "CUBIC SERVERS": _servers(8, 10000.0, 0.25, 0.00008, 25.0, CUBIC, 0.95, LINEAR, 0.7),
    "EXPONENT SERVERS": _servers(4, 12000.0, 0.2, 0.00009, 22.0, EXPONENT, 0.96, CUBIC_UPS, 1.0),
    "QUARTIC SERVERS": _servers(
        10, 5000.0, 0.3, 0.0001, 27.0, QUARTIC, 0.93, EXPONENT_NEGATIVE, 0.5
    ),
}
APPROACH_SERVERS = {  # object: (zone, fields, supply and return temperature differences)
    "HALL SERVERS": (
        "HALL",
        _servers(8, 10000.0, 0.25, 0.00008, 25.0, CUBIC, 0.95, QUADRATIC, 0.7),
    ),
    "ANNEX SERVERS": (
        "ANNEX",
        _servers(10, 6000.0, 0.2, 0.0001, 22.0, CUBIC, 0.95, QUADRATIC, 1.0),
    ),
}
SUPPLY_APPROACH = [0.0, 0.5, 1.0, 0.000005, 1.5, 1.5, 2.0, 2.0, 2.5, 2.5, 2.5, 3.0]
SUPPLY_APPROACH += [3.0, 3.0, 4.0, 4.0, 4.0, 3.5, 3.5, 3.5, 1.0, 1.0, -0.5, -0.5]
RETURN_APPROACH = [-2.0] * 3 + [-1.0] * 3 + [0.0] * 6 + [-3.0] * 6 + [1.5] * 6
ENERGYPLUS_NAMES_ALL = {
    **ENERGYPLUS_NAMES,
    "air_volume_flow": "ITE Current Density Air Volume Flow Rate [m3/s]",
    "temp_inlet": "ITE Air Inlet Dry-Bulb Temperature [C]",
}


def _table(case):
    table = pd.read_csv(Path(__file__).parent / "data" / case / "eplusout.csv")
    table.columns = table.columns.str.strip()  # EnergyPlus ends its header with a space
    return table


def _columns(table, obj, names):
    return {name: table[f"{obj}:{col}(TimeStep)"].to_numpy() for name, col in names.items()}


def curves_replay(obj, backend, dtype=np.float64):
    """Our model on the inputs of tests/data/energyplus_ite_curves; (ours, EnergyPlus's)."""
    table = _table("energyplus_ite_curves")
    days = len(table) // 24
    u = series(np.tile(CPU_LOADING, days), dtype)
    if backend == "cupy" and not cuda_simulator_enabled():
        import cupy

        u = u.copy(data=cupy.asarray(u.data))
    ours = ite_air_cooled(
        u,
        temp_zone=series(table[f"{obj}:ITE Air Inlet Dry-Bulb Temperature [C](TimeStep)"]),
        ite=CURVE_SERVERS[obj],
        inlet="zone",
        humidity_ratio=series(table["HALL:Zone Air Humidity Ratio [](TimeStep)"]),
        schedule=series(np.tile(OPERATION, days)),
        pressure=standard_pressure(2.0),
        backend=backend,
    )
    return ours, _columns(table, obj, ENERGYPLUS_NAMES_ALL)


def approach_replay(obj, backend, dtype=np.float64):
    """Our model on the inputs of tests/data/energyplus_ite_approach, hours 2..72.

    EnergyPlus computes the ITE gains at the start of a zone time step, before that step's
    HVAC: the supply node it reads is the one it reported for the step before. The first
    hour's (the last warm-up step's) is not in the file, so that hour is left out.
    """
    table = _table("energyplus_ite_approach")
    zone, ite = APPROACH_SERVERS[obj]
    days = len(table) // 24
    node = f"{zone} IDEAL SUPPLY:System Node"
    later = slice(1, None)
    u = series(np.tile(CPU_LOADING, days)[later], dtype)
    if backend == "cupy" and not cuda_simulator_enabled():
        import cupy

        u = u.copy(data=cupy.asarray(u.data))
    if obj == "HALL SERVERS":  # given: Supply / Return Temperature Difference 2 and -1 K
        supply_approach, return_approach = 2.0, -1.0
    else:  # scheduled
        supply_approach = series(np.tile(SUPPLY_APPROACH, days)[later])
        return_approach = series(np.tile(RETURN_APPROACH, days)[later])
    ours = ite_air_cooled(
        u,
        ite=ite,
        inlet="approach",
        temp_supply=series(table[f"{node} Temperature [C](TimeStep)"][:-1]),
        supply_approach=supply_approach,
        return_approach=return_approach,
        humidity_ratio=series(table[f"{node} Humidity Ratio [kgWater/kgDryAir](TimeStep)"][:-1]),
        schedule=series(np.tile(OPERATION, days)[later]),
        pressure=standard_pressure(2.0),
        backend=backend,
    )
    theirs = {k: v[later] for k, v in _columns(table, obj, ENERGYPLUS_NAMES_ALL).items()}
    theirs["temp_return"] = table[f"{zone}:Zone ITE Adjusted Return Air Temperature [C](TimeStep)"]
    theirs["temp_return"] = theirs["temp_return"].to_numpy()[later]
    return ours, theirs


def _assert_matches(ours, theirs, rtol=1e-12, atol=1e-9):
    for name, reference in theirs.items():
        values = to_host(ours[name].data)
        if name == "temp_return":  # EnergyPlus reports 0 for a zone without ITE air flow
            flowing = to_host(ours.air_mass_flow.data) > 0
            np.testing.assert_array_equal(reference[~flowing], 0.0)
            values, reference = values[flowing], reference[flowing]
        np.testing.assert_allclose(values, reference, rtol=rtol, atol=atol, err_msg=name)


@pytest.mark.parametrize("obj", sorted(CURVE_SERVERS))
@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_curve_forms_match_energyplus(obj, backend):
    # every output of every hour, to rounding (measured: <= 4.1e-15 relative)
    _assert_matches(*curves_replay(obj, backend))


def test_curve_reference_run_exercises_the_limits():
    # the fan and supply curves' input and output limits bind in some hours of the run
    table = _table("energyplus_ite_curves")
    counts = {}
    for obj, ite in CURVE_SERVERS.items():
        ours, _ = curves_replay(obj, "numpy")
        flow = np.maximum(ite.air_flow_curve(np.tile(CPU_LOADING, 3), ours.temp_inlet.values), 0)
        plr = (ours.power_cpu + ours.power_fan).values / ite.design_power
        for part, curve, x in (
            ("fan", ite.fan_power_curve, flow),
            ("ups", ite.ups_efficiency_curve, plr),
        ):
            free = Curve(curve.coefficients, form=curve.form)(np.clip(x, curve.x_min, curve.x_max))
            counts[obj, part] = (
                int((x < curve.x_min).sum() + (x > curve.x_max).sum()),
                int((free < curve.out_min).sum() + (free > curve.out_max).sum()),
            )
    assert len(table) == 72
    assert counts["CUBIC SERVERS", "fan"] == (21, 27)  # both ends of x and of the output
    assert counts["CUBIC SERVERS", "ups"][0] > 0 and counts["CUBIC SERVERS", "ups"][1] > 0
    assert counts["EXPONENT SERVERS", "fan"][0] > 0 and counts["EXPONENT SERVERS", "fan"][1] > 0
    assert counts["QUARTIC SERVERS", "ups"][1] > 0  # the negative exponent's floor


def test_curve_forms_match_energyplus_in_float32():
    ours, theirs = curves_replay("EXPONENT SERVERS", "numba", np.float32)
    _assert_matches(ours, theirs, rtol=2e-5, atol=1e-3)


@pytest.mark.parametrize("obj", sorted(APPROACH_SERVERS))
@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_approach_matches_energyplus(obj, backend):
    # every output of hours 2..72 and the zone's adjusted return temperature, to rounding
    # (measured: <= 1.4e-15 relative); ANNEX hour 4: dT_supply 5e-6 K without air flow, the
    # outlet snapped to the supply temperature as EnergyPlus does
    ours, theirs = approach_replay(obj, backend)
    _assert_matches(ours, theirs)
    if obj == "ANNEX SERVERS":
        snapped = ours.isel(time=slice(2, None, 24))  # hour 4 of each day
        assert float(snapped.air_mass_flow.max()) == 0.0
        gap = (snapped.temp_inlet - snapped.temp_outlet).values  # T_in - T_supply, not 0
        np.testing.assert_allclose(gap, 0.000005, atol=1e-12)


def test_approach_matches_energyplus_in_float32():
    ours, theirs = approach_replay("ANNEX SERVERS", "numba", np.float32)
    _assert_matches(ours, theirs, rtol=2e-5, atol=1e-3)


@pytest.mark.gpu
def test_cuda_matches_energyplus_curves_and_approach():
    _assert_matches(*curves_replay("EXPONENT SERVERS", "cupy"))
    _assert_matches(*approach_replay("ANNEX SERVERS", "cupy"))
