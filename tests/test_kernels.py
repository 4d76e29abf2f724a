"""One table of every kernel: numba and the CUDA simulator against the numpy oracle.

:data:`CASES` holds, for each :data:`powermodel.backends.specs.KERNELS`
entry, a generator of physically valid inputs and parameters. Every test
here runs over the whole table (in the manner of numbagg's
``COMPARISONS``): a kernel declared without a case fails
:func:`test_every_kernel_has_a_case`. The kernels run through the one seam,
:func:`powermodel.backends.run`, exactly as the public API runs them.
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from hypothesis import given
from hypothesis import strategies as st

from powermodel import catalog, cooling, hydro, rack, zone
from powermodel.backends import run
from powermodel.backends.physics import ShiftParameters, WaterValueParameters
from powermodel.backends.specs import KERNELS
from powermodel.ite import Curve, ITEAirCooled
from powermodel.kernels import swing as k_swing

PLANTS = tuple(cooling.plants())  # all six: chillerless, EIR, adiabatic, heat reuse...


def _u(rng, n, low, high):
    return rng.uniform(low, high, n)


def _moist_air(rng, n):
    return (), [_u(rng, n, -30, 45), _u(rng, n, 0, 100), _u(rng, n, 8e4, 1.05e5)], {}


def _relative_humidity(rng, n):
    temp = _u(rng, n, -30, 40)
    return (), [temp, temp - _u(rng, n, 0, 15)], {}


def _ite_curve(rng):
    """A random EnergyPlus curve of any form, x limited as EnergyPlus requires."""
    form = ("biquadratic", "linear", "quadratic", "cubic", "quartic", "exponent")[rng.integers(6)]
    out = (0.0, 2.0) if rng.integers(2) else (-np.inf, np.inf)
    if form == "biquadratic":
        c = (0.3, 0.5, -0.1, 0.01, 0.0, 0.002)
        return Curve(c, 0.0, 1.5, 10.0, 40.0, *out)
    if form == "exponent":  # 0.05**-0.6 and 1.5**3 bound it
        c = (rng.uniform(-0.2, 0.5), rng.uniform(-0.5, 1.0), rng.uniform(-0.6, 3.0))
        return Curve(c, 0.05, 1.5, out_min=out[0], out_max=out[1], form=form)
    count = {"linear": 2, "quadratic": 3, "cubic": 4, "quartic": 5}[form]
    c = tuple(rng.uniform(-0.3, 1.0, count))
    return Curve(c, 0.0, 1.5, out_min=out[0], out_max=out[1], form=form)


def _ite(rng, n):
    curves = {
        f"{name}_curve": _ite_curve(rng)
        for name in ("cpu_power", "air_flow", "fan_power", "ups_efficiency", "recirculation")
    }
    ite = ITEAirCooled(
        design_power=1e5, fan_power_fraction=0.3, recirculation_fraction=0.2, **curves
    )
    p = ite.packed(("adjusted_supply", "zone", "approach")[rng.integers(3)])
    inputs = [
        _u(rng, n, 0, 1), _u(rng, n, 15, 30), _u(rng, n, 18, 35), _u(rng, n, 0.002, 0.012),
        _u(rng, n, 0, 1), _u(rng, n, 9e4, 1.02e5),
    ]  # fmt: skip
    return (p,), inputs, {}


def _outdoor(rng, n):
    temp = _u(rng, n, -30, 30)
    return temp, temp - _u(rng, n, 0, 8)


def _cooling_plant(rng, n):
    p = cooling.plant(PLANTS[rng.integers(len(PLANTS))]).packed(2e7)
    return (p,), [_u(rng, n, 0, 2e7), *_outdoor(rng, n)], {}


def _supply_air(rng, n):
    p = cooling.plant(PLANTS[rng.integers(len(PLANTS))]).packed(1.0)
    return (p,), list(_outdoor(rng, n)), {}


NO2 = zone.load("NO2")


def _zone_inputs(rng, n):
    hour = rng.integers(0, 24, n).astype(np.float64)
    return (NO2.packed(),), [_u(rng, n, -25, 30), hour, _u(rng, n, 0, 3e10), _u(rng, n, 0, 5e7)], {}


def _zeros_sometimes(rng, values):
    return np.where(rng.random(values.size) < 0.3, 0.0, values)


def _zone_outcomes(rng, n):
    inputs = [
        _u(rng, n, 0, 1), _u(rng, n, 0.2, 0.9), _u(rng, n, 0, 1e10), _u(rng, n, 0, 1.5e9),
        _zeros_sometimes(rng, _u(rng, n, 0, 5e9)), _zeros_sometimes(rng, _u(rng, n, 0, 1e8)),
        _u(rng, n, 0, 800),
    ]  # fmt: skip
    return (NO2.packed(),), inputs, {}


def _grid_supply(rng, n):
    return (
        (),
        [_u(rng, n, 0, 6e7), _u(rng, n, 1e7, 5e7), _zeros_sometimes(rng, _u(rng, n, 0, 1))],
        {},
    )


def _auxiliary_power(rng, n):
    from powermodel.auxiliaries import Auxiliaries

    p = Auxiliaries(humidification_w=rng.uniform(0, 1e4)).packed(rng.uniform(1e6, 5e7), 300)
    return (p,), [_u(rng, n, 0, 4e7), rng.integers(0, 2, n).astype(np.float64)], {}


def _phase_utilization(rng, n):
    return (), [_u(rng, n, 0, 1), _u(rng, n, 0.3, 0.95), _u(rng, n, 0, 1)], {}


def _training_swing(rng, n):
    p = k_swing.SwingParameters(
        compute_fraction=rng.uniform(0.5, 0.9),
        period=rng.uniform(1, 30),
        floor=rng.choice([0.0, 6e4]),
        storage_energy=rng.choice([0.0, 5e4, 1e6]),
        storage_power=rng.choice([0.0, 2e4, 2e5]),
        idle=3e4,
        transition=0.1,
        step=3600.0,
    )
    mean = _u(rng, n, 3e4, 1.2e5)
    high = np.maximum(mean, _u(rng, n, 3e4, 1.3e5))
    training = (rng.random(n) < 0.7).astype(np.float64)
    return (p,), [mean, high, rng.integers(1, 9, n).astype(np.float64), training], {}


SYSTEM = catalog.system("gb200-nvl72")


def _curve(rng):
    curve = ("linear", "fan_barroso", "table")[rng.integers(3)]
    table = np.linspace(0.0, 1.0, 11) ** 1.3 if curve == "table" else np.zeros(2)
    return {"curve": curve, "exponent": 1.4, "table": table}


def _rows(rng, n):
    racks = int(rng.integers(1, 7))
    return _u(rng, (n, racks), 0, 1), racks


def _server_power(rng, n):
    u, racks = _rows(rng, n)
    idle = _u(rng, racks, 100, 300)
    return (), [u, idle, idle + _u(rng, racks, 0, 900)], _curve(rng)


def _rack_chain(rng, racks):
    """Per-rack cap (none half the time) and UPS rating, and the chain's kernel options."""
    template = xr.DataArray(np.zeros((1, racks)), dims=("time", "rack"))
    cap = None if rng.random() < 0.5 else _u(rng, racks, 1.0e5, 1.4e5)
    if cap is not None:
        cap = xr.DataArray(cap, dims="rack", coords={"rack": template["rack"]})
    cap, ups_rated, scalars, reference = rack._chain_parameters(
        SYSTEM, template, cap, catalog.ups()
    )
    return cap, ups_rated, {**_curve(rng), "chain": scalars, "reference": reference}


