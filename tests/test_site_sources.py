"""The site file names its price source and its neighbours' carbon: keys, errors, effect."""

import re
import shutil
from importlib import resources

import numpy as np
import pytest

from powermodel import carbon, prices, simulate, site
from powermodel.site import SiteError
from powermodel.timegrid import time_grid

DATA = resources.files("powermodel.data")
ENTSOE = DATA / "prices_entsoe_sample.csv"  # hourly EUR, 25-27 Oct 2025 (CEST -> CET)
NORDPOOL = DATA / "prices_nordpool_sample.csv"  # 15-minute NOK, 29-30 Mar 2025
EMAPS = DATA / "carbon_electricitymaps_sample.csv"  # DE hourly, 24-28 Oct 2025 UTC

ZONE = 'name = "NO2"\n'
CARBON = 'basis = "location"\n'


def _site(tmp_path, zone_keys="", carbon_tables="", copy=True):
    """dra01 with extra [zone] keys and [[carbon.neighbour]] tables, in ``tmp_path``."""
    if copy:
        shutil.copy(ENTSOE, tmp_path / "entsoe.csv")
        shutil.copy(NORDPOOL, tmp_path / "nordpool.csv")
        shutil.copy(EMAPS, tmp_path / "de.csv")
    text = site.text("dra01")
    assert ZONE in text and CARBON in text
    text = text.replace(ZONE, ZONE + zone_keys, 1)
    text = text + "\n" + carbon_tables
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_price_file_and_neighbour_file_resolve_from_the_site_file(tmp_path):
    path = _site(
        tmp_path,
        'price_file = "entsoe.csv"\nprice_currency_rate = 11.5\n',
        '[[carbon.neighbour]]\nname = "DE"\nfile = "de.csv"\n'
        '[[carbon.neighbour]]\nname = "GB"\nintensity_g_per_kwh = 180.0\n',
    )
    loaded = site.load(path)
    assert loaded.zone.price_file == (tmp_path / "entsoe.csv").resolve()
    assert [n.name for n in loaded.carbon.neighbours] == ["DE", "GB"]
    assert loaded.carbon.neighbours[0].file == (tmp_path / "de.csv").resolve()


BAD = {
    "price file missing": (
        ('price_file = "nothere.csv"\n', ""),
        "zone.price_file: file not found",
    ),
    "bad rate": (
        ('price_file = "entsoe.csv"\nprice_currency_rate = -2.0\n', ""),
        "zone.price_currency_rate: must be",
    ),
    "unknown neighbour": (
        ("", '[[carbon.neighbour]]\nname = "SE3"\nintensity_g_per_kwh = 10.0\n'),
        "carbon.neighbour[0].name: 'SE3' is not a neighbour of NO2",
    ),
    "both figure and file": (
        ("", '[[carbon.neighbour]]\nname = "DE"\nintensity_g_per_kwh = 1.0\nfile = "de.csv"\n'),
        "carbon.neighbour[0].intensity_g_per_kwh: give exactly one",
    ),
    "negative figure": (
        ("", '[[carbon.neighbour]]\nname = "DE"\nintensity_g_per_kwh = -1.0\n'),
        "carbon.neighbour[0].intensity_g_per_kwh: must be",
    ),
    "neighbour file missing": (
        ("", '[[carbon.neighbour]]\nname = "DE"\nfile = "none.csv"\n'),
        "carbon.neighbour[0].file: file not found",
    ),
}


@pytest.mark.parametrize("change, message", BAD.values(), ids=BAD.keys())
def test_bad_source_keys_name_the_key(tmp_path, change, message):
    path = _site(tmp_path, *change)
    with pytest.raises(SiteError, match=re.escape(message)):
        site.load(path)


def test_price_file_needs_the_water_value_rule(tmp_path):
    path = _site(tmp_path, 'price_file = "entsoe.csv"\n')
    text = path.read_text().replace('rule = "water-values"', 'rule = "guide"')
    path.write_text(text)
    with pytest.raises(SiteError, match=re.escape("zone.price_file: is only used with rule")):
        site.load(path)


def test_neighbour_prices_from_a_file_on_a_15_minute_grid(tmp_path):
    """An hourly EUR file on a 15-minute run: each quarter hour holds its hour's price,
    converted at the site's rate, the same in every scenario."""
    loaded = site.load(_site(tmp_path, 'price_file = "entsoe.csv"\nprice_currency_rate = 11.5\n'))
    model = simulate.zone_model(loaded)
    times = time_grid("2025-10-25 04:00", periods=16, freq="15min")
    got = simulate.neighbour_prices(loaded, model, times, np.arange(3), 0, None)
    hourly = prices.read_entsoe(ENTSOE).sel(time=time_grid("2025-10-25 04:00", 4)).values * 11.5
    np.testing.assert_allclose(got, np.repeat(hourly, 4)[:, None] * np.ones(3))
    # a 15-minute NOK file on an hourly run: each hour is the mean of its quarters
    loaded = site.load(_site(tmp_path, 'price_file = "nordpool.csv"\n'))
    times = time_grid("2025-03-29 00:00", periods=6)
    got = simulate.neighbour_prices(loaded, model, times, np.arange(2), 0, None)
    quarters = prices.read_nordpool(NORDPOOL).sel(time=time_grid("2025-03-29", 24, "15min"))
    np.testing.assert_allclose(got[:, 0], quarters.values.reshape(6, 4).mean(axis=1))


