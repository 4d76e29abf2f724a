"""Shared plumbing of the public functions: input checks, backend dispatch, labels.

Kept out of the physics and out of the domain modules so that every public
function checks and labels its data the same way.
"""

from __future__ import annotations

import os

import numpy as np
import xarray as xr

from powermodel.backends import array_module, is_cupy_array, run
from powermodel.timegrid import validate_time
from powermodel.variables import attrs, valid_range

__all__ = [
    "as_float_dataarray",
    "check_range",
    "elementwise",
    "label",
    "operand",
    "per_rack",
]

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
    if "time" in value.coords:  # a bare time dim (no labels) is fine for per-step models
        validate_time(value["time"])
    return value


def read_input_file(reader, path, kind: str):
    """``reader(path)``, with any failure to read said with the file named.

    A missing file is a ``FileNotFoundError``; anything else the reader
    raises (a parser error, bad bytes, a KeyError from deep inside a
    library) becomes a ``ValueError`` "PATH: not a readable KIND (...)".
    """
    try:
        return reader(path)
    except FileNotFoundError:
        raise FileNotFoundError(f"{os.fspath(path)}: {kind} not found") from None
    except Exception as error:  # pandas, h5netcdf, netCDF4: many kinds
        raise ValueError(
            f"{os.fspath(path)}: not a readable {kind} ({type(error).__name__}: {error})"
        ) from None


def check_range(value: xr.DataArray, name: str, clip: bool) -> xr.DataArray:
    """Check that ``value`` lies in the registry's valid range of ``name`` (NaN allowed).

    Parameters
    ----------
    value : xarray.DataArray
    name : str
        A registered variable (:data:`powermodel.variables.VARIABLES`); its
        ``valid_min`` and ``valid_max`` are the range ([0, 1] for
        ``utilization``).
    clip : bool
        Clip values outside the range to it instead of raising.

    Raises
    ------
    ValueError
        Values outside the range and ``clip=False``; names ``name``, the
        count and the extremes.
    """
    lower, upper = valid_range(name)
    data = value.data
    xp = array_module("cupy") if is_cupy_array(data) else np
    outside = (data < lower) | (data > upper)  # NaN compares False: allowed
    count = int(outside.sum())
    if count == 0:
        return value
    if clip:
        return value.copy(data=xp.clip(data, lower, upper))  # clip keeps NaN
    low = float(xp.nanmin(data))
    high = float(xp.nanmax(data))
    raise ValueError(
        f"{name}: {count} values outside [{lower:g}, {upper:g}] (min {low:g}, max {high:g}); "
        f"fix the input or pass clip=True to clip them to [{lower:g}, {upper:g}]"
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
        try:
            array = np.asarray(value.values, np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{name}: expected numbers, got dtype {value.dtype}") from None
    else:
        try:
            scalar = float(value)
        except (TypeError, ValueError):
            raise TypeError(f"{name}: expected a number or a DataArray, got {value!r}") from None
        array = np.full(racks, scalar)
    return array


def label(dataset: xr.Dataset) -> xr.Dataset:
    """Set ``units`` and ``long_name`` of every variable from the registry."""
    for name in dataset.data_vars:
        dataset[name].attrs = attrs(name)
    return dataset


def check_non_negative(**values) -> None:
    """Raise naming the first of ``values`` that is not a finite number >= 0."""
    for name, value in values.items():
        if not (np.isfinite(value) and value >= 0):
            raise ValueError(f"{name}: must be a finite number >= 0, got {value!r}")


def operand(value, name: str) -> xr.DataArray:
    """A scalar or DataArray input as a float DataArray (scalars become 0-d)."""
    if isinstance(value, xr.DataArray):
        return as_float_dataarray(value, name)
    try:
        return xr.DataArray(float(value))
    except (TypeError, ValueError):
        raise TypeError(
            f"{name}: expected a number or an xarray.DataArray, got {value!r}"
        ) from None


def elementwise(operands, spec, backend, parameters=None, labels=True, outputs=None) -> xr.Dataset:
    """Run an elementwise kernel over broadcast xarray inputs.

    Parameters
    ----------
    operands : list of xarray.DataArray
        Inputs in the order of ``spec.inputs``; the first one sets the dtype
        and the array type. They are aligned exactly and broadcast against
        each other.
    spec : powermodel.backends.specs.KernelSpec
        An ``"elementwise"`` kernel.
    backend : str
        Requested backend (resolved from the first operand).
    parameters : numpy array or named record, optional
        The kernel's parameters, passed whole before the inputs.
    labels : bool
        Label the outputs from the registry (False: the caller labels them).
    outputs : sequence of str, optional
        Compute and return only these of ``spec.outputs`` (default all).

    Returns
    -------
    xarray.Dataset
        ``spec.outputs`` with the broadcast dims, labelled from the registry.
    """
    try:
        operands = xr.broadcast(*xr.align(*operands, join="exact"))
    except ValueError as error:
        raise ValueError(f"inputs: coordinates do not align ({error})") from None
    first = operands[0]
    head = () if parameters is None else (parameters,)
    # run() casts every input to the first one's dtype and makes it contiguous
    names = spec.outputs if outputs is None else tuple(outputs)
    columns = run(spec, [o.data for o in operands], head, backend=backend, outputs=names)
    dataset = xr.Dataset(
        {
            name: first.copy(deep=False, data=column)
            for name, column in zip(names, columns, strict=True)
        }
    )
    return label(dataset) if labels else dataset
