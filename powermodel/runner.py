"""Run a Monte Carlo task over scenarios in chunks, and write results atomically.

This module is orchestration only: it knows nothing of the physics. A *task*
is a picklable callable ``task(ids) -> xarray.Dataset`` that computes the
scenarios whose integer ids it is given (e.g. a :func:`functools.partial` of
a module-level function). :func:`run` splits the scenario ids into
consecutive chunks, computes them in this process or on a Dask cluster,
optionally keeps each finished chunk in a Zarr store so that an interrupted
run resumes where it stopped, and concatenates the chunks along
``scenario`` in id order. :func:`write` saves a result to NetCDF or Zarr so
that the file appears complete or not at all.

Because scenario ``k`` of seed ``s`` draws from a stream that depends only on
``(s, k)`` (see DESIGN.md), the result is bit-identical whatever the chunk
size, the number of workers, and whether some chunks were read back from a
store.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import socket
import time
import uuid
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import xarray as xr

from powermodel._stochastic import scenario_ids

__all__ = ["StoreBusyError", "StoreWarning", "check_writable", "run", "write"]

DEFAULT_CHUNK_SIZE = 100
"""Scenarios per chunk when the caller does not say."""

_SCALE_HINT = 'install the scaling extra: pip install "powermodel[scale]"'
_STORE_ATTR = "powermodel_run"  # root attribute of a run store that identifies the run
_STORE_FORMAT = 2  # layout version of run stores (2: chunk manifests with checksums, a lock)
_CHUNK_PREFIX = "chunk-"
_DTYPES_ATTR = "_powermodel_dtypes"  # attribute of a stored chunk: the dtype of each variable
_TMP_MARK = ".tmp-"  # part of the name of every temporary sibling this module creates
_MANIFEST = "_powermodel_manifest"  # chunk attribute, set last: the SHA-256 of each array
_LOCK = ".powermodel-lock"  # in a store while a run uses it: owner's pid, host and start


class StoreWarning(UserWarning):
    """A run store held a damaged chunk, which is computed again."""


class StoreBusyError(RuntimeError):
    """Another live process is using the run store."""


_SUFFIXES = {".nc": "netcdf", ".zarr": "zarr"}


# --------------------------------------------------------------------------- run


def run(
    task: Callable[[np.ndarray], xr.Dataset],
    scenarios: int | Sequence[int] | np.ndarray,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    client=None,
    store: str | os.PathLike | None = None,
    fingerprint: str | Mapping[str, str] | None = None,
    progress: bool = False,
    keep: Callable[[xr.Dataset], xr.Dataset] | None = None,
    lazy: bool = False,
) -> xr.Dataset:
    """Compute ``task`` over all scenarios, chunk by chunk, and concatenate.

    Parameters
    ----------
    task : callable
        ``task(ids) -> xarray.Dataset`` for a 1-D int64 array of scenario
        ids. Variables with a ``scenario`` dimension must have it with the
        coordinate equal to ``ids`` (or no coordinate, then ``ids`` is
        assigned); variables without it (e.g. a ``(time,)`` grid capacity)
        must be the same for every chunk and are taken from the first. With
        a Dask client the task must be picklable: a module-level function or
        a :func:`functools.partial` of one.
    scenarios : int or sequence of int
        ``N`` for the ids ``0 .. N-1``, or the ids themselves (unique
        integers, in the order wanted in the result).
    chunk_size : int
        Scenarios per chunk; chunks are consecutive slices of the ids.
    client : None, "local", a scheduler address or distributed.Client
        None computes the chunks one after another in this process.
        ``"local"`` starts a :class:`distributed.LocalCluster` (one
        single-threaded worker process per CPU, no more than there are
        chunks to compute) and closes it at the end. Another string is a
        scheduler address (``"tcp://host:8786"``) to connect to for this
        run. A :class:`distributed.Client` is used as given and left open.
    store : str or path-like, optional
        Directory of a Zarr store that keeps every finished chunk. It is
        created if missing (its parent directory must exist). On a rerun
        with the same store, ``fingerprint``, ids and ``chunk_size``, the
        chunks already there are read back instead of recomputed.
    fingerprint : str or mapping of str to str, optional
        Caller's identifier of everything that determines the results (site,
        input files' contents, model versions, seed, ...), recorded in the
        store. A store made with another fingerprint is refused; with a
        mapping, the message names the entries that differ. Ignored without
        ``store``.
    progress : bool
        Show a tqdm progress bar over chunks.
    keep : callable, optional
        ``keep(chunk) -> Dataset``: what of each finished chunk to hold in
        memory (e.g. its per-scenario summaries only). The store, if any,
        gets the whole chunk. Default: all of it.
    lazy : bool
        With ``store``: hold nothing of the chunks in memory but return a
        dask-backed Dataset that reads the store (the chunks ``keep``
        selects from), so that memory is bounded by one chunk, not by the
        number of scenarios. Needs dask.

    Returns
    -------
    xarray.Dataset
        The chunks concatenated along ``scenario`` in the order of the ids,
        with the variables without ``scenario`` from the first chunk. The
        attributes are those of the first chunk.

    Raises
    ------
    ValueError
        Bad ``scenarios``, ``chunk_size`` or ``client``; a task result whose
        ``scenario`` coordinate is not the ids it was given, or whose
        scenario-free variables differ between chunks; a ``store`` that
        holds another run (fingerprint, ids or chunk size differ) or is not
        a run store at all.
    StoreBusyError
        Another live process is running on ``store``.
    ImportError
        ``client`` or ``store`` given without dask.distributed / zarr.

    Notes
    -----
    Every chunk is held in memory in this process until the end, so the
    whole result must fit in memory here. With a store, a finished chunk
    is written into a temporary group ``.chunk-NNNNNN.tmp-*`` and renamed to
    ``chunk-NNNNNN`` only when complete; the rename is the completion mark,
    so an interruption at any moment leaves only complete chunks (and
    perhaps a temporary group, removed on the next run). Each chunk holds a
    manifest, written last, with the SHA-256 of every array: a chunk read
    back that does not match it (a file deleted or truncated, a partial
    copy) is reported with a :class:`StoreWarning` and computed again. A run
    holds an exclusive lock file in the store (pid and host of its owner),
    so a second run on the same store is refused while the first lives; a
    lock left by a process that died is taken over.

    Examples
    --------
    >>> import functools
    >>> def task(ids, scale):
    ...     return xr.Dataset({"x": ("scenario", scale * ids)}, coords={"scenario": ids})
    >>> run(functools.partial(task, scale=2.0), 5, chunk_size=2)["x"].values
    array([0., 2., 4., 6., 8.])
    """
    ids = scenario_ids(scenarios)
    chunk_size = _chunk_size(chunk_size)
    plan = [ids[start : start + chunk_size] for start in range(0, len(ids), chunk_size)]
    if client is not None and not (isinstance(client, str) or hasattr(client, "submit")):
        raise ValueError(
            'client: must be None, "local", a scheduler address such as "tcp://host:8786" '
            f"or a distributed.Client, got {client!r}"
        )
    if isinstance(client, str) and client != "local" and "://" not in client:
        raise ValueError(
            f'client: {client!r} is not "local" nor a scheduler address such as "tcp://host:8786"'
        )

    with contextlib.ExitStack() as stack:
        chunk_store = None
        if store is not None:
            chunk_store = _ChunkStore.open(store, ids, chunk_size, fingerprint)
            stack.enter_context(_StoreLock(chunk_store.path))
            chunk_store.remove_temporaries()  # only the lock's holder may
        if lazy and chunk_store is None:
            raise ValueError("lazy: needs a store to read the results from")
        if keep is not None and not callable(keep):
            raise TypeError(f"keep: expected a callable chunk -> Dataset, got {keep!r}")
        return _run_chunks(task, plan, client, chunk_store, progress, keep, lazy)


def _run_chunks(task, plan, client, chunk_store, progress, keep, lazy) -> xr.Dataset:
    # in memory, each finished chunk is copied into the whole run's arrays and let go;
    # lazy (store-backed) chunks are kept and concatenated at the end
    results: dict[int, xr.Dataset] = {} if lazy else _Assembler(plan)
    select = keep if keep is not None else (lambda chunk: chunk)

    def held(index: int, chunk: xr.Dataset) -> xr.Dataset:
        """What of a finished, stored chunk this process holds."""
        if lazy:
            chunk = chunk_store.read(index, lazy=True)
        return select(chunk)

    if chunk_store is not None:
        for index in chunk_store.complete(len(plan)):
            try:
                chunk = _checked(chunk_store.read(index), plan[index], index)
                results[index] = held(index, chunk)
            except _DamagedChunk as damage:
                warnings.warn(
                    StoreWarning(
                        f"store: chunk {index} of {str(chunk_store.path)!r} is damaged "
                        f"({damage}); computing it again"
                    ),
                    stacklevel=3,
                )
                chunk_store.discard(index)

    todo = [index for index in range(len(plan)) if index not in results]
    bar = _progress_bar(len(plan), len(plan) - len(todo), progress)
    try:

        def finish(index: int, chunk: xr.Dataset) -> None:
            chunk = _checked(chunk, plan[index], index)
            if chunk_store is not None:
                chunk_store.write(index, chunk)
            results[index] = held(index, chunk)
            bar.update(1)

        if todo and client is None:
            for index in todo:
                finish(index, _compute_chunk(task, plan[index]))
        elif todo:
            with _client(client, len(todo)) as dask_client:
                _run_distributed(dask_client, task, plan, todo, finish)
    finally:
        bar.close()
    if isinstance(results, _Assembler):
        return results.result()
    return _assemble([results[index] for index in range(len(plan))])


def _chunk_size(chunk_size) -> int:
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int | np.integer):
        raise TypeError(f"chunk_size: must be a positive int, got {chunk_size!r}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size: must be a positive int, got {chunk_size}")
    return int(chunk_size)


def _compute_chunk(task, ids: np.ndarray) -> xr.Dataset:
    """Run the task on one chunk and load any lazy arrays (runs on the worker)."""
    result = task(ids)
    if not isinstance(result, xr.Dataset):
        raise TypeError(f"task: must return an xarray.Dataset, got {type(result).__name__}")
    return result.load()


def _checked(chunk: xr.Dataset, ids: np.ndarray, index: int) -> xr.Dataset:
    """Check that a chunk's ``scenario`` coordinate is its ids (assign it if absent)."""
    if "scenario" not in chunk.dims:
        return chunk
    if chunk.sizes["scenario"] != len(ids):
        raise ValueError(
            f"task: chunk {index} has {chunk.sizes['scenario']} scenarios, expected {len(ids)}"
        )
    if "scenario" not in chunk.coords:
        return chunk.assign_coords(scenario=ids)
    got = np.asarray(chunk["scenario"].values)
    if not np.array_equal(got, ids):
        raise ValueError(
            f"task: the scenario coordinate of chunk {index} is not the ids it was given "
            f"(got {got[:5].tolist()}..., expected {ids[:5].tolist()}...)"
        )
    return chunk


