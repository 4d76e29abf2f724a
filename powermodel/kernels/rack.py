"""Rack power physics: utilisation -> power of GPU servers and their power chain.

Scalar functions, one rack and one time step at a time, SI units (W). They
are the single source of these equations: the numba CPU and CUDA kernels in
:mod:`powermodel.backends` compile them (see
:mod:`powermodel.backends._codegen`); the numpy reference in
:mod:`powermodel.backends.numpy_rack` restates them with arrays as the test
oracle.

The chain, for a rack of ``n`` identical servers at utilisation ``u``::

    P_server  = P_idle + (P_max - P_idle) * g(u)            load curve
    P_rack    = min(n * P_server, P_cap)                     rack power cap
    P_dc      = PSU output solved from P_rack / n            PSU loss model
    P_fan     = P_fan,max * (s_min + (1 - s_min) x)**3       fan affinity law
    P_it      = n * (P_dc - P_fan)                           chips, memory, board
    L_ups     = UPS loss model of P_rack + k_dist * P_rack   UPS and distribution
    P_total   = P_rack + L_ups = P_it + n P_fan + L_psu + L_ups

with ``x = (P_server - P_idle) / (P_max - P_idle)`` the load fraction after the
cap. ``P_idle`` and ``P_max`` are server *input* powers, as published.
"""

from __future__ import annotations

import math

from powermodel.kernels._physics import physics, real
from powermodel.kernels.fastmath import pow_unit

__all__ = [
    "converter_input_to_output",
    "converter_loss",
    "load_fraction_fan_barroso",
    "load_fraction_linear",
    "load_fraction_table",
    "rack_power_chain",
    "server_fan_power",
    "server_power",
]


@physics
def load_fraction_linear(utilization, exponent, table):
    """Linear load curve ``g(u) = u`` (CloudSim ``PowerModelLinear``).

    ``exponent`` and ``table`` are unused; all load curves share one
    signature so that one kernel serves them all.

    Parameters
    ----------
    utilization : float
        Utilisation ``u``, 0..1 [1].
    exponent : float
        Unused.
    table : array
        Unused.

    Returns
    -------
    float
        Fraction of the idle-to-maximum power range, ``u`` [1].
    """
    return utilization


@physics
def load_fraction_fan_barroso(utilization, exponent, table):
    """Load curve of Fan, Weber & Barroso (2007): ``g(u) = 2u - u**r``.

    Parameters
    ----------
    utilization : float
        Utilisation ``u``, 0..1 [1].
    exponent : float
        Calibration exponent ``r`` [1]; 1.4 in the paper.
    table : array
        Unused.

    Returns
    -------
    float
        Fraction of the idle-to-maximum power range, 0..1 [1].

    References
    ----------
    X. Fan, W.-D. Weber, L. A. Barroso, "Power provisioning for a
    warehouse-sized computer", ISCA 2007, https://doi.org/10.1145/1273440.1250665
    """
    return 2.0 * utilization - pow_unit(utilization, exponent)


@physics
def load_fraction_table(utilization, exponent, table):
    """Piecewise-linear load curve through evenly spaced points (SPECpower style).

    ``table[k]`` is the load fraction at utilisation ``k / (len(table) - 1)``,
    e.g. the 11 SPECpower_ssj2008 points at 0, 10, ..., 100 % normalised to
    ``(P_k - P_0) / (P_10 - P_0)``; linear interpolation as CloudSim's
    ``PowerModelSpecPower``. ``exponent`` is unused.

    Parameters
    ----------
    utilization : float
        Utilisation ``u``, 0..1 [1]; NaN gives NaN.
    exponent : float
        Unused.
    table : array
        Load fraction [1] at evenly spaced utilisation from 0 to 1, at least
        two points, normalised to run from 0 to 1.

    Returns
    -------
    float
        Fraction of the idle-to-maximum power range, 0..1 [1].
    """
    last = len(table) - 1
    position = utilization * real(last)
    position = 0.0 if not position > 0.0 else position  # NaN indexes row 0
    index = int(position)
    index = last - 1 if index > last - 1 else index
    fraction = position - real(index)
    value = table[index] + (table[index + 1] - table[index]) * fraction
    return utilization if utilization != utilization else value


@physics
def server_power(power_idle, power_max, load_fraction):
    """Server input power [W] from its idle and maximum input power [W].

    Parameters
    ----------
    power_idle, power_max : float
        Input power of the server at idle and at full load [W].
    load_fraction : float
        Fraction of the idle-to-maximum range [1], from a load curve
        (:func:`load_fraction_linear`, :func:`load_fraction_fan_barroso`,
        :func:`load_fraction_table`).

    Returns
    -------
    float
        Server input power [W].
    """
    return power_idle + (power_max - power_idle) * load_fraction


