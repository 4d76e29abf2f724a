"""The command line, the time grid helpers, the catalog and the benchmark smoke run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from powermodel import catalog, cli
from powermodel.timegrid import energy, time_grid, time_step, validate_time

ROOT = Path(__file__).resolve().parents[1]


def test_time_grid_hourly_and_quarter_hourly():
    hourly = time_grid("2025-01-01", periods=8760)
    assert len(hourly) == 8760 and time_step(hourly) == pd.Timedelta("1h")
    quarter = time_grid("2025-01-01T00:00+01:00", periods=4, freq="15min")
    assert quarter[0] == pd.Timestamp("2024-12-31 23:00")  # converted to UTC
    assert time_step(quarter) == pd.Timedelta("15min")


def test_energy_is_power_times_step():
    times = time_grid(periods=4, freq="15min")
    power = xr.DataArray([4e6] * 4, dims="time", coords={"time": times}, attrs={"units": "W"})
    result = energy(power)
    assert float(result) == pytest.approx(4e6 * 3600)  # 4 MW for one hour
    assert result.attrs["units"] == "J"
    power[1] = np.nan
    assert np.isnan(float(energy(power)))  # a missing step is not zero energy


def test_validate_time_errors():
    with pytest.raises(ValueError, match="not strictly increasing"):
        validate_time(pd.to_datetime(["2025-01-01 01:00", "2025-01-01 00:00"]))
    with pytest.raises(ValueError, match="not evenly spaced"):
        validate_time(pd.to_datetime(["2025-01-01 00:00", "2025-01-01 01:00", "2025-01-01 03:00"]))
    with pytest.raises(TypeError, match="time: not datetimes"):
        validate_time(["a", "b"])
    with pytest.raises(ValueError, match="periods"):
        time_grid(periods=0)
    with pytest.raises(ValueError, match=r"power: .* units"):
        energy(xr.DataArray([1.0], dims="time", coords={"time": time_grid(periods=1)},
                            attrs={"units": "MW"}))  # fmt: skip


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
