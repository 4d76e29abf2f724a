"""Hydro reservoirs and inflow: mass balance, backends, dispatch, plausibility, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given
from hypothesis import strategies as st

from powermodel import hydro, inflow
from powermodel.backends import cuda_simulator_enabled, to_host

DT = 3600.0


def series(values, start="2025-01-01"):
    values = np.asarray(values, np.float64)
    times = pd.date_range(start, periods=values.shape[0], freq="1h")
    dims = ("time", "scenario")[: values.ndim]
    return xr.DataArray(values, dims=dims, coords={"time": times})


@st.composite
def schedules(draw):
    times = draw(st.integers(1, 40))
    scenarios = draw(st.integers(1, 5))
    rate = st.floats(0.0, 100.0)
    q = np.array(draw(st.lists(rate, min_size=times * scenarios, max_size=times * scenarios)))
    r = np.array(draw(st.lists(rate, min_size=times * scenarios, max_size=times * scenarios)))
    capacity = draw(st.floats(1e3, 1e6))
    low = draw(st.floats(0.0, 20.0))
    high = draw(st.floats(low, 150.0))
    dead = draw(st.floats(0.0, 0.3)) * capacity
    reservoir = hydro.Reservoir(
        capacity=capacity, release_min=low, release_max=high, storage_min=dead, units="m3"
    )
    filling = draw(st.floats(0.0, 1.0))
    return (
        series(q.reshape(times, scenarios)),
        series(r.reshape(times, scenarios)),
        reservoir,
        filling,
    )


@given(case=schedules())
def test_water_balance_closes_and_bounds_hold(case):
    q, r, reservoir, filling = case
    out = hydro.reservoir_schedule(q, r, reservoir, initial_filling=filling, backend="numba")
    start = filling * reservoir.capacity
    storage = out.storage.values
    before = np.vstack([np.full((1, storage.shape[1]), start), storage[:-1]])
    change = storage - before
    flows = DT * (q.values - out.release.values - out.spill.values)
    scale = reservoir.capacity + DT * 100
    np.testing.assert_allclose(change, flows, atol=1e-9 * scale)
    # final - initial = inflow - release - spill over the whole period, per scenario
    np.testing.assert_allclose(storage[-1] - start, flows.sum(0), atol=1e-8 * scale)
    tol = 1e-9 * scale
    assert (storage <= reservoir.capacity + tol).all()
    assert (storage >= min(start, reservoir.storage_min) - tol).all()
    assert (out.release.values <= reservoir.release_max + tol).all()
    assert (out.spill.values >= 0).all()
    # spill only when full
    full = storage >= reservoir.capacity - tol
    assert (out.spill.values[~full] == 0).all()
    # release below the minimum only when the water ran out
    low = out.release.values < reservoir.release_min - tol
    assert (storage[low] <= reservoir.storage_min + tol).all()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@given(case=schedules())
def test_numba_matches_numpy_reference(dtype, case):
    q, r, reservoir, filling = case
    q = q.astype(dtype)
    ref = hydro.reservoir_schedule(
        q.astype(np.float64), r, reservoir, initial_filling=filling, backend="numpy"
    )
    ours = hydro.reservoir_schedule(q, r, reservoir, initial_filling=filling, backend="numba")
    assert ours.storage.dtype == dtype
    rtol = 1e-12 if dtype == np.float64 else 1e-5
    for name in ref.data_vars:
        np.testing.assert_allclose(
            ours[name],
            ref[name],
            rtol=rtol,
            atol=rtol * (reservoir.capacity + DT * 100),
            err_msg=name,
        )


def test_replay_matches_pypsa_storage_unit_equation():
    """A feasible schedule replays PyPSA's StorageUnit state-of-charge equation exactly.

    ``soc_t = soc_{t-1} + w_t (inflow_t - h_t - spill_t)`` with efficiencies 1
    and no standing loss (PyPSA docs, user-guide/optimization/storage.md).
    """
    rng = np.random.default_rng(5)
    q = rng.uniform(10, 20, (500, 3))
    h = rng.uniform(10, 20, (500, 3))
    reservoir = hydro.Reservoir(capacity=1e9, release_max=50.0, units="m3")
    out = hydro.reservoir_schedule(series(q), series(h), reservoir, initial_filling=0.5)
    soc = np.full(3, 0.5e9)
    for t in range(500):  # the equation as PyPSA writes it, one snapshot at a time
        soc = soc + DT * (q[t] - h[t] - 0.0)
        np.testing.assert_allclose(out.storage.values[t], soc, rtol=1e-14)
    assert float(out.spill.max()) == 0.0
    np.testing.assert_array_equal(out.release.values, h)


def test_generation_from_head():
    reservoir = hydro.Reservoir(
        capacity=1e6, units="m3", efficiency=0.9, head_min=100.0, head_max=200.0, release_max=10.0
    )
    out = hydro.reservoir_schedule(series([0.0]), series([10.0]), reservoir, initial_filling=0.5)
    # P = eta rho g H Q with H = 150 m at half storage (start of the step)
    assert float(out.generation[0, 0]) == pytest.approx(0.9 * 1000 * 9.81 * 150.0 * 10.0)
    energy = hydro.Reservoir(capacity=1e12)
    out = hydro.reservoir_schedule(series([0.0]), series([1e6]), energy)
    assert float(out.generation[0, 0]) == 1e6
    assert out.generation.attrs["units"] == "W" and out.storage.attrs["units"] == "J"


def test_dispatch_serves_demand_and_balances():
    times = 24 * 60
    rng = np.random.default_rng(1)
    q = series(rng.uniform(0.5e9, 1.5e9, (times, 4)))
    demand = series(np.full((times, 4), 1.2e9))
    reservoir = hydro.Reservoir(capacity=1e9 * 3600 * 500, release_max=2e9)
    guide = series(np.full(times, 0.5))
    out = hydro.reservoir_dispatch(
        q, demand, reservoir, guide, import_limit=0.3e9, export_limit=0.3e9, backend="numba"
    )
    lhs = out.generation + out.imports + out.shortfall
    rhs = demand + out.exports + out.surplus
    np.testing.assert_allclose(lhs, rhs, rtol=1e-12)
    ref = hydro.reservoir_dispatch(
        q, demand, reservoir, guide, import_limit=0.3e9, export_limit=0.3e9, backend="numpy"
    )
    for name in ref.data_vars:
        np.testing.assert_allclose(out[name], ref[name], rtol=1e-12, atol=1e-3, err_msg=name)
    # below the guide the reservoir holds water back: less generation than demand
    low = hydro.reservoir_dispatch(
        q, demand, reservoir, guide, initial_filling=0.2, import_limit=1e12
    )
    high = hydro.reservoir_dispatch(
        q, demand, reservoir, guide, initial_filling=0.8, import_limit=1e12, export_limit=1e12
    )  # above the guide it releases more, and exports what the zone does not use
    assert float(low.generation[0, 0]) < 1.2e9 < float(high.generation[0, 0])
    assert float(low.shortfall.max()) == 0.0  # imports cover it


@given(case=schedules(), gain=st.floats(0.0, 5.0), limit=st.floats(0.0, 50.0))
def test_dispatch_balances_and_backends_agree(case, gain, limit):
    q, demand, reservoir, filling = case
    energy = hydro.Reservoir(capacity=reservoir.capacity, release_min=reservoir.release_min,
                             release_max=reservoir.release_max,
                             storage_min=reservoir.storage_min)  # fmt: skip
    guide = series(np.linspace(0.2, 0.9, q.sizes["time"]))
    kwargs = dict(guide_gain=gain, import_limit=limit, export_limit=limit, initial_filling=filling)
    out = hydro.reservoir_dispatch(q, demand, energy, guide, backend="numba", **kwargs)
    ref = hydro.reservoir_dispatch(q, demand, energy, guide, backend="numpy", **kwargs)
    scale = reservoir.capacity + DT * 100
    for name in ref.data_vars:
        np.testing.assert_allclose(out[name], ref[name], rtol=1e-12, atol=1e-9 * scale,
                                   err_msg=name)  # fmt: skip
    np.testing.assert_allclose(out.generation + out.imports + out.shortfall,
                               demand + out.exports + out.surplus, atol=1e-9 * scale)  # fmt: skip
    for name in ("imports", "exports", "shortfall", "surplus", "spill"):
        assert (out[name] >= 0).all(), name
    assert (out.imports <= limit).all() and (out.exports <= limit).all()
    assert (out.storage <= energy.capacity * (1 + 1e-12)).all()


def test_nan_propagates_in_its_scenario_only():
    q = np.full((5, 3), 10.0)
    q[2, 1] = np.nan
    out = hydro.reservoir_schedule(
        series(q),
        series(np.full((5, 3), 5.0)),
        hydro.Reservoir(capacity=1e6, units="m3"),
        backend="numba",
    )
    storage = out.storage.values
    assert np.isfinite(storage[:, [0, 2]]).all()
    assert np.isfinite(storage[:2, 1]).all() and np.isnan(storage[2:, 1]).all()
    assert np.isnan(out.release.values[2:, 1]).all()


def test_bad_input_is_named():
    ok = hydro.Reservoir(capacity=1e6, units="m3")
    with pytest.raises(ValueError, match="inflow: 1 negative"):
        hydro.reservoir_schedule(series([1.0, -1.0]), 0.0, ok)
    with pytest.raises(ValueError, match="storage bounds reversed"):
        hydro.Reservoir(capacity=1e6, storage_min=2e6)
    with pytest.raises(ValueError, match="release_min"):
        hydro.Reservoir(capacity=1e6, release_min=5.0, release_max=1.0)
    with pytest.raises(ValueError, match="capacity"):
        hydro.Reservoir(capacity=0.0)
    with pytest.raises(ValueError, match="dims"):
        hydro.reservoir_schedule(series([1.0]).expand_dims(rack=2), 0.0, ok)
    with pytest.raises(ValueError, match="guide"):
        hydro.reservoir_dispatch(
            series([1.0]), series([1.0]), hydro.Reservoir(capacity=1e9), series([1.5])
        )
    with pytest.raises(ValueError, match="energy reservoir"):
        hydro.reservoir_dispatch(series([1.0]), series([1.0]), ok, series([0.5]))
    with pytest.raises(ValueError, match="release: its coordinates do not match"):
        hydro.reservoir_schedule(series([1.0, 1.0]), series([1.0, 1.0], "2026-01-01"), ok)
    with pytest.raises(ValueError, match="guide: its coordinates do not match"):
        hydro.reservoir_dispatch(series([1.0]), series([1.0]), hydro.Reservoir(capacity=1e9),
                                 series([0.5], "2026-01-01"))  # fmt: skip
    with pytest.raises(ValueError, match="initial_filling"):
        hydro.reservoir_schedule(series([1.0]), 0.0, ok, initial_filling=np.nan)
    with pytest.raises(ValueError, match="time"):
        irregular = series([1.0, 1.0, 1.0])
        irregular["time"] = pd.to_datetime(
            ["2025-01-01 00:00", "2025-01-01 01:00", "2025-01-01 03:00"]
        )
        hydro.reservoir_schedule(irregular, 0.0, ok)


def test_inflow_scenarios_are_reproducible_and_seasonal():
    a = inflow.synthetic(periods=24 * 365, scenarios=[0, 3], seed=7)
    b = inflow.synthetic(periods=24 * 365, scenarios=4, seed=7)
    np.testing.assert_array_equal(a.sel(scenario=3), b.sel(scenario=3))
    assert not np.array_equal(b.sel(scenario=0), b.sel(scenario=1))
    assert a.attrs["units"] == "W"
    many = inflow.synthetic(periods=24 * 365, scenarios=300, seed=1)
    data = inflow.zone("NO2")
    expected = data["national_mean_inflow_twh"] * data["zone_share"]
    annual = many.sum("time") * 3600 / inflow.TWH
    assert float(annual.mean()) == pytest.approx(expected, rel=0.03)
    assert 0.05 < float(annual.std() / annual.mean()) < 0.2  # wet and dry years
    monthly = many.groupby("time.month").mean().mean("scenario")
    assert int(monthly.idxmax()) in (5, 6, 7)  # snowmelt flood
    assert int(monthly.idxmin()) in (1, 2, 3)  # winter low flow


def test_inflow_readers(tmp_path):
    times = pd.date_range("2025-01-01", periods=4, freq="1h")
    path = tmp_path / "inflow.csv"
    pd.DataFrame({"time": times.strftime("%Y-%m-%dT%H:%M:%SZ"), "q": [1.0, 2.0, 3.0, 4.0]}).to_csv(
        path, index=False
    )
    da = inflow.read_csv(path, column="q", units="MW")
    np.testing.assert_array_equal(da.values, [1e6, 2e6, 3e6, 4e6])
    assert da.attrs["units"] == "W"
    nc = tmp_path / "inflow.nc"
    xr.Dataset(
        {"inflow": ("time", [5.0, 6.0, 7.0, 8.0], {"units": "GW"})}, coords={"time": times}
    ).to_netcdf(nc)
    np.testing.assert_array_equal(inflow.read_netcdf(nc).values, [5e9, 6e9, 7e9, 8e9])
    with pytest.raises(ValueError, match="no column 'flow'"):
        inflow.read_csv(path, column="flow")
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"time": times.strftime("%Y-%m-%d %H:%M"), "inflow": [1, -1, 1, 1]}).to_csv(
        bad, index=False
    )
    with pytest.raises(ValueError, match="negative"):
        inflow.read_csv(bad)


def test_no2_dispatch_follows_the_published_filling_curve():
    """Median simulated filling of NO2 against NVE's weekly median filling (guide points)."""
    data = inflow.zone("NO2")
    share = data["zone_share"]
    q = inflow.synthetic(periods=8760 * 2, scenarios=40, seed=1)
    times = q.time.to_index()
    capacity = data["national_reservoir_capacity_twh"] * share * inflow.TWH
    turbines = data["national_turbine_capacity_gw"] * share * 1e9
    reservoir = hydro.Reservoir(
        capacity=capacity,
        release_max=turbines,
        release_min=data["release_min_fraction"] * turbines,
        storage_min=data["storage_min_filling"] * capacity,
        initial_filling=0.7,
    )
    # demand on the reservoirs: the mean inflow, winter-heavy as Norwegian consumption
    day = times.day_of_year.to_numpy()
    demand = series(float(q.mean()) * (1 + 0.25 * np.cos(2 * np.pi * (day - 15) / 365.25)))
    demand["time"] = times
    out = hydro.reservoir_dispatch(
        q,
        demand,
        reservoir,
        inflow.guide_curve(times),
        import_limit=0.2 * turbines,
        export_limit=0.2 * turbines,
    )
    second = out.filling.isel(time=slice(8760, None))
    weekly = second.groupby(second.time.dt.isocalendar().week).mean().median("scenario")
    published = dict(zip(data["guide_weeks"], data["guide_filling"], strict=True))
    rows = {w: (round(float(weekly.sel(week=w)) * 100, 1), f) for w, f in published.items()}
    print("week: (simulated median %, NVE median %)", rows)
    for simulated, nve in rows.values():
        assert abs(simulated - nve) < 8.0


