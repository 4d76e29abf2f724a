"""Shiftable load: the scheduler against its LP, energy kept within deadlines, savings."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from powermodel import flexibility, site
from powermodel.flexibility import Flexibility, shift, window_bounds

HOUR = 3600.0


def _one(da) -> float:
    return float(np.asarray(da).item())


def _series(values, start="2026-03-01", freq="1h"):
    values = np.asarray(values, np.float64)
    time = pd.date_range(start, periods=values.shape[0], freq=freq)
    dims = ("time", "scenario")[: values.ndim]
    coords = {"time": time}
    if values.ndim == 2:
        coords["scenario"] = np.arange(values.shape[1])
    return xr.DataArray(values, dims=dims, coords=coords)


def _case(rng, hours=72, scenarios=3, tight=False):
    power = _series(rng.uniform(2e6, 10e6, (hours, scenarios)))
    signal = _series(rng.uniform(-20.0, 300.0, (hours, scenarios)))
    factor = rng.uniform(0.6, 1.2, (hours, scenarios)) if tight else rng.uniform(1.0, 2.0)
    upper = power * factor
    overhead = _series(rng.uniform(1.02, 1.3, (hours, scenarios)))
    return power, signal, upper, overhead


def _placed_cost(out, power, signal, overhead, share):
    fixed = (1.0 - share) * power
    return float(((out["power_shifted"] - fixed) * signal * overhead * HOUR).sum())


@pytest.mark.parametrize("tight", [False, True])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_scheduler_finds_the_lp_optimum(seed, tight):
    """Target of issue 15: within 2 % of the LP's saving; in fact the same optimum."""
    pytest.importorskip("linopy")
    from powermodel.optimal import optimal_shift

    rng = np.random.default_rng(seed)
    power, signal, upper, overhead = _case(rng, tight=tight)
    share = float(rng.uniform(0.1, 0.6))
    fast = shift(power, signal, upper, deferrable_share=share, overhead=overhead)
    exact = optimal_shift(power, signal, upper, deferrable_share=share, overhead=overhead)
    ours = _placed_cost(fast, power, signal, overhead, share)
    assert ours == pytest.approx(float(exact["objective"].sum()), rel=1e-9, abs=1e3)
    # the saving against the unshifted schedule, the yardstick
    before = float((share * power * signal * overhead * HOUR).sum())
    lp_saving = before - float(exact["objective"].sum())
    assert before - ours == pytest.approx(lp_saving, rel=0.02)
    # the LP misses a deadline exactly where the scheduler does
    placed_lp = (exact["power_shifted"] - fast["power_shifted"]).sum("time") * HOUR
    assert np.allclose(placed_lp, 0.0, atol=1e-3 * float(power.max()) * HOUR)


def test_the_docstring_case_by_hand():
    time = pd.date_range("2026-01-01", periods=4, freq="6h")
    load = xr.DataArray(np.full(4, 10e6), dims="time", coords={"time": time})
    price = xr.DataArray([90.0, 40.0, 60.0, 120.0], dims="time", coords={"time": time})
    out = shift(load, price, 20e6, deferrable_share=0.5, window_hours=24)
    # 20 MW-steps deferrable: 15 to the 40 step (room 20 - 5), the other 5 to the 60 step
    assert (out["power_shifted"].squeeze().values / 1e6).tolist() == [5.0, 20.0, 10.0, 5.0]
    assert _one(out["energy_shifted"]) == pytest.approx((10e6 + 0.0) * 6 * HOUR)
    assert _one(out["deadlines_held"]) == 1.0


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**31),
    hours=st.integers(1, 60),
    share=st.floats(0.0, 1.0),
    window=st.sampled_from([1.0, 5.0, 24.0, 36.0]),
    backend=st.sampled_from(["numpy", "numba"]),
)
def test_energy_is_kept_within_each_window(seed, hours, share, window, backend):
    """Balance: each window's energy is kept, less what no step of it could take."""
    rng = np.random.default_rng(seed)
    power, signal, upper, _ = _case(rng, hours=hours, scenarios=2, tight=bool(seed % 2))
    out = shift(power, signal, upper, deferrable_share=share, window_hours=window,
                backend=backend)  # fmt: skip
    shifted = out["power_shifted"].values
    fixed = (1 - share) * power.values
    top = np.maximum(upper.values, fixed)
    scale = float(power.max())
    assert (shifted >= fixed - 1e-9 * scale).all()  # the always-on share stays
    assert (shifted <= top + 1e-6 * scale).all()  # never above what a step can take
    bounds = window_bounds(power["time"].values, window)
    for a, b in itertools.pairwise(bounds):
        before, after = power.values[a:b].sum(0), shifted[a:b].sum(0)
        room = np.maximum(upper.values[a:b] - fixed[a:b], 0).sum(0)
        wanted = share * before
        missed = np.maximum(wanted - room, 0.0)
        np.testing.assert_allclose(before - after, missed, atol=1e-6 * scale * (b - a))
    held, missed = np.asarray(out["deadlines_held"]), np.asarray(out["energy_deadline_missed"])
    assert ((held >= 0) & (held <= 1)).all()
    assert (held[missed > 1e-6 * scale * HOUR * hours] < 1).all()  # a real miss is not held


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31), share=st.floats(0.0, 1.0))
def test_shifting_never_costs_more_than_not_shifting(seed, share):
    rng = np.random.default_rng(seed)
    power, signal, upper, overhead = _case(rng, hours=48, scenarios=2)  # room for all
    out = shift(power, signal, upper, deferrable_share=share, overhead=overhead)
    before = float((power * signal * overhead).sum())
    after = float((out["power_shifted"] * signal * overhead).sum())
    assert after <= before + 1e-9 * abs(before) + 1e-3


