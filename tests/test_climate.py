"""Weather readers: EPW (pvlib), CSV and NetCDF, on small files; bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from powermodel import climate
from powermodel.psychrometrics import moist_air

DATA = Path(__file__).parent / "data" / "climate"


def test_read_epw_real_file():
    weather = climate.read_epw(DATA / "sf_tmy3_first_48h.epw")
    assert weather.sizes["time"] == 48
    # first row: hour 1 of 1 Jan, 00:00-01:00 local standard time (UTC-8), starts 08:00 UTC
    assert pd.Timestamp(weather.time.values[0]) == pd.Timestamp("1999-01-01 08:00")
    first = weather.isel(time=0)
    assert float(first.temp_air) == 7.2 and float(first.relative_humidity) == 90.0
    assert float(first.pressure) == 102200.0
    assert weather.temp_air.attrs["units"] == "degC" and weather.pressure.attrs["units"] == "Pa"
    assert weather.attrs["latitude"] == pytest.approx(37.62)
    # the file's dew point agrees with ours from its temperature and humidity
    dew = moist_air(weather.temp_air, weather.relative_humidity, weather.pressure).temp_dew
    assert float(dew[0]) == pytest.approx(5.6, abs=0.15)


def test_read_csv_with_own_column_names(tmp_path):
    path = tmp_path / "station.csv"
    times = pd.date_range("2025-01-01 00:00", periods=4, freq="15min")
    pd.DataFrame(
        {
            "stamp": times,
            "t": [-3.0, -3.5, -4.0, -4.2],
            "rh": [85, 86, 88, 90],
            "p_hpa": [1002.0, 1002.1, 1002.3, 1002.2],
        }
    ).to_csv(path, index=False)
    weather = climate.read_csv(
        path, time="stamp", temp_air="t", relative_humidity="rh", pressure="p_hpa",
        timezone="Europe/Oslo", pressure_units="hPa",
    )  # fmt: skip
    assert pd.Timestamp(weather.time.values[0]) == pd.Timestamp("2024-12-31 23:00")  # CET -> UTC
    np.testing.assert_allclose(weather.pressure, [100200.0, 100210.0, 100230.0, 100220.0])


def test_read_netcdf_era5_style(tmp_path):
    path = tmp_path / "era5.nc"
    times = pd.date_range("2025-07-01", periods=6, freq="1h")
    t2m = np.array([290.0, 291.0, 292.5, 293.0, 292.0, 291.0])
    source = xr.Dataset(
        {
            "t2m": (("time", "latitude", "longitude"), t2m[:, None, None], {"units": "K"}),
            "d2m": (("time", "latitude", "longitude"), (t2m - 5.0)[:, None, None], {"units": "K"}),
            "sp": (("time", "latitude", "longitude"), np.full((6, 1, 1), 98000.0), {"units": "Pa"}),
        },
        coords={"time": times, "latitude": [59.2], "longitude": [8.8]},
    )
    source.to_netcdf(path, engine="h5netcdf")
    weather = climate.read_netcdf(path)
    np.testing.assert_allclose(weather.temp_air, t2m - 273.15)
    # relative humidity from the dew point: the dew point comes back from our psychrometrics
    dew = moist_air(weather.temp_air, weather.relative_humidity, weather.pressure).temp_dew
    np.testing.assert_allclose(dew, t2m - 5.0 - 273.15, atol=1e-6)


def test_bad_weather_is_refused(tmp_path):
    times = pd.date_range("2025-01-01", periods=3, freq="1h")
    good = xr.Dataset(
        {
            "temp_air": ("time", [1.0, 2.0, 3.0]),
            "relative_humidity": ("time", [50.0, 60.0, 70.0]),
            "pressure": ("time", [1e5, 1e5, 1e5]),
        },
        coords={"time": times},
    )
    climate.validate_weather(good)
    with pytest.raises(ValueError, match=r"relative_humidity has 2 values outside \[0, 100\]"):
        climate.validate_weather(good.assign(relative_humidity=("time", [50.0, 101.0, -1.0])))
    with pytest.raises(ValueError, match="missing weather variables \\['pressure'\\]"):
        climate.validate_weather(good.drop_vars("pressure"))
    irregular = good.assign_coords(time=pd.to_datetime(["2025-01-01 00:00", "2025-01-01 01:00",
                                                        "2025-01-01 03:00"]))  # fmt: skip
    with pytest.raises(ValueError, match="not evenly spaced"):
        climate.validate_weather(irregular)
    path = tmp_path / "w.csv"
    pd.DataFrame({"time": times, "temp_air": [1, 2, 3]}).to_csv(path, index=False)
    with pytest.raises(ValueError, match="missing columns"):
        climate.read_csv(path)


def test_synthetic_scenario_depends_only_on_seed_and_id():
    many = climate.synthetic(periods=24 * 10, scenarios=4, seed=7)
    alone = climate.synthetic(periods=24 * 10, scenarios=[2], seed=7)
    xr.testing.assert_identical(many.sel(scenario=[2]), alone)
    other_seed = climate.synthetic(periods=24 * 10, scenarios=[2], seed=8)
    assert not np.allclose(alone.temp_air, other_seed.temp_air)


def test_synthetic_climate_statistics():
    weather = climate.synthetic(scenarios=64, seed=3)
    data = climate._site_data("tordal")["monthly"]
    normals = np.asarray(data["temp_air_reference"]) + data["temp_air_offset"]
    monthly = weather.temp_air.groupby("time.month").mean(("time", "scenario")).values
    # seasonal cycle of the normals (smoothed between mid-months), within sampling error
    np.testing.assert_allclose(monthly[[0, 6]], normals[[0, 6]], atol=0.8)
    assert monthly[6] - monthly[0] > 15.0
    july = weather.temp_air.isel(scenario=0).sel(time="2025-07").resample(time="1D")
    assert 8.0 < float((july.max() - july.min()).mean()) < 12.0  # the diurnal range
    rh = weather.relative_humidity
    assert float(rh.min()) >= 0.0 and float(rh.max()) <= 100.0
    assert float(rh.sel(time="2025-01").mean()) > float(rh.sel(time="2025-06").mean())
    assert rh.attrs["units"] == "%" and weather.temp_air.attrs["units"] == "degC"


def test_synthetic_quarter_hours_and_errors():
    weather = climate.synthetic(periods=8, freq="15min")
    assert weather.sizes["time"] == 8
    with pytest.raises(KeyError, match="known"):
        climate.synthetic(site="bergen")
    with pytest.raises(ValueError, match="scenarios"):
        climate.synthetic(scenarios=0)


def test_a_broken_epw_file_is_named(tmp_path):
    pytest.importorskip("pvlib")
    path = tmp_path / "bad.epw"
    path.write_text("LOCATION,x\nnonsense\n")
    with pytest.raises(ValueError, match=r"bad.epw: not a readable EPW file"):
        climate.read_epw(path)
    with pytest.raises(FileNotFoundError, match=r"missing.epw: weather file not found"):
        climate.read_epw(tmp_path / "missing.epw")


def test_unreadable_weather_files_are_named(tmp_path):
    garbage = tmp_path / "w.csv"
    garbage.write_bytes(b"\x00\xff\xfe garbage \x00")
    with pytest.raises(ValueError, match=r"w\.csv"):
        climate.read_csv(garbage)
    bad_time = tmp_path / "t.csv"
    bad_time.write_text("time,temp_air,relative_humidity,pressure\nnot a time,1,50,1e5\n")
    with pytest.raises(ValueError, match=r"t\.csv: column 'time' is not time stamps"):
        climate.read_csv(bad_time)
    with pytest.raises(FileNotFoundError, match=r"missing\.nc: weather NetCDF file not found"):
        climate.read_netcdf(tmp_path / "missing.nc")
    nc = tmp_path / "bad.nc"
    nc.write_text("not netcdf")
    with pytest.raises(ValueError, match=r"bad\.nc: not a readable weather NetCDF file"):
        climate.read_netcdf(nc)
