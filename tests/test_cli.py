"""The command line, the catalog and the benchmark smoke run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from powermodel import catalog, cli

ROOT = Path(__file__).resolve().parents[1]


def test_catalog_sources_and_errors():
    for name in catalog.systems():
        system = catalog.system(name)
        for key in ("power_max", "power_idle", "psu_rated", "fan_power_max", "heat_to_liquid"):
            assert system.sources[f"{key}_source"], (name, key)
    assert catalog.system("gb200-nvl72").cooling == "liquid"
    assert 120e3 <= catalog.system("gb200-nvl72").power_max <= 132e3
    assert catalog.system("dgx-h100").power_max == pytest.approx(10.2e3)
    with pytest.raises(KeyError, match="known systems"):
        catalog.system("nope")
    with pytest.raises(KeyError, match="known"):
        catalog.load_table("nope")


def test_demo_prints_summary(capsys):
    assert cli.main(["demo", "--hours", "48", "--racks", "10", "--backend", "numba"]) == 0
    out = capsys.readouterr().out
    for name in ("power_it", "power_fan", "loss_psu", "loss_ups", "power_total"):
        assert name in out
    assert "10 x gb200-nvl72" in out


def test_demo_default_hall_fits_12_mw(capsys):
    assert cli.main(["demo", "--hours", "24", "--freq", "15min", "--backend", "numpy"]) == 0
    out = capsys.readouterr().out
    assert "92 x gb200-nvl72" in out  # 92 racks x ~129 kW at full load <= 12 MW


def test_demo_bad_backend_exits_nonzero(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["demo", "--backend", "tpu"])
    assert stop.value.code != 0


def test_benchmark_smoke_run(tmp_path):
    path = tmp_path / "bench.json"
    command = [sys.executable, "-m", "benchmarks", "--size", "tiny", "--json", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    records = json.loads(path.read_text())
    kernels = [r for r in records if r["kernel"] in ("fan_barroso", "rack_power", "facility_power")]
    assert kernels and all(r["seconds_median"] > 0 for r in kernels)
    for key in ("shape", "elements_per_second", "gbytes_per_second", "bandwidth_fraction",
                "speedup_vs_numpy", "backend", "dtype"):  # fmt: skip
        assert key in kernels[0]
    assert any(r["kernel"] == "memory_bandwidth" for r in records)


def test_example_script_runs():
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "rack_power_quickstart.py")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "power_total" in done.stdout and "peak hall power" in done.stdout


def test_demo_racks_must_be_positive(capsys):
    for value in ("0", "-5"):
        with pytest.raises(SystemExit):
            cli.main(["demo", "--hours", "2", "--racks", value])
        assert "argument --racks: must be an integer >= 1" in capsys.readouterr().err


def test_an_unforeseen_error_is_said_without_a_traceback(monkeypatch, capsys):
    def broken(args):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(cli, "_demo", broken)
    assert cli.main(["demo", "--hours", "2"]) == 1
    err = capsys.readouterr().err
    assert "internal error: ZeroDivisionError: a bug" in err and "Traceback" not in err
    monkeypatch.setenv("POWERMODEL_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        cli.main(["demo", "--hours", "2"])
