"""The hardware catalog: GPU systems, PSU curves, SPECpower tables, UPS.

The numbers live in ``powermodel/data/hardware.toml``, each with its public
source; this module reads them into typed, validated objects.

Examples
--------
>>> from powermodel import catalog
>>> catalog.system("dgx-h100").power_max
10200.0
>>> sorted(catalog.systems())
['dgx-h100', 'dgx-h200', 'gb200-nvl72']
"""

from __future__ import annotations

import functools
import math
import tomllib
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

__all__ = [
    "PowerChain",
    "System",
    "fit_converter_loss",
    "load_table",
    "load_tables",
    "psu_efficiency",
    "psu_loss_coefficients",
    "system",
    "systems",
    "ups",
]

_COOLING = ("air", "liquid")


@dataclass(frozen=True)
class System:
    """A GPU server or rack-scale system: what the load curve describes.

    Parameters
    ----------
    name, description : str
        The catalog name (e.g. ``"dgx-h100"``) and a one-line description of
        the hardware.
    cooling : {"air", "liquid"}
        How the system is cooled.
    power_idle, power_max : float
        Input power at 0 % and 100 % utilisation [W], ``0 <= power_idle < power_max``.
    servers_per_rack : int
        Systems per rack [1], >= 1.
    psu_rated : float
        Rated output of the system's power supplies together [W], > 0.
    psu_loss : tuple of float
        PSU loss coefficients ``(a0, a1, a2)`` [1] (see
        :func:`powermodel.kernels.rack.converter_loss`).
    fan_power_max : float
        Fan power at full speed [W], in ``[0, power_idle)``.
    fan_min_speed : float
        Fan speed at idle, fraction of full speed [1], in [0, 1].
    heat_to_liquid : float
        Fraction of the heat removed by liquid [1], in [0, 1].
    gpus : int
        GPUs per system [1].
    sources : dict
        Source of each number.
    """

    name: str
    description: str
    cooling: str
    power_idle: float
    power_max: float
    servers_per_rack: int
    psu_rated: float
    psu_loss: tuple[float, float, float]
    fan_power_max: float
    fan_min_speed: float
    heat_to_liquid: float
    gpus: int
    sources: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        where = f"system {self.name!r}"
        if self.cooling not in _COOLING:
            raise ValueError(f"{where}: cooling must be one of {_COOLING}, got {self.cooling!r}")
        if not 0.0 <= self.power_idle < self.power_max:
            raise ValueError(
                f"{where}: need 0 <= power_idle < power_max, "
                f"got {self.power_idle}, {self.power_max}"
            )
        if self.servers_per_rack < 1:
            raise ValueError(f"{where}: servers_per_rack must be >= 1")
        if self.psu_rated <= 0.0:
            raise ValueError(f"{where}: psu_rated must be > 0")
        if not 0.0 <= self.fan_power_max < self.power_idle:
            raise ValueError(f"{where}: fan_power_max must be in [0, power_idle)")
        if not 0.0 <= self.fan_min_speed <= 1.0:
            raise ValueError(f"{where}: fan_min_speed must be in [0, 1]")
        if not 0.0 <= self.heat_to_liquid <= 1.0:
            raise ValueError(f"{where}: heat_to_liquid must be in [0, 1]")

    @property
    def rack_power_max(self) -> float:
        """Maximum input power of a full rack [W]."""
        return self.servers_per_rack * self.power_max


@dataclass(frozen=True)
class PowerChain:
    """UPS and distribution between the grid side and the racks.

    Parameters
    ----------
    ups_loss : tuple of float
        UPS loss coefficients ``(a0, a1, a2)`` [1] of the rated power, three
        finite numbers.
    ups_load_at_max : float
        UPS load fraction when the rack draws its maximum power [1], in
        (0, 1.5]: a UPS sized for a 2N system runs at <= 0.5.
    distribution_loss : float
        PDU/transformer/cabling loss as a fraction of rack power [1], in [0, 1).
    """

    ups_loss: tuple[float, float, float] = (0.010, 0.015, 0.010)
    ups_load_at_max: float = 1.0
    distribution_loss: float = 0.01

    def __post_init__(self):
        if len(self.ups_loss) != 3 or any(not math.isfinite(a) for a in self.ups_loss):
            raise ValueError(f"ups_loss: need three finite coefficients, got {self.ups_loss}")
        if not 0.0 < self.ups_load_at_max <= 1.5:
            raise ValueError(f"ups_load_at_max: must be in (0, 1.5], got {self.ups_load_at_max}")
        if not 0.0 <= self.distribution_loss < 1.0:
            raise ValueError(f"distribution_loss: must be in [0, 1), got {self.distribution_loss}")


@functools.cache
def _data() -> dict:
    text = resources.files("powermodel.data").joinpath("hardware.toml").read_text("utf-8")
    return tomllib.loads(text)


