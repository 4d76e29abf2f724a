"""powermodel.fleet: the fused pass equals the separate rack and swing models summed."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from powermodel import fleet, rack, swing, workload
from powermodel.workload import Training, Workload

SYSTEM = "gb200-nvl72"


def _utilization(scenarios=3, periods=72, racks=40, seed=4, dtype=np.float64):
    mix = Workload(training_share=0.6)
    return workload.generate(mix, racks, periods=periods, scenarios=scenarios, seed=seed,
                             dtype=dtype)  # fmt: skip


def _separate(u, **mitigation):
    """rack.power and swing.swing_metrics, summed over groups with numpy (float64)."""
    racks = xr.DataArray(u["racks"].values.astype(np.float64), dims="rack")
    per_rack = rack.power(u.rename(group="rack").astype(np.float64), SYSTEM, backend="numpy")
    sums = {
        name: (per_rack[name] * racks).sum("rack").transpose("time", "scenario")
        for name in ("power_it", "loss_ups", "power_total")
    }
    metrics = swing.swing_metrics(u, SYSTEM, backend="numpy", **mitigation)
    for name in ("power_max", "power_min", "ramp_rate", "power_max_unmitigated",
                 "ramp_rate_unmitigated", "floor_energy"):  # fmt: skip
        sums[f"swing_{name}"] = metrics[name].sum("group").transpose("time", "scenario")
    return sums


@pytest.mark.parametrize("backend", ["numpy", "numba"])
@pytest.mark.parametrize(
    "mitigation",
    [{}, {"power_floor": 0.6}, {"storage_j_per_rack": 5e5, "storage_power_w_per_rack": 3e4}],
)
def test_entry_power_is_the_separate_models_summed_over_groups(backend, mitigation):
    u = _utilization()
    ours = fleet.entry_power(u, SYSTEM, backend=backend, **mitigation)
    # the numpy oracle differs from the separate references only in the order of the sums
    # (~1e-16); numba's pow on the CPU is good to ~1e-9 (powermodel/backends/_fastmath.py)
    rtol = 1e-12 if backend == "numpy" else 1e-8
    separate = _separate(u, **mitigation)
    for name, expected in separate.items():
        scale = float(np.abs(expected).max())
        if "ramp" in name:  # a difference of two powers: rounded at their scale
            scale = float(separate["swing_power_max"].max()) / swing.TRANSITION_S
        np.testing.assert_allclose(ours[name], expected, rtol=rtol, atol=rtol * scale, err_msg=name)
        assert ours[name].dims == ("time", "scenario")
        assert ours[name].attrs["units"] in ("W", "W s-1", "J")


def test_swing_bounds_the_step_mean_and_closes_nothing_more():
    ours = fleet.entry_power(_utilization(), SYSTEM, backend="numba")
    assert (ours["swing_power_max"] >= ours["power_total"] * (1 - 1e-12)).all()
    assert (ours["swing_power_min"] <= ours["power_total"] * (1 + 1e-12)).all()
    assert (ours["swing_power_max_unmitigated"] >= ours["swing_power_max"] * (1 - 1e-12)).all()
    assert (ours["swing_floor_energy"] == 0).all()  # no floor: no floor energy


def test_in_service_counts_steps_and_nan_poisons_only_its_row():
    u = _utilization(dtype=np.float32)
    u.values[5, 1, 2] = np.nan
    weights = np.ones(u.sizes["time"])
    weights[:10] = 0.0
    out = fleet.entry_power(u, SYSTEM, in_service=weights, backend="numba")
    total = out["power_total"].values
    assert np.isnan(total[5, 1])  # NaN x 0 is NaN: an unknown step stays unknown
    assert np.isfinite(np.delete(total.reshape(-1), 5 * total.shape[1] + 1)).all()
    assert (total[:5] == 0).all() and (total[10:] > 0).all()


def test_float32_utilization_is_read_exactly():
    u32 = _utilization(dtype=np.float32)
    a = fleet.entry_power(u32, SYSTEM, backend="numba")
    b = fleet.entry_power(u32.astype(np.float64), SYSTEM, backend="numba")
    for name in fleet.OUTPUTS:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)


def test_a_scenario_does_not_depend_on_its_neighbours():
    u = _utilization(scenarios=4)
    whole = fleet.entry_power(u, SYSTEM, backend="numba")
    part = fleet.entry_power(u.isel(scenario=[2]), SYSTEM, backend="numba")
    for name in fleet.OUTPUTS:
        np.testing.assert_array_equal(whole[name].isel(scenario=[2]), part[name], err_msg=name)


def test_training_parameters_shape_the_swing():
    u = _utilization()
    short = fleet.entry_power(u, SYSTEM, Training(compute_fraction=0.5), backend="numba")
    long = fleet.entry_power(u, SYSTEM, Training(compute_fraction=0.9), backend="numba")
    np.testing.assert_allclose(short["power_total"], long["power_total"])  # same energy
    assert float(short["swing_ramp_rate"].max()) != float(long["swing_ramp_rate"].max())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda u: u.values, "xarray.DataArray"),
        (lambda u: u.isel(scenario=0), "needs dims"),
        (lambda u: u.drop_vars("racks"), "'racks' coordinate"),
        (lambda u: u * 2.0, r"\[0, 1\]"),
        (lambda u: u.astype(np.int64), "float32 or float64"),
    ],
)
def test_bad_utilization_is_named(change, message):
    with pytest.raises((TypeError, ValueError), match=message):
        fleet.entry_power(change(_utilization()), SYSTEM, backend="numba")


def test_bad_in_service_and_mitigation_are_named():
    u = _utilization()
    with pytest.raises(ValueError, match="in_service"):
        fleet.entry_power(u, SYSTEM, in_service=np.ones(3))
    with pytest.raises(ValueError, match="power_floor"):
        fleet.entry_power(u, SYSTEM, power_floor=2.0)
    with pytest.raises(ValueError, match="power_cap"):
        fleet.entry_power(u, SYSTEM, power_cap=1.0)