def _chain(rng, n):
    u, racks = _rows(rng, n)
    cap, ups_rated, options = _rack_chain(rng, racks)
    idle = np.full(racks, SYSTEM.power_idle)
    peak = np.full(racks, SYSTEM.power_max)
    return (), [u, idle, peak, cap, ups_rated], options


RESERVOIR = hydro.Reservoir(
    capacity=3.6e12 * 5000, release_min=1e8, release_max=3e9, storage_min=1e14
)
# small enough that tens of hours of inflow fill it (spill) and of demand empty it
SMALL_RESERVOIR = hydro.Reservoir(capacity=2e13, release_min=1e8, release_max=3e9, storage_min=1e12)


def _scan_inputs(rng, n):
    reservoir = (RESERVOIR, SMALL_RESERVOIR)[rng.integers(2)]
    scenarios = int(rng.integers(1, 5))
    shape = (n, scenarios)
    initial = rng.uniform(0.2, 0.9, scenarios) * reservoir.capacity
    return reservoir, shape, initial, rng.gamma(2.0, 0.5e9, shape)


def _schedule(rng, n):
    reservoir, shape, initial, inflow = _scan_inputs(rng, n)
    return (reservoir.packed(3600.0), initial), [inflow, rng.gamma(2.0, 0.5e9, shape)], {}


