"""Training-job utilisation on the GPU: one thread per rack group."""

from __future__ import annotations

from numba import cuda

from powermodel.backends._codegen import kernel
from powermodel.kernels.workload import training_step_utilization

__all__ = ["training_groups"]

THREADS = 64


def _training_loop(busy, noise, idle, checkpoint, interval, duration, step_h, z, bounds, phase,
                   out):  # fmt: skip
    g = cuda.grid(1)
    count, width = bounds.shape
    if g >= count:
        return
    steps = out.shape[0]
    start = 0
    for r in range(width):
        stop = min(bounds[g, r], steps)  # never past the output, whatever bounds says
        if r % 2 == 0:
            for t in range(start, stop):
                out[t, g] = idle
        else:
            offset = phase[g] if r == 1 else 0.0
            for t in range(start, stop):
                elapsed = (t - start) * step_h + offset
                out[t, g] = training_step_utilization(
                    elapsed, step_h, z[t, g], busy, noise, checkpoint, interval, duration
                )
        start = stop
        if start >= steps:
            break


def training_groups(busy, noise, idle, checkpoint, interval, duration, step_h, z, bounds, phase,
                    out):  # fmt: skip
    """As :func:`powermodel.backends.numba_workload.training_groups`, on the device."""
    count = bounds.shape[0]
    blocks = max(1, (count + THREADS - 1) // THREADS)
    kernel("training_groups", _training_loop, "cuda")[blocks, THREADS](
        busy, noise, idle, checkpoint, interval, duration, step_h, z, bounds, phase, out
    )
