"""Site description: a TOML file validated into typed, frozen objects.

A site file says where the hall is, which weather and bidding zone it sees,
its grid connection by phase, its GPU fleet, cooling plant, workload,
economics and carbon accounting. :func:`load` reads a built-in site by name
(:func:`builtin`, e.g. ``"dra01"``) or any ``.toml`` file; :func:`text`
gives a built-in file's text to copy and edit.

Sections and keys
-----------------
``[site]`` :class:`Location`, ``[climate]`` :class:`Climate`, ``[zone]``
:class:`Zone`, ``[[grid.phase]]`` :class:`Phase` (in :class:`Grid`),
``[[fleet]]`` :class:`FleetEntry`, ``[cooling]`` :class:`Cooling`,
``[workload]`` :class:`powermodel.workload.Workload` (with
``[workload.training]`` and ``[workload.inference]``), ``[economics]``
:class:`Economics`, ``[carbon]`` :class:`Carbon`. ``[site]``,
``[[grid.phase]]``, ``[[fleet]]`` and ``[carbon]`` (with ``basis``) are
required; the other sections have defaults. A dataclass field's name is
its TOML key, except ``Grid.phases`` (``phase``) and ``Site.location``
(``site``).

Validation
----------
One generic builder maps each TOML table onto its dataclass field by field:
it checks the TOML type against the field's annotation (int, float, str,
bool, date, ``X | None``, ``Literal``, tuples of dataclasses, nested
dataclasses), rejects unknown keys (suggesting the closest valid one) and
reports missing required keys; the dataclasses check their own values
(ranges, catalog names, order of phases) in ``__post_init__``, so objects
built in Python are checked the same way. Every problem in a file raises
:class:`SiteError` naming the file and the dotted key, e.g.
``dra01.toml: fleet[1].racks: must be an integer >= 1, got -3``. Array
items are counted from 0: ``fleet[0]`` is the first ``[[fleet]]`` table.

Citations
---------
A key ``x_source`` is allowed next to any valid key ``x`` of the same table
(whether or not ``x`` is set) and must be a string: the URL of the number's
public source or ``"Assumption: ..."``. Citations are kept, by key, in the
``sources`` dict of the section's object (``site.fleet[0].sources["racks"]``)
and take no part in comparisons; sections without a ``sources`` field
(the workload's) check and then drop them.

Times
-----
Phase and fleet ``start`` dates begin at 00:00 UTC, as in
:func:`powermodel.grid.connection_capacity`; :meth:`Grid.capacity` and
:meth:`Site.racks` take the UTC time stamps of :mod:`powermodel.timegrid`.

Examples
--------
>>> from powermodel import site
>>> dra01 = site.load("dra01")
>>> [phase.capacity_mw for phase in dra01.grid.phases]
[12.0, 52.0]
>>> dra01.fleet[0].system
'gb200-nvl72'
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import math
import os
import tomllib
import types
import typing
import zoneinfo
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import xarray as xr

from powermodel import battery, catalog, climate, cooling, grid, inflow, spectrum
from powermodel.auxiliaries import Auxiliaries
from powermodel.carbon import neighbours as zone_neighbours
from powermodel.carbon import read_electricitymaps
from powermodel.workload import Workload

__all__ = [
    "Carbon",
    "Climate",
    "Cooling",
    "Economics",
    "FleetEntry",
    "Grid",
    "Location",
    "NeighbourCarbon",
    "Phase",
    "Site",
    "SiteError",
    "Zone",
    "builtin",
    "load",
    "loads",
    "text",
]

_SOURCE = "_source"
_WEATHER_SUFFIXES = (".epw", ".csv", ".nc", ".nc4", ".netcdf")
# Largest fleet entry accepted: far beyond any campus, small enough that counts stay exact
# and arrays of racks fit in memory (an entry of 10**12 racks was a MemoryError).
MAX_RACKS = 100_000
# metadata of dataclass fields: "key" renames the TOML key, "toml": False hides a field
_NOT_IN_TOML = {"toml": False}


class SiteError(ValueError):
    """An invalid site file or name; the message names the file and the key."""


class _Invalid(ValueError):
    """A bad value found by a dataclass; ``key`` is relative to the object."""

    def __init__(self, key: str, message: str):
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


def _finite(key: str, value, low=-math.inf, high=math.inf, *, open_low=False, what="a number"):
    """Raise :class:`_Invalid` unless ``value`` is a number in ``[low, high]`` (``(low, high]``)."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    inside = number and (low < value if open_low else low <= value) and value <= high
    if inside and math.isfinite(value):
        return
    if low > -math.inf and high < math.inf:
        bound = f" in {'(' if open_low else '['}{low:g}, {high:g}]"
    elif low > -math.inf:
        bound = f" > {low:g}" if open_low else f" >= {low:g}"
    elif high < math.inf:
        bound = f" <= {high:g}"
    else:
        bound = ""
    raise _Invalid(key, f"must be {what}{bound}, got {value!r}")


def _time_index(times) -> pd.DatetimeIndex:
    """UTC time stamps (timezone-naive) from an index, DataArray or array."""
    if isinstance(times, xr.DataArray):
        times = times.values
    index = pd.DatetimeIndex(np.atleast_1d(times))
    if index.tz is not None:
        index = index.tz_convert("UTC").tz_localize(None)
    return index.rename("time")


# ---------------------------------------------------------------------------
# sections


@dataclass(frozen=True)
class Location:
    """``[site]``: where the hall is.

    Parameters
    ----------
    name : str
        The site's name, as reports show it; not empty.
    latitude, longitude : float
        [degrees_north], [degrees_east].
    elevation_m : float
        Height above sea level [m].
    timezone : str
        IANA time zone of the site (local time for reports and daily shapes).
    description : str
        Free text about the site (default empty).
    sources : dict
        Citations (``*_source`` keys) by key.
    """

    name: str
    latitude: float
    longitude: float
    elevation_m: float
    timezone: str = "Europe/Oslo"
    description: str = ""
    sources: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        _finite("latitude", self.latitude, -90.0, 90.0)
        _finite("longitude", self.longitude, -180.0, 180.0)
        _finite("elevation_m", self.elevation_m, -500.0, 9000.0)
        if not self.name.strip():
            raise _Invalid("name", "must not be empty")
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # "Europe": a folder
            raise _Invalid(
                "timezone", f"{self.timezone!r} is not an IANA time zone (e.g. 'Europe/Oslo')"
            ) from None


