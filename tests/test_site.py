"""Site files: the built-in DRA01 site, round trips and every kind of bad input."""

from __future__ import annotations

import dataclasses
import datetime
import re

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from powermodel import catalog, rack, site
from powermodel.site import SiteError


@pytest.fixture(scope="module")
def dra01():
    return site.load("dra01")


def write(tmp_path, content, name="bad.toml"):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def edit(old, new, count=1):
    """The text of dra01.toml with ``old`` replaced by ``new`` (which must occur)."""
    source = site.text("dra01")
    assert old in source, old
    return source.replace(old, new, count)


# ---------------------------------------------------------------------------
# the built-in site


def test_builtin_lists_dra01():
    assert "dra01" in site.builtin()


def test_dra01_values(dra01):
    assert dra01.location.name == "DRA01"
    assert 58 < dra01.location.latitude < 61 and 7 < dra01.location.longitude < 10
    assert dra01.location.timezone == "Europe/Oslo"
    assert [p.capacity_mw for p in dra01.grid.phases] == [12.0, 52.0]
    assert [p.start for p in dra01.grid.phases] == [
        datetime.date(2025, 10, 1),
        datetime.date(2027, 1, 1),
    ]
    assert [(f.system, f.racks, f.start) for f in dra01.fleet] == [
        ("gb200-nvl72", 86, datetime.date(2025, 10, 1)),
        ("gb200-nvl72", 290, datetime.date(2027, 1, 1)),
    ]
    assert dra01.zone.name == "NO2" and dra01.zone.initial_filling is None
    assert dra01.zone.import_limit_mw is None
    assert dra01.cooling.plant == "hybrid-dry-cooler"
    assert dra01.cooling.model().liquid_fraction == 0.8
    assert dra01.climate.synthetic and dra01.climate.builtin_climate == "tordal"
    assert dra01.economics.currency == "NOK" and dra01.economics.energy_price == "zone"
    assert dra01.carbon.basis in ("location", "market")
    assert dra01.carbon.market_residual_mix_g_per_kwh == 402.0
    assert dra01.workload.training_share == 0.7
    assert dra01.workload.training.racks_per_job == 8
    assert dra01.workload.inference.peak == 0.75
    assert dra01.path is None


def test_dra01_every_number_is_cited():
    """Each value in the shipped file has a *_source (names and fixed choices excepted)."""
    import tomllib

    uncited_ok = {"name", "timezone", "source", "climate", "currency", "description", "system"}
    exempt = uncited_ok - {"system"}

    def walk(table, where):
        for key, value in table.items():
            if key.endswith("_source"):
                continue
            if isinstance(value, dict):
                yield from walk(value, f"{where}{key}.")
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                for i, item in enumerate(value):
                    yield from walk(item, f"{where}{key}[{i}].")
            elif key not in exempt and f"{key}_source" not in table:
                yield f"{where}{key}"

    missing = list(walk(tomllib.loads(site.text("dra01")), ""))
    assert missing == []


def test_dra01_sources_kept(dra01):
    assert dra01.fleet[0].sources["racks"].startswith("Derived")
    assert dra01.grid.phases[1].sources["start"].startswith("Assumption")
    assert "wattn.no" in dra01.carbon.sources["market_residual_mix_g_per_kwh"]


def test_dra01_rack_counts_fit_the_grid(dra01):
    """The derivation in dra01.toml: facility load at full utilisation + 7 % cooling."""
    u = xr.DataArray([[1.0]], dims=("time", "rack"))
    per_rack = float(rack.power(u, "gb200-nvl72", backend="numpy")["power_total"].squeeze())
    assert per_rack == pytest.approx(129.16e3, rel=1e-3)
    margin = 1.07
    phase1 = dra01.fleet[0].racks
    total = phase1 + dra01.fleet[1].racks
    assert phase1 * per_rack * margin <= 12e6 < (phase1 + 1) * per_rack * margin
    assert total * per_rack * margin <= 52e6 < (total + 1) * per_rack * margin


