"""Which sourced input does the verdict hinge on? Each input pinned in turn at either end of its range.

Why. A verdict's intervals say how sure the replays are of the answer, given the inputs as they
are drawn, and the track record how often such answers have been history's. Neither says which of
the scenario's sourced judgements the answer rests on: what a student should argue about, and what
a researcher should look at first. Every random input is a range that its source allows. Screening
pins one input at a time at the 5th and then at the 95th percentile of its distribution, replays
the same runs (every other input draws exactly what it drew in the base replay: common random
numbers, ``sim.spec.draw``) and applies the verdict rule to each. An input at either end of which
the verdict changes is one the answer hinges on. The others are ranked by the swing in the leading
leader's mean margin between the two ends: a tornado diagram (Howard 1988, "Decision analysis:
practice and promise", *Management Science* 34(6)). One input at a time sees no interactions, and
two inputs that each leave the verdict alone may move it together; the variance-based indices of
a sweep (``summit analyze``: Sobol' 2001; Saltelli et al. 2008, *Global Sensitivity Analysis: The
Primer*) do see them, at far greater cost.

Plain data in and out: a compiled scenario, runs and a seed in; the verdicts and margins out.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from sim import rng
from sim.replay import replay_runs
from sim.spec import Spec, draw
from sim.stats import mean_ci
from sim.verdict import EQUIVALENCE, decide, margin_of

ENDS = (0.05, 0.95)  # the percentiles an input is pinned at: the ends of what its source makes likely
BATCH = 65_536  # the most replays of pinned settings replayed side by side in one call (memory stays flat)
NOTHING_TO_SCREEN = ("every parameter is a fixed value, so there is no range to screen: give some a range "
                     "(uniform, beta or normal), or see 'summit run'")


def ends(spec: Spec, path: str) -> tuple[float, float]:
    """The two values input ``path`` is pinned at: the ``ENDS`` percentiles of its distribution."""
    low, high = spec.draws[path].quantile(np.array(ENDS, dtype=float))
    return float(low), float(high)


def verdict_key(verdict: dict) -> tuple:
    """What a reader takes from a verdict: its kind, and who (the winner, or those too close to call)."""
    return verdict["outcome"], verdict["winner"], tuple(sorted(verdict["candidates"]))


def screen(spec: Spec, runs: int, seed: int, delta: float = EQUIVALENCE) -> dict:
    """The base verdict over runs ``0 .. runs - 1``, and for every random input, the verdict and the
    leading leader's mean margin with the input pinned at each end; inputs ordered by how far the
    margin swings between the ends, those that move the verdict first."""
    ids = np.arange(runs, dtype=np.uint64)
    base = replay_runs(spec, ids, seed)
    verdict = decide(base.gain, base.leaders, delta)
    lead = base.leaders.index(verdict["lead"])
    settings = [(path, end, value) for path in spec.random_paths
                for end, value in zip(("low", "high"), ends(spec, path), strict=True)]
    pinned: dict[str, dict] = {}
    for (path, end, value), gain in zip(settings, pinned_gains(spec, ids, seed, settings), strict=True):
        at = decide(gain, base.leaders, delta)
        pinned.setdefault(path, {})[end] = {"value": value, "verdict": at, "margin": mean_ci(margin_of(gain, lead)),
                                            "moves": verdict_key(at) != verdict_key(verdict)}
    inputs = [{"path": path, **at, "swing": abs(at["high"]["margin"]["mean"] - at["low"]["margin"]["mean"]),
               "moves": at["low"]["moves"] or at["high"]["moves"]} for path, at in pinned.items()]
    inputs.sort(key=lambda row: (not row["moves"], -row["swing"]))
    return {"runs": runs, "seed": seed, "delta": delta, "ends": ENDS, "verdict": verdict,
            "margin": mean_ci(margin_of(base.gain, lead)), "inputs": inputs}


def pinned_gains(spec: Spec, ids: np.ndarray, seed: int,
                 settings: list[tuple[str, str, float]]) -> Iterator[np.ndarray]:
    """Each setting's gains (leaders, runs) over the runs ``ids``, one input pinned at a value.

    The settings are replayed side by side, as a sweep replays its design points: every random
    input is fixed run by run, the pinned one at its value and every other at what that run drew
    in the base replay (``sim.spec.draw``: each input has its own key). A run fixed at what it
    draws anyway is the same run (sim.replay), so each setting's replays are bit for bit those of
    a replay of it alone, and a screen of many inputs builds one model per chunk of runs instead
    of one per setting: two to three times as fast at the few hundred replays the app screens."""
    runs = len(ids)
    drawn = draw(spec, rng.Streams(seed, ids))
    per_call = max(1, BATCH // runs)
    for first in range(0, len(settings), per_call):
        group = settings[first:first + per_call]
        fixed = {path: np.tile(drawn[path], len(group)) for path in spec.random_paths}
        for s, (path, _, value) in enumerate(group):
            fixed[path][s * runs:(s + 1) * runs] = value
        gain = replay_runs(spec, np.tile(ids, len(group)), seed, overrides=fixed).gain
        yield from (gain[:, s * runs:(s + 1) * runs] for s in range(len(group)))


def leading(inputs: list[dict], top: int) -> list[dict]:
    """The inputs a reader is shown: every one that moves the verdict, then the widest swings of
    the rest, ``top`` in all where the movers are fewer."""
    moving = [row for row in inputs if row["moves"]]
    return moving + [row for row in inputs if not row["moves"]][:max(top - len(moving), 0)]
