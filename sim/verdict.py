"""The verdict rule: who comes out ahead, by a rule fixed before any result was looked at.

Gains are judgements on a common scale, and the directly set terms that enter them (status value,
meeting cost, the reward for firmness, symbolic issues) carry sourced ranges about 0.05 to 0.15
wide. A difference smaller than that lies inside the model's own input uncertainty, so it is
treated as no difference: a region of practical equivalence (Kruschke 2018, *Advances in Methods
and Practices in Psychological Science* 1), as in equivalence testing (Schuirmann's two one-sided
tests, 1987). Its half-width ``EQUIVALENCE`` is one global constant (written in sim.defaults, so that the command
line can show it without loading NumPy). It is not a scenario field
and is never fitted to history; ``--equivalence`` exists only to show how a verdict moves with it.

In one replay a leader is *ahead* when its net gain exceeds every other leader's by more than
delta; otherwise the replay is *even*. Over the replays a leader **comes out ahead** when

1. its mean net gain exceeds every other leader's by more than delta, and
2. it is ahead in a larger share of replays than any other leader is, and than are even.

Each criterion is judged on its 95% interval: it *holds* when the interval lies wholly past the
threshold, *fails* when it lies wholly short of it, and is *open* otherwise. A leader for whom
both hold comes out ahead. If no one does, but some leader fails neither, the verdict is **too
close to call** between those leaders and no clear winner: more replays would decide it, and a
smaller and a larger batch of one seed cannot name opposite verdicts. Otherwise there is **no
clear winner**.

Plain numbers in, plain data out: this module knows nothing of scenarios, files or printing.
"""

from __future__ import annotations

import math

import numpy as np

from sim.defaults import EQUIVALENCE
from sim.stats import Z95, mean_ci, part_of, parts_of, wilson, with_interval

RULE = "region of practical equivalence: ahead by more than delta in mean net gain and in the most replays"
DIRECTLY_SET = "directly set terms (status value, meeting cost, firmness reward, symbolic issues)"
EVEN = "even"
AHEAD, TOO_CLOSE, NO_WINNER = "ahead", "too close to call", "no clear winner"


def rule_text(delta: float) -> str:
    """The rule in words, as every view that shows a verdict states it beside it (after 'the rule,
    fixed in advance: ')."""
    return (f"a leader is ahead in a replay when its net gain exceeds every other's by more than {delta:z.2f} "
            "(1 = its whole stakes), and the replay is even otherwise; it comes out ahead when its mean gain "
            "does so and it is ahead in more replays than any other leader and than are even, each judged on "
            "its 95% interval")


def even_label(delta: float, leaders: int) -> str:
    """What 'even' means, as a table row says it: between two leaders, within delta of each other;
    at a table of three or more, no one ahead of every other by more than delta (gains of 0.30,
    0.25 and 0.00 are even, though not all within delta)."""
    return f"even (within {delta:z.2f})" if leaders == 2 else f"even (no one ahead by more than {delta:z.2f})"


def classes(gain: np.ndarray, delta: float = EQUIVALENCE) -> np.ndarray:
    """Per run, the index of the leader whose gain exceeds every other's by more than ``delta``,
    or -1 where the run is even. ``gain`` is ``(leaders, runs)``."""
    best = gain.argmax(axis=0)
    top = gain.max(axis=0)
    second = np.partition(gain, -2, axis=0)[-2]
    return np.where(top - second > delta, best, -1)


def _judge(low: float, high: float, threshold: float) -> str:
    if low > threshold:
        return "holds"
    if high <= threshold:
        return "fails"
    return "open"


def _combine(judgements: list[str]) -> str:
    if "fails" in judgements:
        return "fails"
    return "holds" if all(j == "holds" for j in judgements) else "open"


def _share_gap(a: int, b: int, n: int) -> dict:
    """The difference of two class shares of one multinomial sample, with its 95% interval."""
    pa, pb = a / n, b / n
    d = pa - pb
    half = Z95 * math.sqrt(max(pa + pb - d * d, 0.0) / n)
    return {"mean": d, "low": d - half, "high": d + half}


