"""The time grid helpers (powermodel.timegrid): grids, steps, energy, validation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from powermodel.timegrid import energy, time_grid, time_step, validate_time


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


def test_whole_numbers_are_not_time_stamps():
    power = xr.DataArray(np.full(24, 1e6), dims="time", coords={"time": np.arange(24)})
    with pytest.raises(TypeError, match=r"time: numbers \(int64\) are not time stamps"):
        energy(power)


def test_time_sum_needs_a_dataarray_with_the_dim():
    from powermodel.timegrid import time_sum

    with pytest.raises(TypeError, match=r"da: expected an xarray\.DataArray"):
        time_sum(np.ones(3))
    with pytest.raises(ValueError, match="has no 'time' dimension"):
        time_sum(xr.DataArray(np.ones(3), dims="x"))
