"""A leader at the table: perceives the issues, plans with a tactic, proposes and responds."""

from __future__ import annotations

from functools import reduce

import numpy as np

from agents.actor import Actor
from sim import demands, learning, partial_deals
from sim.protocol import ALIKE, concede, issue_sum, margin_over, ordering, utility, weighed_gains, weighed_utility
from sim.tactics import TACTICS, Succession

SCALARS = ("status_value", "meeting_cost", "preparation", "persuasion", "flattery_susceptibility",
           "resolve", "credibility", "narrative_control", "audience_cost", "consultation",
           "rival_fracture_value", "patience")


class Leader(Actor):
    """Holds the true interests (``ideal``, ``salience``) that scoring uses, and the perceived
    ones (``perceived_salience``, ``believed_salience`` of the counterpart) that decisions use:
    a poorly prepared leader misjudges both, and so gives ground it did not have to give."""

    group = "leaders"

    def __init__(self, model, key: str, spec: dict, values: dict, vec):
        super().__init__(model, key, spec)
        self.tactic = TACTICS[spec["tactic"]]()
        self.sanctions_issue = spec["sanctions_issue"]
        p = self.prefix
        self.load(values, SCALARS)
        runs = model.runs
        self.reciprocity = values.get(f"{p}.reciprocity", np.ones(runs)).copy()
        self.threat = values.get(f"{p}.threat", np.zeros(runs)).copy()
        self.capability = values.get(f"{p}.capability", np.ones(runs)).copy()
        self.fixed_disagreement = values.get(f"{p}.disagreement_utility")
        self.ideal = vec(f"{p}.ideal")
        self.salience = _normalised(np.nan_to_num(vec(f"{p}.salience")))
        self.max_concession = self.issue_vector(vec, "max_concession", np.ones((1, 1)))
        self.red_line = vec(f"{p}.red_lines")  # NaN where the leader draws none
        self.threat_if = spec["threat_if"]
        self.side = spec["side"]
        self.standing = values.get(f"{p}.standing")  # None where the scenario gives no standings
        self.position = self.ideal.copy()
        self.advisers, self.allies, self.legislatures = [], [], []
        self.others: list[Leader] = []
        self.offers: list[np.ndarray] = []
        self.last_received: np.ndarray | None = None
        self.offers_received = 0
        self.received_total = np.zeros(runs)
        self.threat_cost = np.zeros(runs)

    # --- before the summit -------------------------------------------------------------------
    @property
    def counterpart(self) -> Leader:
        """The other leader of a bilateral table."""
        (other,) = self.others
        return other

    def perceive(self, own_noise: np.ndarray, other_noise: list[np.ndarray], noise_scale: np.ndarray) -> None:
        """Form perceived own and believed others' saliences; noise shrinks with preparation
        (``misjudged``).

        At a table of three or more, the leader bargains with the others as one composite
        counterpart that logrolls: on each issue it stands where the other who cares most about
        that issue stands, and cares as much as that other does."""
        self._own_noise, self._noise_scale = own_noise, noise_scale
        sigma = noise_scale * (1.0 - self.preparation)
        self.perceived_salience = self._own_view()
        self.beliefs = [misjudged(o.salience, sigma, z) for o, z in zip(self.others, other_noise, strict=True)]
        self.heard = [np.zeros(self.model.runs) for _ in self.others]
        self.pressure = [np.ones(self.model.runs) for _ in self.others]
        self.misjudged_at_first = self.misjudgement()
        self._combine_beliefs()

    def _own_view(self) -> np.ndarray:
        """The leader's perception of its own priorities: the truth misjudged by its noise, scaled by
        how unprepared it is now."""
        return misjudged(self.salience, self._noise_scale * (1.0 - self.preparation), self._own_noise)

    def misjudgement(self) -> np.ndarray:
        """How far this leader's beliefs lie from the others' true priorities: the L1 distance
        between believed and true weights (0 to 2), averaged over the others."""
        return reduce(np.add, [issue_sum(np.abs(b - o.salience)) for b, o in zip(self.beliefs, self.others,
                                                                                 strict=True)]) / len(self.others)

    def _combine_beliefs(self) -> None:
        if len(self.others) == 1:
            self.believed_salience = self.beliefs[0]
        else:
            self.pressed_beliefs = demands.weighted(self.beliefs, self.pressure)
            self.believed_salience = _normalised(reduce(np.maximum, self.pressed_beliefs))
        self.order = ordering(self.believed_salience, self.perceived_salience, self.model.aversion)
        self._reverse_order = None

    @property
    def reverse_order(self) -> np.ndarray:
        """The order in which the counterpart, as this leader models it, would concede (the
        rational tactic's forecast); sorted only when asked for."""
        if self._reverse_order is None:
            self._reverse_order = ordering(self.perceived_salience, self.believed_salience, self.model.aversion)
        return self._reverse_order

    def prepare(self) -> None:
        if self.fixed_disagreement is not None:
            self.disagreement = self.fixed_disagreement.copy()
        else:
            walk_away = utility(self.model.status_quo, self.position, self.perceived_salience)
            self.disagreement = walk_away - self.threat_cost
        self.believed_disagreement = self._believed_walkaway()
        self.reservation = self.tactic.reservation(self, self.best_value())
        self.tactic.prepare(self)

    def _believed_walkaway(self) -> np.ndarray:
        """What the counterpart is believed to get from no deal: its given walk-away value where both
        sides' are given, else the status quo in the weights this leader believes it has."""
        other_fixed = self.others[0].fixed_disagreement if len(self.others) == 1 else None
        if self.fixed_disagreement is not None and other_fixed is not None:
            return other_fixed.copy()
        return utility(self.model.status_quo, self.counterpart_ideal, self.believed_salience)

    @property
    def counterpart_ideal(self) -> np.ndarray:
        """Positions are public: a leader knows where the others stand, not how much they care.
        Among several others, each issue goes to the one believed to care most about it."""
        if len(self.others) == 1:
            return self.others[0].ideal
        return self.remembered("counterpart_ideal", (*self.pressed_beliefs, *(o.ideal for o in self.others)),
                               self._keenest_ideal)

    def _keenest_ideal(self) -> np.ndarray:
        """Issue by issue, the ideal of the other believed to care most, its priorities weighed by
        the demands it has stated (sim.demands); where several care alike (within ``ALIKE``: most
        often none at all), the middle of their ideals, so that the file's order of the leaders
        decides nothing. Compared pair by pair, which is several times faster than ``argmax`` and a
        gather along a short leading axis."""
        keenest, ideal, alike = self.pressed_beliefs[0], self.others[0].ideal, 1.0  # alike: how many lead
        for belief, other in zip(self.pressed_beliefs[1:], self.others[1:], strict=True):
            gap, near = belief - keenest, ALIKE * np.abs(keenest)
            keener, same = gap > near, np.abs(gap) <= near
            ideal = np.where(keener, other.ideal, np.where(same, ideal + other.ideal, ideal))
            alike = np.where(keener, 1.0, alike + same)
            keenest = np.where(keener, belief, keenest)
        return ideal / alike

    @property
    def flattery(self) -> np.ndarray:
        """How much praise softens this leader: the most persuasive other at the table does the work."""
        return reduce(np.maximum, [o.persuasion for o in self.others]) * self.flattery_susceptibility

    @property
    def advisers_in_room(self) -> list:
        return [a for a in self.advisers if a.in_room]

    def anticipated_gain(self) -> np.ndarray:
        """What the leader expects the talks to bring it: an equal share of the gain it believes the
        table could give it over the status quo, or nothing where no deal can be signed.

        The most the leader believes it could get is the best text the others are believed to sign
        at all (``best_they_would_sign``: the one that leaves them their believed no-deal value),
        so the gain it believes is on the table runs from the status quo to that text. Bargainers
        of equal standing split such a gain equally: Nash's (1950) symmetric solution, and
        Rubinstein's (1982) as patience tends to one, give each of two half of it on a straight
        frontier and at least half on the bowed-out frontier that logrolling makes (the rule
        takes the half); a table of n splits it n ways (Baron & Ferejohn 1989, with unanimity,
        in expectation over who proposes). The talks matter only where a deal can be signed: a
        meeting whose mandate is to talk, or whose public ceilings, red lines and win-sets leave
        no text every side could accept, promises nothing but its status and relations. A
        leader goes to the table when it perceives a way out (Zartman's ripeness, 2000), and it
        reads the way out from the same beliefs it bargains and walks out by. The share is
        floored at zero: a leader can always say no."""
        if not self.model.signing:
            return np.zeros(self.model.runs)
        surplus = self.best_they_would_sign() - self.perceived_value(self.model.status_quo)
        return np.where(self.model.zone, np.maximum(surplus, 0.0) / (len(self.others) + 1), 0.0)

    def red_line_bounds(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A red line is public and binds like a ceiling: a deal must bring the issue at least to it,
        on the side of the leader's ideal. Where it lies beyond what the others allow, there is no
        zone of agreement, and no talks."""
        drawn = ~np.isnan(self.red_line)
        if not drawn.any():
            return lo, hi
        up = self.ideal >= self.model.status_quo
        line = np.nan_to_num(self.red_line)
        return np.where(drawn & up, np.maximum(lo, line), lo), np.where(drawn & ~up, np.minimum(hi, line), hi)

    def threat_applies(self, held: np.ndarray, deal: np.ndarray) -> np.ndarray:
        """When a threat is carried out: after a meeting without a deal, when there is no meeting,
        or either (a threat meant to force the meeting, or to punish its failure)."""
        return {"no_deal": held & ~deal, "not_held": ~held, "either": ~deal}[self.threat_if]

    def meeting_terms(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """What the leader weighs in deciding to come: what the meeting itself is worth to it (its
        status value and the standing it is conferred), what it expects from the talks, and what
        meeting costs it at home."""
        return self.meeting_status(), self.anticipated_gain(), self.meeting_cost

    def meeting_status(self) -> np.ndarray:
        """The status the meeting brings this leader if it ends without a rupture: its status
        value and the standing it is conferred (negative where it confers standing on the others).
        A walk-out forfeits it (``sim.standing.ended_without_rupture``)."""
        return self.status_value + self.model.recognised[self.model.order.index(self)]

    def wants_meeting(self) -> np.ndarray:
        self.weighed_meeting = self.meeting_terms()  # kept for the trace: why it came or stayed away
        status, expected, cost = self.weighed_meeting
        return status + expected - cost >= 0.0

    def change(self, attribute: str, value: np.ndarray) -> None:
        """An event that moves the leader's ideal carries its working position with it.

        The working position starts at the ideal and is what the leader bargains from; without
        this, a pre-summit event (Helsinki's 'blame America' remark) rewrote the ideal but not the
        position, and only advisers in the room, re-anchoring on the new ideal, ever acted on it.
        The shift is added, so whatever pull advisers already exerted is kept."""
        if attribute == "ideal":
            shifted = np.clip(self.position + (value - self.ideal), 0.0, 1.0)
            self.position = np.where(self.position == self.ideal, value, shifted)
        super().change(attribute, value)

    def reconsider(self, fired: np.ndarray) -> None:
        """Plan again where an event at the table changed this leader (its resolve, its priorities,
        its preparation, or who holds the seat): its own priorities as it now perceives them, its
        walk-away value and its reservation. Runs where the event did not fire are left as they were."""
        self.perceived_salience = np.where(fired, self._own_view(), self.perceived_salience)
        self._combine_beliefs()
        disagreement, reservation = self.disagreement, self.reservation
        self.prepare()
        self.disagreement = np.where(fired, self.disagreement, disagreement)
        self.reservation = np.where(fired, self.reservation, reservation)

    def succeed(self, fired: np.ndarray, tactic: str | None) -> None:
        """A new leader takes the seat where ``fired``: with its own tactic, if it has another one.
        What the seat's delegation learned and the state's threats carry over."""
        if tactic is not None and tactic != self.tactic.name:
            self.tactic = Succession(self.tactic, TACTICS[tactic](), fired)

    # --- at the table --------------------------------------------------------------------------
    def learn(self, proposer: Leader, offer: np.ndarray) -> None:
        """Revise the belief about ``proposer``'s weights from what its offer kept (sim.learning).
        Runs whose talks have ended hear nothing more, so a run learns the same alone or in any
        batch. The leader plans again from the revised belief in ``replan``."""
        j = self.others.index(proposer)
        signal, informative = learning.revealed_priorities(offer, proposer.start(), proposer.toward(), self.beliefs[j])
        heard = informative & self.model.active
        self.beliefs[j], self.heard[j] = learning.update(self.beliefs[j], signal, heard, self.heard[j],
                                                         self.preparation)

    def hear(self, refuser: Leader, shortfall: np.ndarray) -> None:
        """Weigh ``refuser``'s concerns the more by the shortfall it stated (sim.demands); the
        leader plans again from the new composite of the others in ``replan``."""
        j = self.others.index(refuser)
        self.pressure[j] = demands.pressed(self.pressure[j], shortfall)

    def replan(self) -> None:
        """Plan again from what the leader now believes of the others: their composite, what they
        get from no deal, and the tactic's plan."""
        self._combine_beliefs()
        self.believed_disagreement = self._believed_walkaway()
        self.tactic.prepare(self)

    def deliberate(self) -> None:
        """Friedkin-Johnsen: advisers in the room pull the working position; the ideal anchors it."""
        in_room = self.advisers_in_room
        if not in_room:
            return
        pull = sum(a.influence for a in in_room)
        heard = sum(a.influence[None, :] * a.ideal for a in in_room)
        susceptibility = np.minimum(pull, 1.0)
        social = (1.0 - susceptibility) * self.position + heard / np.maximum(pull, 1e-12) * susceptibility
        self.position = (1.0 - susceptibility) * self.ideal + susceptibility * social

    def start(self) -> np.ndarray:
        """Where the leader opens: its working position, or the officials' draft where there is one."""
        box = self.model.box
        return self.remembered("start", (self.position, box), lambda: np.where(
            self.model.drafted, self.model.draft, self.position).clip(*box))

    def toward(self) -> np.ndarray:
        box, ideal = self.model.box, self.counterpart_ideal
        return self.remembered("toward", (ideal, box), lambda: ideal.clip(*box))

    def best_value(self) -> np.ndarray:
        start = self.start()
        return self.remembered("best_value", (start, self.position, self.perceived_salience),
                               lambda: self.perceived_value(start))

    def believed_value_to_other(self, x: np.ndarray) -> np.ndarray:
        return weighed_utility(x, self.counterpart_ideal, self.believed_salience, self.model.status_quo,
                               self.model.aversion)

    def margins(self) -> tuple[np.ndarray, np.ndarray]:
        """How much better than the status quo the opening is, issue by issue, for this leader and
        for the others as it models them: where along each issue losses begin (``concede``)."""
        start, ideal = self.start(), self.counterpart_ideal
        return self.remembered("margins", (start, self.position, ideal), lambda: (
            margin_over(start, self.position, self.model.status_quo), margin_over(start, ideal, self.model.status_quo)))

    def offer_giving(self, value: np.ndarray) -> np.ndarray:
        start = self.start()
        budget = value - self.believed_value_to_other(start)
        return concede(start, self.toward(), self.perceived_salience, self.believed_salience,
                       self.order, budget, self.margins(), self.model.aversion, by_gain=True)

    def offer_for(self, target: np.ndarray) -> np.ndarray:
        start = self.start()
        budget = self.best_value() - target
        return concede(start, self.toward(), self.perceived_salience, self.believed_salience,
                       self.order, budget, self.margins(), self.model.aversion)

    def soften(self, level: np.ndarray) -> np.ndarray:
        """Flattery: the others' persuasion times own susceptibility pulls demands down."""
        s = self.flattery
        return self.reservation + (1.0 - s) * (level - self.reservation)

    def propose(self, t: int) -> np.ndarray:
        offer = self.tactic.offer(self, t)
        cap = self.concession_cap()
        if cap is not None:
            previous = self.offers[-1] if self.offers else self.start()
            offer = offer.clip(previous - cap, previous + cap)
        self.offers.append(offer)
        return offer

    def concession_cap(self) -> np.ndarray | None:
        """Advisers in the room limit how far the leader moves in one round."""
        in_room = self.advisers_in_room
        if not in_room:
            return None
        return np.maximum(1.0 - sum(a.influence for a in in_room), 0.05)

    def perceived_value(self, x: np.ndarray) -> np.ndarray:
        """What a text is worth to the leader as it decides: its perceived priorities, and losses
        against the status quo weighed by its aversion to them (``weighed_utility``)."""
        return weighed_utility(x, self.position, self.perceived_salience, self.model.status_quo, self.model.aversion)

    def issue_gains(self, x: np.ndarray) -> np.ndarray:
        """Issue by issue, what text ``x`` adds to the status quo's perceived value: the terms of
        ``perceived_value``, so that they sum to its difference from the status quo's."""
        return weighed_gains(x, self.position, self.perceived_salience, self.model.status_quo, self.model.aversion)

    def floors(self) -> np.ndarray:
        """Issue by issue, what the leader holds out for in an agreement signed on its own at the
        close (sim.partial_deals): its claimed share of the gain it could attain there. On an issue
        signed alone that is its opening as far as no other leader would lose by it
        (``partial_deals.unopposed``); in a package, its opening."""
        start = self.start()
        alone = partial_deals.unopposed(start, self.model.status_quo, [o.ideal for o in self.others],
                                        [belief > 0.0 for belief in self.beliefs])
        reach = np.where(self.model.packaged[:, None], start, alone)
        return self.tactic.claimed(self) * np.maximum(self.issue_gains(reach), 0.0)

    def respond(self, t: int, offer: np.ndarray) -> np.ndarray:
        value = self.perceived_value(offer)
        if self.last_received is not None:
            self.received_total = self.received_total + np.maximum(value - self.last_received, 0.0)
        self.last_received = value
        self.offers_received += 1
        return self._accepts(t, value)

    def walks_out(self, t: int) -> np.ndarray:
        """Whether the leader leaves the table before round ``t``, run by run.

        Leaving is worth more than staying when no acceptable deal is in sight and staying costs
        something. What the leader believes it can still get is the best text it believes the
        others would sign at all: one that leaves them just their believed no-deal value. The
        pace of their concessions so far is no guide, since most agreements come at the deadline
        (Roth, Murnighan & Schoumaker 1988, *American Economic Review* 78(4)). When that best text
        falls short of the least the leader would accept at the deadline, staying to the end
        brings no whole text either: only what it believes would be signed apart at the close
        (``partial_hope``) or, where nothing would, the chance of a vague joint statement
        (``statement_hope``), and the warm press conference of a failed summit, which its
        audience holds against it (Fearon 1994), while walking out is the firmness its allies
        reward (as they reward a protest cancellation). Leaving forfeits the status the meeting
        brings it (``meeting_status``): a summit that breaks up confers none (``sim.standing``).
        The leader leaves when those costs of staying exceed what the close and the meeting's
        status could bring it: an outside option binds only where it beats staying (Binmore,
        Shaked & Sutton 1989). The belief is the one learned from the offers so far
        (sim.learning), so a leader leaves only after hearing the others twice.
        """
        if self.offers_received < 2:
            return np.zeros(self.model.runs, dtype=bool)
        staying_costs = (1.0 - self.narrative_control) * self.audience_cost * self.flattery
        firmness = self.model.protocol["firmness_reward"] * sum(
            (a.weight * a.wariness for a in self.allies), np.zeros(self.model.runs))
        costs, status = staying_costs + firmness, self.meeting_status()
        # what the close brings is never below zero, so where the costs do not pass the status, it stays
        stuck = (costs > status) & self.model.active
        if not stuck.any():
            return stuck
        hope = self.best_they_would_sign()
        stuck &= hope < self.soften(self.tactic.threshold(self, self.model.rounds, hope)) - 1e-12
        if not stuck.any():
            return stuck
        signed, part = self.partial_hope(stuck)
        runs = self.model.runs
        staying = np.where(signed, part, np.broadcast_to(self.statement_hope(), runs)[stuck])
        stuck[stuck] = np.broadcast_to(costs, runs)[stuck] > staying + np.broadcast_to(status, runs)[stuck]
        return stuck

    def partial_hope(self, where: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """In the runs ``where`` selects, whether the leader believes agreements would be signed apart if
        the talks ended now (sim.partial_deals), and what they would bring it over the status quo as
        it perceives them. The texts are those on the table; the others are the composite
        counterpart it bargains against, signing whatever leaves them their believed walk-away
        value, as in ``best_they_would_sign``; the leader holds out for its own floors, as at the
        close. The rule is run by run, so weighing only the runs where the leader might leave
        changes no run's answer and spares the rest."""
        model, sq = self.model, self.model.status_quo
        texts = model.closing_texts()
        theirs = [weighed_gains(text, self.counterpart_ideal, self.believed_salience, sq, model.aversion)
                  for text in texts]
        gains = [[self.issue_gains(text)[:, where], other[:, where]] for text, other in zip(texts, theirs, strict=True)]
        walk_away = [self.disagreement - self.perceived_value(sq),
                     self.believed_disagreement - self.believed_value_to_other(sq)]
        signed, text = partial_deals.best_part(
            [text[:, where] for text in texts], gains, [self.floors()[:, where], np.zeros_like(sq[:, where])],
            [np.broadcast_to(w, model.runs)[where] for w in walk_away], sq[:, where], model.agreements,
            model.must_sign()[:, where])
        signed_text = sq.copy()
        signed_text[:, where] = text
        return signed, (self.perceived_value(signed_text) - self.perceived_value(sq))[where]

    def best_they_would_sign(self) -> np.ndarray:
        """The perceived value of the best text the others are believed to sign at all (one that
        leaves them their believed no-deal value). It changes only when the leader's concession
        order, its position, its belief about their walk-away value or their ideals do (learning
        changes the first every other round at a bilateral table), so it is kept until then."""
        return self.remembered("best_they_would_sign",
                               (self.order, self.position, self.believed_disagreement, *(o.ideal for o in self.others)),
                               lambda: self.perceived_value(self.offer_giving(self.believed_disagreement)))

    def statement_hope(self) -> np.ndarray:
        """What staying to the end can still bring without a deal: the chance of a vague joint
        statement times what its symbolic text is worth to this leader (0 where it would settle
        nothing, or settle it against the leader)."""
        text = self.model.statement_text()
        if text is None:
            return np.zeros(self.model.runs)
        worth = self.perceived_value(text) - self.perceived_value(self.model.agreed)
        return self.model.protocol["joint_statement"] * np.maximum(worth, 0.0)

    def weigh_text(self, t: int, text: np.ndarray, side_payment: np.ndarray,
                   persuasion: np.ndarray | None) -> np.ndarray:
        """A mediator's text, with what the mediator adds if it is signed and as far as the
        mediator talks this leader down. It is no concession by the others, so reciprocity does
        not count it."""
        return self._accepts(t, self.perceived_value(text) + side_payment, persuasion)

    def _accepts(self, t: int, value: np.ndarray, persuaded: np.ndarray | None = None) -> np.ndarray:
        threshold = self.soften(self.tactic.threshold(self, t, value))
        if persuaded is not None:
            threshold = self.reservation + (1.0 - persuaded) * (threshold - self.reservation)
        self.weighed = (value, threshold)  # kept for the trace: why an offer was refused
        return value >= threshold - 1e-12


def misjudged(weights: np.ndarray, sigma: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Weights as a leader judges them: each off by a share of its own size, normal with sd
    ``sigma`` (``perception_noise x (1 - preparation)``), clipped at zero and renormalised.

    Errors in judging a magnitude grow in proportion to the magnitude (scalar variability; Whalen,
    Gallistel & Gelman 1999, *Psychological Science* 10(2)), and every scenario sources the noise
    as misjudging an issue's weight by a share of its size. Noise of one spread added to every
    weight (change 22 of docs/model.md replaced it) misjudged small weights by many times their
    size, and more the more finely an author listed the issues; an issue no one weighs is now
    judged at its true zero."""
    return _normalised(weights * (1.0 + sigma * z))


def _normalised(w: np.ndarray) -> np.ndarray:
    w = np.maximum(w, 0.0)
    return w / np.maximum(issue_sum(w), 1e-12)
