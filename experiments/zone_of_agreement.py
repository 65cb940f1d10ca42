"""Why is there no deal? Each scenario's deal rate split by the zone of agreement (sim/zone.py):
no text every leader prefers to walking away, texts that beat walking away but none that meets
every reservation, or a text that meets every reservation which the bargaining did not find.

Six counterfactuals test the explanations a reader might offer for a deal the model does not find
(each replaces one rule for the length of the run, then restores it):

- ``exact-offers``: at tables of three or more, the proposer solves each offer exactly, as the
  text that leaves the least satisfied of the others the largest believed surplus over its
  walk-away value, given the proposer's own target (a linear programme, ``sim.zone.depth``), in
  place of the knapsack against a composite of the others (docs/model.md, "Three or more at the
  table");
- ``known-demands``: the same, but against what each other leader truly still asks, its own
  reservation as it sees it: an oracle that bounds what learning the others' demands could give;
- ``deaf-proposers``: refusals say nothing, as before ``sim.demands``: every leader plans against the
  others with equal multipliers all summit long;
- ``known-priorities``: every leader knows how much each other truly cares about each issue (beliefs
  start at the truth), so that what remains is the bargaining itself;
- ``attainable-reservations``: ``resolve`` is measured against the best text the others are
  believed to sign (``Leader.best_they_would_sign``) instead of against the leader's best
  feasible text, so that no leader holds out for more than it believes attainable;
- ``backing-down``: commitments can be revoked at a price (Crawford 1982, "A theory of
  disagreement in bargaining", *Econometrica* 50(3); Fearon 1994 for the price, the audience
  cost of retreating from a public stand): in the last round a leader takes a text short of its
  reservation when what the text gains it over walking away is more than that price,
  ``(1 - narrative_control) x audience_cost``.

Run:

    python experiments/zone_of_agreement.py [--runs 1000] [--set PATH=VALUE ...] [--counterfactual NAME ...]
                                            [scenario ...]

About 5 s for every scenario at 1,000 runs (two linear programmes per run, each set of runs solved
as one block-diagonal programme), and 5 to 25 s more for each counterfactual.
"""

from __future__ import annotations

import argparse
from contextlib import contextmanager

import numpy as np

from agents.leader import Leader
from sim.library import known_scenarios
from sim.loader import load
from sim.protocol import utility
from sim.spec import compile_scenario
from sim.tactics import Tactic
from sim.zone import depth, faced

SEED = 2018


def decompose(name: str, runs: int, overrides: list[str] = ()) -> dict[str, float]:
    """Shares of all replays: held, talks, a zone over walk-away values, a zone over reservations,
    a deal, and a partial deal (sim.partial_deals); and the deal rate where the leaders talked with a
    zone over reservations and without."""
    spec = compile_scenario(load(name, overrides))
    f = faced(spec, np.arange(runs), SEED)
    deal, talks, walk, res = f["deal"], f["talks"], f["walk_away"] >= 0.0, f["reservation"] >= 0.0
    return {"mandate": spec.mandate, "held": f["held"].mean(), "box": talks.mean(), "walk_away": walk.mean(),
            "reservation": res.mean(), "deal": deal.mean(), "partial": f["partial"].mean(),
            "deal_in_zone": deal[res].mean() if res.any() else float("nan"),
            "deal_outside": deal[talks & ~res].mean() if (talks & ~res).any() else float("nan")}


def exact_offer_for(leader: Leader, target: np.ndarray) -> np.ndarray:
    """The counterfactual proposer: among texts worth at least ``target`` to it, the one that
    maximises the smallest believed surplus of the others over their believed walk-away values."""
    walk = [utility(leader.model.status_quo, o.ideal, belief)
            for o, belief in zip(leader.others, leader.beliefs, strict=True)]
    return _deepest_offer(leader, target, [o.ideal for o in leader.others], leader.beliefs, walk)


def known_demand_offer_for(leader: Leader, target: np.ndarray) -> np.ndarray:
    """The oracle proposer: among texts worth at least ``target`` to it, the one that maximises the
    smallest margin of the others over their own reservations, as they see them (their working
    positions and perceived priorities): a proposer that knows how much each other still asks."""
    others = leader.others
    return _deepest_offer(leader, target, [o.position for o in others], [o.perceived_salience for o in others],
                          [o.reservation for o in others])


def _deepest_offer(leader: Leader, target: np.ndarray, positions: list, weights: list, floors: list) -> np.ndarray:
    """The text worth at least ``target`` to the proposer that maximises the smallest margin of the
    others over their ``floors``, judged by ``positions`` and ``weights`` (``sim.zone.depth``); the
    opening offer where the programme has no answer."""
    model = leader.model
    positions = np.stack([leader.position, *positions])
    weights = np.stack([leader.perceived_salience, *weights])
    floors = np.stack([np.minimum(target, leader.best_value()), *floors])
    offer = leader.start().copy()
    live = np.flatnonzero(model.active)
    _, text = depth(positions[..., live], weights[..., live], floors[:, live], model.box[0][:, live],
                    model.box[1][:, live], margin_for=np.arange(len(positions)) > 0,
                    losses=(model.status_quo[:, live], model.aversion[live]))
    offer[:, live] = np.where(np.isnan(text), offer[:, live], text)
    return offer


