"""End to end: the whole site on a small grid, its balances, reproducibility, chunking, resume."""

from __future__ import annotations

import functools
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from powermodel import inflow, prices
from powermodel import simulate as sim
from powermodel import site as sites

DRA01 = sites.load("dra01")
HOURS = 72


def small_site(racks=(20, 30), capacities=(3.0, 8.0)):
    """dra01 with fewer racks, a second phase on day 2 and a small connection."""
    phases = (
        sites.Phase(start=DRA01.grid.phases[0].start, capacity_mw=capacities[0]),
        sites.Phase(start=DRA01.grid.phases[0].start.replace(day=2), capacity_mw=capacities[1]),
    )
    fleet = tuple(
        replace(entry, racks=n, start=phase.start)
        for entry, n, phase in zip(DRA01.fleet, racks, phases, strict=True)
    )
    return replace(DRA01, grid=replace(DRA01.grid, phases=phases), fleet=fleet)


SITE = small_site()


@pytest.fixture(scope="module")
def result():
    return sim.simulate(SITE, 3, seed=4, periods=HOURS, backend="numba")


def test_balances_close_at_every_step(result):
    r = result
    # the site's meter: IT and its chain, cooling and the auxiliaries (ISO/IEC 30134-2)
    np.testing.assert_allclose(
        r.power_facility, r.power_total + r.power_cooling + r.power_auxiliaries, rtol=1e-12
    )
    assert bool((r.power_auxiliaries > 0).all())
    assert bool((r.pue_without_auxiliaries < r.pue).all())
    demand = r.power_facility + r.power_heat_pump
    np.testing.assert_allclose(r.served + r.unserved, demand, rtol=1e-9, atol=1e-3)
    np.testing.assert_allclose(r.unserved, r.over_contract + r.curtailed, rtol=1e-9, atol=1e-3)
    assert bool((r.served <= r.grid_capacity + 1e-3).all())
    assert bool((r.power_it <= r.power_total).all())
    # energy summaries are the time integrals of the hourly results
    np.testing.assert_allclose(r.energy_facility, r.power_facility.sum("time") * 3600, rtol=1e-9)
    pue = r.energy_facility / r.energy_it
    np.testing.assert_allclose(r.pue, pue, rtol=1e-9)
    assert bool(((r.pue > 1.0) & (r.pue < 1.3)).all())


def test_every_output_has_units_and_a_long_name(result):
    for name, da in result.data_vars.items():
        assert da.attrs.get("units"), name
        assert da.attrs.get("long_name"), name
    assert result.attrs["carbon_basis"] == "location"
    assert "facility" in result["power_facility"].attrs["long_name"]
    assert "IT equipment" in result["power_it_equipment"].attrs["long_name"]


def test_phases_and_fleet_entries_take_effect(result):
    day1 = result.isel(time=slice(0, 24))
    day2 = result.isel(time=slice(24, None))
    assert float(day1.grid_capacity.max()) == 3e6
    assert float(day2.grid_capacity.min()) == 8e6
    # the second fleet entry enters service on day 2
    assert float(day2.power_total.mean()) > 1.5 * float(day1.power_total.mean())
    # 20 GB200 racks draw ~2.3 MW at 0.9 utilisation: below 3 MW, nothing unserved on day 1
    assert float(day1.unserved.max()) == 0.0


def test_same_seed_same_result_and_scenarios_do_not_depend_on_the_others(result):
    again = sim.simulate(SITE, 3, seed=4, periods=HOURS, backend="numba")
    xr.testing.assert_identical(again, result)
    alone = sim.simulate(SITE, [2], seed=4, periods=HOURS, backend="numba")
    xr.testing.assert_identical(alone, result.sel(scenario=[2]))
    other = sim.simulate(SITE, 3, seed=5, periods=HOURS, backend="numba")
    assert not np.array_equal(other.power_total.values, result.power_total.values)


def test_chunking_and_a_dask_cluster_give_identical_results(result):
    chunked = sim.simulate(SITE, 3, seed=4, periods=HOURS, backend="numba", chunk_size=1)
    xr.testing.assert_identical(chunked, result)
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = sim.simulate(
            SITE, 3, seed=4, periods=HOURS, backend="numba", chunk_size=2, client=client
        )
    xr.testing.assert_identical(on_dask, result)


