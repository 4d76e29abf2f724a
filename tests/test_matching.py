"""Hourly matching (24/7 CFE score), volumetric matching and both carbon bases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from strategies import series

from powermodel import matching

HOUR = 3600.0


def test_a_surplus_hour_does_not_cover_a_short_one():
    """Load 10 MW for two hours, PPA 20 MW then 0: half matched hourly, all annually."""
    load = series([10e6, 10e6])
    out = matching.match(load, series([20e6, 0.0]), grid_cfe=0.5, carbon_location=20.0)
    assert out["matched_share_hourly"].item() == pytest.approx(0.5)
    assert out["matched_share_annual"].item() == pytest.approx(1.0)
    # the grid carries half of the second hour's 10 MWh carbon-free: (10 + 5) / 20
    assert out["cfe_score"].item() == pytest.approx(0.75)
    assert out["energy_contract_surplus"].item() == pytest.approx(10e6 * HOUR)
    # 20 MWh at 20 g/kWh = 400 kg; market-based: annual all covered, hourly 10 MWh x 402 g/kWh
    assert out["emissions_location"].item() == pytest.approx(400.0)
    assert out["emissions_market"].item() == pytest.approx(0.0)
    assert out["emissions_market_hourly"].item() == pytest.approx(10e3 * 402.0 / 1e3)
    assert out["cfe_score"].attrs["units"] == "1"
    assert out["emissions_market"].attrs["units"] == "kg"


def test_guarantees_of_origin_match_volumetrically_only():
    load = series([10e6, 10e6, 10e6, 10e6])  # 40 MWh
    out = matching.match(load, go_volume=30e6 * HOUR, residual_mix=100.0)
    assert out["matched_share_hourly"].item() == 0.0
    assert out["matched_share_annual"].item() == pytest.approx(0.75)
    assert out["emissions_market"].item() == pytest.approx(10e3 * 100.0 / 1e3)  # 10 MWh left
    assert out["emissions_market_hourly"].item() == pytest.approx(40e3 * 100.0 / 1e3)
    assert np.isnan(out["emissions_location"].item())  # no location intensity given


def test_a_ppa_on_another_grid_is_held_and_scenarios_stay_apart():
    times = pd.date_range("2025-01-01", periods=4, freq="15min")
    load = xr.DataArray(
        [[4e6, 8e6]] * 4, dims=("time", "scenario"), coords={"time": times, "scenario": [0, 1]}
    )
    stamps = pd.date_range("2025-01-01", periods=2, freq="1h")
    hourly = xr.DataArray([6e6, 0.0], dims="time", coords={"time": stamps})
    out = matching.match(load, hourly)
    np.testing.assert_allclose(out["matched_share_hourly"], [1.0, 0.75])
    assert list(out["scenario"].values) == [0, 1]


def test_nan_propagates_and_zero_load_has_no_share():
    out = matching.match(series([[1e6, 1e6], [np.nan, 1e6]]), 1e6)
    assert np.isnan(out["cfe_score"].values[0]) and out["cfe_score"].values[1] == 1.0
    assert np.isnan(matching.match(series([0.0, 0.0]), 1e6)["matched_share_hourly"].item())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"ppa": -1.0}, r"^ppa: 1 values are not >= 0 W"),
        ({"go_volume": -1.0}, r"^go_volume: must be a finite number >= 0"),
        ({"grid_cfe": 1.5}, r"^grid_cfe: 1 values are not in \[0, 1\]"),
        ({"residual_mix": float("nan")}, r"^residual_mix: must be a finite number >= 0"),
        ({"ppa": series([1.0, 2.0, 3.0], start="2030-01-01")}, r"^ppa: covers"),
        ({"ppa": series(np.ones((2, 3)))}, r"^ppa: shape"),
    ],
)
def test_bad_inputs_name_the_argument(kwargs, message):
    with pytest.raises(ValueError, match=message):
        matching.match(series([1e6, 1e6]), **kwargs)


def test_bad_load_is_named():
    with pytest.raises(ValueError, match=r"^load: 1 values are not >= 0 W"):
        matching.match(series([-1.0, 1.0]))
    with pytest.raises(TypeError, match=r"^load: expected an xarray.DataArray"):
        matching.match([1.0, 2.0])


def test_breakdown_adds_up_to_the_load():
    load = series([[5e6, 1e6], [2e6, 3e6], [0.0, 4e6]])
    parts = matching.breakdown(load, series([[3e6, 3e6], [3e6, 3e6], [3e6, 3e6]]), grid_cfe=0.4)
    total = parts["power_matched"] + parts["power_grid_cfe"] + parts["power_not_cfe"]
    np.testing.assert_allclose(total, load)
    np.testing.assert_allclose(parts["power_grid_cfe"].values[:, 0], [0.8e6, 0.0, 0.0])


# ----------------------------------------------------------------------- properties

_power = st.floats(0.0, 50e6, allow_nan=False)


@st.composite
def _cases(draw):
    steps = draw(st.integers(1, 48))
    scenarios = draw(st.integers(1, 3))
    shape = (steps, scenarios)
    load = draw(hnp.arrays(np.float64, shape, elements=_power))
    ppa = draw(hnp.arrays(np.float64, shape, elements=_power))
    green = draw(hnp.arrays(np.float64, shape, elements=st.floats(0.0, 1.0)))
    go = draw(st.floats(0.0, 1e12))
    return load, ppa, green, go


@given(_cases())
def test_hourly_never_beats_volumetric_and_all_shares_are_fractions(case):
    load, ppa, green, go = case
    out = matching.match(series(load), series(ppa), go_volume=go, grid_cfe=series(green))
    valid = load.sum(axis=0) > 0
    hourly = out["matched_share_hourly"].values[valid]
    annual = out["matched_share_annual"].values[valid]
    cfe = out["cfe_score"].values[valid]
    tol = 1e-12
    for share in (hourly, annual, cfe):
        assert ((share >= -tol) & (share <= 1 + tol)).all()
    assert (hourly <= annual + tol).all()
    assert (hourly <= cfe + tol).all()
    # the contract's energy is matched, or its surplus is, never more
    np.testing.assert_allclose(
        out["energy_matched_hourly"] + out["energy_contract_surplus"],
        ppa.sum(axis=0) * HOUR,
        rtol=1e-12,
        atol=1e-3,
    )


@given(
    st.floats(1.0, 50e6),
    st.floats(0.0, 2.0),
    st.integers(1, 48),
    st.floats(0.0, 1.0),
)
def test_flat_supply_matches_hourly_as_volumetrically(load_w, ratio, steps, green):
    load = series(np.full(steps, load_w))
    out = matching.match(load, ratio * load_w, grid_cfe=green)
    expected = min(1.0, ratio)
    assert out["matched_share_hourly"].item() == pytest.approx(expected, rel=1e-12)
    assert out["matched_share_annual"].item() == pytest.approx(expected, rel=1e-12)
    assert out["cfe_score"].item() == pytest.approx(expected + green * (1 - expected), abs=1e-12)


def test_from_result_uses_served_hydro_share_and_prorates_guarantees():
    times = pd.date_range("2025-01-01", periods=24, freq="1h")
    dims = ("time", "scenario")
    result = xr.Dataset(
        {
            "served": (dims, np.full((24, 1), 10e6)),
            "hydro_fraction": (dims, np.full((24, 1), 0.9)),
            "carbon_intensity": (dims, np.full((24, 1), 30.0)),
        },
        coords={"time": times, "scenario": [7]},
        attrs={"carbon_basis": "location"},
    )
    # 8760 MWh per year: 24 MWh for a day, against the day's 240 MWh
    out = matching.from_result(result, go_per_year=8760e6 * HOUR)
    assert out["matched_share_annual"].item() == pytest.approx(0.1)
    assert out["cfe_score"].item() == pytest.approx(0.9)
    assert out["emissions_location"].item() == pytest.approx(240e3 * 30.0 / 1e3)
    assert "lower bound" in matching.grid_cfe(result).attrs["basis"]
    market = result.assign_attrs(carbon_basis="market")
    assert matching.from_result(market).attrs["residual_mix_g_per_kwh"] == 30.0
    with pytest.raises(ValueError, match=r"^result: has no hourly 'served'"):
        matching.from_result(result.drop_vars("served"))
