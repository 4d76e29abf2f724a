"""The `powermodel simulate`, `site` and `capacity` commands."""

from __future__ import annotations

import pytest
import xarray as xr

from powermodel import site as sites
from powermodel.cli import main


def test_simulate_prints_a_table_and_writes_results_and_a_figure(tmp_path, capsys):
    out, figure = tmp_path / "r.nc", tmp_path / "r.png"
    args = ["simulate", "--scenarios", "2", "--hours", "48", "--out", str(out)]
    assert main([*args, "--plot", str(figure)]) == 0
    printed = capsys.readouterr().out
    for row in ("facility energy", "PUE", "unserved hours", "CO2e (location-based)", "P99"):
        assert row in printed
    with xr.open_dataset(out) as result:
        assert result.sizes == {"time": 48, "scenario": 2}
        assert result["power_facility"].attrs["units"] == "W"
    assert figure.stat().st_size > 10_000
    # an existing output is refused, and left as it was
    before = out.stat().st_mtime_ns
    assert main(args) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert out.stat().st_mtime_ns == before
    assert main([*args, "--overwrite"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.nc", "r.png"]  # no temporaries


def test_bad_inputs_exit_nonzero_with_a_message_and_write_nothing(tmp_path, capsys):
    broken = tmp_path / "broken.toml"
    broken.write_text('[site]\nname = "x"\nlatitude = 1\n')
    assert main(["simulate", str(broken), "--hours", "2"]) == 2
    assert "broken.toml: site.longitude" in capsys.readouterr().err
    assert main(["simulate", "--site", "nowhere", "--hours", "2"]) == 2
    assert "built-in sites" in capsys.readouterr().err
    missing = tmp_path / "no" / "r.nc"
    assert main(["simulate", "--hours", "2", "--out", str(missing)]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["simulate", "--hours", "2", "--plot", str(tmp_path / "r.txt")]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.toml"]


def test_site_show_prints_a_file_that_loads(tmp_path, capsys):
    assert main(["site", "list"]) == 0
    assert "dra01" in capsys.readouterr().out.split()
    assert main(["site", "show", "dra01"]) == 0
    copy = tmp_path / "my.toml"
    copy.write_text(capsys.readouterr().out)
    assert sites.load(copy).grid == sites.load("dra01").grid


def test_capacity_prints_racks_per_phase(capsys):
    args = ["capacity", "--scenarios", "2", "--hours", "24", "--probability", "0"]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "2025-10-01" in printed and "2027-01-01" in printed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--seed", "-1"], "argument --seed: must be an integer >= 0, got -1"),
        (["--scenarios", "0"], "argument --scenarios: must be an integer >= 1"),
        (["--hours", "x"], "argument --hours: must be an integer, got 'x'"),
        (["--chunk-size", "0"], "argument --chunk-size: must be an integer >= 1"),
    ],
)
def test_bad_numbers_name_their_option(args, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["simulate", "--hours", "2", *args])
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "2025-13-01"], "--start: '2025-13-01' is not a date and time"),
        (["--start", ""], "--start: a first time stamp is needed"),
        (["--freq", "ME"], "--freq: 'ME' is not a fixed time step"),
        (["--hours", "10", "--freq", "7min"], "--hours: 10 h is not a whole number of 7min"),
        (["--start", "2020-01-01"], "start: no racks are in service"),
        (["--hours", "30000000"], "out of memory: this run needs about"),
    ],
)
def test_bad_runs_are_refused_before_any_work(args, message, capsys):
    assert main(["simulate", "--scenarios", "2", "--hours", "24", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_hours_are_hours_whatever_the_step(capsys):
    assert main(["simulate", "--scenarios", "1", "--hours", "6", "--freq", "15min"]) == 0
    assert "1 scenarios x 24 steps" in capsys.readouterr().out


def test_capacity_probability_must_be_a_probability(capsys):
    for value in ("-1", "nan", "1.5"):
        with pytest.raises(SystemExit):
            main(["capacity", "--hours", "2", "--probability", value])
        assert "argument --probability: must be a number in [0, 1]" in capsys.readouterr().err


def test_a_read_only_plot_folder_is_refused_before_the_run(tmp_path, capsys):
    import os

    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("root writes to read-only directories")
        assert main(["simulate", "--hours", "2", "--plot", str(folder / "f.png")]) == 2
        assert "--plot: the folder" in capsys.readouterr().err
    finally:
        folder.chmod(0o700)


def test_ctrl_c_says_what_the_store_kept(tmp_path, monkeypatch, capsys):
    from powermodel import simulate

    store = tmp_path / "run.zarr"
    assert main(["simulate", "--scenarios", "2", "--hours", "4", "--chunk-size", "1",
                 "--store", str(store)]) == 0  # fmt: skip

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(simulate, "simulate", interrupted)
    capsys.readouterr()
    code = main(["simulate", "--scenarios", "2", "--hours", "4", "--store", str(store)])
    assert code == 130
    assert f"interrupted; 2 finished chunks kept in {store}" in capsys.readouterr().err


def test_a_weather_gap_is_reported_in_the_table(tmp_path, capsys):
    import numpy as np
    import pandas as pd

    temp = 5.0 + np.zeros(24)
    temp[3:6] = np.nan
    text = tmp_path / "site.toml"
    from powermodel import site as sites

    body = sites.text("dra01")
    synthetic = '[climate]\nsource = "synthetic"\nclimate = "tordal"'
    assert synthetic in body
    text.write_text(body.replace(synthetic, '[climate]\nsource = "w.csv"'))
    times = pd.date_range("2025-10-01", periods=24, freq="1h")  # the first grid phase
    pd.DataFrame({"time": times.strftime("%Y-%m-%dT%H:%M"), "temp_air": temp,
                  "relative_humidity": 70.0, "pressure": 99000.0}).to_csv(
        tmp_path / "w.csv", index=False)  # fmt: skip
    assert main(["simulate", str(text), "--scenarios", "2", "--hours", "24"]) == 0
    out = capsys.readouterr().out
    assert "warning: 2 of 2 scenarios have up to 3 h with missing inputs" in out
