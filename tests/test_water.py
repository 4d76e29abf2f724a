"""Water values by stochastic dynamic programming: economics, convergence, backends, bad input."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from powermodel import hydro, inflow, water

WEEK = 7 * 86400.0
CAPACITY = 32.7e3 * 3.6e12  # NO2's reservoirs, 32,725 GWh (NVE magasinstatistikk)
DAM = hydro.Reservoir(capacity=CAPACITY, release_max=12e9, release_min=1e9,
                      storage_min=0.05 * CAPACITY)  # fmt: skip


@pytest.fixture(scope="module")
def no2_inflow():
    return inflow.synthetic("NO2", periods=8760, scenarios=60, seed=3)


def series(values, times):
    return xr.DataArray(values, dims=("time", "scenario"), coords={"time": times})


def test_water_is_worth_the_price_when_the_zone_can_always_trade(no2_inflow):
    """With interconnectors that take anything, a joule released now or later earns the
    same price: the water value is the price wherever neither spill nor scarcity binds."""
    demand = float(no2_inflow.mean())
    turbines = dataclasses.replace(DAM, release_max=1e12)  # the flood never has to spill
    out = water.water_values(no2_inflow, demand, 40.0, turbines, import_limit=1e12,
                             export_limit=1e12, backend="numba")  # fmt: skip
    middle = out.water_value.sel(filling=slice(0.1, 0.9))
    np.testing.assert_allclose(middle, 40.0, rtol=1e-6)
    # with the real turbines, the spring flood may spill even from half full: worth less
    out = water.water_values(no2_inflow, demand, 40.0, DAM, import_limit=1e12,
                             export_limit=1e12, backend="numba")  # fmt: skip
    assert float(out.water_value.sel(filling=slice(0.1, 0.9)).max()) <= 40.0 + 1e-6
    assert float(out.water_value.sel(filling=0.6).min()) < 40.0


def test_water_values_fall_with_filling_and_rise_to_scarcity_when_empty(no2_inflow):
    demand = float(no2_inflow.mean())
    out = water.water_values(no2_inflow, demand, 40.0, DAM, import_limit=2e9,
                             export_limit=3e9, backend="numba")  # fmt: skip
    # above dead storage V is concave in storage: its slope never rises with the filling
    # (below it, the water left to release is max(S + Q - S_min, 0), a convex kink)
    wv = out.water_value.sel(filling=slice(0.06, None)).values
    assert (np.diff(wv, axis=1) <= 1e-6 * np.abs(wv).max()).all()
    # nearly empty with scarce imports: shedding is near, worth about the scarcity price
    assert float(out.water_value.sel(filling=0.0).max()) > 0.5 * water.SCARCITY_PRICE
    # nearly full in the spring flood: water is about to spill, worth less than the price
    assert float(out.water_value.sel(filling=1.0).min()) < 40.0
    assert out.value.attrs["units"] == "currency"
    assert out.water_value.attrs["units"] == "currency MWh-1"


def test_a_higher_price_raises_the_water_value(no2_inflow):
    demand = float(no2_inflow.mean())
    kwargs = dict(import_limit=2e9, export_limit=3e9, points=21, backend="numba")
    low = water.water_values(no2_inflow, demand, 30.0, DAM, **kwargs)
    high = water.water_values(no2_inflow, demand, 60.0, DAM, **kwargs)
    assert (high.water_value >= low.water_value - 1e-9).all()
    assert float((high.water_value - low.water_value).sel(filling=0.5).mean()) > 10.0


def test_the_table_converges_as_the_grid_refines(no2_inflow):
    demand = float(no2_inflow.mean())
    kwargs = dict(import_limit=2e9, export_limit=3e9, backend="numba")
    tables = {n: water.water_values(no2_inflow, demand, 40.0, DAM, points=n, **kwargs)
              for n in (11, 21, 41, 81)}  # fmt: skip
    fine = tables[81].value.sel(filling=tables[11].filling)
    errors = [float(abs(tables[n].value.sel(filling=tables[11].filling) - fine).max())
              for n in (11, 21, 41)]  # fmt: skip
    assert errors[0] > errors[1] > errors[2]


def test_more_cycles_converge_to_a_periodic_table(no2_inflow):
    demand = float(no2_inflow.mean())
    kwargs = dict(import_limit=2e9, export_limit=3e9, points=21, backend="numba")
    slopes = [water.water_values(no2_inflow, demand, 40.0, DAM, cycles=c, **kwargs).water_value
              for c in (1, 2, 3, 4)]  # fmt: skip
    changes = [float(abs(b - a).max()) for a, b in itertools.pairwise(slopes)]
    assert changes[-1] <= changes[0]
    assert changes[-1] < 0.05 * float(abs(slopes[-1]).max())


def test_backends_agree(no2_inflow):
    q = no2_inflow.isel(scenario=slice(0, 8))
    kwargs = dict(import_limit=2e9, export_limit=3e9, points=15)
    ref = water.water_values(q, float(q.mean()), 40.0, DAM, backend="numpy", **kwargs)
    out = water.water_values(q, float(q.mean()), 40.0, DAM, backend="numba", **kwargs)
    np.testing.assert_allclose(out.value, ref.value, rtol=1e-12,
                               atol=1e-12 * float(abs(ref.value).max()))  # fmt: skip
    np.testing.assert_allclose(out.water_value, ref.water_value, rtol=1e-9, atol=1e-9)


def test_weekly_preserves_energy_and_drops_the_partial_week():
    times = pd.date_range("2025-01-01", periods=8760, freq="h")
    rng = np.random.default_rng(0)
    rate = series(rng.uniform(0, 1e9, (8760, 3)), times)
    weeks = water.weekly(rate, "energy")
    assert weeks.sizes["week"] == 52
    np.testing.assert_allclose(weeks.sum("week"), rate[: 52 * 168].sum("time") * 3600.0)
    quarter = series(np.repeat(rate.values, 4, axis=0) , pd.date_range(
        "2025-01-01", periods=8760 * 4, freq="15min"))  # fmt: skip
    np.testing.assert_allclose(water.weekly(quarter, "energy"), weeks, rtol=1e-12)


def test_bad_input_is_named(no2_inflow):
    kwargs = dict(import_limit=2e9, export_limit=3e9)
    with pytest.raises(ValueError, match="reservoir"):
        water.water_values(no2_inflow, 1e9, 40.0, hydro.Reservoir(capacity=1e6, units="m3"),
                           **kwargs)  # fmt: skip
    with pytest.raises(ValueError, match="points"):
        water.water_values(no2_inflow, 1e9, 40.0, DAM, points=1, **kwargs)
    with pytest.raises(TypeError, match="cycles"):
        water.water_values(no2_inflow, 1e9, 40.0, DAM, cycles=1.5, **kwargs)
    with pytest.raises(ValueError, match="export_limit"):
        water.water_values(no2_inflow, 1e9, 40.0, DAM, import_limit=1.0, export_limit=-1.0)
    with pytest.raises(ValueError, match="less than one week"):
        water.water_values(no2_inflow[:100], 1e9, 40.0, DAM, **kwargs)
    with pytest.raises(ValueError, match="inflow"):
        water.water_values(-no2_inflow, 1e9, 40.0, DAM, **kwargs)


def test_nan_inflow_gives_nan_values(no2_inflow):
    q = no2_inflow.isel(scenario=slice(0, 3)).copy()
    q[500, 1] = np.nan  # in week 2
    out = water.water_values(q, 1e9, 40.0, DAM, import_limit=2e9, export_limit=3e9,
                             points=5, cycles=1, backend="numba")  # fmt: skip
    assert bool(out.value.isel(week=slice(0, 3)).isnull().all())
    assert bool(out.value.isel(week=slice(3, None)).notnull().all())