class _Assembler:
    """The whole run's Dataset, filled chunk by chunk as they finish, in any order.

    Holds the same result as :func:`_assemble` of all chunks (tested), but
    never two copies of it: a finished chunk is copied into arrays sized
    for all scenarios and then dropped, and the memory it used serves the
    next chunk. The arrays are scenario-major (the scenario axis slowest),
    so a chunk's block is one contiguous copy.
    """

    def __init__(self, plan):
        self.plan = plan
        self.offsets = np.cumsum([0] + [len(ids) for ids in plan])
        self.first: xr.Dataset | None = None
        self.arrays: dict[str, np.ndarray] = {}
        self.done: set[int] = set()

    def __contains__(self, index: int) -> bool:
        return index in self.done

    def __setitem__(self, index: int, chunk: xr.Dataset) -> None:
        if self.first is None:
            self._allocate(chunk)
        else:
            self._check(index, chunk)
        if "scenario" in self.first.dims:
            low, high = int(self.offsets[index]), int(self.offsets[index + 1])
            for name, array in self.arrays.items():
                variable = chunk.variables[name]
                axis = variable.dims.index("scenario")
                where = (slice(None),) * axis + (slice(low, high),)
                array[where] = np.asarray(variable.values)
        self.done.add(index)

    def _allocate(self, chunk: xr.Dataset) -> None:
        self.first = chunk
        total = int(self.offsets[-1])
        for name, variable in chunk.variables.items():
            if "scenario" not in variable.dims or name == "scenario":
                continue
            axis = variable.dims.index("scenario")
            others = [n for i, n in enumerate(variable.shape) if i != axis]
            base = np.empty([total, *others], variable.dtype)
            self.arrays[name] = np.moveaxis(base, 0, axis)

    def _check(self, index: int, chunk: xr.Dataset) -> None:
        """What xr.concat(join="exact") and _assemble would refuse, refused alike."""
        first = self.first
        if "scenario" in first.dims:
            if set(chunk.variables) != set(first.variables) or any(
                chunk.variables[n].dims != first.variables[n].dims for n in first.variables
            ):
                raise ValueError(f"task: chunk {index} has other variables or dims than chunk 0")
            for name, index_ in first.indexes.items():
                if name != "scenario" and not chunk.indexes[name].equals(index_):
                    raise ValueError(
                        f"task: chunk {index}'s {name!r} coordinate differs from chunk 0"
                    )
        _check_static(first, chunk, index)

    def result(self) -> xr.Dataset:
        first = self.first
        if "scenario" not in first.dims:
            return first
        ids = np.concatenate([np.asarray(ids) for ids in self.plan])
        variables = {}
        for name, variable in first.variables.items():
            if name == "scenario":
                variables[name] = xr.Variable("scenario", ids.astype(variable.dtype),
                                              variable.attrs)  # fmt: skip
            elif name in self.arrays:
                variables[name] = xr.Variable(variable.dims, self.arrays[name], variable.attrs)
            else:
                variables[name] = variable
        coords = {name: variables[name] for name in first.coords}
        data = {name: variables[name] for name in first.data_vars}
        return xr.Dataset(data, coords=coords, attrs=dict(first.attrs))


