"""Quickstart: a week of hourly power for 100 GB200 NVL72 racks, with a power cap.

Run with ``python examples/rack_power_quickstart.py``. The notebooks that a new user opens
first will live next to this file (examples issue).
"""

import numpy as np
import xarray as xr

from powermodel import rack
from powermodel.timegrid import energy, time_grid

times = time_grid("2025-01-06", periods=7 * 24, freq="1h")
rng = np.random.default_rng(42)
utilization = xr.DataArray(
    np.clip(0.8 + 0.1 * rng.standard_normal((len(times), 100)), 0, 1).astype(np.float32),
    dims=("time", "rack"),
    coords={"time": times},
)

racks = rack.power(utilization, "gb200-nvl72", power_cap=115e3)  # (time, rack) breakdown
hall = rack.facility_power(utilization, "gb200-nvl72", power_cap=115e3)  # summed in-kernel

week = energy(hall) / 3.6e9  # J -> MWh
for name in rack.BREAKDOWN:
    print(f"{name:<12} {float(week[name]):8.1f} MWh  ({racks[name].attrs['long_name']})")
print(f"peak hall power {float(hall.power_total.max()) / 1e6:.2f} MW")
