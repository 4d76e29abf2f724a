"""Carbon intensity of the zone's imports, of its generation and of its supplied mix."""

from importlib import resources

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import series

from powermodel import carbon, zone
from powermodel.backends import numpy_zone
from powermodel.backends.physics import ZoneParameters
from powermodel.kernels import zone as zone_kernels
from powermodel.timegrid import time_grid

DATA = resources.files("powermodel.data")
SAMPLE = DATA / "carbon_electricitymaps_sample.csv"
NO2 = zone.load("NO2")


def test_default_import_intensity_is_the_capacity_weighted_mix():
    """NO2's cables: Skagerrak 1700 MW (DK1 152), NorNed 700 (NL 270), NordLink 1400
    (DE 381), NSL 1400 MW (GB 240 g/kWh)."""
    times = time_grid("2025-01-01", periods=5)
    expected = (1700 * 152 + 700 * 270 + 1400 * 381 + 1400 * 240) / 5200
    values = carbon.import_intensity(carbon.neighbours("NO2"), times)
    np.testing.assert_allclose(values, expected)
    assert NO2.carbon_import == pytest.approx(expected)


def test_a_neighbours_series_replaces_its_figure_hourly_and_monthly():
    times = time_grid("2025-01-31 22:00", periods=4)
    ours = carbon.neighbours("NO2")
    hourly = xr.DataArray(np.array([100.0, 200.0, 300.0, 400.0]), dims="time",
                          coords={"time": times})  # fmt: skip
    base = carbon.import_intensity(ours, times)
    share = 1400 / 5200
    got = carbon.import_intensity(ours, times, {"DE": hourly})
    np.testing.assert_allclose(got, base + share * (hourly.values - 381.0))
    # monthly values are held over their month
    months = pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"])
    monthly = xr.DataArray([100.0, 500.0, 0.0], dims="time", coords={"time": months})
    got = carbon.import_intensity(ours, times, {"DE": monthly})
    np.testing.assert_allclose(got, base + share * (np.array([100, 100, 500, 500]) - 381.0))
    # NaN stays NaN
    gap = hourly.copy(data=[100.0, np.nan, 300.0, 400.0])
    assert np.isnan(carbon.import_intensity(ours, times, {"DE": gap})[1])


def test_import_intensity_errors_name_the_series():
    times = time_grid("2025-01-01", periods=48)
    ours = carbon.neighbours("NO2")
    short = xr.DataArray(np.ones(24), dims="time", coords={"time": times[:24]})
    with pytest.raises(ValueError, match=r"series\['DE'\]: covers"):
        carbon.import_intensity(ours, times, {"DE": short})
    with pytest.raises(ValueError, match=r"no interconnector to \['SE3'\]"):
        carbon.import_intensity(ours, times, {"SE3": short})


def test_read_electricitymaps_sample(tmp_path):
    lca = carbon.read_electricitymaps(SAMPLE)
    direct = carbon.read_electricitymaps(SAMPLE, basis="direct")
    assert lca.attrs["units"] == "g kWh-1"
    assert lca.sizes["time"] == 120
    assert lca.time.values[0] == np.datetime64("2025-10-24T00:00")
    assert bool((direct < lca).all())  # combustion only is below the life cycle
    plain = tmp_path / "plain.csv"
    plain.write_text("time,carbon_intensity\n2025-01-01T00:00Z,100\n2025-01-01T01:00Z,120\n")
    np.testing.assert_allclose(carbon.read_electricitymaps(plain).values, [100, 120])
    bad = tmp_path / "bad.csv"
    bad.write_text("when,co2\n2025-01-01,1\n")
    with pytest.raises(ValueError, match=r"bad\.csv: needs columns"):
        carbon.read_electricitymaps(bad)
    negative = tmp_path / "negative.csv"
    negative.write_text("time,carbon_intensity\n2025-01-01T00:00Z,-1\n")
    with pytest.raises(ValueError, match="negative"):
        carbon.read_electricitymaps(negative)
    with pytest.raises(ValueError, match="basis"):
        carbon.read_electricitymaps(SAMPLE, basis="average")


flows = st.floats(0, 5e9, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(hydro=flows, ror=st.floats(0, 1e9), imports=flows, ci_import=st.floats(0, 900))
def test_emissions_close_and_intensities_are_mixes(hydro, ror, imports, ci_import):
    """Emissions balance: CI_loc x supply = CI_hydro (hydro + ror) + CI_mr must-run + CI_imp
    imports; CI_loc lies between the cleanest and the dirtiest source; without imports it is
    the production-based figure. The physics and the numpy oracle agree."""
    p = NO2.packed()
    args = (0.6, 0.6, hydro, ror, imports, 0.0, ci_import)
    _, location, production = zone_kernels.zone_outcomes(p, *args)
    oracle = numpy_zone.zone_outcomes(p, *(np.float64(a) for a in args))
    assert location == pytest.approx(float(oracle["carbon_intensity_location"]), rel=1e-12)
    assert production == pytest.approx(float(oracle["carbon_intensity_production"]), rel=1e-12)
    supply = hydro + ror + NO2.must_run + imports
    emitted = NO2.carbon_domestic * (hydro + ror) + NO2.carbon_must_run * NO2.must_run
    assert location * supply == pytest.approx(emitted + ci_import * imports, rel=1e-9)
    sources = [NO2.carbon_domestic, NO2.carbon_must_run] + ([ci_import] if imports > 0 else [])
    assert min(sources) - 1e-9 <= location <= max(sources) + 1e-9
    assert min(NO2.carbon_domestic, NO2.carbon_must_run) - 1e-9 <= production
    if imports == 0:
        assert location == pytest.approx(production)


def test_nan_import_intensity_poisons_the_step():
    p = NO2.packed()
    out = zone_kernels.zone_outcomes(p, 0.6, 0.6, 1e9, 1e8, 1e9, 0.0, float("nan"))
    assert all(np.isnan(v) for v in out)


def test_supply_takes_the_neighbours_series():
    """zone.supply with a neighbour's hourly series: the imports' intensity follows it."""
    zero = NO2.replace(must_run=0.0, run_of_river_share=0.0, planned_export=0.0)
    hours = 24
    temp = series(np.full(hours, 5.0))
    times = pd.DatetimeIndex(temp.time.values)
    de = xr.DataArray(np.linspace(100, 600, hours), dims="time", coords={"time": times})
    dry = series(np.zeros(hours))  # no water: everything imported
    out = zone.supply(zero, temp, dry, initial_filling=0.0, import_carbon={"DE": de})
    expected = carbon.import_intensity(zero.neighbours, times, {"DE": de})
    np.testing.assert_allclose(out.carbon_import.values[:, 0], expected)
    np.testing.assert_allclose(out.carbon_intensity_location.values[:, 0], expected)
    assert out.carbon_intensity_production.attrs["units"] == "g kWh-1"
    # or the imports' intensity itself
    flat = zone.supply(zero, temp, dry, initial_filling=0.0, import_carbon=temp * 0 + 50.0)
    np.testing.assert_allclose(flat.carbon_intensity_location, 50.0)
    with pytest.raises(ValueError, match="import_carbon"):
        zone.supply(zero, temp, dry, initial_filling=0.0, import_carbon=temp * 0 - 1.0)


def test_zone_parameters_record_has_no_import_intensity():
    """The imports' intensity is a per-step input now, not a constant parameter."""
    assert "carbon_import" not in ZoneParameters._fields
    assert "carbon_import" in zone_kernels.zone_outcomes.__code__.co_varnames
