"""The vectorisable pow of the CPU kernels against libm."""

from __future__ import annotations

import math

import numba
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from powermodel.backends._codegen import CPU_JIT_OPTIONS, compile_physics
from powermodel.backends._fastmath import POW_UNIT_CPU_MAX_RELATIVE_ERROR, _pow_unit_cpu
from powermodel.kernels.fastmath import pow_unit


def _vector_pow(precision):
    pow_cpu = compile_physics(pow_unit, "cpu", precision)

    @numba.njit(**CPU_JIT_OPTIONS)
    def run(x, y, out):
        for i in range(x.size):
            out[i] = pow_cpu(x[i], y)

    return run


BASES = np.concatenate([np.geomspace(2.0**-60, 1.0, 4001), np.linspace(0.0, 1.0, 4001)[1:]])


@pytest.mark.parametrize("exponent", [0.3, 1.0, 1.4, 1.7, 2.0])
def test_float64_error_bound(exponent):
    out = np.empty_like(BASES)
    _vector_pow("float64")(BASES, exponent, out)
    relative = np.abs(out - BASES**exponent) / BASES**exponent
    assert relative.max() <= POW_UNIT_CPU_MAX_RELATIVE_ERROR


def test_float32_error_bound_stated_in_docs():
    x = BASES.astype(np.float32)
    out = np.empty_like(x)
    _vector_pow("float32")(x, np.float32(1.4), out)
    exact = x.astype(np.float64) ** 1.4
    relative = np.abs(out - exact) / exact
    assert relative.max() < 6e-6
    assert relative[x >= 2.0**-20].max() < 2e-6
    assert relative[x >= 0.5].max() < 2e-7


@pytest.mark.parametrize("precision", ["float32", "float64"])
def test_edges_are_exact_and_nan_propagates(precision):
    dtype = np.dtype(precision)
    x = np.array([0.0, 1.0, np.nan, 1e-40 if precision == "float64" else 0.0], dtype)
    out = np.empty_like(x)
    _vector_pow(precision)(x, dtype.type(1.4), out)
    assert out[0] == 0.0
    assert out[1] == 1.0
    assert np.isnan(out[2])
    assert out[3] == 0.0


@given(st.floats(2.0**-60, 1.0), st.floats(0.05, 2.0))
def test_python_fallback_matches_math(x, y):
    # The CPU implementation also runs as plain Python (bit helpers via frexp/ldexp).
    assert math.isclose(_pow_unit_cpu(x, y), x**y, rel_tol=POW_UNIT_CPU_MAX_RELATIVE_ERROR)


def test_float32_kernel_stays_float32():
    # A float64 literal would silently promote the arithmetic (and halve SIMD width).
    pow32 = compile_physics(pow_unit, "cpu", "float32")
    pow32(np.float32(0.5), np.float32(1.4))
    (signature,) = pow32.nopython_signatures
    assert signature.return_type == numba.float32
