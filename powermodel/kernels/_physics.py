"""Markers of the scalar physics: :func:`physics` and :func:`real`.

Plain Python with no compiler in sight: importing a physics module loads
neither numba nor llvmlite. :mod:`powermodel.backends._codegen` compiles
the marked functions for the CPU and the GPU.
"""

from __future__ import annotations

__all__ = ["is_physics", "physics", "real"]


def real(x):
    """Convert ``x`` to the working floating-point precision.

    In plain Python this is ``float``; in compiled physics it is the
    float32 or float64 type the kernel runs in.
    """
    return float(x)


def physics(func=None, *, inline=True):
    """Mark ``func`` as a scalar physics function that may be compiled.

    ``@physics(inline=False)`` keeps a large function out of numba's IR
    inliner on the CPU (LLVM may still inline it): inlining every call of a
    deep call tree made one cooling kernel take ~50 s to compile, against
    ~4 s without.
    """

    def mark(func):
        func.__powermodel_physics__ = True
        func.__powermodel_inline__ = inline
        return func

    return mark if func is None else mark(func)


def is_physics(obj) -> bool:
    """True for a function marked with :func:`physics`."""
    return callable(obj) and getattr(obj, "__powermodel_physics__", False)
