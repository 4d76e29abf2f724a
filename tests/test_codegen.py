"""The kernel compiler: generated modules, the on-disk cache, and what it must never do.

Most checks run in fresh Python processes, since what is tested is what a
*second* process finds on disk. None of them measures time: reuse is shown
by numba's own cache statistics (hits, misses) of the dispatchers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from powermodel.backends import _codegen
from powermodel.kernels import zone as k

# Runs the grid kernel (small and quick to compile) and prints what numba says
# about its cache: signatures compiled, hits and misses.
GRID_PROBE = """
import json, warnings
import numpy as np
from powermodel.backends._elementwise import elementwise_kernel, launch
from powermodel.kernels import zone as k
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    x = np.array([1.0, 5.0, 9.0])
    out = np.empty((3, 3))
    launch(k.grid_supply, "cpu", (), (x, np.full(3, 4.0), np.zeros(3)), out)
    kernel = elementwise_kernel(k.grid_supply, "cpu", "float64", 0, 3, 3)
stats = kernel.stats
print(json.dumps({
    "served": out[0].tolist(),
    "hits": sum(stats.cache_hits.values()),
    "misses": sum(stats.cache_misses.values()),
    "file": kernel.py_func.__code__.co_filename,
    "warnings": [str(w.message) for w in caught
                 if w.category.__name__ == "KernelCacheWarning"],
}))
"""


def _python(code: str, cache, **env) -> dict:
    """Run ``code`` in a new interpreter with the kernel cache at ``cache``; its JSON."""
    environment = {**os.environ, "POWERMODEL_CACHE_DIR": str(cache), **env}
    environment.pop("NUMBA_CACHE_DIR", None)
    done = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_second_process_reuses_the_compiled_kernel(tmp_path):
    first = _python(GRID_PROBE, tmp_path)
    second = _python(GRID_PROBE, tmp_path)
    assert first["served"] == second["served"] == [1.0, 4.0, 4.0]
    assert first["misses"] >= 1 and first["hits"] == 0  # compiled and saved
    assert second["hits"] >= 1 and second["misses"] == 0  # loaded, nothing compiled
    assert second["file"] == first["file"]
    assert second["file"].startswith(str(tmp_path / "kernels"))
    assert first["warnings"] == second["warnings"] == []


def test_processes_compiling_at_once_share_one_file(tmp_path):
    environment = {**os.environ, "POWERMODEL_CACHE_DIR": str(tmp_path)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", GRID_PROBE], env=environment, stdout=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    results = [json.loads(run.communicate()[0].strip().splitlines()[-1]) for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert {r["file"] for r in results} == {results[0]["file"]}
    assert all(r["served"] == [1.0, 4.0, 4.0] for r in results)
    assert not list((tmp_path / "kernels").glob(".*.tmp"))  # nothing half-written left
    after = _python(GRID_PROBE, tmp_path)
    assert after["hits"] >= 1 and after["misses"] == 0


THREADS_PROBE = """
import json, threading
import numpy as np
from powermodel.backends._elementwise import elementwise_kernel
from powermodel.kernels import zone as k
start = threading.Barrier(6)
kernels, errors = [], []
def build():
    start.wait()
    try:
        kernels.append(elementwise_kernel(k.grid_supply, "cpu", "float64", 0, 3, 3))
    except Exception as error:  # the test prints it
        errors.append(repr(error))
threads = [threading.Thread(target=build) for _ in range(6)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({"errors": errors, "distinct": len({id(x) for x in kernels})}))
"""


def test_threads_building_one_kernel_at_once_get_one_kernel(tmp_path):
    """workload.generate draws scenarios in threads; a fresh Dask worker compiles from them."""
    result = _python(THREADS_PROBE, tmp_path)
    assert result == {"errors": [], "distinct": 1}


EDITABLE = """
from powermodel.kernels._physics import physics

@physics
def doubled(x):
    return x * {factor}
"""

EDITABLE_PROBE = """
import json, sys
sys.path.insert(0, {folder!r})
import editable_physics
from powermodel.backends._codegen import compile_physics
f = compile_physics(editable_physics.doubled, "cpu", "float64")
print(json.dumps({{"value": f(1.5), "file": f.py_func.__code__.co_filename,
                   "hits": sum(f.stats.cache_hits.values())}}))
