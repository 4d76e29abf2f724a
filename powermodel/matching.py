"""Hourly matching of a site's supply with carbon-free contracts: the 24/7 CFE score.

A site buys carbon-free electricity by contract: a power purchase agreement
(PPA) delivering a generation profile ``P(t)`` [W], and/or guarantees of
origin (GOs) for a volume ``G`` [J] that carry no time stamp. Against the
site's load ``L(t)`` [W] (the energy it takes from its grid connection) over
steps of length ``dt``:

- **hourly matched share** (EnergyTag granular certificates, Google's 24/7
  CFE): in each step the contract covers at most that step's load, a PPA's
  surplus in one hour does not cover another hour::

      m_hourly = sum_t min(P(t), L(t)) dt / sum_t L(t) dt

  GOs are not time-stamped: they match no step, only the year's volume.
- **annual (volumetric) matched share** (the GHG Protocol Scope 2 market-based
  method as it stands, 2015): contract energy over the period against load
  energy, whenever it was generated::

      m_annual = min(sum_t P(t) dt + G, sum_t L(t) dt) / sum_t L(t) dt

  so ``m_hourly <= m_annual`` always (``sum min <= min sum``), equal when the
  PPA and the load are flat.
- **CFE score** (Google's 24/7 CFE): the contract's hourly match plus the
  grid's own carbon-free share ``g(t)`` of the rest of each step's load::

      CFE = sum_t [M(t) + g(t) (L(t) - M(t))] dt / sum_t L(t) dt,  M = min(P, L)

  ``m_hourly <= CFE <= 1``; with ``g = 0`` it is ``m_hourly``.

Emissions beside them, both bases (dual reporting, GHG Protocol Scope 2):
location-based ``sum_t L(t) dt CI_loc(t)``; market-based, the matched energy
at 0 and the rest at the residual mix ``CI_res`` (AIB European Residual Mix,
a national annual figure; default Norway's). ``emissions_market`` counts the
annual match (today's rule), ``emissions_market_hourly`` only the hourly one
(the hourly-matching method the Scope 2 revision proposes; GOs then count
for nothing).

:func:`match` works on any load; :func:`from_result` takes a
:func:`powermodel.simulate.simulate` result (its ``served`` load, its grid
carbon-free share :func:`grid_cfe` and its carbon intensity).

References
----------
Google, "24/7 Carbon-Free Energy: Methodologies and Metrics" (2021),
https://www.gstatic.com/gumdrop/sustainability/24x7-carbon-free-energy-methodologies-metrics.pdf;
hourly CFE% per cloud region: https://github.com/GoogleCloudPlatform/region-carbon-info.
EnergyTag, Granular Certificate Scheme Standard and Matching Standard (March 2024),
https://energytag.org/resources?category=Standards.
GHG Protocol, Scope 2 Guidance (2015), https://ghgprotocol.org/scope-2-guidance; the
revision's hourly matching: https://ghgprotocol.org/blog/upcoming-scope-2-public-consultation-hourly-matching-and-deliverability.
AIB, European Residual Mix, https://www.aib-net.org/facts/european-residual-mix.

Examples
--------
>>> import numpy as np, pandas as pd, xarray as xr
>>> times = pd.date_range("2025-01-01", periods=2, freq="1h")
>>> load = xr.DataArray([10e6, 10e6], dims="time", coords={"time": times})
>>> ppa = xr.DataArray([20e6, 0.0], dims="time", coords={"time": times})
>>> out = match(load, ppa)
>>> float(out.matched_share_hourly), float(out.matched_share_annual)
(0.5, 1.0)
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from powermodel._api import check_non_negative
from powermodel.timegrid import on_grid, row_sum, time_step, validate_time
from powermodel.variables import attrs

__all__ = [
    "RESIDUAL_MIX_NO",
    "RESIDUAL_MIX_SOURCE",
    "breakdown",
    "from_result",
    "grid_cfe",
    "match",
]

#: Norway's residual mix [g CO2 kWh-1]: electricity without guarantees of origin
RESIDUAL_MIX_NO = 402.0
RESIDUAL_MIX_SOURCE = (
    "NVE varedeklarasjon 2020, built from the AIB European Residual Mix: 402 gCO2/kWh "
    "(https://wattn.no/privat/aktuelt/varedeklarasjon; AIB: "
    "https://www.aib-net.org/facts/european-residual-mix); 530 g/kWh in 2016"
)

#: per-scenario outputs of :func:`match`, each registered in powermodel.variables
OUTPUTS = (
    "cfe_score",
    "matched_share_hourly",
    "matched_share_annual",
    "energy_load",
    "energy_contract",
    "energy_matched_hourly",
    "energy_matched_annual",
    "energy_contract_surplus",
    "emissions_location",
    "emissions_market",
    "emissions_market_hourly",
)

_J_PER_KWH = 3.6e6


def _series(value, name: str, times, *, unit: str, low=0.0, high=np.inf) -> np.ndarray:
    """``value`` (a number or a DataArray over time) on ``times``, (time, ...) float64.

    A DataArray on another grid is put on ``times`` (held or averaged,
    :func:`powermodel.timegrid.on_grid`); values outside [low, high] are
    refused with ``name`` and the count; NaN stays NaN.
    """
    if isinstance(value, xr.DataArray):
        if "time" not in value.dims:
            raise ValueError(f"{name}: needs a 'time' dimension, got dims {value.dims}")
        if "time" not in value.coords:
            raise ValueError(f"{name}: its 'time' dimension has no time stamps")
        same = len(value["time"]) == len(times) and bool(
            (value["time"].values == times.values).all()
        )
        array = value.transpose("time", ...) if same else on_grid(value, times, name)
        array = np.asarray(array.values, np.float64)
    else:
        try:
            array = np.asarray(value, np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{name}: expected a number or a DataArray, got {value!r}") from None
        if array.ndim != 0:
            raise TypeError(f"{name}: give a number or a DataArray over time, not a bare array")
    bad = int(np.count_nonzero((array < low) | (array > high)))  # NaN compares False
    if bad:
        span = f">= {low:g} {unit}" if high == np.inf else f"in [{low:g}, {high:g}]"
        raise ValueError(f"{name}: {bad} values are not {span}".rstrip())
    return array


def _scenario_axis(array: np.ndarray, shape, name: str) -> np.ndarray:
    """A scalar, (time,) or (time, scenario) array seen as (time, scenario) of ``shape``."""
    if array.ndim == 1:
        array = array[:, None]
    try:
        return np.broadcast_to(array, shape)
    except ValueError:
        raise ValueError(
            f"{name}: shape {array.shape} (time, scenario) does not fit the load's {shape}"
        ) from None


def _inputs(load, ppa, grid_cfe):
    """The load, its times and the (time, scenario) float64 load, PPA and grid CFE share."""
    if not isinstance(load, xr.DataArray):
        raise TypeError(f"load: expected an xarray.DataArray, got {type(load).__name__}")
    if "time" not in load.dims or "time" not in load.coords:
        raise ValueError(f"load: needs a 'time' coordinate, got dims {load.dims}")
    if load.ndim > 2:
        raise ValueError(f"load: dims (time,) or (time, scenario), got {load.dims}")
    times = validate_time(load["time"])
    load = load.transpose("time", ...)
    demand = _series(load, "load", times, unit="W")
    if demand.ndim == 1:
        demand = demand[:, None]
    shape = demand.shape
    supply = _series(0.0 if ppa is None else ppa, "ppa", times, unit="W")
    supply = _scenario_axis(supply, shape, "ppa")
    green = _series(grid_cfe, "grid_cfe", times, unit="", high=1.0)
    green = _scenario_axis(green, shape, "grid_cfe")
    return load, times, demand, supply, green


def breakdown(load, ppa=None, *, grid_cfe=0.0) -> xr.Dataset:
    """Each step's load split into PPA-matched, grid carbon-free and other power [W].

    Parameters
    ----------
    load, ppa, grid_cfe
        As :func:`match`: load [W], PPA generation [W], grid CFE share [1].

    Returns
    -------
    xarray.Dataset
        On the load's dims: ``power_matched = min(P, L)``, ``power_grid_cfe =
        g (L - min(P, L))`` and ``power_not_cfe = (1 - g)(L - min(P, L))`` [W];
        they add up to the load at every step.
    """
    load, _, demand, supply, green = _inputs(load, ppa, grid_cfe)
    matched = np.minimum(supply, demand)
    rest = demand - matched
    parts = {
        "power_matched": matched,
        "power_grid_cfe": green * rest,
        "power_not_cfe": (1.0 - green) * rest,
    }
    dims = load.dims
    data = {name: (dims, values.reshape(load.shape)) for name, values in parts.items()}
    out = xr.Dataset(data, coords=load.coords)
    for name in out.data_vars:
        out[name].attrs = attrs(name)
    return out


def match(
    load,
    ppa=None,
    *,
    go_volume=0.0,
    grid_cfe=0.0,
    carbon_location=None,
    residual_mix=RESIDUAL_MIX_NO,
) -> xr.Dataset:
    """Hourly and annual matching of ``load`` with a PPA and GOs, per scenario.

    Parameters
    ----------
    load : xarray.DataArray
        The site's load on its grid connection [W], mean of each step, dims
        (time,) or (time, scenario), >= 0.
    ppa : float or xarray.DataArray, optional
        The PPA's generation delivered to the site [W]: a flat baseload (a
        number) or a series over time ((time,) or (time, scenario); on another
        time grid it is held or averaged onto the load's). None: no PPA.
    go_volume : float
        Guarantees of origin cancelled for the period of ``load`` [J], >= 0.
        They match volumetrically only (no time stamp).
    grid_cfe : float or xarray.DataArray
        The grid's carbon-free share of the energy it supplies [1], in [0, 1],
        per step or flat (:func:`grid_cfe` of a simulation).
    carbon_location : float or xarray.DataArray, optional
        Location-based carbon intensity of the grid [g kWh-1], per step or
        flat. None: ``emissions_location`` is NaN.
    residual_mix : float
        Residual-mix intensity for energy not covered by the contract
        [g kWh-1], >= 0; default :data:`RESIDUAL_MIX_NO` (Norway, NVE 2020
        from the AIB European Residual Mix).

    Returns
    -------
    xarray.Dataset
        Per scenario (the load's dims less time), :data:`OUTPUTS`:
        ``cfe_score``, ``matched_share_hourly``, ``matched_share_annual`` [1];
        ``energy_load``, ``energy_contract`` (PPA plus GOs),
        ``energy_matched_hourly``, ``energy_matched_annual``,
        ``energy_contract_surplus`` (PPA energy beyond its step's load) [J];
        ``emissions_location``, ``emissions_market`` (annual match) and
        ``emissions_market_hourly`` (hourly match only) [kg]. A NaN step in
        any input makes that scenario's figures NaN; zero load gives NaN
        shares (nothing to match).

    Notes
    -----
    See the module docstring for the equations. Matched energy is capped at
    the load, so every share is in [0, 1] and
    ``matched_share_hourly <= matched_share_annual`` and
    ``matched_share_hourly <= cfe_score``.

    References
    ----------
    Google (2021), 24/7 Carbon-Free Energy: Methodologies and Metrics; EnergyTag
    (2024), Granular Certificate Scheme Standard; GHG Protocol (2015), Scope 2
    Guidance (full citations in the module docstring).
    """
    load, times, demand, supply, green = _inputs(load, ppa, grid_cfe)
    check_non_negative(go_volume=go_volume, residual_mix=residual_mix)
    shape = demand.shape
    step = time_step(times).total_seconds()

    rows = lambda values: row_sum(np.asarray(values).T) * step  # noqa: E731  (time last: J)
    matched = np.minimum(supply, demand)  # NaN in either stays NaN
    energy_load = rows(demand)
    energy_ppa = rows(supply)
    hourly = rows(matched)
    cfe = rows(matched + green * (demand - matched))
    contract = energy_ppa + float(go_volume)
    annual = np.minimum(contract, energy_load)  # NaN propagates
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = {
            "cfe_score": cfe / energy_load,
            "matched_share_hourly": hourly / energy_load,
            "matched_share_annual": annual / energy_load,
        }
    if carbon_location is None:
        location = np.full(shape[1], np.nan)
    else:
        intensity = _series(carbon_location, "carbon_location", times, unit="g kWh-1")
        intensity = _scenario_axis(intensity, shape, "carbon_location")
        location = rows(demand * intensity) / _J_PER_KWH / 1e3  # g -> kg
    kg = float(residual_mix) / _J_PER_KWH / 1e3  # kg per J of residual mix
    values = {
        **shares,
        "energy_load": energy_load,
        "energy_contract": contract,
        "energy_matched_hourly": hourly,
        "energy_matched_annual": annual,
        "energy_contract_surplus": energy_ppa - hourly,
        "emissions_location": location,
        "emissions_market": (energy_load - annual) * kg,
        "emissions_market_hourly": (energy_load - hourly) * kg,
    }
    others = [dim for dim in load.dims if dim != "time"]
    coords = {name: coord for name, coord in load.coords.items() if "time" not in coord.dims}
    if others:
        out = xr.Dataset({name: (others[0], v) for name, v in values.items()}, coords=coords)
    else:
        out = xr.Dataset({name: ((), v[0]) for name, v in values.items()}, coords=coords)
    for name in OUTPUTS:
        out[name].attrs = attrs(name)
    out.attrs["residual_mix_g_per_kwh"] = float(residual_mix)
    return out


def grid_cfe(result: xr.Dataset) -> xr.DataArray:
    """The grid's carbon-free share of its supply [1], (time, scenario), from a simulation.

    ``carbon_free_fraction`` where the result has it; otherwise its
    ``hydro_fraction`` (hydro and run of river in the zone's supplied mix),
    a lower bound: the must-run generation (mostly wind) and the carbon-free
    part of the imports are then counted as not carbon-free. ``attrs["basis"]``
    says which was used.

    Parameters
    ----------
    result : xarray.Dataset
        A :func:`powermodel.simulate.simulate` result with hourly variables.

    Returns
    -------
    xarray.DataArray
        Share [1] in [0, 1] per step and scenario.
    """
    for name, basis in (
        ("carbon_free_fraction", "the zone's carbon-free share (hydro, wind)"),
        ("hydro_fraction", "hydro share of the zone's mix only (a lower bound: wind and "
                           "clean imports not counted)"),
    ):  # fmt: skip
        if name in result.data_vars:
            share = result[name].copy()
            share.attrs = {**attrs("carbon_free_fraction"), "basis": basis}
            return share.rename("grid_cfe")
    raise ValueError(
        "result: has neither 'carbon_free_fraction' nor 'hydro_fraction'; run simulate with "
        "the hourly results kept (keep='hourly')"
    )


def from_result(
    result: xr.Dataset,
    ppa=None,
    *,
    go_per_year=0.0,
    residual_mix=None,
    carbon_location=None,
) -> xr.Dataset:
    """:func:`match` of a simulation's served load, per scenario.

    Parameters
    ----------
    result : xarray.Dataset
        A :func:`powermodel.simulate.simulate` result with hourly ``served``
        [W] and ``hydro_fraction`` (or ``carbon_free_fraction``) [1].
    ppa : float or xarray.DataArray, optional
        PPA generation delivered to the site [W] (see :func:`match`).
    go_per_year : float
        Guarantees of origin bought per year [J], >= 0; the run's period
        gets its share by time (``go_per_year * duration / 8760 h``).
    residual_mix : float, optional
        [g kWh-1]; default: a market-based result's ``carbon_intensity`` (the
        site file's residual mix), else ``attrs["residual_mix_g_per_kwh"]`` if
        set, else :data:`RESIDUAL_MIX_NO`.
    carbon_location : float or xarray.DataArray, optional
        Location-based intensity [g kWh-1]; default the result's
        ``carbon_intensity`` when its ``attrs["carbon_basis"]`` is
        ``"location"`` (else ``emissions_location`` is NaN).

    Returns
    -------
    xarray.Dataset
        :func:`match`'s outputs per scenario.
    """
    if not isinstance(result, xr.Dataset):
        raise TypeError(f"result: expected an xarray.Dataset, got {type(result).__name__}")
    if "served" not in result.data_vars:
        raise ValueError(
            "result: has no hourly 'served'; run simulate with the hourly results kept "
            "(keep='hourly')"
        )
    check_non_negative(go_per_year=go_per_year)
    served = result["served"]
    duration = time_step(served["time"]).total_seconds() * served.sizes["time"]
    if carbon_location is None and result.attrs.get("carbon_basis") == "location":
        carbon_location = result.get("carbon_intensity")
    if residual_mix is None:  # a market-based run's intensity is the site file's residual mix
        market = result.attrs.get("carbon_basis") == "market" and "carbon_intensity" in result
        residual_mix = (
            float(result["carbon_intensity"].isel(time=0, scenario=0)) if market
            else float(result.attrs.get("residual_mix_g_per_kwh", RESIDUAL_MIX_NO))
        )  # fmt: skip
    return match(
        served,
        ppa,
        go_volume=float(go_per_year) * duration / (8760 * 3600.0),
        grid_cfe=grid_cfe(result),
        carbon_location=carbon_location,
        residual_mix=residual_mix,
    )