def test_an_interrupted_run_resumes_to_the_same_result(result, tmp_path, monkeypatch):
    store = tmp_path / "run.zarr"
    original = sim._chunk
    calls = []
    cut = {"at": 2}  # the second chunk fails on the first run

    def flaky(ids, **kwargs):
        calls.append(list(ids))
        if len(calls) == cut["at"]:
            raise RuntimeError("power cut")
        return original(ids, **kwargs)

    monkeypatch.setattr(sim, "_chunk", flaky)
    with pytest.raises(RuntimeError, match="power cut"):
        sim.simulate(SITE, 3, seed=4, periods=HOURS, backend="numba", chunk_size=1, store=store)
    calls.clear()
    cut["at"] = None
    resumed = sim.simulate(
        SITE, 3, seed=4, periods=HOURS, backend="numba", chunk_size=1, store=store
    )
    assert calls == [[1], [2]]  # chunk 0 was read back, not recomputed
    xr.testing.assert_identical(resumed, result)


def test_a_fleet_too_large_for_its_connection_is_unserved():
    big = small_site(racks=(40, 30), capacities=(3.0, 8.0))
    out = sim.simulate(big, 2, seed=1, periods=24, backend="numba")
    assert bool((out.over_contract_hours > 10).all())
    assert bool((out.unserved_hours == out.over_contract_hours).all())  # the zone had enough
    figures = sim.risk(out)
    assert float(figures.loss_of_load_probability) == 1.0
    assert figures.energy_facility.dims == ("quantile",)


def test_max_racks_fits_the_phase_capacity():
    site = small_site(capacities=(3.0, 8.0))
    found = sim.max_racks(site, "gb200-nvl72", probability=0.0, scenarios=2, periods=24)
    racks = found.racks.values
    assert racks[1] > racks[0] > 0
    per_rack = 129e3  # W at full load, before cooling
    # more than the full-load count (utilisation < 1) but not unboundedly more
    assert 3e6 / per_rack <= racks[0] <= 1.6 * 3e6 / per_rack
    assert bool((found.loss_of_load_probability == 0.0).all())


def test_bad_site_input_is_named():
    with pytest.raises(sites.SiteError, match="built-in"):
        sim.simulate("no-such-site", 1, periods=2)
    with pytest.raises(ValueError, match="scenario"):
        sim.simulate(SITE, 0, periods=2)


def test_partial_chunk_task_is_picklable():
    import pickle

    task = functools.partial(
        sim._chunk, site=SITE, seed=0, start="2025-10-01", periods=2, freq="1h", backend="numpy"
    )
    assert pickle.loads(pickle.dumps(task)).keywords["site"] == SITE


def test_district_heating_takes_waste_heat_through_a_heat_pump():
    cooling = replace(SITE.cooling, heat_reuse_demand_mw=1.0)
    site = replace(SITE, cooling=cooling)
    out = sim.simulate(site, 1, seed=4, periods=24, backend="numba")
    recovered = out.heat_recovered.sum("time")
    assert float(recovered.min()) > 0
    assert bool((out.heat_recovered <= 1e6 + 1e-3).all())  # the network takes at most 1 MW
    assert float(out.power_heat_pump.max()) > 0
    demand = out.power_facility + out.power_heat_pump
    np.testing.assert_allclose(out.served + out.unserved, demand, rtol=1e-9, atol=1e-3)
    assert float(out.heat_recovered_energy[0]) > 0
    with pytest.raises(ValueError, match="heat_reuse_demand_mw"):
        sites.Cooling(heat_reuse_demand_mw=-1.0)


def test_a_weather_gap_makes_that_scenarios_totals_nan_and_is_counted(monkeypatch):
    """A gap in the weather never silently shrinks an answer (one NaN rule for totals)."""
    original = sim._weather

    def with_gap(site, times, ids, seed):
        weather = original(site, times, ids, seed).copy(deep=True)
        weather["temp_air"][5:8, 0] = np.nan  # three hours missing in scenario 0 only
        return weather

    monkeypatch.setattr(sim, "_weather", with_gap)
    out = sim.simulate(SITE, 2, seed=4, periods=24, backend="numba")
    gap, whole = out.isel(scenario=0), out.isel(scenario=1)
    assert float(gap.missing_hours) == 3.0 and float(whole.missing_hours) == 0.0
    for name in (
        "energy_facility",
        "pue",
        "cost",
        "emissions",
        "unserved_hours",
        "energy_served",
        "peak_within_step",
        "trough_within_step",
    ):  # fmt: skip (racks ramp without weather)
        assert np.isnan(float(gap[name])), name
        assert np.isfinite(float(whole[name])), name