def _dispatch(rng, n):
    reservoir, shape, initial, inflow = _scan_inputs(rng, n)
    p = reservoir.packed(3600.0, guide_gain=2.0, import_limit=5e8, export_limit=5e8)
    demand = rng.gamma(2.0, 0.5e9, shape)
    return (p, initial), [inflow, demand, _u(rng, n, 0.2, 0.9)], {}


def _market(rng, n):
    reservoir, shape, initial, inflow = _scan_inputs(rng, n)
    p = reservoir.packed(3600.0, import_limit=5e8, export_limit=5e8, scarcity_price=4000.0)
    weeks, points = int(rng.integers(1, 4)), int(rng.integers(1, 6))
    values = np.sort(rng.uniform(5.0, 300.0, (weeks, points)), axis=1)[:, ::-1].copy()
    stage = rng.integers(0, weeks, n).astype(np.float64)
    demand, price = rng.gamma(2.0, 0.5e9, shape), rng.uniform(5.0, 300.0, shape)
    return (p, initial, values), [inflow, demand, price, stage], {}


def _training_groups(rng, n):
    count = int(rng.integers(1, 6))
    lengths = rng.exponential(12.0, (count, 8))  # gap, job, gap, ... [h]
    bounds = np.minimum(np.rint(np.cumsum(lengths, axis=1)), n).astype(np.float64)
    bounds[:, -1] = n  # the runs cover the horizon, as workload.generate draws them
    levels = (0.9, 0.05, 0.1, 0.3, 3.0, 0.25, 1.0)  # busy, noise, idle, checkpoint, I, D, dt
    return levels, [rng.standard_normal((n, count)), bounds, rng.uniform(0, 3, count)], {}


def _fleet_groups(rng, n):
    scenarios, groups = int(rng.integers(1, 4)), int(rng.integers(1, 7))
    cap, ups_rated, options = _rack_chain(rng, groups)
    options.update(power_idle=SYSTEM.power_idle, power_max=SYSTEM.power_max)
    (p,), _, _ = _training_swing(rng, 1)
    inputs = [
        _u(rng, (scenarios, n, groups), 0, 1),
        rng.integers(1, 9, groups).astype(np.float64),
        (rng.random(groups) < 0.6).astype(np.float64),
        cap,
        ups_rated,
        (rng.random(n) < 0.8).astype(np.float64),
    ]
    return (p, rng.uniform(0, 1)), inputs, options


def _water_values(rng, n):
    scenarios = int(rng.integers(1, 5))
    capacity = 3.6e12 * 2000
    week = 7 * 86400.0
    p = WaterValueParameters(
        capacity=capacity, storage_min=0.05 * capacity, release_min=1e8 * week,
        release_max=5e9 * week, import_limit=1e9 * week, export_limit=1e9 * week,
        scarcity_price=4000.0,
    )  # fmt: skip
    shape = (n, scenarios)
    inputs = [
        rng.gamma(2.0, 1.0e9, shape) * week,  # inflow [J per week]
        rng.uniform(0.5e9, 3e9, shape) * week,  # net demand [J per week]
        rng.uniform(5.0, 150.0, shape),  # price [currency MWh-1]
    ]
    return (p,), inputs, {"points": int(rng.integers(2, 9)), "cycles": int(rng.integers(1, 3))}


def _shift_deferrable(rng, n):
    scenarios = int(rng.integers(1, 5))
    cuts = np.sort(rng.integers(0, n + 1, int(rng.integers(0, 4))))
    bounds = np.unique(np.concatenate([[0], cuts, [n]])).astype(np.int64)
    p = ShiftParameters(deferrable_share=float(rng.uniform(0, 1)), dt=3600.0, iterations=200.0)
    shape = (n, scenarios)
    power = rng.uniform(0.0, 10e6, shape)
    upper = power * rng.uniform(0.5, 2.0, shape)  # some steps full, some with room
    weight = rng.uniform(-50.0, 500.0, shape)  # a price may be negative
    return (p, bounds), [power, upper, weight], {}