def _check_static(first: xr.Dataset, chunk: xr.Dataset, index: int) -> None:
    """Variables without a scenario dim must be the same in every chunk as in chunk 0."""
    for name, var in first.data_vars.items():
        if "scenario" in var.dims:
            continue
        if name not in chunk.data_vars or not chunk[name].equals(var):
            raise ValueError(
                f"task: variable {name!r} has no scenario dimension but differs between "
                f"chunk 0 and chunk {index}; such variables must be the same for every chunk"
            )


def _assemble(chunks: list[xr.Dataset]) -> xr.Dataset:
    """Concatenate along ``scenario``; take scenario-free variables from the first chunk."""
    first = chunks[0]
    static = [name for name, var in first.data_vars.items() if "scenario" not in var.dims]
    for index, chunk in enumerate(chunks[1:], start=1):
        _check_static(first, chunk, index)
    if "scenario" not in first.dims:
        return first
    if len(chunks) == 1:
        return first.copy()
    varying = [name for name in first.data_vars if name not in static]
    combined = xr.concat(
        [chunk[varying] for chunk in chunks],
        dim="scenario",
        data_vars="minimal",
        coords="minimal",
        compat="override",
        join="exact",
        combine_attrs="override",
    )
    out = combined.assign({name: first[name] for name in static})
    out = out[list(first.data_vars)]  # the task's order of variables
    out.attrs = dict(first.attrs)
    return out


