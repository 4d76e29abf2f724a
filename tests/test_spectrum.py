"""Training swings in the frequency domain: the square wave's analytic harmonics, the
mitigations (power smoothing, storage) against their transfer functions and balances,
and the swing limits."""

import math

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from powermodel import spectrum

HIGH, LOW = 1.2e6, 0.4e6  # one job: 1.2 MW computing, 0.4 MW communicating


@pytest.mark.parametrize("duty", [0.5, 0.7, 0.85])
def test_square_wave_harmonics_match_the_fourier_series(duty):
    """A job of period 2 s sampled at 1 ms for 40 whole periods: each harmonic n / T has
    the amplitude (2 dP / (n pi)) |sin(n pi d)| of the rectangular pulse train."""
    period, dt = 2.0, 1e-3
    trace = spectrum.training_trace(80.0, dt, period, duty, HIGH, LOW)
    expected = spectrum.square_wave_harmonics(HIGH - LOW, duty, 10)
    for n, amplitude in enumerate(expected, start=1):
        f = n / period
        got = spectrum.band_amplitude(trace, dt, f - 0.01, f + 0.01)
        # sampling a discontinuity: the error is of order dP dt / T
        assert got == pytest.approx(amplitude, abs=2e-3 * (HIGH - LOW)), n
    # the mean is the duty-weighted level, to a sample (dt / T)
    assert float(trace.mean()) == pytest.approx(LOW + duty * (HIGH - LOW), abs=dt / period * HIGH)


def test_phase_diversity_cancels_the_fundamental():
    """Two jobs half a period apart (duty 0.5): their fundamentals cancel; in lock-step
    they add."""
    period, dt = 1.0, 1e-3
    lock = spectrum.training_trace(40.0, dt, period, 0.5, HIGH, LOW, offsets=(0.0, 0.0))
    spread = spectrum.training_trace(40.0, dt, period, 0.5, HIGH, LOW, offsets=(0.0, 0.5))
    band = (0.5, 1.5)
    fundamental = spectrum.square_wave_harmonics(HIGH - LOW, 0.5, 1)[0]
    assert spectrum.band_amplitude(lock, dt, *band) == pytest.approx(2 * fundamental, rel=1e-2)
    assert spectrum.band_amplitude(spread, dt, *band) < 1e-3 * fundamental
    assert spectrum.ramp_rate(spread, dt) <= spectrum.ramp_rate(lock, dt)


def test_ramp_time_sets_the_ramp_rate_and_checkpoints_pause():
    dt = 1e-3
    trace = spectrum.training_trace(10.0, dt, 1.0, 0.6, HIGH, LOW, ramp_time=0.1)
    assert spectrum.ramp_rate(trace, dt) == pytest.approx((HIGH - LOW) / 0.1, rel=1e-6)
    paused = spectrum.training_trace(
        10.0, dt, 1.0, 0.6, HIGH, LOW, checkpoint_every=5.0, checkpoint_length=1.0
    )
    assert np.all(paused[4000:5000] == LOW)
    with pytest.raises(ValueError, match="duty"):
        spectrum.training_trace(1.0, dt, 1.0, 1.0, HIGH, LOW)
    with pytest.raises(ValueError, match="ramp_time"):
        spectrum.training_trace(1.0, dt, 1.0, 0.9, HIGH, LOW, ramp_time=0.2)


@settings(max_examples=25, deadline=None)
@given(limit=st.floats(0.5e6, 50e6), duty=st.floats(0.3, 0.8))
def test_a_ramp_limit_reduces_band_amplitude_and_costs_energy(limit, duty):
    """Power smoothing: the limited trace never ramps faster than the limits, its
    oscillation in the 0.1-20 Hz bands is no larger than the demand's, and it never
    draws less energy than the demand (the floor's burned energy is the cost)."""
    period, dt = 1.0, 1e-3
    demand = spectrum.training_trace(30.0, dt, period, duty, HIGH, LOW)
    limited, extra = spectrum.ramp_limited(demand, dt, up=limit, down=limit)
    assert spectrum.ramp_rate(limited, dt) <= limit * (1 + 1e-9)
    settled = slice(10_000, None)  # after the start-up transient: 20 whole periods
    for band in ((0.5, 1.5), (1.5, 20.0)):  # the fundamental, and the harmonics to 20 Hz
        before = spectrum.band_amplitude(demand[settled], dt, *band)
        after = spectrum.band_amplitude(limited[settled], dt, *band)
        assert after <= before * (1 + 1e-6) + 1.0, band
    # the square wave falls faster than any limit here: the floor burns energy every fall
    assert extra > 0.0


