"""The CUDA kernels against the numpy reference.

Runs on a real GPU (cupy arrays) or, in CI, under numba's CUDA simulator
(``NUMBA_ENABLE_CUDASIM=1 pytest -m gpu``), where sizes stay small.
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from conftest import utilization_array
from hypothesis import given
from hypothesis import strategies as st
from strategies import utilization_arrays

from powermodel import catalog, rack
from powermodel.backends import cuda_simulator_enabled, is_cupy_array, to_host

pytestmark = pytest.mark.gpu

TOLERANCE = {np.float64: 1e-6, np.float32: 1e-5}


def on_device(u):
    """The utilisation on the GPU (a cupy array), or as it is under the simulator."""
    if cuda_simulator_enabled():
        return u
    import cupy

    return u.copy(data=cupy.asarray(u.data))


def check(result, reference, dtype):
    for name in reference.data_vars:
        ours, ref = to_host(result[name].data), reference[name].values
        assert np.array_equal(np.isnan(ours), np.isnan(ref)), name
        np.testing.assert_allclose(ours, ref, rtol=TOLERANCE[dtype], atol=1e-3, err_msg=name)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    ("curve", "table"), [("fan_barroso", None), ("table", "hp-proliant-ml110-g4")]
)
@given(data=st.data())
def test_cuda_matches_numpy_reference(dtype, curve, table, data):
    u = utilization_array(data.draw(utilization_arrays(dtype, max_time=4, max_rack=6)), dtype)
    system = data.draw(st.sampled_from(catalog.systems()))
    kwargs = dict(system=system, curve=curve, table=table)
    reference = rack.power(u.astype(np.float64), backend="numpy", **kwargs)
    result = rack.power(on_device(u), backend="cupy", **kwargs)
    assert result.power_total.dtype == dtype
    check(result, reference, dtype)
    facility = rack.facility_power(on_device(u), backend="cupy", **kwargs)
    check(facility, reference.sum("rack", skipna=False), dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cuda_load_curves(dtype):
    u = utilization_array(np.array([[0.0, 0.25, 1.0], [np.nan, 0.5, 0.75]]), dtype)
    for function, args in [(rack.linear, (1.0, 3.0)), (rack.fan_barroso, (1.0, 3.0, 1.4))]:
        result = function(on_device(u), *args, backend="cupy")
        reference = function(u.astype(np.float64), *args, backend="numpy")
        check(result.to_dataset(), reference.to_dataset(), dtype)


def test_cupy_in_cupy_out_and_auto_picks_gpu():
    if cuda_simulator_enabled():
        pytest.skip("needs a real GPU")
    u = on_device(utilization_array(np.full((3, 4), 0.5, np.float32), np.float32))
    result = rack.power(u, "gb200-nvl72")  # backend="auto"
    assert is_cupy_array(result.power_total.data)
    with pytest.raises(TypeError, match="cupy"):
        rack.power(u, backend="numba")


def test_cuda_empty_input():
    # zero scenarios: the launch must not ask for a grid of size 0
    u = xr.DataArray(np.zeros((0, 3)), dims=("scenario", "rack"))
    result = rack.power(on_device(u), backend="cupy")
    assert result.power_total.shape == (0, 3)
    assert rack.facility_power(on_device(u), backend="cupy").power_total.shape == (0,)
