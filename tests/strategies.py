"""Hypothesis strategies shared by the tests."""

from __future__ import annotations

import numpy as np
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