@settings(max_examples=25, deadline=None)
@given(share=st.floats(0.0, 1.0), duty=st.floats(0.3, 0.8))
def test_a_power_floor_shrinks_every_harmonic_by_the_swing_it_removes(share, duty):
    """Floor at low + share (high - low): each band amplitude scales by (1 - share), as the
    square wave's Fourier series says, and the energy burned is the floor's lift over the
    communication phases."""
    period, dt = 1.0, 1e-3
    demand = spectrum.training_trace(10.0, dt, period, duty, HIGH, LOW)
    floor = LOW + share * (HIGH - LOW)
    floored, burned = spectrum.power_floor(demand, dt, floor)
    for band in ((0.5, 1.5), (1.5, 20.0)):
        before = spectrum.band_amplitude(demand, dt, *band)
        after = spectrum.band_amplitude(floored, dt, *band)
        assert after == pytest.approx((1 - share) * before, rel=1e-9, abs=1e-6)
    communicating = int(np.sum(demand == LOW))
    assert burned == pytest.approx(communicating * (floor - LOW) * dt, rel=1e-12, abs=1e-9)


def test_bad_traces_name_the_argument():
    trace = spectrum.training_trace(2.0, 1e-3, 1.0, 0.5, HIGH, LOW)
    with pytest.raises(ValueError, match="dt: must be"):
        spectrum.ramp_rate(trace, 0.0)
    with pytest.raises(ValueError, match="power: needs a 1-d trace"):
        spectrum.band_amplitude(trace[:1], 1e-3, 0.5, 1.5)
    with pytest.raises(ValueError, match="duty"):
        spectrum.square_wave_harmonics(1.0, 1.5, 3)


# ---------------------------------------------------------------- mitigations as kernels


def _ramp_loop(power, dt, up, down):
    """The ramp limit as first written: a Python loop, no hysteresis."""
    out = np.empty_like(power)
    out[0] = power[0]
    for k in range(1, len(power)):
        out[k] = out[k - 1] + min(max(power[k] - out[k - 1], -down * dt), up * dt)
    return out


def test_ramp_limited_through_the_kernel_matches_the_loop():
    rng = np.random.default_rng(4)
    demand = rng.uniform(0.2e6, 1.5e6, 2000)
    limited, extra = spectrum.ramp_limited(demand, 1e-3, up=3e8, down=1e8)
    expected = _ramp_loop(demand, 1e-3, 3e8, 1e8)
    np.testing.assert_allclose(limited, expected, rtol=1e-12)
    assert extra == pytest.approx(np.sum(np.maximum(expected - demand, 0.0)) * 1e-3, rel=1e-12)


def test_hysteresis_holds_the_power_then_ramps_down():
    """A step from 1 MW to 0.2 MW at t = 1 s, sampled every 10 ms: with 50 ms of
    hysteresis the drawn power holds five samples, then falls 1 MW/s (10 kW a sample)
    to the floor of 0.5 MW; the burned energy is the area between drawn and demand."""
    dt = 0.01
    demand = np.where(np.arange(300) < 100, 1e6, 0.2e6)
    result = spectrum.power_smoothing(
        demand, dt, floor=0.5e6, ramp_down=1e6, hysteresis=0.05, backend="numpy"
    )
    drawn = result.power
    assert np.all(drawn[:105] == 1e6)  # samples 100..104 held
    np.testing.assert_allclose(drawn[105:110], 1e6 - 1e4 * np.arange(1, 6))
    fall_end = 105 + 50  # 0.5 MW in 10 kW steps
    np.testing.assert_allclose(drawn[fall_end - 1 :], 0.5e6)
    burned = np.sum(drawn - demand) * dt
    assert result.energy == pytest.approx(burned, rel=1e-12)
    assert result.deferred == 0.0
    # the numba kernel gives the same
    compiled = spectrum.power_smoothing(
        demand, dt, floor=0.5e6, ramp_down=1e6, hysteresis=0.05, backend="numba"
    )
    np.testing.assert_array_equal(compiled.power, drawn)