def decide(gain: np.ndarray, keys: tuple[str, ...] | list[str], delta: float = EQUIVALENCE) -> dict | None:
    """The verdict over the runs of ``gain`` ``(leaders, runs)``; None when there are no runs."""
    keys = list(keys)
    n = gain.shape[1]
    if n == 0:
        return None
    cls = classes(gain, delta)
    counts = [int((cls == i).sum()) for i in range(len(keys))]
    even = n - sum(counts)
    means = gain.mean(axis=1)
    criteria = {}
    for i, key in enumerate(keys):
        mean_gaps = [mean_ci(gain[i] - gain[j]) for j in range(len(keys)) if j != i]
        share_gaps = [_share_gap(counts[i], c, n) for j, c in enumerate([*counts, even]) if j != i]
        criteria[key] = {
            "mean_gain": _combine([_judge(g["low"], g["high"], delta) for g in mean_gaps]),
            "share_ahead": _combine([_judge(g["low"], g["high"], 0.0) for g in share_gaps]),
            "closest_mean_gap": min(mean_gaps, key=lambda g: g["mean"]),
            "closest_share_gap": min(share_gaps, key=lambda g: g["mean"]),
        }
    winner = next((k for k, c in criteria.items() if c["mean_gain"] == c["share_ahead"] == "holds"), None)
    candidates = [] if winner else [k for k, c in criteria.items() if "fails" not in (c["mean_gain"], c["share_ahead"])]
    outcome = AHEAD if winner else (TOO_CLOSE if candidates else NO_WINNER)
    lead = winner or keys[int(np.argmax(means))]
    shares = {k: _share(c, n) for k, c in zip(keys, counts, strict=True)}
    shares[EVEN] = _share(even, n)
    return {
        "rule": RULE,
        "delta": delta,
        "outcome": outcome,
        "winner": winner,
        "candidates": candidates,
        "lead": lead,
        "runs": int(n),
        "shares": shares,
        "margin": mean_ci(margin_of(gain, keys.index(lead))),
        "mean_gain": {k: float(m) for k, m in zip(keys, means, strict=True)},
        "ranking": [keys[i] for i in np.argsort(-means, kind="stable")],
        "criteria": criteria,
    }


def _share(count: int, n: int) -> dict:
    low, high = wilson(count, n)
    return {"p": count / n, "low": low, "high": high}


def margin_of(gain: np.ndarray, lead: int) -> np.ndarray:
    """Per run, leader ``lead``'s gain less the best of the others' gains."""
    return gain[lead] - np.delete(gain, lead, axis=0).max(axis=0)


def rests_on(parts: np.ndarray, direct: np.ndarray, lead: int) -> dict[str, float]:
    """How the mean margin of leader ``lead`` splits into the parts of the gain, and how much of
    it the directly set terms make. Each run compares the leader with the best of the others in
    that run, so the parts add up to the mean margin exactly."""
    gain = parts.sum(axis=1)
    others = np.delete(np.arange(gain.shape[0]), lead)
    rival = others[np.argmax(gain[others], axis=0)]
    runs = np.arange(gain.shape[1])
    split = {name: float((parts[lead, j] - parts[rival, j, runs]).mean()) for j, name in enumerate(PART_NAMES)}
    split["directly set"] = float((direct[lead] - direct[rival, runs]).mean())
    return split


PART_NAMES = ("substantive", "status", "domestic", "alliance")


ROUNDING = 1e-9  # a margin below this is the float rounding of its parts, not a difference (delta 0)


def margin_split(verdict: dict) -> list[tuple[str, float, float | None]]:
    """The mean margin's parts and its directly set terms, each as ``(name, amount, share)``.

    The share of the margin is given only where the margin is more than delta: a smaller one is
    no difference under the rule, and the shares of almost nothing run to thousands of per cent
    when large parts cancel (at Camp David 1978, +0.114 of substance against -0.119 of alliance)."""
    split, total = verdict["rests_on"], verdict["margin"]["mean"]
    shared = abs(total) > max(verdict["delta"], ROUNDING)
    return [(name, split[name], split[name] / total if shared else None) for name in (*PART_NAMES, "directly set")]


