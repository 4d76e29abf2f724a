"""Carbon intensity of a zone's imports: the neighbours behind its interconnectors.

A zone that imports takes part of its supply from its neighbours' mixes. Its
location-based intensity (:func:`powermodel.kernels.zone.zone_outcomes`)
needs, each step, the intensity of what it imports::

    CI_imp(t) = sum_n C_n CI_n(t) / sum_n C_n

with ``C_n`` the capacity of the cables to neighbour ``n`` (imports split pro
rata to cable capacity: an assumption, no flow-based split) and ``CI_n(t)``
the neighbour's intensity: its annual life-cycle figure (cited defaults in
``powermodel/data/hydro_<zone>.toml``), or an hourly or monthly series the
user supplies, e.g. an Electricity Maps export read by
:func:`read_electricitymaps`. An annual constant misses that a hydro zone
imports mostly in cheap hours, which on the continent are windy, clean ones:
with it the location-based figure is an upper estimate.

Examples
--------
>>> from powermodel import carbon, timegrid
>>> times = timegrid.time_grid("2025-01-01", periods=3)
>>> [n.name for n in carbon.neighbours("NO2")]
['DK1', 'NL', 'DE', 'GB']
>>> float(carbon.import_intensity(carbon.neighbours("NO2"), times)[0])  # g/kWh
253.2...
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from powermodel import inflow as _inflow
from powermodel._api import check_non_negative
from powermodel.timegrid import on_grid

__all__ = ["Neighbour", "import_intensity", "neighbours", "read_electricitymaps"]

_MW = 1e6


@dataclass(frozen=True)
class Neighbour:
    """A neighbouring zone behind a zone's interconnectors.

    Parameters
    ----------
    name : str
        E.g. ``"DE"``.
    capacity : float
        Cable capacity to it [W], > 0: its share of the imports.
    carbon : float
        Its annual life-cycle carbon intensity [g kWh-1], >= 0, used where
        no series is given.
    """

    name: str
    capacity: float
    carbon: float

    def __post_init__(self):
        if not (np.isfinite(self.capacity) and self.capacity > 0):
            raise ValueError(f"capacity: must be a finite number > 0 W, got {self.capacity!r}")
        check_non_negative(carbon=self.carbon)


def neighbours(zone_name: str = "NO2") -> tuple[Neighbour, ...]:
    """The built-in zone's neighbours, cable capacities and annual intensities.

    Parameters
    ----------
    zone_name : str
        Built-in zone (``"NO2"``).

    Returns
    -------
    tuple of Neighbour
        One per interconnector: cable capacity [W] and annual life-cycle
        intensity [g kWh-1].
    """
    data = _inflow.zone(zone_name)
    return tuple(
        Neighbour(name, capacity * _MW, carbon)
        for name, capacity, carbon in zip(
            data["neighbours"], data["neighbour_capacity_mw"], data["neighbour_carbon"],
            strict=True,
        )
    )  # fmt: skip


def import_intensity(neighbours, times, series: Mapping | None = None) -> np.ndarray:
    """Carbon intensity of a zone's imports [g kWh-1] at each of ``times``.

    Parameters
    ----------
    neighbours : sequence of Neighbour
        E.g. :func:`neighbours`.
    times : pandas.DatetimeIndex
        The run's UTC grid.
    series : mapping of str to xarray.DataArray, optional
        Hourly, sub-hourly or monthly intensity [g kWh-1] of some
        neighbours by name, dims (time,) (e.g. :func:`read_electricitymaps`);
        put on ``times`` by :func:`powermodel.timegrid.on_grid` (held or
        averaged). The others keep their annual figure.

    Returns
    -------
    numpy.ndarray
        (time,) float64, the capacity-weighted mean of the neighbours'
        intensities; NaN where a given series is NaN.

    Raises
    ------
    ValueError
        A series for a neighbour the zone does not have, or one that does
        not cover ``times``.
    """
    times = pd.DatetimeIndex(times)
    series = dict(series or {})
    names = [n.name for n in neighbours]
    unknown = sorted(set(series) - set(names))
    if unknown:
        raise ValueError(f"series: no interconnector to {unknown}; the zone's neighbours: {names}")
    total = sum(n.capacity for n in neighbours)
    out = np.zeros(len(times))
    for n in neighbours:
        if n.name in series:
            given = on_grid(series[n.name], times, f"series[{n.name!r}]")
            if given.ndim != 1:
                raise ValueError(f"series[{n.name!r}]: must have dims (time,), got {given.dims}")
            values = given.values
        else:
            values = n.carbon
        out += n.capacity / total * values
    return out


def read_electricitymaps(path, basis: str = "lifecycle") -> xr.DataArray:
    """A zone's carbon intensity from an Electricity Maps CSV export.

    The export has one row per hour (or day, month) with columns
    ``Datetime (UTC)``, ``Carbon Intensity gCO₂eq/kWh (direct)`` and
    ``Carbon Intensity gCO₂eq/kWh (LCA)`` among others. A plain CSV with
    columns ``time`` (UTC) and ``carbon_intensity`` [g kWh-1] reads too.

    Parameters
    ----------
    path : str or os.PathLike
        The Electricity Maps CSV export.
    basis : {"lifecycle", "direct"}
        Which of the export's two intensities: life-cycle (LCA, the
        basis of this library's defaults) or direct (combustion) emissions.

    Returns
    -------
    xarray.DataArray
        ``carbon_intensity`` [g kWh-1], dims (time,), UTC.

    Raises
    ------
    ValueError
        Missing columns, times that do not parse or do not increase, or
        negative intensities, with the file's name.
    """
    if basis not in ("lifecycle", "direct"):
        raise ValueError(f'basis: {basis!r} is not "lifecycle" or "direct"')
    frame = pd.read_csv(path, dtype=str)
    frame.columns = [c.strip() for c in frame.columns]
    time = next((c for c in frame.columns if c.startswith("Datetime") or c == "time"), None)
    tag = "(LCA)" if basis == "lifecycle" else "(direct)"
    value = next((c for c in frame.columns if c.startswith("Carbon Intensity") and tag in c),
                 "carbon_intensity" if "carbon_intensity" in frame.columns else None)  # fmt: skip
    if time is None or value is None:
        raise ValueError(
            f"{path}: needs columns 'Datetime (UTC)' and 'Carbon Intensity gCO₂eq/kWh {tag}' "
            f"(or 'time' and 'carbon_intensity'), found {list(frame.columns)}"
        )
    try:
        stamps = pd.DatetimeIndex(pd.to_datetime(frame[time].str.strip(), utc=True, format="mixed"))
    except (ValueError, TypeError) as error:
        raise ValueError(f"{path}: times do not parse ({error})") from None
    stamps = stamps.tz_convert("UTC").tz_localize(None)
    if len(stamps) > 1 and not (np.diff(stamps.asi8) > 0).all():
        raise ValueError(f"{path}: times are not strictly increasing")
    values = pd.to_numeric(frame[value].str.strip(), errors="coerce").to_numpy(np.float64)
    if (values < 0).any():
        raise ValueError(f"{path}: negative carbon intensities")
    return xr.DataArray(
        values,
        dims="time",
        coords={"time": stamps.rename("time")},
        name="carbon_intensity",
        attrs={
            "units": "g kWh-1",
            "long_name": f"carbon intensity ({basis})",
            "source": str(path),
        },
    )
