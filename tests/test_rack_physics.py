"""Rack power physics as plain Python: published values and properties."""

from __future__ import annotations

import math

import numba
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from powermodel import catalog
from powermodel.backends._codegen import compile_physics
from powermodel.kernels import rack as physics

NO_TABLE = np.zeros(2)


@pytest.mark.parametrize(
    ("utilization", "expected"),
    # Fan, Weber & Barroso (2007), r = 1.4: 2u - u**1.4 (values rounded to 3 digits)
    [(0.0, 0.0), (0.25, 0.356), (0.5, 0.621), (0.75, 0.832), (1.0, 1.0)],
)
def test_fan_barroso_published_shape(utilization, expected):
    value = physics.load_fraction_fan_barroso(utilization, 1.4, NO_TABLE)
    assert value == pytest.approx(expected, abs=5e-4)


def test_spec_table_matches_cloudsim_interpolation():
    # CloudSim PowerModelSpecPower:
    # P = P[floor(10u)] + (P[ceil(10u)] - P[floor(10u)]) * (u - floor(10u)/10) * 10
    watts = catalog.load_table("ibm-x3550-xeon-x5675")
    table = (watts - watts[0]) / (watts[-1] - watts[0])
    for u in (0.0, 0.05, 0.55, 0.99, 1.0):
        low, high = math.floor(10 * u), math.ceil(10 * u)
        cloudsim = watts[low] + (watts[high] - watts[low]) * (u - low / 10) * 10
        ours = physics.server_power(watts[0], watts[-1], physics.load_fraction_table(u, 1.0, table))
        assert ours == pytest.approx(cloudsim, rel=1e-12)


def test_titanium_fit_reproduces_80plus_points():
    # 80 PLUS Titanium 230 V internal redundant: 90/94/96/91 % at 10/20/50/100 % load
    a0, a1, a2 = catalog.psu_loss_coefficients("titanium_230v_redundant")
    for load, efficiency in [(0.1, 0.90), (0.2, 0.94), (0.5, 0.96), (1.0, 0.91)]:
        loss = a0 + a1 * load + a2 * load**2
        assert load / (load + loss) == pytest.approx(efficiency, abs=0.013)


def test_default_ups_efficiency():
    # loss/rated = 0.010 + 0.015 L + 0.010 L^2 -> eta = L / (L + loss)
    chain = catalog.ups()
    rated = 1000.0
    for load, efficiency in [(1.0, 1 / 1.035), (0.5, 0.5 / 0.52), (0.2, 0.2 / 0.2134)]:
        loss = physics.converter_loss(load * rated, rated, *chain.ups_loss)
        assert load * rated / (load * rated + loss) == pytest.approx(efficiency, rel=1e-12)


@given(
    st.floats(0.0, 2.0),
    st.floats(0.0, 0.05),
    st.floats(-0.08, 0.05),
    st.floats(0.0, 0.2),
)
def test_converter_inverse_round_trip(load, a0, a1, a2):
    rated = 5000.0
    power_out = load * rated
    power_in = power_out + physics.converter_loss(power_out, rated, a0, a1, a2)
    recovered = physics.converter_input_to_output(power_in, rated, a0, a1, a2)
    assert recovered == pytest.approx(power_out, rel=1e-9, abs=1e-9)


def test_converter_below_no_load_loss_gives_zero_output():
    assert physics.converter_input_to_output(5.0, 1000.0, 0.01, 0.0, 0.0) == 0.0


@pytest.mark.parametrize("name", ["linear", "fan_barroso", "table"])
@given(u1=st.floats(0.0, 1.0), u2=st.floats(0.0, 1.0))
def test_load_fraction_monotone_and_bounded(name, u1, u2):
    curve = {
        "linear": physics.load_fraction_linear,
        "fan_barroso": physics.load_fraction_fan_barroso,
        "table": physics.load_fraction_table,
    }[name]
    table = np.array([0.0, 0.4, 0.5, 0.9, 1.0])
    low, high = sorted((u1, u2))
    g_low, g_high = curve(low, 1.4, table), curve(high, 1.4, table)
    assert 0.0 <= g_low <= g_high <= 1.0 + 1e-15


@given(
    u=st.floats(0.0, 1.0),
    cap_fraction=st.one_of(st.just(math.inf), st.floats(0.0, 1.2)),
    name=st.sampled_from(catalog.systems()),
)
def test_rack_chain_balance_and_bounds(u, cap_fraction, name):
    system = catalog.system(name)
    # a cap between the rack's idle and 1.2 x its maximum power (the API refuses lower caps)
    idle, peak = system.servers_per_rack * system.power_idle, system.rack_power_max
    cap = idle + cap_fraction * (peak - idle)
    chain = catalog.ups()
    n = system.servers_per_rack
    p = physics.server_power(
        system.power_idle, system.power_max, physics.load_fraction_fan_barroso(u, 1.4, NO_TABLE)
    )
    it, fan, psu, ups, total = physics.rack_power_chain(
        p, system.power_idle, system.power_max, float(n), cap, system.fan_power_max,
        system.fan_min_speed, system.psu_rated, *system.psu_loss, system.rack_power_max,
        *chain.ups_loss, chain.distribution_loss,
    )  # fmt: skip
    rack_input = it + fan + psu
    assert min(n * system.power_idle, cap) - 1e-6 <= rack_input <= n * system.power_max + 1e-6
    assert rack_input <= cap * (1 + 1e-12)
    assert fan >= 0 and psu >= 0 and ups >= 0 and it > 0
    assert total == pytest.approx(it + fan + psu + ups, rel=1e-14)


@pytest.mark.parametrize("precision", ["float32", "float64"])
def test_compiled_physics_keeps_precision(precision):
    dtype = np.dtype(precision)
    chain = compile_physics(physics.rack_power_chain, "cpu", precision)
    values = (9000.0, 2000.0, 10000.0, 4.0, 1e9, 800.0, 0.3, 19800.0)
    values += (0.02, -0.06, 0.15, 40000.0, 0.01, 0.015, 0.01, 0.01)
    args = [dtype.type(v) for v in values]
    chain(*args)
    (signature,) = chain.nopython_signatures
    assert signature.return_type == numba.types.UniTuple(getattr(numba, precision), 5)