def test_deadline_missed_where_the_window_is_full():
    # each step can take only its own load: nothing can move, a 1/3 cap loses the rest
    power = _series(np.full((24, 1), 9e6))
    signal = _series(np.linspace(10, 100, 24)[:, None])
    same = shift(power, signal, power, deferrable_share=0.5)
    np.testing.assert_allclose(same["power_shifted"], power)
    assert _one(same["energy_deadline_missed"]) == pytest.approx(0.0, abs=1.0)
    capped = shift(power, signal, power * 0.6, deferrable_share=0.5)
    # room 0.1 x 9 MW per step against 4.5 MW deferrable per step
    assert _one(capped["energy_deadline_missed"]) == pytest.approx(24 * 0.4 * 9e6 * HOUR)
    assert _one(capped["deadlines_held"]) == 0.0


def test_a_nan_spoils_only_its_own_window():
    power = np.full((48, 1), 5e6)
    power[30] = np.nan
    out = shift(_series(power), _series(np.arange(48.0)[:, None]), 10e6, deferrable_share=0.4)
    values = out["power_shifted"].values[:, 0]
    assert np.isnan(values[24:]).all()
    assert np.isfinite(values[:24]).all()


def test_windows_follow_utc_days_whatever_the_start():
    times = pd.date_range("2026-01-01 22:00", periods=30, freq="1h")
    assert window_bounds(times, 24).tolist() == [0, 2, 26, 30]
    quarter = pd.date_range("2026-01-01 23:00", periods=8, freq="15min")
    assert window_bounds(quarter, 24).tolist() == [0, 4, 8]


