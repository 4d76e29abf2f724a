"""Training-job utilisation on the CPU: one numba kernel over the groups."""

from __future__ import annotations

from powermodel.backends._codegen import kernel
from powermodel.kernels.workload import fill_training_group

__all__ = ["training_groups"]


def _training_loop(busy, noise, idle, checkpoint, interval, duration, step_h, z, bounds, phase,
                   out):  # fmt: skip
    for g in range(bounds.shape[0]):
        fill_training_group(
            g, busy, noise, idle, checkpoint, interval, duration, step_h, z, bounds, phase, out
        )


def training_groups(busy, noise, idle, checkpoint, interval, duration, step_h, z, bounds, phase,
                    out):  # fmt: skip
    """Write the utilisation of training groups into ``out`` (steps, groups).

    ``busy``, ``noise``, ``idle`` and ``checkpoint`` are utilisation levels
    [1], ``interval`` and ``duration`` the checkpoint timing [h], ``step_h``
    the time step [h]; ``z`` (steps, groups) is standard normal noise;
    ``bounds[g]`` holds the ends of the runs gap, job, gap, job, ... of
    group ``g`` in steps, the last at or past the horizon; the first job's
    clock starts at ``phase[g]`` hours. Float64, serial (the groups are few),
    releasing the GIL: :func:`powermodel.workload.generate` draws scenarios in
    threads.
    """
    kernel("training_groups", _training_loop, "cpu", parallel=False, nogil=True)(
        busy, noise, idle, checkpoint, interval, duration, step_h, z, bounds, phase, out
    )