@physics
def converter_loss(power_out, rated, loss_0, loss_1, loss_2):
    """Loss of a power converter (UPS, PSU) at output ``power_out`` [W].

    ``loss = rated * (a0 + a1 L + a2 L**2)`` with load ``L = power_out /
    rated``: no-load loss, proportional loss and resistive (square-law) loss,
    the decomposition of Schneider Electric / APC White Paper 108.

    Parameters
    ----------
    power_out : float
        Output power [W].
    rated : float
        Rated output power [W], > 0.
    loss_0, loss_1, loss_2 : float
        Loss coefficients ``a0, a1, a2`` [1] as fractions of ``rated``.

    Returns
    -------
    float
        Loss [W].
    """
    load = power_out / rated
    return rated * (loss_0 + load * (loss_1 + load * loss_2))


@physics
def converter_input_to_output(power_in, rated, loss_0, loss_1, loss_2):
    """Output power [W] of a converter drawing ``power_in`` [W].

    Solves ``power_in = power_out + converter_loss(power_out, ...)``, a
    quadratic in the load ``L``: ``a2 L**2 + (1 + a1) L - (P_in/rated - a0)
    = 0``, by its cancellation-free root ``L = 2c / (b + sqrt(b**2 + 4 a2
    c))``. An input below the no-load loss gives 0 output. Requires
    ``1 + a1 > 0``.

    Parameters
    ----------
    power_in : float
        Input power [W].
    rated : float
        Rated output power [W], > 0.
    loss_0, loss_1, loss_2 : float
        Loss coefficients ``a0, a1, a2`` [1] as fractions of ``rated``, as
        :func:`converter_loss` takes them.

    Returns
    -------
    float
        Output power [W], >= 0.
    """
    c = power_in / rated - loss_0
    b = 1.0 + loss_1
    discriminant = b * b + 4.0 * loss_2 * c
    discriminant = 0.0 if discriminant < 0.0 else discriminant
    load = 2.0 * c / (b + math.sqrt(discriminant))
    load = 0.0 if load < 0.0 else load
    return rated * load


@physics
def server_fan_power(load_fraction, fan_power_max, fan_min_speed):
    """Server fan power [W] by the fan affinity law ``P ~ speed**3``.

    Fan speed rises linearly with the load fraction from ``fan_min_speed``
    [1] (at idle) to 1 (at maximum power), where the fans draw
    ``fan_power_max`` [W].

    Parameters
    ----------
    load_fraction : float
        Fraction of the server's idle-to-maximum power range [1], 0..1.
    fan_power_max : float
        Fan power at full speed [W].
    fan_min_speed : float
        Fan speed at idle as a fraction of full speed [1].

    Returns
    -------
    float
        Fan power [W].
    """
    speed = fan_min_speed + (1.0 - fan_min_speed) * load_fraction
    return fan_power_max * speed * speed * speed


@physics
def rack_power_chain(
    power_servers,
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
    """Split a rack's uncapped server power into IT power and losses.

    Parameters
    ----------
    power_servers : float
        Input power of one server before the cap [W], from :func:`server_power`.
    power_idle, power_max : float
        Idle and maximum input power of one server [W].
    servers : float
        Servers in the rack [1].
    power_cap : float
        Cap on the rack's input power [W] (``inf`` for none).
    fan_power_max : float
        Fan power of one server at full speed [W].
    fan_min_speed : float
        Fan speed at idle as a fraction of full speed [1].
    psu_rated : float
        Rated output of one server's power supplies, all together [W].
    psu_loss_0, psu_loss_1, psu_loss_2 : float
        PSU loss coefficients [1], see :func:`converter_loss`.
    ups_rated : float
        UPS capacity that serves this rack [W].
    ups_loss_0, ups_loss_1, ups_loss_2 : float
        UPS loss coefficients [1].
    distribution_loss : float
        Loss of PDUs, transformers and cabling as a fraction of the rack
        input power [1].

    Returns
    -------
    tuple of float
        ``(power_it, power_fan, loss_psu, loss_ups, power_total)`` for the
        whole rack [W]; ``power_total`` is the sum of the other four.
    """
    power_rack = servers * power_servers
    power_rack = power_cap if power_rack > power_cap else power_rack
    power_server = power_rack / servers
    load_fraction = (power_server - power_idle) / (power_max - power_idle)
    power_dc = converter_input_to_output(
        power_server, psu_rated, psu_loss_0, psu_loss_1, psu_loss_2
    )
    power_fan = server_fan_power(load_fraction, fan_power_max, fan_min_speed)
    power_it = servers * (power_dc - power_fan)
    loss_psu = servers * (power_server - power_dc)
    fans = servers * power_fan
    loss_ups = (
        converter_loss(power_rack, ups_rated, ups_loss_0, ups_loss_1, ups_loss_2)
        + distribution_loss * power_rack
    )
    total = power_it + fans + loss_psu + loss_ups
    return power_it, fans, loss_psu, loss_ups, total
