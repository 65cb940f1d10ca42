"""Plain numbers for the report and for ``--json``: the verdict, its lenses, its reasons, its certainty."""

from __future__ import annotations

import numpy as np

from sim import verdict as rule
from sim.model import Outcome
from sim.protocol import issue_sum
from sim.spec import Spec
from sim.stats import mean_ci, wilson

BASELINES = ("compromise", "median", "nash")


def judge(outcome: Outcome, names: dict[str, str], delta: float = rule.EQUIVALENCE) -> dict:
    """The verdict with its lenses: over all replays, given the meeting was held, given a deal,
    and without the directly set terms (taken out of the same replays); what the
    mean margin is made of; and, where no one comes out ahead, which way it leans and why."""
    keys, gain = outcome.leaders, outcome.gain
    overall = rule.decide(gain, keys, delta)
    lead = keys.index(overall["lead"])
    even = rule.classes(gain, delta) == -1
    cancelled = float((even & ~outcome.held).sum() / even.sum()) if even.any() else 0.0
    def lens(g: np.ndarray, mask: np.ndarray) -> dict | None:
        """The rule on the replays in ``mask``, with the overall leader's margin among them."""
        v = rule.decide(g[:, mask], keys, delta)
        if v is None:
            return None
        return {**v, "text": rule.text(v, names), "share_of_replays": float(mask.mean()),
                "margin_of_lead": mean_ci(rule.margin_of(g[:, mask], lead))}

    everything = np.ones(gain.shape[1], dtype=bool)
    return {
        **overall,
        "text": rule.text(overall, names),
        "lean": None if overall["winner"] else rule.lean(overall, names, cancelled),
        "given_held": lens(gain, outcome.held),
        "given_deal": lens(gain, outcome.deal),
        "substance_only": lens(gain - outcome.direct, everything),
        "direct_weights": rule.direct_weights(gain, outcome.direct, keys, delta, overall),
        "rests_on": rule.rests_on(outcome.parts, outcome.direct, lead),
    }


def summarize(outcome: Outcome, spec: Spec, delta: float = rule.EQUIVALENCE) -> dict:
    """Everything ``summit run`` reports. ``verdict`` is the rule's full answer (see sim.verdict);
    ``winner`` is its leader key, or None for no clear winner or too close to call; ``p_ahead``
    is the share of replays in which the leading leader is ahead by more than delta; ``margin``
    is that leader's gain less the best of the others', averaged over replays."""
    keys = outcome.leaders
    n = outcome.run_ids.size
    gain = outcome.gain
    names = {k: spec.leaders[k]["name"] for k in keys}
    v = judge(outcome, names, delta)
    pairwise = {}
    for i, a in enumerate(keys):
        for j, b in enumerate(keys):
            if i != j:
                ahead = int((gain[i] - gain[j] > delta).sum())
                pairwise[f"{a}>{b}"] = {"p": ahead / n, **dict(zip(("low", "high"), wilson(ahead, n), strict=True))}
    leaders = {}
    for i, key in enumerate(keys):
        leaders[key] = {
            "name": names[key],
            "gain": mean_ci(gain[i]),
            "parts": {name: mean_ci(outcome.parts[i, j]) for j, name in enumerate(outcome.PART_NAMES)},
            "directly_set": mean_ci(outcome.direct[i]),
            "wanted_meeting": float(outcome.wants_meeting[i].mean()),
            "sanctions_imposed": float((outcome.sanctions[i] > 0).mean()),
            "walked_out": float(outcome.walked_out[i].mean()),
            "learned": float(outcome.learned[i].mean()),
        }
    issues = {}
    for k, issue in enumerate(spec.issues):
        issues[issue] = {
            "label": spec.issue_labels[k],
            "status_quo": float(outcome.status_quo[k].mean()),
            "outcome": mean_ci(outcome.final[k]),
            "moved": float((np.abs(outcome.final[k] - outcome.status_quo[k]) > 1e-9).mean()),
            **{name: _mean_or_none(outcome.baselines[name][k]) for name in BASELINES if outcome.baselines},
        }
    deals = outcome.deal.sum()
    broke = outcome.walked_out.any(axis=0)
    return {
        "scenario": spec.name,
        "title": spec.title,
        "runs": int(n),
        "verdict": v,
        "winner": v["winner"],
        "margin": v["margin"],
        "p_ahead": {"leader": v["lead"], **v["shares"][v["lead"]]},
        "pairwise": pairwise,
        "mediated": float(outcome.mediated.mean()),
        "leaders": leaders,
        "held": float(outcome.held.mean()),
        "deal": float(outcome.deal.mean()),
        "deal_round": float(outcome.deal_round[outcome.deal].mean()) if deals else None,
        "partial": float(outcome.partial.mean()),
        "joint_statement": float(outcome.joint_statement.mean()),
        "walkout": float(broke.mean()),
        "walkout_round": float(outcome.walkout_round[broke].mean()) if broke.any() else None,
        "ratification_failed": {k: float((~v & outcome.deal).sum() / deals) if deals else 0.0
                                for k, v in outcome.ratified.items()},
        "withdrawn": {k: float((v & outcome.deal).sum() / deals) if deals else 0.0
                      for k, v in outcome.withdrawn.items()},
        "backlash": {k: float(v.mean()) for k, v in outcome.backlash.items()},
        "cohesion": {k: {"start": float(outcome.cohesion_start[k].mean()),
                         "end": float(outcome.cohesion_end[k].mean())} for k in outcome.cohesion_end},
        "events": {k: float(v.mean()) for k, v in outcome.events_fired.items()},
        "issues": issues,
        "baselines": None if not outcome.baselines else {
            "distance": {name: _mean_or_none(_distance(outcome.final, outcome.baselines[name]))
                         for name in BASELINES},
            "pareto_gap": None if np.isnan(outcome.baselines["pareto_gap"]).all()
            else mean_ci(outcome.baselines["pareto_gap"]),
            "nash_gap": _mean_or_none(outcome.baselines["nash_gap"]),
        },
    }


def _distance(final: np.ndarray, baseline: np.ndarray) -> np.ndarray:
    """Per run, the mean distance per issue between the outcome and a baseline, issue by issue so
    that no (issues, runs) temporary is made."""
    return issue_sum(np.abs(f - b) for f, b in zip(final, baseline, strict=True)) / final.shape[0]


def _mean_or_none(x: np.ndarray) -> float | None:
    """The mean, or None where a baseline is not defined (NaN: the Nash solution at a larger table)."""
    return None if np.isnan(x).all() else float(x.mean())