def test_capacity_steps_on_the_phase_dates(dra01):
    times = pd.date_range("2026-12-31 22:00", periods=4, freq="1h", name="time")
    capacity = dra01.grid.capacity(times)
    assert capacity.dims == ("time",)
    assert capacity.attrs == {"units": "W", "long_name": "contracted grid connection capacity"}
    np.testing.assert_array_equal(capacity.values, [12e6, 12e6, 52e6, 52e6])
    before = dra01.grid.capacity(pd.DatetimeIndex(["2025-09-30 23:00", "2025-10-01 00:00"]))
    np.testing.assert_array_equal(before.values, [0.0, 12e6])


def test_capacity_accepts_dataarray_and_aware_times(dra01):
    times = pd.date_range("2027-01-01 00:30", periods=2, freq="1h", tz="Europe/Oslo")
    # 00:30 Oslo is 23:30 UTC on 31 December: still phase 1
    np.testing.assert_array_equal(dra01.grid.capacity(times).values, [12e6, 52e6])
    coord = xr.DataArray(pd.date_range("2030-01-01", periods=3, freq="15min"), dims="time")
    assert (dra01.grid.capacity(coord).values == 52e6).all()


def test_racks_in_service(dra01):
    times = pd.DatetimeIndex(["2025-01-01", "2025-10-01", "2026-06-01", "2027-01-01"], name="time")
    racks = dra01.racks(times)
    assert racks.dims == ("fleet", "time")
    assert racks["system"].values.tolist() == ["gb200-nvl72"] * 2
    np.testing.assert_array_equal(racks.values, [[0, 86, 86, 86], [0, 0, 0, 290]])
    assert racks.sum("fleet").values.tolist() == [0, 86, 86, 376]


def test_synthetic_weather(dra01):
    weather = dra01.climate.weather(periods=24, scenarios=1)
    assert {"temp_air", "relative_humidity", "pressure"} <= set(weather.data_vars)


def test_text_round_trips(tmp_path, dra01):
    path = write(tmp_path, site.text("dra01"), "my.toml")
    mine = site.load(path)
    assert mine == dra01
    assert mine.path == path.resolve()
    assert site.load(str(path)) == dra01
    assert site.loads(site.text("dra01")) == dra01


# ---------------------------------------------------------------------------
# bad input: SiteError naming the file and the dotted key