def _progress_bar(total: int, done: int, show: bool):
    # tqdm.auto picks the notebook widget, which warns without ipywidgets: only when shown
    if show:
        from tqdm.auto import tqdm
    else:
        from tqdm import tqdm

    return tqdm(total=total, initial=done, disable=not show, desc="scenario chunks", unit="chunk")


def _import_distributed():
    try:
        import distributed
    except ImportError as error:
        raise ImportError(f"run(client=...) needs dask.distributed: {_SCALE_HINT}") from error
    return distributed


@contextlib.contextmanager
def _client(client, n_chunks: int):
    """The client to use: a new LocalCluster for ``"local"`` (closed on exit), a new
    Client for a scheduler address string (closed on exit), else as given."""
    if isinstance(client, str) and client != "local":
        distributed = _import_distributed()
        with distributed.Client(client) as remote:
            yield remote
        return
    if not (isinstance(client, str) and client == "local"):
        yield client
        return
    distributed = _import_distributed()
    cpus = getattr(os, "process_cpu_count", os.cpu_count)() or 1  # the CPUs this process may use
    cluster = distributed.LocalCluster(
        n_workers=max(1, min(cpus, n_chunks)),
        threads_per_worker=1,
        processes=True,
        # this machine only: the scheduler, the workers and the dashboard, which has no
        # authentication; any free port, never clashing with another cluster on 8787
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
    )
    try:
        with distributed.Client(cluster) as local_client:
            yield local_client
    finally:
        cluster.close()


