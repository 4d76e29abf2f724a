"""EU Energy Efficiency Directive indicators (Delegated Regulation (EU) 2024/1364), by hand."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from powermodel import reporting

GWH = 3.6e12


def _summaries(facility, it, water_l, reused):
    return xr.Dataset(
        {
            "energy_facility": ("scenario", np.asarray(facility, float)),
            "energy_it": ("scenario", np.asarray(it, float)),
            "water_use_total": ("scenario", np.asarray(water_l, float)),
            "heat_recovered_energy": ("scenario", np.asarray(reused, float)),
        },
        coords={"scenario": np.arange(len(facility))},
    )


def test_a_hall_by_hand():
    """100 GWh IT, 112 GWh facility, 18,000 m3 of water, 30 GWh of heat reused, 56 GWh GOs."""
    out = reporting.eed_indicators(
        _summaries([112 * GWH], [100 * GWH], [18e6], [30 * GWH]), renewable=56 * GWH
    )
    assert out["pue"].item() == pytest.approx(1.12)
    assert out["wue"].item() == pytest.approx(18e6 / 100e6)  # L per kWh of IT: 0.18
    assert out["energy_reuse_factor"].item() == pytest.approx(30 / 112)
    assert out["renewable_energy_factor"].item() == pytest.approx(0.5)
    assert out["wue"].attrs["units"] == "L kWh-1"
    assert out["renewable_energy_factor"].attrs["units"] == "1"


def test_renewable_energy_is_counted_up_to_the_facility_energy_and_per_scenario():
    result = _summaries([10 * GWH, 20 * GWH], [8 * GWH, 16 * GWH], [0, 0], [0, 0])
    renewable = xr.DataArray([30 * GWH, 5 * GWH], dims="scenario")
    out = reporting.eed_indicators(result, renewable=renewable)
    np.testing.assert_allclose(out["renewable_energy_factor"], [1.0, 0.25])
    np.testing.assert_allclose(out["energy_renewable"], [10 * GWH, 5 * GWH])
    # no certificates: a hydro grid's physical mix does not count
    assert (reporting.eed_indicators(result)["renewable_energy_factor"] == 0).all()


def test_nan_propagates_and_zero_it_energy_gives_nan():
    out = reporting.eed_indicators(_summaries([np.nan, 1.0], [0.0, 0.0], [1.0, 1.0], [0.0, 0.0]))
    assert np.isnan(out["pue"]).all() and np.isnan(out["wue"]).all()
    assert np.isnan(out["energy_reuse_factor"].values[0])


def test_the_simulation_pue_is_the_eed_pue():
    from powermodel import simulate

    result = simulate.simulate("dra01", 2, periods=24, keep="summaries")
    out = reporting.eed_indicators(result)
    np.testing.assert_allclose(out["pue"], result["pue"], rtol=1e-12)


def test_bad_inputs_are_named():
    one = _summaries([1.0], [1.0], [1.0], [1.0])
    with pytest.raises(ValueError, match=r"^result: has no water_use_total"):
        reporting.eed_indicators(one.drop_vars("water_use_total"))
    with pytest.raises(ValueError, match=r"^renewable: must be >= 0 J"):
        reporting.eed_indicators(one, renewable=-1.0)
    with pytest.raises(TypeError, match=r"^result: expected an xarray.Dataset"):
        reporting.eed_indicators({"energy_it": 1.0})