BAD = {
    "unknown key with suggestion": (
        ("racks = 86", "rakcs = 86"),
        "bad.toml: fleet[0].rakcs: unknown key; did you mean 'racks'?",
    ),
    "unknown section": (
        ("[cooling]", "[coolling]"),
        "bad.toml: coolling: unknown key; did you mean 'cooling'?",
    ),
    "citation of an unknown key": (
        ("racks = 86", "racks = 86\nrackz_source = 'x'"),
        "bad.toml: fleet[0].rackz_source: unknown key; did you mean 'racks_source'?",
    ),
    "citation not a string": (
        ('racks_source = "Derived: largest', 'racks_source = 3\nx = "Derived: largest'),
        "bad.toml: fleet[0].racks_source: a citation must be a string, got 3",
    ),
    "wrong type, string for integer": (
        ("racks = 86", 'racks = "86"'),
        'bad.toml: fleet[0].racks: must be an integer, got "86" (a string)',
    ),
    "wrong type, float for integer": (
        ("racks = 86", "racks = 86.5"),
        "bad.toml: fleet[0].racks: must be an integer, got 86.5 (a float)",
    ),
    "wrong type, string for number": (
        ("capacity_mw = 12.0", 'capacity_mw = "12"'),
        "bad.toml: grid.phase[0].capacity_mw: must be a number",
    ),
    "wrong type, quoted date": (
        ("start = 2025-10-01", 'start = "2025-10-01"'),
        "bad.toml: grid.phase[0].start: must be a TOML date",
    ),
    "wrong type, table for value": (
        ('plant = "hybrid-dry-cooler"', 'plant = { name = "hybrid-dry-cooler" }'),
        "bad.toml: cooling.plant: must be a string, got a table",
    ),
    "missing carbon.basis": (
        ('basis = "location"', ""),
        "bad.toml: carbon.basis: required key missing ('location' or 'market')",
    ),
    "bad carbon.basis": (
        ('basis = "location"', 'basis = "both"'),
        "bad.toml: carbon.basis: must be 'location' or 'market', got \"both\"",
    ),
    "missing section": (
        ("[carbon]", "[carbon_]"),
        "bad.toml: carbon_: unknown key",
    ),
    "unknown system": (
        ('system = "gb200-nvl72"', 'system = "gb300-nvl72"'),
        "bad.toml: fleet[0].system: 'gb300-nvl72' is not one of ['dgx-h100'",
    ),
    "unknown plant": (
        ('plant = "hybrid-dry-cooler"', 'plant = "immersion"'),
        "bad.toml: cooling.plant: 'immersion' is not one of",
    ),
    "unknown zone": (
        ('name = "NO2"', 'name = "NO6"'),
        "bad.toml: zone.name: 'NO6' is not one of ['NO2']",
    ),
    "unknown built-in climate": (
        ('climate = "tordal"', 'climate = "bergen"'),
        "bad.toml: climate.climate: 'bergen' has no built-in climate",
    ),
    "phases out of order": (
        ("start = 2027-01-01", "start = 2025-01-01"),
        "bad.toml: grid.phase[1].start: phases must start on strictly increasing dates",
    ),
    "negative capacity": (
        ("capacity_mw = 12.0", "capacity_mw = -12.0"),
        "bad.toml: grid.phase[0].capacity_mw: must be a number > 0, got -12.0",
    ),
    "infinite capacity": (
        ("capacity_mw = 12.0", "capacity_mw = inf"),
        "bad.toml: grid.phase[0].capacity_mw: must be a finite number, got inf",
    ),
    "racks 0": (
        ("racks = 86", "racks = 0"),
        "bad.toml: fleet[0].racks: must be an integer >= 1, got 0",
    ),
    "a trillion racks": (
        ("racks = 86", "racks = 1000000000000"),
        "bad.toml: fleet[0].racks: 1000000000000 racks is implausible (more than 100,000",
    ),
    "10**30 racks": (
        ("racks = 86", "racks = 1000000000000000000000000000000"),
        "bad.toml:",
    ),
    "negative racks in the second entry": (
        ("racks = 290", "racks = -3"),
        "bad.toml: fleet[1].racks: must be an integer >= 1, got -3",
    ),
    "power cap below idle": (
        ("racks = 86", "racks = 86\npower_cap_w = 1000.0"),
        "bad.toml: fleet[0].power_cap_w: must be a rack input power [W] >= 21600",
    ),
    "racks before the grid": (
        (
            'start = 2025-10-01\nstart_source = "Assumption: the racks',
            'start = 2025-01-01\nstart_source = "Assumption: the racks',
        ),
        "bad.toml: fleet[0].start: 2025-01-01 is before the first grid phase starts",
    ),
    "filling outside [0, 1]": (
        ("guide_gain = 2.0", "guide_gain = 2.0\ninitial_filling = 1.5"),
        "bad.toml: zone.initial_filling: must be a number in [0, 1], got 1.5",
    ),
    "negative import limit": (
        ("# import_limit_mw = 5200.0", "import_limit_mw = -1"),
        "bad.toml: zone.import_limit_mw: must be a number >= 0, got -1.0",
    ),
    "bad energy price": (
        ('\nenergy_price = "zone"', '\nenergy_price = "spot"'),
        "bad.toml: economics.energy_price: must be a number or 'zone', got \"spot\"",
    ),
    "bad liquid fraction": (
        ("liquid_fraction = 0.8", "liquid_fraction = 80"),
        "bad.toml: cooling.liquid_fraction: must be a number in [0, 1], got 80.0",
    ),
    "bad timezone": (
        ('timezone = "Europe/Oslo"', 'timezone = "CET+1"'),
        "bad.toml: site.timezone: 'CET+1' is not an IANA time zone",
    ),
    "missing weather file": (
        ('source = "synthetic"\nclimate = "tordal"', 'source = "nope/tordal.epw"'),
        "bad.toml: climate.source: weather file not found: ",
    ),
    "weather file of unknown kind": (
        ('source = "synthetic"\nclimate = "tordal"', 'source = "tordal.xlsx"'),
        "bad.toml: climate.source: 'tordal.xlsx' is neither 'synthetic' nor a weather file",
    ),
    "no grid phase": (
        ("[[grid.phase]]", "[[grid.phase_]]", 2),
        "bad.toml: grid.phase_: unknown key; did you mean 'phase'?",
    ),
    "workload value out of range": (
        ("busy = 0.9", "busy = 1.5"),
        "bad.toml: workload.training.busy: must be a number in [0, 1], got 1.5",
    ),
    "workload unknown key": (
        ("racks_per_job = 8", "racks_per_jobs = 8"),
        "bad.toml: workload.training.racks_per_jobs: unknown key; did you mean 'racks_per_job'?",
    ),
    "workload wrong type": (
        ("racks_per_job = 8", "racks_per_job = 8.0"),
        "bad.toml: workload.training.racks_per_job: must be an integer, got 8.0 (a float)",
    ),
    "invalid TOML": (
        ("racks = 86", "racks = = 86"),
        "bad.toml: invalid TOML: ",
    ),
}


