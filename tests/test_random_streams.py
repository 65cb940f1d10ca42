"""Counter-based streams: known answers, range, and independence from the batch."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from sim import rng
from sim.distributions import Beta, TruncatedNormal, Uniform

# Random123's published known-answer vectors for Philox4x32-10 (counter, key, output).
KAT = [
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((0xFFFFFFFF,) * 4, (0xFFFFFFFF,) * 2, (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0),
     (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)),
]


@pytest.mark.parametrize(("counter", "key", "expected"), KAT)
def test_philox_known_answers(counter, key, expected):
    assert tuple(int(w) for w in rng.philox4x32(counter, key)) == expected


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 2**64 - 1), st.integers(1, 300), st.data())
def test_a_runs_draws_do_not_depend_on_its_batch(seed, size, data):
    i = data.draw(st.integers(0, size - 1))
    offset = data.draw(st.integers(0, 2**40))
    batch = rng.Streams(seed, np.arange(offset, offset + size)).slots(rng.EVENTS, 5, round_=3)
    alone = rng.Streams(seed, np.array([offset + i])).slots(rng.EVENTS, 5, round_=3)
    assert batch[i].tobytes() == alone[0].tobytes()


def test_uniforms_are_open_unit_and_look_uniform():
    u = rng.Streams(1, np.arange(200_000)).slots(rng.PARAMETERS, 1)[:, 0]
    assert u.min() > 0.0 and u.max() < 1.0
    assert abs(u.mean() - 0.5) < 0.003 and abs(u.var() - 1 / 12) < 0.002
    counts = np.histogram(u, bins=20, range=(0, 1))[0]
    assert special.chdtrc(19, ((counts - 10_000) ** 2 / 10_000).sum()) > 1e-4


def test_streams_seeds_and_keys_differ():
    s = rng.Streams(1, np.arange(1000))
    a, b = s.slots(rng.EVENTS, 1), s.slots(rng.AFTERMATH, 1)
    c = rng.Streams(2, np.arange(1000)).slots(rng.EVENTS, 1)
    assert abs(np.corrcoef(a[:, 0], b[:, 0])[0, 1]) < 0.1 and not np.array_equal(a, c)


def test_seed_out_of_range_is_refused():
    with pytest.raises(ValueError, match="seed"):
        rng.Streams(2**64, np.arange(3))


def test_beta_table_matches_exact_quantiles():
    u = np.linspace(1e-9, 1 - 1e-9, 20001)
    for mean, sd in ((0.25, 0.1), (0.9, 0.05), (0.5, 0.2), (0.7, 0.1)):
        dist = Beta(mean, sd)
        exact = special.betaincinv(*dist.shape, u)
        assert np.abs(dist.quantile(u) - exact).max() < 1e-6


def test_truncated_normal_and_uniform_respect_their_bounds():
    u = rng.Streams(3, np.arange(50_000)).slots(rng.PARAMETERS, 1)[:, 0]
    x = TruncatedNormal(0.9, 0.3, 0.0, 1.0).quantile(u)
    assert x.min() >= 0 and x.max() <= 1 and 0.6 < x.mean() < 0.9
    y = Uniform(0.2, 0.4).quantile(u)
    assert y.min() >= 0.2 and y.max() <= 0.4