def _run_distributed(client, task, plan, todo, finish) -> None:
    """Submit the chunks in ``todo`` and ``finish`` each one as it completes."""
    distributed = _import_distributed()
    futures = {
        client.submit(_compute_chunk, task, plan[index], pure=False): index for index in todo
    }
    try:
        # loop= : the client need not be the default one (Client(set_as_default=False))
        for future in distributed.as_completed(list(futures), loop=client.loop):
            index = futures.pop(future)
            finish(index, future.result())
            future.release()
    finally:
        if futures:  # an error: do not leave the remaining chunks running
            client.cancel(list(futures))


# ------------------------------------------------------------------- chunk store


def _import_zarr():
    try:
        import zarr
    except ImportError as error:
        raise ImportError(f"run(store=...) and .zarr output need zarr: {_SCALE_HINT}") from error
    return zarr


class _ChunkStore:
    """A Zarr store directory holding the finished chunks of one run.

    Layout: the root group has the attribute ``powermodel_run`` (format,
    fingerprint, chunk size, number of scenarios) and the array
    ``scenario_ids``; each finished chunk ``i`` is the child group
    ``chunk-{i:06d}``, which exists only once completely written.
    """

    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def open(cls, store, ids: np.ndarray, chunk_size: int, fingerprint) -> _ChunkStore:
        _import_zarr()
        path = Path(store)
        if isinstance(fingerprint, Mapping):
            fingerprint = {str(key): str(value) for key, value in fingerprint.items()}
        elif fingerprint is not None and not isinstance(fingerprint, str):
            raise TypeError(
                f"fingerprint: must be a str, a mapping or None, got {type(fingerprint).__name__}"
            )
        meta = {
            "format": _STORE_FORMAT,
            "fingerprint": fingerprint,
            "chunk_size": chunk_size,
            "n_scenarios": len(ids),
        }
        if not path.exists():
            _check_directory(path)
            root = xr.Dataset(
                {"scenario_ids": ("scenario", ids)},
                attrs={_STORE_ATTR: meta},
            )
            with contextlib.suppress(FileExistsError):  # another run created it meanwhile
                _atomic(path, lambda tmp: root.to_zarr(tmp, mode="w-", consolidated=False))
        cls._check_same_run(path, meta, ids)
        return cls(path)

    @staticmethod
    def _check_same_run(path: Path, meta: dict, ids: np.ndarray) -> None:
        zarr = _import_zarr()
        try:  # read the root's attributes and the ids only, not every chunk's metadata
            stored = dict(zarr.open_group(str(path), mode="r").attrs[_STORE_ATTR])
            stored_ids = np.asarray(zarr.open_array(str(path / "scenario_ids"), mode="r")[...])
        except Exception as error:
            raise ValueError(
                f"store: {str(path)!r} exists but is not a powermodel run store ({error}); "
                "give a new path or remove it"
            ) from None
        if isinstance(meta["fingerprint"], dict) and isinstance(stored.get("fingerprint"), dict):
            differ = _differences(stored["fingerprint"], meta["fingerprint"])
            if differ:
                raise ValueError(
                    f"store: {str(path)!r} holds another run: {differ} differ; give a new "
                    "store path, or remove the store to start again"
                )
            stored["fingerprint"] = meta["fingerprint"]
        for key, value in meta.items():
            if stored.get(key) != value:
                raise ValueError(
                    f"store: {str(path)!r} holds another run: its {key} is "
                    f"{stored.get(key)!r}, this run's is {value!r}; give a new store path, or "
                    "remove the store to start again"
                )
        if not np.array_equal(stored_ids, ids):
            differ = int(np.count_nonzero(stored_ids != ids))
            raise ValueError(
                f"store: {str(path)!r} holds another run: {differ} of its {len(ids)} scenario "
                "ids differ from this run's; give a new store path, or remove the store"
            )

    def _chunk_path(self, index: int) -> Path:
        return self.path / f"{_CHUNK_PREFIX}{index:06d}"

    def remove_temporaries(self) -> None:
        """Remove chunks half-written by an interrupted run (call holding the lock)."""
        for entry in self.path.iterdir():
            if entry.name.startswith("." + _CHUNK_PREFIX) and _TMP_MARK in entry.name:
                _remove(entry)

    def complete(self, n_chunks: int) -> list[int]:
        """Indices of the chunks already in the store."""
        return [index for index in range(n_chunks) if self._chunk_path(index).is_dir()]

    def discard(self, index: int) -> None:
        """Remove chunk ``index`` (damaged) so that it is written again."""
        _remove(self._chunk_path(index))

    def read(self, index: int, lazy: bool = False) -> xr.Dataset:
        """Chunk ``index``, checked against its manifest (``lazy``: unchecked, dask-backed).

        Raises
        ------
        _DamagedChunk
            No manifest, an unreadable array, or an array whose checksum
            differs from the manifest's.
        """
        path = self._chunk_path(index)
        if lazy:  # read back once already, checked; dask arrays reading the store
            chunk = xr.open_zarr(path, consolidated=False)
            chunk.attrs.pop(_MANIFEST, None)
            return self._restore_dtypes(chunk.drop_encoding())
        try:
            chunk = xr.open_zarr(path, consolidated=False).load()
        except Exception as error:  # a truncated or missing file: zstd, zarr, OS errors
            raise _DamagedChunk(f"cannot read it: {type(error).__name__}: {error}") from None
        manifest = chunk.attrs.pop(_MANIFEST, None)
        if not isinstance(manifest, dict):
            raise _DamagedChunk("it has no manifest (it was not written completely)")
        chunk = self._restore_dtypes(chunk.drop_encoding())
        got = _checksums(chunk)
        if set(got) != set(manifest):
            missing = sorted(set(manifest) ^ set(got))
            raise _DamagedChunk(f"arrays {missing} missing or unexpected")
        wrong = sorted(name for name in got if got[name] != manifest[name])
        if wrong:
            raise _DamagedChunk(f"arrays {wrong} do not match their checksums")
        return chunk

    @staticmethod
    def _restore_dtypes(chunk: xr.Dataset) -> xr.Dataset:
        dtypes = chunk.attrs.pop(_DTYPES_ATTR, {})
        for name, code in dtypes.items():
            # CF decoding gives datetime64[ns] whatever was written (pandas 3 makes [us])
            if name in chunk.variables and chunk[name].dtype != np.dtype(code):
                cast = chunk[name].variable.astype(np.dtype(code))
                if name in chunk.coords:
                    chunk = chunk.assign_coords({name: cast})
                else:
                    chunk[name] = cast
        return chunk

    def write(self, index: int, chunk: xr.Dataset) -> None:
        dtypes = {name: var.dtype.str for name, var in chunk.variables.items()}
        tagged = chunk.copy(deep=False)
        tagged.attrs = {**chunk.attrs, _DTYPES_ATTR: dtypes}
        manifest = _checksums(chunk)
        zarr = _import_zarr()

        def save(tmp: Path) -> None:
            tagged.to_zarr(tmp, mode="w-", consolidated=False)
            # last, once every array is written: the chunk is complete
            zarr.open_group(str(tmp), mode="r+").attrs[_MANIFEST] = manifest

        _atomic(self._chunk_path(index), save)


