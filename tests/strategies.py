"""Hypothesis strategies and small fixtures shared by the tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


def utilization_values(width: int = 64):
    """Utilisation in [0, 1], with the edges, tiny values and NaN drawn often."""
    return st.one_of(
        st.floats(0.0, 1.0, allow_nan=False, width=width),
        st.sampled_from([0.0, 1.0, float("nan"), 1e-30, 0.5]),
    )


def utilization_arrays(dtype=np.float64, max_time=6, max_rack=9):
    """(time, rack) arrays of utilisation values of ``dtype``."""
    dtype = np.dtype(dtype)
    shapes = st.tuples(st.integers(1, max_time), st.integers(1, max_rack))
    return hnp.arrays(dtype, shapes, elements=utilization_values(8 * dtype.itemsize))


def series(values, start="2025-01-01", freq="1h") -> xr.DataArray:
    """A (time, scenario) DataArray on an hourly UTC grid; 1-D values are one scenario."""
    values = np.asarray(values, np.float64)
    if values.ndim == 1:
        values = values[:, None]
    times = pd.date_range(start, periods=values.shape[0], freq=freq)
    return xr.DataArray(
        values,
        dims=("time", "scenario"),
        coords={"time": times, "scenario": np.arange(values.shape[1])},
    )
