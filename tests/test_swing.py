"""Training power swings (powermodel.swing): levels, mitigations, summaries, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given
from hypothesis import strategies as st

from powermodel import rack, swing, workload
from powermodel.workload import Training, Workload


def _hourly(values, racks=(8,), kind=("training",)):
    values = np.asarray(values, np.float64).reshape(-1, 1, len(racks))
    return xr.DataArray(
        values,
        dims=("time", "scenario", "group"),
        coords={
            "time": pd.date_range("2025", periods=values.shape[0], freq="1h"),
            "racks": ("group", list(racks)),
            "kind": ("group", list(kind)),
        },
    )


@given(u=st.floats(0.0, 1.0), d=st.floats(0.05, 0.95), c=st.floats(0.0, 1.0))
def test_levels_keep_the_mean_and_bounds(u, d, c):
    high, low = swing.levels(u, d, c)
    assert 0.0 <= low <= high <= 1.0 + 1e-12
    assert d * high + (1 - d) * low == pytest.approx(u, abs=1e-12)


U = _hourly(np.linspace(0.0, 1.0, 21))
T = Training(compute_fraction=0.7, communication_level=0.3, iteration_period_s=4.0)


def test_swing_duty_weighted_mean_power_is_the_hourly_power():
    m = swing.swing_metrics(U, "gb200-nvl72", T, backend="numpy")
    d = T.compute_fraction
    mean = d * m.power_max_unmitigated + (1 - d) * m.power_min_unmitigated
    np.testing.assert_allclose(mean, m.power_mean, rtol=1e-12)
    hourly = rack.power(U.isel(scenario=0).rename(group="rack").drop_vars(["racks", "kind"]),
                        "gb200-nvl72", backend="numpy").power_total * 8  # fmt: skip
    np.testing.assert_allclose(m.power_mean.isel(scenario=0).values, hourly.values, rtol=1e-6)
    assert (m.power_max_unmitigated >= m.power_mean).all()
    assert (m.power_min_unmitigated <= m.power_mean).all()
    # swing vanishes at idle and at full load, ramp = 8 racks x amplitude / transition
    amplitude = m.power_max_unmitigated - m.power_min_unmitigated
    np.testing.assert_allclose(amplitude.isel(time=[0, -1]), 0.0, atol=1e-6)
    np.testing.assert_allclose(m.ramp_rate_unmitigated, amplitude / swing.TRANSITION_S)


def test_inference_groups_do_not_swing():
    u = _hourly([[0.5, 0.5]] * 3, racks=(4, 4), kind=("training", "inference"))
    m = swing.swing_metrics(u, "gb200-nvl72", backend="numpy")
    assert (m.ramp_rate_unmitigated.sel(group=1) == 0).all()
    assert (m.ramp_rate_unmitigated.sel(group=0) > 0).all()
    assert m.racks.values.tolist() == [4, 4]


def test_power_floor_raises_minimum_and_costs_the_reported_energy():
    base = swing.swing_metrics(U, "gb200-nvl72", T, backend="numpy")
    floor = swing.swing_metrics(U, "gb200-nvl72", T, power_floor=0.6, backend="numpy")
    d = T.compute_fraction
    assert (floor.power_min >= base.power_min - 1e-9).all()
    assert (floor.power_min > base.power_min).any()
    np.testing.assert_allclose(floor.power_max, base.power_max)  # never above compute power
    # energy balance: the floor's extra energy is the rise of the duty-weighted mean
    mean = d * floor.power_max + (1 - d) * floor.power_min
    np.testing.assert_allclose(mean - base.power_mean, floor.floor_power, atol=1e-6)
    np.testing.assert_allclose(floor.floor_energy, floor.floor_power * 3600.0)
    assert (floor.floor_energy > 0).any() and (floor.floor_energy >= 0).all()
    assert (floor.ramp_rate <= base.ramp_rate + 1e-9).all()


@pytest.mark.parametrize(("energy", "power"), [(1e3, 1e4), (2e4, 5e3), (1e6, 1e6)])
def test_storage_smooths_without_creating_energy(energy, power):
    base = swing.swing_metrics(U, "gb200-nvl72", T, backend="numpy")
    m = swing.swing_metrics(
        U, "gb200-nvl72", T, storage_j_per_rack=energy, storage_power_w_per_rack=power,
        backend="numpy",
    )  # fmt: skip
    d, period = T.compute_fraction, T.iteration_period_s
    assert (m.power_max <= base.power_max + 1e-9).all() and (m.power_max < base.power_max).any()
    assert (m.ramp_rate <= base.ramp_rate + 1e-9).all() and (m.ramp_rate < base.ramp_rate).any()
    assert (m.power_min <= m.power_max + 1e-9).all()
    # energy in = energy out over an iteration: grid energy unchanged
    np.testing.assert_allclose(
        d * m.power_max + (1 - d) * m.power_min, base.power_mean, rtol=1e-12, atol=1e-6
    )
    discharged = d * period * (base.power_max - m.power_max)
    charged = (1 - d) * period * (m.power_min - base.power_min)
    np.testing.assert_allclose(discharged, m.storage_energy, atol=1e-6)
    np.testing.assert_allclose(charged, m.storage_energy, atol=1e-6)
    assert (m.storage_energy <= 8 * energy + 1e-6).all()  # capacity of 8 racks
    assert (np.maximum(base.power_max - m.power_max, m.power_min - base.power_min)
            <= 8 * power + 1e-6).all()  # fmt: skip


def test_storage_large_enough_flattens_the_swing():
    m = swing.swing_metrics(
        U, "gb200-nvl72", T, storage_j_per_rack=1e6, storage_power_w_per_rack=1e6, backend="numpy"
    )
    assert m.storage_sufficient.all()
    np.testing.assert_allclose(m.ramp_rate, 0.0, atol=1e-3)
    small = swing.swing_metrics(U, "gb200-nvl72", T, storage_j_per_rack=1e3,
                                storage_power_w_per_rack=1e3, backend="numpy")  # fmt: skip
    swinging = small.ramp_rate_unmitigated > 1.0  # W s-1; idle and full load do not swing
    assert not small.storage_sufficient.where(swinging, False).any()


def test_swing_summary_per_scenario():
    u = workload.generate(Workload(), racks=20, periods=24, scenarios=3)
    m = swing.swing_metrics(u, "gb200-nvl72", power_floor=0.5, backend="numpy")
    s = swing.swing_summary(m)
    assert s.sizes == {"scenario": 3}
    hall = m.sum("group")
    np.testing.assert_allclose(s.energy, hall.power_mean.sum("time") * 3600.0)
    np.testing.assert_allclose(s.power_max, hall.power_max.max("time"))
    np.testing.assert_allclose(s.floor_energy, m.floor_energy.sum(["time", "group"]))
    assert (s.power_max >= s.power_min).all()
    for name in list(s.data_vars) + list(m.data_vars):
        obj = s if name in s else m
        assert {"units", "long_name"} <= set(obj[name].attrs)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"power_floor": 1.5}, "power_floor"),
        ({"storage_j_per_rack": -1.0}, "storage_j_per_rack"),
        ({"storage_power_w_per_rack": np.nan}, "storage_power_w_per_rack"),
        ({"transition_s": 0.0}, "transition_s"),
    ],
)
def test_swing_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        swing.swing_metrics(U, "gb200-nvl72", backend="numpy", **kwargs)


def test_swing_needs_racks_with_groups_and_valid_utilization():
    with pytest.raises(ValueError, match="racks"):
        swing.swing_metrics(U.drop_vars("racks"), "gb200-nvl72", backend="numpy")
    with pytest.raises(ValueError, match="utilization"):
        swing.swing_metrics(U + 0.5, "gb200-nvl72", backend="numpy")


def test_swing_propagates_nan():
    u = _hourly([0.5, np.nan, 0.7])
    m = swing.swing_metrics(u, "gb200-nvl72", backend="numpy")
    assert np.isnan(m.power_max.isel(time=1)).all() and np.isnan(m.ramp_rate.isel(time=1)).all()
    assert np.isfinite(m.power_max.isel(time=[0, 2])).all()


def test_swing_power_cap_and_a_given_mean_power():
    u = workload.generate(workload.Workload(), racks=16, periods=24, scenarios=2, seed=2)
    u = u.astype(np.float64)
    mean = rack.power(u.rename(group="rack"), "gb200-nvl72", backend="numpy")["power_total"]
    given = swing.swing_metrics(u, "gb200-nvl72", power_mean=mean, backend="numpy")
    computed = swing.swing_metrics(u, "gb200-nvl72", backend="numpy")
    xr.testing.assert_allclose(given, computed)
    capped = swing.swing_metrics(u, "gb200-nvl72", power_cap=100e3, backend="numpy")
    per_rack = capped.power_max_unmitigated / capped.racks
    assert float(per_rack.max()) <= 100e3 * 1.05  # the cap is on rack input, before the UPS
    assert float(capped.power_max_unmitigated.max()) < float(computed.power_max_unmitigated.max())
