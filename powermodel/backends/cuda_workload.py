"""Training-job utilisation on the GPU: one thread per rack group."""

from __future__ import annotations

from numba import cuda

from powermodel.backends._codegen import kernel
from powermodel.kernels.workload import fill_training_group

__all__ = ["training_groups"]

THREADS = 64


def _training_loop(busy, noise, idle, checkpoint, interval, duration, step_h, z, bounds, phase,
                   out):  # fmt: skip
    g = cuda.grid(1)
    if g < bounds.shape[0]:
        fill_training_group(
            g, busy, noise, idle, checkpoint, interval, duration, step_h, z, bounds, phase, out
        )


def training_groups(busy, noise, idle, checkpoint, interval, duration, step_h, z, bounds, phase,
                    out):  # fmt: skip
    """As :func:`powermodel.backends.numba_workload.training_groups`, on the device."""
    count = bounds.shape[0]
    blocks = max(1, (count + THREADS - 1) // THREADS)
    kernel("training_groups", _training_loop, "cuda")[blocks, THREADS](
        busy, noise, idle, checkpoint, interval, duration, step_h, z, bounds, phase, out
    )
