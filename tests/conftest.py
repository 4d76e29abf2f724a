"""Shared fixtures: backends, hypothesis profiles, the gpu marker."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import HealthCheck, settings

from powermodel.backends import cuda_simulator_enabled

settings.register_profile(
    "default", deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow]
)
# CI draws the same examples every run (derandomize): a red CI then always means the
# change, and a new random example is found locally, not by a submission's CI.
settings.register_profile(
    "ci",
    deadline=None,
    max_examples=40,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# The CUDA simulator runs each thread as Python: keep examples few and small.
settings.register_profile(
    "cudasim", deadline=None, max_examples=8, suppress_health_check=[HealthCheck.too_slow]
)
if cuda_simulator_enabled():
    settings.load_profile("cudasim")
else:
    settings.load_profile("ci" if os.environ.get("CI") else "default")

CPU_BACKENDS = ["numpy", "numba"]


def _cuda_usable() -> bool:
    if cuda_simulator_enabled():
        return True
    from powermodel.backends import gpu_available

    return gpu_available()


def pytest_collection_modifyitems(config, items):
    if _cuda_usable():
        return
    skip = pytest.mark.skip(reason="no CUDA device (set NUMBA_ENABLE_CUDASIM=1 to simulate)")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(params=CPU_BACKENDS)
def cpu_backend(request):
    """Each CPU backend in turn."""
    return request.param


def utilization_array(values, dtype=np.float64, freq="1h") -> xr.DataArray:
    """A (time, rack) utilisation DataArray on a regular UTC grid."""
    values = np.asarray(values, dtype)
    if values.ndim == 1:
        values = values[:, None]
    times = pd.date_range("2025-01-01", periods=values.shape[0], freq=freq)
    return xr.DataArray(
        values,
        dims=("time", "rack"),
        coords={"time": times, "rack": np.arange(values.shape[1])},
    )
