"""Training swings in the frequency domain: the square wave's analytic harmonics."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