@pytest.mark.gpu
def test_cuda_matches_numpy():
    rng = np.random.default_rng(2)
    q = rng.uniform(0, 30, (24, 40))
    q[5, 3] = np.nan
    r = rng.uniform(0, 30, (24, 40))
    reservoir = hydro.Reservoir(capacity=5e4, release_min=2.0, release_max=25.0, units="m3")
    device_q = series(q)
    if not cuda_simulator_enabled():
        import cupy

        device_q = device_q.copy(data=cupy.asarray(q))
    ref = hydro.reservoir_schedule(series(q), series(r), reservoir, backend="numpy")
    ours = hydro.reservoir_schedule(device_q, series(r), reservoir, backend="cupy")
    for name in ref.data_vars:
        values = to_host(ours[name].data)
        np.testing.assert_allclose(values, ref[name], rtol=1e-12, atol=1e-9, err_msg=name)
    guide = series(np.full(24, 0.5))
    energy = hydro.Reservoir(capacity=1e6 * 3600 * 24, release_max=2e6)
    d = series(rng.uniform(0, 2e6, (24, 40)))
    ref = hydro.reservoir_dispatch(
        series(q * 1e5), d, energy, guide, import_limit=1e5, backend="numpy"
    )
    ours = hydro.reservoir_dispatch(
        series(q * 1e5), d, energy, guide, import_limit=1e5, backend="cupy"
    )
    for name in ref.data_vars:
        values = to_host(ours[name].data)
        np.testing.assert_allclose(values, ref[name], rtol=1e-12, atol=1e-3, err_msg=name)