def fit_converter_loss(load, efficiency) -> tuple[float, float, float]:
    """Fit ``loss/rated = a0 + a1 L + a2 L**2`` to efficiency points.

    Parameters
    ----------
    load : sequence of float
        Output load fractions ``L`` [1].
    efficiency : sequence of float
        Efficiency ``P_out / P_in`` at each load [1].

    Returns
    -------
    tuple of float
        ``(a0, a1, a2)`` by least squares on the loss ``L (1/eta - 1)``.
        With three points the fit is exact.

    Raises
    ------
    ValueError
        Fewer than three points, efficiencies outside (0, 1], or a fit whose
        loss turns negative or whose ``1 + a1 <= 0`` on ``[0, 1.5]``.
    """
    load = np.asarray(load, np.float64)
    efficiency = np.asarray(efficiency, np.float64)
    if load.shape != efficiency.shape or load.size < 3:
        raise ValueError("load, efficiency: need at least three points of equal count")
    if ((efficiency <= 0) | (efficiency > 1)).any() or (load <= 0).any():
        raise ValueError("efficiency: values must be in (0, 1] at loads > 0")
    loss = load * (1.0 / efficiency - 1.0)
    design = np.stack([np.ones_like(load), load, load**2], axis=1)
    coefficients = np.linalg.lstsq(design, loss, rcond=None)[0]
    a0, a1, a2 = (float(c) for c in coefficients)
    check = np.linspace(0.0, 1.5, 151)
    if (a0 + a1 * check + a2 * check**2 < 0).any() or 1.0 + a1 <= 0:
        raise ValueError("efficiency: the loss fit is not physical (negative loss)")
    return a0, a1, a2


def psu_loss_coefficients(curve: str) -> tuple[float, float, float]:
    """Loss coefficients fitted to the named PSU efficiency curve.

    Parameters
    ----------
    curve : str
        A PSU efficiency curve of the catalog, e.g. ``"titanium_230v_redundant"``.

    Returns
    -------
    tuple of float
        ``(a0, a1, a2)`` [1] of ``loss/rated = a0 + a1 L + a2 L**2``
        (:func:`fit_converter_loss`).

    Raises
    ------
    KeyError
        Unknown curve; the message lists the known ones.
    """
    curves = _data()["psu_curves"]
    if curve not in curves:
        raise KeyError(f"psu curve {curve!r} is not in the catalog; known: {sorted(curves)}")
    return fit_converter_loss(curves[curve]["load"], curves[curve]["efficiency"])


def psu_efficiency(load, curve: str = "titanium_230v_redundant"):
    """PSU efficiency ``P_out / P_in`` [1] at output load fractions ``load`` [1].

    From the loss model fitted to the named curve's 80 PLUS points:
    ``eta = L / (L + a0 + a1 L + a2 L**2)``; 0 at no load.

    Parameters
    ----------
    load : float or array_like
        Output load fractions ``L`` of the rated power [1], >= 0.
    curve : str
        A PSU efficiency curve of the catalog (:func:`psu_loss_coefficients`).

    Returns
    -------
    numpy.ndarray or numpy.float64
        Efficiency [1] at each load, the shape of ``load`` (a scalar for a number).

    Examples
    --------
    >>> round(float(psu_efficiency(0.5)), 3)  # 80 PLUS Titanium asks 0.96 at 50 %
    0.958
    """
    a0, a1, a2 = psu_loss_coefficients(curve)
    load = np.asarray(load, np.float64)
    if (load < 0).any():
        raise ValueError("load: must be >= 0")
    return load / (load + a0 + a1 * load + a2 * load**2)


def systems() -> list[str]:
    """Names of the systems in the catalog.

    Returns
    -------
    list of str
        The system names, sorted, e.g. ``"dgx-h100"``.
    """
    return sorted(_data()["systems"])


@functools.cache
def system(name: str) -> System:
    """The catalog system ``name``.

    Parameters
    ----------
    name : str
        A catalog system (:func:`systems`), e.g. ``"gb200-nvl72"``.

    Returns
    -------
    System
        Its numbers, with the PSU loss fitted to its PSU curve.

    Raises
    ------
    KeyError
        Unknown name; the message lists the known ones.
    """
    entries = _data()["systems"]
    if name not in entries:
        raise KeyError(f"system: {name!r} is not in the catalog; known systems: {systems()}")
    entry = dict(entries[name])
    sources = {key: entry.pop(key) for key in list(entry) if key.endswith("_source")}
    psu_curve = entry.pop("psu_curve")
    return System(
        name=name,
        psu_loss=psu_loss_coefficients(psu_curve),
        sources=sources,
        **entry,
    )


def load_tables() -> list[str]:
    """Names of the SPECpower-style load tables in the catalog.

    Returns
    -------
    list of str
        The table names, sorted.
    """
    return sorted(_data()["load_tables"])


def load_table(name: str) -> np.ndarray:
    """Power [W] at 0, 10, ..., 100 % load of the catalog table ``name``.

    Parameters
    ----------
    name : str
        A load table of the catalog (:func:`load_tables`).

    Returns
    -------
    numpy.ndarray
        Input power [W] at 0, 10, ..., 100 % load, float64.

    Raises
    ------
    KeyError
        Unknown name; the message lists the known ones.
    """
    tables = _data()["load_tables"]
    if name not in tables:
        raise KeyError(f"load table: {name!r} is not in the catalog; known: {load_tables()}")
    return np.asarray(tables[name]["power"], np.float64)


def ups(name: str = "default") -> PowerChain:
    """The catalog UPS and distribution chain ``name``.

    Parameters
    ----------
    name : str
        A UPS entry of the catalog (``[ups.<name>]`` in
        ``powermodel/data/hardware.toml``).

    Returns
    -------
    PowerChain
        Its UPS loss coefficients and distribution loss, with the default
        ``ups_load_at_max``.

    Raises
    ------
    KeyError
        Unknown name; the message lists the known ones.
    """
    entries = _data()["ups"]
    if name not in entries:
        raise KeyError(f"ups: {name!r} is not in the catalog; known: {sorted(entries)}")
    entry = entries[name]
    return PowerChain(ups_loss=tuple(entry["loss"]), distribution_loss=entry["distribution_loss"])
