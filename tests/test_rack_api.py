"""Rack power through the public API: backends agree, outputs are labelled, bad input fails."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from conftest import utilization_array
from hypothesis import given
from hypothesis import strategies as st
from strategies import utilization_arrays

from powermodel import catalog, rack
from powermodel.backends import BackendUnavailableError, resolve_backend

TOLERANCE = {np.float64: 1e-6, np.float32: 1e-5}
CURVES = [("linear", None), ("fan_barroso", None), ("table", "ibm-x3550-xeon-x5675")]


def assert_matches_reference(result, reference, dtype):
    for name in reference.data_vars:
        ours, ref = result[name].values, reference[name].values.astype(np.float64)
        assert np.array_equal(np.isnan(ours), np.isnan(ref)), name
        np.testing.assert_allclose(ours, ref, rtol=TOLERANCE[dtype], atol=1e-3, err_msg=name)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("curve", "table"), CURVES)
@given(data=st.data())
def test_numba_matches_numpy_reference(dtype, curve, table, data):
    values = data.draw(utilization_arrays(dtype))
    system = data.draw(st.sampled_from(catalog.systems()))
    u = utilization_array(values, dtype)
    kwargs = dict(system=system, curve=curve, table=table)
    reference = rack.power(u.astype(np.float64), backend="numpy", **kwargs)
    result = rack.power(u, backend="numba", **kwargs)
    assert all(result[name].dtype == dtype for name in rack.BREAKDOWN)
    assert_matches_reference(result, reference, dtype)

    facility = rack.facility_power(u, backend="numba", **kwargs)
    expected = reference.sum("rack", skipna=False)
    assert_matches_reference(facility, expected, dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@given(data=st.data())
def test_load_curves_match_reference(dtype, data):
    u = utilization_array(data.draw(utilization_arrays(dtype)), dtype)
    for function, args in [
        (rack.linear, (200.0, 700.0)),
        (rack.fan_barroso, (200.0, 700.0, 1.4)),
        (rack.spec_table, ("hp-proliant-ml110-g4",)),
    ]:
        ours = function(u, *args, backend="numba")
        ref = function(u.astype(np.float64), *args, backend="numpy")
        assert ours.dtype == dtype
        assert_matches_reference(ours.to_dataset(), ref.to_dataset(), dtype)


@pytest.mark.parametrize("backend", ["numpy", "numba"])
@given(values=utilization_arrays(np.float64, max_time=12), cap=st.floats(0.3, 1.1))
def test_physical_properties(backend, values, cap):
    system = catalog.system("dgx-h100")
    u = utilization_array(values)
    idle, peak = 4 * system.power_idle, system.rack_power_max
    power_cap = idle + cap * (peak - idle)
    p = rack.power(u, system, power_cap=power_cap, backend=backend)
    rack_input = (p.power_it + p.power_fan + p.loss_psu).values
    finite = ~np.isnan(values)
    # NaN stays NaN, in that cell only
    for name in rack.BREAKDOWN:
        assert np.array_equal(np.isnan(p[name].values), ~finite)
    # between idle and max (and the cap) before UPS losses
    assert (rack_input[finite] >= idle * (1 - 1e-9)).all()
    assert (rack_input[finite] <= min(peak, power_cap) * (1 + 1e-9)).all()
    # every loss >= 0, and the total closes
    for name in ("power_fan", "loss_psu", "loss_ups"):
        assert (p[name].values[finite] >= 0).all()
    np.testing.assert_allclose(
        p.power_total.values[finite],
        (p.power_it + p.power_fan + p.loss_psu + p.loss_ups).values[finite],
        rtol=1e-12,
    )


@given(st.lists(st.floats(0.0, 1.0), min_size=2, max_size=40))
def test_power_non_decreasing_in_utilization(levels):
    u = utilization_array(np.sort(np.array(levels)))
    for curve in ("linear", "fan_barroso"):
        total = rack.power(u, "gb200-nvl72", curve=curve, backend="numba").power_total.values[:, 0]
        assert (np.diff(total) >= -1e-9 * total[1:]).all()


def test_outputs_keep_dims_coords_and_units():
    times = pd.date_range("2025-03-01", periods=5, freq="15min")
    u = xr.DataArray(
        np.full((2, 5, 3), 0.5, np.float32),
        dims=("scenario", "time", "rack"),
        coords={"time": times, "rack": ["r1", "r2", "r3"], "scenario": [0, 1]},
    )
    p = rack.power(u, "dgx-h200", backend="numba")
    assert p.power_total.dims == ("scenario", "time", "rack")
    assert list(p.rack.values) == ["r1", "r2", "r3"]
    for name in rack.BREAKDOWN:
        assert p[name].attrs["units"] == "W" and p[name].attrs["long_name"]
    f = rack.facility_power(u, "dgx-h200", backend="numba")
    assert f.power_total.dims == ("scenario", "time")
    assert f.power_total.dtype == np.float64
    flipped = rack.power(u.transpose("rack", "time", "scenario"), "dgx-h200", backend="numba")
    assert flipped.power_total.dims == ("rack", "time", "scenario")  # input order kept
    np.testing.assert_array_equal(flipped.power_total.transpose(*p.power_total.dims), p.power_total)
    s = rack.fan_barroso(u.isel(rack=0), 100.0, 200.0, backend="numba")
    assert s.dims == ("scenario", "time") and s.attrs["units"] == "W"


def test_facility_total_sums_many_racks_in_float64():
    u = utilization_array(np.full((3, 5000), 0.7, np.float32), np.float32)
    per_rack = rack.power(u, "gb200-nvl72", backend="numpy").power_total.values[0, 0]
    total = rack.facility_power(u, "gb200-nvl72", backend="numba").power_total.values
    np.testing.assert_allclose(total, 5000 * float(per_rack), rtol=2e-7)


def test_per_rack_power_cap():
    u = utilization_array(np.ones((2, 3)))
    cap = xr.DataArray([np.inf, 30000.0, 20000.0], dims="rack", coords={"rack": [0, 1, 2]})
    p = rack.power(u, "dgx-h100", power_cap=cap, backend="numba")
    rack_input = (p.power_it + p.power_fan + p.loss_psu).values[0]
    np.testing.assert_allclose(rack_input, [40800.0, 30000.0, 20000.0], rtol=1e-9)


def test_utilization_out_of_range_names_argument_and_count():
    u = utilization_array([[0.5, 1.2], [-0.1, 0.3], [np.nan, 2.0]])
    with pytest.raises(ValueError, match=r"utilization: 3 values outside \[0, 1\]"):
        rack.power(u, backend="numba")
    clipped = rack.power(u, clip=True, backend="numba").power_total.values
    at_one = rack.power(utilization_array([[1.0]]), backend="numba").power_total.values[0, 0]
    assert clipped[0, 1] == pytest.approx(at_one)
    assert np.isnan(clipped[2, 0])


def test_bad_inputs_have_clear_errors():
    u = utilization_array([[0.5, 0.5]])
    with pytest.raises(KeyError, match=r"known systems: .*dgx-h100"):
        rack.power(u, "h100-typo")
    with pytest.raises(TypeError, match=r"utilization: expected an xarray\.DataArray"):
        rack.power(np.ones((2, 2)))
    with pytest.raises(TypeError, match="dtype"):
        rack.power(u.astype(np.complex128))
    with pytest.raises(ValueError, match="power_cap: its 'rack' coordinate does not match"):
        rack.power(u, power_cap=xr.DataArray([1e5, 1e5], dims="rack", coords={"rack": [5, 6]}))
    with pytest.raises(ValueError, match="power_cap: 2 racks have a cap below"):
        rack.power(u, power_cap=100.0)
    with pytest.raises(ValueError, match="exponent"):
        rack.fan_barroso(u, 1.0, 2.0, exponent=0.5)
    with pytest.raises(ValueError, match="curve"):
        rack.power(u, curve="cubic")
    with pytest.raises(ValueError, match="backend"):
        rack.power(u, backend="tpu")
    irregular = utilization_array(np.full((3, 1), 0.5)).assign_coords(
        time=pd.to_datetime(["2025-01-01 00:00", "2025-01-01 01:00", "2025-01-01 03:00"])
    )
    with pytest.raises(ValueError, match="time: not evenly spaced"):
        rack.power(irregular)


def test_cupy_backend_unavailable_is_an_error(monkeypatch):
    monkeypatch.delenv("NUMBA_ENABLE_CUDASIM", raising=False)
    import powermodel.backends as backends

    monkeypatch.setattr(backends, "_gpu_problem", lambda: "no CUDA device found")
    with pytest.raises(BackendUnavailableError, match="no CUDA device found"):
        resolve_backend("cupy", np.ones(3))
    assert resolve_backend("auto", np.ones(3)) == "numba"


def test_strings_in_numeric_parameters_name_the_argument():
    u = xr.DataArray(np.full((3, 2), 0.5), dims=("time", "rack"))
    with pytest.raises(TypeError, match="power_cap: expected a number"):
        rack.power(u, "gb200-nvl72", power_cap="big")
    from powermodel import hydro

    with pytest.raises(TypeError, match="capacity: expected a number, got 'big'"):
        hydro.Reservoir(capacity="big")


def test_zero_racks_give_empty_results():
    u = xr.DataArray(np.zeros((3, 0)), dims=("time", "rack"))
    out = rack.power(u, "gb200-nvl72", backend="numba")
    assert out["power_total"].shape == (3, 0)