def _battery_dispatch(rng, n):
    scenarios = int(rng.integers(1, 5))
    shape = (n, scenarios)
    energy = rng.uniform(1e9, 5e10)  # 0.3 to 14 MWh [J]
    low, high = np.sort(rng.uniform(0.0, 1.0, 2))
    eta = np.sqrt(rng.uniform(0.8, 1.0))
    p = KERNELS["battery_dispatch"].record(
        power=rng.uniform(1e6, 8e6), energy_min=low * energy, energy_max=high * energy,
        energy_reserve=rng.uniform(low, high) * energy, eta_charge=eta, eta_discharge=eta,
        standing=float(rng.choice([0.0, 1e-8, 1e-5])), dt=3600.0,
    )  # fmt: skip
    limit = rng.uniform(8e6, 14e6, shape)
    cheap = rng.uniform(0.0, 150.0, shape)
    inputs = [
        limit * rng.uniform(0.6, 1.4, shape),  # demand, above and below the limit
        limit,
        rng.uniform(-20.0, 300.0, shape),  # price
        cheap,
        cheap + rng.uniform(0.0, 150.0, shape),  # dear
    ]
    return (p, rng.uniform(low, high, scenarios) * energy), inputs, {}


def _power_smoothing(rng, n):
    traces = int(rng.integers(1, 5))
    dt = 0.01
    p = KERNELS["power_smoothing"].record(
        floor=float(rng.choice([0.0, rng.uniform(0.2e6, 0.8e6)])),
        ramp_up=float(rng.choice([np.inf, rng.uniform(1e6, 1e8)])),
        ramp_down=float(rng.choice([np.inf, rng.uniform(1e6, 1e8)])),
        hysteresis=float(rng.choice([0.0, rng.integers(1, 6) * dt])), dt=dt,
    )  # fmt: skip
    demand = np.where(rng.random((n, traces)) < 0.5, 1.2e6, 0.4e6) * rng.uniform(0.9, 1.1)
    initial = np.stack([demand[0], np.zeros(traces)])
    return (p, initial), [demand], {}


def _storage_smoothing(rng, n):
    traces = int(rng.integers(1, 5))
    dt = 0.01
    capacity = rng.uniform(1e3, 1e5)  # a few samples of the swing fill or empty it
    eta = np.sqrt(rng.uniform(0.8, 1.0))
    p = KERNELS["storage_smoothing"].record(
        energy=capacity, power=rng.uniform(1e5, 1e6), efficiency_charge=eta,
        efficiency_discharge=eta, smoothing=float(rng.choice([1.0, rng.uniform(0.01, 0.5)])),
        ramp_up=float(rng.choice([np.inf, 1e7])), ramp_down=float(rng.choice([np.inf, 1e7])),
        recharge=float(rng.choice([0.0, 1.0])), energy_target=0.5 * capacity, dt=dt,
    )  # fmt: skip
    load = np.where(rng.random((n, traces)) < 0.5, 1.2e6, 0.4e6) * rng.uniform(0.9, 1.1)
    initial = np.stack([rng.uniform(0, capacity, traces), load.mean(axis=0)])
    return (p, initial), [load], {}


#: kernel name -> inputs(rng, n) returning (parameters, float64 inputs, options)
CASES = {
    "moist_air_state": _moist_air,
    "relative_humidity": _relative_humidity,
    "ite_air_cooled": _ite,
    "cooling_plant": _cooling_plant,
    "supply_air_temperature": _supply_air,
    "zone_inputs": _zone_inputs,
    "zone_outcomes": _zone_outcomes,
    "grid_supply": _grid_supply,
    "training_swing": _training_swing,
    "phase_utilization": _phase_utilization,
    "auxiliary_power": _auxiliary_power,
    "server_power": _server_power,
    "rack_power": _chain,
    "facility_power": _chain,
    "reservoir_schedule": _schedule,
    "reservoir_dispatch": _dispatch,
    "training_groups": _training_groups,
    "fleet_groups": _fleet_groups,
    "reservoir_market": _market,
    "water_values": _water_values,
    "shift_deferrable": _shift_deferrable,
    "battery_dispatch": _battery_dispatch,
    "power_smoothing": _power_smoothing,
    "storage_smoothing": _storage_smoothing,
}