@contextmanager
def multilateral_offers(build):
    """Leaders at tables of three or more build their offers with ``build`` (the knapsack against
    a composite of the others stays at tables of two)."""
    knapsack = Leader.offer_for

    def offer_for(self: Leader, target: np.ndarray) -> np.ndarray:
        return knapsack(self, target) if len(self.others) == 1 else build(self, target)

    Leader.offer_for = offer_for
    try:
        yield
    finally:
        Leader.offer_for = knapsack


def exact_offers():
    """Offers solved exactly against the others' believed walk-away values (``exact_offer_for``)."""
    return multilateral_offers(exact_offer_for)


def known_demands():
    """Offers solved exactly against the others' true reservations (``known_demand_offer_for``)."""
    return multilateral_offers(known_demand_offer_for)


@contextmanager
def deaf_proposers():
    """No leader hears what a refuser says it lacks (the model before ``sim.demands``)."""
    hear = Leader.hear
    Leader.hear = lambda self, refuser, shortfall: None
    try:
        yield
    finally:
        Leader.hear = hear


@contextmanager
def known_priorities():
    """Every leader's beliefs about the others are their true priorities."""
    perceive = Leader.perceive

    def knowing(self: Leader, own_noise: np.ndarray, other_noise: list, noise_scale: np.ndarray) -> None:
        perceive(self, own_noise, [np.zeros_like(z) for z in other_noise], noise_scale)

    Leader.perceive = knowing
    try:
        yield
    finally:
        Leader.perceive = perceive


@contextmanager
def attainable_reservations():
    """Every tactic that measures resolve against the best feasible text measures it against the
    best text the others are believed to sign."""
    against_best = Tactic.reservation

    def reservation(self: Tactic, leader: Leader, best: np.ndarray) -> np.ndarray:
        return against_best(self, leader, np.minimum(leader.best_they_would_sign(), best))

    Tactic.reservation = reservation
    try:
        yield
    finally:
        Tactic.reservation = against_best


@contextmanager
def backing_down():
    """At the deadline a leader also takes a text short of its reservation when the text beats
    walking away by more than the audience cost of retreating from its claim."""
    accepts = Leader._accepts

    def or_backs_down(self: Leader, t: int, value: np.ndarray, persuaded: np.ndarray | None = None) -> np.ndarray:
        firm = accepts(self, t, value, persuaded)
        if t < self.model.rounds:
            return firm
        return firm | (value - self.disagreement > retreat_cost(self) + 1e-12)

    Leader._accepts = or_backs_down
    try:
        yield
    finally:
        Leader._accepts = accepts


def retreat_cost(leader: Leader) -> np.ndarray:
    """What backing down from its claim costs a leader at home (Fearon 1994)."""
    return (1.0 - leader.narrative_control) * leader.audience_cost


COUNTERFACTUALS = {"exact-offers": exact_offers, "known-demands": known_demands, "deaf-proposers": deaf_proposers,
                   "known-priorities": known_priorities, "attainable-reservations": attainable_reservations,
                   "backing-down": backing_down}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenarios", nargs="*", help="scenario names (default: every shipped scenario)")
    parser.add_argument("--runs", type=_positive, default=1000)
    parser.add_argument("--set", action="append", default=[], metavar="PATH=VALUE", dest="overrides",
                        help="override a parameter in every scenario, as 'summit run --set' does (repeatable)")
    parser.add_argument("--counterfactual", action="append", default=[], choices=sorted(COUNTERFACTUALS),
                        help="also replay every scenario under this rule (repeatable)")
    args = parser.parse_args()
    known = sorted(known_scenarios())
    unknown = [name for name in args.scenarios if name not in known]
    if unknown:
        parser.error(f"no scenario named {', '.join(unknown)}; known: {', '.join(known)}")
    names = args.scenarios or known
    print(f"{args.runs:,} replays per scenario, seed {SEED}. Shares of all replays: held; talks (held, and the "
          "ceilings, win-sets and red lines allow some text); a zone over walk-away values; over reservations; a "
          "deal; of them partial, signed issue by issue at the close. Then the deal rate among talks with and "
          "without a zone over reservations.\n")
    print("| scenario | mandate | held | talks | zone: walk-away | zone: reservations | deal | partial | deal, zone | "
          "deal, no zone |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    base = {}
    for name in names:
        d = base[name] = decompose(name, args.runs, args.overrides)
        print(f"| {name} | {d['mandate']} | " + " | ".join(_share(d[c]) for c in (
            "held", "box", "walk_away", "reservation", "deal", "partial", "deal_in_zone", "deal_outside")) + " |")
    for counterfactual in args.counterfactual:
        print(f"\nUnder {counterfactual}: deal rate (as written -> counterfactual); zone over reservations\n")
        print("| scenario | deal | zone: reservations |\n|---|---:|---:|")
        for name in names:
            with COUNTERFACTUALS[counterfactual]():
                d = decompose(name, args.runs, args.overrides)
            print(f"| {name} | {_share(base[name]['deal'])} -> {_share(d['deal'])} | "
                  f"{_share(base[name]['reservation'])} -> {_share(d['reservation'])} |")


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"runs must be a whole number of at least 1, not {text!r}")
    return int(text)


def _share(x: float) -> str:
    return "-" if np.isnan(x) else f"{x:.1%}"


if __name__ == "__main__":
    main()