def test_savings_count_a_missed_deadline_as_no_saving():
    power = _series(np.full((24, 1), 9e6))
    price = _series(np.linspace(10, 100, 24)[:, None])
    capped = shift(power, price, power * 0.6, deferrable_share=0.5)
    saved = flexibility.savings(power, capped["power_shifted"], 1.0, price, {"location": price})
    # less energy was drawn, but the work not done is charged at its mean price: no gain
    assert _one(saved["cost_saved"]) == pytest.approx(0.0, abs=1e-6)
    moved = shift(power, price, 2 * power, deferrable_share=0.5)
    gain = flexibility.savings(power, moved["power_shifted"], 1.0, price, {"location": price})
    # 4.5 MW x 24 h (108 MWh) moved from the mean price (55) into the cheapest 8 hours,
    # each with 18 - 4.5 = 13.5 MW of room
    cheap = np.linspace(10, 100, 24)[:8].mean()
    assert _one(gain["cost_saved"]) == pytest.approx(108.0 * (55.0 - cheap))
    assert gain["emissions_saved_location"].attrs["units"] == "kg"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"deferrable_share": 1.5}, r"^deferrable_share: must be a number in \[0, 1\]"),
        ({"window_hours": 0.0}, r"^window_hours: "),
        ({"signal": "weather"}, r"^signal: 'weather' is not one of"),
        ({"max_utilization": 0.0}, r"^max_utilization: "),
    ],
)
def test_bad_flexibility_names_the_field(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Flexibility(**kwargs)


def test_bad_inputs_name_the_argument():
    power = _series(np.full((4, 1), 1e6))
    with pytest.raises(ValueError, match=r"^power: 1 negative"):
        shift(power * np.array([[1], [1], [-1], [1]]), 1.0, 2e6, deferrable_share=0.5)
    with pytest.raises(ValueError, match=r"^overhead: must be > 0"):
        shift(power, 1.0, 2e6, deferrable_share=0.5, overhead=0.0)
    with pytest.raises(ValueError, match=r"^deferrable_share: "):
        shift(power, 1.0, 2e6, deferrable_share=-0.1)


def test_the_site_file_keys_are_checked_and_named():
    text = site.text("dra01").replace(
        "[workload.training]",
        "[workload.flexibility]\ndeferrable_share = 2.0\n\n[workload.training]",
    )
    with pytest.raises(site.SiteError, match=r"workload\.flexibility\.deferrable_share"):
        site.loads(text)
    guided = site.text("dra01").replace('rule = "water-values"', 'rule = "guide"').replace(
        "[workload.training]", '[workload.flexibility]\ndeferrable_share = 0.2\n'
        'signal = "water_value"\n\n[workload.training]'
    )  # fmt: skip
    with pytest.raises(site.SiteError, match=r"workload\.flexibility\.signal"):
        site.loads(guided)


def test_simulate_reports_the_savings_on_every_basis():
    from powermodel import simulate

    text = site.text("dra01").replace(
        "[workload.training]",
        '[workload.flexibility]\ndeferrable_share = 0.3\nsignal = "price"\n\n[workload.training]',
    )
    result = simulate.simulate(site.loads(text), scenarios=2, seed=3, periods=72,
                               start="2027-01-01")  # fmt: skip
    for name in simulate.FLEXIBILITY_SUMMARIES:
        assert result[name].dims == ("scenario",), name
        assert "units" in result[name].attrs, name
    assert (result["cost_saved"] >= -1e-6 * result["cost"]).all()
    assert (result["deadlines_held"] == 1.0).all()
    assert (result["energy_shifted"] > 0).all()
    assert result["cost_saved"].attrs["units"] == "NOK"
    plain = simulate.simulate("dra01", scenarios=2, seed=3, periods=72, start="2027-01-01")
    assert "cost_saved" not in plain
    # shifting is reported beside the run: the run itself is unchanged
    np.testing.assert_array_equal(plain["power_facility"], result["power_facility"])


def test_site_swing_limits_are_checked_per_scenario():
    from powermodel import simulate

    text = site.text("dra01") + (
        "\n[swing]\nramp_rate_mw_per_s = 1000.0\nband_low_mw = 0.5\n"
        'mitigation = "smoothing"\nfloor_share = 1.0\n'
    )
    result = simulate.simulate(site.loads(text), scenarios=2, seed=3, periods=48,
                               start="2027-01-01")  # fmt: skip
    # a full floor flattens the swing: the 0.5 MW band limit breaks unmitigated, holds mitigated
    assert (result["swing_band_low"] > 0.5e6).all()
    assert (result["swing_limits_held"] == 0).all()
    assert (result["swing_band_low_mitigated"] < 1e-6 * result["swing_band_low"]).all()
    assert (result["swing_limits_held_mitigated"] == 1).all()
    # the floor burns (1 - duty) x swing for every hour the jobs swing
    assert (result["swing_mitigation_energy"] > 0).all()
    for name in ("swing_band_low", "swing_limits_held", "swing_mitigation_energy"):
        assert "units" in result[name].attrs


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ("ramp_rate_mw_per_s = -1.0", "swing.ramp_rate_mw_per_s"),
        ("job_phases = 0", "swing.job_phases"),
        ('mitigation = "storage"', "swing.mitigation"),
        ('mitigation = "magic"', "swing.mitigation"),
        ("floor_share = 1.5", "swing.floor_share"),
    ],
)
def test_bad_swing_keys_are_named(table, key):
    with pytest.raises(site.SiteError, match=key.replace(".", r"\.")):
        site.loads(site.text("dra01") + f"\n[swing]\n{table}\n")