# float32 rounds each intermediate to 6e-8; the CPU pow is good to 1e-8 (fastmath.py)
RTOL = {np.float64: 1e-7, np.float32: 2e-4}
# values near zero (a dew point of 0.09 degC, a small unserved power) are compared to
# the output's scale instead: float32 state of a 48-step bisection is good to ~2e-6 of it
ATOL = {np.float64: 1e-6, np.float32: 1e-5}
NAMES = sorted(KERNELS)


#: outputs that are differences of larger ones: their rounding is that of the operands,
#: so they are compared at the operands' scale (kernel -> output -> scale(reference))
def _largest(values) -> float:
    finite = np.abs(values[np.isfinite(values)])
    return float(finite.max()) if finite.size else 0.0


DIFFERENCE_SCALES = {
    # temperatures computed through kelvin: float32 rounds them at 273 K, not at their degC value
    "moist_air_state": {
        "temp_dew": lambda ref: 273.15,
        "temp_wet_bulb": lambda ref: 273.15,
    },
    # P_ups = P_it max(1 - eta f(PLR), 0): 1 - eta f cancels, rounded at P_it's scale
    "ite_air_cooled": {
        "power_ups": lambda ref: _largest(ref["power_cpu"] + ref["power_fan"]),
        "ups_heat_to_zone": lambda ref: _largest(ref["power_cpu"] + ref["power_fan"]),
    },
    "training_swing": {
        "ramp_rate": lambda ref: _largest(ref["power_max"]) / 0.1,
        "ramp_rate_unmitigated": lambda ref: _largest(ref["power_max_unmitigated"]) / 0.1,
        "storage_energy": lambda ref: _largest(ref["power_max"]) * 30.0,
        "floor_power": lambda ref: _largest(ref["power_max"]),
        "floor_energy": lambda ref: _largest(ref["power_max"]) * 3600.0,
    },
}


def test_every_kernel_has_a_case():
    assert sorted(CASES) == NAMES


def _cast(spec, inputs, dtype):
    """Inputs in the working dtype; per-rack vectors of ``rows`` kernels stay float64."""
    if spec.loop in ("rows", "fleet"):
        return [inputs[0].astype(dtype), *inputs[1:]]
    return [a.astype(dtype) for a in inputs]


def _compare(spec, inputs, parameters, options, dtype, backend):
    ours = run(spec, _cast(spec, inputs, dtype), parameters, backend=backend, options=options)
    # the oracle sees the same rounded inputs, in float64
    host = [a.astype(np.float64) for a in _cast(spec, inputs, dtype)]
    ref = run(spec, host, parameters, backend="numpy", options=options)
    assert len(ours) == len(ref) == len(spec.outputs)
    named = {name: np.asarray(b, np.float64) for name, b in zip(spec.outputs, ref, strict=True)}
    for name, a, b in zip(spec.outputs, ours, ref, strict=True):
        a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
        assert a.shape == b.shape, name
        assert np.array_equal(np.isnan(a), np.isnan(b)), name
        finite = b[np.isfinite(b)]
        scale = float(np.abs(finite).max()) if finite.size else 1.0
        if name in DIFFERENCE_SCALES.get(spec.name, {}):
            scale = max(scale, float(DIFFERENCE_SCALES[spec.name][name](named)))
        np.testing.assert_allclose(
            a,
            b,
            rtol=RTOL[dtype],
            atol=ATOL[dtype] * max(1.0, scale),
            err_msg=f"{spec.name}.{name}",
        )
    return ours


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", NAMES)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 40))
def test_numba_matches_the_oracle(name, dtype, seed, n):
    spec = KERNELS[name]
    parameters, inputs, options = CASES[name](np.random.default_rng(seed), n)
    _compare(spec, inputs, parameters, options, dtype, "numba")


