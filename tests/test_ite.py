"""EnergyPlus ElectricEquipment:ITE:AirCooled: published example values, balances, backends."""

from __future__ import annotations

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