def test_ramp_up_limit_defers_work_without_burning():
    dt = 0.01
    demand = np.where(np.arange(100) < 10, 0.0, 1e6)
    result = spectrum.power_smoothing(demand, dt, ramp_up=1e7, backend="numpy")  # 100 kW a sample
    np.testing.assert_allclose(result.power[10:20], 1e5 * np.arange(1, 11))
    assert result.energy == 0.0
    assert result.deferred == pytest.approx(np.sum(1e6 - 1e5 * np.arange(1, 11)) * dt)


@settings(max_examples=20, deadline=None)
@given(duty=st.floats(0.3, 0.7), held=st.integers(0, 250))
def test_hysteresis_widens_the_duty_cycle_as_the_fourier_series_says(duty, held):
    """With an unlimited ramp-down, the drawn power holds ``H`` after every fall: a
    rectangular pulse train of duty ``d + H / T``, whose harmonics have the closed
    form; the burned energy is the held swing, ``dP H`` per period."""
    period, dt = 1.0, 1e-3
    hysteresis = held * dt
    if duty + hysteresis / period >= 1.0:
        hysteresis = 0.0
    demand = spectrum.training_trace(20.0, dt, period, duty, HIGH, LOW)
    result = spectrum.power_smoothing(demand, dt, hysteresis=hysteresis)
    wider = duty + hysteresis / period
    expected = spectrum.square_wave_harmonics(HIGH - LOW, wider, 3)
    for n, amplitude in enumerate(expected, start=1):
        got = spectrum.band_amplitude(result.power, dt, n - 0.01, n + 0.01)
        assert got == pytest.approx(amplitude, abs=2e-3 * (HIGH - LOW)), n
    assert result.energy == pytest.approx(20 * (HIGH - LOW) * hysteresis, rel=1e-6, abs=1e-6)


@settings(max_examples=20, deadline=None)
@given(tau=st.floats(0.02, 0.5), duty=st.floats(0.3, 0.8))
def test_storage_low_pass_shrinks_each_band_by_the_filters_gain(tau, duty):
    """Storage with enough energy and power behind a first-order low-pass: the grid sees
    the load through ``H(z) = a / (1 - (1 - a) z^-1)``, so each harmonic shrinks by
    ``|H(f)|``; above the corner ``1 / (2 pi tau)`` by at least ``1 / sqrt 2``. Lossless
    storage costs no energy."""
    period, dt = 1.0, 1e-3
    demand = spectrum.training_trace(20.0, dt, period, duty, HIGH, LOW)
    result = spectrum.storage_smoothing(demand, dt, 1e9, 1e7, tau)
    assert np.all(result.stored > 0) and np.all(result.stored < 1e9)  # never saturated
    settled = slice(10_000, None)  # 10 s: e^(-10 / tau) of the start is left
    a = -math.expm1(-dt / tau)
    load = demand[settled]
    freq = np.fft.rfftfreq(load.size, dt)
    amplitude = 2 * np.abs(np.fft.rfft(load - load.mean())) / load.size
    gain = a / np.abs(1 - (1 - a) * np.exp(-2j * np.pi * freq * dt))
    corner = 1 / (2 * np.pi * tau)
    for band in ((0.5, 1.5), (1.5, 20.0), (corner, 20.0)):
        inside = (freq >= band[0]) & (freq < band[1])
        predicted = np.sqrt(np.sum((gain[inside] * amplitude[inside]) ** 2))
        got = spectrum.band_amplitude(result.power[settled], dt, *band)
        assert got == pytest.approx(predicted, rel=1e-3, abs=1e-6 * (HIGH - LOW)), band
        before = spectrum.band_amplitude(load, dt, *band)
        if band[0] >= corner:
            assert got <= before / math.sqrt(2) * (1 + 1e-3), band
    assert result.energy == 0.0