@dataclass(frozen=True)
class Climate:
    """``[climate]``: the weather the plant sees.

    Parameters
    ----------
    source : str
        ``"synthetic"`` for a built-in climate (:func:`powermodel.climate.synthetic`)
        or the path of a weather file, read by its suffix: ``.epw``
        (:func:`~powermodel.climate.read_epw`), ``.csv``
        (:func:`~powermodel.climate.read_csv`) or ``.nc``/``.nc4``/``.netcdf``
        (:func:`~powermodel.climate.read_netcdf`). A relative path is taken
        from the site file's directory (in Python: from the working
        directory).
    climate : str, optional
        The built-in climate for ``source = "synthetic"``; default ``"tordal"``.
    path : pathlib.Path or None
        The weather file, resolved (not a TOML key); None for synthetic.
    sources : dict
        Citations by key.
    """

    source: str = "synthetic"
    climate: str | None = None
    path: Path | None = field(default=None, metadata=_NOT_IN_TOML)
    sources: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        if self.synthetic:
            name = self.builtin_climate
            try:
                climate._site_data(name)
            except KeyError as error:
                raise _Invalid("climate", error.args[0].removeprefix("site: ")) from None
            return
        if self.climate is not None:
            raise _Invalid("climate", "only used with source = 'synthetic'")
        if not self.source.lower().endswith(_WEATHER_SUFFIXES):
            raise _Invalid(
                "source",
                f"{self.source!r} is neither 'synthetic' nor a weather file ending in "
                f"{', '.join(_WEATHER_SUFFIXES)}",
            )
        if self.path is None:
            object.__setattr__(self, "path", Path(self.source).resolve())

    @property
    def synthetic(self) -> bool:
        """True for a built-in synthetic climate."""
        return self.source == "synthetic"

    @property
    def builtin_climate(self) -> str:
        """The built-in climate's name (``"tordal"`` by default)."""
        return self.climate or "tordal"

    def weather(self, **kwargs) -> xr.Dataset:
        """The weather: synthetic scenarios or the file's contents.

        Parameters
        ----------
        **kwargs
            For synthetic weather, the arguments of
            :func:`powermodel.climate.synthetic` (``start``, ``periods``,
            ``freq``, ``scenarios``, ``seed``); for a file, the keyword
            arguments of its reader.

        Returns
        -------
        xarray.Dataset
            ``temp_air`` [degC], ``relative_humidity`` [%], ``pressure`` [Pa].
        """
        if self.synthetic:
            return climate.synthetic(site=self.builtin_climate, **kwargs)
        suffix = self.path.suffix.lower()
        if suffix == ".epw":
            return climate.read_epw(self.path, **kwargs)
        if suffix == ".csv":
            return climate.read_csv(self.path, **kwargs)
        return climate.read_netcdf(self.path, **kwargs)


@dataclass(frozen=True)
class Zone:
    """``[zone]``: the bidding zone and its hydro system's dispatch rule.

    Parameters
    ----------
    name : str
        A built-in zone (:func:`powermodel.inflow.zone`), e.g. ``"NO2"``.
    rule : {"water-values", "guide"}
        How the zone's reservoirs are dispatched: ``"water-values"`` (the
        default) trades hour by hour against water values computed without
        foresight (:func:`powermodel.water.water_values`,
        :func:`powermodel.hydro.market_dispatch`) at seeded neighbours'
        prices (:func:`powermodel.prices.synthetic`), and the zone's price
        is that market's; ``"guide"`` is the guide-curve rule
        (:func:`powermodel.hydro.reservoir_dispatch`) with the price proxy.
    guide_gain : float
        ``k`` in the release scale ``1 + k (filling - guide)`` [1]
        (:func:`powermodel.hydro.reservoir_dispatch`).
    initial_filling : float or None
        Reservoir filling at the first time step [1], in [0, 1]; None (the
        default) starts at the zone's median filling for that date (its
        guide curve), so a run may start in any season.
    import_limit_mw, export_limit_mw : float or None
        Interconnector limits [MW]; None keeps the zone's defaults.
    price_file : pathlib.Path or None
        The neighbours' day-ahead prices for ``rule = "water-values"``: an
        ENTSO-E Transparency Platform or Nord Pool CSV export
        (:func:`powermodel.prices.read`), hourly or 15-minute, put on the
        run's grid by :func:`powermodel.timegrid.on_grid`; the same series
        in every scenario. None (the default): seeded price scenarios
        (:func:`powermodel.prices.synthetic`), coupled to each scenario's
        inflow. A relative path starts from the site file's directory.
    price_area : str or None
        The Nord Pool column to read (default: the zone's name).
    price_currency_rate : float or None
        Units of the zone's currency per unit of the file's (e.g. NOK per
        EUR), > 0; needed when the file is in another currency.
    sources : dict
        Citations by key.
    """

    name: str = "NO2"
    rule: str = "water-values"
    guide_gain: float = 2.0
    initial_filling: float | None = None
    import_limit_mw: float | None = None
    export_limit_mw: float | None = None
    price_file: Path | None = None
    price_area: str | None = None
    price_currency_rate: float | None = None
    sources: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        try:
            inflow.zone(self.name)
        except KeyError as error:
            raise _Invalid("name", error.args[0].removeprefix("zone: ")) from None
        if self.rule not in ("water-values", "guide"):
            raise _Invalid("rule", f'must be "water-values" or "guide", got {self.rule!r}')
        _finite("guide_gain", self.guide_gain, 0.0)
        if self.initial_filling is not None:
            _finite("initial_filling", self.initial_filling, 0.0, 1.0)
        for key in ("import_limit_mw", "export_limit_mw"):
            if getattr(self, key) is not None:
                _finite(key, getattr(self, key), 0.0)
        if self.price_currency_rate is not None:
            _finite("price_currency_rate", self.price_currency_rate, 0.0)
            if self.price_currency_rate == 0:
                raise _Invalid("price_currency_rate", "must be > 0")
        if self.price_file is not None and self.rule != "water-values":
            raise _Invalid("price_file", 'is only used with rule = "water-values"')


@dataclass(frozen=True)
class Phase:
    """``[[grid.phase]]``: a contracted grid capacity from a date on.

    Parameters
    ----------
    start : datetime.date
        First day the capacity is in force (from 00:00 UTC).
    capacity_mw : float
        Contracted connection capacity [MW], > 0.
    non_firm_mw : float
        The part of ``capacity_mw`` [MW] connected on conditions: the grid
        operator may curtail it (a conditional connection, "tilknytning
        med vilkår om utkobling" under the Norwegian NEM regulation,
        sections 3-1 and 3-2, or a British "flexible connection") while the
        grid is reinforced; 0 (the default) for a firm connection. The
        curtailment follows ``[grid.curtailment]``.
    sources : dict
        Citations by key.
    """

    start: datetime.date
    capacity_mw: float
    non_firm_mw: float = 0.0
    sources: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        _finite("capacity_mw", self.capacity_mw, 0.0, open_low=True)
        _finite("non_firm_mw", self.non_firm_mw, 0.0, self.capacity_mw,
                what=f"a number of MW within capacity_mw ({self.capacity_mw})")  # fmt: skip


