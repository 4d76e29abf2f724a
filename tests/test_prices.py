"""Price readers (ENTSO-E, Nord Pool; DST's repeated and missing hour) and price scenarios."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd
import pytest

from powermodel import inflow, prices

DATA = resources.files("powermodel.data")
ENTSOE = DATA / "prices_entsoe_sample.csv"
NORDPOOL = DATA / "prices_nordpool_sample.csv"


def _entsoe_file(tmp_path, starts_local, fmt="%d.%m.%Y %H:%M", step="1h", flags=None):
    starts = pd.DatetimeIndex(starts_local)
    labels = [f"{t:{fmt}} - {t + pd.Timedelta(step):{fmt}}" for t in starts]
    if flags is not None:
        labels = [f"{a} ({f})" if f else a for a, f in zip(labels, flags, strict=True)]
    path = tmp_path / "entsoe.csv"
    pd.DataFrame({"MTU (CET/CEST)": labels,
                  "Day-ahead Price [EUR/MWh]": np.arange(len(labels), dtype=float)}).to_csv(
        path, index=False)  # fmt: skip
    return path


def test_entsoe_autumn_night_has_its_repeated_hour_once_each_in_utc():
    price = prices.read_entsoe(ENTSOE)
    times = price.time.to_index()
    assert len(times) == 73  # 24 + 25 + 24 hours
    assert (np.diff(times.values) == np.timedelta64(1, "h")).all()
    # the two 02:00 CEST/CET hours of 26 October 2025 are 00:00 and 01:00 UTC
    assert times[0] == pd.Timestamp("2025-10-24 22:00")
    assert pd.Timestamp("2025-10-26 00:00") in times and pd.Timestamp("2025-10-26 01:00") in times
    assert int(price.isnull().sum()) == 1  # "n/e"
    assert price.attrs["units"] == "EUR MWh-1"


def test_entsoe_repeated_hour_without_flags_is_inferred_from_the_order(tmp_path):
    local = pd.date_range("2025-10-26 00:00", periods=26, freq="h", tz="Europe/Brussels")
    path = _entsoe_file(tmp_path, local.tz_localize(None))
    price = prices.read_entsoe(path)
    np.testing.assert_array_equal(price.time.values, local.tz_convert("UTC").tz_localize(None))


def test_entsoe_spring_night_without_its_missing_hour_and_the_newer_format(tmp_path):
    local = pd.date_range("2025-03-30 00:00", periods=23, freq="h", tz="Europe/Brussels")
    path = _entsoe_file(tmp_path, local.tz_localize(None), fmt="%d/%m/%Y %H:%M:%S")
    price = prices.read_entsoe(path)
    assert (np.diff(price.time.values) == np.timedelta64(1, "h")).all()
    assert price.time.values[0] == np.datetime64("2025-03-29T23:00")


def test_entsoe_quarter_hours_and_a_missing_mtu(tmp_path):
    local = pd.date_range("2025-10-02 00:00", periods=96, freq="15min")
    price = prices.read_entsoe(_entsoe_file(tmp_path, local, step="15min"))
    assert (np.diff(price.time.values) == np.timedelta64(15, "m")).all()
    with pytest.raises(ValueError, match="not regular"):
        prices.read_entsoe(_entsoe_file(tmp_path, local.delete(40), step="15min"))


def test_nordpool_quarter_hours_over_the_spring_night():
    price = prices.read_nordpool(NORDPOOL, area="NO2")
    assert len(price) == 4 * (24 + 23)
    assert (np.diff(price.time.values) == np.timedelta64(15, "m")).all()
    assert price.attrs["units"] == "NOK MWh-1"
    no1 = prices.read_nordpool(NORDPOOL, area="NO1")
    np.testing.assert_allclose(no1, price * 0.9, atol=0.01)  # decimal commas read
    with pytest.raises(ValueError, match="NO5"):
        prices.read_nordpool(NORDPOOL, area="NO5")


def test_readers_name_the_file_when_columns_are_missing(tmp_path):
    path = tmp_path / "other.csv"
    pd.DataFrame({"time": ["x"], "value": [1.0]}).to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"other\.csv"):
        prices.read_entsoe(path)
    with pytest.raises(ValueError, match=r"other\.csv"):
        prices.read_nordpool(path)


def test_synthetic_prices_are_seeded_per_scenario_and_shaped():
    many = prices.synthetic(periods=8760, scenarios=40, seed=5)
    some = prices.synthetic(periods=8760, scenarios=[3, 7], seed=5)
    np.testing.assert_array_equal(many.isel(scenario=[3, 7]).values, some.values)
    assert abs(float(many.mean()) / prices.PriceModel().level - 1) < 0.05
    month = many.time.dt.month
    assert float(many.where(month == 1).mean()) > 1.3 * float(many.where(month == 7).mean())
    assert (many > 0).all()


def test_a_dry_year_is_a_dear_one():
    q = inflow.synthetic("NO2", periods=8760, scenarios=30, seed=2)
    price = prices.synthetic(periods=8760, scenarios=30, seed=2, inflow=q)
    plain = prices.synthetic(periods=8760, scenarios=30, seed=2)
    ratio = (price / plain).isel(time=0)
    dryness = q.mean("time") / float(inflow.climatology(q.time.to_index()).mean())
    np.testing.assert_allclose(ratio, dryness**-2.0, rtol=1e-9)
    assert np.corrcoef(q.mean("time"), price.mean("time"))[0, 1] < -0.5
    with pytest.raises(ValueError, match="inflow"):
        prices.synthetic(periods=100, scenarios=30, seed=2, inflow=q)


def test_synthetic_prices_on_quarter_hours_keep_the_hourly_memory():
    hourly = prices.synthetic(periods=24 * 60, scenarios=20, seed=1)
    quarter = prices.synthetic(periods=4 * 24 * 60, freq="15min", scenarios=20, seed=1)

    def lag(x, n):
        a, b = np.log(x.values[:-n].ravel()), np.log(x.values[n:].ravel())
        return np.corrcoef(a, b)[0, 1]

    assert abs(lag(hourly, 6) - lag(quarter, 24)) < 0.1


def test_a_scenario_with_inflow_does_not_depend_on_the_others():
    grid = dict(start="2025-10-01", periods=72, seed=0)
    q = inflow.synthetic(scenarios=[0, 1, 2], **grid)
    many = prices.synthetic(scenarios=[0, 1, 2], inflow=q, **grid)
    one = prices.synthetic(scenarios=[1], inflow=inflow.synthetic(scenarios=[1], **grid), **grid)
    np.testing.assert_array_equal(many.sel(scenario=[1]).values, one.values)
