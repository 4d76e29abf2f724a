"""The bidding zone (powermodel.zone): demand, run of river, price proxy, carbon, NaN, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from strategies import series

from powermodel import climate, inflow, zone
from powermodel.backends import cuda_simulator_enabled, to_host

NO2 = zone.load("NO2")


def no2_year(scenarios=4, years=1, seed=3, scale=1.0):
    weather = climate.synthetic(periods=8760 * years, scenarios=scenarios, seed=seed)
    q = inflow.synthetic(periods=8760 * years, scenarios=scenarios, seed=seed) * scale
    return weather["temp_air"], q


def balance(out):
    supplied = out.generation + out.run_of_river + out.must_run + out.imports + out.shortfall
    return supplied - (out.zone_demand + out.exports + out.surplus)


@pytest.fixture(scope="module")
def no2_run():
    temp, q = no2_year(scenarios=6, years=2)
    return zone.supply(NO2, temp, q, backend="numba")


def test_balance_closes_and_backends_agree(cpu_backend):
    temp, q = no2_year(scenarios=3)
    temp, q = temp.isel(time=slice(0, 24 * 40)), q.isel(time=slice(0, 24 * 40))
    ours = zone.supply(NO2, temp, q, site_load=50e6, backend=cpu_backend)
    scale = float(ours.zone_demand.max())
    assert float(abs(balance(ours)).max()) < 1e-9 * scale
    ref = zone.supply(NO2, temp, q, site_load=50e6, backend="numpy")
    for name in ref.data_vars:
        np.testing.assert_allclose(ours[name], ref[name], rtol=1e-9, atol=1e-6, err_msg=name)
    for name in ("zone_demand", "price", "carbon_intensity_location"):
        assert ours[name].attrs["units"] and ours[name].attrs["long_name"]


zone_cases = st.integers(1, 24).flatmap(
    lambda n: st.tuples(
        hnp.arrays(np.float64, (n, 2), elements=st.floats(-30, 35)),
        hnp.arrays(np.float64, (n, 2), elements=st.floats(0, 3e10)),
        hnp.arrays(np.float64, (n, 2), elements=st.floats(0, 1e9)),
        st.floats(0, 1),
    )
)


@given(zone_cases)
def test_zone_balance_closes_and_backends_agree_on_any_input(case):
    temp, flow, site, filling = (series(a) if np.ndim(a) else a for a in case)
    ref = zone.supply(NO2, temp, flow, site_load=site, initial_filling=filling, backend="numpy")
    ours = zone.supply(NO2, temp, flow, site_load=site, initial_filling=filling, backend="numba")
    scale = float(ref.zone_demand.max())
    assert float(abs(balance(ref)).max()) <= 1e-9 * scale
    assert bool((ref.filling >= 0).all() & (ref.filling <= 1).all())
    assert bool((ref.imports <= NO2.import_limit + 1e-3).all())
    for name in ref.data_vars:
        np.testing.assert_allclose(ours[name], ref[name], rtol=1e-9, atol=1e-3, err_msg=name)


def test_demand_peaks_in_winter_and_rises_as_it_gets_colder():
    hours = 24 * 7
    warm = zone.supply(NO2, series(np.full(hours, 20.0)), series(np.full(hours, 5e9)))
    mild = zone.supply(NO2, series(np.full(hours, 5.0)), series(np.full(hours, 5e9)))
    cold = zone.supply(NO2, series(np.full(hours, -15.0)), series(np.full(hours, 5e9)))
    means = [float(o.zone_demand.mean()) for o in (warm, mild, cold)]
    assert means[0] < means[1] < means[2]
    # above the balance temperature only the base load (its daily mean) remains
    assert means[0] == pytest.approx(NO2.demand_base, rel=1e-9)
    # 30 heating degrees: D_0 + 30 G
    assert means[2] == pytest.approx(NO2.demand_base + 30 * NO2.heating_gradient, rel=1e-9)
    # the daily shape: local midday above local midnight
    day = warm.zone_demand.isel(scenario=0)
    noon = day.sel(time="2025-01-02 11:00")  # 12:00 in Oslo (UTC+1)
    night = day.sel(time="2025-01-02 23:00")
    assert float(noon) > float(night)


def test_run_of_river_is_capped_and_the_rest_spills():
    share, cap = NO2.run_of_river_share, NO2.run_of_river_capacity
    flows = np.array([0.0, 0.5 * cap / share, cap / share, 3 * cap / share])
    out = zone.supply(NO2, series(np.full(4, 5.0)), series(flows), backend="numpy")
    ror = out.run_of_river.values[:, 0]
    np.testing.assert_allclose(ror, [0.0, 0.5 * cap, cap, cap])
    np.testing.assert_allclose(out.spill_run_of_river.values[:, 0], [0, 0, 0, 2 * cap])
    np.testing.assert_allclose(out.reservoir_inflow.values[:, 0], (1 - share) * flows)


def test_price_follows_the_water_value_and_sheds_at_the_cap():
    zero = NO2.replace(must_run=0.0, run_of_river_share=0.0, planned_export=0.0)
    hours = 24
    temp = series(np.full(hours, 5.0))
    q = series(np.full(hours, 1e9))
    guide = float(inflow.guide_curve(temp.time.values[:1])[0])
    low = zone.supply(zero, temp, q, initial_filling=max(guide - 0.2, 0.06))
    high = zone.supply(zero, temp, q, initial_filling=min(guide + 0.2, 1.0))
    assert float(low.price.mean()) > NO2.price_reference > float(high.price.mean())
    expected = NO2.price_reference * np.exp(
        -NO2.price_sensitivity * (low.filling.values[0, 0] - guide)
    )
    assert float(low.price[0, 0]) == pytest.approx(expected, rel=1e-6)
    # a zone without water or imports sheds load: price at the cap, rationing > 0
    dry = zero.replace(import_limit=0.0)
    short = zone.supply(dry, temp, series(np.zeros(hours)), initial_filling=0.0)
    assert float(short.rationing.min()) > 0.5
    np.testing.assert_allclose(short.price, NO2.price_cap)


def test_carbon_intensity_pools_domestic_and_imports():
    zero = NO2.replace(must_run=0.0, run_of_river_share=0.0, planned_export=0.0)
    hours = 24
    temp = series(np.full(hours, 5.0))
    # no water at all: everything is imported (import limit well above demand)
    imported = zone.supply(zero, temp, series(np.zeros(hours)), initial_filling=0.0)
    assert float(imported.imports.min()) > 0
    np.testing.assert_allclose(imported.carbon_intensity_location, NO2.carbon_import)
    # plenty of water: all domestic
    domestic = zone.supply(zero, temp, series(np.full(hours, 1e10)), initial_filling=0.9)
    assert float(domestic.imports.max()) == 0.0
    np.testing.assert_allclose(domestic.carbon_intensity_location, NO2.carbon_domestic)
    location = zone.carbon_intensity(imported, "location")
    market = zone.carbon_intensity(imported, "market")
    assert "location" in location.attrs["long_name"]
    np.testing.assert_allclose(market, NO2.carbon_market)
    with pytest.raises(ValueError, match="basis"):
        zone.carbon_intensity(imported, "average")


def test_no2_year_is_plausible(no2_run):
    """Against published figures: NVE median filling, NO2 consumption, price level."""
    second = no2_run.isel(time=slice(8760, None))
    data = inflow.zone("NO2")
    weekly = second.filling.groupby(second.time.dt.isocalendar().week).mean().median("scenario")
    for week, nve in zip(data["guide_weeks"], data["guide_filling"], strict=True):
        # week 17 (32 %) is an assumed minimum, not a published median: looser
        assert abs(float(weekly.sel(week=week)) * 100 - nve) < (15.0 if week == 17 else 8.0), week
    twh = float(second.zone_demand.mean()) * 8766 / 1e12
    assert 30 < twh < 42  # about 27 % of Norway's ~135 TWh
    # a net exporter (NO2 holds most of Norway's foreign cables); little spill
    assert float(second.exports.mean()) > float(second.imports.mean())
    assert float(second.spill.mean()) < 0.05 * float(second.reservoir_inflow.mean())
    assert 0.7 * 900 < float(second.price.mean()) < 1.3 * 900
    assert float(abs(balance(second)).max()) < 1e-3


def test_a_dry_year_raises_prices_and_lowers_filling():
    temp, q = no2_year(scenarios=3, years=1, seed=5)
    normal = zone.supply(NO2, temp, q)
    dry = zone.supply(NO2, temp, q * 0.6)
    assert float(dry.filling.mean()) < float(normal.filling.mean())
    assert float(dry.price.mean()) > float(normal.price.mean())
    assert float(dry.exports.mean()) < float(normal.exports.mean())


def test_nan_stays_in_its_scenario():
    temp, q = no2_year(scenarios=3)
    temp = temp.isel(time=slice(0, 48)).copy()
    q = q.isel(time=slice(0, 48))
    temp[dict(time=10, scenario=1)] = np.nan
    for backend in ("numpy", "numba"):
        out = zone.supply(NO2, temp, q, backend=backend)
        assert bool(out.zone_demand.isel(scenario=1, time=10).isnull())
        assert not bool(out.storage.isel(scenario=[0, 2]).isnull().any())
        assert bool(out.storage.isel(scenario=1, time=slice(10, None)).isnull().all())
        assert not bool(out.storage.isel(scenario=1, time=slice(0, 10)).isnull().any())


def test_bad_zone_input_is_named():
    temp, q = series(np.full(4, 5.0)), series(np.full(4, 1e9))
    with pytest.raises(ValueError, match="inflow"):
        zone.supply(NO2, temp, -q)
    with pytest.raises(ValueError, match="site_load"):
        zone.supply(NO2, temp, q, site_load=-1.0)
    with pytest.raises(ValueError, match="temperature"):
        zone.supply(NO2, series(np.full(5, 5.0)), q)
    with pytest.raises(ValueError, match="daily_amplitude"):
        NO2.replace(daily_amplitude=2.0)
    with pytest.raises(ValueError, match="planned_export"):
        NO2.replace(planned_export=NO2.export_limit * 2)
    with pytest.raises(KeyError, match="zone"):
        zone.load("NO9")


@pytest.mark.gpu
def test_cuda_matches_numpy():
    temp, q = no2_year(scenarios=2)
    temp, q = temp.isel(time=slice(0, 24)), q.isel(time=slice(0, 24))
    if not cuda_simulator_enabled():
        import cupy

        q = q.copy(data=cupy.asarray(q.values))
        temp = temp.copy(data=cupy.asarray(temp.values))
    ref = zone.supply(NO2, temp, q, backend="numpy")
    ours = zone.supply(NO2, temp, q, backend="cupy")
    for name in ref.data_vars:
        values = to_host(ours[name].data)
        np.testing.assert_allclose(values, ref[name], rtol=1e-9, atol=1e-3, err_msg=name)