@dataclass(frozen=True)
class Curtailment:
    """``[grid.curtailment]``: when the operator curtails the non-firm capacity.

    A seeded process tied to the zone's stress, its reservoirs' filling
    below the guide curve (:func:`powermodel.grid.curtailment_signal`):
    events start at up to ``starts_per_day`` a day as the filling falls
    ``threshold`` below the guide (a logistic of width ``scale``), last
    ``duration_hours`` on average and curtail ``depth`` of the non-firm
    part. Assumption: no operator publishes typical curtailment hours (NVE
    leaves the terms to each agreement); the defaults are illustrative,
    calibrate them to the offer.

    Parameters
    ----------
    starts_per_day : float
        Event starts per day at high stress [d-1].
    duration_hours : float
        Mean length of an event [h].
    depth : float
        Share of the non-firm part curtailed during an event [1].
    threshold, scale : float
        The logistic's midpoint and width [1 of filling].
    sources : dict
        Citations by key.
    """

    starts_per_day: float = 1.0
    duration_hours: float = 4.0
    depth: float = 1.0
    threshold: float = 0.05
    scale: float = 0.02
    sources: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        _finite("starts_per_day", self.starts_per_day, 0.0, 24.0)
        _finite("duration_hours", self.duration_hours, 0.0, 8784.0, open_low=True)
        _finite("depth", self.depth, 0.0, 1.0)
        _finite("threshold", self.threshold, -1.0, 1.0)
        _finite("scale", self.scale, 0.0, 1.0, open_low=True)

    def signal(self, stress, seed: int) -> xr.DataArray:
        """The curtailed share [1] of the non-firm part, (time, scenario), from ``stress``.

        Parameters
        ----------
        stress : xarray.DataArray
            The zone's stress [1], its reservoirs' filling below the guide
            curve (:func:`powermodel.grid.reservoir_stress`), dims
            (time[, scenario]).
        seed : int
            Seed of the events' draws (:func:`powermodel.grid.curtailment_signal`).

        Returns
        -------
        xarray.DataArray
            ``non_firm_curtailment`` [1], dims (time, scenario).
        """
        return grid.curtailment_signal(
            stress, seed=seed, threshold=self.threshold, scale=self.scale,
            starts_per_day=self.starts_per_day, duration=self.duration_hours, depth=self.depth,
        )  # fmt: skip


@dataclass(frozen=True)
class SiteBattery:
    """``[battery]``: a battery behind the site's meter (:class:`powermodel.battery.Battery`).

    Dispatched each hour against the grid limit (the contract, or what a
    conditional connection leaves): peak shaving first, then, with
    ``arbitrage``, trading the day's cheap and dear hours above its reserve.

    Parameters
    ----------
    power_mw : float
        Charge and discharge power [MW]; 0: no battery.
    energy_mwh : float
        Usable energy [MWh].
    round_trip_efficiency : float
        AC round trip [1]; 0.85 after NREL's ATB (Cole and Frazier 2020,
        NREL/TP-6A20-75385).
    standing_loss_per_hour : float
        Self-discharge [h-1] (3e-5: about 2 % a month, typical of Li-ion).
    soc_min, soc_max, reserve : float
        State-of-charge window and the arbitrage reserve [1].
    arbitrage : bool
        Trade against the energy price above the reserve.
    sources : dict
        Citations by key.
    """

    power_mw: float = 0.0
    energy_mwh: float = 0.0
    round_trip_efficiency: float = 0.85
    standing_loss_per_hour: float = 3e-5
    soc_min: float = 0.0
    soc_max: float = 1.0
    reserve: float = 0.5
    arbitrage: bool = False
    sources: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        _finite("power_mw", self.power_mw, 0.0)
        _finite("energy_mwh", self.energy_mwh, 0.0)
        if self.power_mw > 0 and self.energy_mwh <= 0:
            raise _Invalid("energy_mwh", "must be > 0 MWh when power_mw > 0")
        try:
            self.model()
        except (TypeError, ValueError) as error:
            name, _, message = str(error).partition(": ")
            keys = {"round_trip_efficiency": "round_trip_efficiency",
                    "standing_loss": "standing_loss_per_hour", "soc_min": "soc_min",
                    "soc_max": "soc_max", "reserve": "reserve"}  # fmt: skip
            raise _Invalid(keys.get(name, "battery"), message or str(error)) from None

    @property
    def present(self) -> bool:
        """Whether the site has a battery (``power_mw`` > 0)."""
        return self.power_mw > 0

    def model(self) -> battery.Battery:
        """The battery in SI units.

        Returns
        -------
        powermodel.battery.Battery
            Power [W] and energy [J] converted from ``power_mw`` and
            ``energy_mwh``, with the efficiency, standing loss and
            state-of-charge window as given.
        """
        return battery.Battery(
            power=self.power_mw * 1e6, energy=self.energy_mwh * 3.6e9,
            round_trip_efficiency=self.round_trip_efficiency,
            standing_loss=self.standing_loss_per_hour, soc_min=self.soc_min,
            soc_max=self.soc_max, reserve=self.reserve,
        )  # fmt: skip


