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


# ------------------------------------------------------------- the market dispatch


def _flat_table(worth, weeks=53, points=11):
    """A water-value table of one value everywhere, as water.water_values returns it."""
    times = pd.date_range("2025-01-01", periods=weeks, freq="7D")
    return xr.Dataset(
        {"water_value": (("week", "filling"), np.full((weeks, points), worth))},
        coords={"week": np.arange(weeks), "week_start": ("week", times),
                "filling": np.linspace(0, 1, points)},
        attrs={"scarcity_price": 4000.0},
    )  # fmt: skip


def _market(price, demand, inflow_w, *, filling=0.5, worth=50.0, imports=2e9, exports=3e9,
            backend="numba"):  # fmt: skip
    times = pd.date_range("2025-01-01", periods=24, freq="h")
    full = lambda v: series(np.full((24, 2), v), times)  # noqa: E731
    return hydro.market_dispatch(
        full(inflow_w), full(demand), full(price), DAM, _flat_table(worth),
        import_limit=imports, export_limit=exports, initial_filling=filling, backend=backend,
    )  # fmt: skip


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_market_sells_above_the_water_value_and_buys_below(backend):
    high = _market(60.0, 5e9, 1e9, backend=backend)
    np.testing.assert_allclose(high.generation, 8e9)  # demand plus the whole export limit
    np.testing.assert_allclose(high.exports, 3e9)
    np.testing.assert_allclose(high.price, 50.0)  # export congested: hydro sets the price
    low = _market(40.0, 5e9, 1e9, backend=backend)
    np.testing.assert_allclose(low.imports, 2e9)
    np.testing.assert_allclose(low.generation, 3e9)  # only what the imports cannot cover
    np.testing.assert_allclose(low.price, 50.0)  # import congested: hydro sets the price
    # interconnector with room: the neighbours' price
    roomy = _market(60.0, 5e9, 1e9, exports=1e12, backend=backend)
    np.testing.assert_allclose(roomy.generation, DAM.release_max)  # turbines full
    np.testing.assert_allclose(roomy.price, 60.0)
    np.testing.assert_allclose(roomy.water_value, 50.0)


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_market_sheds_only_without_water_and_then_at_the_scarcity_price(backend):
    # below dead storage nothing can be released: the imports' shortfall is shed
    empty = _market(40.0, 5e9, 0.0, filling=0.0, backend=backend)
    np.testing.assert_allclose(empty.shortfall, 3e9)
    np.testing.assert_allclose(empty.price, 4000.0)
    # with water, a price far below the water value still sheds nothing
    held = _market(1.0, 5e9, 0.0, filling=0.5, worth=3000.0, backend=backend)
    assert float(held.shortfall.max()) == 0.0


def test_market_balances_and_backends_agree(no2_inflow):
    rng = np.random.default_rng(5)
    q = no2_inflow.isel(scenario=slice(0, 6), time=slice(0, 2000))
    times = q.time.to_index()
    price = series(rng.uniform(5, 150, q.shape), times)
    demand = series(rng.uniform(2e9, 9e9, q.shape), times)
    table = water.water_values(no2_inflow, float(no2_inflow.mean()), 40.0, DAM,
                               import_limit=2e9, export_limit=3e9, points=21)  # fmt: skip
    kwargs = dict(import_limit=2e9, export_limit=3e9, initial_filling=0.3)
    out = hydro.market_dispatch(q, demand, price, DAM, table, backend="numba", **kwargs)
    ref = hydro.market_dispatch(q, demand, price, DAM, table, backend="numpy", **kwargs)
    for name in ref.data_vars:
        np.testing.assert_allclose(out[name], ref[name], rtol=1e-12, atol=1e-3, err_msg=name)
    np.testing.assert_allclose(out.generation + out.imports + out.shortfall,
                               demand + out.exports + out.surplus, rtol=1e-12)  # fmt: skip
    storage = np.vstack([[0.3 * DAM.capacity] * 6, out.storage[:-1]])
    np.testing.assert_allclose(out.storage - storage, 3600 * (q - out.release - out.spill),
                               atol=1e-6 * DAM.capacity)  # fmt: skip
    assert float(out.surplus.max()) <= 1e-3  # the minimum release is always taken here


def test_the_water_value_rule_beats_the_guide_rule_out_of_sample():
    """Water values from 60 scenarios, dispatch on 60 others: more trade value, with the
    change of stored water valued at the mean price, and no load shed."""
    q = inflow.synthetic("NO2", periods=8760, scenarios=120, seed=3)
    times = q.time.to_index()
    day, hour = times.day_of_year.to_numpy(), times.hour.to_numpy()
    shape = 45 + 20 * np.cos(2 * np.pi * (day - 15) / 365.25) + 8 * np.cos(
        2 * np.pi * (hour - 18) / 24)  # fmt: skip
    noise = np.random.default_rng(0).lognormal(0, 0.25, (1, 120))
    price = series(shape[:, None] * noise, times)
    seasonal = float(q.mean()) * (1 + 0.25 * np.cos(2 * np.pi * (day - 15) / 365.25))
    demand = series(np.broadcast_to(seasonal[:, None], q.shape), times)
    limits = dict(import_limit=2e9, export_limit=3e9)
    train, test = slice(0, 60), slice(60, 120)
    table = water.water_values(q.isel(scenario=train), demand.isel(scenario=train),
                               price.isel(scenario=train), DAM, **limits)  # fmt: skip
    q, demand, price = (a.isel(scenario=test) for a in (q, demand, price))
    market = hydro.market_dispatch(q, demand, price, DAM, table, initial_filling=0.6, **limits)
    guide = hydro.reservoir_dispatch(q, demand, DAM, inflow.guide_curve(times),
                                     initial_filling=0.6, **limits)  # fmt: skip

    def worth(out):  # [EUR]: trade, shed load at the scarcity price, water kept at the mean price
        mwh = 3600 / 3.6e9
        trade = (price * (out.exports - out.imports)).sum("time") * mwh
        kept = (out.storage.isel(time=-1) - 0.6 * DAM.capacity) / 3.6e9 * float(price.mean())
        return trade - water.SCARCITY_PRICE * out.shortfall.sum("time") * mwh + kept

    assert float(market.shortfall.max()) == 0.0
    gain = worth(market) - worth(guide)
    print("mean gain of the water-value rule [MEUR]:", float(gain.mean()) / 1e6)
    assert float(gain.mean()) > 0.0
    assert float((gain > 0).mean()) >= 0.8