class _DamagedChunk(Exception):
    """A stored chunk that does not match its manifest (the message says how)."""


def _checksums(dataset: xr.Dataset) -> dict[str, str]:
    """SHA-256 of each variable's dtype, shape and bytes."""
    sums = {}
    for name, variable in dataset.variables.items():
        values = np.ascontiguousarray(variable.values)
        digest = hashlib.sha256(f"{values.dtype.str} {values.shape}".encode())
        data = repr(values.tolist()).encode() if values.dtype == object else values.tobytes()
        digest.update(data)
        sums[str(name)] = digest.hexdigest()
    return sums


def _differences(stored: dict, ours: dict) -> str:
    """The entries of two fingerprints that differ, named, with short values shown."""
    parts = []
    for key in sorted(set(stored) | set(ours)):
        a, b = stored.get(key), ours.get(key)
        if a == b:
            continue
        if a is not None and b is not None and len(a) <= 60 and len(b) <= 60:
            parts.append(f"{key} (store: {a}, this run: {b})")
        else:
            parts.append(key)
    return ", ".join(parts)


class _StoreLock:
    """An exclusive lock file in a store: created with O_EXCL, holding pid, host and start.

    A lock whose owner was on this host and is no longer alive is stale and
    taken over; a live owner's (or another host's) lock refuses the run.
    """

    def __init__(self, store: Path):
        self.path = store / _LOCK
        self.owner = {"pid": os.getpid(), "host": socket.gethostname(), "since": time.time()}

    def __enter__(self) -> _StoreLock:
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                if not self._stale():
                    raise StoreBusyError(self._busy_message()) from None
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                json.dump(self.owner, file)
            return self
        raise StoreBusyError(self._busy_message())

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def _holder(self) -> dict | None:
        try:
            return json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return None

    def _stale(self) -> bool:
        holder = self._holder()
        if holder is None:  # being written this instant, or garbage: wait for a retry
            time.sleep(0.1)
            holder = self._holder()
            if holder is None:
                return True
        if holder.get("host") != socket.gethostname():
            return False  # cannot tell whether a process on another host lives
        try:
            os.kill(int(holder["pid"]), 0)
        except ProcessLookupError:
            return True
        except (PermissionError, ValueError, KeyError, TypeError):
            return False
        return False

    def _busy_message(self) -> str:
        holder = self._holder() or {}
        since = holder.get("since")
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(since)) if since else "?"
        return (
            f"store: {str(self.path.parent)!r} is in use by process {holder.get('pid', '?')} on "
            f"{holder.get('host', '?')} (since {when}); wait for that run to finish, use another "
            f"store, or remove {str(self.path)!r} if that process is gone"
        )


