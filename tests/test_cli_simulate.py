"""The `powermodel simulate`, `site` and `capacity` commands."""

from __future__ import annotations

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
