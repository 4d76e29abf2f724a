"""Facility auxiliaries outside the IT power chain and the cooling plant: scalar physics.

ISO/IEC 30134-2 (PUE) counts all energy the data centre takes, not only the IT
equipment, its power chain and its cooling. What the other stages leave out,
per time step:

    P_aux = P_0 + P_light + P_building + P_humid + r_cdu Q_liquid

``P_0`` the no-load (core) losses of the MV/LV transformers, drawn whenever
they are energised whatever the load (their load losses, ~ load**2, are part
of the rack chain's distribution loss); ``P_light`` lighting of white and
grey space; ``P_building`` offices, building management (BMS), security and
fire systems; ``P_humid`` humidity control; ``r_cdu Q_liquid`` the secondary
(technology cooling system) pumps of the coolant distribution units, whose
flow follows the heat ``Q_liquid`` the racks reject to liquid at a fixed
loop temperature rise (pump power ~ flow at a fixed head: linear in heat).

Parameters reach the kernel as one flat named record,
:class:`AuxiliaryParameters`, built by :class:`powermodel.auxiliaries.Auxiliaries`.
"""

from __future__ import annotations

from typing import NamedTuple

from powermodel.kernels._physics import physics

__all__ = ["OUTPUTS", "AuxiliaryParameters", "auxiliary_power"]


class AuxiliaryParameters(NamedTuple):
    """Parameters of :func:`auxiliary_power` (from :class:`powermodel.auxiliaries.Auxiliaries`).

    Parameters
    ----------
    transformer_no_load : float
        No-load losses ``P_0`` of all MV/LV transformers [W].
    lighting : float
        Lighting of the halls and the technical rooms [W].
    building : float
        Offices, BMS, security and fire systems [W].
    humidification : float
        Humidity control [W].
    cdu_pump_ratio : float
        CDU secondary pump power per heat to liquid ``r_cdu`` [1].
    """

    transformer_no_load: float  # no-load losses P_0 of all MV/LV transformers [W]
    lighting: float  # lighting of the halls and the technical rooms [W]
    building: float  # offices, BMS, security and fire systems [W]
    humidification: float  # humidity control [W]
    cdu_pump_ratio: float  # CDU secondary pump power per heat to liquid r_cdu [1]


#: what :func:`auxiliary_power` returns, in order
OUTPUTS = (
    "power_transformer_no_load",
    "power_lighting",
    "power_building",
    "power_humidification",
    "power_cdu_pumps",
    "power_auxiliaries",
)


@physics
def auxiliary_power(p, heat_liquid, in_service):
    """The facility's auxiliaries in one step [W].

    Parameters
    ----------
    p : AuxiliaryParameters
        The site's parameters (:class:`AuxiliaryParameters`).
    heat_liquid : float
        Heat the racks reject to the liquid loop [W].
    in_service : float
        1 once the site is energised (any rack in service), else 0: a site
        not yet built draws nothing.

    Returns
    -------
    tuple of float
        :data:`OUTPUTS`; NaN where ``heat_liquid`` or ``in_service`` is NaN.
    """
    cdu = p.cdu_pump_ratio * heat_liquid
    on = 1.0 if in_service > 0.5 else 0.0
    transformer = on * p.transformer_no_load
    lighting = on * p.lighting
    building = on * p.building
    humidification = on * p.humidification
    total = transformer + lighting + building + humidification + cdu
    poison = heat_liquid + in_service
    missing = poison != poison
    return (
        poison if missing else transformer,
        poison if missing else lighting,
        poison if missing else building,
        poison if missing else humidification,
        poison if missing else cdu,
        poison if missing else total,
    )
