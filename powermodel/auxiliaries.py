"""Facility auxiliaries: what a metered PUE includes beyond IT, power chain and cooling.

ISO/IEC 30134-2:2016 (PUE) takes the total energy of the data centre at its
meter: besides the IT equipment, its UPS and distribution
(:func:`powermodel.rack.facility_power`) and the cooling plant
(:mod:`powermodel.cooling`), the transformers' no-load losses, lighting, the
offices and building systems (BMS, security, fire), humidity control and the
coolant distribution units' secondary pumps. This module models them per
step (:func:`auxiliary_power`; physics in
:mod:`powermodel.kernels.auxiliaries`) with defaults scaled to the site's
design load and rack count (:class:`Auxiliaries`, every default's source in
its field's comment).

What is deliberately not here: the transformers' load losses (~ load**2) are
in the rack chain's distribution loss (1 %, ``hardware.toml``), and the
facility-water pumps, CRAH fans and dry-cooler fans are the cooling plant's.

Examples
--------
>>> aux = Auxiliaries()
>>> p = aux.packed(design_load=12e6, racks=376)
>>> round(p.transformer_no_load / 1e3, 1), round(p.lighting / 1e3, 1)  # kW
(32.2, 11.3)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import xarray as xr

from powermodel._api import label, operand
from powermodel.backends import specs
from powermodel.backends._dispatch import run
from powermodel.backends.physics import AuxiliaryParameters

__all__ = ["OUTPUTS", "Auxiliaries", "auxiliary_power"]

#: Output variables of :func:`auxiliary_power`.
OUTPUTS = specs.AUXILIARY_POWER.outputs


@dataclass(frozen=True)
class Auxiliaries:
    """Defaults of a site's auxiliaries, scaled to its design load and racks.

    Every field is a finite number >= 0.

    Parameters
    ----------
    transformer_sizing : float
        Installed MV/LV transformer rating per design load [VA W-1]. 2.0:
        2N distribution, each side able to carry the whole site
        (Assumption: the Uptime Tier III/IV practice for AI halls).
    transformer_no_load_fraction : float
        No-load losses per rated power [1]. 0.00134: a 1000 kVA
        liquid-filled distribution transformer with 1340 W no-load losses
        (Schneider Electric FAQ FA132857); EU 548/2014 Tier 2 limits are of
        the same order (0.1-0.2 %).
    lighting_w_per_m2 : float
        Installed lighting [W m-2]. 5.0: LED at the 300-500 lx of EN
        12464-1 for technical rooms, always on (Assumption: no occupancy
        control credited).
    floor_area_m2_per_rack : float
        Floor area lit per rack, white space with aisles plus grey space
        (electrical and mechanical rooms) [m2]. 6.0 (Assumption: ~2.5-3 m2
        of white space per rack and as much grey space).
    building_w_per_design_w : float
        Offices, BMS, security and fire systems per design load [1]. 0.004
        (Assumption: ~50 kW for a 12 MW hall).
    humidification_w : float
        Humidity control [W]. 0 (Assumption): a liquid-cooled hall with a
        closed air loop adds no outdoor air to humidify; set it for a hall
        with air-side economisers in a dry winter.
    cdu_pump_ratio : float
        CDU secondary (TCS loop) pump power per heat to liquid [1]. 0.007
        (Assumption: 2 MW-class CDUs list ~8-30 kW of pumps at full flow;
        the middle of that range).
    """

    transformer_sizing: float = 2.0
    transformer_no_load_fraction: float = 0.00134
    lighting_w_per_m2: float = 5.0
    floor_area_m2_per_rack: float = 6.0
    building_w_per_design_w: float = 0.004
    humidification_w: float = 0.0
    cdu_pump_ratio: float = 0.007

    def __post_init__(self):
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"{item.name}: expected a number, got {value!r}")
            if not (np.isfinite(value) and value >= 0):
                raise ValueError(f"{item.name}: must be a finite number >= 0, got {value!r}")

    def replace(self, **changes) -> Auxiliaries:
        """A copy with ``changes``.

        Parameters
        ----------
        **changes : float
            New values of fields, by name (see :class:`Auxiliaries`).

        Returns
        -------
        Auxiliaries
            The copy, validated as a new object.
        """
        return dataclasses.replace(self, **changes)

    def packed(self, design_load: float, racks: int) -> AuxiliaryParameters:
        """The kernel's record for a site of ``design_load`` [W] and ``racks`` racks.

        Parameters
        ----------
        design_load : float
            The site's design heat load [W], finite and >= 0, which sizes the
            transformers and the building systems.
        racks : int
            Racks at full build-out, >= 0, which sets the lit floor area.

        Returns
        -------
        powermodel.kernels.auxiliaries.AuxiliaryParameters
            Transformer no-load losses, lighting, building systems and
            humidification [W], and the CDU pump ratio [1].
        """
        if isinstance(design_load, bool) or not isinstance(design_load, int | float | np.number):
            raise TypeError(f"design_load: expected a number [W], got {design_load!r}")
        if not (np.isfinite(design_load) and design_load >= 0):
            raise ValueError(f"design_load: must be a finite number >= 0 W, got {design_load!r}")
        if isinstance(racks, bool) or not isinstance(racks, int | np.integer) or racks < 0:
            raise ValueError(f"racks: must be an integer >= 0, got {racks!r}")
        rating = self.transformer_sizing * design_load
        return AuxiliaryParameters(
            transformer_no_load=self.transformer_no_load_fraction * rating,
            lighting=self.lighting_w_per_m2 * self.floor_area_m2_per_rack * racks,
            building=self.building_w_per_design_w * design_load,
            humidification=float(self.humidification_w),
            cdu_pump_ratio=float(self.cdu_pump_ratio),
        )


def auxiliary_power(
    heat_liquid, in_service, auxiliaries: Auxiliaries, *, design_load, racks, backend="auto"
) -> xr.Dataset:
    """Power of the facility's auxiliaries per step [W].

    Parameters
    ----------
    heat_liquid : xarray.DataArray or float
        Heat the racks reject to liquid [W] (:func:`powermodel.cooling.plant_power`'s
        ``heat_liquid``).
    in_service : xarray.DataArray or float
        1 where the site is energised (any rack in service), 0 before.
    auxiliaries : Auxiliaries
        The site's auxiliary defaults.
    design_load : float
        The site's design heat load [W], which sizes the transformers and
        the building systems.
    racks : int
        Racks at full build-out, which sets the lit floor area.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    xarray.Dataset
        :data:`OUTPUTS` [W], labelled.
    """
    if not isinstance(auxiliaries, Auxiliaries):
        raise TypeError(f"auxiliaries: expected an Auxiliaries, got {type(auxiliaries).__name__}")
    operands = [operand(heat_liquid, "heat_liquid"), operand(in_service, "in_service")]
    try:
        liquid, energised = xr.broadcast(*xr.align(*operands, join="exact"))
    except ValueError as error:
        raise ValueError(f"inputs: coordinates do not align ({error})") from None
    arrays = auxiliary_arrays(
        liquid.data, energised.data, auxiliaries, design_load=design_load, racks=racks,
        backend=backend,
    )  # fmt: skip
    return label(xr.Dataset({name: liquid.copy(deep=False, data=a) for name, a in arrays.items()}))


def auxiliary_arrays(heat_liquid, in_service, auxiliaries, *, design_load, racks, backend="auto"):
    """:func:`auxiliary_power` on arrays of one shape: :data:`OUTPUTS` [W] by name.

    Parameters
    ----------
    heat_liquid : numpy.ndarray
        Heat the racks reject to liquid [W].
    in_service : numpy.ndarray
        1 where the site is energised (any rack in service), 0 before; the
        shape of ``heat_liquid``.
    auxiliaries : Auxiliaries
        The site's auxiliary defaults.
    design_load : float
        The site's design heat load [W], which sizes the transformers and
        the building systems.
    racks : int
        Racks at full build-out, which sets the lit floor area.
    backend : {"auto", "numpy", "numba", "cupy"}
        Where the kernel runs (:func:`powermodel.backends.resolve_backend`).

    Returns
    -------
    dict of str to numpy.ndarray
        :data:`OUTPUTS` [W] by name, each of the inputs' shape, numpy or cupy
        like ``heat_liquid``.
    """
    parameters = (auxiliaries.packed(design_load, racks),)
    columns = run(specs.AUXILIARY_POWER, [heat_liquid, in_service], parameters, backend=backend)
    return dict(zip(specs.AUXILIARY_POWER.outputs, columns, strict=True))
