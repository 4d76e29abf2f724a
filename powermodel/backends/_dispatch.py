"""The one seam between the public API and the kernels: :func:`run`.

``run(spec, inputs, parameters, backend=...)`` resolves the backend from
the request and the arrays' type, moves host arrays to the GPU and the
results back only when the caller's arrays live elsewhere (``"auto"`` on a
GPU machine with numpy input), makes inputs contiguous in the working
dtype, launches the kernel the :class:`~powermodel.backends.specs.KernelSpec`
declares (or calls its numpy oracle), and returns the outputs as a tuple of
arrays of the caller's type, in the spec's order.
"""

from __future__ import annotations

import contextlib
import importlib
import threading
import time

import numpy as np

from powermodel.backends import array_module, is_cupy_array, resolve_backend

__all__ = ["kernel_seconds", "run", "to_host"]

_TIMERS: list[dict] = []  # active kernel_seconds() dicts
_TIMERS_LOCK = threading.Lock()


@contextlib.contextmanager
def kernel_seconds():
    """Collect the seconds spent in each kernel launched through :func:`run`.

    Yields a dict ``{kernel name: seconds}``, filled while the block runs:
    the launch of the compiled kernel (or the numpy oracle) with its output
    allocation, not the conversions around it; on the GPU until the device
    has finished. Kernels run from several threads at once add up their
    time (core-seconds, not wall time). For benchmarks: it costs a clock
    read per launch.

    Examples
    --------
    >>> with kernel_seconds() as seconds:
    ...     pass
    >>> seconds
    {}
    """
    seconds: dict = {}
    with _TIMERS_LOCK:
        _TIMERS.append(seconds)
    try:
        yield seconds
    finally:
        with _TIMERS_LOCK:
            _TIMERS.remove(seconds)


def _record(name: str, since: float, on_device: bool) -> None:
    if on_device:
        import cupy

        cupy.cuda.get_current_stream().synchronize()
    elapsed = time.perf_counter() - since
    with _TIMERS_LOCK:
        for seconds in _TIMERS:
            seconds[name] = seconds.get(name, 0.0) + elapsed


def to_host(array):
    """``array`` as a numpy array (cupy arrays are copied from the device)."""
    return array.get() if is_cupy_array(array) else np.asarray(array)


def _fortran(array) -> bool:
    """True for an array of 2 or more dims laid out in Fortran order (and not also C)."""
    flags = array.flags
    return array.ndim > 1 and flags.f_contiguous and not flags.c_contiguous


def _launcher(spec, target: str):
    module, name = spec.launch[target].split(":")
    return getattr(importlib.import_module(module), name)


