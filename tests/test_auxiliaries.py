"""Facility auxiliaries: hand values, defaults and their scaling, NaN, the site's PUE."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from powermodel import auxiliaries, site
from powermodel.auxiliaries import Auxiliaries


def test_hand_values():
    aux = Auxiliaries(
        transformer_sizing=2.0, transformer_no_load_fraction=0.001, lighting_w_per_m2=5.0,
        floor_area_m2_per_rack=6.0, building_w_per_design_w=0.004, humidification_w=1e3,
        cdu_pump_ratio=0.01,
    )  # fmt: skip
    heat = xr.DataArray([0.0, 8e6, np.nan], dims="time")
    on = xr.DataArray([0.0, 1.0, 1.0], dims="time")
    out = auxiliaries.auxiliary_power(heat, on, aux, design_load=10e6, racks=100, backend="numba")
    # before any rack is in service nothing is energised; then P0 = 0.001 x 2 x 10 MW = 20 kW,
    # lighting 5 W/m2 x 600 m2 = 3 kW, building 40 kW, humidity 1 kW, CDU pumps 1 % of 8 MW
    assert out.power_auxiliaries.values[0] == 0.0
    np.testing.assert_allclose(out.power_transformer_no_load.values[1], 20e3)
    np.testing.assert_allclose(out.power_lighting.values[1], 3e3)
    np.testing.assert_allclose(out.power_building.values[1], 40e3)
    np.testing.assert_allclose(out.power_cdu_pumps.values[1], 80e3)
    np.testing.assert_allclose(out.power_auxiliaries.values[1], 20e3 + 3e3 + 40e3 + 1e3 + 80e3)
    assert np.isnan(out.power_auxiliaries.values[2])  # NaN stays NaN
    assert out.power_auxiliaries.attrs["units"] == "W"


def test_defaults_scale_with_the_site():
    small = Auxiliaries().packed(design_load=12e6, racks=86)
    large = Auxiliaries().packed(design_load=52e6, racks=376)
    assert large.transformer_no_load / small.transformer_no_load == pytest.approx(52 / 12)
    assert large.lighting / small.lighting == pytest.approx(376 / 86)


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"cdu_pump_ratio": -0.1}, ValueError, "cdu_pump_ratio: must be a finite number >= 0"),
        ({"lighting_w_per_m2": float("nan")}, ValueError, "lighting_w_per_m2"),
        ({"transformer_sizing": "big"}, TypeError, "transformer_sizing: expected a number"),
    ],
)
def test_bad_parameters_are_named(change, error, match):
    with pytest.raises(error, match=match):
        Auxiliaries(**change)


def test_a_site_file_sets_them():
    text = site.text("dra01") + "\n[auxiliaries]\nbuilding_w_per_design_w = 0.0\n"
    assert site.loads(text, name="t.toml").auxiliaries.building_w_per_design_w == 0.0
    with pytest.raises(site.SiteError, match=r"t\.toml: auxiliaries\.humidification_w"):
        site.loads(text + "humidification_w = -1.0\n", name="t.toml")


def test_bad_site_sizes_are_named():
    with pytest.raises(TypeError, match="design_load: expected a number"):
        Auxiliaries().packed(design_load="12 MW", racks=10)
    with pytest.raises(ValueError, match="racks: must be an integer >= 0"):
        Auxiliaries().packed(design_load=12e6, racks=2.5)
