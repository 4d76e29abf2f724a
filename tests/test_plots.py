"""Tests of powermodel.plots: each figure on a fake simulation output."""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")  # tests only: no display

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import xarray as xr
from matplotlib.collections import PolyCollection
from matplotlib.image import imread

from powermodel import plots
from powermodel.timegrid import energy

MW = 1e6


def fake_simulation(periods=8760, freq="1h", scenarios=3, seed=1) -> xr.Dataset:
    """A realistic fake of ``simulate``'s output: a hall growing from 12 MW to 52 MW.

    The connection steps from 12 MW to 52 MW on 1 July; the IT load follows
    with a diurnal cycle and scenario noise, cooling rises in summer, and a
    few peaks exceed the contract (unserved demand).
    """
    rng = np.random.default_rng(seed)
    time = pd.date_range("2025-01-01", periods=periods, freq=freq, name="time")
    hours = np.asarray((time - time[0]) / pd.Timedelta("1h"))[:, None]
    day = hours / 24.0
    grown = time >= pd.Timestamp("2025-07-01")
    capacity = np.where(grown, 52 * MW, 12 * MW)
    base = np.where(grown, 37 * MW, 8.9 * MW)[:, None]
    diurnal = 1 + 0.06 * np.sin(2 * np.pi * (hours - 8) / 24)
    noise = 1 + 0.05 * rng.standard_normal((periods, scenarios))
    power_it = base * diurnal * noise
    power_total = power_it * 1.08
    summer = 0.5 - 0.5 * np.cos(2 * np.pi * (day - 15) / 365)
    power_cooling = power_it * (0.04 + 0.10 * summer) * (1 + 0.1 * rng.random(scenarios))
    power_facility = power_total + power_cooling
    served = np.minimum(power_facility, capacity[:, None])
    offset = np.linspace(-0.1, 0.1, scenarios)
    filling = np.clip(
        0.55
        - 0.3 * np.cos(2 * np.pi * (day - 60) / 365)
        + offset
        + 0.02 * rng.standard_normal((periods, scenarios)).cumsum(0) / np.sqrt(periods),
        0,
        1,
    )
    price = 600 + 300 * (1 - filling) + 50 * rng.standard_normal((periods, scenarios))
    carbon = 20 + 10 * rng.random((periods, scenarios))

    def var(data, units, long_name, dims=("time", "scenario")):
        return xr.Variable(dims, data, {"units": units, "long_name": long_name})

    return xr.Dataset(
        {
            "power_it": var(power_it, "W", "IT power"),
            "power_total": var(power_total, "W", "IT and power chain"),
            "power_cooling": var(power_cooling, "W", "cooling plant electric power"),
            "power_facility": var(power_facility, "W", "facility electric power"),
            "grid_capacity": var(capacity, "W", "contracted grid capacity", ("time",)),
            "served": var(served, "W", "site demand served"),
            "unserved": var(power_facility - served, "W", "site demand not served"),
            "heat_recovered": var(0.6 * power_it, "W", "waste heat recovered"),
            "price": var(price, "NOK MWh-1", "electricity price"),
            "carbon_intensity": var(carbon, "g kWh-1", "carbon intensity"),
            "filling": var(filling, "1", "reservoir filling"),
        },
        coords={"time": time, "scenario": np.arange(scenarios)},
    )


@pytest.fixture(scope="module")
def year():
    return fake_simulation()


@pytest.fixture(scope="module")
def quarter_hourly():
    """Six weeks at 15 minutes."""
    return fake_simulation(periods=42 * 96, freq="15min", seed=2)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _labelled(ax, xunit: str | None, yunit: str | None) -> None:
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    if xunit:
        assert f"({xunit}" in ax.get_xlabel() or xunit in ax.get_xlabel()
    if yunit:
        assert f"({yunit})" in ax.get_ylabel()


# --------------------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("units", "text"),
    [("NOK MWh-1", "NOK/MWh"), ("g kWh-1", "g/kWh"), ("m3 s-1", "m³/s"), ("degC", "°C")],
)
def test_pretty_units(units, text):
    assert plots._pretty_units(units) == text


# --------------------------------------------------------------------------- load duration


def test_load_duration_curve_single_scenario_equals_sorted_input(year):
    power = year["power_facility"].isel(scenario=0)
    ax = plots.load_duration_curve(power)
    _labelled(ax, "h", "MW")
    (line,) = ax.get_lines()
    x, y = line.get_data()
    assert np.all(np.diff(y) <= 0)
    np.testing.assert_allclose(y, np.sort(power.values)[::-1] / MW)
    np.testing.assert_allclose(x, np.arange(1, 8761))  # hours at or above