def split_text(verdict: dict) -> str:
    """The split of the mean margin in one line: shares where the margin is more than delta,
    amounts otherwise."""
    total = verdict["margin"]["mean"]
    rows = margin_split(verdict)
    if rows[0][2] is None:
        return (f"the mean margin {total:+z.3f} is within {verdict['delta']:z.2f}, too small to share out; by part: "
                + ", ".join(f"{name} {amount:+z.3f}" for name, amount, _ in rows[:-1]))
    shares = ", ".join(f"{name} {shown}" for (name, _, _), shown in zip(rows[:-1], parts_of([r[2] for r in rows[:-1]]),
                                                                        strict=True))
    return f"the mean margin {total:+z.3f} comes from: {shares}"


def text(verdict: dict | None, names: dict[str, str]) -> str:
    """The verdict in words: 'Vladimir Putin comes out ahead', 'too close to call: ...', 'no clear winner'."""
    if verdict is None:
        return "no replays"
    if verdict["outcome"] == AHEAD:
        return f"{names[verdict['winner']]} comes out ahead"
    if verdict["outcome"] == TOO_CLOSE:
        return "too close to call: " + " or ".join([names[k] for k in verdict["candidates"]] + [NO_WINNER])
    return NO_WINNER


WEIGHTS = tuple(round(0.1 * i, 1) for i in range(21))  # how the directly set terms are counted: 0 to 2 times


def direct_weights(gain: np.ndarray, direct: np.ndarray, keys: tuple[str, ...] | list[str],
                   delta: float = EQUIVALENCE, as_set: dict | None = None) -> dict:
    """Over what weight of the directly set terms the verdict holds: a threshold analysis.

    Why. The directly set terms (status value, meeting cost, firmness reward, symbolic issues)
    are judgements written into a scenario, not outcomes of bargaining; a reader should know
    whether the verdict needs them as set, or would stand were they half as large or twice. A
    threshold analysis (Pauker & Kassirer 1980, "The threshold approach to clinical decision
    making", *New England Journal of Medicine* 302(20)) finds where an input must move before the
    decision changes. All the terms are scaled by one factor: their sizes relative to each other
    are sourced, and it is their common size that a reader doubts; ``summit screen`` moves each
    random input, these among them, one at a time within its sourced range.

    The rule is applied to the same replays with the terms counted at each weight of ``WEIGHTS``
    (1: as set; 0: taken out, the lens "without the directly set terms"), walking out from 1 while
    the verdict stays the same. Like that lens it is an accounting of the same replays: the
    leaders decided, offered and signed as they did. ``low``..``high`` is where the verdict holds;
    ``below`` and ``above`` are the verdicts one step outside (outcome, winner and candidates,
    what ``text`` needs), or None at the ends of the range. ``as_set`` is ``decide``'s verdict on
    ``gain`` where the caller has it already."""
    def at(weight: float) -> dict:
        return decide(gain + (weight - 1.0) * direct, keys, delta)

    def answer(v: dict) -> dict:
        return {"outcome": v["outcome"], "winner": v["winner"], "candidates": v["candidates"]}

    def walk(step: int) -> tuple[float, dict | None]:
        """From weight 1 in steps of ``step``: the last weight with the same verdict, and the next one's."""
        i = WEIGHTS.index(1.0)
        while 0 <= i + step < len(WEIGHTS):
            outside = answer(at(WEIGHTS[i + step]))
            if outside != base:
                return WEIGHTS[i], outside
            i += step
        return WEIGHTS[i], None

    base = answer(as_set or at(1.0))
    (low, below), (high, above) = walk(-1), walk(1)
    return {"low": low, "high": high, "below": below, "above": above,
            "range": [WEIGHTS[0], WEIGHTS[-1]], "step": WEIGHTS[1]}


def weights_text(weights: dict, names: dict[str, str]) -> str:
    """Over what weight of the directly set terms the verdict holds, in words (sim.verdict.direct_weights)."""
    low, high, step = weights["low"], weights["high"], weights["step"]
    said = f"the verdict holds with the directly set terms counted {weight_range(weights)}"
    if weights["below"] is not None:
        said += f"; at {low - step:.1f} times: {text(weights['below'], names)}"
    if weights["above"] is not None:
        said += f"; at {high + step:.1f} times: {text(weights['above'], names)}"
    return said


