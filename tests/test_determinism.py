"""The same scenario, seed and settings give the same numbers, bit for bit, in any batch."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.loader import load
from sim.replay import replay
from sim.spec import compile_scenario

HELSINKI = compile_scenario(load("helsinki-2018"))
GENEVA = compile_scenario(load("geneva-1955"))  # four leaders, whose runs sit in six orders (sim.seating)


def arrays(outcome, i=None):
    """Every per-run array of an outcome (run ``i`` only, if given), flattened to bytes."""
    out = {}
    for name in outcome.__dataclass_fields__:
        value = getattr(outcome, name)
        items = value.items() if isinstance(value, dict) else [("", value)]
        for key, v in items:
            if isinstance(v, np.ndarray):
                out[f"{name}.{key}"] = (v[..., i] if i is not None else v).tobytes()
    return out


@settings(max_examples=25, deadline=None)
@given(st.sampled_from([HELSINKI, GENEVA]), st.integers(1, 400), st.integers(0, 2**63), st.data())
def test_run_i_of_any_batch_equals_run_i_alone(spec, size, seed, data):
    i = data.draw(st.integers(0, size - 1))
    first = data.draw(st.integers(0, 10**9))
    batch = replay(spec, size, seed, first_run=first)
    alone = replay(spec, 1, seed, first_run=first + i)
    assert arrays(batch, i) == arrays(alone, 0)


def test_chunk_size_changes_nothing():
    for spec in (HELSINKI, GENEVA):
        a = replay(spec, 1000, 42, chunk=1000)
        b = replay(spec, 1000, 42, chunk=97)
        assert arrays(a) == arrays(b)


def test_same_seed_same_numbers_other_seed_other_numbers():
    a, b, c = (replay(HELSINKI, 300, s) for s in (5, 5, 6))
    assert arrays(a) == arrays(b)
    assert arrays(a)["parts."] != arrays(c)["parts."]


def test_tracing_does_not_change_the_numbers():
    plain, traced = replay(HELSINKI, 50, 9), replay(HELSINKI, 50, 9, trace=True)
    kept = arrays(traced)
    assert arrays(plain) == {k: v for k, v in kept.items() if not k.startswith("go_no_go.")}
    assert len(traced.trace) >= 1 and traced.go_no_go and not plain.go_no_go   # what tracing adds, and only that