# ------------------------------------------------------------------------ output


def check_writable(path: str | os.PathLike, overwrite: bool = False) -> Path:
    """Check, before a long computation, that :func:`write` could write ``path``.

    Parameters
    ----------
    path : str or path-like
        Output path ending in ``.nc`` (NetCDF4) or ``.zarr`` (Zarr store).
    overwrite : bool
        Whether an existing ``path`` may be replaced.

    Returns
    -------
    pathlib.Path
        ``path`` as a Path.

    Raises
    ------
    ValueError
        Another suffix.
    FileExistsError
        ``path`` exists and ``overwrite`` is false.
    FileNotFoundError
        The parent directory does not exist.
    PermissionError
        The parent directory is not writable.

    Examples
    --------
    >>> check_writable("results.txt")
    Traceback (most recent call last):
    ...
    ValueError: path: 'results.txt' must end in .nc (NetCDF) or .zarr (Zarr store)
    """
    path = Path(path)
    kind = _output_format(path)
    if (path.exists() or path.is_symlink()) and not overwrite:
        raise FileExistsError(
            f"path: {str(path)!r} already exists; pass overwrite=True "
            "(on the command line --overwrite) to replace it"
        )
    if path.is_dir() and not path.is_symlink() and not (kind == "zarr" and _is_zarr(path)):
        # overwrite replaces an output, never a folder of other things
        raise IsADirectoryError(
            f"path: {str(path)!r} is a directory that is not a {kind} output; "
            "not replaced (remove it yourself if that is what you want)"
        )
    _check_directory(path)
    return path


def _is_zarr(path: Path) -> bool:
    """A Zarr store directory (v3 ``zarr.json`` or v2 ``.zgroup``)."""
    return (path / "zarr.json").is_file() or (path / ".zgroup").is_file()