@pytest.mark.parametrize("change, message", BAD.values(), ids=BAD.keys())
def test_bad_input(tmp_path, change, message):
    path = write(tmp_path, edit(*change))
    with pytest.raises(SiteError, match=re.escape(message)):
        site.load(path)


def test_a_byte_order_mark_is_not_an_error(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + site.text("dra01").encode("utf-8"))
    assert site.load(path) == site.load("dra01")


def test_unknown_key_lists_valid_keys(tmp_path):
    path = write(tmp_path, edit("racks = 86", "colour = 'green'"))
    with pytest.raises(SiteError) as error:
        site.load(path)
    assert "valid keys: power_cap_w, racks, start, system" in str(error.value)
    assert "did you mean" not in str(error.value)


def test_missing_required_section(tmp_path):
    source = site.text("dra01")
    source = source[: source.index("[carbon]")]
    with pytest.raises(SiteError, match=re.escape("bad.toml: carbon: required key missing")):
        site.load(write(tmp_path, source))


def test_section_not_a_table(tmp_path):
    source = 'zone = "NO2"\n' + site.text("dra01").replace("[zone]", "[zone_]")
    with pytest.raises(SiteError, match=re.escape('bad.toml: zone: must be a table, got "NO2"')):
        site.load(write(tmp_path, source))


def test_empty_fleet_is_an_error(tmp_path):
    source = site.text("dra01")
    source = (
        "fleet = []\n" + source[: source.index("[[fleet]]")] + source[source.index("[cooling]") :]
    )
    with pytest.raises(SiteError, match=re.escape("bad.toml: fleet: needs at least one")):
        site.load(write(tmp_path, source))


def test_invalid_toml_names_file_and_line(tmp_path):
    path = write(tmp_path, "[site]\nname = 'x'\nlatitude = \n")
    with pytest.raises(SiteError, match=r"bad\.toml: invalid TOML: .*line 3"):
        site.load(path)


def test_unknown_builtin_name_lists_builtins():
    with pytest.raises(SiteError, match=re.escape("built-in sites: ['dra01']")):
        site.load("dra02")
    with pytest.raises(SiteError, match=re.escape("'dra02' is not a built-in site")):
        site.text("dra02")


