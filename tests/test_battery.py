"""The site battery (powermodel.battery): dispatch, balances, arbitrage, sizing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from strategies import series

from powermodel import battery
from powermodel.battery import Battery

MWH = 3.6e9  # J


def lossless(power, hours, **settings):
    return Battery.rated(power, hours, round_trip_efficiency=1.0, standing_loss=0.0, **settings)


# ----------------------------------------------------------------- the dataclass


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("power", -1.0),
        ("power", float("inf")),
        ("energy", -1.0),
        ("round_trip_efficiency", 0.0),
        ("round_trip_efficiency", 1.2),
        ("standing_loss", -1e-5),
        ("standing_loss", 1.0),
        ("soc_min", -0.1),
        ("soc_max", 1.5),
        ("reserve", 2.0),
        ("initial_soc", 1.5),
        ("power", float("nan")),
    ],
)
def test_bad_settings_name_the_field(field, value):
    settings = {"power": 1e6, "energy": 3.6e9, field: value}
    with pytest.raises(ValueError, match=rf"^{field}: must be"):
        Battery(**settings)


def test_soc_window_and_initial_soc_are_checked_together():
    with pytest.raises(ValueError, match=r"^soc_max: must be in \[soc_min, 1\]"):
        Battery(power=1e6, energy=1e9, soc_min=0.6, soc_max=0.5)
    with pytest.raises(ValueError, match=r"^initial_soc: must be in \[soc_min, soc_max\]"):
        Battery(power=1e6, energy=1e9, soc_min=0.2, initial_soc=0.1)
    with pytest.raises(TypeError, match=r"^power: expected a number"):
        Battery(power="1 MW", energy=1e9)
    with pytest.raises(ValueError, match=r"^hours: must be >= 0 h"):
        Battery.rated(1e6, hours=-2.0)


def test_rated_duration_and_defaults():
    b = Battery.rated(4e6, hours=2.0)
    assert b.energy == 8 * MWH
    assert b.duration == pytest.approx(2.0)
    assert b.round_trip_efficiency == 0.85  # NREL ATB utility-scale Li-ion
    assert b.usable_energy == b.energy
    assert Battery(power=0.0, energy=0.0).duration == float("inf")


def test_a_standing_loss_that_empties_the_battery_within_a_step_is_an_error():
    b = Battery(power=1e6, energy=1e9, standing_loss=0.6)
    demand = series(np.full(3, 1e6), freq="2h")
    with pytest.raises(ValueError, match=r"^standing_loss:"):
        battery.dispatch(demand, 2e6, b)


# ----------------------------------------------------------- analytic cases


def test_peak_shaving_hand_values(cpu_backend):
    demand = series([10e6, 14e6, 13e6, 10e6, 15e6, 15e6])
    out = battery.dispatch(demand, 12e6, lossless(3e6, 1.0), backend=cpu_backend)
    # 3 MWh full; 2 + 1 MWh discharged, 2 MWh recharged, then 3 MW then nothing left
    np.testing.assert_allclose(out.battery_discharge[:, 0], [0, 2e6, 1e6, 0, 2e6, 0], atol=1e-6)
    np.testing.assert_allclose(out.battery_charge[:, 0], [0, 0, 0, 2e6, 0, 0], atol=1e-6)
    np.testing.assert_allclose(out.battery_energy[:, 0] / MWH, [3, 1, 0, 2, 0, 0], atol=1e-9)
    np.testing.assert_allclose(out.over_limit[:, 0], [0, 0, 0, 0, 1e6, 3e6], atol=1e-6)
    np.testing.assert_allclose(out.over_limit_unmitigated[:, 0], [0, 2e6, 1e6, 0, 3e6, 3e6])
    np.testing.assert_allclose(out.battery_soc[:, 0], [1, 1 / 3, 0, 2 / 3, 0, 0], atol=1e-12)
    assert out.grid_draw.attrs["units"] == "W" and out.battery_energy.attrs["units"] == "J"
    total = battery.summarize(out)
    assert float(total.energy_over_limit[0]) == pytest.approx(4 * MWH)
    assert float(total.over_limit_hours[0]) == 2.0
    assert float(total.over_limit_hours_unmitigated[0]) == 4.0
    assert float(total.battery_cycles[0]) == pytest.approx(5 / 3)
    assert total.energy_over_limit.attrs["units"] == "J"


def test_efficiency_costs_stored_energy_each_way():
    b = Battery.rated(2e6, 1.0, round_trip_efficiency=0.81, standing_loss=0.0)
    demand = series([13e6, 10e6, 14e6])
    out = battery.dispatch(demand, 12e6, b, backend="numpy")
    # 1 MW out for an hour takes 1 / 0.9 MWh from the 2 MWh; refilling the 1 / 0.9 MWh
    # takes 1 / 0.81 MWh from the grid; then 2 MW out would take 2.22 MWh: 1.8 MW only
    np.testing.assert_allclose(out.battery_energy.values[:, 0] / MWH, [2 - 1 / 0.9, 2, 0])
    np.testing.assert_allclose(out.battery_charge.values[1, 0], 1e6 / 0.81)
    np.testing.assert_allclose(out.battery_discharge.values[:, 0], [1e6, 0, 1.8e6])
    np.testing.assert_allclose(out.over_limit.values[2, 0], 0.2e6)
    lost = [1e6 * (1 / 0.9 - 1), 1e6 / 0.81 * 0.1, 1.8e6 * (1 / 0.9 - 1)]
    np.testing.assert_allclose(out.battery_loss.values[:, 0], lost)


def test_standing_loss_decays_an_idle_battery(cpu_backend):
    b = Battery(power=1e6, energy=10 * MWH, standing_loss=1e-3, soc_min=0.0)
    demand = series(np.full(48, 5e6))
    out = battery.dispatch(demand, 5e6, b, backend=cpu_backend)  # no headroom, no excess
    hours = np.arange(1, 49)
    np.testing.assert_allclose(out.battery_energy[:, 0], 10 * MWH * (1 - 1e-3) ** hours, rtol=1e-12)
    lost = 1e-3 / 3600 * 10 * MWH * (1 - 1e-3) ** (hours - 1)
    np.testing.assert_allclose(out.battery_loss[:, 0], lost, rtol=1e-12)


def test_soc_window_limits_discharge_and_charge():
    b = Battery.rated(10e6, 1.0, round_trip_efficiency=1.0, standing_loss=0.0, soc_min=0.2,
                      soc_max=0.9)  # fmt: skip
    demand = series([20e6, 20e6, 0.0, 0.0])
    out = battery.dispatch(demand, 10e6, b, backend="numpy")
    np.testing.assert_allclose(out.battery_energy[:, 0] / MWH, [2.0, 2.0, 9.0, 9.0], atol=1e-12)
    np.testing.assert_allclose(out.battery_discharge[:, 0], [7e6, 0, 0, 0], atol=1e-6)


def test_nan_poisons_the_rest_of_its_scenario_only():
    demand = series(np.array([[10e6, 10e6], [np.nan, 13e6], [10e6, 10e6]]))
    out = battery.dispatch(demand, 12e6, lossless(2e6, 1.0), backend="numba")
    assert bool(out.battery_energy[1:, 0].isnull().all())
    assert bool(out.grid_draw[1:, 0].isnull().all())
    assert bool(out.battery_energy[:, 1].notnull().all())
    assert bool(battery.summarize(out).energy_over_limit[0].isnull())


def test_float32_demand_runs_in_float64():
    rng = np.random.default_rng(1)
    values = rng.uniform(8e6, 14e6, (200, 3))
    demand = series(values)
    out64 = battery.dispatch(demand, 12e6, Battery.rated(2e6, 2.0), backend="numba")
    out32 = battery.dispatch(demand.astype(np.float32), 12e6, Battery.rated(2e6, 2.0))
    assert out32.grid_draw.dtype == np.float64
    ref = battery.dispatch(series(values.astype(np.float32)), 12e6, Battery.rated(2e6, 2.0))
    np.testing.assert_array_equal(out32.grid_draw, ref.grid_draw)
    np.testing.assert_allclose(out32.battery_energy, out64.battery_energy, atol=1e-5 * 14.4e9)


def test_bad_inputs_name_the_argument():
    demand = series([1e6, 2e6])
    with pytest.raises(ValueError, match=r"^demand: 1 negative"):
        battery.dispatch(series([1e6, -1.0]), 1e6, lossless(1e6, 1))
    with pytest.raises(ValueError, match=r"^limit: 1 negative"):
        battery.dispatch(demand, series([1e6, -2.0]), lossless(1e6, 1))
    with pytest.raises(ValueError, match=r"^limit: its coordinates"):
        battery.dispatch(demand, series([1e6, 1e6], start="2030-01-01"), lossless(1e6, 1))
    with pytest.raises(ValueError, match=r"^quantiles:"):
        battery.dispatch(demand, 1e6, lossless(1e6, 1), price=demand * 0, quantiles=(0.8, 0.2))
    with pytest.raises(ValueError, match=r"^demand: dims"):
        battery.dispatch(demand.rename(scenario="rack"), 1e6, lossless(1e6, 1))


# --------------------------------------------------------------- properties


def _cases():
    shapes = st.tuples(st.integers(1, 30), st.integers(1, 3))
    return shapes.flatmap(
        lambda shape: st.tuples(
            hnp.arrays(np.float64, shape, elements=st.floats(0.0, 3e7)),  # demand
            hnp.arrays(np.float64, shape, elements=st.floats(0.0, 2e7)),  # limit
            st.one_of(st.none(), hnp.arrays(np.float64, shape, elements=st.floats(-50.0, 500.0))),
            st.floats(0.0, 1e7),  # power
            st.floats(0.0, 6.0),  # hours
            st.floats(0.5, 1.0),  # round trip
            st.sampled_from([0.0, 1e-4, 0.05]),  # standing loss [h-1]
            st.tuples(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1)),
        )
    )


def _battery(power, hours, rte, standing, fractions):
    low, start, reserve, high = sorted(fractions)
    return Battery.rated(
        power, hours, round_trip_efficiency=rte, standing_loss=standing, soc_min=low,
        soc_max=high, initial_soc=start, reserve=reserve,
    )  # fmt: skip


@given(_cases(), st.sampled_from(["numpy", "numba"]))
def test_balances_close_and_limits_hold(case, backend):
    demand_v, limit_v, price_v, power, hours, rte, standing, fractions = case
    b = _battery(power, hours, rte, standing, fractions)
    demand, limit = series(demand_v), series(limit_v)
    price = None if price_v is None else series(price_v)
    out = battery.dispatch(demand, limit, b, price, backend=backend)
    d, c, x = demand.values, out.battery_charge.values, out.battery_discharge.values
    grid, stored = out.grid_draw.values, out.battery_energy.values
    # the grid balance closes exactly, on every backend (charge or discharge is 0)
    np.testing.assert_array_equal(grid, d - x + c)
    assert not np.any((c > 0) & (x > 0))
    p = b.record(3600.0)
    before = np.vstack([b.initial_energy(d.shape[1])[None, :], stored[:-1]])
    expected = before - p.dt * (x / p.eta_discharge - c * p.eta_charge) - p.standing * p.dt * before
    if backend == "numpy":  # the recursion exactly as written
        np.testing.assert_array_equal(stored, expected)
    else:  # fast-math contracts and reassociates: to rounding of the stored energy
        np.testing.assert_allclose(stored, expected, rtol=1e-12, atol=1e-9 * max(b.energy, 1.0))
    # the battery's own balance: charge = discharge + dE/dt + losses
    np.testing.assert_allclose(
        c - x - (stored - before) / p.dt, out.battery_loss.values, atol=1e-6 * max(b.power, 1.0)
    )
    slack = 1e-9 * max(b.energy, 1.0)
    low = np.minimum(p.energy_min, before * (1 - p.standing * p.dt))
    assert np.all(stored >= low - slack) and np.all(stored <= p.energy_max + slack)
    assert np.all(c <= b.power * (1 + 1e-12)) and np.all(x <= b.power * (1 + 1e-12))
    assert np.all(out.battery_loss.values >= -1e-9)
    # never an export, never a draw above the limit the demand alone would not make
    scale = 1e-9 * (1.0 + np.maximum(d, limit.values))
    assert np.all(grid >= -scale)
    assert np.all(grid <= np.maximum(limit.values, d) + scale)
    # peak shaving never leaves more above the limit than the demand alone
    assert np.all(out.over_limit.values <= out.over_limit_unmitigated.values + scale)
    total = battery.summarize(out)
    assert np.all(
        total.energy_over_limit.values <= total.energy_over_limit_unmitigated.values + 1e-3
    )
    if backend == "numba":
        ref = battery.dispatch(demand, limit, b, price, backend="numpy")
        power = float(d.max() + limit.values.max()) + 1.0  # differences: at the operands' scale
        for name, size in (("grid_draw", power), ("over_limit", power),
                           ("battery_energy", b.energy + 1.0)):  # fmt: skip
            np.testing.assert_allclose(out[name], ref[name], rtol=1e-9, atol=1e-9 * size)


@given(
    hnp.arrays(np.float64, 30, elements=st.floats(0.0, 3e7)), st.floats(0.0, 5e6),
    st.floats(0.1, 4.0),
)  # fmt: skip
def test_a_larger_battery_never_fails_where_a_smaller_one_passes(demand_v, power, hours):
    demand = series(demand_v)
    small = battery.dispatch(demand, 1.5e7, lossless(power, hours), backend="numpy")
    large = battery.dispatch(demand, 1.5e7, lossless(2 * power, 2 * hours), backend="numpy")
    if bool((small.over_limit <= 1.0).all()):
        assert bool((large.over_limit <= 1.0).all())


# ---------------------------------------------------------------- arbitrage


def _day_prices(days=2):
    hourly = np.array([20.0] * 6 + [60.0] * 10 + [150.0] * 4 + [60.0] * 4)  # cheap night
    return np.tile(hourly, days)


def test_arbitrage_charges_cheap_and_discharges_dear_above_the_reserve():
    prices = _day_prices()
    demand = series(np.full(prices.size, 8e6))
    b = Battery.rated(2e6, 2.0, round_trip_efficiency=0.9, standing_loss=0.0, initial_soc=0.5,
                      reserve=0.5)  # fmt: skip
    out = battery.dispatch(demand, 10e6, b, series(prices), backend="numba")
    charge, discharge = out.battery_charge.values[:, 0], out.battery_discharge.values[:, 0]
    # (a reserve left a rounding short of full is refilled by ~1e-10 W, in any hour)
    assert np.all(charge[prices > 100] < 1e-6) and np.all(discharge[prices < 50] == 0)
    assert charge[prices == 20].sum() > 1e6 and discharge[prices == 150].sum() > 1e6
    assert np.all(discharge[(prices > 30) & (prices < 100)] == 0)
    # arbitrage never dips into the reserve, nor lifts the draw above the limit
    assert np.all(out.battery_energy.values >= 0.5 * b.energy - 1e-3)
    assert np.all(out.grid_draw.values <= 10e6 + 1e-6)
    assert float(out.price_cheap[0, 0]) == pytest.approx(np.quantile(prices[:24], 0.25))
    # the quantile thresholds agree with arbitrage_thresholds
    thresholds = battery.arbitrage_thresholds(series(prices), b)
    np.testing.assert_array_equal(thresholds.price_dear, out.price_dear)


def test_no_trade_when_the_spread_does_not_pay_for_the_losses():
    prices = np.tile(np.array([100.0] * 12 + [110.0] * 12), 2)
    demand = series(np.full(prices.size, 8e6))
    b = Battery.rated(2e6, 2.0, round_trip_efficiency=0.8, initial_soc=0.5, reserve=0.0)
    out = battery.dispatch(demand, 10e6, b, series(prices), quantiles=(0.25, 0.75))
    assert float(out.battery_discharge.sum()) == 0.0
    assert float(out.battery_charge.sum()) == 0.0


def test_peak_shaving_comes_before_arbitrage():
    prices = _day_prices(1)
    demand = np.full(24, 8e6)
    demand[16:20] = 11e6  # the dear hours are also the peak
    b = Battery.rated(2e6, 3.0, round_trip_efficiency=1.0, standing_loss=0.0, reserve=1.0)
    out = battery.dispatch(series(demand), 10e6, b, series(prices), backend="numpy")
    np.testing.assert_allclose(out.battery_discharge.values[16:20, 0], 1e6)
    assert float(out.over_limit.max()) == 0.0


# -------------------------------------------------------------------- sizing


def test_size_hand_case():
    demand = np.full(24, 10e6)
    demand[10:12] = 12e6  # 2 MW for 2 h: 4 MWh above a 10 MW limit
    out = battery.size(series(demand), 10e6, probability=0.0, durations=(1, 2, 4),
                       battery=lossless(0.0, 0.0), rtol=1e-4)  # fmt: skip
    np.testing.assert_allclose(out.battery_power_rating / 1e6, [4.0, 2.0, 2.0], rtol=2e-4)
    np.testing.assert_allclose(out.battery_energy_rating / MWH, [4.0, 4.0, 8.0], rtol=2e-4)
    assert out.battery_power_rating.attrs["units"] == "W"
    assert out.battery_energy_rating.attrs["units"] == "J"
    assert out["duration"].attrs["units"] == "h"
    assert float(out.over_limit_probability_unmitigated) == 1.0
    assert np.all(out.over_limit_probability == 0.0)


def test_size_at_a_probability_leaves_the_worst_scenarios_out():
    demand = np.full((24, 10), 10e6)
    for k in range(10):
        demand[10:12, k] += (k + 1) * 1e6
    out = battery.size(series(demand), 10e6, probability=0.1, durations=(2.0,),
                       battery=lossless(0, 0), rtol=1e-4)  # fmt: skip
    assert float(out.battery_power_rating[0]) == pytest.approx(9e6, rel=2e-4)
    assert float(out.over_limit_probability[0]) == pytest.approx(0.1)
    none = battery.size(series(demand), 30e6, probability=0.0)
    assert np.all(none.battery_power_rating == 0.0)


def test_size_says_nan_when_no_battery_can_recharge():
    demand = series(np.full(12, 12e6))
    out = battery.size(demand, 10e6, durations=(1.0,), battery=Battery(0, 0, initial_soc=0.0))
    assert bool(out.battery_power_rating.isnull().all())


def test_size_errors_name_the_argument():
    demand = series(np.full(4, 12e6))
    with pytest.raises(ValueError, match=r"^durations:"):
        battery.size(demand, 10e6, durations=(0.0,))
    with pytest.raises(ValueError, match=r"^probability:"):
        battery.size(demand, 10e6, probability=1.5)
    with pytest.raises(TypeError, match=r"^battery:"):
        battery.size(demand, 10e6, battery="big")


def test_demo_twelve_megawatt_contract_with_growing_demand():
    """A 12 MW contract, a hall growing from 8 to 11.5 MW (mean) with a daily swing."""
    hours = np.arange(8760)
    rng = np.random.default_rng(0)
    scenarios = 50
    trend = 8e6 + 3.5e6 * hours / 8760
    daily = 1.2e6 * np.sin(2 * np.pi * (hours - 9) / 24)
    noise = rng.normal(0, 0.3e6, (8760, scenarios))
    demand = xr.DataArray(
        np.clip(trend[:, None] + daily[:, None] + noise, 0, None),
        dims=("time", "scenario"),
        coords={"time": pd.date_range("2026-01-01", periods=8760, freq="1h")},
    )
    out = battery.size(demand, 12e6, probability=0.01, durations=(1, 2, 4), rtol=1e-3)
    assert np.all(np.isfinite(out.battery_power_rating))
    assert np.all(out.over_limit_probability <= 0.01)
    # longer durations need no more power
    assert np.all(np.diff(out.battery_power_rating.values) <= 1e-3 * 2e7)
