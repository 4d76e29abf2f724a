"""Workload traces (powermodel.workload): parameters, generated traces, readers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given
from hypothesis import strategies as st

from powermodel import workload
from powermodel.workload import Inference, Training, Workload

# ----------------------------------------------------------------------------- parameters


@pytest.mark.parametrize(
    ("cls", "field", "value"),
    [
        (Training, "racks_per_job", 0),
        (Training, "busy", 1.5),
        (Training, "compute_fraction", 1.0),
        (Training, "checkpoint_minutes", 600.0),
        (Inference, "trough", 0.9),  # above peak
        (Inference, "timezone", "Mars/Olympus"),
        (Inference, "racks_per_group", 2.5),
        (Workload, "training_share", -0.1),
    ],
)
def test_parameters_reject_bad_values_naming_the_field(cls, field, value):
    with pytest.raises(ValueError, match=field):
        cls(**{field: value})


def test_parameters_are_plain_fields():
    for cls in (Training, Inference):
        for value in vars(cls()).values():
            assert type(value) in (int, float, str, bool)


# ----------------------------------------------------------------------------- generate


def test_groups_split_racks_by_share_and_job_size():
    w = Workload(training_share=0.7, training=Training(racks_per_job=8))
    u = workload.generate(w, racks=25, periods=2)
    assert u.racks.values.tolist() == [8, 8, 2, 4, 3]  # 18 training racks, 7 inference
    assert u.kind.values.tolist() == ["training"] * 3 + ["inference"] * 2
    assert int(u.racks.sum()) == 25


def test_same_seed_same_trace_and_scenario_independent_of_others():
    kw = {"racks": 30, "periods": 200, "seed": 7}
    a = workload.generate(Workload(), scenarios=4, **kw)
    b = workload.generate(Workload(), scenarios=4, **kw)
    xr.testing.assert_identical(a, b)
    alone = workload.generate(Workload(), scenarios=[2], **kw)
    np.testing.assert_array_equal(alone.sel(scenario=2), a.sel(scenario=2))
    other_seed = workload.generate(Workload(), scenarios=4, **{**kw, "seed": 8})
    assert not np.array_equal(a.values, other_seed.values)
    assert not np.array_equal(a.sel(scenario=0), a.sel(scenario=1))


def test_extending_the_horizon_keeps_earlier_steps():
    short = workload.generate(Workload(), racks=30, periods=100, scenarios=2)
    long = workload.generate(Workload(), racks=30, periods=3000, scenarios=2)
    np.testing.assert_array_equal(short.values, long.values[:100])


def test_layout_dtype_and_labels():
    u = workload.generate(Workload(), racks=12, periods=8, freq="15min", dtype=np.float64)
    assert u.dims == ("time", "scenario", "group") and u.dtype == np.float64
    assert u.name == "utilization" and u.attrs["units"] == "1"
    assert pd.Timestamp(u.time.values[1]) - pd.Timestamp(u.time.values[0]) == pd.Timedelta("15min")
    u32 = workload.generate(Workload(), racks=12, periods=8, freq="15min")
    assert u32.dtype == np.float32
    np.testing.assert_allclose(u32, u, atol=1e-7)  # draws are float64 either way


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"racks": 0}, "racks"),
        ({"racks": 2.5}, "racks"),
        ({"scenarios": 0}, "scenarios"),
        ({"scenarios": [-1]}, "scenarios"),
        ({"seed": -1}, "seed"),
        ({"periods": 0}, "periods"),
        ({"freq": "xyz"}, "freq"),
    ],
)
def test_generate_rejects_bad_arguments_by_name(kwargs, name):
    with pytest.raises(ValueError, match=name):
        workload.generate(Workload(), **{"racks": 4, "periods": 4, **kwargs})


def test_generate_rejects_other_dtypes():
    with pytest.raises(TypeError, match="dtype"):
        workload.generate(Workload(), racks=4, periods=4, dtype=np.float16)


@given(
    share=st.floats(0.0, 1.0),
    racks=st.integers(1, 40),
    busy=st.floats(0.0, 1.0),
    noise=st.floats(0.0, 0.5),
    peak=st.floats(0.0, 1.0),
    weekend=st.floats(0.0, 3.0),
    seed=st.integers(0, 2**32),
)
def test_values_in_unit_interval_and_racks_sum(share, racks, busy, noise, peak, weekend, seed):
    w = Workload(
        training_share=share,
        training=Training(busy=busy, noise=noise, job_days=0.5, gap_hours=3.0),
        inference=Inference(peak=peak, trough=0.0, noise=noise, weekend_factor=weekend),
    )
    u = workload.generate(w, racks=racks, periods=72, scenarios=2, seed=seed)
    assert ((u >= 0) & (u <= 1)).all()
    assert int(u.racks.sum()) == racks


def test_training_busy_level_checkpoint_dips_and_idle_gaps():
    t = Training(
        racks_per_job=4,
        busy=0.9,
        noise=0.01,
        idle=0.05,
        checkpoint_hours=4.0,
        checkpoint_minutes=15.0,
        checkpoint_level=0.1,
        job_days=2.0,
        gap_hours=6.0,
    )
    u = workload.training(t, racks=8, periods=24 * 60, scenarios=3, seed=1)
    assert u.sizes["group"] == 2 and (u.racks == 4).all()
    values = u.values.ravel()
    running = values > 0.5
    busy = values[values > 0.8]
    assert abs(busy.mean() - 0.9) < 0.005  # mean near the busy level
    # a 15 min dip in an hour: 0.75 x busy + 0.25 x 0.1 ~ 0.70
    dips = values[(values > 0.6) & (values < 0.8)]
    assert abs(dips.mean() - (0.75 * 0.9 + 0.25 * 0.1)) < 0.02
    # one dip per checkpoint interval of running time (noise +-5 sigma stays above 0.8)
    assert dips.size / running.sum() == pytest.approx(1 / 4, rel=0.1)
    # idle gaps exist and sit at the idle level; busy fraction ~ 48 / (48 + 6)
    idle = values[~running]
    assert idle.size > 0 and np.all(idle == np.float32(0.05))
    assert running.mean() == pytest.approx(48 / 54, abs=0.05)


def test_all_racks_of_a_job_share_one_trace():
    w = Workload(training_share=0.5, training=Training(racks_per_job=8, job_days=0.5))
    u = workload.generate(w, racks=32, periods=48, scenarios=2)
    assert u.racks.where(u.kind == "training", drop=True).values.tolist() == [8, 8]
    per_rack = np.repeat(u.values, u.racks.values, axis=2)  # (time, scenario, rack)
    for job in (slice(0, 8), slice(8, 16)):
        assert (per_rack[:, :, job] == per_rack[:, :, job.start, None]).all()
    assert not np.array_equal(per_rack[:, :, 0], per_rack[:, :, 8])  # jobs are independent


def test_inference_peaks_in_local_daytime_and_drops_at_weekends():
    params = Inference(noise=0.0, peak_hour=14.0, weekend_factor=0.8)
    # 2025-06-02 is a Monday; Oslo is UTC+2 in summer
    u = workload.inference(params, racks=4, start="2025-06-02", periods=24 * 7)
    series = u.isel(scenario=0, group=0).to_series()
    monday = series.iloc[:24]
    # the step starting 11:00 UTC has its middle at 13:30 local, the nearest to 14:00
    assert monday.idxmax().hour in (11, 12)
    assert monday.idxmin().hour in (23, 0)
    assert monday.max() == pytest.approx(params.peak, abs=0.01)
    saturday = series.iloc[24 * 5 : 24 * 6]
    np.testing.assert_allclose(saturday.values, 0.8 * monday.values, rtol=1e-5)


def test_inference_noise_is_centred():
    u = workload.inference(Inference(noise=0.05), racks=40, periods=24 * 14, scenarios=4)
    clean = workload.inference(Inference(noise=0.0), racks=40, periods=24 * 14)
    assert abs(float((u - clean.isel(scenario=0)).mean())) < 0.005


def test_generates_a_year_of_many_groups_quickly():
    u = workload.generate(Workload(), racks=100, periods=8760, scenarios=20)
    assert u.sizes == {"time": 8760, "scenario": 20, "group": 17}
    train = u.where(u.kind == "training").mean().item()
    assert 0.8 < train < 0.9


def test_a_second_stream_is_independent_and_stream_zero_is_the_default():
    base = workload.generate(workload.Workload(), racks=12, periods=48, scenarios=2, seed=3)
    zero = workload.generate(
        workload.Workload(), racks=12, periods=48, scenarios=2, seed=3, stream=0
    )
    other = workload.generate(
        workload.Workload(), racks=12, periods=48, scenarios=2, seed=3, stream=1
    )
    xr.testing.assert_identical(base, zero)
    assert not np.array_equal(base.values, other.values)
    with pytest.raises(ValueError, match="stream"):
        workload.generate(workload.Workload(), racks=12, periods=2, stream=-1)


# ----------------------------------------------------------------------------- readers


def _frame(n=6, freq="1h"):
    times = pd.date_range("2025-03-01", periods=n, freq=freq)
    return pd.DataFrame({"time": times, "r0": np.linspace(0, 1, n), "r1": np.full(n, 0.5)}).astype(
        {"r1": float}
    )


def test_read_csv_round_trip(tmp_path):
    path = tmp_path / "u.csv"
    _frame().to_csv(path, index=False)
    u = workload.read_csv(path, racks={"r0": 8, "r1": 2}, kind=["training", "inference"])
    assert u.dims == ("time", "scenario", "group") and u.dtype == np.float32
    assert u.group.values.tolist() == ["r0", "r1"] and u.racks.values.tolist() == [8, 2]
    np.testing.assert_allclose(u.isel(scenario=0).values, _frame()[["r0", "r1"]].values, 1e-6)


def test_read_csv_converts_local_time_to_utc(tmp_path):
    path = tmp_path / "u.csv"
    _frame().to_csv(path, index=False)
    u = workload.read_csv(path, timezone="Europe/Oslo")
    assert pd.Timestamp(u.time.values[0]) == pd.Timestamp("2025-02-28 23:00")


def test_read_netcdf_round_trip(tmp_path):
    generated = workload.generate(Workload(), racks=12, periods=10, scenarios=1)
    path = tmp_path / "u.nc"
    generated.isel(scenario=0, drop=True).to_netcdf(path)
    back = workload.read_netcdf(path)
    xr.testing.assert_equal(back, generated)


@pytest.mark.parametrize(
    ("change", "kwargs", "match"),
    [
        (lambda f: f, {"columns": ["r0", "r9"]}, r"columns: \['r9'\]"),
        (lambda f: f, {"time_column": "t"}, "time_column"),
        (lambda f: f.assign(r1=[0.5, 1.2, 0.5, -0.1, 0.5, 0.5]), {}, "2 values outside"),
        (lambda f: f.drop(index=2), {}, "not evenly spaced"),
        (lambda f: f.assign(r0="busy"), {}, "'r0' has non-numeric"),
        (lambda f: f, {"kind": "batch"}, "kind"),
        (lambda f: f, {"racks": [1, 2, 3]}, "racks"),
    ],
)
def test_read_csv_errors_name_the_problem(tmp_path, change, kwargs, match):
    path = tmp_path / "u.csv"
    change(_frame()).to_csv(path, index=False)
    with pytest.raises(ValueError, match=match):
        workload.read_csv(path, **kwargs)


def test_read_netcdf_errors(tmp_path):
    path = tmp_path / "u.nc"
    xr.Dataset(
        {"load": ("time", [0.1, 0.2])}, {"time": pd.date_range("2025", periods=2)}
    ).to_netcdf(path)
    with pytest.raises(ValueError, match="variable: 'utilization'"):
        workload.read_netcdf(path)
    assert workload.read_netcdf(path, "load").sizes["group"] == 1


def test_threads_draw_the_same_numbers_as_one_thread(monkeypatch):
    """Scenarios are drawn in threads; each has its own generator, so the order is free."""
    mix = Workload(training_share=0.5)
    threaded = workload.generate(mix, 40, periods=200, scenarios=5, seed=2, stream=1)
    monkeypatch.setattr(workload, "_threads", lambda: 1)
    serial = workload.generate(mix, 40, periods=200, scenarios=5, seed=2, stream=1)
    np.testing.assert_array_equal(threaded.values, serial.values)
