"""Faster implementations of :func:`powermodel.kernels.fastmath.pow_unit` per target.

On the CPU, PyPI's numba has no SIMD maths library, so ``x ** y`` in a loop
is one scalar ``powf`` call per element and keeps the rack power kernels
compute-bound; :func:`_pow_unit_cpu` evaluates the same function with
integer and floating-point SIMD instructions instead. On the GPU, float32
kernels use the approximate hardware ``pow`` (:func:`_pow_unit_cuda_float32`).
Registered with :func:`powermodel.backends._codegen.implements`, so the
physics keeps calling ``pow_unit`` and the tests compare the two.
"""

from __future__ import annotations

import numpy as np

from powermodel.backends._bits import exponent_of, mantissa_of, times_exp2
from powermodel.backends._codegen import implements
from powermodel.kernels.fastmath import pow_unit

__all__ = ["POW_UNIT_CPU_MAX_RELATIVE_ERROR"]

#: Bound on the relative error of the CPU ``pow_unit`` in float64 for
#: ``2**-60 <= x <= 1`` and ``0 < y <= 2``, checked in
#: ``tests/test_fastmath.py``. In float32 the error is that of rounding
#: ``y * log2(x)`` to float32: below ``6e-6`` over that range, ``2e-6`` for
#: ``x >= 2**-20`` and ``2e-7`` for ``x >= 1/2``.
POW_UNIT_CPU_MAX_RELATIVE_ERROR = 1e-8

#: NVIDIA's libdevice, bound by :mod:`powermodel.backends._codegen` when it
#: writes a CUDA kernel (numba.cuda is not imported for CPU-only use).
libdevice = None

_INV_LN2 = 1.4426950408889634  # 1 / ln(2)
_LN2 = 0.6931471805599453


class _SimulatedLibdevice:
    """The libdevice functions powermodel uses, for numba's CUDA simulator.

    The simulator's own ``libdevice`` functions are stubs that return None.
    """

    @staticmethod
    def fast_powf(x, y):
        return np.float32(np.power(np.float32(x), np.float32(y)))


@implements(pow_unit, target="cuda", precision="float32")
def _pow_unit_cuda_float32(x, y):
    """``x ** y`` in float32 on the GPU by libdevice's ``__nv_fast_powf``.

    ``exp2(y log2 x)`` with the hardware's approximate ``lg2``/``ex2``
    (maximum errors 2**-22.6 and 2 ulp): relative error below 1e-6 for the
    bases and exponents of the load curves, against ~40 more instructions
    per element for the IEEE-exact ``powf`` (benchmarks/ptx_report.py).
    """
    return libdevice.fast_powf(x, y)


@implements(pow_unit, target="cpu")
def _pow_unit_cpu(x, y):
    """``x ** y`` for ``0 <= x <= 1``, ``0 < y <= 2`` in SIMD-friendly steps.

    Notes
    -----
    ``x**y = 2**(y log2 x)``:

    1. ``x = m 2**e`` from the IEEE-754 bits, then ``m`` is moved into
       ``[sqrt(1/2), sqrt(2))``.
    2. ``log2 m = 2/ln 2 * atanh(s)``, ``s = (m - 1)/(m + 1)``,
       ``|s| <= 0.172``; the odd series to ``s**9`` truncates at
       ``|s|**11/11 < 4e-10``.
    3. ``t = y log2 x = n + f`` with ``n`` the nearest integer, ``|f| <=
       1/2``; ``2**f = exp(f ln 2)`` by its Taylor series to degree 7
       (truncation below ``0.347**8/8! < 6e-9``); ``2**n`` from the bits.

    Polynomials are evaluated in Estrin's scheme rather than Horner's: the
    shorter dependency chains let the CPU overlap neighbouring vector
    iterations, which is what limits this kernel (measured: Horner with
    degree 11 ran at 1.6-2.0 ns per float32 element on one core).

    ``x = 1`` gives exactly 1 and ``x = 0`` exactly 0; results below
    ``2**-126`` are flushed to 0.
    """
    e = exponent_of(x)
    m = mantissa_of(x)
    high = m >= 1.4142135623730951  # sqrt(2)
    m = m * 0.5 if high else m
    e = e + 1.0 if high else e

    s = (m - 1.0) / (m + 1.0)
    s2 = s * s
    s4 = s2 * s2
    # 1 + s2/3 + s2**2/5 + s2**3/7 + s2**4/9, in Estrin's scheme (short
    # dependency chains let the CPU overlap neighbouring elements)
    series = (1.0 + s2 * (1.0 / 3.0)) + s4 * ((1.0 / 5.0 + s2 * (1.0 / 7.0)) + s4 * (1.0 / 9.0))
    log2_x = e + 2.0 * _INV_LN2 * s * series

    t = y * log2_x
    t = -126.0 if t < -126.0 else t  # keep 2**n a normal number
    n = np.floor(t + 0.5)
    z = (t - n) * _LN2  # 2**(t - n) = exp(z), |z| <= ln(2)/2
    z2 = z * z
    z4 = z2 * z2
    # sum of z**k / k! for k = 0 ... 7, Estrin's scheme
    taylor = ((1.0 + z) + z2 * (1.0 / 2.0 + z * (1.0 / 6.0))) + z4 * (
        (1.0 / 24.0 + z * (1.0 / 120.0)) + z2 * (1.0 / 720.0 + z * (1.0 / 5040.0))
    )
    result = times_exp2(taylor, n)
    # The bit tricks know nothing of 0 and NaN: restore them.
    result = 0.0 if x < 1.1754943508222875e-38 else result  # smallest normal float32
    return x if x != x else result
