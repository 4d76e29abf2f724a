"""The site's grid connection (powermodel.grid): capacity, supply, summary, cost, emissions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
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
