"""IEEE-754 bit-level helpers for the CPU kernels (numba intrinsics).

They let :mod:`powermodel.backends._fastmath` split a float into mantissa and
exponent and build powers of two with integer SIMD instructions, which
numba's ``math.frexp``/``math.ldexp`` (scalar C calls) cannot. Each one also
has a plain Python implementation, used when the physics runs in Python.
They are for the CPU target only; CUDA has a fast native ``pow``.
"""

from __future__ import annotations

import math

from llvmlite import ir
from numba.core import types
from numba.extending import intrinsic, overload

__all__ = ["exponent_of", "mantissa_of", "times_exp2"]

# (mantissa bits, exponent bias, integer type) per float width
_LAYOUT = {32: (23, 127, types.int32), 64: (52, 1023, types.int64)}


def exponent_of(x):
    """Unbiased binary exponent of a normal float ``x > 0``, as a float.

    ``x = mantissa_of(x) * 2**exponent_of(x)`` with ``1 <= mantissa < 2``.
    """
    return float(math.frexp(x)[1] - 1)


def mantissa_of(x):
    """Mantissa of a normal float ``x > 0`` in ``[1, 2)``."""
    return math.frexp(x)[0] * 2.0


def times_exp2(value, n):
    """``value * 2**n`` for an integer-valued float ``n``, ``n >= -126``."""
    return math.ldexp(value, int(n))


def _float_layout(x):
    mantissa_bits, bias, int_type = _LAYOUT[x.bitwidth]
    return mantissa_bits, bias, ir.IntType(int_type.bitwidth)


@intrinsic
def _exponent_of(typingctx, x):
    if not isinstance(x, types.Float):
        return None

    def codegen(context, builder, signature, args):
        mantissa_bits, bias, int_ir = _float_layout(x)
        bits = builder.bitcast(args[0], int_ir)
        biased = builder.lshr(bits, ir.Constant(int_ir, mantissa_bits))
        unbiased = builder.sub(biased, ir.Constant(int_ir, bias))
        return builder.sitofp(unbiased, context.get_value_type(x))

    return x(x), codegen


@intrinsic
def _mantissa_of(typingctx, x):
    if not isinstance(x, types.Float):
        return None

    def codegen(context, builder, signature, args):
        mantissa_bits, bias, int_ir = _float_layout(x)
        bits = builder.bitcast(args[0], int_ir)
        fraction = builder.and_(bits, ir.Constant(int_ir, (1 << mantissa_bits) - 1))
        one = ir.Constant(int_ir, bias << mantissa_bits)  # exponent of 1.0
        return builder.bitcast(builder.or_(fraction, one), context.get_value_type(x))

    return x(x), codegen


@intrinsic
def _times_exp2(typingctx, value, n):
    if not (isinstance(value, types.Float) and value == n):
        return None

    def codegen(context, builder, signature, args):
        mantissa_bits, bias, int_ir = _float_layout(value)
        exponent = builder.add(builder.fptosi(args[1], int_ir), ir.Constant(int_ir, bias))
        power = builder.shl(exponent, ir.Constant(int_ir, mantissa_bits))
        power = builder.bitcast(power, context.get_value_type(value))
        return builder.fmul(args[0], power)

    return value(value, n), codegen


@overload(exponent_of)
def _exponent_of_overload(x):
    return lambda x: _exponent_of(x)


@overload(mantissa_of)
def _mantissa_of_overload(x):
    return lambda x: _mantissa_of(x)


@overload(times_exp2)
def _times_exp2_overload(value, n):
    return lambda value, n: _times_exp2(value, n)