@dataclass(frozen=True)
class Grid:
    """``[grid]``: the grid connection, phase by phase.

    Phases must start on strictly increasing dates. Capacity may go down
    as well as up (e.g. a temporary or flexible connection agreement that
    ends); a decrease is not an error.

    Parameters
    ----------
    phases : tuple of Phase
        TOML key ``phase`` (``[[grid.phase]]`` tables), at least one.
    curtailment : Curtailment
        ``[grid.curtailment]``: when the non-firm parts are curtailed.
    sources : dict
        Citations by key.
    """

    phases: tuple[Phase, ...] = field(metadata={"key": "phase"})
    curtailment: Curtailment = field(default_factory=Curtailment)
    sources: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "phases", tuple(self.phases))
        if not self.phases:
            raise _Invalid("phase", "needs at least one [[grid.phase]] table")
        for i in range(1, len(self.phases)):
            before, now = self.phases[i - 1].start, self.phases[i].start
            if not now > before:
                raise _Invalid(
                    f"phase[{i}].start",
                    f"phases must start on strictly increasing dates: {now} is not after "
                    f"phase[{i - 1}].start {before}",
                )

    def capacity(self, times) -> xr.DataArray:
        """The contracted capacity in force at each time stamp.

        Parameters
        ----------
        times : pandas.DatetimeIndex, xarray.DataArray or array of datetime64
            Time stamps in UTC (timezone-naive means UTC; aware ones are
            converted).

        Returns
        -------
        xarray.DataArray
            Capacity [W] on ``time``: the latest phase started at or before
            each stamp, 0 before the first phase.
        """
        phases = [(pd.Timestamp(p.start), p.capacity_mw * 1e6) for p in self.phases]
        return grid.connection_capacity(phases, _time_index(times)).rename("grid_capacity")

    @property
    def conditional(self) -> bool:
        """Whether any phase has a non-firm part."""
        return any(p.non_firm_mw > 0 for p in self.phases)

    def parts(self, times) -> xr.Dataset:
        """Firm and non-firm capacity [W] (:func:`powermodel.grid.connection_parts`).

        Parameters
        ----------
        times : pandas.DatetimeIndex, xarray.DataArray or array of datetime64
            Time stamps in UTC (timezone-naive means UTC; aware ones are
            converted).

        Returns
        -------
        xarray.Dataset
            ``grid_capacity_firm`` and ``grid_capacity_non_firm`` [W] on
            ``time``: each phase's ``capacity_mw - non_firm_mw`` and
            ``non_firm_mw``, 0 before the first phase.
        """
        phases = [(pd.Timestamp(p.start), (p.capacity_mw - p.non_firm_mw) * 1e6,
                   p.non_firm_mw * 1e6) for p in self.phases]  # fmt: skip
        return grid.connection_parts(phases, _time_index(times))


@dataclass(frozen=True)
class FleetEntry:
    """``[[fleet]]``: identical racks of one catalog system entering service together.

    Parameters
    ----------
    system : str
        A catalog system (:func:`powermodel.catalog.systems`).
    racks : int
        Number of racks, >= 1.
    start : datetime.date
        Day the racks enter service (from 00:00 UTC).
    power_cap_w : float or None
        Cap on each rack's input power [W] (``power_cap`` of
        :func:`powermodel.rack.power`), at least the rack's idle power;
        None for no cap.
    sources : dict
        Citations by key.
    """

    system: str
    racks: int
    start: datetime.date
    power_cap_w: float | None = None
    sources: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        if self.system not in catalog.systems():
            raise _Invalid("system", f"{self.system!r} is not one of {catalog.systems()}")
        if isinstance(self.racks, bool) or not isinstance(self.racks, int) or self.racks < 1:
            raise _Invalid("racks", f"must be an integer >= 1, got {self.racks!r}")
        if self.racks > MAX_RACKS:
            raise _Invalid(
                "racks",
                f"{self.racks} racks is implausible (more than {MAX_RACKS:,} in one entry; "
                "at 130 kW per GB200 NVL72 rack that is 13 GW)",
            )
        if self.power_cap_w is not None:
            spec = catalog.system(self.system)
            idle = spec.servers_per_rack * spec.power_idle
            _finite("power_cap_w", self.power_cap_w, idle, what="a rack input power [W]")

    def in_service(self, times) -> xr.DataArray:
        """Racks in service at each time stamp: ``racks`` from ``start`` on, else 0.

        Parameters
        ----------
        times : pandas.DatetimeIndex, xarray.DataArray or array of datetime64
            Time stamps in UTC.

        Returns
        -------
        xarray.DataArray
            Integer rack counts [1] on ``time``.
        """
        index = _time_index(times)
        started = index >= pd.Timestamp(self.start)
        return xr.DataArray(
            np.where(started, self.racks, 0).astype(np.int64),
            dims="time",
            coords={"time": index},
            name="racks",
            attrs={"units": "1", "long_name": "racks in service"},
        )


@dataclass(frozen=True)
class Cooling:
    """``[cooling]``: the cooling plant.

    Parameters
    ----------
    plant : str
        A shipped plant (:func:`powermodel.cooling.plants`).
    liquid_fraction : float or None
        Override of the plant's share of heat to liquid [1], in [0, 1].
    heat_reuse_demand_mw : float
        Most heat a district-heating network takes from the site [MW]; a
        heat pump lifts it from the liquid return (0: no reuse).
    district_supply_temperature : float or None
        District-heating supply temperature [degC]; None keeps the plant's.
    sources : dict
        Citations by key.
    """

    plant: str = "hybrid-dry-cooler"
    liquid_fraction: float | None = None
    heat_reuse_demand_mw: float = 0.0
    district_supply_temperature: float | None = None
    sources: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        if self.plant not in cooling.plants():
            raise _Invalid("plant", f"{self.plant!r} is not one of {cooling.plants()}")
        if self.liquid_fraction is not None:
            _finite("liquid_fraction", self.liquid_fraction, 0.0, 1.0)
        _finite("heat_reuse_demand_mw", self.heat_reuse_demand_mw, 0.0)
        if self.district_supply_temperature is not None:
            _finite("district_supply_temperature", self.district_supply_temperature, 30.0, 120.0)

    def model(self, heat_reuse_share: float = 1.0) -> cooling.CoolingPlant:
        """The plant object for :func:`powermodel.cooling.plant_power`.

        Parameters
        ----------
        heat_reuse_share : float
            The part [1] of the district-heating demand this plant serves
            (the site splits it between its fleet entries); 1 (the default):
            all of ``heat_reuse_demand_mw``.

        Returns
        -------
        powermodel.cooling.CoolingPlant
            The shipped plant with ``liquid_fraction`` and the district
            supply temperature overridden where given, and a heat-reuse
            demand [W] of ``heat_reuse_demand_mw`` times ``heat_reuse_share``.
        """
        plant = cooling.plant(self.plant)
        if self.liquid_fraction is not None:
            plant = plant.replace(liquid_fraction=self.liquid_fraction)
        reuse = {"demand": self.heat_reuse_demand_mw * 1e6 * heat_reuse_share}
        if self.district_supply_temperature is not None:
            reuse["temp_district_supply"] = self.district_supply_temperature
        return plant.replace(heat_reuse=dataclasses.replace(plant.heat_reuse, **reuse))