def test_a_price_file_in_another_currency_needs_a_rate(tmp_path):
    loaded = site.load(_site(tmp_path, 'price_file = "entsoe.csv"\n'))
    model = simulate.zone_model(loaded)
    times = time_grid("2025-10-25 00:00", periods=4)
    with pytest.raises(ValueError, match=re.escape("zone.price_currency_rate: the price file")):
        simulate.neighbour_prices(loaded, model, times, np.arange(1), 0, None)


def test_neighbour_file_sets_the_imports_intensity(tmp_path):
    loaded = site.load(_site(tmp_path, "", '[[carbon.neighbour]]\nname = "DE"\nfile = "de.csv"\n'))
    model = simulate.zone_model(loaded)
    times = time_grid("2025-10-25 00:00", periods=48, freq="15min")
    got = simulate.import_carbon(loaded, model, times)
    de = carbon.read_electricitymaps(EMAPS)
    expected = carbon.import_intensity(model.neighbours, times, {"DE": de})
    np.testing.assert_allclose(got, expected)
    assert len(np.unique(got)) == 12  # an hourly series held over the quarter hours
    far = time_grid("2026-01-01", periods=4)
    with pytest.raises(ValueError, match=re.escape("carbon.neighbour: series['DE']: covers")):
        simulate.import_carbon(loaded, model, far)


def test_simulate_with_a_price_file_and_neighbour_file(tmp_path):
    """The whole chain at 15 minutes on the file's prices (shorter than a year: the water
    values come from seeded scenarios at the file's mean level) and a neighbour's series."""
    path = _site(
        tmp_path,
        'price_file = "entsoe.csv"\nprice_currency_rate = 11.5\n',
        '[[carbon.neighbour]]\nname = "DE"\nfile = "de.csv"\n',
    )
    with pytest.raises(
        ValueError,
        match=re.escape("has no price for 4 steps of the run, the first at 2025-10-25 03:00:00"),
    ):
        simulate.simulate(
            path, 1, start="2025-10-25", periods=4 * 48, freq="15min", backend="numpy"
        )  # the sample's n/e hour
    result = simulate.simulate(
        path, 2, start="2025-10-25 06:00", periods=4 * 40, freq="15min", backend="numpy"
    )
    assert result.sizes["time"] == 160
    assert bool(np.isfinite(result.price).all())
    assert bool(np.isfinite(result.carbon_intensity).all())
    balance = result.power_facility + result.power_heat_pump - result.served - result.unserved
    assert float(abs(balance).max()) < 1e-3


def test_a_15_minute_run_sees_the_hourly_runs_inputs():
    """freq="15min" through the chain: the same scenarios' weather (the hourly run's values at
    the full hours), inflow and neighbours' prices with their hourly means (energy) kept, so
    the year's energy, cost and emissions agree with the hourly run's to within the
    sub-hourly detail (measured: 0.05-0.14 % energy, 0.1-0.3 % cost, up to 1.2 % emissions
    over two weeks)."""
    from powermodel import climate, inflow

    kwargs = dict(start="2025-10-01", scenarios=2, seed=3)
    wh = climate.synthetic(periods=48, freq="1h", **kwargs).transpose("time", "scenario")
    wq = climate.synthetic(periods=192, freq="15min", **kwargs).transpose("time", "scenario")
    for name in wh.data_vars:
        np.testing.assert_array_equal(wq[name].values[::4], wh[name].values)
    qh = inflow.synthetic("NO2", periods=48, freq="1h", **kwargs)
    qq = inflow.synthetic("NO2", periods=192, freq="15min", **kwargs)
    np.testing.assert_allclose(qq.values.reshape(48, 4, 2).mean(axis=1), qh.values, rtol=1e-3)
    ph = prices.synthetic("NO2", periods=48, freq="1h", inflow=qh, **kwargs)
    pq = prices.synthetic("NO2", periods=192, freq="15min", inflow=qq, **kwargs)
    np.testing.assert_allclose(pq.values.reshape(48, 4, 2).mean(axis=1), ph.values, rtol=1e-3)
    assert float(abs(pq.values[1::4] / pq.values[::4] - 1).max()) > 0  # shaped within hours
    hourly = simulate.simulate("dra01", 2, periods=24 * 7, freq="1h", backend="numpy")
    quarter = simulate.simulate("dra01", 2, periods=24 * 7 * 4, freq="15min", backend="numpy")
    for name, tolerance in (("energy_served", 0.005), ("cost", 0.01), ("emissions", 0.03)):
        np.testing.assert_allclose(quarter[name], hourly[name], rtol=tolerance, err_msg=name)
    balance = quarter.power_facility + quarter.power_heat_pump - quarter.served - quarter.unserved
    assert float(abs(balance).max()) < 1e-3