def _weather_csv(path, start, hours, warm=0.0):
    times = pd.date_range(start, periods=hours, freq="1h")
    frame = pd.DataFrame({
        "time": times.strftime("%Y-%m-%dT%H:%M:%S"),
        "temp_air": 5.0 + warm + 3.0 * np.sin(np.arange(hours) / 4.0),
        "relative_humidity": 70.0,
        "pressure": 99_000.0,
    })  # fmt: skip
    frame.to_csv(path, index=False)
    return path


def test_a_store_knows_its_inputs_by_content_not_by_name(tmp_path):
    start = pd.Timestamp(SITE.grid.phases[0].start)
    weather = _weather_csv(tmp_path / "weather.csv", start, 24)
    site = replace(SITE, climate=sites.Climate(source=str(weather)))
    store = tmp_path / "run.zarr"
    first = sim.simulate(site, 2, seed=4, periods=24, backend="numba", store=store)
    # the same inputs spelled differently: the same run, read back
    copy = tmp_path / "copy"
    copy.mkdir()
    moved = replace(
        SITE, climate=sites.Climate(source=str(_weather_csv(copy / "w.csv", start, 24)))
    )
    again = sim.simulate(moved, 2, seed=4, periods=24, freq="60min", backend="auto", store=store)
    xr.testing.assert_identical(again, first)
    # an edited weather file is another run: refused, naming what differs
    _weather_csv(weather, start, 24, warm=10.0)
    with pytest.raises(ValueError, match=r"climate.file_sha256 differ"):
        sim.simulate(site, 2, seed=4, periods=24, backend="numba", store=store)
    with pytest.raises(ValueError, match=r"seed \(store: 4, this run: 5\)"):
        sim.simulate(moved, 2, seed=5, periods=24, backend="numba", store=store)


# ------------------------------------------------------- what a run keeps


def test_keep_summaries_holds_the_same_summaries_and_no_hourly_results(result):
    small = sim.simulate(SITE, 3, seed=4, periods=HOURS, backend="numba", keep="summaries")
    assert small.attrs["kept"] == "summaries"
    assert [n for n, v in small.data_vars.items() if "time" in v.dims] == ["grid_capacity"]
    for name in sim.SUMMARIES:
        xr.testing.assert_identical(small[name], result[name])
    named = sim.simulate(SITE, 3, seed=4, periods=HOURS, backend="numba", keep=["served"])
    xr.testing.assert_identical(named["served"], result["served"])
    assert "power_facility" not in named
    with pytest.raises(ValueError, match="keep: unknown variables"):
        sim.simulate(SITE, 3, periods=HOURS, keep=["nonsense"])
    with pytest.raises(ValueError, match="keep: 'all'"):
        sim.simulate(SITE, 3, periods=HOURS, keep="all")


def test_a_stored_run_is_lazy_and_equals_the_one_in_memory(tmp_path, result):
    lazy = sim.simulate(SITE, 3, seed=4, periods=HOURS, backend="numba", chunk_size=1,
                        store=tmp_path / "run.zarr")  # fmt: skip
    assert lazy["power_facility"].chunks is not None  # dask arrays reading the store
    xr.testing.assert_identical(lazy.compute(), result)
    figures = sim.risk(lazy)
    xr.testing.assert_identical(figures.compute(), sim.risk(result))