@dataclass(frozen=True)
class Economics:
    """``[economics]``: prices and tariffs.

    Parameters
    ----------
    currency : str
        ISO 4217 code of all money amounts, e.g. ``"NOK"``.
    energy_price : float or "zone"
        ``"zone"`` for the zone's hourly price proxy, or a flat price
        [currency/MWh].
    grid_tariff_per_mwh : float
        Energy part of the network tariff [currency/MWh].
    capacity_tariff_per_mw_year : float or None
        Capacity (power) part of the network tariff [currency/(MW year)],
        charged on the contracted capacity; None for none.
    sources : dict
        Citations by key.
    """

    currency: str = "NOK"
    energy_price: float | Literal["zone"] = "zone"
    grid_tariff_per_mwh: float = 0.0
    capacity_tariff_per_mw_year: float | None = None
    sources: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        if not (len(self.currency) == 3 and self.currency.isalpha() and self.currency.isupper()):
            raise _Invalid(
                "currency", f"must be an ISO 4217 code like 'NOK', got {self.currency!r}"
            )
        if self.energy_price != "zone":
            _finite("energy_price", self.energy_price, what="'zone' or a number")
        _finite("grid_tariff_per_mwh", self.grid_tariff_per_mwh, 0.0)
        if self.capacity_tariff_per_mw_year is not None:
            _finite("capacity_tariff_per_mw_year", self.capacity_tariff_per_mw_year, 0.0)


@dataclass(frozen=True)
class Swing:
    """``[swing]``: limits on the site's sub-second power swings, and their mitigation.

    The hourly engine knows each step's within-step swing of synchronous
    training (:mod:`powermodel.swing`); :func:`powermodel.spectrum.scenario_compliance`
    gives it the shape of a reference job (the workload's iteration period
    and compute share) and reports, per scenario, the oscillation amplitude
    in two bands, the steepest ramp and the dynamic range against these
    limits. A limit left out is measured, not checked: no public source
    states a number for a data centre's swings (the utility-specific
    requirements named by Choukse et al. 2025, arXiv:2508.14318, are not
    published; the Demand Connection Code, Reg. (EU) 2016/1388, and
    Statnett's NVF set none for consumption): state your connection
    agreement's.

    Parameters
    ----------
    ramp_rate_mw_per_s : float, optional
        Most ramp of the grid draw [MW/s], over ``ramp_window_s`` [s] (None:
        one 10 ms sample).
    ramp_window_s : float, optional
        Window [s] the ramp is measured over
        (:func:`powermodel.spectrum.ramp_rate`), > 0; None: one 10 ms sample.
    dynamic_range_mw : float, optional
        Most max - min of the grid draw [MW].
    band_low_mw, band_high_mw : float, optional
        Most oscillation amplitude [MW] in 0.1-1 Hz and 1-20 Hz.
    job_phases : int
        Groups of training jobs spread evenly over the iteration period (1:
        all in phase, the hourly engine's upper bound).
    mitigation : {"none", "smoothing", "storage"}
        GPU power smoothing (NVML: floor, ramp limits, hysteresis) or energy
        storage (PSU/rack storage or a site battery behind a low-pass).
    floor_share : float
        Smoothing floor as a share of each step's swing [1].
    ramp_up_mw_per_s, ramp_down_mw_per_s : float, optional
        Smoothing ramp limits of the hall [MW/s]; None: none.
    hysteresis_s : float
        Smoothing ramp-down hysteresis [s].
    storage_energy_mj, storage_power_mw : float
        Storage's usable energy [MJ] and power [MW].
    storage_tau_s : float
        Time constant of the low-pass the grid draw follows [s].
    storage_efficiency : float
        Storage round-trip efficiency [1].
    sources : dict
        Citations by key.
    """

    ramp_rate_mw_per_s: float | None = None
    ramp_window_s: float | None = None
    dynamic_range_mw: float | None = None
    band_low_mw: float | None = None
    band_high_mw: float | None = None
    job_phases: int = 1
    mitigation: Literal["none", "smoothing", "storage"] = "none"
    floor_share: float = 0.0
    ramp_up_mw_per_s: float | None = None
    ramp_down_mw_per_s: float | None = None
    hysteresis_s: float = 0.0
    storage_energy_mj: float = 0.0
    storage_power_mw: float = 0.0
    storage_tau_s: float = 1.0
    storage_efficiency: float = 0.9
    sources: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        for name in ("ramp_rate_mw_per_s", "ramp_window_s", "dynamic_range_mw", "band_low_mw",
                     "band_high_mw", "ramp_up_mw_per_s", "ramp_down_mw_per_s"):  # fmt: skip
            if getattr(self, name) is not None:
                _finite(name, getattr(self, name), 0.0, open_low=True)
        if isinstance(self.job_phases, bool) or not isinstance(self.job_phases, int):
            raise _Invalid("job_phases", f"must be an integer >= 1, got {self.job_phases!r}")
        if not 1 <= self.job_phases <= 64:
            raise _Invalid("job_phases", f"must be in 1..64, got {self.job_phases}")
        _finite("floor_share", self.floor_share, 0.0, 1.0)
        _finite("hysteresis_s", self.hysteresis_s, 0.0)
        _finite("storage_energy_mj", self.storage_energy_mj, 0.0)
        _finite("storage_power_mw", self.storage_power_mw, 0.0)
        _finite("storage_tau_s", self.storage_tau_s, 0.0, open_low=True)
        _finite("storage_efficiency", self.storage_efficiency, 0.0, 1.0, open_low=True)
        if self.mitigation == "storage" and not (self.storage_energy_mj and self.storage_power_mw):
            raise _Invalid("mitigation", '"storage" needs storage_energy_mj and storage_power_mw')

    @property
    def checked(self) -> bool:
        """Whether a run reports the swings' compliance (any limit or a mitigation given)."""
        limits = (self.ramp_rate_mw_per_s, self.dynamic_range_mw, self.band_low_mw,
                  self.band_high_mw)  # fmt: skip
        return any(v is not None for v in limits) or self.mitigation != "none"

    def limits(self) -> spectrum.SwingLimits:
        """The limits in SI units.

        Returns
        -------
        powermodel.spectrum.SwingLimits
            The ramp rate [W s-1] over ``ramp_window_s`` [s], the most
            amplitude [W] in 0.1-1 Hz and 1-20 Hz and the dynamic range [W];
            None where not given (measured, not checked).
        """
        mw = lambda v: None if v is None else v * 1e6  # noqa: E731
        return spectrum.SwingLimits(
            ramp_rate=mw(self.ramp_rate_mw_per_s), ramp_window=self.ramp_window_s,
            bands=((0.1, 1.0, mw(self.band_low_mw)), (1.0, 20.0, mw(self.band_high_mw))),
            dynamic_range=mw(self.dynamic_range_mw),
        )  # fmt: skip

    def job(self, training) -> spectrum.ReferenceJob:
        """The reference job of the workload's training (:class:`~powermodel.workload.Training`).

        Parameters
        ----------
        training : powermodel.workload.Training
            The workload's training: its iteration period [s] and compute
            share [1] give the job's shape.

        Returns
        -------
        powermodel.spectrum.ReferenceJob
            The job, split into ``job_phases`` groups spread evenly over the
            iteration period.
        """
        offsets = tuple(k / self.job_phases for k in range(self.job_phases))
        return spectrum.ReferenceJob.from_training(training, offsets=offsets)

    def model(self):
        """The mitigation in SI units (None for none).

        Returns
        -------
        powermodel.spectrum.PowerSmoothing, powermodel.spectrum.EnergyStorage or None
            For ``"smoothing"``: the floor share [1], ramp limits [W s-1]
            (infinite where not given) and hysteresis [s]; for
            ``"storage"``: the energy [J], power [W], time constant [s] and
            efficiency [1]; None for ``"none"``.
        """
        rate = lambda v: math.inf if v is None else v * 1e6  # noqa: E731
        if self.mitigation == "smoothing":
            return spectrum.PowerSmoothing(
                floor_share=self.floor_share, ramp_up=rate(self.ramp_up_mw_per_s),
                ramp_down=rate(self.ramp_down_mw_per_s), hysteresis=self.hysteresis_s,
            )  # fmt: skip
        if self.mitigation == "storage":
            return spectrum.EnergyStorage(
                capacity=self.storage_energy_mj * 1e6, power_rating=self.storage_power_mw * 1e6,
                tau=self.storage_tau_s, efficiency=self.storage_efficiency,
            )  # fmt: skip
        return None