def test_load_duration_curve_scenarios_band_and_capacity(year):
    ax = plots.load_duration_curve(year["power_facility"], capacity=year["grid_capacity"])
    _labelled(ax, "h", "MW")
    lines = ax.get_lines()
    median = lines[0].get_ydata()
    assert np.all(np.diff(median) <= 0)
    sorted_mw = -np.sort(-year["power_facility"].values, axis=0) / MW
    np.testing.assert_allclose(median, np.median(sorted_mw, axis=1))
    levels = sorted(float(line.get_ydata()[0]) for line in lines[1:])
    assert levels == [12.0, 52.0]
    assert len([c for c in ax.collections if isinstance(c, PolyCollection)]) == 1
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "P10\N{EN DASH}P90" in labels and any("grid capacity" in label for label in labels)


def test_load_duration_curve_quarter_hourly_hours(quarter_hourly):
    power = quarter_hourly["power_facility"]
    ax = plots.load_duration_curve(power, capacity=12 * MW)
    x = ax.get_lines()[0].get_xdata()
    assert x[0] == 0.25 and x[-1] == pytest.approx(42 * 24)


# --------------------------------------------------------------------------- monthly energy


def _bars(ax):
    return [p for p in ax.patches if p.get_width() > 0]


def test_monthly_energy_bars_sum_to_energy(year):
    one = year.isel(scenario=[0])
    ax = plots.monthly_energy(one)
    _labelled(ax, None, "GWh")
    bars = _bars(ax)
    assert len(bars) == 12 * 3
    total_gwh = float(energy(one["power_facility"]).sum()) / 3.6e12
    assert sum(bar.get_height() for bar in bars) == pytest.approx(total_gwh, rel=1e-9)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "Jan" and labels[-1] == "Dec"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert set(legend) == {"IT", "power-chain losses", "cooling"}


def test_monthly_energy_median_over_scenarios(year):
    ax = plots.monthly_energy(year, components=("power_it",))
    heights = [bar.get_height() for bar in _bars(ax)]
    monthly = (year["power_it"] * 3600).resample(time="MS").sum() / 3.6e12
    np.testing.assert_allclose(heights, monthly.median("scenario").values)


def test_monthly_energy_quarter_hourly(quarter_hourly):
    ax = plots.monthly_energy(quarter_hourly)
    assert len(_bars(ax)) == 2 * 3  # January and part of February
    expected = (quarter_hourly["power_facility"] * 900).resample(time="MS").sum() / 3.6e12
    tops = np.array([b.get_y() + b.get_height() for b in _bars(ax)][-2:])
    # the median of each component need not add to the median total: within the spread
    lo, hi = expected.min("scenario").values, expected.max("scenario").values
    assert np.all((tops >= lo * 0.99) & (tops <= hi * 1.01))


# --------------------------------------------------------------------------- heatmap


def test_heatmap_power_in_mw_local_hours(year):
    ax = plots.heatmap(year["power_facility"])
    _labelled(ax, None, None)
    assert "Europe/Oslo" in ax.get_ylabel()
    mesh = ax.collections[0]
    # local calendar days: UTC 2025-12-31 23:00 is 00:00 on 1 January 2026, its own column
    assert mesh.get_array().shape == (24, 366)
    assert np.ma.count(mesh.get_array()[:, -1]) == 1
    assert np.ma.is_masked(mesh.get_array()[0, 0])  # 1 January 2025 starts at 01:00 local
    colorbar = mesh.colorbar
    assert "(MW)" in colorbar.ax.get_ylabel()
    assert float(np.nanmax(mesh.get_array())) < 60  # MW, not W


def test_heatmap_other_units_as_they_are(quarter_hourly):
    ax = plots.heatmap(quarter_hourly["price"])
    assert "(NOK/MWh)" in ax.collections[0].colorbar.ax.get_ylabel()
    assert ax.collections[0].get_array().shape[0] == 24


# --------------------------------------------------------------------------- fan chart


def test_fan_chart_daily_bands(year):
    ax = plots.fan_chart(year["filling"])
    _labelled(ax, "UTC", "%")
    assert "daily means" in ax.get_xlabel()
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 2 and len(ax.get_lines()) == 1
    median = ax.get_lines()[0].get_ydata()
    assert len(median) == 365
    daily = (year["filling"] * 100).resample(time="1D").mean().median("scenario")
    np.testing.assert_allclose(median, daily.values)


def test_fan_chart_short_series_not_averaged(quarter_hourly):
    two_days = quarter_hourly["power_facility"].isel(time=slice(0, 192))
    ax = plots.fan_chart(two_days, quantiles=(0.1, 0.9))
    _labelled(ax, "UTC", "MW")
    assert "daily" not in ax.get_xlabel()
    assert len(ax.get_lines()) == 0
    assert len([c for c in ax.collections if isinstance(c, PolyCollection)]) == 1