# ------------------------------------------------------------ the rule's defects (issue 14)


def _dispatch(initial_filling, guide, demand, inflow_w, *, imports=0.0, exports=0.0, steps=3,
              release_max=2e9, gain=2.0, backend="numba"):  # fmt: skip
    reservoir = hydro.Reservoir(capacity=1e9 * 3600 * 100, release_max=release_max,
                                storage_min=0.05 * 1e9 * 3600 * 100)  # fmt: skip
    q = series(np.full((steps, 2), inflow_w))
    load = series(np.full((steps, 2), demand))
    return reservoir, hydro.reservoir_dispatch(
        q, load, reservoir, series(np.full(steps, guide)), guide_gain=gain,
        import_limit=imports, export_limit=exports, initial_filling=initial_filling,
        backend=backend,
    )  # fmt: skip


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_no_load_is_shed_while_water_is_stored_and_turbines_have_headroom(backend):
    # far below the guide the rule holds water back (scale 0); imports cover only part
    _, out = _dispatch(0.3, 0.9, 1.5e9, 0.1e9, imports=0.5e9, backend=backend)
    assert float(out.shortfall.max()) == 0.0
    np.testing.assert_allclose(out.imports, 0.5e9)  # imports first, then the water
    np.testing.assert_allclose(out.generation, 1.0e9)


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_no_release_beyond_what_demand_and_exports_can_take(backend):
    # far above the guide the rule releases 2.2x the demand; exports take only part
    _, out = _dispatch(0.9, 0.3, 1.0e9, 0.1e9, exports=0.2e9, backend=backend)
    assert float(out.surplus.max()) == 0.0
    np.testing.assert_allclose(out.generation, 1.2e9)
    np.testing.assert_allclose(out.exports, 0.2e9)


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_release_up_to_the_turbines_before_spilling(backend):
    # full, at the guide (scale 1): a flood that the demand alone would leave to spill
    reservoir, out = _dispatch(1.0, 1.0, 0.5e9, 3.0e9, exports=5e9, backend=backend)
    np.testing.assert_allclose(out.release, reservoir.release_max)
    np.testing.assert_allclose(out.spill, 3.0e9 - reservoir.release_max)
    np.testing.assert_allclose(out.exports, reservoir.release_max - 0.5e9)
    # and what exports cannot take is spilled, not generated and curtailed
    _, out = _dispatch(1.0, 1.0, 0.5e9, 3.0e9, exports=0.3e9, backend=backend)
    np.testing.assert_allclose(out.generation, 0.8e9)
    assert float(out.surplus.max()) == 0.0
    np.testing.assert_allclose(out.spill, 3.0e9 - 0.8e9)