def _conditional_site(non_firm=10.0, battery_table=""):
    text = site.text("dra01").replace(
        "capacity_mw = 52.0\n", f"capacity_mw = 52.0\nnon_firm_mw = {non_firm}\n"
    )
    return site.loads(text + battery_table)


def test_conditional_connection_and_battery_in_simulate():
    from powermodel import simulate

    store = "\n[battery]\npower_mw = 5.0\nenergy_mwh = 20.0\n"
    offer = _conditional_site(40.0, store)
    result = simulate.simulate(offer, scenarios=3, seed=2, periods=24 * 60, start="2027-01-01")
    for name in simulate.CONNECTION_SUMMARIES:
        assert result[name].dims == ("scenario",), name
        assert "units" in result[name].attrs, name
    # the battery never leaves more above the available capacity than there was
    assert (result["energy_over_available_battery"] <= result["energy_over_available"]).all()
    closed = result["energy_over_available"] - result["energy_over_available_battery"]
    np.testing.assert_allclose(result["energy_closed_by_battery"], closed, rtol=1e-12)
    # the available capacity is the firm part plus the uncurtailed non-firm part
    available = simulate.available_capacity(offer, result["filling"], seed=2)
    assert float(available.min()) >= 12e6 - 1e-6
    assert float(available.max()) <= 52e6 + 1e-6
    # a firm connection makes the contract available, and no summaries appear without the keys
    firm = simulate.available_capacity("dra01", result["filling"], seed=2)
    np.testing.assert_array_equal(firm.isel(scenario=0), result["grid_capacity"])
    plain = simulate.simulate("dra01", scenarios=1, seed=2, periods=24, start="2027-01-01")
    assert "energy_over_available" not in plain


def test_curtailment_is_reproducible_per_scenario_whatever_the_chunking():
    from powermodel import simulate

    offer = _conditional_site(20.0)
    whole = simulate.simulate(offer, scenarios=4, seed=5, periods=24 * 30, start="2027-01-01",
                              keep="summaries")  # fmt: skip
    split = simulate.simulate(offer, scenarios=4, seed=5, periods=24 * 30, start="2027-01-01",
                              keep="summaries", chunk_size=1)  # fmt: skip
    np.testing.assert_array_equal(whole["non_firm_curtailment_hours"],
                                  split["non_firm_curtailment_hours"])  # fmt: skip


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ("\n[battery]\npower_mw = 5.0\n", r"battery\.energy_mwh"),
        ("\n[battery]\npower_mw = 5.0\nenergy_mwh = 2.0\nround_trip_efficiency = 1.5\n",
         r"battery\.round_trip_efficiency"),
        ("\n[grid.curtailment]\ndepth = 2.0\n", r"grid\.curtailment\.depth"),
        ("\n[battery]\npowr_mw = 5.0\n", r"battery\.powr_mw"),
    ],
)  # fmt: skip
def test_bad_battery_and_curtailment_keys_are_named(table, key):
    with pytest.raises(site.SiteError, match=key):
        site.loads(site.text("dra01") + table)


def test_non_firm_beyond_the_capacity_is_named():
    with pytest.raises(site.SiteError, match=r"grid\.phase\[1\]\.non_firm_mw"):
        _conditional_site(60.0)


def test_cli_battery_sizing_and_flexibility_options(capsys):
    from powermodel import cli

    assert cli.main(["battery", "--scenarios", "2", "--hours", "48", "--durations", "1,4"]) == 0
    out = capsys.readouterr().out
    assert "smallest battery per duration" in out and "energy MWh" in out
    code = cli.main(["simulate", "--scenarios", "1", "--hours", "48", "--deferrable-share", "0.2",
                     "--shift-signal", "carbon_marginal"])  # fmt: skip
    assert code == 0
    assert "CO2e saved, marginal" in capsys.readouterr().out
    assert cli.main(["simulate", "--hours", "24", "--deferrable-share", "2"]) == 2
    assert "--deferrable-share: must be" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["battery", "--durations", "0,1"])
