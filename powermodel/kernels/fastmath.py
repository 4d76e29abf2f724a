"""Elementary functions for the physics kernels.

:func:`pow_unit` is ``x ** y`` for a base in ``[0, 1]`` (a utilisation or a
flow fraction raised to a curve exponent). In Python and on CUDA it is the
native ``pow``. The compiled kernels replace it
by faster implementations of the same function for their target
(:mod:`powermodel.backends._fastmath`): SIMD-friendly steps on the CPU,
the approximate hardware ``pow`` for float32 on the GPU.
"""

from __future__ import annotations

from powermodel.kernels._physics import physics

__all__ = ["pow_unit"]


@physics
def pow_unit(x, y):
    """Power ``x ** y`` of a base in the unit interval.

    Parameters
    ----------
    x : float
        Base, ``0 <= x <= 1``. NaN gives NaN.
    y : float
        Exponent, ``0 < y <= 2``.

    Returns
    -------
    float
        ``x ** y``.
    """
    return x**y
