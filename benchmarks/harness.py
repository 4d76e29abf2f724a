"""Timing, memory-bandwidth floor and result records shared by the benchmarks.

Every kernel is reported three ways, all measured in the same run:
elements per second, achieved memory traffic (bytes read + written per
second) as a fraction of the machine's measured copy bandwidth, and the
speed-up over a naive numpy version of the same maths. Times are medians
of several calls after a warm-up call; the warm-up's extra time is the
compile time, reported separately.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from dataclasses import asdict, dataclass, field

import numpy as np

__all__ = [
    "Record",
    "cpu_bandwidth",
    "gpu_bandwidth",
    "kernel_record",
    "log_line",
    "time_call",
    "write_json",
]


@dataclass
class Record:
    """One benchmark result (a row of the table, an object of the JSON)."""

    kernel: str
    backend: str
    dtype: str
    shape: list
    seconds_median: float
    elements_per_second: float
    gbytes_per_second: float
    bandwidth_fraction: float
    speedup_vs_numpy: float | None
    compile_seconds: float | None = None
    repeats: int = 0
    bytes_per_element: float = 0.0
    numpy_shape: list | None = None
    notes: str = ""
    extra: dict = field(default_factory=dict)


def time_call(function, repeats: int, synchronize=None) -> tuple[float, float]:
    """Median seconds of ``function()`` after one warm-up call.

    Returns
    -------
    (median, first)
        The median of ``repeats`` timed calls and the time of the first
        (warm-up, including any compilation) call [s].
    """

    def once():
        start = time.perf_counter()
        function()
        if synchronize is not None:
            synchronize()
        return time.perf_counter() - start

    first = once()
    times = [once() for _ in range(max(1, repeats))]
    return statistics.median(times), first


def kernel_record(
    kernel, backend, dtype, shape, elements, bytes_per_element, timing, bandwidth_gbs, repeats,
    numpy_rate=None, numpy_shape=None, notes="", extra=None,
) -> Record:  # fmt: skip
    """A :class:`Record` from a kernel's ``timing = (median, first)`` seconds.

    ``bytes_per_element`` is what the kernel reads and writes per element;
    ``numpy_rate`` the numpy baseline's elements per second (None: not run).
    """
    seconds, first = timing
    rate = elements / seconds
    achieved = elements * bytes_per_element / seconds / 1e9
    return Record(
        kernel=kernel,
        backend=backend,
        dtype=np.dtype(dtype).name,
        shape=list(shape),
        seconds_median=seconds,
        elements_per_second=rate,
        gbytes_per_second=achieved,
        bandwidth_fraction=achieved / bandwidth_gbs,
        speedup_vs_numpy=None if numpy_rate is None else rate / numpy_rate,
        compile_seconds=max(0.0, first - seconds),
        repeats=repeats,
        bytes_per_element=bytes_per_element,
        numpy_shape=numpy_shape,
        notes=notes,
        extra=extra or {},
    )


def log_line(record: Record, width: int = 15) -> str:
    """One progress line for ``record``."""
    seconds = record.seconds_median
    return (
        f"  {record.kernel:<{width}} {record.backend:<6} {record.dtype:<8}"
        f" {'x'.join(map(str, record.shape)):<16} {seconds * 1e3:9.2f} ms"
        f" {record.elements_per_second / 1e9:7.3f} Gelem/s"
        f" {record.bandwidth_fraction:5.0%} of floor"
    )


def cpu_bandwidth(nbytes: int, repeats: int = 5) -> dict:
    """Measured host memory bandwidth [GB/s], bytes read + written.

    Two copies of an ``nbytes`` array: numpy's ``copyto`` (one thread) and a
    parallel numba copy on all cores. The larger is the floor kernels are
    compared with.
    """
    import numba

    @numba.njit(parallel=True)
    def parallel_copy(source, destination):
        for i in numba.prange(source.size):
            destination[i] = source[i]

    source = np.ones(nbytes // 4, np.float32)
    destination = np.empty_like(source)
    moved = 2.0 * source.nbytes
    numpy_seconds, _ = time_call(lambda: np.copyto(destination, source), repeats)
    parallel_seconds, _ = time_call(lambda: parallel_copy(source, destination), repeats)
    numpy_gbs = moved / numpy_seconds / 1e9
    parallel_gbs = moved / parallel_seconds / 1e9
    return {
        "kernel": "memory_bandwidth",
        "backend": "cpu",
        "bandwidth_gbytes_per_second": max(numpy_gbs, parallel_gbs),
        "numpy_copy_gbytes_per_second": numpy_gbs,
        "parallel_copy_gbytes_per_second": parallel_gbs,
        "threads": numba.get_num_threads(),
        "array_bytes": source.nbytes,
    }


def gpu_bandwidth(nbytes: int, repeats: int = 10) -> dict:
    """Measured device memory bandwidth [GB/s] of a device-to-device copy."""
    import cupy

    source = cupy.ones(nbytes // 4, cupy.float32)
    destination = cupy.empty_like(source)
    sync = cupy.cuda.Device().synchronize
    seconds, _ = time_call(lambda: cupy.copyto(destination, source), repeats, sync)
    return {
        "kernel": "memory_bandwidth",
        "backend": "cupy",
        "bandwidth_gbytes_per_second": 2.0 * source.nbytes / seconds / 1e9,
        "device": cupy.cuda.runtime.getDeviceProperties(0)["name"].decode(),
        "array_bytes": source.nbytes,
    }


def _cpu_model() -> tuple[str, str]:
    """CPU model name and widest SIMD extension, from /proc/cpuinfo (Linux)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return platform.processor() or platform.machine(), "unknown"
    fields = dict(line.split(":", 1) for line in text.splitlines()[:40] if ":" in line)
    fields = {k.strip(): v.strip() for k, v in fields.items()}
    flags = fields.get("flags", "").split()
    simd = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "SSE"
    model = f"{fields.get('model name', '?')} (family {fields.get('cpu family', '?')}, "
    model += f"model {fields.get('model', '?')})"
    return model, simd


def machine() -> dict:
    """A record describing where the benchmark ran."""
    import numba

    model, simd = _cpu_model()
    return {
        "kernel": "machine",
        "cpu_model": model,
        "simd": simd,
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "numba_threads": numba.get_num_threads(),
        "numpy": np.__version__,
        "numba": numba.__version__,
    }


def write_json(records: list, path: str) -> None:
    """Write ``records`` to ``path`` atomically (a temporary file, then rename)."""
    rows = [asdict(r) if isinstance(r, Record) else r for r in records]
    directory = os.path.dirname(os.path.abspath(path))
    temporary = os.path.join(directory, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(rows, handle, indent=1)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def format_table(records: list) -> str:
    """A markdown table of the kernel records."""
    header = (
        "| kernel | backend | dtype | shape | median ms | Gelem/s | GB/s | of floor | vs numpy "
        "| compile s |\n|---|---|---|---|---|---|---|---|---|---|"
    )
    lines = [header]
    for r in records:
        if not isinstance(r, Record):
            continue
        speedup = "-" if r.speedup_vs_numpy is None else f"{r.speedup_vs_numpy:.1f}x"
        compile_s = "-" if r.compile_seconds is None else f"{r.compile_seconds:.2f}"
        lines.append(
            f"| {r.kernel} | {r.backend} | {r.dtype} | {'x'.join(map(str, r.shape))} "
            f"| {r.seconds_median * 1e3:.1f} | {r.elements_per_second / 1e9:.3f} "
            f"| {r.gbytes_per_second:.1f} | {r.bandwidth_fraction:.0%} | {speedup} | {compile_s} |"
        )
    return "\n".join(lines)
