"""Executors of the physics kernels and the choice between them.

- ``"numpy"``: readable float64 array code, the reference the tests trust.
- ``"numba"``: compiled, fused, parallel CPU kernels.
- ``"cupy"``: numba CUDA kernels on cupy arrays (on numpy arrays under
  numba's CUDA simulator, ``NUMBA_ENABLE_CUDASIM=1``).

``"auto"`` picks ``"cupy"`` for cupy input or when a usable GPU is present,
otherwise ``"numba"``. A backend that was asked for by name and cannot run
raises :class:`BackendUnavailableError`; nothing falls back silently.

Every kernel is declared once in :mod:`powermodel.backends.specs` and run
through :func:`run`.
"""

from __future__ import annotations

import functools
import os

import numpy as np

__all__ = [
    "BACKENDS",
    "BackendUnavailableError",
    "array_module",
    "cuda_simulator_enabled",
    "gpu_available",
    "is_cupy_array",
    "kernel_seconds",
    "resolve_backend",
    "run",
    "to_host",
]

BACKENDS = ("numpy", "numba", "cupy")


class BackendUnavailableError(RuntimeError):
    """A backend that was asked for by name cannot run here."""


def cuda_simulator_enabled() -> bool:
    """True when numba's CUDA simulator is on (``NUMBA_ENABLE_CUDASIM=1``)."""
    return os.environ.get("NUMBA_ENABLE_CUDASIM", "0") == "1"


def is_cupy_array(array) -> bool:
    """True for a cupy array, without importing cupy."""
    return type(array).__module__.split(".")[0] == "cupy"


@functools.cache
def _gpu_problem() -> str | None:
    """Why the cupy backend cannot run here, or None if it can (checked once)."""
    if cuda_simulator_enabled():
        return None
    try:
        import cupy
    except ImportError as error:
        return f"cupy is not installed ({error}); install powermodel[gpu]"
    try:
        from numba import cuda
    except ImportError as error:
        return f"numba-cuda is not installed ({error}); install powermodel[gpu]"
    try:
        if cupy.cuda.runtime.getDeviceCount() < 1:
            return "no CUDA device found"
        if not cuda.is_available():
            return "numba cannot use the CUDA driver"
        # A tiny launch proves the driver, the runtime compiler and cupy interop.
        probe = cupy.zeros(1, dtype=cupy.float32)
        _probe_kernel()[1, 1](probe)
        if float(probe[0]) != 1.0:
            return "a test kernel returned a wrong value"
    except Exception as error:  # CUDARuntimeError, CudaSupportError, NVVM errors
        return f"the CUDA runtime failed: {type(error).__name__}: {error}"
    return None


def _probe_kernel():
    from numba import cuda

    @cuda.jit
    def probe(out):
        out[0] = 1.0

    return probe


def gpu_available() -> bool:
    """True when the ``"cupy"`` backend can run (a GPU, or the simulator)."""
    return _gpu_problem() is None


def resolve_backend(backend: str, *arrays) -> str:
    """Choose the backend for ``arrays``.

    Parameters
    ----------
    backend : {"auto", "numpy", "numba", "cupy"}
        Requested backend.
    *arrays : array-like
        The input arrays; cupy arrays force ``"cupy"``.

    Returns
    -------
    str
        One of :data:`BACKENDS`.

    Raises
    ------
    ValueError
        Unknown backend name.
    TypeError
        cupy arrays with a CPU backend, or numpy and cupy arrays mixed.
    BackendUnavailableError
        ``"cupy"`` requested but not usable.
    """
    if backend not in ("auto", *BACKENDS):
        raise ValueError(
            f"backend: {backend!r} is not one of 'auto', {', '.join(map(repr, BACKENDS))}"
        )
    on_gpu = [is_cupy_array(a) for a in arrays if a is not None and not np.isscalar(a)]
    if any(on_gpu) and not all(on_gpu):
        raise TypeError(
            "inputs mix cupy (GPU) and numpy (host) arrays; move them to one device first"
        )
    if any(on_gpu):
        if backend in ("numpy", "numba"):
            raise TypeError(
                f"backend: {backend!r} runs on the CPU but the inputs are cupy arrays; "
                "use backend='cupy' or 'auto', or move the inputs to the host with .get()"
            )
        return "cupy"
    if backend == "auto":
        return "cupy" if (not cuda_simulator_enabled() and gpu_available()) else "numba"
    if backend == "cupy":
        problem = _gpu_problem()
        if problem is not None:
            raise BackendUnavailableError(f"backend 'cupy' is unavailable: {problem}")
    return backend


def array_module(backend: str):
    """The array module (``numpy`` or ``cupy``) that ``backend`` works on."""
    if backend == "cupy" and not cuda_simulator_enabled():
        import cupy

        return cupy
    return np


# The seam every public function runs its kernels through (after the helpers it uses).
from powermodel.backends._dispatch import kernel_seconds, run, to_host  # noqa: E402
