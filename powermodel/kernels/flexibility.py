"""Deferrable load moved to the cheapest hours of its window: scalar physics.

A share ``s`` of the load ``P_t`` [W] of each deadline window (for
instance each day) is deferrable: its energy ``E = s dt sum_t P_t`` must be
done within the window, but at any steps. The rest, ``(1 - s) P_t``, is
always on and stays where it is. Each step can take at most ``U_t`` [W]
in all (the fleet's maximum utilisation, or what the grid connection
leaves), so the deferrable part placed at step ``t`` is
``0 <= x_t <= room_t = max(U_t - (1 - s) P_t, 0)``. Placing it costs
``w_t x_t dt``, ``w_t`` the step's signal (price, carbon intensity or
water value) times the grid power drawn per watt of load.

Minimising ``sum_t w_t x_t`` with ``sum_t x_t dt = E`` and the bounds is a
fractional knapsack with unit weights: filling the steps in increasing
order of ``w_t`` is exactly optimal (exchange argument: moving energy
from a dearer to a cheaper step with room never costs more; Dantzig 1957,
Operations Research 5(2): 266-288). Sorting needs per-thread memory on a
GPU, so the kernels find the same solution without sorting: bisection on
a signal threshold ``lambda``, with ``g(lambda) = dt sum_{w_t <= lambda}
room_t`` the energy the steps at or below it take, halving the range of
the weights left inside the bracket until one weight is left; steps below
the final bracket are filled, steps inside it share the remainder in proportion to
their room, so ``sum_t x_t dt = E`` to rounding. If the window's room
cannot take ``E`` every step is filled and the rest misses the deadline
(``sum_t (P_t - shifted_t) dt`` over the window then says by how much).

Parameters reach the kernels as one named record, :class:`ShiftParameters`.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from powermodel.kernels._physics import physics

__all__ = ["SHIFT_OUTPUTS", "ShiftParameters", "room", "shift_window"]

#: what the scheduler writes per step, in order
SHIFT_OUTPUTS = ("power_shifted",)


class ShiftParameters(NamedTuple):
    """Parameters of the deferrable-load scheduler.

    numba and numba-cuda pass it by value.

    Parameters
    ----------
    deferrable_share : float
        Share ``s`` [1] of each step's load that may move within its window, in [0, 1].
    dt : float
        Time step [s].
    iterations : float
        Most passes of the threshold search [1], a whole number (it closes in ~10 for a
        day).
    """

    deferrable_share: float  # share s of each step's load that may move within its window [1]
    dt: float  # time step [s]
    iterations: float  # most passes of the threshold search (it closes in ~10 for a day)


@physics
def room(p, power, upper):
    """Deferrable power [W] a step can take: ``max(U - (1 - s) P, 0)``.

    Parameters
    ----------
    p : ShiftParameters
        Named parameters (:class:`ShiftParameters`).
    power : float
        The step's load ``P`` as scheduled without flexibility [W].
    upper : float
        The most load ``U`` the step can take [W].

    Returns
    -------
    float
        The room ``max(U - (1 - s) P, 0)`` [W], >= 0.
    """
    return max(upper - (1.0 - p.deferrable_share) * power, 0.0)


@physics
def shift_window(p, power, upper, weight, j, start, stop, out):
    """Place the deferrable energy of one window of scenario ``j``; write ``out[0, t, j]``.

    ``power``, ``upper`` and ``weight`` are (time, scenario) arrays of the
    load [W], the most a step can take [W] and the signal per watt placed;
    ``out`` is (1, time, scenario). A NaN in the window makes the whole
    window NaN (an unknown step may have been the cheapest).

    Parameters
    ----------
    p : ShiftParameters
        Named parameters (:class:`ShiftParameters`).
    power : numpy.ndarray
        The load as scheduled without flexibility [W], dims (time, scenario).
    upper : numpy.ndarray
        The most load each step can take [W], dims (time, scenario).
    weight : numpy.ndarray
        What placing one watt costs at each step, in the signal's unit (the price, carbon
        intensity or water value times the grid power drawn per watt of load), dims (time,
        scenario); any sign.
    j : int
        The scenario (column) to schedule.
    start, stop : int
        First step of the window and one past its last step.
    out : numpy.ndarray
        The shifted load [W], dims (1, time, scenario); steps ``start`` to ``stop - 1``
        of column ``j`` are written.
    """
    energy = 0.0
    capacity = 0.0
    low = math.inf
    high = -math.inf
    missing = False
    for t in range(start, stop):
        load = power[t, j]
        top = upper[t, j]
        w = weight[t, j]
        if math.isnan(load) or math.isnan(top) or math.isnan(w):
            missing = True
        else:
            energy += p.deferrable_share * load * p.dt
            capacity += room(p, load, top) * p.dt
            low = min(low, w)
            high = max(high, w)
    if missing:
        for t in range(start, stop):
            out[0, t, j] = math.nan
        return
    fixed = 1.0 - p.deferrable_share
    if capacity <= energy:
        # every step full; what does not fit misses the deadline
        for t in range(start, stop):
            out[0, t, j] = fixed * power[t, j] + room(p, power[t, j], upper[t, j])
        return
    if energy <= 0.0:
        for t in range(start, stop):
            out[0, t, j] = fixed * power[t, j]
        return
    # bracket: g(below) < E <= g(above); below starts under the cheapest step. The bracket
    # is halved over the range of the weights inside it (lightest..heaviest), so it closes on
    # one weight in ~log2(steps^2) passes, not the ~60 a bisection of the real line takes
    below = low - (abs(low) + 1.0)
    above = high
    taken_low = 0.0
    taken_high = capacity
    lightest = low
    heaviest = high
    for _ in range(int(p.iterations)):
        if lightest >= heaviest:
            break  # one weight (or ties) left inside: those steps share the remainder
        middle = 0.5 * (lightest + heaviest)
        if middle >= heaviest:  # adjacent floats
            middle = lightest
        taken = 0.0
        low_min = math.inf
        low_max = -math.inf
        high_min = math.inf
        high_max = -math.inf
        for t in range(start, stop):
            w = weight[t, j]
            if w <= middle:
                taken += room(p, power[t, j], upper[t, j]) * p.dt
                if w > below:
                    low_min = min(low_min, w)
                    low_max = max(low_max, w)
            elif w <= above:
                high_min = min(high_min, w)
                high_max = max(high_max, w)
        if taken < energy:
            below = middle
            taken_low = taken
            lightest = high_min
            heaviest = high_max
        else:
            above = middle
            taken_high = taken
            lightest = low_min
            heaviest = low_max
    share = (energy - taken_low) / (taken_high - taken_low)
    for t in range(start, stop):
        w = weight[t, j]
        x = room(p, power[t, j], upper[t, j])
        if w > above:
            x = 0.0
        elif w > below:
            x = x * share
        out[0, t, j] = fixed * power[t, j] + x
