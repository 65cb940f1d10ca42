"""experiments/given_history.py: the replays that ended as the record did, and agreement counted
as docs/validation.md counts it."""

from types import SimpleNamespace

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from experiments.given_history import agrees, as_history
from sim.verdict import decide


@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=30), st.booleans(), st.booleans())
def test_a_replay_ends_as_history_did_when_held_and_deal_both_match(runs, held, deal):
    """Where the record has the meeting called off, a deal does not matter (none can be struck)."""
    was_held = np.array([h for h, _ in runs])
    struck = np.array([h and d for h, d in runs])
    history = SimpleNamespace(held=held, deal=deal and held)
    ended = as_history(was_held, struck, history)
    for i, (h, _) in enumerate(runs):
        expected = (h == held) and (not held or struck[i] == history.deal)
        assert ended[i] == expected


def test_too_close_to_call_counts_as_no_clear_winner_as_the_validation_table_does():
    rng = np.random.default_rng(4)
    gain = np.stack([rng.normal(0.1, 0.3, 400), rng.normal(0.0, 0.3, 400)])  # A leads by about delta
    verdict = decide(gain, ["a", "b"])
    assert verdict["outcome"] == "too close to call" and verdict["winner"] is None
    assert agrees(verdict, SimpleNamespace(ahead="none"))
    assert not agrees(verdict, SimpleNamespace(ahead="a"))
    assert not agrees(None, SimpleNamespace(ahead="none"))  # no replay ended as history did
    clear = decide(np.stack([np.full(50, 0.5), np.zeros(50)]), ["a", "b"])
    assert agrees(clear, SimpleNamespace(ahead="a")) and not agrees(clear, SimpleNamespace(ahead="none"))