def _remove_stale_temporaries(path: Path) -> None:
    """Remove temporary siblings of ``path`` left by killed processes of this host.

    Their names hold the writer's pid (:func:`_temporary_sibling`); one whose
    process no longer exists was killed (``kill -9``) before it could clean up.
    """
    prefix = f".{path.name}."
    try:
        entries = list(path.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        kind, _, rest = entry.name[len(prefix) :].partition("-")
        pid = rest.split("-", 1)[0]
        if kind != "tmp" or not pid.isdigit():  # an "old" one may be the only copy left
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            _remove(entry)
        except (PermissionError, OverflowError):
            pass


def write(dataset: xr.Dataset, path: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """Write a Dataset to NetCDF or Zarr, atomically.

    The data go into a temporary sibling of ``path`` (same directory, name
    starting with ``.``), which is renamed to ``path`` only once complete;
    on any error the temporary is removed and an existing ``path`` is left
    untouched.

    Parameters
    ----------
    dataset : xarray.Dataset
        What to write; lazy (dask) variables are computed while writing.
    path : str or path-like
        ``*.nc`` for NetCDF4 (engine h5netcdf) or ``*.zarr`` for a Zarr
        store directory (with consolidated metadata).
    overwrite : bool
        Replace an existing ``path``.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ValueError, FileExistsError, FileNotFoundError, PermissionError
        As :func:`check_writable`.
    ImportError
        A ``.zarr`` path without zarr installed.
    """
    if not isinstance(dataset, xr.Dataset):
        raise TypeError(f"dataset: must be an xarray.Dataset, got {type(dataset).__name__}")
    path = check_writable(path, overwrite)
    _remove_stale_temporaries(path)
    if _output_format(path) == "netcdf":

        def save(tmp: Path) -> None:
            dataset.to_netcdf(tmp, engine="h5netcdf")

    else:
        _import_zarr()

        def save(tmp: Path) -> None:
            with warnings.catch_warnings():
                # zarr 3 warns that consolidated metadata is not (yet) in its v3 spec
                warnings.filterwarnings("ignore", message="Consolidated metadata")
                dataset.to_zarr(tmp, mode="w-", consolidated=True)

    _atomic(path, save, overwrite=overwrite)
    return path


def _output_format(path: Path) -> str:
    try:
        return _SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise ValueError(
            f"path: {str(path)!r} must end in .nc (NetCDF) or .zarr (Zarr store)"
        ) from None


def _check_directory(path: Path) -> None:
    """The directory that will hold ``path`` exists and is writable."""
    parent = path.parent
    if not parent.is_dir():
        raise FileNotFoundError(
            f"path: cannot write {str(path)!r}: directory {str(parent)!r} does not exist"
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise PermissionError(
            f"path: cannot write {str(path)!r}: directory {str(parent)!r} is not writable"
        )


def _temporary_sibling(path: Path, kind: str = "tmp") -> Path:
    return path.with_name(f".{path.name}.{kind}-{os.getpid()}-{uuid.uuid4().hex[:12]}")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _atomic(path: Path, save: Callable[[Path], object], *, overwrite: bool = False) -> None:
    """Run ``save(tmp)`` on a temporary sibling, then move it to ``path``.

    A file replaces a file in one ``os.replace``. A directory (Zarr store),
    or a file replacing a directory, cannot be swapped in one system call:
    the old ``path`` is first renamed aside, the new one renamed in, and
    the old one deleted; if the second rename fails the old one is put back.
    """
    tmp = _temporary_sibling(path)
    try:
        save(tmp)
        exists = path.exists() or path.is_symlink()
        if exists and not overwrite:
            raise FileExistsError(f"path: {str(path)!r} appeared while writing; not replaced")
        if not exists or (tmp.is_file() and not path.is_dir()):
            os.replace(tmp, path)
            return
        old = _temporary_sibling(path, "old")
        os.replace(path, old)
        try:
            os.replace(tmp, path)
        except BaseException:
            os.replace(old, path)
            raise
        _remove(old)
    except BaseException:
        _remove(tmp)
        raise
