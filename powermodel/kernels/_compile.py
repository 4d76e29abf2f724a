"""Compile the scalar physics once for each (target, precision).

The physics of powermodel is written once, as plain Python functions of
scalars (``kernels/rack.py``, ``kernels/fastmath.py``, ...), marked with
:func:`physics`. They run as they are in Python, which keeps them readable
and easy to check by hand. :func:`compile_physics` turns one of them into

- a numba CPU function (``target="cpu"``), inlined into the parallel CPU
  kernels of :mod:`powermodel.backends.numba_rack`, or
- a numba CUDA device function (``target="cuda"``), called from the CUDA
  kernels of :mod:`powermodel.backends.cuda_rack`; under numba's CUDA
  simulator (``NUMBA_ENABLE_CUDASIM=1``) the same device functions run as
  Python.

Why a source transformation: numba types a Python float literal as float64,
so ``2.0 * u`` silently promotes a float32 ``u`` to float64, halving the SIMD
width and changing the rounding. Before compiling, every float literal in a
physics function is wrapped in the working precision (``real(2.0)``), and
other physics functions it calls are replaced by their compiled versions for
the same target and precision. Physics code may also call ``real(x)``
itself to convert an integer; float constants of the module become the
working precision as well. Nothing else in the source changes.
"""

from __future__ import annotations

import ast
import functools
import inspect
import textwrap

import numpy as np

__all__ = [
    "CPU_FASTMATH",
    "CPU_JIT_OPTIONS",
    "compile_physics",
    "implements",
    "physics",
    "real",
]

#: LLVM fast-math flags for CPU kernels: reassociation (vectorised sums),
#: contraction (FMA), reciprocal and approximate functions, signed zeros --
#: but not ``nnan``/``ninf``, so NaN inputs still give NaN outputs.
CPU_FASTMATH = frozenset({"contract", "reassoc", "arcp", "nsz", "afn"})

#: Options for every CPU kernel and physics function: the numpy error model
#: (a division by zero gives inf or NaN instead of raising, which would put a
#: branch in every loop and stop vectorisation) and the fast-math flags above.
CPU_JIT_OPTIONS = {"error_model": "numpy", "fastmath": set(CPU_FASTMATH)}

_PRECISIONS = ("float32", "float64")
_TARGETS = ("cpu", "cuda")


def real(x):
    """Convert ``x`` to the working floating-point precision.

    In plain Python this is ``float``; in compiled physics it is the
    float32 or float64 type the kernel runs in (see :func:`compile_physics`).
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


_TARGET_IMPLEMENTATIONS: dict = {}


def implements(func, target: str, precision: str | None = None):
    """Register a faster implementation of the primitive ``func`` for ``target``.

    Only for mathematical primitives (``pow``), never for physics: the
    registered function must compute the same mathematical function as
    ``func``, and the tests compare the two. ``precision`` restricts it to
    float32 or float64 kernels. CUDA implementations may use NVIDIA's
    ``libdevice`` functions through the global name ``libdevice``.
    """

    def register(implementation):
        physics(implementation)
        _TARGET_IMPLEMENTATIONS[(func, target, precision)] = implementation
        return implementation

    return register


def _is_physics(obj) -> bool:
    return callable(obj) and getattr(obj, "__powermodel_physics__", False)


class _WrapFloatLiterals(ast.NodeTransformer):
    """Rewrite each float literal ``1.5`` as ``real(1.5)``."""

    def visit_Constant(self, node):
        if type(node.value) is float:
            call = ast.Call(func=ast.Name(id="real", ctx=ast.Load()), args=[node], keywords=[])
            return ast.copy_location(call, node)
        return node


def _real_for(target: str, precision: str):
    from numba import config

    if target == "cuda" and config.ENABLE_CUDASIM:
        # The simulator runs device functions as Python: use numpy's scalars.
        return getattr(np, precision)
    import numba

    return getattr(numba, precision)


class _SimulatedLibdevice:
    """The libdevice functions powermodel uses, for numba's CUDA simulator.

    The simulator's own ``libdevice`` functions are stubs that return None.
    """

    @staticmethod
    def fast_powf(x, y):
        return np.float32(np.power(np.float32(x), np.float32(y)))


def _libdevice():
    from numba import config

    if config.ENABLE_CUDASIM:
        return _SimulatedLibdevice
    from numba.cuda import libdevice

    return libdevice


@functools.cache
def compile_physics(func, target: str, precision: str):
    """Compile the physics function ``func`` for ``target`` and ``precision``.

    Parameters
    ----------
    func : callable
        A function marked with :func:`physics`.
    target : {"cpu", "cuda"}
        ``"cpu"`` gives a ``numba.njit(inline="always")`` function
        (``"never"`` for functions marked ``@physics(inline=False)``),
        ``"cuda"`` a ``numba.cuda.jit(device=True)`` function.
    precision : {"float32", "float64"}
        The floating-point type of the literals and of ``real``.

    Returns
    -------
    numba dispatcher
        Cached: the same arguments return the same object.
    """
    if not _is_physics(func):
        raise TypeError(f"func: {func!r} is not marked as a physics function")
    if target not in _TARGETS:
        raise ValueError(f"target: {target!r} is not one of {_TARGETS}")
    if precision not in _PRECISIONS:
        raise ValueError(f"precision: {precision!r} is not one of {_PRECISIONS}")

    func = _TARGET_IMPLEMENTATIONS.get(
        (func, target, precision), _TARGET_IMPLEMENTATIONS.get((func, target, None), func)
    )
    source = textwrap.dedent(inspect.getsource(func))
    tree = ast.parse(source)
    definition = tree.body[0]
    definition.decorator_list = []
    tree = ast.fix_missing_locations(_WrapFloatLiterals().visit(tree))
    ast.increment_lineno(tree, func.__code__.co_firstlineno - 1)

    namespace = dict(func.__globals__)
    namespace["real"] = _real_for(target, precision)
    if target == "cuda":
        namespace["libdevice"] = _libdevice()
    for name in func.__code__.co_names:
        value = namespace.get(name)
        if _is_physics(value):
            namespace[name] = compile_physics(value, target, precision)
        elif type(value) is float:
            # module constants take the working precision too
            namespace[name] = getattr(np, precision)(value)
    exec(compile(tree, inspect.getsourcefile(func), "exec"), namespace)
    transformed = namespace[definition.name]

    if target == "cpu":
        import numba

        inline = "always" if getattr(func, "__powermodel_inline__", True) else "never"
        return numba.njit(**CPU_JIT_OPTIONS, inline=inline)(transformed)
    from numba import cuda

    return cuda.jit(device=True)(transformed)
