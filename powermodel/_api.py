"""Shared plumbing of the public functions: input checks, backend dispatch, labels.

Kept out of the physics and out of the domain modules so that every public
function checks and labels its data the same way.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from powermodel.backends import array_module, is_cupy_array
from powermodel.timegrid import validate_time
from powermodel.variables import attrs

__all__ = ["as_float_dataarray", "check_fraction", "label", "per_rack"]

RACK = "rack"


def as_float_dataarray(value, name: str) -> xr.DataArray:
    """``value`` as a float32/float64 DataArray with a valid time axis.

    Integers become float64; other dtypes raise TypeError naming ``name``.
    """
    if not isinstance(value, xr.DataArray):
        raise TypeError(
            f"{name}: expected an xarray.DataArray with named dims (e.g. 'time', 'rack'), "
            f"got {type(value).__name__}"
        )
    dtype = np.dtype(value.dtype)
    if dtype.kind in "iub":
        value = value.astype(np.float64)
    elif dtype not in (np.float32, np.float64):
        raise TypeError(f"{name}: dtype {dtype} is not supported; use float32 or float64")
    if "time" in value.dims:
        validate_time(value["time"])
    return value


def check_fraction(value: xr.DataArray, name: str, clip: bool) -> xr.DataArray:
    """Check that ``value`` lies in [0, 1] (NaN allowed), or clip it.

    Raises
    ------
    ValueError
        Values outside [0, 1] and ``clip=False``; names ``name``, the count
        and the extremes.
    """
    data = value.data
    xp = array_module("cupy") if is_cupy_array(data) else np
    outside = (data < 0) | (data > 1)  # NaN compares False: allowed
    count = int(outside.sum())
    if count == 0:
        return value
    if clip:
        return value.copy(data=xp.clip(data, 0, 1))  # clip keeps NaN
    low = float(xp.nanmin(data))
    high = float(xp.nanmax(data))
    raise ValueError(
        f"{name}: {count} values outside [0, 1] (min {low:g}, max {high:g}); "
        "fix the input or pass clip=True to clip them to [0, 1]"
    )


def per_rack(value, name: str, template: xr.DataArray) -> np.ndarray:
    """A per-rack parameter as a float64 array along ``template``'s rack axis.

    ``value`` may be a scalar (same for every rack) or a DataArray with the
    single dim ``rack`` whose coordinate matches ``template``'s.
    """
    racks = template.sizes.get(RACK, 1)
    if isinstance(value, xr.DataArray):
        if value.dims != (RACK,):
            raise ValueError(f"{name}: must have the single dim 'rack', got dims {value.dims}")
        if RACK not in template.dims:
            raise ValueError(f"{name}: varies by rack but the utilization has no 'rack' dim")
        try:
            value, _ = xr.align(value, template[RACK], join="exact")
        except ValueError:
            raise ValueError(
                f"{name}: its 'rack' coordinate does not match the utilization's "
                "(same labels in the same order are needed)"
            ) from None
        array = np.asarray(value.values, np.float64)
    else:
        scalar = float(value)
        array = np.full(racks, scalar)
    return array


def label(dataset: xr.Dataset) -> xr.Dataset:
    """Set ``units`` and ``long_name`` of every variable from the registry."""
    for name in dataset.data_vars:
        dataset[name].attrs = attrs(name)
    return dataset
