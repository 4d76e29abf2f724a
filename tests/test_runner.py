"""The scenario runner: chunking, Dask, resumable Zarr stores and atomic output."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from powermodel import runner

SEED = 7
PERIODS = 24


def toy_task(ids, seed=SEED, calls=None, fail_on=None, flag=None):
    """A seeded toy Monte Carlo: scenario ``k`` draws from ``default_rng([seed, k])``.

    ``calls``: a file to which every call appends its ids (counts calls, even
    across workers). ``fail_on``/``flag``: raise on the chunk holding scenario
    ``fail_on`` while the file ``flag`` exists, removing it (fails once).
    """
    ids = np.asarray(ids)
    if calls is not None:
        with open(calls, "a") as file:
            file.write(" ".join(map(str, ids.tolist())) + "\n")
    if flag is not None and fail_on in ids and os.path.exists(flag):
        os.remove(flag)
        raise RuntimeError("simulated crash")
    times = pd.date_range("2025-01-01", periods=PERIODS, freq="1h")
    load = np.empty((PERIODS, len(ids)))
    peak = np.empty(len(ids), np.float32)
    events = np.empty(len(ids), np.int64)
    for j, k in enumerate(ids):
        rng = np.random.default_rng([seed, int(k)])
        load[:, j] = 8e6 + 4e6 * rng.random(PERIODS)
        peak[j] = load[:, j].max()
        events[j] = rng.poisson(3.0)
    return xr.Dataset(
        {
            "load": (("time", "scenario"), load, {"units": "W", "long_name": "facility load"}),
            "peak": ("scenario", peak, {"units": "W"}),
            "events": ("scenario", events),
            "capacity": ("time", np.full(PERIODS, 12e6), {"units": "W"}),
        },
        coords={"time": times, "scenario": ids.astype(np.int64)},
        attrs={"title": "toy", "seed": seed},
    )


def assert_bitwise(actual: xr.Dataset, expected: xr.Dataset) -> None:
    xr.testing.assert_identical(actual, expected)
    for name, var in expected.variables.items():
        assert actual[name].dtype == var.dtype, name
        assert actual[name].values.tobytes() == var.values.tobytes(), name


@pytest.fixture(scope="module")
def reference():
    return toy_task(np.arange(7))


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
    )
    with distributed.Client(cluster, set_as_default=False) as dask_client:
        yield dask_client
    cluster.close()


# ------------------------------------------------------------------- chunking


@pytest.mark.parametrize("chunk_size", [1, 3, 7, 100])
def test_chunk_sizes_give_identical_results(chunk_size, reference):
    assert_bitwise(runner.run(toy_task, 7, chunk_size=chunk_size), reference)


@settings(max_examples=25)
@given(n=st.integers(1, 12), chunk_size=st.integers(1, 13), seed=st.integers(0, 2**32 - 1))
def test_any_chunking_equals_one_call(n, chunk_size, seed):
    task = functools.partial(toy_task, seed=seed)
    assert_bitwise(runner.run(task, n, chunk_size=chunk_size), task(np.arange(n)))


def test_explicit_ids_keep_their_order():
    ids = [11, 2, 9, 5, 40]
    result = runner.run(toy_task, ids, chunk_size=2)
    np.testing.assert_array_equal(result["scenario"], ids)
    for k in ids:  # each scenario is its own stream, wherever it falls
        assert_bitwise(result.sel(scenario=[k]), toy_task(np.array([k])))


def test_task_without_scenario_coordinate_gets_the_ids():
    def task(ids):
        return xr.Dataset({"x": ("scenario", ids * 2.0)})

    result = runner.run(task, [4, 5, 6], chunk_size=2)
    np.testing.assert_array_equal(result["scenario"], [4, 5, 6])
    np.testing.assert_array_equal(result["x"], [8.0, 10.0, 12.0])


def test_progress_bar(capsys):
    runner.run(toy_task, 4, chunk_size=2, progress=True)
    assert "2/2" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("scenarios", "chunk_size", "client", "error", "match"),
    [
        (0, 2, None, ValueError, "scenarios: need at least one"),
        ([1, 2, 2], 2, None, ValueError, "scenarios: 1 ids repeated"),
        ([1.5, 2.0], 2, None, TypeError, "scenarios: ids must be integers"),
        ([[1, 2]], 2, None, ValueError, "scenarios: must be a non-empty 1-D"),
        (True, 2, None, TypeError, "scenarios"),
        (4, 0, None, ValueError, "chunk_size"),
        (4, 2.5, None, TypeError, "chunk_size"),
        (4, 2, "cluster", ValueError, "client"),
    ],
)
def test_bad_arguments(scenarios, chunk_size, client, error, match):
    with pytest.raises(error, match=match):
        runner.run(toy_task, scenarios, chunk_size=chunk_size, client=client)


def test_task_must_return_its_ids():
    def shifted(ids):
        return toy_task(ids).assign_coords(scenario=ids + 1)

    with pytest.raises(ValueError, match="scenario coordinate of chunk 0"):
        runner.run(shifted, 4, chunk_size=2)


def test_scenario_free_variables_must_agree_between_chunks():
    def drifting(ids):
        ds = toy_task(ids)
        return ds.assign(capacity=ds["capacity"] + ids[0])

    with pytest.raises(ValueError, match="'capacity' has no scenario dimension"):
        runner.run(drifting, 4, chunk_size=2)


# ----------------------------------------------------------------------- Dask


def test_dask_client_is_bit_identical_and_left_open(client, reference):
    assert_bitwise(runner.run(toy_task, 7, chunk_size=2, client=client), reference)
    assert client.status == "running"


def test_dask_error_propagates(client, tmp_path):
    flag = tmp_path / "flag"
    flag.touch()
    task = functools.partial(toy_task, fail_on=3, flag=str(flag))
    with pytest.raises(RuntimeError, match="simulated crash"):
        runner.run(task, 7, chunk_size=2, client=client)


def test_missing_extra_names_it(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "distributed", None)
    monkeypatch.setitem(sys.modules, "zarr", None)
    with pytest.raises(ImportError, match=r'pip install "powermodel\[scale\]"'):
        runner.run(toy_task, 2, client="local")
    with pytest.raises(ImportError, match=r'pip install "powermodel\[scale\]"'):
        runner.run(toy_task, 2, store=tmp_path / "run.zarr")
    with pytest.raises(ImportError, match=r'pip install "powermodel\[scale\]"'):
        runner.write(toy_task(np.arange(2)), tmp_path / "out.zarr")


# --------------------------------------------------------------------- resume


def _calls(path: Path) -> list[list[int]]:
    if not path.exists():
        return []
    return [[int(k) for k in line.split()] for line in path.read_text().splitlines()]


def test_resume_recomputes_only_missing_chunks(tmp_path, reference):
    store, calls, flag = tmp_path / "run.zarr", tmp_path / "calls", tmp_path / "flag"
    flag.touch()
    task = functools.partial(toy_task, calls=str(calls), fail_on=4, flag=str(flag))

    with pytest.raises(RuntimeError, match="simulated crash"):
        runner.run(task, 7, chunk_size=2, store=store, fingerprint="toy v1")
    assert _calls(calls) == [[0, 1], [2, 3], [4, 5]]
    assert sorted(p.name for p in store.glob("chunk-*")) == ["chunk-000000", "chunk-000001"]
    assert not list(store.glob(".*"))  # no temporaries left behind

    calls.unlink()
    resumed = runner.run(task, 7, chunk_size=2, store=store, fingerprint="toy v1")
    assert _calls(calls) == [[4, 5], [6]]
    assert_bitwise(resumed, reference)

    calls.unlink()
    again = runner.run(task, 7, chunk_size=2, store=store, fingerprint="toy v1")
    assert _calls(calls) == []  # everything read back from the store
    assert_bitwise(again, reference)


def test_resume_on_a_dask_client(tmp_path, client, reference):
    store = tmp_path / "run.zarr"
    runner.run(toy_task, np.arange(4), chunk_size=2, store=store, fingerprint="f")
    (store / "chunk-000001").rename(tmp_path / "gone")  # as if lost before completion
    calls = tmp_path / "calls"
    task = functools.partial(toy_task, calls=str(calls))
    result = runner.run(
        task, np.arange(4), chunk_size=2, client=client, store=store, fingerprint="f"
    )
    assert _calls(calls) == [[2, 3]]
    assert_bitwise(result, reference.isel(scenario=slice(4)))


def test_stale_temporary_chunk_is_ignored_and_removed(tmp_path, reference):
    store = tmp_path / "run.zarr"
    runner.run(toy_task, 7, chunk_size=3, store=store, fingerprint="f")
    (store / "chunk-000002").rename(store / ".chunk-000002.tmp-1-dead")  # a crash mid-write
    result = runner.run(toy_task, 7, chunk_size=3, store=store, fingerprint="f")
    assert_bitwise(result, reference)
    assert not list(store.glob(".*"))
    assert (store / "chunk-000002").is_dir()


@pytest.mark.parametrize(
    ("scenarios", "chunk_size", "fingerprint", "match"),
    [
        (6, 2, "toy v2", "fingerprint is 'toy v1', this run's is 'toy v2'"),
        (6, 2, None, "fingerprint"),
        (6, 3, "toy v1", "chunk_size is 2, this run's is 3"),
        (7, 2, "toy v1", "n_scenarios"),
        (np.arange(1, 7), 2, "toy v1", "6 of its 6 scenario ids differ"),
    ],
)
def test_store_of_another_run_is_refused(tmp_path, scenarios, chunk_size, fingerprint, match):
    store = tmp_path / "run.zarr"
    runner.run(toy_task, 6, chunk_size=2, store=store, fingerprint="toy v1")
    with pytest.raises(ValueError, match=match):
        runner.run(toy_task, scenarios, chunk_size=chunk_size, store=store, fingerprint=fingerprint)


def test_store_that_is_not_a_run_store_is_refused(tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    with pytest.raises(ValueError, match="not a powermodel run store"):
        runner.run(toy_task, 2, store=other)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        runner.run(toy_task, 2, store=tmp_path / "missing" / "run.zarr")


# ---------------------------------------------------------------------- write


@pytest.mark.parametrize("suffix", [".nc", ".zarr"])
def test_write_round_trips(tmp_path, suffix, reference):
    path = runner.write(reference, tmp_path / f"out{suffix}")
    assert path == tmp_path / f"out{suffix}"
    with xr.open_dataset(path, engine="h5netcdf" if suffix == ".nc" else "zarr") as back:
        xr.testing.assert_identical(back.load(), reference)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"out{suffix}"]


@pytest.mark.parametrize("suffix", [".nc", ".zarr"])
def test_write_refuses_existing_path_unless_overwrite(tmp_path, suffix, reference):
    path = tmp_path / f"out{suffix}"
    runner.write(reference.isel(scenario=[0]), path)
    with pytest.raises(FileExistsError, match=r"out.*already exists.*overwrite.*--overwrite"):
        runner.write(reference, path)
    with pytest.raises(FileExistsError, match="overwrite"):
        runner.check_writable(path)
    runner.write(reference, path, overwrite=True)
    with xr.open_dataset(path, engine="h5netcdf" if suffix == ".nc" else "zarr") as back:
        assert back.sizes["scenario"] == 7
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def _failing(dataset: xr.Dataset) -> xr.Dataset:
    """``dataset`` plus a lazy variable whose computation fails halfway through writing."""
    da = pytest.importorskip("dask.array")
    import dask

    @dask.delayed
    def boom():
        raise OSError("disk fell off")

    lazy = da.from_delayed(boom(), shape=(dataset.sizes["scenario"],), dtype=float)
    return dataset.assign(broken=("scenario", lazy))


@pytest.mark.parametrize("suffix", [".nc", ".zarr"])
def test_failed_write_leaves_nothing_and_keeps_the_old_file(tmp_path, suffix, reference):
    path = tmp_path / f"out{suffix}"
    with pytest.raises(OSError, match="disk fell off"):
        runner.write(_failing(reference), path)
    assert list(tmp_path.iterdir()) == []

    old = reference.isel(scenario=[0])
    runner.write(old, path)
    with pytest.raises(OSError, match="disk fell off"):
        runner.write(_failing(reference), path, overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    with xr.open_dataset(path, engine="h5netcdf" if suffix == ".nc" else "zarr") as back:
        xr.testing.assert_identical(back.load(), old)


def test_write_bad_paths_are_named(tmp_path, reference, monkeypatch):
    with pytest.raises(ValueError, match=r"out\.csv.*\.nc.*\.zarr"):
        runner.write(reference, tmp_path / "out.csv")
    missing = tmp_path / "no" / "such" / "out.nc"
    with pytest.raises(FileNotFoundError, match=r"out\.nc.*does not exist"):
        runner.write(reference, missing)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        runner.check_writable(missing)
    monkeypatch.setattr(runner.os, "access", lambda *args: False)  # root may write anywhere
    with pytest.raises(PermissionError, match=r"out\.nc.*not writable"):
        runner.check_writable(tmp_path / "out.nc")
    with pytest.raises(TypeError, match="dataset"):
        runner.write(reference["load"], tmp_path / "x.nc")


def test_local_cluster_of_processes(reference):
    pytest.importorskip("distributed")
    task = functools.partial(toy_task, seed=SEED)  # pickled to worker processes
    assert_bitwise(runner.run(task, 7, chunk_size=3, client="local"), reference)


def test_store_without_fingerprint_resumes(tmp_path, reference):
    store = tmp_path / "run.zarr"
    first = runner.run(toy_task, 7, chunk_size=4, store=store)
    assert_bitwise(runner.run(toy_task, 7, chunk_size=4, store=store), first)
    assert_bitwise(first, reference)
    with pytest.raises(ValueError, match="fingerprint is None"):
        runner.run(toy_task, 7, chunk_size=4, store=store, fingerprint="v1")


# ------------------------------------------------------------ store integrity


def _chunk_files(store: Path, index: int, variable: str) -> list[Path]:
    folder = store / f"chunk-{index:06d}" / variable
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in ("zarr.json",
                  ".zarray", ".zattrs"))  # fmt: skip


def test_an_intact_store_resumes_without_a_warning(tmp_path, reference):
    import warnings

    store = tmp_path / "run.zarr"
    runner.run(toy_task, 7, chunk_size=3, store=store, fingerprint="f")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_bitwise(runner.run(toy_task, 7, chunk_size=3, store=store, fingerprint="f"),
                       reference)  # fmt: skip


@pytest.mark.parametrize("damage", ["delete", "truncate", "garble", "no manifest"])
def test_a_damaged_chunk_is_found_and_computed_again(tmp_path, reference, damage):
    store, calls = tmp_path / "run.zarr", tmp_path / "calls"
    runner.run(toy_task, 7, chunk_size=3, store=store, fingerprint="f")
    files = _chunk_files(store, 1, "events")
    assert files
    if damage == "delete":  # one chunk file of one variable: zarr would fill it in
        files[0].unlink()
    elif damage == "truncate":
        files[0].write_bytes(files[0].read_bytes()[:5])
    elif damage == "garble":  # same length, other bytes: decodes to wrong numbers or fails
        data = bytearray(files[0].read_bytes())
        data[-1] ^= 0xFF
        files[0].write_bytes(bytes(data))
    else:  # a chunk renamed into place by an older or foreign writer
        import zarr

        group = zarr.open_group(str(store / "chunk-000001"), mode="r+")
        del group.attrs["_powermodel_manifest"]
    task = functools.partial(toy_task, calls=str(calls))
    with pytest.warns(runner.StoreWarning, match="chunk 1 .* is damaged"):
        result = runner.run(task, 7, chunk_size=3, store=store, fingerprint="f")
    assert _calls(calls) == [[3, 4, 5]]  # only the damaged chunk
    assert_bitwise(result, reference)
    calls.unlink()
    assert_bitwise(runner.run(task, 7, chunk_size=3, store=store, fingerprint="f"), reference)
    assert _calls(calls) == []  # repaired in the store


_SLOW_RUN = """
import functools, sys, time
sys.path.insert(0, {tests!r})
from test_runner import toy_task
from powermodel import runner