def _edges(spec, inputs, kind):
    """The inputs reshaped into one of the awkward layouts a caller may pass."""
    if kind == "nan":
        out = [a.copy() for a in inputs]
        out[0].reshape(-1)[::3] = np.nan
        return out
    if kind == "inf" and spec.loop == "elementwise":
        out = [a.copy() for a in inputs]
        out[0][1::4] = np.inf
        out[0][3::4] = -np.inf
        return out
    if kind == "strided":  # every other element of a twice-as-long array
        return [np.repeat(a, 2, axis=0)[::2] for a in inputs]
    if kind == "offset":  # a view starting 2**20 elements into a larger buffer
        out = []
        for a in inputs:
            buffer = np.zeros(2**20 + a.size)
            buffer[2**20 :] = a.reshape(-1)
            out.append(buffer[2**20 :].reshape(a.shape))
        return out
    if kind == "fortran" and spec.loop == "elementwise":
        return [np.asfortranarray(np.tile(a[:, None], (1, 3))) for a in inputs]
    if kind == "fortran":
        return [np.asfortranarray(a) for a in inputs]
    return inputs


EDGES = ("nan", "inf", "strided", "offset", "fortran")


@pytest.mark.parametrize("kind", EDGES)
@pytest.mark.parametrize("name", NAMES)
def test_awkward_layouts_match_the_oracle(name, kind):
    spec = KERNELS[name]
    parameters, inputs, options = CASES[name](np.random.default_rng(7), 12)
    layout = _edges(spec, inputs, kind)
    with np.errstate(invalid="ignore"):  # inf - inf in the oracle: NaN, as in the kernel
        for dtype in (np.float64, np.float32):
            _compare(spec, layout, parameters, options, dtype, "numba")


ELEMENTWISE = [name for name in NAMES if KERNELS[name].loop == "elementwise"]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_an_element_does_not_depend_on_where_it_sits_in_the_array(name):
    """Chunk invariance: the CPU runs every element through the same SIMD code.

    Elements in a vectorised loop's scalar remainder can round differently under
    fast-math; the blocked loop (powermodel.backends._elementwise.BLOCK) has none.
    """
    spec = KERNELS[name]
    parameters, inputs, options = CASES[name](np.random.default_rng(11), 700)
    whole = run(spec, inputs, parameters, backend="numba", options=options)
    for start, stop in ((3, 700), (0, 5), (250, 517)):
        part = run(spec, [a[start:stop] for a in inputs], parameters, backend="numba",
                   options=options)  # fmt: skip
        for label, a, b in zip(spec.outputs, whole, part, strict=True):
            np.testing.assert_array_equal(a[start:stop], b, err_msg=f"{name}.{label}")


@pytest.mark.parametrize("name", NAMES)
def test_empty_and_single_inputs(name):
    spec = KERNELS[name]
    parameters, inputs, options = CASES[name](np.random.default_rng(3), 1)
    _compare(spec, inputs, parameters, options, np.float64, "numba")
    if spec.loop == "elementwise":
        empty = [a[:0] for a in inputs]
    elif spec.loop in ("rows", "groups", "fleet"):
        empty = [inputs[0][:0], *inputs[1:]]
    else:
        empty = [a[:0] for a in inputs]
    ours = run(spec, empty, parameters, backend="numba", options=options)
    assert all(np.asarray(o).size == 0 for o in ours)


@pytest.mark.gpu
@pytest.mark.parametrize("name", NAMES)
def test_cuda_matches_the_oracle(name):
    """Under numba's CUDA simulator (or on a GPU): small sizes, both precisions."""
    spec = KERNELS[name]
    for seed in (1, 2):
        parameters, inputs, options = CASES[name](np.random.default_rng(seed), 5)
        for dtype in (np.float64, np.float32):
            _compare(spec, inputs, parameters, options, dtype, "cupy")
        _compare(spec, _edges(spec, inputs, "nan"), parameters, options, np.float64, "cupy")


def test_readme_support_matrix_is_generated_from_the_specs():
    from pathlib import Path

    from powermodel.backends.specs import support_matrix

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    inside = readme.split("<!-- support-matrix -->\n")[1].split("\n<!-- /support-matrix -->")[0]
    assert inside == support_matrix()


def test_api_modules_reach_the_physics_only_through_the_backends():
    """The layers of the design: API modules import ``powermodel.backends``, never ``kernels``."""
    import ast
    from pathlib import Path

    import powermodel

    offenders = []
    for path in sorted(Path(powermodel.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            if any(n == "powermodel.kernels" or n.startswith("powermodel.kernels.") for n in names):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []
