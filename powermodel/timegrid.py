"""Time grids: build and check the time coordinate, and integrate power.

Conventions: the ``time`` coordinate is regular, strictly increasing and in
UTC (stored as timezone-naive ``datetime64[ns]`` meaning UTC, as xarray
does); the step is derived from the coordinate, hourly by default, 15
minutes for the Nordic imbalance settlement. A value at ``time[k]`` is the
mean power over ``[time[k], time[k] + step)``, so energy = power x step.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

__all__ = [
    "energy",
    "hours_where",
    "missing_steps",
    "on_grid",
    "step_of",
    "time_grid",
    "time_step",
    "time_sum",
    "validate_time",
]


def time_grid(start="2025-01-01", periods: int = 8760, freq: str = "1h") -> pd.DatetimeIndex:
    """A regular UTC time grid.

    Parameters
    ----------
    start : str or datetime-like
        First time stamp; a timezone-aware value is converted to UTC, a
        naive one is taken as UTC.
    periods : int
        Number of steps, >= 1.
    freq : str
        pandas frequency of the step, e.g. ``"1h"`` or ``"15min"``.

    Returns
    -------
    pandas.DatetimeIndex
        Timezone-naive, meaning UTC, named ``"time"``.

    Examples
    --------
    >>> time_grid("2025-01-01", periods=3, freq="15min")[-1]
    Timestamp('2025-01-01 00:30:00')
    """
    if isinstance(periods, bool) or int(periods) != periods or periods < 1:
        raise ValueError(f"periods: must be a positive integer, got {periods!r}")
    step_of(freq)
    if start is None or (isinstance(start, str) and not start.strip()):
        raise ValueError(f"start: a first time stamp is needed, got {start!r}")
    try:
        start = pd.Timestamp(start)
    except (TypeError, ValueError) as error:
        raise ValueError(f"start: {start!r} is not a date and time ({error})") from None
    if start.tzinfo is not None:
        start = start.tz_convert("UTC").tz_localize(None)
    try:
        index = pd.date_range(start, periods=int(periods), freq=freq, name="time")
    except ValueError as error:
        raise ValueError(f"freq: {freq!r} is not a pandas frequency ({error})") from None
    if len(index) > 1 and not (index[1] > index[0]):
        raise ValueError(f"freq: {freq!r} must be a positive step")
    return index


def step_of(freq) -> pd.Timedelta:
    """The fixed step of a pandas frequency (``"1h"``, ``"15min"``, ``"60min"``).

    Parameters
    ----------
    freq : str or pandas.DateOffset
        A pandas frequency of fixed length, e.g. ``"1h"`` or ``"15min"``.

    Returns
    -------
    pandas.Timedelta
        The step, > 0.

    Raises
    ------
    ValueError
        Not a frequency, not positive, or not a fixed length: ``"ME"``
        (month end) or ``"B"`` (business day) steps vary, and energy needs
        one step length.
    """
    try:
        offset = pd.tseries.frequencies.to_offset(freq)
    except (TypeError, ValueError) as error:
        raise ValueError(f"freq: {freq!r} is not a pandas frequency ({error})") from None
    try:
        step = pd.Timedelta(offset)
    except (TypeError, ValueError):
        raise ValueError(
            f"freq: {freq!r} is not a fixed time step (months and business days vary); "
            "use e.g. '1h', '15min' or '1D'"
        ) from None
    if step <= pd.Timedelta(0):
        raise ValueError(f"freq: {freq!r} must be a positive step")
    return step


def validate_time(time) -> pd.DatetimeIndex:
    """Check that ``time`` is a regular, strictly increasing UTC grid.

    Parameters
    ----------
    time : array-like of datetime64, pandas.DatetimeIndex or xarray coordinate
        Timezone-aware stamps are converted to UTC.

    Returns
    -------
    pandas.DatetimeIndex
        The grid, timezone-naive in UTC.

    Raises
    ------
    ValueError
        Fewer than one stamp, not increasing, or not evenly spaced.
    TypeError
        Not datetimes.
    """
    if isinstance(time, xr.DataArray):
        time = time.values
    dtype = time.dtype if hasattr(time, "dtype") else np.asarray(time).dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "iufb":
        # pandas would read 0..23 as nanoseconds since 1970: 1 MW x 24 steps = 0.024 J
        raise TypeError(
            f"time: numbers ({dtype}) are not time stamps; give datetimes, "
            "e.g. powermodel.timegrid.time_grid(start, periods, freq)"
        )
    try:
        index = pd.DatetimeIndex(time)
    except (TypeError, ValueError) as error:
        raise TypeError(f"time: not datetimes ({error})") from None
    if index.tz is not None:
        index = index.tz_convert("UTC").tz_localize(None)
    if len(index) == 0:
        raise ValueError("time: the time axis is empty")
    if index.hasnans:
        raise ValueError(f"time: {int(index.isna().sum())} missing (NaT) time stamps")
    if len(index) > 1:
        steps = np.diff(index.asi8)
        if (steps <= 0).any():
            raise ValueError(
                f"time: not strictly increasing ({int((steps <= 0).sum())} steps <= 0)"
            )
        if (steps != steps[0]).any():
            odd = int((steps != steps[0]).sum())
            raise ValueError(
                f"time: not evenly spaced ({odd} steps differ from the first, "
                f"{pd.Timedelta(int(steps[0]), 'ns')})"
            )
    return index.rename("time")


def time_step(time) -> pd.Timedelta:
    """The step of a regular time grid (one hour if it has only one stamp).

    Parameters
    ----------
    time : array-like of datetime64, pandas.DatetimeIndex or xarray coordinate
        A regular, strictly increasing grid (:func:`validate_time`).

    Returns
    -------
    pandas.Timedelta
        The step; the index's own frequency, or one hour, for a single stamp.
    """
    index = validate_time(time)
    if len(index) == 1:
        return pd.Timedelta(index.freq) if index.freq is not None else pd.Timedelta("1h")
    return index[1] - index[0]


def on_grid(da: xr.DataArray, times, name: str) -> xr.DataArray:
    """A series of step means (a power, a price, an intensity) put on the grid ``times``.

    Each value of ``da`` is the mean over its own step (the convention of
    this module), so changing the step keeps every mean and every energy:

    - a coarser series (an hourly price on a 15-minute grid, monthly
      intensities on an hourly one) is held: each step takes the value of
      the period that contains it; the source may be irregular (months);
    - a finer series (15-minute prices on an hourly grid) is averaged over
      each step, which it must cover completely; the source must be regular.

    NaN stays NaN: a step with a NaN part is NaN.

    Parameters
    ----------
    da : xarray.DataArray
        Dims (time, ...), strictly increasing UTC stamps.
    times : pandas.DatetimeIndex
        The target grid, regular.
    name : str
        The argument's name in error messages.

    Returns
    -------
    xarray.DataArray
        Dims (time, ...) on ``times``, float64, ``da``'s attrs.

    Raises
    ------
    ValueError
        ``da`` does not cover ``times`` (named by ``name``, with both spans).
    """
    if "time" not in da.dims:
        raise ValueError(f"{name}: needs a 'time' dimension, got dims {da.dims}")
    target = validate_time(times).as_unit("ns")  # one unit: the stamps are compared as ints
    step = time_step(target)
    da = da.transpose("time", ...)
    source = pd.DatetimeIndex(da["time"].values).as_unit("ns")
    if len(source) > 1 and not (np.diff(source.asi8) > 0).all():
        raise ValueError(f"{name}: its time stamps are not strictly increasing")
    own = source[-1] - source[-2] if len(source) > 1 else step
    end = source[-1] + own
    if target[0] < source[0] or target[-1] + step > end:
        raise ValueError(
            f"{name}: covers {source[0]} .. {end} (UTC), not the run's "
            f"{target[0]} .. {target[-1] + step}"
        )
    values = np.asarray(da.values, np.float64)
    if own >= step:  # coarser or equal: hold the period's value
        index = np.searchsorted(source.asi8, target.asi8, side="right") - 1
        out = values[index]
    else:  # finer: the mean of the source steps within each target step
        validate_time(source)
        per = step / own
        if per != int(per):
            raise ValueError(f"{name}: its step {own} does not divide the run's step {step}")
        first = np.searchsorted(source.asi8, target.asi8)
        if not (source[first] == target).all():
            raise ValueError(f"{name}: its stamps are not aligned with the run's steps")
        rows = first[:, None] + np.arange(int(per))
        out = values[rows].mean(axis=1)
    return xr.DataArray(
        out, dims=da.dims, coords={"time": target, **{k: v for k, v in da.coords.items()
                                                      if "time" not in v.dims}},
        name=da.name, attrs=dict(da.attrs),
    )  # fmt: skip


def time_sum(da: xr.DataArray, dim: str = "time") -> xr.DataArray:
    """Sum over ``dim`` in float64; NaN in any step makes that total NaN.

    The one rule for every period total of powermodel (energies, costs,
    emissions, water, counted hours): a missing step is not a zero step, so
    a gap in the weather or a NaN from a kernel shows in the answer instead
    of silently shrinking it. :func:`missing_steps` counts the gaps.

    numpy sums a contiguous axis pairwise but a strided one in sequence, so
    ``x.sum("time")`` of a (time, scenario) array depends on how many
    scenarios sit next to each other. Each row is summed on its own
    contiguous axis instead, which makes per-scenario totals independent of
    the chunking of a Monte Carlo run.

    Parameters
    ----------
    da : xarray.DataArray
        Any dtype (booleans count as 0 and 1).
    dim : str
        The dimension summed over.

    Returns
    -------
    xarray.DataArray
        float64, ``da``'s other dims and coordinates, its attrs.
    """
    if not isinstance(da, xr.DataArray):
        raise TypeError(f"da: expected an xarray.DataArray, got {type(da).__name__}")
    if dim not in da.dims:
        raise ValueError(f"{da.name or 'data'}: has no {dim!r} dimension (dims {tuple(da.dims)})")
    moved = da.transpose(..., dim)
    return _reduced(moved, row_sum(moved.data), da.attrs)


def row_sum(values) -> np.ndarray:
    """:func:`time_sum`'s rule on an array whose last axis is time: float64, row by row.

    Each row is made contiguous and summed on its own (numpy's pairwise
    sum), so a row's total does not depend on its neighbours.

    Parameters
    ----------
    values : array-like
        Any dtype (booleans count as 0 and 1), time last.

    Returns
    -------
    numpy.ndarray
        float64 totals, ``values``' shape without the last axis; NaN for a row
        with a NaN.
    """
    values = np.asarray(values).astype(np.float64, copy=False)
    return np.ascontiguousarray(values).sum(axis=-1)  # no copy if time is contiguous


def row_hours(condition, valid, hours: float) -> np.ndarray:
    """:func:`hours_where` on arrays, time last: hours of ``condition``, NaN if not ``valid``.

    Parameters
    ----------
    condition : numpy.ndarray of bool
        Whether each step meets the condition, time last.
    valid : numpy.ndarray of bool
        Whether each step's data is known (not NaN), ``condition``'s shape.
    hours : float
        The time step [h].

    Returns
    -------
    numpy.ndarray
        Hours [h] of the steps meeting ``condition``, float64, the inputs' shape
        without the last axis; NaN for a row with a step not ``valid``.
    """
    return row_sum(np.where(valid, condition.astype(np.float64), np.nan)) * hours


def per_step(values, shape) -> np.ndarray:
    """A (time,) array seen as (time, scenario) of ``shape``, without a copy.

    Parameters
    ----------
    values : array-like
        One value per step, dims (time,).
    shape : tuple of int
        The (time, scenario) shape to broadcast to.

    Returns
    -------
    numpy.ndarray
        A read-only broadcast view of ``values``, dims (time, scenario).
    """
    return np.broadcast_to(np.asarray(values)[:, None], shape)


def _reduced(moved: xr.DataArray, values, attrs) -> xr.DataArray:
    """``values`` reduced over ``moved``'s last dim, with its other dims and coordinates."""
    dim = moved.dims[-1]
    return xr.DataArray(values, dims=moved.dims[:-1], coords={
        name: coord for name, coord in moved.coords.items() if dim not in coord.dims
    }, attrs=dict(attrs))  # fmt: skip


def hours_where(condition: xr.DataArray, valid: xr.DataArray, dim: str = "time") -> xr.DataArray:
    """Hours [h] of the steps where ``condition`` holds; NaN if any step is not ``valid``.

    ``condition`` and ``valid`` are boolean with a ``time`` coordinate; a
    step that is not valid (its data NaN) could have met the condition, so
    the count is unknown (:func:`time_sum`'s rule).

    Parameters
    ----------
    condition : xarray.DataArray of bool
        Whether each step meets the condition, with a ``time`` coordinate.
    valid : xarray.DataArray of bool
        Whether each step's data is known (not NaN); broadcasts against
        ``condition``.
    dim : str
        The time dimension counted over.

    Returns
    -------
    xarray.DataArray
        Hours [h], float64, the other dims and coordinates.
    """
    hours = time_step(condition[dim]) / pd.Timedelta(1, "h")
    condition, valid = xr.broadcast(condition, valid)
    moved = condition.transpose(..., dim)
    values = row_hours(moved.values, valid.transpose(*moved.dims).values, hours)
    return _reduced(moved, values, {})


def missing_steps(da: xr.DataArray, dim: str = "time") -> xr.DataArray:
    """Number of NaN steps of ``da`` along ``dim`` (int64).

    Parameters
    ----------
    da : xarray.DataArray
        Any series with dim ``dim``.
    dim : str
        The time dimension counted over.

    Returns
    -------
    xarray.DataArray
        Count of NaN steps [1], int64, ``da``'s other dims.
    """
    return da.isnull().sum(dim).astype(np.int64)