@settings(max_examples=40, deadline=None)
@given(
    load=hnp.arrays(np.float64, st.integers(2, 120), elements=st.floats(0.0, 2e6)),
    capacity=st.floats(1.0, 5e5),
    rating=st.floats(0.0, 2e6),
    tau=st.floats(0.0, 5.0),
    efficiency=st.floats(0.5, 1.0),
    recharge=st.sampled_from([math.inf, 0.5, 10.0]),
    ramp=st.sampled_from([math.inf, 1e6, 1e7]),
)
def test_storage_closes_its_energy_balance_every_step(
    load, capacity, rating, tau, efficiency, recharge, ramp
):
    """load = grid + discharge - charge at every sample; the stored energy walks by
    dt (charge - discharge - loss) and stays within [0, capacity]; the power within
    the rating; the reported energy is the sum of the losses."""
    dt = 0.05
    result = spectrum.storage_smoothing(
        load, dt, capacity, rating, tau, efficiency=efficiency, recharge_time=recharge,
        ramp_up=ramp, ramp_down=ramp,
    )  # fmt: skip
    scale = 1.0 + float(np.max(load))
    np.testing.assert_allclose(
        result.power + result.discharge - result.charge, load, rtol=0, atol=1e-9 * scale
    )
    walk = np.diff(np.concatenate([[0.5 * capacity], result.stored]))
    flows = dt * (result.charge - result.discharge - result.loss)
    np.testing.assert_allclose(walk, flows, rtol=0, atol=1e-9 * (capacity + scale * dt))
    assert np.all((result.stored >= 0) & (result.stored <= capacity))
    assert np.all(result.discharge <= rating * (1 + 1e-12)) and np.all(
        result.charge <= rating * (1 + 1e-12)
    )
    assert np.all((result.discharge == 0) | (result.charge == 0))
    assert result.energy == pytest.approx(np.sum(result.loss) * dt, rel=1e-12, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    demand=hnp.arrays(np.float64, st.integers(2, 120), elements=st.floats(0.0, 2e6)),
    floor=st.floats(0.0, 1e6),
    up=st.sampled_from([math.inf, 1e6, 1e8]),
    down=st.sampled_from([math.inf, 1e6, 1e8]),
    hysteresis=st.floats(0.0, 1.0),
)
def test_power_smoothing_balance_and_limits(demand, floor, up, down, hysteresis):
    """drawn = demand + burned - deferred; never below the floor (once there), never
    ramping faster than the limits; burning only, never deferring, without a ramp-up limit."""
    dt = 0.01
    result = spectrum.power_smoothing(
        demand, dt, floor=floor, ramp_up=up, ramp_down=down, hysteresis=hysteresis
    )
    drawn = result.power
    assert np.all(drawn >= floor)
    steps = np.diff(drawn)
    assert np.all(steps <= up * dt * (1 + 1e-12) + 1e-6)
    assert np.all(-steps <= down * dt * (1 + 1e-12) + 1e-6)
    burned = np.maximum(drawn - demand, 0.0)
    deferred = np.maximum(demand - drawn, 0.0)
    assert result.energy == pytest.approx(np.sum(burned) * dt, rel=1e-12, abs=1e-9)
    assert result.deferred == pytest.approx(np.sum(deferred) * dt, rel=1e-12, abs=1e-9)
    if up == math.inf:
        assert result.deferred == 0.0


def test_nan_propagates_through_the_mitigations():
    demand = np.array([1.0, np.nan, 1.0, 0.0])
    assert np.isnan(spectrum.power_smoothing(demand, 1.0).power[1:]).all()
    assert np.isnan(spectrum.storage_smoothing(demand, 1.0, 10.0, 1.0, 1.0).power[1:]).all()


# ---------------------------------------------------------------- limits and compliance