#: The source of the default residual-mix intensity, 402 g CO2e/kWh.
RESIDUAL_MIX_SOURCE = (
    "NVE varedeklarasjon 2020 (residual mix, no guarantees of origin): 402 gCO2e/kWh, "
    "https://wattn.no/privat/aktuelt/varedeklarasjon"
)


@dataclass(frozen=True)
class NeighbourCarbon:
    """``[[carbon.neighbour]]``: the carbon intensity of one of the zone's neighbours.

    Parameters
    ----------
    name : str
        One of the zone's neighbours (:func:`powermodel.carbon.neighbours`),
        e.g. ``"DE"``.
    intensity_g_per_kwh : float or None
        Its annual intensity [g CO2e/kWh], >= 0.
    file : pathlib.Path or None
        Or its hourly (or monthly) series: an Electricity Maps CSV export
        (:func:`powermodel.carbon.read_electricitymaps`), relative to the
        site file's directory. Exactly one of the two.
    basis : {"lifecycle", "direct"}
        Which of the file's intensities; life-cycle, as the defaults.
    sources : dict
        Citations by key.
    """

    name: str
    intensity_g_per_kwh: float | None = None
    file: Path | None = None
    basis: Literal["lifecycle", "direct"] = "lifecycle"
    sources: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        if (self.intensity_g_per_kwh is None) == (self.file is None):
            raise _Invalid("intensity_g_per_kwh", "give exactly one of it and file")
        if self.intensity_g_per_kwh is not None:
            _finite("intensity_g_per_kwh", self.intensity_g_per_kwh, 0.0)

    def series(self, times) -> xr.DataArray:
        """The intensity [g kWh-1] as a (time,) series: the file's, or the constant on ``times``.

        Parameters
        ----------
        times : pandas.DatetimeIndex or array of datetime64
            UTC time stamps of the constant series; not used with ``file``
            (the file's own time stamps are returned).

        Returns
        -------
        xarray.DataArray
            Carbon intensity [g kWh-1] (g CO2e per kWh), dims (time,).
        """
        if self.file is not None:
            return read_electricitymaps(self.file, basis=self.basis)
        index = pd.DatetimeIndex(times)
        return xr.DataArray(np.full(len(index), self.intensity_g_per_kwh), dims="time",
                            coords={"time": index}, attrs={"units": "g kWh-1"})  # fmt: skip


@dataclass(frozen=True)
class Carbon:
    """``[carbon]``: carbon accounting.

    Parameters
    ----------
    basis : {"location", "market"}
        Required, no default: ``"location"`` uses the physical mix (the
        zone's intensity, or ``location_g_per_kwh``); ``"market"`` uses the
        residual mix (electricity without guarantees of origin).
    market_residual_mix_g_per_kwh : float
        Residual-mix intensity [g CO2e/kWh]; default 402 (see
        :data:`~powermodel.site.RESIDUAL_MIX_SOURCE`).
    location_g_per_kwh : float or None
        A flat location-based intensity [g CO2e/kWh]; None uses the zone's.
    neighbours : tuple of NeighbourCarbon
        TOML ``[[carbon.neighbour]]``: intensities of the zone's neighbours
        that replace their annual defaults (the zone's imports carry them).
    sources : dict
        Citations by key.
    """

    basis: Literal["location", "market"]
    market_residual_mix_g_per_kwh: float = 402.0
    location_g_per_kwh: float | None = None
    neighbours: tuple[NeighbourCarbon, ...] = field(default=(), metadata={"key": "neighbour"})
    sources: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        if self.basis not in ("location", "market"):
            raise _Invalid("basis", f"must be 'location' or 'market', got {self.basis!r}")
        _finite("market_residual_mix_g_per_kwh", self.market_residual_mix_g_per_kwh, 0.0)
        if self.location_g_per_kwh is not None:
            _finite("location_g_per_kwh", self.location_g_per_kwh, 0.0)


