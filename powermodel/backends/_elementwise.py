"""Elementwise kernels generated from one physics function, for CPU and GPU.

A physics function ``f(*params, *values) -> value or tuple`` becomes a
kernel ``kernel(*params, *inputs, out)`` that evaluates it at each element
``i`` of the 1-D ``inputs`` and writes ``out[k, i]``. ``params`` (packed
parameter arrays) pass whole. On the CPU the loop is a numba ``prange``; on
the GPU a grid-stride loop, one thread per element. The kernel source is
generated for the given arity, so psychrometrics, ITE and cooling share one
loop instead of a hand-written copy per model and target.
"""

from __future__ import annotations

from powermodel.backends._codegen import kernel

__all__ = ["THREADS", "blocks", "elementwise_kernel", "launch"]

THREADS = 256
_MAX_BLOCKS = 65_535


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
        loop = "prange(x0.size)"
    else:
        loop = "range(cuda.grid(1), x0.size, cuda.gridsize(1))"
    if outputs == 1:
        store = "out[0, i] = func(" + call + ")"
    elif keep is None:
        store = (
            f"values = func({call})\n"
            f"        for k in range({outputs}):\n"
            "            out[k, i] = values[k]"
        )
    else:
        stores = "".join(f"\n        out[{row}, i] = values[{k}]" for row, k in enumerate(keep))
        store = f"values = func({call})" + stores
    source = f"def kernel({', '.join(whole + each)}, out):\n    for i in {loop}:\n        {store}\n"
    name = func.__name__ if keep is None else f"{func.__name__}_{len(keep)}_of_{outputs}"
    if target == "cpu":
        import numba

        return kernel(name, source, target, precision, func=func, prange=numba.prange)
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
    else:
        kernel[blocks(inputs[0].size), THREADS](*params, *inputs, out)
    return out