def test_compliance_of_a_square_wave():
    """1 MW swing at 1 Hz, duty 0.5, 100 ms ramps, sampled at 10 ms for 20 s: ramp 10
    MW/s, dynamic range 1 MW, fundamental (2 / pi) MW; over a one-period window the
    periodic wave does not ramp at all."""
    dt = 0.01
    trace = spectrum.training_trace(20.0 - dt / 2, dt, 1.0, 0.5, 2e6, 1e6, ramp_time=0.1)
    limits = spectrum.SwingLimits(
        ramp_rate=5e6, bands=((0.5, 1.5, 0.7e6), (1.5, 20.0, None)), dynamic_range=2e6
    )
    checks = spectrum.compliance(trace, dt, limits)
    assert checks["ramp_rate"].measured == pytest.approx(1e7, rel=1e-9)
    assert checks["ramp_rate"].held is False
    fundamental = spectrum.band_amplitude(trace, dt, 0.5, 1.5)
    assert checks["band 0.5-1.5 Hz"].measured == fundamental
    assert fundamental == pytest.approx(2e6 / np.pi, rel=2e-2)  # the ramps shave the corners
    assert checks["band 0.5-1.5 Hz"].held is True
    assert checks["band 1.5-20 Hz"].held is None  # measured, not checked
    assert checks["dynamic_range"].measured == pytest.approx(1e6)
    assert checks["dynamic_range"].held is True
    windowed = spectrum.compliance(trace, dt, spectrum.SwingLimits(ramp_rate=1.0, ramp_window=1.0))
    assert windowed["ramp_rate"].measured == pytest.approx(0.0, abs=1e-6)
    assert windowed["ramp_rate"].held is True


def test_default_limits_check_nothing():
    """No public source states numbers (SwingLimits): every default is None."""
    limits = spectrum.SwingLimits()
    assert limits.ramp_rate is None and limits.dynamic_range is None
    assert [b[:2] for b in limits.bands] == [(0.1, 1.0), (1.0, 20.0)]
    trace = spectrum.training_trace(10.0, 0.01, 1.0, 0.5, HIGH, LOW)
    assert all(check.held is None for check in spectrum.compliance(trace, 0.01, limits).values())


def _swings(values):
    values = np.asarray(values, np.float64)
    return xr.DataArray(
        values, dims=("time", "scenario"),
        coords={"time": pd.date_range("2025-01-01", periods=values.shape[0], freq="1h"),
                "scenario": np.arange(values.shape[1])},
    )  # fmt: skip


def test_scenario_compliance_scales_the_reference_job_and_costs_the_floor():
    """Unmitigated: each scenario's worst step scales the reference spectrum. A floor at
    the peak (share 1) flattens the draw and burns the communication phase's swing,
    (1 - d) dP, every second of every step."""
    swings = _swings([[1e6, 2e6, np.nan], [3e6, 0.5e6, 1e6], [0.5e6, 1e6, 1e6]])
    job = spectrum.ReferenceJob(period=5.0, duty=0.7)
    limits = spectrum.SwingLimits(ramp_rate=1e8, bands=((0.1, 1.0, 1e6), (1.0, 20.0, None)))
    result = spectrum.scenario_compliance(
        swings, job, limits, spectrum.PowerSmoothing(floor_share=1.0)
    )
    worst = np.array([3e6, 2e6, np.nan])
    np.testing.assert_array_equal(result.swing_worst_step, worst)
    direct = spectrum.training_trace(60.0 - 0.005, 0.01, 5.0, 0.7, 2e6, 0.0)
    amplitude = result.oscillation_amplitude.sel(case="unmitigated", scenario=1, band="0.1-1 Hz")
    assert float(amplitude) == pytest.approx(spectrum.band_amplitude(direct, 0.01, 0.1, 1.0))
    unmitigated = result.sel(case="unmitigated")
    assert float(unmitigated.ramp_rate_steepest[0]) == pytest.approx(3e6 / 0.01)
    assert unmitigated.ramp_limit_held.values[:2].tolist() == [0.0, 0.0]
    assert np.isnan(unmitigated.limits_held.values[2])  # unknown step: unknown compliance
    mitigated = result.sel(case="mitigated")
    np.testing.assert_allclose(mitigated.oscillation_amplitude.values[:2], 0.0, atol=1e-6)
    assert mitigated.limits_held.values[:2].tolist() == [1.0, 1.0]
    expected = 0.3 * np.array([3e6 + 1e6 + 0.5e6, 2e6 + 0.5e6 + 1e6]) * 3600.0
    np.testing.assert_allclose(result.mitigation_energy.values[:2], expected, rtol=1e-9)
    assert np.isnan(result.mitigation_energy.values[2])
    year = result.mitigation_energy_annual.values[:2] / expected
    np.testing.assert_allclose(year, 365.25 * 24 / 3)
    assert result.oscillation_amplitude.attrs["units"] == "W"
    assert result.band_limit.values[1] != result.band_limit.values[1]  # NaN: not checked