@given(case=schedules(), gain=st.floats(0.0, 5.0), limit=st.floats(0.0, 50.0))
def test_dispatch_wastes_and_sheds_only_when_it_must(case, gain, limit):
    """Shortfall only with the turbines full or no water left; surplus only from the minimum
    flow; spill only with the turbines full or the demand and exports served."""
    q, demand, reservoir, filling = case
    energy = hydro.Reservoir(capacity=reservoir.capacity, release_min=reservoir.release_min,
                             release_max=reservoir.release_max,
                             storage_min=reservoir.storage_min)  # fmt: skip
    guide = series(np.linspace(0.2, 0.9, q.sizes["time"]))
    kwargs = dict(guide_gain=gain, import_limit=limit, export_limit=limit, initial_filling=filling)
    out = hydro.reservoir_dispatch(q, demand, energy, guide, backend="numba", **kwargs)
    tol = 1e-9 * (reservoir.capacity / DT + 100)
    start = np.vstack([[filling * energy.capacity] * q.sizes["scenario"], out.storage[:-1]])
    available = (start + DT * q - energy.storage_min).clip(min=0) / DT  # rate the step may release
    turbines_full = out.release >= energy.release_max - tol
    empty = out.release >= available - tol
    assert bool(((out.shortfall <= tol) | turbines_full | empty).all())
    assert bool(((out.surplus <= tol) | (out.release <= energy.release_min + tol)).all())
    served = out.generation >= demand + limit - tol
    assert bool(((out.spill <= tol) | turbines_full | served).all())