def run(spec, inputs, parameters=(), *, backend="auto", options=None, outputs=None):
    """Run the kernel ``spec`` on ``inputs``.

    Parameters
    ----------
    spec : KernelSpec
        The kernel (:data:`powermodel.backends.specs.KERNELS`).
    inputs : sequence of arrays
        The spec's ``inputs`` in order. The first one sets the working dtype
        (float32 or float64) and, being numpy or cupy, where the caller's
        data lives. ``"elementwise"``: all of one shape. ``"rows"``: the
        utilisation (rows, racks), then per-rack vectors (racks,).
        ``"scan"``: (time, scenario) arrays, a guide (time,) last.
        ``"fleet"``: the utilisation (scenario, time, group), then per-group
        vectors (group,) and the in-service multiplier (time,).
    parameters : sequence
        The spec's ``parameters``, passed whole: packed parameter vectors
        (cast to the working dtype for elementwise kernels; float64 for
        scans), a scan's initial state (scenario,).
    backend : {"auto", "numpy", "numba", "cupy"}
    options : dict, optional
        ``"rows"`` kernels: ``curve``, ``exponent``, ``table`` and, for the
        rack chain, ``chain`` (the tuple of chain scalars).
    outputs : sequence of str, optional
        Only these of the spec's outputs, in this order: an elementwise
        kernel then writes (and allocates) only them; other loops compute
        all and return these. Default all.

    Returns
    -------
    tuple of arrays
        One per output of the spec (or of ``outputs``), numpy or cupy like ``inputs[0]``.
        ``"elementwise"``: the inputs' shape and dtype. ``"rows"``: (rows,
        racks) in the working dtype, (rows,) float64 for
        ``facility_power``. ``"scan"``: (time, scenario) in the dtype of the
        first input. ``"fleet"``: (scenario, time) float64 sums over groups.
    """
    first = inputs[0]
    backend = resolve_backend(backend, first)
    on_device = is_cupy_array(first)
    dtype = np.dtype(first.dtype)
    options = dict(options or {})
    names = spec.outputs if outputs is None else tuple(outputs)
    unknown = [name for name in names if name not in spec.outputs]
    if unknown:
        raise ValueError(f"outputs: {unknown} are not outputs of {spec.name} {spec.outputs}")
    if spec.loop == "elementwise" and backend != "numpy" and names != spec.outputs:
        options["keep"] = tuple(spec.outputs.index(name) for name in names)
    if backend == "numpy":
        host = [to_host(a) for a in inputs]
        since = time.perf_counter()
        results = _ORACLES[spec.loop](spec, host, parameters, dtype, options)
    else:
        xp = array_module(backend)
        arrays = [xp.asarray(a) for a in inputs]
        # an elementwise kernel follows its first input's memory order: a scenario-major
        # (time, scenario) array, Fortran-ordered, runs as its C-ordered transpose, no copy
        flipped = spec.loop == "elementwise" and _fortran(arrays[0])
        if flipped:
            arrays = [a.T for a in arrays]
        # ascontiguousarray makes 0-d arrays 1-d: keep each input's shape
        arrays = [xp.ascontiguousarray(a).reshape(a.shape) for a in arrays]
        target = "cpu" if backend == "numba" else "cuda"
        since = time.perf_counter()
        results = _LAUNCHES[spec.loop](spec, target, xp, arrays, parameters, dtype, options)
        if flipped:
            results = [r.T for r in results]
    if _TIMERS:
        _record(spec.name, since, backend == "cupy" and xp is not np)
    if "keep" not in options and names != spec.outputs:
        results = [results[spec.outputs.index(name)] for name in names]
    if on_device:
        return tuple(results)
    return tuple(to_host(r) for r in results)


# ---------------------------------------------------------------- oracles


def _oracle_elementwise(spec, inputs, parameters, dtype, options):
    shape = inputs[0].shape
    flat = [np.asarray(a, dtype).reshape(-1) for a in inputs]
    parts = spec.oracle(*parameters, *flat)
    return [np.asarray(parts[name]).astype(dtype).reshape(shape) for name in spec.outputs]


def _oracle_rows(spec, inputs, parameters, dtype, options):
    rows = np.asarray(inputs[0], np.float64)
    per_rack = [np.asarray(a, np.float64) for a in inputs[1:]]
    curve, exponent, table = options["curve"], options["exponent"], options["table"]
    if spec.name == "server_power":
        out = spec.oracle(rows, *per_rack, curve, exponent, table)
        return [out.astype(dtype)]
    idle, peak, cap, _ups_rated = per_rack
    reference = options["reference"]
    parts = spec.oracle(rows, idle, peak, cap, curve, exponent, table, reference)
    total = spec.name == "facility_power"
    return [parts[name].astype(np.float64 if total else dtype) for name in spec.outputs]


def _oracle_scan(spec, inputs, parameters, dtype, options):
    out = spec.oracle(*parameters, *inputs)
    return [out[name].astype(dtype) for name in spec.outputs]


def _oracle_groups(spec, inputs, parameters, dtype, options):
    out = spec.oracle(*parameters, *inputs)
    return [out[name] for name in spec.outputs]


def _oracle_fleet(spec, inputs, parameters, dtype, options):
    keys = ("power_idle", "power_max", "curve", "exponent", "table", "reference")
    out = spec.oracle(*parameters, *inputs, **{key: options[key] for key in keys})
    return [out[name] for name in spec.outputs]


def _oracle_stages(spec, inputs, parameters, dtype, options):
    (p,) = parameters
    host = [np.asarray(a, np.float64) for a in inputs]
    return [spec.oracle(p, *host, options["points"], options["cycles"])]


_ORACLES = {
    "elementwise": _oracle_elementwise,
    "rows": _oracle_rows,
    "scan": _oracle_scan,
    "groups": _oracle_groups,
    "fleet": _oracle_fleet,
    "stages": _oracle_stages,
}


# --------------------------------------------------------------- launches


def _launch_elementwise(spec, target, xp, arrays, parameters, dtype, options):
    from powermodel.backends._elementwise import launch

    shape = arrays[0].shape
    flat = [a.astype(dtype, copy=False).reshape(-1) for a in arrays]
    whole = [_in_precision(xp, p, dtype) for p in parameters]
    keep = options.get("keep")
    rows = len(spec.outputs) if keep is None else len(keep)
    out = xp.empty((rows, flat[0].size), dtype)
    launch(spec.physics, target, whole, flat, out, len(spec.outputs), keep)
    return [column.reshape(shape) for column in out]


def _in_precision(xp, parameters, dtype):
    """A named parameter record with each field in ``dtype``, or an array cast to it."""
    if isinstance(parameters, tuple) and hasattr(parameters, "_fields"):
        return type(parameters)(*(dtype.type(v) for v in parameters))
    return xp.asarray(parameters, dtype=dtype)


def _launch_rows(spec, target, xp, arrays, parameters, dtype, options):
    rows, *per_rack = arrays
    cast = [a.astype(dtype) for a in per_rack]
    exponent = dtype.type(options["exponent"])
    table = xp.asarray(options["table"]).astype(dtype)
    launch = _launcher(spec, target)
    curve = options["curve"]
    if spec.name == "server_power":
        out = xp.empty_like(rows)
        launch(rows, *cast, curve, exponent, table, out)
        return [out]
    idle, peak, cap, ups_rated = cast
    chain = tuple(dtype.type(s) for s in options["chain"])
    args = (rows, idle, peak, cap, curve, exponent, table, chain, ups_rated)
    if spec.name == "facility_power":
        out = xp.empty((rows.shape[0], len(spec.outputs)), np.float64)
        launch(*args, out)
        return [out[:, k] for k in range(len(spec.outputs))]
    outs = [xp.empty_like(rows) for _ in spec.outputs]
    launch(*args, outs)
    return outs


def _launch_scan(spec, target, xp, arrays, parameters, dtype, options):
    arrays = [a.astype(dtype, copy=False) for a in arrays]
    # the record passes by value; the initial state is a (scenario,) array
    whole = [p if hasattr(p, "_fields") else xp.asarray(p) for p in parameters]
    out = xp.empty((len(spec.outputs), *arrays[0].shape), dtype)
    _launcher(spec, target)(*whole, *arrays, out)
    return list(out)


def _launch_groups(spec, target, xp, arrays, parameters, dtype, options):
    z, bounds, phase = arrays
    out = xp.empty(z.shape, np.float64)
    scalars = [float(p) for p in parameters]
    launch = _launcher(spec, target)
    launch(*scalars, z.astype(np.float64), bounds.astype(np.int64), phase.astype(np.float64), out)
    return [out]


def _launch_fleet(spec, target, xp, arrays, parameters, dtype, options):
    # the physics runs in float64 whatever the utilisation's storage (float32 is read exactly)
    utilization, *per_group = arrays
    racks, training, cap, ups_rated, in_service = (a.astype(np.float64) for a in per_group)
    p, communication_level = parameters
    p = type(p)(*(float(v) for v in p))
    chain = tuple(float(s) for s in options["chain"])
    table = xp.asarray(options["table"], np.float64)
    out = xp.empty((len(spec.outputs), *utilization.shape[:2]), np.float64)
    _launcher(spec, target)(
        p, float(communication_level), utilization, racks, training, cap, ups_rated, in_service,
        float(options["power_idle"]), float(options["power_max"]), options["curve"],
        float(options["exponent"]), table, chain, out,
    )  # fmt: skip
    return list(out)


def _launch_stages(spec, target, xp, arrays, parameters, dtype, options):
    # the recursion runs in float64 whatever the inputs' storage
    (p,) = parameters
    p = type(p)(*(float(v) for v in p))
    points, cycles = int(options["points"]), int(options["cycles"])
    out = xp.empty((arrays[0].shape[0], points), np.float64)
    extra = (xp,) if target == "cuda" else ()
    _launcher(spec, target)(p, *arrays, points, cycles, out, *extra)
    return [out]


_LAUNCHES = {
    "elementwise": _launch_elementwise,
    "rows": _launch_rows,
    "scan": _launch_scan,
    "groups": _launch_groups,
    "fleet": _launch_fleet,
    "stages": _launch_stages,
}