_PEAK = """
import resource, sys
from powermodel import simulate as sim
sim.simulate("dra01", int(sys.argv[1]), periods=2190, backend="numba", chunk_size=4,
             store=sys.argv[2], keep="hourly")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_a_stored_runs_memory_does_not_grow_with_the_scenarios(tmp_path):
    import subprocess
    import sys

    peaks = {}
    for n in (16, 128):
        done = subprocess.run([sys.executable, "-c", _PEAK, str(n), str(tmp_path / f"{n}.zarr")],
                              capture_output=True, text=True, timeout=600, check=True)  # fmt: skip
        peaks[n] = int(done.stdout.split()[-1])
    # 8x the scenarios: held in memory, the hourly results alone would add ~35 MB
    assert peaks[128] < 1.15 * peaks[16], peaks


def test_an_entry_not_yet_in_service_draws_nothing_and_the_shortcut_is_exact():
    """fleet_power skips the draws of an entry out of service over the whole horizon."""
    from powermodel import catalog, fleet, workload

    site = sites.load("dra01")
    times = pd.date_range("2026-03-01", periods=48, freq="h")  # before the expansion's start
    entries = sim.fleet_power(site, times, np.arange(2), 0, backend="numba")
    entry = site.fleet[1]
    u = workload.generate(site.workload, entry.racks, start=times[0], periods=48, scenarios=2,
                          seed=0, stream=1)  # fmt: skip
    computed = fleet.entry_power(
        u, catalog.system(entry.system), site.workload.training,
        in_service=(entry.in_service(times) > 0).astype(float), backend="numba",
    )  # fmt: skip
    for name in fleet.OUTPUTS:
        np.testing.assert_array_equal(entries[1][name], computed[name], err_msg=name)
        assert entries[1][name].attrs["units"] == computed[name].attrs["units"]
    assert float(entries[0]["power_total"].min()) > 0


@pytest.mark.gpu
def test_the_whole_chain_runs_on_the_cuda_backend():
    """Under numba's CUDA simulator (or on a GPU): every stage's CUDA kernel, small sizes.

    The CUDA kernels use the device's own pow, exp and sqrt and the CPU ones a faster
    pow good to 1e-8 (powermodel/backends/_fastmath.py): equal to ~1e-7 relative.
    """
    short = replace(SITE, fleet=tuple(replace(e, racks=9) for e in SITE.fleet))
    cpu = sim.simulate(short, 2, seed=1, periods=12, backend="numba")
    gpu = sim.simulate(short, 2, seed=1, periods=12, backend="cupy")
    assert list(gpu.data_vars) == list(cpu.data_vars)
    for name in cpu.data_vars:
        a, b = np.asarray(gpu[name], np.float64), np.asarray(cpu[name], np.float64)
        scale = float(np.nanmax(np.abs(b))) if np.isfinite(b).any() else 1.0
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6 * scale, err_msg=name)


def test_the_zone_trades_against_water_values_by_default_and_the_guide_rule_is_kept():
    dra01 = sites.load("dra01")
    guide = replace(dra01, zone=replace(dra01.zone, rule="guide"))
    kwargs = dict(scenarios=3, seed=2, periods=24 * 21, backend="numba", keep="hourly")
    market = sim.simulate(dra01, **kwargs)
    proxy = sim.simulate(guide, **kwargs)
    assert "water values" in market.price.attrs["long_name"]
    assert "proxy" in proxy.price.attrs["long_name"]
    assert not np.allclose(market.price, proxy.price)
    # the market's price: the neighbours' where the cables have room, else the water value
    table = sim.water_value_table(dra01, 2, market.time.values[0], "numba")
    grid = dict(start=market.time.values[0], periods=24 * 21, scenarios=3, seed=2)
    neighbours = prices.synthetic("NO2", inflow=inflow.synthetic("NO2", **grid), **grid)
    same = np.isclose(market.price.values, neighbours.values, rtol=1e-12)
    lo, hi = float(table.water_value.min()), float(table.water_value.max())
    others = market.price.values[~same]
    assert same.mean() > 0.2 and ((others >= lo - 1e-6) & (others <= hi + 1e-6)).all()
    # the site's energy balance holds either way
    for out in (market, proxy):
        np.testing.assert_allclose(out.power_facility + out.power_heat_pump,
                                   out.served + out.unserved, rtol=1e-9)  # fmt: skip


def test_the_water_value_table_depends_on_the_seed_only():
    dra01 = sites.load("dra01")
    a = sim.water_value_table(dra01, 7, "2026-01-01", "numba")
    sim._TABLES.clear()
    b = sim.water_value_table(dra01, 7, "2026-01-01", "numba")
    xr.testing.assert_identical(a, b)
    c = sim.water_value_table(dra01, 8, "2026-01-01", "numba")
    assert not np.allclose(a.water_value, c.water_value)
