"""What-if comparisons on common random numbers: the difference is the change, not noise.

A variant is replayed with the baseline's seed and run ids. Every parameter's draw is addressed by
its path, so parameters the variant leaves alone take the same value in run i of both, and the
per-run differences can be averaged with a paired interval.
"""

from __future__ import annotations

import math

import numpy as np

from sim.model import Outcome
from sim.stats import Z95, mean_ci
from sim.verdict import EQUIVALENCE, classes, decide, text


def _paired(base: np.ndarray, variant: np.ndarray) -> dict:
    """Mean change with its paired 95% interval, and the width the unpaired interval would have had."""
    change = mean_ci(variant - base)
    n = base.size
    unpaired = Z95 * math.sqrt((base.var(ddof=1) + variant.var(ddof=1)) / n) if n > 1 else 0.0
    return {**change, "base": float(base.mean()), "variant": float(variant.mean()),
            "unpaired_half_width": unpaired}


def compare(base: Outcome, variant: Outcome, delta: float = EQUIVALENCE, names: dict[str, str] | None = None) -> dict:
    """Paired changes from ``base`` to ``variant``: the verdict under the rule on each side (what a
    reader asks first: does the answer change?), then each leader's gain and parts, its chance of
    being ahead by more than ``delta`` (the verdict rule's class), and the summit's mechanics
    (meeting held, deal). ``names`` words the verdicts; without them, leaders go by their keys."""
    if base.leaders != variant.leaders or not np.array_equal(base.run_ids, variant.run_ids):
        raise ValueError("a comparison needs the same leaders and the same runs on both sides")
    class_b, class_v = classes(base.gain, delta), classes(variant.gain, delta)
    leaders = {}
    for i, key in enumerate(base.leaders):
        leaders[key] = {
            "gain": _paired(base.gain[i], variant.gain[i]),
            "p_ahead": _paired((class_b == i).astype(float), (class_v == i).astype(float)),
            "parts": {name: _paired(base.parts[i, j], variant.parts[i, j])
                      for j, name in enumerate(Outcome.PART_NAMES)},
        }
    n = base.run_ids.size
    return {
        "runs": int(n),
        "leaders": leaders,
        "even": _paired((class_b == -1).astype(float), (class_v == -1).astype(float)),
        "held": _paired(base.held.astype(float), variant.held.astype(float)),
        "deal": _paired(base.deal.astype(float), variant.deal.astype(float)),
        "same_deal_state": float((base.deal == variant.deal).mean()),
        "replays_changed": float(replays_changed(base, variant).mean()),
        "verdict": _verdicts(base, variant, delta, names or {k: k for k in base.leaders}),
    }


def replays_changed(base: Outcome, variant: Outcome) -> np.ndarray:
    """Per run, whether the variant changed anything a reader is told: a leader's gain or any of
    its parts, whether the meeting was held, whether a deal was signed, or the text that stands.
    Where it changed no run, what it sets never came into play (a ceiling no offer reached, an
    adviser kept out of a room no one consulted), which a table of zero changes would not say."""
    return ((base.parts != variant.parts).any(axis=(0, 1)) | (base.held != variant.held)
            | (base.deal != variant.deal) | (base.final != variant.final).any(axis=0))


UNUSED = "never came into play here (a ceiling no offer reached, for example)"


def share_changed(share: float) -> str:
    """The share of replays a variant changed, as a reader is told it."""
    return "none" if share == 0 else "under 0.1%" if share < 0.001 else f"{share:.1%}"


def untouched_sentence(changes: dict) -> str:
    """How many replays a variant changed, and what it means where it changed none."""
    share = changes["replays_changed"]
    return f"it changed no replay: what it sets {UNUSED}" if share == 0 else \
        f"it changed {share_changed(share)} of the replays"


def _verdicts(base: Outcome, variant: Outcome, delta: float, names: dict[str, str]) -> dict:
    """Each side's verdict in words and its winner (None: no one comes out ahead), and whether the
    variant changes the verdict's outcome or winner."""
    before, after = decide(base.gain, base.leaders, delta), decide(variant.gain, variant.leaders, delta)
    said, says = text(before, names), text(after, names)
    return {"base": said, "variant": says, "base_winner": before["winner"], "variant_winner": after["winner"],
            "changed": said != says, "delta": delta}