# --------------------------------------------------------------------------- supply/demand


def test_supply_demand_marks_unserved(year):
    ax = plots.supply_demand(year)
    _labelled(ax, "UTC", "MW")
    assert "daily peaks" in ax.get_xlabel()
    lines = {line.get_label(): line for line in ax.get_lines()}
    (marks,) = [line for label, line in lines.items() if label.startswith("unserved")]
    assert set(lines) == {"median daily peak demand", "contracted grid capacity", marks.get_label()}
    unserved = (year["unserved"] > 0).any("scenario")
    days = int(unserved.resample(time="1D").max().sum())
    assert 0 < days < 365
    assert len(marks.get_xdata()) == days
    assert f"{int(unserved.sum())} h on {days} days" in marks.get_label()
    daily_capacity = year["grid_capacity"].resample(time="1D").max().values / MW
    np.testing.assert_allclose(lines["contracted grid capacity"].get_ydata(), daily_capacity)
    daily_peak = year["power_facility"].resample(time="1D").max().median("scenario") / MW
    np.testing.assert_allclose(lines["median daily peak demand"].get_ydata(), daily_peak.values)


def test_supply_demand_short_series_every_step(quarter_hourly):
    week = quarter_hourly.isel(time=slice(0, 7 * 96))
    ax = plots.supply_demand(week)
    assert ax.get_xlabel() == "time (UTC)"
    (marks,) = [line for line in ax.get_lines() if line.get_label().startswith("unserved")]
    steps = int((week["unserved"] > 0).any("scenario").sum())
    assert len(marks.get_xdata()) == steps
    assert f"{steps * 0.25:g} h" in marks.get_label()


def test_supply_demand_without_unserved_variable(quarter_hourly):
    one = quarter_hourly.drop_vars("unserved").isel(scenario=[0])
    ax = plots.supply_demand(one)
    labels = [line.get_label() for line in ax.get_lines()]
    assert "daily peak demand" in labels
    over = int((one["power_facility"] > one["grid_capacity"]).sum())
    assert any(label.startswith(f"unserved in ≥1 scenario: {over * 0.25:g} h") for label in labels)


# --------------------------------------------------------------------------- summary


def test_summary_figure_writes_png_atomically(year, tmp_path):
    path = tmp_path / "out.png"
    fig = plots.summary_figure(year, path=path)
    assert len(fig.axes) >= 4  # four panels (plus colour bars)
    assert os.listdir(tmp_path) == ["out.png"]
    image = imread(path)
    assert image.ndim == 3 and image.shape[0] > 500
    for ax in fig.axes[:4]:
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()


def test_summary_figure_heatmap_without_filling(quarter_hourly):
    fig = plots.summary_figure(quarter_hourly.drop_vars("filling"))
    assert "Europe/Oslo" in fig.axes[3].get_ylabel()


def test_summary_figure_failed_save_leaves_nothing(year, tmp_path):
    with pytest.raises(ValueError, match="path"):
        plots.summary_figure(year, path=tmp_path / "out.unknown")
    assert os.listdir(tmp_path) == []


# --------------------------------------------------------------------------- bad input


def test_missing_variable_is_named(year):
    with pytest.raises(ValueError, match=r"dataset: missing variable.*'grid_capacity'"):
        plots.supply_demand(year.drop_vars("grid_capacity"))
    with pytest.raises(ValueError, match="'power_total'"):
        plots.monthly_energy(year.drop_vars("power_total"))
    with pytest.raises(ValueError, match="'power_cooling'"):
        plots.summary_figure(year.drop_vars("power_cooling"))


def test_no_time_dimension_is_named(year):
    with pytest.raises(ValueError, match="power: has no 'time' dimension"):
        plots.load_duration_curve(year["power_facility"].isel(time=0))
    with pytest.raises(ValueError, match="da: has no 'time' dimension"):
        plots.fan_chart(year["filling"].mean("time"))
    with pytest.raises(ValueError, match="da: has no 'time' dimension"):
        plots.heatmap(year["price"].rename(time="hour"))


def test_other_bad_inputs(year):
    with pytest.raises(ValueError, match="quantiles"):
        plots.fan_chart(year["filling"], quantiles=(0.9, 0.1))
    with pytest.raises(ValueError, match="power: has units 'NOK/MWh'"):
        plots.load_duration_curve(year["price"].assign_attrs(units="NOK/MWh"))
    with pytest.raises(ValueError, match="da: unexpected dimension"):
        plots.heatmap(year["price"].expand_dims(zone=2))
    with pytest.raises(TypeError, match=r"da: expected an xarray\.DataArray"):
        plots.fan_chart(year)
