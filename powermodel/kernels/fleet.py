"""One rack group in one step, the whole chain at once: scalar physics.

A fleet entry's racks move in groups (one synchronous training job, or a
block of inference racks; :mod:`powermodel.workload`). For a group of
``racks`` racks at step-mean utilisation ``u`` this composes, in registers,
the physics written elsewhere:

- the rack chain at ``u`` (:func:`powermodel.kernels.rack.rack_power_chain`):
  the step's IT power, UPS loss and grid-side power ``P(u)``;
- the rack chain at the compute phase's utilisation ``u_high``
  (:func:`powermodel.kernels.swing.phase_utilization`): ``P_high``;
- the within-step swing of those two levels
  (:func:`powermodel.kernels.swing.training_swing`): peak, trough, ramps
  and the floor's energy, after and before mitigation.

The kernels sum :data:`OUTPUTS` over the groups of each (scenario, step) in
float64, so no (time, scenario, group) array of power is ever written.
"""

from __future__ import annotations

from powermodel.kernels._physics import physics
from powermodel.kernels.rack import rack_power_chain
from powermodel.kernels.swing import training_swing

__all__ = ["OUTPUTS", "rack_group_step"]

#: what :func:`rack_group_step` returns, in order: whole-group values
OUTPUTS = (
    "power_it",
    "loss_ups",
    "power_total",
    "swing_power_max",
    "swing_power_min",
    "swing_ramp_rate",
    "swing_power_max_unmitigated",
    "swing_ramp_rate_unmitigated",
    "swing_floor_energy",
)


@physics
def rack_group_step(
    p,
    power_servers,
    power_servers_high,
    racks,
    training,
    power_idle,
    power_max,
    servers,
    power_cap,
    fan_power_max,
    fan_min_speed,
    psu_rated,
    psu_loss_0,
    psu_loss_1,
    psu_loss_2,
    ups_rated,
    ups_loss_0,
    ups_loss_1,
    ups_loss_2,
    distribution_loss,
):
    """The power and swing of a group of ``racks`` racks in lock-step.

    Parameters
    ----------
    p : SwingParameters
        The swing's record (:class:`powermodel.kernels.swing.SwingParameters`).
    power_servers, power_servers_high : float
        One server's uncapped input power [W] at the step-mean utilisation
        and at the compute phase's (:func:`powermodel.kernels.rack.server_power`).
    racks : float
        Racks in the group [1].
    training : float
        1 for a training group, 0 for inference (no swing).
    power_idle, power_max : float
        Idle and maximum input power of one server [W].
    servers : float
        Servers in a rack [1].
    power_cap : float
        Cap on each rack's input power [W] (``inf`` for none).
    fan_power_max : float
        Fan power of one server at full speed [W].
    fan_min_speed : float
        Fan speed at idle as a fraction of full speed [1].
    psu_rated : float
        Rated output of one server's power supplies, all together [W].
    psu_loss_0, psu_loss_1, psu_loss_2 : float
        PSU loss coefficients [1], see
        :func:`powermodel.kernels.rack.converter_loss`.
    ups_rated : float
        UPS capacity that serves one rack [W].
    ups_loss_0, ups_loss_1, ups_loss_2 : float
        UPS loss coefficients [1].
    distribution_loss : float
        Loss of PDUs, transformers and cabling as a fraction of the rack
        input power [1]. All of these as
        :func:`powermodel.kernels.rack.rack_power_chain` names them.

    Returns
    -------
    tuple of float
        :data:`OUTPUTS` for the whole group: ``power_it``, ``loss_ups`` and
        ``power_total`` [W] at the step mean; the grid-side peak and trough
        within the step [W] and the ramp [W s-1] after mitigation; the
        unmitigated peak [W] and ramp [W s-1]; the floor's energy in the
        step [J]. NaN in any input gives NaN.
    """
    it, _, _, ups, total = rack_power_chain(
        power_servers, power_idle, power_max, servers, power_cap, fan_power_max,
        fan_min_speed, psu_rated, psu_loss_0, psu_loss_1, psu_loss_2, ups_rated,
        ups_loss_0, ups_loss_1, ups_loss_2, distribution_loss,
    )  # fmt: skip
    _, _, _, _, total_high = rack_power_chain(
        power_servers_high, power_idle, power_max, servers, power_cap, fan_power_max,
        fan_min_speed, psu_rated, psu_loss_0, psu_loss_1, psu_loss_2, ups_rated,
        ups_loss_0, ups_loss_1, ups_loss_2, distribution_loss,
    )  # fmt: skip
    swing = training_swing(p, total, total_high, racks, training)
    return (
        it * racks,
        ups * racks,
        total * racks,
        swing[1],  # power_max
        swing[2],  # power_min
        swing[7],  # ramp_rate
        swing[3],  # power_max_unmitigated
        swing[8],  # ramp_rate_unmitigated
        swing[9],  # floor_energy
    )
