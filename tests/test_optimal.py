"""The perfect-foresight LP (linopy + HiGHS): a known optimum, balances, a bound on the rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from powermodel import hydro, inflow, optimal, water

pytest.importorskip("linopy")
pytest.importorskip("highspy")

CAPACITY = 3.6e12 * 2000  # 2 TWh
DAM = hydro.Reservoir(capacity=CAPACITY, release_max=5e9, storage_min=0.05 * CAPACITY)
LIMITS = dict(import_limit=1e9, export_limit=2e9)


def series(values, times):
    values = np.asarray(values, np.float64)
    if values.ndim == 1:
        values = values[:, None]
    return xr.DataArray(values, dims=("time", "scenario"), coords={"time": times})


def test_the_optimum_keeps_water_for_the_expensive_hour():
    times = pd.date_range("2025-01-01", periods=2, freq="h")
    # 1 GWh above dead storage: one hour at 10, one at 100; demand 1 GW; exports 2 GW
    start = (0.05 * CAPACITY + 3.6e12) / CAPACITY
    out = optimal.optimal_dispatch(
        series([0.0, 0.0], times), series([1e9, 1e9], times), series([10.0, 100.0], times),
        DAM, scarcity_price=4000.0, end_value=0.0, initial_filling=start, **LIMITS,
    )  # fmt: skip
    # hour 1: import the demand at 10; hour 2: release the 1 GWh, serve and export nothing
    np.testing.assert_allclose(out.imports.values[:, 0], [1e9, 0.0], atol=1.0)
    np.testing.assert_allclose(out.release.values[:, 0], [0.0, 1e9], atol=1.0)
    np.testing.assert_allclose(out.objective, 10.0 * 1000.0, rtol=1e-9)  # 1,000 MWh at 10


def test_the_optimum_balances_and_bounds_the_rules():
    q = inflow.synthetic("NO2", periods=24 * 7 * 6, scenarios=3, seed=2) * 0.1
    times = q.time.to_index()
    rng = np.random.default_rng(4)
    price = series(rng.uniform(10, 90, q.shape), times)
    demand = series(rng.uniform(0.5e9, 2.5e9, q.shape), times)
    kwargs = dict(scarcity_price=4000.0, end_value=50.0, initial_filling=0.5, **LIMITS)
    lp = optimal.optimal_dispatch(q, demand, price, DAM, **kwargs)
    lhs = lp.generation + lp.imports + lp.shortfall
    np.testing.assert_allclose(lhs, demand + lp.exports + lp.surplus, atol=1e-3 * 5e9)
    start = np.vstack([[0.5 * CAPACITY] * 3, lp.storage[:-1]])
    np.testing.assert_allclose(lp.storage - start, 3600 * (q - lp.release - lp.spill),
                               atol=1e-6 * CAPACITY)  # fmt: skip
    assert float(lp.storage.min()) >= DAM.storage_min * (1 - 1e-9)
    assert float(lp.shortfall.max()) < 1.0  # the water and the imports suffice
    counted = dict(scarcity_price=4000.0, end_value=50.0, initial_storage=0.5 * CAPACITY)
    best = optimal.net_trade_cost(lp, price, **counted)
    np.testing.assert_allclose(best, lp.objective, rtol=1e-9)
    # no rule without foresight does better than the optimum
    table = water.water_values(q, demand, price, DAM, points=21, **LIMITS)
    rules = {
        "market": hydro.market_dispatch(
            q, demand, price, DAM, table, initial_filling=0.5, **LIMITS
        ),
        "guide": hydro.reservoir_dispatch(
            q, demand, DAM, inflow.guide_curve(times), initial_filling=0.5, **LIMITS
        ),
    }
    for name, out in rules.items():
        cost = optimal.net_trade_cost(out, price, **counted)
        assert bool((cost >= best - 1e-6 * abs(best)).all()), name


def test_bad_input_is_named():
    times = pd.date_range("2025-01-01", periods=3, freq="h")
    q = series([1e9, 1e9, 1e9], times)
    kwargs = dict(scarcity_price=4000.0, end_value=0.0, **LIMITS)
    with pytest.raises(ValueError, match="end_value"):
        optimal.optimal_dispatch(q, 1e9, 40.0, DAM, **{**kwargs, "end_value": -1.0})
    with pytest.raises(ValueError, match="finite"):
        optimal.optimal_dispatch(q, 1e9, series([1.0, np.nan, 1.0], times), DAM, **kwargs)
    with pytest.raises(ValueError, match="reservoir"):
        optimal.optimal_dispatch(q, 1e9, 40.0, hydro.Reservoir(capacity=1e6, units="m3"),
                                 **kwargs)  # fmt: skip
