"""Moist air properties against PsychroLib and ASHRAE tables; backends; bad input."""

from __future__ import annotations

import numpy as np
import psychrolib
import pytest
import xarray as xr
from hypothesis import given
from hypothesis import strategies as st

from powermodel.backends import cuda_simulator_enabled, to_host
from powermodel.kernels.psychrometrics import saturation_vapor_pressure
from powermodel.psychrometrics import OUTPUTS, moist_air

psychrolib.SetUnitSystem(psychrolib.SI)
psychrolib.PSYCHROLIB_TOLERANCE = 1e-10  # its bisections, tightened to compare exactly


def reference(temp, rh, pressure):
    """PsychroLib's values (ASHRAE Handbook - Fundamentals 2017, ch. 1)."""
    w = psychrolib.GetHumRatioFromRelHum(temp, rh / 100, pressure)
    return {
        "vapor_pressure": psychrolib.GetVapPresFromRelHum(temp, rh / 100),
        "humidity_ratio": w,
        "temp_dew": psychrolib.GetTDewPointFromRelHum(temp, rh / 100),
        "temp_wet_bulb": psychrolib.GetTWetBulbFromRelHum(temp, rh / 100, pressure),
        "enthalpy": psychrolib.GetMoistAirEnthalpy(temp, w),
        "air_density": psychrolib.GetMoistAirDensity(temp, w, pressure),
    }


@pytest.mark.parametrize(
    ("temp", "kilopascal"),
    # ASHRAE Handbook - Fundamentals (2017), ch. 1, Table 3: saturation pressure
    [(-20.0, 0.10326), (0.0, 0.61121), (20.0, 2.3393), (40.0, 7.3849)],
)
def test_saturation_pressure_ashrae_table(temp, kilopascal):
    assert saturation_vapor_pressure(temp) / 1000 == pytest.approx(kilopascal, rel=5e-4)


@pytest.mark.parametrize("backend", ["numpy", "numba"])
@given(
    temp=st.floats(-40.0, 50.0),
    rh=st.floats(1.0, 100.0),
    pressure=st.floats(80_000.0, 106_000.0),
)
def test_matches_psychrolib(backend, temp, rh, pressure):
    ours = moist_air(xr.DataArray([temp]), rh, pressure, backend=backend)
    expected = reference(temp, rh, pressure)
    for name in OUTPUTS:
        value = float(ours[name][0])
        if name.startswith("temp_"):
            assert value == pytest.approx(expected[name], abs=1e-7), name
        else:
            assert value == pytest.approx(expected[name], rel=1e-9), name


@given(temp=st.floats(-30.0, 45.0), rh=st.floats(0.0, 100.0))
def test_dew_wet_dry_ordering(temp, rh):
    air = moist_air(xr.DataArray([temp]), rh, backend="numba")
    dew, wet = float(air.temp_dew[0]), float(air.temp_wet_bulb[0])
    assert dew <= wet + 1e-9 and wet <= temp + 1e-9


def test_saturated_air_has_equal_temperatures():
    air = moist_air(xr.DataArray([-5.0, 12.0, 30.0]), 100.0, backend="numba")
    np.testing.assert_allclose(air.temp_dew, [-5.0, 12.0, 30.0], atol=1e-8)
    np.testing.assert_allclose(air.temp_wet_bulb, [-5.0, 12.0, 30.0], atol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_numba_matches_numpy_with_nan(dtype):
    temp = xr.DataArray(np.array([-25.0, 0.0, 0.01, 18.5, 41.0, np.nan], dtype), dims="time")
    rh = xr.DataArray([5.0, 50.0, 80.0, np.nan, 99.0, 40.0], dims="time")
    ref = moist_air(temp.astype(np.float64), rh, backend="numpy")
    ours = moist_air(temp, rh, backend="numba")
    for name in OUTPUTS:
        assert ours[name].dtype == dtype and ours[name].attrs["units"]
        tolerance = dict(rtol=2e-5, atol=2e-3) if dtype == np.float32 else dict(rtol=1e-9)
        np.testing.assert_allclose(ours[name], ref[name], **tolerance, err_msg=name)
    for name in OUTPUTS:  # NaN in temperature or humidity: NaN in that element only
        assert np.isnan(ours[name].values[[3, 5]]).all()
        assert not np.isnan(ours[name].values[:3]).any()


def test_bad_input():
    with pytest.raises(ValueError, match=r"relative_humidity: 2 values outside \[0, 100\]"):
        moist_air(xr.DataArray([20.0, 20.0]), xr.DataArray([101.0, -1.0]))
    with pytest.raises(ValueError, match="temp_air: 1 values outside"):
        moist_air(xr.DataArray([250.0]), 50.0)
    with pytest.raises(ValueError, match="pressure"):
        moist_air(xr.DataArray([20.0]), 50.0, pressure=0.0)
    with pytest.raises(TypeError, match="relative_humidity"):
        moist_air(xr.DataArray([20.0]), "humid")


@pytest.mark.gpu
def test_cuda_matches_numpy():
    temp = xr.DataArray(np.array([-25.0, 0.0, 18.5, 41.0, np.nan]), dims="time")
    if not cuda_simulator_enabled():
        import cupy

        temp = temp.copy(data=cupy.asarray(temp.data))
    ours = moist_air(temp, 60.0, backend="cupy")
    ref = moist_air(xr.DataArray(np.array([-25.0, 0.0, 18.5, 41.0, np.nan]), dims="time"), 60.0,
                    backend="numpy")  # fmt: skip
    for name in OUTPUTS:
        values = to_host(ours[name].data)
        np.testing.assert_allclose(values, ref[name], rtol=1e-9, err_msg=name)