"""


def test_an_edited_equation_recompiles_and_nothing_stale_runs(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    module = source / "editable_physics.py"
    probe = EDITABLE_PROBE.format(folder=str(source))
    module.write_text(EDITABLE.format(factor="2.0"))
    before = _python(probe, tmp_path / "cache")
    module.write_text(EDITABLE.format(factor="3.0"))
    after = _python(probe, tmp_path / "cache")
    again = _python(probe, tmp_path / "cache")
    assert before["value"] == 3.0
    assert after["value"] == 4.5
    assert after["file"] != before["file"]
    assert again["file"] == after["file"] and again["hits"] >= 1


def test_cache_key_holds_the_compiler_versions(tmp_path, monkeypatch):
    monkeypatch.setenv(_codegen.CACHE_ENV, str(tmp_path))
    _codegen.cache_dir.cache_clear()
    try:
        stem = _codegen._stem  # (name, target, precision, source) -> file stem
        source = "x = 1\n"
        base = stem("probe", "cpu", "float64", source)
        monkeypatch.setattr(_codegen, "_versions", lambda target: "numba 0.0.0")
        assert stem("probe", "cpu", "float64", source) != base
    finally:
        _codegen.cache_dir.cache_clear()


@pytest.mark.parametrize("kind", ["missing parent is a file", "unwritable"])
def test_unusable_cache_dir_warns_once_and_still_computes(tmp_path, kind):
    if kind == "unwritable":
        if os.geteuid() == 0:
            pytest.skip("root writes to read-only directories")
        cache = tmp_path / "ro"
        cache.mkdir()
        cache.chmod(0o500)
    else:
        (tmp_path / "file").write_text("not a directory")
        cache = tmp_path / "file" / "cache"
    code = GRID_PROBE + textwrap.dedent("""
        from powermodel.backends._codegen import compile_physics
        with warnings.catch_warnings(record=True) as more:
            warnings.simplefilter("always")
            compile_physics(k.grid_supply, "cpu", "float32")
        assert not [w for w in more if w.category.__name__ == "KernelCacheWarning"]
    """)
    result = _python(code, cache)
    assert result["served"] == [1.0, 4.0, 4.0]
    assert len(result["warnings"]) == 1
    assert "cannot be used" in result["warnings"][0]
    assert "POWERMODEL_CACHE_DIR" in result["warnings"][0]


def test_generated_files_are_keyed_on_target_and_precision(tmp_path):
    code = textwrap.dedent("""
        import json
        from powermodel.backends._codegen import compile_physics
        from powermodel.kernels import zone as k
        files = [compile_physics(k.grid_supply, "cpu", p).py_func.__code__.co_filename
                 for p in ("float32", "float64")]
        print(json.dumps({"files": files}))
    """)
    files = _python(code, tmp_path)["files"]
    assert len(set(files)) == 2
    assert "float32" in files[0] and "float64" in files[1]


def test_float_literals_take_the_working_precision():
    from powermodel.kernels import rack

    f32 = _codegen.compile_physics(rack.load_fraction_fan_barroso, "cpu", "float32")
    assert f32(np.float32(0.5), np.float32(1.4), np.zeros(1)) == pytest.approx(
        2 * 0.5 - 0.5**1.4, rel=1e-6
    )
    with open(f32.py_func.__code__.co_filename) as handle:
        source = handle.read()
    assert "_pm_real = _pm_numba.float32" in source
    assert "return _pm_real(2.0) * utilization - pow_unit(utilization, exponent)" in source
    assert "def pow_unit(x, y):" in source  # the CPU implementation, under the same name
    assert "Do not edit" in source


def test_template_bindings_must_be_used():
    with pytest.raises(TypeError, match="not used by the template"):
        _codegen.kernel(
            "bad", "def kernel(x, out):\n    out[0] = x[0]\n", "cpu", unused=k.grid_supply
        )


def test_unknown_target_and_precision_are_named():
    with pytest.raises(ValueError, match="target"):
        _codegen.compile_physics(k.grid_supply, "tpu", "float64")
    with pytest.raises(ValueError, match="precision"):
        _codegen.compile_physics(k.grid_supply, "cpu", "float16")
    with pytest.raises(TypeError, match="not marked as a physics function"):
        _codegen.compile_physics(len, "cpu", "float64")


def test_physics_modules_load_no_compiler():
    code = textwrap.dedent("""
        import json, sys
        import powermodel
        import powermodel.kernels.rack, powermodel.kernels.cooling, powermodel.kernels.zone
        import powermodel.kernels.hydro, powermodel.kernels.swing, powermodel.kernels.workload
        print(json.dumps({"loaded": sorted(m for m in ("numba", "llvmlite") if m in sys.modules)}))
    """)
    assert _python(code, "unused")["loaded"] == []


def test_cache_command_reports_and_clears(tmp_path):
    environment = {**os.environ, "POWERMODEL_CACHE_DIR": str(tmp_path)}
    environment.pop("NUMBA_CACHE_DIR", None)
    _python(GRID_PROBE, tmp_path)  # one kernel compiled into the cache

    def command(*words):
        done = subprocess.run(
            [sys.executable, "-m", "powermodel", "cache", *words],
            env=environment, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    info = command()
    assert str(tmp_path / "kernels") in info
    assert "1 generated kernel modules" in info
    assert "removed" in command("clear")
    assert not list((tmp_path / "kernels").glob("*.py"))
    assert "0 generated kernel modules" in command("info")
    again = _python(GRID_PROBE, tmp_path)  # compiles anew after a clear
    assert again["served"] == [1.0, 4.0, 4.0] and again["misses"] >= 1
