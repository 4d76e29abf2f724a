"""The site's grid connection (powermodel.grid): capacity, supply, summary, cost, emissions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from strategies import series

from powermodel import grid


def test_connection_capacity_steps_on_phase_dates():
    time = pd.date_range("2025-09-30 23:00", periods=3, freq="1h")
    phases = [("2025-10-01", 12e6), ("2027-01-01", 52e6)]
    cap = grid.connection_capacity(phases, time)
    np.testing.assert_array_equal(cap.values, [0.0, 12e6, 12e6])
    assert cap.attrs["units"] == "W"
    late = grid.connection_capacity(phases, pd.date_range("2026-12-31 23:00", periods=2, freq="h"))
    np.testing.assert_array_equal(late.values, [12e6, 52e6])
    with pytest.raises(ValueError, match="phases"):
        grid.connection_capacity([("2027-01-01", 52e6), ("2025-10-01", 12e6)], time)
    with pytest.raises(ValueError, match="phases"):
        grid.connection_capacity([("2025-10-01", -1.0)], time)


site_cases = st.integers(1, 30).flatmap(
    lambda n: st.tuples(
        hnp.arrays(np.float64, n, elements=st.floats(0, 2e7)),
        hnp.arrays(np.float64, n, elements=st.floats(0, 2e7)),
        hnp.arrays(np.float64, n, elements=st.floats(0, 1)),
    )
)


@given(site_cases)
def test_site_supply_balances_and_backends_agree(case):
    demand, capacity, rationing = (series(a) for a in case)
    ref = grid.site_supply(demand, capacity, rationing, backend="numpy")
    ours = grid.site_supply(demand, capacity, rationing, backend="numba")
    for name in ("served", "over_contract", "curtailed", "unserved"):
        np.testing.assert_allclose(ours[name], ref[name], rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(ref.served + ref.unserved, demand, rtol=1e-12, atol=1e-6)
    assert bool((ref.served <= capacity * (1 - rationing) + 1e-6).all())
    assert bool((ref.served >= 0).all() & (ref.curtailed >= -1e-6).all())


def test_site_supply_hand_values_and_summary():
    demand = series([10e6, 14e6, 14e6, np.nan])
    capacity = 12e6
    rationing = series([0.0, 0.0, 0.25, 0.0])
    out = grid.site_supply(demand, capacity, rationing, backend="numpy")
    np.testing.assert_allclose(out.served.values[:3, 0], [10e6, 12e6, 9e6])
    np.testing.assert_allclose(out.over_contract.values[:3, 0], [0, 2e6, 2e6])
    np.testing.assert_allclose(out.curtailed.values[:3, 0], [0, 0, 3e6])
    assert bool(out.served[3].isnull())
    # a NaN step makes every total and count NaN: it may have been unserved
    summary = grid.summarize(out).isel(scenario=0)
    assert all(np.isnan(float(summary[name])) for name in summary.data_vars)
    known = out.isel(time=slice(0, 3))
    summary = grid.summarize(known).isel(scenario=0)
    assert float(summary.unserved_hours) == 2.0
    assert float(summary.curtailed_hours) == 1.0
    assert float(summary.energy_served) == pytest.approx(31e6 * 3600)
    price = series([100.0, 100.0, 200.0, 100.0]).assign_attrs(units="NOK MWh-1")
    assert np.isnan(float(grid.cost(out.served, price, tariff=50.0).isel(scenario=0)))
    cost = grid.cost(known.served, price[:3], tariff=50.0).isel(scenario=0)
    assert float(cost) == pytest.approx(10 * 150 + 12 * 150 + 9 * 250)
    assert cost.attrs["units"] == "NOK"
    carbon = series(np.full(4, 10.0))
    assert np.isnan(float(grid.emissions(out.served, carbon).isel(scenario=0)))
    kg = grid.emissions(known.served, carbon[:3]).isel(scenario=0)
    assert float(kg) == pytest.approx(31e3 * 10 / 1000)  # 31 MWh at 10 g/kWh
    with pytest.raises(ValueError, match="demand"):
        grid.site_supply(-demand, capacity)
    with pytest.raises(ValueError, match="rationing"):
        grid.site_supply(demand.fillna(0), capacity, 2.0)


# ------------------------------------------------------- conditional connections


def test_connection_parts_and_available_capacity():
    time = pd.date_range("2026-12-31 23:00", periods=3, freq="1h")
    parts = grid.connection_parts([("2025-10-01", 12e6, 8e6), ("2027-01-01", 52e6, 0.0)], time)
    np.testing.assert_array_equal(parts.grid_capacity_firm, [12e6, 52e6, 52e6])
    np.testing.assert_array_equal(parts.grid_capacity_non_firm, [8e6, 0.0, 0.0])
    assert parts.grid_capacity_non_firm.attrs["units"] == "W"
    share = xr.DataArray([0.5, 1.0, np.nan], dims="time", coords={"time": time})
    available = grid.available_capacity(parts.grid_capacity_firm, parts.grid_capacity_non_firm,
                                        share)  # fmt: skip
    np.testing.assert_array_equal(available.values[:2], [16e6, 52e6])
    assert np.isnan(available.values[2])
    assert available.name == "grid_available" and available.attrs["units"] == "W"
    assert float(grid.available_capacity(10e6, 4e6, 0.25)) == 13e6
    with pytest.raises(ValueError, match=r"^curtailment: 2 values outside"):
        grid.available_capacity(10e6, 4e6, share + 1.0)
    with pytest.raises(ValueError, match=r"^non_firm: 1 values negative"):
        grid.available_capacity(10e6, -4e6, 0.0)
    with pytest.raises(ValueError, match=r"^phases:"):
        grid.connection_parts([("2025-10-01", 12e6)], time)


def test_reservoir_stress_is_the_gap_below_the_guide_curve():
    filling = series([0.5, 0.7])
    guide = series([0.6, 0.6])[:, 0]
    stress = grid.reservoir_stress(filling, guide)
    np.testing.assert_allclose(stress.values[:, 0], [0.1, -0.1])
    assert stress.name == "grid_stress"


def _stress(values, scenarios=None):
    values = np.asarray(values, np.float64)
    times = pd.date_range("2026-01-01", periods=values.shape[0], freq="1h")
    if values.ndim == 1:
        return xr.DataArray(values, dims="time", coords={"time": times})
    ids = np.arange(values.shape[1]) if scenarios is None else scenarios
    return xr.DataArray(values, dims=("time", "scenario"), coords={"time": times, "scenario": ids})


def test_curtailment_signal_is_seeded_per_scenario():
    stress = _stress(np.full(500, 0.1))
    five = grid.curtailment_signal(stress, seed=3, scenarios=5, depth=0.6)
    one = grid.curtailment_signal(stress, seed=3, scenarios=[3], depth=0.6)
    np.testing.assert_array_equal(one.values[:, 0], five.values[:, 3])
    assert set(np.unique(five.values)) <= {0.0, 0.6}
    assert five.dims == ("time", "scenario") and five.attrs["units"] == "1"
    other = grid.curtailment_signal(stress, seed=4, scenarios=5, depth=0.6)
    assert not np.array_equal(other.values, five.values)
    # a stress with a scenario dim draws each column's own stream
    wide = grid.curtailment_signal(_stress(np.full((500, 2), 0.1), [3, 7]), seed=3, depth=0.6)
    np.testing.assert_array_equal(wide.values[:, 0], five.values[:, 3])


def test_curtailment_events_last_their_mean_duration_and_follow_stress():
    hours = 4000
    calm = grid.curtailment_signal(_stress(np.full(hours, -0.3)), scenarios=50, seed=1)
    tense = grid.curtailment_signal(_stress(np.full(hours, 0.3)), scenarios=50, seed=1)
    assert float(tense.mean()) > 5 * float(calm.mean())
    # at high stress: one start a day at most, 4 h events -> ~1/7 of the time curtailed
    on = tense.values > 0
    assert 0.10 < on.mean() < 0.18
    starts = (on[1:] & ~on[:-1]).sum()
    assert on.sum() / starts == pytest.approx(4.0, rel=0.1)  # mean event length [h]
    none = grid.curtailment_signal(_stress(np.full(50, 1.0)), starts_per_day=0.0)
    assert float(none.sum()) == 0.0
    gap = grid.curtailment_signal(_stress([0.1, np.nan, 0.1]))
    assert np.isnan(gap.values[1, 0]) and not np.isnan(gap.values[0, 0])


def test_curtailment_signal_errors_name_the_argument():
    stress = _stress(np.zeros(4))
    with pytest.raises(ValueError, match=r"^duration:"):
        grid.curtailment_signal(stress, duration=0.0)
    with pytest.raises(ValueError, match=r"^depth:"):
        grid.curtailment_signal(stress, depth=1.5)
    with pytest.raises(ValueError, match=r"^scenarios:"):
        grid.curtailment_signal(_stress(np.zeros((4, 2))), scenarios=2)


def test_conditional_summary_hand_values():
    from powermodel.battery import Battery

    demand = series(np.full(4, 10e6))
    share = series([0.0, 1.0, 0.5, 0.0])
    store = Battery.rated(2e6, 1.0, round_trip_efficiency=1.0, standing_loss=0.0)
    out = grid.conditional_summary(demand, 8e6, 4e6, share, store, backend="numpy")
    summary = out.isel(scenario=0)
    # available 12, 8, 10, 12 MW: 2 MWh above it in one hour, all within the 12 MW contract
    assert float(summary.non_firm_curtailment_hours) == 2.0
    assert float(summary.over_available_hours) == 1.0
    assert float(summary.energy_over_available) == pytest.approx(2 * 3.6e9)
    assert float(summary.energy_non_firm_curtailed) == pytest.approx(2 * 3.6e9)
    assert float(summary.energy_over_available_battery) == pytest.approx(0.0, abs=1e-3)
    assert float(summary.energy_closed_by_battery) == pytest.approx(2 * 3.6e9)
    assert summary.energy_closed_by_battery.attrs["units"] == "J"
    # demand above the whole contract counts as over the available capacity, not as curtailed
    over = grid.conditional_summary(series(np.full(4, 13e6)), 8e6, 4e6, share).isel(scenario=0)
    assert float(over.energy_over_available) == pytest.approx((1 + 5 + 3 + 1) * 3.6e9)
    assert float(over.energy_non_firm_curtailed) == pytest.approx((4 + 2) * 3.6e9)
    assert "energy_closed_by_battery" not in over


@given(
    st.integers(1, 40).flatmap(
        lambda n: st.tuples(
            hnp.arrays(np.float64, n, elements=st.floats(0, 2e7)),
            hnp.arrays(np.float64, n, elements=st.floats(0, 1)),
        )
    ),
    st.floats(0, 1e7),
    st.floats(0.5, 4.0),
)
def test_a_battery_never_widens_the_gap_of_a_conditional_connection(case, power, hours):
    from powermodel.battery import Battery

    demand, share = (series(a) for a in case)
    out = grid.conditional_summary(demand, 6e6, 6e6, share, Battery.rated(power, hours),
                                   backend="numba").isel(scenario=0)  # fmt: skip
    assert float(out.energy_over_available_battery) <= float(out.energy_over_available) + 1e-3
    assert float(out.over_available_hours) <= 40
    assert float(out.energy_non_firm_curtailed) <= float(out.energy_over_available) + 1e-3