def energy(power: xr.DataArray | xr.Dataset, dim: str = "time"):
    """Energy [J] of a mean power [W] on a time grid, summed over ``dim``.

    Energy = sum over steps of power x step, accumulated in float64. NaN in
    any step gives NaN (a missing hour is not zero energy; :func:`time_sum`).

    Parameters
    ----------
    power : xarray.DataArray or Dataset
        Mean power per step [W] with a ``time`` coordinate.
    dim : str
        The time dimension.

    Returns
    -------
    xarray.DataArray or Dataset
        Energy [J]; ``units`` ``J``.
    """
    if dim not in power.dims:
        raise ValueError(f"power: has no {dim!r} dimension (dims {tuple(power.dims)})")
    seconds = time_step(power[dim]).total_seconds()
    arrays = power.data_vars.items() if isinstance(power, xr.Dataset) else [(power.name, power)]
    for name, da in arrays:
        if da.attrs.get("units", "W") != "W":
            raise ValueError(f"power: {name} has units {da.attrs['units']!r}, expected 'W'")
    if isinstance(power, xr.Dataset):
        total = xr.Dataset({name: time_sum(da, dim) for name, da in power.data_vars.items()})
    else:
        total = time_sum(power, dim)
    total = total * seconds

    def energy_attrs(da):
        return {"units": "J", "long_name": f"energy of {da.attrs.get('long_name', 'power')}"}

    if isinstance(total, xr.Dataset):
        for name in total.data_vars:
            total[name].attrs = energy_attrs(power[name])
        return total
    return total.assign_attrs(energy_attrs(power))
