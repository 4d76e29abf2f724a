"""Elementwise kernels generated from one physics function, for CPU and GPU.

A physics function ``f(*params, *values) -> value or tuple`` becomes a
kernel ``kernel(*params, *inputs, out)`` that evaluates it at each element
``i`` of the 1-D ``inputs`` and writes ``out[k, i]``. ``params`` (packed
parameter arrays) pass whole. On the CPU the loop is a numba ``prange`` over
blocks of :data:`BLOCK` elements (the last one padded), so every element
runs through the same SIMD instructions; on the GPU a grid-stride loop, one
thread per element. The kernel source is
generated for the given arity, so psychrometrics, ITE and cooling share one
loop instead of a hand-written copy per model and target.
"""

from __future__ import annotations

import numpy as np

from powermodel.backends._codegen import kernel

__all__ = ["THREADS", "blocks", "elementwise_kernel", "launch"]

THREADS = 256
_MAX_BLOCKS = 65_535


#: Elements per block of a CPU elementwise kernel: a multiple of every SIMD width times
#: LLVM's unrolling, so that each element goes through the same vector instructions
#: wherever it sits in the array (an element in a loop's scalar remainder can round
#: differently under fast-math: results would depend on how scenarios are chunked).
BLOCK = 256


def _padded(values):
    """``values`` (fewer than BLOCK) in a BLOCK-long array, repeating the last one.

    Keeps the input's writeable flag: numba compiles read-only arrays apart,
    and the tail must run through the same machine code as the whole blocks.
    """
    block = np.empty(BLOCK, values.dtype)
    block[: values.size] = values
    block[values.size :] = values[-1]
    block.flags.writeable = values.flags.writeable
    return block


def blocks(size: int, threads: int = THREADS) -> int:
    """CUDA blocks for ``size`` elements of a grid-stride loop (at least one)."""
    return max(1, min((size + threads - 1) // threads, _MAX_BLOCKS))


def elementwise_kernel(
    func, target: str, precision: str, params: int, inputs: int, outputs: int, keep=None
):
    """The kernel evaluating the physics ``func`` elementwise (cached on disk).

    Parameters
    ----------
    func : callable
        A :func:`powermodel.kernels._physics.physics` function of ``params``
        whole arrays then ``inputs`` scalars, returning ``outputs`` values
        (a tuple when more than one).
    target : {"cpu", "cuda"}
    precision : {"float32", "float64"}
    params, inputs, outputs : int
    keep : tuple of int, optional
        Write only these of the ``outputs`` values, in this order, into
        ``out`` (``len(keep)`` rows); default all of them.
    """
    whole = [f"p{j}" for j in range(params)]
    each = [f"x{j}" for j in range(inputs)]
    call = ", ".join(whole + [f"{x}[i]" for x in each])
    if target == "cpu":
        # whole blocks of BLOCK elements (a constant trip count: SIMD lanes, no remainder);
        # launch() runs the rest as one padded block through the same machine code
        loop = "range(BLOCK)"
    else:
        loop = "range(cuda.grid(1), x0.size, cuda.gridsize(1))"
    if outputs == 1:
        store = "out[0, i] = func(" + call + ")"
    else:  # one store per output, indices written out (a tuple indexed in a loop is slow)
        rows = range(outputs) if keep is None else keep
        stores = "".join(f"\n        out[{row}, i] = values[{k}]" for row, k in enumerate(rows))
        store = f"values = func({call})" + stores
    name = func.__name__ if keep is None else f"{func.__name__}_{len(keep)}_of_{outputs}"
    if target == "cpu":
        import numba

        store = store.replace("\n", "\n    ")
        source = (
            f"def kernel({', '.join(whole + each)}, out):\n"
            "    for b in prange(x0.size // BLOCK):\n"
            "        start = numba.uint64(b * BLOCK)\n"
            f"        for k in {loop}:\n"
            "            i = start + numba.uint64(k)\n"
            f"            {store}\n"
        )
        # unsigned indices: numba wraps a signed index that may be negative, and that
        # select in every load kept LLVM from vectorising the block (measured 3.4x slower)
        return kernel(
            f"{name}_blocks", source, target, precision, func=func, prange=numba.prange,
            BLOCK=BLOCK, numba=numba,
        )  # fmt: skip
    source = f"def kernel({', '.join(whole + each)}, out):\n    for i in {loop}:\n        {store}\n"
    from numba import cuda

    return kernel(name, source, target, precision, func=func, cuda=cuda)


def launch(func, target: str, params, inputs, out, outputs=None, keep=None):
    """Fill ``out`` (outputs, n) with ``func`` at each element of ``inputs``.

    ``params`` and ``inputs`` are sequences of arrays; all ``inputs`` are
    1-D of one dtype, which sets the precision. With ``keep`` (indices of
    the ``outputs`` values ``func`` returns), only those rows are written.
    """
    count = out.shape[0] if outputs is None else outputs
    kernel = elementwise_kernel(
        func, target, inputs[0].dtype.name, len(params), len(inputs), count,
        None if keep is None else tuple(keep),
    )  # fmt: skip
    if target == "cpu":
        kernel(*params, *inputs, out)
        size = inputs[0].size
        done = size // BLOCK * BLOCK
        if done < size:  # the rest, padded with its last element, through the same code
            tail = [_padded(x[done:]) for x in inputs]
            rest = np.empty((out.shape[0], BLOCK), out.dtype)
            kernel(*params, *tail, rest)
            out[:, done:] = rest[:, : size - done]
    else:
        kernel[blocks(inputs[0].size), THREADS](*params, *inputs, out)
    return out