def weight_range(weights: dict) -> str:
    """The weights of the directly set terms at which the verdict holds, in words: a range, or
    only the weight as set where one step either way changes it."""
    low, high = weights["low"], weights["high"]
    return "only as set (1 times their weight)" if low == high else f"at {low:g} to {high:g} times their weight"


def lens_margin(lens: dict, names: dict[str, str], interval: bool = True) -> str:
    """The margin a lens's verdict rests on: that of the leader it names, or else of the one it
    leans to, which need not be the leader of the whole verdict (Vienna 1979 leans to Brezhnev,
    and to Carter without the directly set terms), so a margin is never shown beside a name it
    does not belong to."""
    m = lens["margin"]
    said = f"margin {with_interval(m) if interval else format(m['mean'], '+z.3f')}"
    if lens["winner"]:
        return said
    if leans(lens):
        return f"leans to {names[lens['lead']]}, {said}"
    return f"leans to no one: {no_lean(lens, names)}; {said}"


def substance_text(verdict: dict, names: dict[str, str], glue: str = ": ") -> str:
    """The verdict with the directly set terms taken out of the same replays, in words."""
    lens = verdict["substance_only"]
    return f"without the directly set terms{glue}{lens['text']} ({lens_margin(lens, names)})"


def rests_on_text(verdict: dict, names: dict[str, str]) -> str:
    """What a verdict rests on, in one sentence: the verdict without the directly set terms, and
    the share of the mean margin that they make."""
    said, total = substance_text(verdict, names, ", "), verdict["margin"]["mean"]
    _, amount, share = margin_split(verdict)[-1]
    if share is None:
        said += f"; {DIRECTLY_SET} add {amount:+z.3f} to a mean margin of {total:+z.3f}"
    else:
        said += f"; {DIRECTLY_SET} make {part_of(share)} of the mean margin {total:+z.3f}"
    weights = weights_text(verdict["direct_weights"], names)
    return f"What it rests on: {said}. {weights[0].upper()}{weights[1:]}."


def lean(verdict: dict, names: dict[str, str], even_cancelled: float | None = None) -> str:
    """Which way a verdict that names no winner leans, and why, from its class shares."""
    lead = verdict["lead"]
    parts = []
    classes_by_size = sorted(verdict["shares"].items(), key=lambda kv: -kv[1]["p"])
    for key, share in classes_by_size:
        if share["p"] < 0.005:
            continue
        if key == EVEN:
            why = f" ({even_cancelled:.0%} of them cancelled)" if even_cancelled else ""
            parts.append(f"even in {share['p']:.0%} of replays{why}")
        else:
            parts.append(f"{names[key]} ahead in {share['p']:.0%}")
    m = verdict["margin"]["mean"]
    head = (f"leans to {names[lead]} (mean margin {m:+z.3f})" if leans(verdict)
            else f"leans to no one ({no_lean(verdict, names)})")
    return f"{head}: " + "; ".join(parts)


def no_lean(verdict: dict, names: dict[str, str]) -> str:
    """Why a verdict that names no winner leans to no one, in words. At a table of three or more
    each other leader is best in some replays, so the leader with the highest mean gain can trail
    the best of the others on average; and where every mean gain is the same as printed (a meeting
    never held, nothing directly set), no leader has the highest, and none is named as if it had."""
    gains = {format(g, "+z.3f") for g in verdict["mean_gain"].values()}
    if len(gains) == 1:
        return f"every leader's mean gain is {gains.pop()}"
    lead, m = verdict["lead"], verdict["margin"]["mean"]
    others = [name for key, name in names.items() if key != lead]
    best = others[0] if len(others) == 1 else "the best of the others"
    behind = f"trails {best} by {-m:.3f}" if round(m, 3) < 0 else f"is level with {best}"
    return f"{names[lead]} has the highest mean gain but {behind} on average"


def leans(verdict: dict) -> bool:
    """Whether a verdict that names no winner leans to its leading leader at all: at a table of
    three or more, the leader with the highest mean gain can still fall short of the best of the
    others on average (each other leader is best in some replays), and a margin of -0.004 or of
    +0.000 as printed is no lean."""
    return round(verdict["margin"]["mean"], 3) > 0