@dataclass(frozen=True)
class Site:
    """A whole site description (see the module docstring for the TOML layout).

    Parameters
    ----------
    location : Location
        TOML ``[site]``.
    grid : Grid
        ``[grid]``: the grid connection, phase by phase.
    fleet : tuple of FleetEntry
        At least one; entries may not start before the first grid phase.
    carbon : Carbon
        ``[carbon]``: carbon accounting.
    climate, zone, cooling, economics : Climate, Zone, Cooling, Economics
        ``[climate]``, ``[zone]``, ``[cooling]`` and ``[economics]``: the
        weather, the bidding zone, the cooling plant and the prices and
        tariffs (defaults where left out).
    workload : powermodel.workload.Workload
        ``[workload]``: the workload mix, its power swings' mitigation and its
        flexibility.
    auxiliaries : powermodel.auxiliaries.Auxiliaries
        ``[auxiliaries]``: transformers' no-load losses, lighting, building
        systems, humidity control and CDU pumps (defaults cited there).
    swing : Swing
        ``[swing]``: limits on the sub-second swings and their mitigation.
    battery : SiteBattery
        ``[battery]``: a battery behind the meter (none by default).
    path : pathlib.Path or None
        The file it was loaded from (not a TOML key).
    sources : dict
        Citations of top-level keys.
    """

    location: Location = field(metadata={"key": "site"})
    grid: Grid
    fleet: tuple[FleetEntry, ...]
    carbon: Carbon
    climate: Climate = field(default_factory=Climate)
    zone: Zone = field(default_factory=Zone)
    cooling: Cooling = field(default_factory=Cooling)
    workload: Workload = field(default_factory=Workload)
    economics: Economics = field(default_factory=Economics)
    auxiliaries: Auxiliaries = field(default_factory=Auxiliaries)
    swing: Swing = field(default_factory=Swing)
    battery: SiteBattery = field(default_factory=SiteBattery)
    path: Path | None = field(default=None, metadata=_NOT_IN_TOML, compare=False)
    sources: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "fleet", tuple(self.fleet))
        if not self.fleet:
            raise _Invalid("fleet", "needs at least one [[fleet]] table")
        names = [n.name for n in zone_neighbours(self.zone.name)]
        for i, given in enumerate(self.carbon.neighbours):
            if given.name not in names:
                raise _Invalid(
                    f"carbon.neighbour[{i}].name",
                    f"{given.name!r} is not a neighbour of {self.zone.name}; its neighbours: "
                    f"{names}",
                )
        if self.workload.flexibility.signal == "water_value" and self.zone.rule != "water-values":
            raise _Invalid(
                "workload.flexibility.signal",
                '"water_value" needs the zone\'s water values: set [zone] rule = "water-values"',
            )
        first = self.grid.phases[0].start
        for i, entry in enumerate(self.fleet):
            if entry.start < first:
                raise _Invalid(
                    f"fleet[{i}].start",
                    f"{entry.start} is before the first grid phase starts ({first}); "
                    "racks need a grid connection",
                )

    def racks(self, times) -> xr.DataArray:
        """Racks in service per fleet entry at each UTC time stamp.

        Parameters
        ----------
        times : pandas.DatetimeIndex, xarray.DataArray or array of datetime64
            Time stamps in UTC (timezone-naive means UTC; aware ones are
            converted).

        Returns
        -------
        xarray.DataArray
            Integer counts [1] on ``(fleet, time)``; coordinate ``system``
            on ``fleet`` names each entry's catalog system.
        """
        counts = [entry.in_service(times) for entry in self.fleet]
        result = xr.concat(counts, dim="fleet")
        return result.assign_coords(
            fleet=np.arange(len(self.fleet)),
            system=("fleet", [entry.system for entry in self.fleet]),
        )


# ---------------------------------------------------------------------------
# the generic builder


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _toml_type(value) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, datetime.datetime):
        return "a date-time"
    names = {
        int: "an integer",
        float: "a float",
        str: "a string",
        datetime.date: "a date",
        datetime.time: "a time",
        list: "an array",
        dict: "a table",
    }
    return next((name for kind, name in names.items() if isinstance(value, kind)), "a value")


def _got(value) -> str:
    if isinstance(value, dict):
        return "a table"
    shown = repr(value) if not isinstance(value, str) else f'"{value}"'
    if isinstance(value, datetime.date):
        shown = value.isoformat()
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"{shown} ({_toml_type(value)})"


def _describe(tp) -> str:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_describe(arg) for arg in args if arg is not type(None))
    if origin is Literal:
        return " or ".join(repr(arg) for arg in args)
    if origin in (tuple, list):
        item = args[0]
        return f"an array of {'tables' if dataclasses.is_dataclass(item) else _describe(item)}"
    if dataclasses.is_dataclass(tp):
        return "a table"
    names = {
        bool: "true or false",
        int: "an integer",
        float: "a number",
        str: "a string",
        datetime.date: "a TOML date like 2025-10-01 (no quotes)",
        Path: "a file path (a string, from the site file's directory)",
    }
    return names.get(tp, getattr(tp, "__name__", str(tp)))