def slow(ids):
    time.sleep(0.4)
    return toy_task(ids)

runner.run(slow, 7, chunk_size=1, store={store!r}, fingerprint="f")
"""


def test_a_second_run_on_a_store_in_use_is_refused(tmp_path, reference):
    import subprocess
    import time

    store = tmp_path / "run.zarr"
    script = _SLOW_RUN.format(tests=str(Path(__file__).parent), store=str(store))
    first = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 60
        while not (store / ".powermodel-lock").exists():
            assert first.poll() is None, "the first run ended early"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        with pytest.raises(runner.StoreBusyError, match=rf"in use by process {first.pid}"):
            runner.run(toy_task, 7, chunk_size=1, store=store, fingerprint="f")
        assert first.wait(timeout=120) == 0
    finally:
        first.kill()
    assert not (store / ".powermodel-lock").exists()
    calls = tmp_path / "calls"
    result = runner.run(functools.partial(toy_task, calls=str(calls)), 7, chunk_size=1,
                        store=store, fingerprint="f")  # fmt: skip
    assert _calls(calls) == []  # the first run's chunks are all complete
    assert_bitwise(result, reference)


def test_a_lock_left_by_a_dead_process_is_taken_over(tmp_path, reference):
    import json
    import socket
    import subprocess

    store = tmp_path / "run.zarr"
    runner.run(toy_task, 7, chunk_size=3, store=store, fingerprint="f")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    lock = {"pid": gone.pid, "host": socket.gethostname(), "since": 0.0}
    (store / ".powermodel-lock").write_text(json.dumps(lock))
    assert_bitwise(runner.run(toy_task, 7, chunk_size=3, store=store, fingerprint="f"), reference)
    assert not (store / ".powermodel-lock").exists()


def test_a_fingerprint_mismatch_names_what_differs(tmp_path):
    store = tmp_path / "run.zarr"
    first = {"seed": "1", "site.grid": "Grid(...)" * 20, "step": "0 days 01:00:00"}
    runner.run(toy_task, 4, chunk_size=2, store=store, fingerprint=first)
    runner.run(toy_task, 4, chunk_size=2, store=store, fingerprint=dict(first))  # same: fine
    other = {**first, "seed": "2", "site.grid": "Grid(other)" * 20}
    with pytest.raises(ValueError, match=r"seed \(store: 1, this run: 2\), site.grid differ"):
        runner.run(toy_task, 4, chunk_size=2, store=store, fingerprint=other)


def test_a_scheduler_address_is_accepted(reference):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, protocol="tcp://", host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:  # fmt: skip
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        assert_bitwise(runner.run(toy_task, 7, chunk_size=3, client=address), reference)


def test_a_local_cluster_listens_on_this_machine_only():
    """The Dask dashboard has no authentication: it must not be reachable from the network."""
    pytest.importorskip("distributed")
    psutil = pytest.importorskip("psutil")

    def listening(process):
        return [c.laddr for c in process.net_connections(kind="inet") if c.status == "LISTEN"]

    me = psutil.Process()
    before = set(listening(me))  # other tests' clusters may still listen in this process
    with runner._client("local", 1) as client:
        addresses = [a for a in listening(me) if a not in before]
        addresses += [a for child in me.children(recursive=True) for a in listening(child)]
        assert client.dashboard_link.startswith("http://127.0.0.1:")
    assert addresses
    assert all(a.ip in ("127.0.0.1", "::1") for a in addresses), addresses


def test_overwrite_never_replaces_a_folder_of_other_things(tmp_path, reference):
    folder = tmp_path / "adir.nc"
    folder.mkdir()
    (folder / "thesis.tex").write_text("years of work")
    with pytest.raises(IsADirectoryError, match="is a directory that is not a netcdf output"):
        runner.write(reference, folder, overwrite=True)
    other = tmp_path / "b.zarr"
    other.mkdir()
    (other / "notes.txt").write_text("keep")
    with pytest.raises(IsADirectoryError, match="not a zarr output"):
        runner.write(reference, other, overwrite=True)
    assert (folder / "thesis.tex").read_text() == "years of work"
    assert (other / "notes.txt").read_text() == "keep"
    store = tmp_path / "c.zarr"
    runner.write(reference, store)
    runner.write(reference, store, overwrite=True)  # a Zarr output may be replaced


def test_temporaries_of_a_killed_writer_are_cleaned_up(tmp_path, reference):
    import subprocess

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    dead = tmp_path / f".out.nc.tmp-{gone.pid}-0123456789ab"
    dead.write_bytes(b"half a file")
    alive = tmp_path / f".out.nc.tmp-{os.getpid()}-0123456789ab"
    alive.write_bytes(b"being written")
    runner.write(reference, tmp_path / "out.nc")
    assert not dead.exists() and alive.exists()


def test_keep_must_be_callable_and_lazy_needs_a_store(tmp_path):
    with pytest.raises(TypeError, match="keep: expected a callable"):
        runner.run(toy_task, 2, keep="summaries")
    with pytest.raises(ValueError, match="lazy: needs a store"):
        runner.run(toy_task, 2, lazy=True)


def test_the_assembler_equals_concatenating_the_chunks_in_any_order():
    """Chunks copied into whole-run arrays as they finish give xr.concat's result."""
    ids = np.arange(11)
    plan = [ids[:4], ids[4:8], ids[8:]]
    chunks = [toy_task(part) for part in plan]
    assembler = runner._Assembler(plan)
    for index in (2, 0, 1):  # as a Dask cluster may finish them
        assembler[index] = chunks[index]
    assert all(index in assembler for index in range(3))
    xr.testing.assert_identical(assembler.result(), runner._assemble(chunks))
    bad = runner._Assembler(plan)
    bad[0] = chunks[0]
    moved = chunks[1].assign_coords(time=chunks[1]["time"] + pd.Timedelta("1h"))
    with pytest.raises(ValueError, match="time"):
        bad[1] = moved