def test_scenario_compliance_with_storage_and_no_mitigation():
    swings = _swings([[1e6, 4e6], [2e6, 1e6]])
    job = spectrum.ReferenceJob(period=2.0, duty=0.6, ramp_time=0.1)
    limits = spectrum.SwingLimits(bands=((0.1, 1.0, 0.2e6), (1.0, 20.0, 0.2e6)))
    plain = spectrum.scenario_compliance(swings, job, limits)
    assert list(plain.case.values) == ["unmitigated"]
    assert (plain.mitigation_energy == 0).all()
    storage = spectrum.EnergyStorage(
        capacity=5e7, power_rating=5e6, tau=5.0, efficiency=0.9, recharge_time=60.0
    )
    result = spectrum.scenario_compliance(swings, job, limits, storage)
    before = result.oscillation_amplitude.sel(case="unmitigated")
    after = result.oscillation_amplitude.sel(case="mitigated")
    assert (after < 0.1 * before).all()
    assert result.band_limit_held.sel(case="unmitigated").values.tolist() == [[0, 0], [0, 0]]
    assert result.limits_held.sel(case="mitigated").values.tolist() == [1.0, 1.0]
    assert (result.mitigation_energy > 0).all()  # the round trip's losses


def test_bad_inputs_name_the_argument():
    trace = spectrum.training_trace(2.0, 1e-3, 1.0, 0.5, HIGH, LOW)
    with pytest.raises(ValueError, match=r"^ramp_down: must be > 0"):
        spectrum.power_smoothing(trace, 1e-3, ramp_down=0.0)
    with pytest.raises(ValueError, match=r"^hysteresis"):
        spectrum.power_smoothing(trace, 1e-3, hysteresis=-1.0)
    with pytest.raises(ValueError, match=r"^capacity"):
        spectrum.storage_smoothing(trace, 1e-3, 0.0, 1.0, 1.0)
    with pytest.raises(ValueError, match=r"^efficiency"):
        spectrum.storage_smoothing(trace, 1e-3, 1.0, 1.0, 1.0, efficiency=1.5)
    with pytest.raises(ValueError, match=r"^tau"):
        spectrum.storage_smoothing(trace, 1e-3, 1.0, 1.0, -1.0)
    with pytest.raises(ValueError, match=r"^power: needs a \(time,\)"):
        spectrum.storage_smoothing(np.zeros((2, 2, 2)), 1e-3, 1.0, 1.0, 1.0)
    with pytest.raises(ValueError, match=r"^ramp_rate"):
        spectrum.SwingLimits(ramp_rate=-1.0)
    with pytest.raises(ValueError, match=r"^bands"):
        spectrum.SwingLimits(bands=((1.0, 0.5, None),))
    with pytest.raises(ValueError, match=r"^window"):
        spectrum.ramp_rate(trace, 1e-3, window=10.0)
    with pytest.raises(ValueError, match=r"^dt: must divide"):
        spectrum.ReferenceJob(period=1.0, duty=0.5, dt=0.3)
    with pytest.raises(ValueError, match=r"^floor_share"):
        spectrum.PowerSmoothing(floor_share=2.0)
    job, limits = spectrum.ReferenceJob(period=1.0, duty=0.5), spectrum.SwingLimits()
    with pytest.raises(ValueError, match=r"^swing_power: needs dims"):
        spectrum.scenario_compliance(_swings([[1.0]]).rename(scenario="s"), job, limits)
    with pytest.raises(ValueError, match=r"^swing_power: must be finite and >= 0"):
        spectrum.scenario_compliance(_swings([[-1.0], [1.0]]), job, limits)
    with pytest.raises(TypeError, match=r"^mitigation"):
        spectrum.scenario_compliance(_swings([[1.0], [1.0]]), job, limits, mitigation=0.5)
    with pytest.raises(TypeError, match=r"^limits"):
        spectrum.compliance(trace, 1e-3, {"ramp_rate": 1.0})