class _Builder:
    """Maps TOML tables onto dataclasses; errors name ``where`` (the file)."""

    def __init__(self, where: str, directory: Path = Path(".")):
        self.where = where
        self.directory = directory

    def error(self, key: str, message: str) -> SiteError:
        return SiteError(f"{self.where}: {key}: {message}" if key else f"{self.where}: {message}")

    def value(self, tp, value, key: str):
        """``value`` converted to the annotation ``tp``, or a SiteError."""
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin in (typing.Union, types.UnionType):
            for arg in args:
                if arg is type(None):
                    continue
                try:
                    return self.value(arg, value, key)
                except SiteError:
                    if dataclasses.is_dataclass(arg) or (arg is Path and isinstance(value, str)):
                        raise
            raise self.error(key, f"must be {_describe(tp)}, got {_got(value)}")
        if origin is Literal:
            if any(type(value) is type(arg) and value == arg for arg in args):
                return value
            raise self.error(key, f"must be {_describe(tp)}, got {_got(value)}")
        if origin in (tuple, list):
            if not isinstance(value, list):
                raise self.error(key, f"must be {_describe(tp)}, got {_got(value)}")
            items = [self.value(args[0], item, f"{key}[{i}]") for i, item in enumerate(value)]
            return tuple(items) if origin is tuple else items
        if dataclasses.is_dataclass(tp):
            return self.build(tp, value, key)
        if tp is float and isinstance(value, int | float) and not isinstance(value, bool):
            if not math.isfinite(value):
                raise self.error(key, f"must be a finite number, got {value!r}")
            return float(value)
        if tp is datetime.date and isinstance(value, datetime.datetime):
            raise self.error(key, f"must be {_describe(tp)}, got {_got(value)}")
        if tp in (bool, int, str, datetime.date) and isinstance(value, tp):
            if tp is int and isinstance(value, bool):
                raise self.error(key, f"must be {_describe(tp)}, got {_got(value)}")
            return value
        if tp is Path and isinstance(value, str):
            return self.file(value, key)
        if tp in (bool, int, float, str, datetime.date, Path):
            raise self.error(key, f"must be {_describe(tp)}, got {_got(value)}")
        raise TypeError(f"site builder: unsupported annotation {tp!r} at {key}")

    def build(self, cls, table, key: str, **extra):
        """An instance of the dataclass ``cls`` from the TOML table ``table``.

        ``extra`` gives values of fields that are not TOML keys.
        """
        if not isinstance(table, dict):
            raise self.error(key, f"must be a table, got {_got(table)}")
        hints = typing.get_type_hints(cls)
        fields = {
            item.metadata.get("key", item.name): item
            for item in dataclasses.fields(cls)
            if item.init and item.metadata.get("toml", True) and item.name != "sources"
        }
        has_sources = any(item.name == "sources" for item in dataclasses.fields(cls))
        kwargs, sources = dict(extra), {}
        for name, value in table.items():
            where = _join(key, name)
            if name.endswith(_SOURCE) and name[: -len(_SOURCE)] in fields:
                if not isinstance(value, str):
                    raise self.error(where, f"a citation must be a string, got {_got(value)}")
                sources[name[: -len(_SOURCE)]] = value
                continue
            if name not in fields:
                raise self.error(where, self.unknown(name, fields))
            kwargs[fields[name].name] = self.value(hints[fields[name].name], value, where)
        for name, item in fields.items():
            required = item.default is dataclasses.MISSING
            if required and item.default_factory is dataclasses.MISSING and name not in table:
                kind = _describe(hints[item.name])
                raise self.error(_join(key, name), f"required key missing ({kind})")
        if has_sources:
            kwargs["sources"] = sources
        try:
            return cls(**kwargs)
        except _Invalid as error:
            raise self.error(_join(key, error.key), error.message) from None
        except (ValueError, TypeError) as error:  # checks of dataclasses from other modules
            name, _, message = str(error).partition(": ")
            if name in fields and message:  # "field: what is wrong" names the key
                raise self.error(_join(key, name), message) from None
            raise self.error(key, str(error)) from None

    def resolve(self, given: str, key: str) -> Path:
        """The path ``given`` at ``key``, from the site file's directory."""
        if "\x00" in given or len(given) > 4096:
            raise self.error(key, "is not a usable file path")
        try:
            return (self.directory / Path(given).expanduser()).resolve()
        except (OSError, RuntimeError, ValueError) as error:  # a loop of links, bad ~user
            raise self.error(key, f"is not a usable file path ({error})") from None

    def existing(self, path: Path, key: str, what: str = "file") -> Path:
        """``path`` if it is a file, else an error at ``key`` saying ``what`` is not found."""
        try:
            exists = path.is_file()
        except OSError:  # a name too long for the file system
            exists = False
        if not exists:
            raise self.error(key, f"{what} not found: {path}")
        return path

    def file(self, given: str, key: str) -> Path:
        """The path ``given`` at ``key``, from the site file's directory; it must exist."""
        return self.existing(self.resolve(given, key), key)

    @staticmethod
    def unknown(name: str, fields: dict) -> str:
        valid = sorted(fields)
        close = difflib.get_close_matches(name, valid + [f + _SOURCE for f in valid], n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return f"unknown key; {hint}valid keys: {', '.join(valid)} (and <key>_source)"


# ---------------------------------------------------------------------------
# public functions


def _resource(name: str):
    return resources.files("powermodel.data").joinpath("sites", f"{name}.toml")


def builtin() -> list[str]:
    """Names of the built-in sites (``powermodel/data/sites/<name>.toml``).

    Returns
    -------
    list of str
        The names, sorted, e.g. ``"dra01"``.
    """
    folder = resources.files("powermodel.data").joinpath("sites")
    return sorted(item.name[:-5] for item in folder.iterdir() if item.name.endswith(".toml"))


def text(name: str) -> str:
    """The text of a built-in site file, to copy and edit.

    Parameters
    ----------
    name : str
        A built-in site (:func:`builtin`), e.g. ``"dra01"``.

    Returns
    -------
    str
        The site file's TOML text, as shipped.

    Raises
    ------
    SiteError
        ``name`` is not a built-in site; the message lists them.
    """
    if name not in builtin():
        raise SiteError(f"site: {name!r} is not a built-in site; built-in sites: {builtin()}")
    return _resource(name).read_text("utf-8")


def loads(source: str, *, name: str = "<string>", directory=".") -> Site:
    """A site from TOML text.

    Parameters
    ----------
    source : str
        The TOML text.
    name : str
        The file name used in error messages.
    directory : str or os.PathLike
        Directory that relative weather-file paths start from.

    Returns
    -------
    Site
        The site, checked: every key known, typed and within its range.

    Raises
    ------
    SiteError
        Invalid TOML, unknown or missing keys, wrong types or bad values.
    """
    source = source.removeprefix("\ufeff")  # a UTF-8 byte-order mark (Windows editors)
    try:
        table = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise SiteError(f"{name}: invalid TOML: {error}") from None
    builder = _Builder(name, Path(directory))
    extra = {}
    if isinstance(table.get("climate"), dict):
        extra["climate"] = _climate(builder, table.pop("climate"), Path(directory))
    site = builder.build(Site, table, "", **extra)
    return site


def _climate(builder: _Builder, table: dict, directory: Path) -> Climate:
    """``[climate]`` with the weather file resolved and checked to exist."""
    given = table.get("source", "synthetic")
    path = None
    if isinstance(given, str) and given != "synthetic":
        path = builder.resolve(given, "climate.source")
    result = builder.build(Climate, table, "climate", path=path)
    if path is not None:
        builder.existing(path, "climate.source", "weather file")
    return result


def load(path_or_name) -> Site:
    """A site from a built-in name or a ``.toml`` file.

    Parameters
    ----------
    path_or_name : str or os.PathLike
        A built-in site (:func:`builtin`, e.g. ``"dra01"``) or the path of
        a site file. Relative weather-file paths in it start from the
        file's directory.

    Returns
    -------
    Site
        With ``path`` set to the file (None for a built-in site).

    Raises
    ------
    SiteError
        Unknown name (listing the built-in sites), missing file, invalid
        TOML or an invalid site; the message names the file and the key.

    Examples
    --------
    >>> load("dra01").zone.name
    'NO2'
    """
    if isinstance(path_or_name, str) and path_or_name in builtin():
        name = path_or_name
        return loads(text(name), name=f"{name}.toml", directory=".")
    is_path = isinstance(path_or_name, os.PathLike) or (
        isinstance(path_or_name, str)
        and (path_or_name.endswith(".toml") or os.sep in path_or_name or "/" in path_or_name)
    )
    if not is_path:
        raise SiteError(
            f"site: {path_or_name!r} is neither a built-in site nor a .toml file; "
            f"built-in sites: {builtin()}"
        )
    path = Path(path_or_name)
    try:
        source = path.read_text("utf-8")
    except FileNotFoundError:
        raise SiteError(f"{path}: site file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SiteError(f"{path}: cannot read the site file ({error})") from None
    site = loads(source, name=str(path), directory=path.parent)
    return dataclasses.replace(site, path=path.resolve())