def test_missing_site_file(tmp_path):
    with pytest.raises(SiteError, match=re.escape("nothere.toml: site file not found")):
        site.load(tmp_path / "nothere.toml")


def test_weather_file_relative_to_site_file(tmp_path, monkeypatch):
    folder = tmp_path / "project"
    (folder / "weather").mkdir(parents=True)
    (folder / "weather" / "tordal.epw").write_text("")
    text = edit('source = "synthetic"\nclimate = "tordal"', 'source = "weather/tordal.epw"')
    path = write(folder, text, "site.toml")
    monkeypatch.chdir(tmp_path)
    loaded = site.load(path)
    assert loaded.climate.path == (folder / "weather" / "tordal.epw").resolve()
    assert not loaded.climate.synthetic
    with pytest.raises(SiteError, match=re.escape("climate.source: weather file not found")):
        site.loads(text, name="site.toml", directory=tmp_path)


def test_decreasing_capacity_is_allowed(tmp_path):
    loaded = site.load(write(tmp_path, edit("capacity_mw = 52.0", "capacity_mw = 6.0")))
    times = pd.DatetimeIndex(["2026-01-01", "2028-01-01"])
    assert loaded.grid.capacity(times).values.tolist() == [12e6, 6e6]


def test_python_construction_checks_values():
    """Dataclasses built in Python check their values too (ValueError naming the field)."""
    with pytest.raises(ValueError, match="racks: must be an integer >= 1, got 0"):
        site.FleetEntry(system="gb200-nvl72", racks=0, start=datetime.date(2025, 1, 1))
    with pytest.raises(ValueError, match=r"phase\[1\].start"):
        site.Grid(
            phases=[
                site.Phase(datetime.date(2026, 1, 1), 12.0),
                site.Phase(datetime.date(2026, 1, 1), 52.0),
            ]
        )
    with pytest.raises(ValueError, match="basis"):
        site.Carbon(basis="residual")
    grid = site.Grid(phases=[site.Phase(datetime.date(2026, 1, 1), 12.0)])
    assert isinstance(grid.phases, tuple)
    assert dataclasses.replace(site.Zone(), initial_filling=0.5).initial_filling == 0.5
    assert "gb200-nvl72" in catalog.systems()


# ---------------------------------------------------------------------------
# fuzzing: any edit of any value gives a Site or a SiteError, never another error

_VALUE_LINES = [
    (i, line) for i, line in enumerate(site.text("dra01").splitlines())
    if re.match(r"^[a-z_]+ = ", line) and not line.split(" = ")[0].endswith("_source")
]  # fmt: skip
_TOML_VALUES = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(
        lambda x: (
            "nan"
            if x != x
            else ("inf" if x == float("inf") else "-inf" if x == float("-inf") else repr(x))
        )
    ),
    st.text(max_size=40).map(
        lambda s: '"' + s.encode("unicode_escape").decode().replace('"', r"\"") + '"'
    ),
    st.sampled_from(
        [
            "true",
            "false",
            "[]",
            "[1, 2]",
            '["a"]',
            "{}",
            "{ a = 1 }",
            "2025-02-30",
            "1979-05-27T07:32:00Z",
            '""',
            '"synthetic"',
            '"../../etc/passwd.csv"',
        ]
    ),
)


@settings(max_examples=150, deadline=None)
@given(edits=st.lists(st.tuples(st.sampled_from(_VALUE_LINES), _TOML_VALUES), min_size=1,
                      max_size=3))  # fmt: skip
def test_fuzzed_site_files_load_or_raise_a_site_error(edits):
    lines = site.text("dra01").splitlines()
    for (index, line), value in edits:
        key = line.split(" = ")[0]
        lines[index] = f"{key} = {value}"
    try:
        result = site.loads("\n".join(lines) + "\n", name="fuzz.toml")
    except SiteError as error:
        assert str(error).startswith("fuzz.toml")
    else:
        assert isinstance(result, site.Site)
