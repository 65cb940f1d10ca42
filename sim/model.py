"""The summit as a Mesa model: one instance replays a whole batch of runs in lockstep.

Agent attributes are arrays over runs and decisions are masks, so the cost of a run is
arithmetic, not Python. One Mesa step is one round: the seat whose turn it is proposes and every
other leader must accept. Seats rotate through the leaders (two alternate, as in Rubinstein's
game) and then any mediator. The phases before the first round (events, briefings, perception,
go/no-go) happen when the model is built, and the aftermath (ratification, allies, backlash,
sanctions) when the last round is done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce

import mesa
import numpy as np
from scipy import special

from agents import Adviser, Ally, Leader, Legislature, Mediator
from sim import demands, linkage, partial_deals, rng, seating
from sim.baselines import baselines
from sim.protocol import ceiling_interval
from sim.schema import natural_bounds
from sim.spec import Spec, draw, vector
from sim.standing import ended_without_rupture, standing_gain


@dataclass
class Outcome:
    """Plain per-run results of one batch; every array's last axis is the run."""

    run_ids: np.ndarray
    leaders: tuple[str, ...]
    issues: tuple[str, ...]
    held: np.ndarray
    wants_meeting: np.ndarray          # (leaders, runs)
    deal: np.ndarray
    deal_round: np.ndarray             # 0 where there was no deal
    partial: np.ndarray                # the deal was signed issue by issue at the close (sim.partial_deals)
    walked_out: np.ndarray             # (leaders, runs): the leader left the table before the deadline
    walkout_round: np.ndarray          # the round before which someone left; 0 where no one did
    learned: np.ndarray                # (leaders, runs): how far the summit shrank each one's misjudgement
                                       # of the others' priorities (Leader.misjudgement; 0 without learning)
    mediated: np.ndarray               # the deal signed was a mediator's text
    agreed: np.ndarray                 # (issues, runs): the deal signed, or the status quo
    final: np.ndarray                  # (issues, runs): after ratification, sanctions, statements
    status_quo: np.ndarray
    joint_statement: np.ndarray
    ratified: dict[str, np.ndarray]    # legislature -> in force (True where nothing to vote on)
    withdrawn: dict[str, np.ndarray]   # legislature -> the leader pulled the treaty before the vote
    warmth: np.ndarray                 # (leaders, runs)
    backlash: dict[str, np.ndarray]
    sanctions: np.ndarray              # (leaders, runs): sanctions imposed by each leader's side
    cohesion_start: dict[str, np.ndarray]
    cohesion_end: dict[str, np.ndarray]
    events_fired: dict[str, np.ndarray]
    parts: np.ndarray                  # (leaders, 4, runs): substantive, status, domestic, alliance
    direct: np.ndarray                 # (leaders, runs): the net gain's directly set terms (sim.scoring)
    baselines: dict[str, np.ndarray]   # sim.baselines' compromise, median, nash, gaps; empty unless asked for
    trace: list[dict] = field(default_factory=list)
    go_no_go: dict[str, np.ndarray] = field(default_factory=dict)  # leader -> (3, runs): the meeting's
                                       # status, the gain expected from the talks, the cost; traced replays only

    PART_NAMES = ("substantive", "status", "domestic", "alliance")

    @property
    def gain(self) -> np.ndarray:
        return self.parts.sum(axis=1)


class SummitModel(mesa.Model):
    """A summit of two or more leaders replayed for the runs ``run_ids`` under ``seed``.

    ``overrides`` fixes parameters run by run (a sweep's design points side by side in one batch);
    a run fixed at ``v`` is the same run as in a scenario whose file sets that parameter to ``v``.
    ``seats`` is the order the leaders take their turns in (sim.seating), where the caller has
    grouped the runs by it; left out, the runs' own, which they must share."""

    def __init__(self, spec: Spec, run_ids: np.ndarray, seed: int, trace: bool = False,
                 with_baselines: bool = False, overrides: dict[str, np.ndarray] | None = None,
                 seats: tuple[str, ...] | None = None):
        super().__init__(rng=seed)
        self.spec = spec
        self.run_ids = np.asarray(run_ids, dtype=np.uint64)
        self.runs = len(self.run_ids)
        self.rounds = spec.rounds
        self.streams = rng.Streams(seed, self.run_ids)
        self.record = trace
        self.with_baselines = with_baselines
        self.trace: list[dict] = []
        self.go_no_go: dict[str, np.ndarray] = {}
        self.values = values = draw(spec, self.streams, overrides)
        issues, runs = spec.issues, self.runs

        def vec(prefix: str) -> np.ndarray:
            return vector(values, prefix, issues, runs)

        self.status_quo = np.stack([values[f"issues.{k}.status_quo"] for k in issues])
        self.protocol = {k.split(".", 1)[1]: v for k, v in values.items() if k.startswith("protocol.")}
        self.aversion = self.protocol["loss_aversion"]  # sim.loss_aversion
        self.draft = vec("protocol.draft")         # NaN on the issues officials left open
        self.drafted = ~np.isnan(self.draft)
        self.leader = {k: Leader(self, k, s, values, vec) for k, s in spec.leaders.items()}
        self.order = tuple(self.leader[k] for k in seating.listed(spec))  # how outcomes list them
        for leader in self.order:
            leader.others = [other for other in self.order if other is not leader]
        self.mediator = {k: Mediator(self, k, s, values, vec, self.order) for k, s in spec.mediators.items()}
        # the order of turns: the first proposer, the others as these runs sit, any mediator last
        self.seats = (*(self.leader[k] for k in (seats or self._seats())), *self.mediator.values())
        self.adviser = {k: Adviser(self, k, s, values, vec, self.leader[s["serves"]])
                        for k, s in spec.advisers.items()}
        self.ally = {k: Ally(self, k, s, values, vec, self.leader[s["bloc"]]) for k, s in spec.allies.items()}
        self.legislature = {k: Legislature(self, k, s, values, vec, self.leader[s["of"]])
                            for k, s in spec.legislatures.items()}
        self.fired = {e.key: np.zeros(runs, dtype=bool) for e in spec.events}
        self.round = 0
        self.signing = spec.signing
        self.active = np.ones(runs, dtype=bool)
        self.deal = np.zeros(runs, dtype=bool)
        self.deal_round = np.zeros(runs, dtype=np.int64)
        self.walked_out = np.zeros((len(self.order), runs), dtype=bool)
        self.walkout_round = np.zeros(runs, dtype=np.int64)
        self.mediated = np.zeros(runs, dtype=bool)
        self.partial = np.zeros(runs, dtype=bool)
        self.on_the_table: dict[str, np.ndarray] = {}  # each seat's last text
        self.agreements = partial_deals.units_of(len(spec.issues), spec.packages)  # what signs apart
        self.packaged = np.zeros(len(spec.issues), dtype=bool)  # issues in an agreement of several
        for unit in self.agreements:
            if unit.sum() > 1:
                self.packaged |= unit
        self.side_payment = np.zeros((len(self.order), runs))
        self.agreed = self.status_quo.copy()
        self._before_the_summit()

    def _seats(self) -> tuple[str, ...]:
        """The order these runs sit in (sim.seating); a model replays runs that sit alike."""
        order = seating.orders(self.spec)
        index = np.unique(seating.drawn(self.spec, self.streams))
        if len(index) > 1:
            raise ValueError("these runs sit in different orders at a table of three or more (sim.seating): "
                             "replay them with sim.replay, which groups them, or give seats")
        return order[int(index[0])]

    # --- phases -------------------------------------------------------------------------------
    def _before_the_summit(self) -> None:
        self._events("pre")
        for adviser in self.adviser.values():
            adviser.brief()
        self._form_perceptions()
        self._sanction_threats()
        self.recognised = self._recognition()
        self.box = self._feasible_box()
        self.zone = (self.box[0] <= self.box[1] + 1e-12).all(axis=0)
        # where the bounds cross there is no zone; the box shrinks to the point midway between
        # them, which is the same point whichever end of the scale the scenario calls 0
        crossed = self.box[0] > self.box[1]
        midway = np.where(crossed, 0.5 * (self.box[0] + self.box[1]), np.nan)
        self.box = (np.where(crossed, midway, self.box[0]), np.where(crossed, midway, self.box[1]))
        for leader in self.order:
            leader.prepare()
        self.wants = np.stack([leader.wants_meeting() for leader in self.order])
        if self.record:
            self.go_no_go = {leader.key: np.stack([np.broadcast_to(t, (self.runs,)) for t in leader.weighed_meeting])
                             for leader in self.order}
        self.held = self.wants.all(axis=0)
        self.active &= self.held & self.zone
        self.running = bool(self.active.any())

    def _form_perceptions(self) -> None:
        """Each leader's noise about its own saliences and each other leader's, keyed by name.
        A bilateral table keys the one counterpart as ``other``."""
        n, k = len(self.order), len(self.spec.issues)

        def about(other) -> str:
            return "other" if n == 2 else f"other.{other.key}"

        keys = [f"perception.{leader.key}.{side}.{issue}"
                for leader in self.order
                for side in ("own", *(about(o) for o in leader.others))
                for issue in self.spec.issues]
        u = self.streams.uniforms(rng.PERCEPTION, np.array([rng.path_key(p) for p in keys], dtype=np.uint64))
        z = special.ndtri(u).T.reshape(n, n, k, self.runs)
        for i, leader in enumerate(self.order):
            leader.perceive(z[i, 0], list(z[i, 1:]), self.protocol["perception_noise"])

    def _recognition(self) -> np.ndarray:
        """(leaders, runs): the standing a held meeting moves to each leader (sim.standing), or none."""
        if self.order[0].standing is None:
            return np.zeros((len(self.order), self.runs))
        return np.stack(standing_gain([leader.standing for leader in self.order], self.protocol["recognition"]))

    def _sanction_threats(self) -> None:
        """A two-part message's threat lowers what the others expect from walking away."""
        for leader in self.order:
            if leader.tactic.classifier.get("threatens") and leader.sanctions_issue is not None:
                k = leader.sanctions_issue
                for other in leader.others:
                    other.threat_cost = other.threat_cost + (
                        leader.credibility * leader.threat * self.bloc_strength(leader) * other.salience[k])

    def _feasible_box(self) -> tuple[np.ndarray, np.ndarray]:
        """Per issue and run, the positions every leader's ceiling and every win-set allow.
        All are public; the status quo always lies inside."""
        lo = np.zeros_like(self.status_quo)
        hi = np.ones_like(self.status_quo)
        for leader in self.order:
            a, b = ceiling_interval(leader.ideal, self.status_quo, leader.max_concession)
            lo, hi = np.maximum(lo, a), np.minimum(hi, b)
            lo, hi = leader.red_line_bounds(lo, hi)
        for legislature in self.legislature.values():
            a, b = legislature.win_set()
            lo, hi = np.maximum(lo, a), np.minimum(hi, b)
        return lo, hi

    def statement_text(self) -> np.ndarray | None:
        """What a vague joint statement would settle: the symbolic issues halfway between the
        leaders' last offers, everything else as agreed so far (None: it would settle nothing)."""
        if not (self.spec.symbolic.any() and all(leader.offers for leader in self.order)):
            return None
        middle = reduce(np.add, [leader.offers[-1] for leader in self.order]) * (1.0 / len(self.order))
        return np.where(self.spec.symbolic[:, None], middle, self.agreed)

    def proposer_at(self, t: int) -> Leader | Mediator:
        return self.seats[(t - 1) % len(self.seats)]

    def step(self) -> None:
        """One round: round events, advisers in the room, a proposal, every other leader's answer."""
        self.round += 1
        t = self.round
        self._events(t)
        for leader in self.order:
            leader.deliberate()
        if self.spec.walkouts and t > 1:
            self._walkouts(t)
        proposer = self.proposer_at(t)
        if isinstance(proposer, Mediator):
            offer = proposer.draft(self.order)
            answers = {lead.key: lead.weigh_text(t, offer, proposer.payment_to(lead), proposer.persuasion_of(lead))
                       for lead in self.order}
        else:
            offer = proposer.propose(t)
            answers = {lead.key: lead.respond(t, offer) for lead in proposer.others}
        self.on_the_table[proposer.key] = offer
        admissible = linkage.admissible(offer, self.status_quo, self.spec.packages,
                                        [self.spec.leaders[lead.key]["requires"] for lead in self.order])
        accepted = reduce(np.logical_and, answers.values()) & self.active & admissible & self.signing
        if not isinstance(proposer, Mediator):
            self._what_the_table_heard(proposer, offer, answers, accepted)
        self.agreed = np.where(accepted[None, :], offer, self.agreed)
        self.deal |= accepted
        self.deal_round = np.where(accepted, t, self.deal_round)
        if isinstance(proposer, Mediator):
            self.mediated |= accepted
            paid = np.stack([proposer.payment_to(lead) for lead in self.order])
            self.side_payment = np.where(accepted, paid, self.side_payment)
        if self.record:
            self._record_round(t, proposer, offer, answers, admissible, accepted)
        self.active &= ~accepted
        if t >= self.rounds or not self.active.any():
            self.running = False

    def _record_round(self, t: int, proposer: Leader | Mediator, offer: np.ndarray, answers: dict[str, np.ndarray],
                      admissible: np.ndarray, accepted: np.ndarray) -> None:
        """The round as a trace tells it (``summit run --trace``, the app's round by round): copies,
        so that later rounds do not rewrite what this one showed."""
        weighed = {k: {name: np.asarray(v, dtype=float) + np.zeros(self.runs)
                       for name, v in zip(("value", "threshold", "reservation"),
                                          (*self.leader[k].weighed, self.leader[k].reservation), strict=True)}
                   for k in answers}
        self.trace.append({"round": t, "proposer": proposer.key, "offer": offer.copy(),
                           "answers": {k: v.copy() for k, v in answers.items()}, "weighed": weighed,
                           "accepted": accepted.copy(), "active": self.active.copy(),
                           "walked_out": self.walked_out.copy(), "admissible": admissible.copy(),
                           "positions": {lead.key: lead.position.copy() for lead in self.order},
                           "box": (self.box[0].copy(), self.box[1].copy())})

    def _what_the_table_heard(self, proposer: Leader, offer: np.ndarray, answers: dict[str, np.ndarray],
                              accepted: np.ndarray) -> None:
        """What the leaders take from a leader's proposal and its answers: the others read the
        proposer's priorities from what its offer kept (``Leader.learn``, where the scenario
        learns from offers); at a table of three or more, where the talks go on, each refuser says
        how much more it asks and every other leader weighs its concerns the more
        (``sim.demands``). Each leader who took something plans again, once. Criticism of a
        mediator's text goes to the mediator, who redrafts (Fisher's single text), so nothing
        here follows a mediator's turn."""
        replanning = []
        if self.spec.learning:
            for leader in proposer.others:
                leader.learn(proposer, offer)
            replanning.extend(proposer.others)
        if len(self.order) > 2:
            going_on = self.active & ~accepted
            for key, answer in answers.items():
                refuser = self.leader[key]
                value, demand = refuser.weighed
                heard = demands.shortfall(value, demand, ~answer & going_on)
                if heard.any():
                    for leader in refuser.others:
                        leader.hear(refuser, heard)
                    replanning.extend(refuser.others)
        for leader in dict.fromkeys(replanning):
            leader.replan()

    def _walkouts(self, t: int) -> None:
        """Leaders who expect nothing acceptable leave (Leader.walks_out); the talks end there."""
        leaving = np.stack([leader.walks_out(t) for leader in self.order]) & self.active
        if leaving.any():
            self.walked_out |= leaving
            left = leaving.any(axis=0)
            self.walkout_round = np.where(left, t, self.walkout_round)
            self.active &= ~left

    def _partial_deals(self) -> None:
        """Where the talks reached the deadline with nothing signed, the leaders sign, issue by issue,
        the agreements each would sign on their own (sim.partial_deals)."""
        due = self.active & self.signing
        if not (due.any() and self.on_the_table):
            return
        closing = self.closing_texts()
        texts = [text[:, due] for text in closing]
        gains = [[leader.issue_gains(text)[:, due] for leader in self.order] for text in closing]
        floors = [leader.floors()[:, due] for leader in self.order]
        walk_away = [np.broadcast_to(leader.disagreement - leader.perceived_value(self.status_quo), due.shape)[due]
                     for leader in self.order]
        signed, text = partial_deals.best_part(
            texts, gains, floors, walk_away, self.status_quo[:, due],
            self.agreements, self.must_sign()[:, due])
        where = np.flatnonzero(due)[signed]
        self.agreed[:, where] = text[:, signed]
        self.deal[where] = True
        self.partial[where] = True
        self.deal_round[where] = self.round
        self.active[where] = False

    def closing_texts(self) -> list[np.ndarray]:
        """The wordings weighed at the close (sim.partial_deals): each seat's last text as it stands,
        then each leader's as it would word every issue alone (``partial_deals.worded_alone``)."""
        leaders = {leader.key: leader for leader in self.order}
        return [*self.on_the_table.values(),
                *(partial_deals.worded_alone(text, self.status_quo, leaders[seat].position)
                  for seat, text in self.on_the_table.items() if seat in leaders)]

    def must_sign(self) -> np.ndarray:
        """(issues, runs): the issues without which a partial deal signs nothing: those a leader
        requires, and those whose status quo breaks a red line or a win-set (outside the box)."""
        required = reduce(np.logical_or, [self.spec.leaders[leader.key]["requires"] for leader in self.order])
        return required[:, None] | (self.status_quo < self.box[0] - 1e-12) | (self.status_quo > self.box[1] + 1e-12)

    def _events(self, when: str | int) -> None:
        for event in self.spec.events:
            if event.when != when:
                continue
            u = self.streams.uniforms(rng.EVENTS, rng.path_key(event.key))[:, 0]
            fires = u < self.values[f"events.{event.key}.probability"]
            if isinstance(when, int):
                fires &= self.active  # runs that have left the table see no more rounds
            self.fired[event.key] = fires
            for e in event.effects:
                agent = self._agents_of(e.group)[e.ident]
                current = getattr(agent, e.attr)
                row = current if e.issue is None else current[e.issue]
                value = self.values[e.value] if isinstance(e.value, str) else e.value  # drawn per run, or fixed
                new = {"add": row + value, "scale": row * value, "set": np.zeros_like(row) + value}[e.op]
                new = np.clip(new, *natural_bounds(e.attr))
                new = np.where(fires, new, row)
                if e.issue is not None:
                    current = current.copy()
                    current[e.issue] = new
                    new = current
                agent.change(e.attr, new)
            if event.replaces is not None:
                self.leader[event.replaces[0]].succeed(fires, event.replaces[1])
            if isinstance(when, int):
                for key in event.leaders_changed:
                    self.leader[key].reconsider(fires)

    def _agents_of(self, group: str) -> dict:
        return {"leaders": self.leader, "advisers": self.adviser, "allies": self.ally,
                "legislatures": self.legislature, "mediators": self.mediator}[group]

    def bloc_strength(self, leader: Leader) -> np.ndarray:
        """How much of a sanction bites: the part that needs allies scales with their cohesion."""
        share = self.protocol["sanctions_ally_share"]
        if not leader.allies:
            return 1.0 - share
        weight = sum(a.weight for a in leader.allies)
        cohesion = sum(a.weight * a.cohesion for a in leader.allies) / np.maximum(weight, 1e-12)
        return (1.0 - share) + share * cohesion

    # --- after the last round -----------------------------------------------------------------
    def finish(self) -> Outcome:
        """The aftermath, phase by phase: what is signed at the close, a joint statement where
        nothing was, the votes, the allies' reactions, sanctions and where they bite, the events
        after the summit, then the score."""
        from sim.scoring import score

        if self.spec.partial_deals:
            self._partial_deals()
        n = len(self.order)
        first_backlash = max(4, 1 + n)  # slot 0: statement; 1..n: threats carried out; then backlash
        u = self.streams.slots(rng.AFTERMATH, first_backlash + len(self.legislature))
        self.ended_without_rupture = ended_without_rupture(self.held, self.walked_out)
        final, statement = self._joint_statement(u[:, 0])
        self._events("vote")
        final, ratified, withdrawn, failed = self._ratification(final)
        warmth = np.stack([self.ended_without_rupture * leader.flattery for leader in self.order])
        cohesion_start = self._allies_react(final, warmth)
        backlash, sanctions = self._sanctions(warmth, u[:, 1:1 + n], u[:, first_backlash:])
        final = self._sanctions_bite(final, sanctions)
        self._events("post")
        parts, direct = score(self, final, warmth, failed, backlash)
        learned = np.stack([leader.misjudged_at_first - leader.misjudgement() for leader in self.order])
        reference = {} if not self.with_baselines else baselines(
            np.stack([lead.ideal for lead in self.order]), np.stack([lead.salience for lead in self.order]),
            np.stack([lead.capability for lead in self.order]), self.status_quo, self.box, final)
        return Outcome(
            run_ids=self.run_ids, leaders=tuple(leader.key for leader in self.order), issues=self.spec.issues,
            held=self.held, wants_meeting=self.wants, deal=self.deal, deal_round=self.deal_round,
            walked_out=self.walked_out, walkout_round=self.walkout_round, learned=learned,
            mediated=self.mediated, partial=self.partial,
            agreed=self.agreed, final=final, status_quo=self.status_quo, joint_statement=statement, ratified=ratified,
            withdrawn=withdrawn,
            warmth=warmth, backlash=backlash, sanctions=sanctions, cohesion_start=cohesion_start,
            cohesion_end={k: a.cohesion.copy() for k, a in self.ally.items()}, events_fired=self.fired,
            parts=parts, direct=direct, baselines=reference, trace=self.trace, go_no_go=self.go_no_go,
        )

    def _joint_statement(self, draw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The text after the close, and where a vague joint statement was issued instead of a deal:
        with the protocol's probability (``draw`` below it) where the talks ended without a deal
        and without a rupture. It settles the symbolic issues (``statement_text``)."""
        final = self.agreed.copy()
        statement = self.ended_without_rupture & ~self.deal & (draw < self.protocol["joint_statement"])
        text = self.statement_text()
        if text is not None:
            final = np.where(statement[None, :], text, final)
        return final, statement

    def _allies_react(self, final: np.ndarray, warmth: np.ndarray) -> dict[str, np.ndarray]:
        """Each ally judges the text, the warmth its leader showed the other side, whether its
        leader stood firm (stayed away or walked out) and the reward the protocol gives firmness
        (``Ally.react``). Returns each ally's cohesion before it reacted."""
        protested = {leader.key: ~self.wants[i] | self.walked_out[i] for i, leader in enumerate(self.order)}
        cohesion_start = {k: a.baseline_cohesion.copy() for k, a in self.ally.items()}
        firmness = self.protocol["firmness_reward"]
        for ally in self.ally.values():
            i = self.order.index(ally.leader)
            ally.react(final, warmth[i], protested[ally.leader.key], firmness)
        return cohesion_start

    def _sanctions(self, warmth: np.ndarray, threat_draws: np.ndarray,
                   backlash_draws: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Per legislature, where its backlash fired (warmth toward the other side, in a meeting held);
        per leader, the sanctions its side imposes: that backlash, and its own threat where it
        applies and is carried out (with the leader's credibility)."""
        backlash, sanctions = {}, np.zeros((len(self.order), self.runs))
        for j, (key, legislature) in enumerate(self.legislature.items()):
            i = self.order.index(legislature.leader)
            fires = legislature.backlash_fires(warmth[i], backlash_draws[:, j]) & self.held
            backlash[key] = fires
            sanctions[i] += np.where(fires, legislature.backlash, 0.0)
        for i, leader in enumerate(self.order):
            if leader.tactic.classifier.get("threatens"):
                executed = leader.threat_applies(self.held, self.deal) & (threat_draws[:, i] < leader.credibility)
                sanctions[i] += np.where(executed, leader.threat, 0.0)
        return backlash, sanctions

    def _sanctions_bite(self, final: np.ndarray, sanctions: np.ndarray) -> np.ndarray:
        """Sanctions move their side's sanctions issue away from the others' ideals, as far as the
        allies whose part they need hold together (``bloc_strength``)."""
        for i, leader in enumerate(self.order):
            k = leader.sanctions_issue
            if k is None:
                continue
            rivals = reduce(np.add, [o.ideal[k] for o in leader.others]) / len(leader.others)
            direction = np.sign(leader.ideal[k] - rivals)
            shift = sanctions[i] * self.bloc_strength(leader) * direction
            final[k] = np.clip(final[k] + shift, 0.0, 1.0)
        return final

    def _ratification(self, final: np.ndarray) -> tuple[np.ndarray, dict, dict, dict]:
        """Each legislature's vote on a signed deal, unless its leader withdraws the treaty first
        (Legislature.withdrawn). Issues of a treaty not in force revert to the status quo; only a
        vote lost is a public defeat for the leader (``failed``)."""
        ratified, withdrawn, failed = {}, {}, {k: np.zeros(self.runs, dtype=bool) for k in self.leader}
        z = special.ndtri(self.streams.slots(rng.RATIFICATION, len(self.legislature)))
        for j, (key, legislature) in enumerate(self.legislature.items()):
            pulled = self.deal & legislature.withdrawn(final)
            voted_down = self.deal & ~pulled & ~legislature.ratify(final, z[:, j])
            ratified[key], withdrawn[key] = ~(voted_down | pulled), pulled
            failed[legislature.leader.key] |= voted_down
            revert = legislature.ratifies[:, None] & (voted_down | pulled)[None, :]
            final = np.where(revert, self.status_quo, final)
        return final, ratified, withdrawn, failed

    def replay(self) -> Outcome:
        self.run_model()
        outcome = self.finish()
        self._release()
        return outcome

    def _release(self) -> None:
        """Let go of this model once its outcome is out. Mesa before 3.4 keeps every model in a
        class-level id counter (mesa issue 3179), so a sweep that builds thousands of models would
        never free one; its maintainers' workaround is to remove the agents and that entry."""
        self.remove_all_agents()
        getattr(mesa.Agent, "_ids", {}).pop(self, None)

    def dismantle(self) -> None:
        """Drop every array this model and its agents hold, once nothing will read them again.
        Agents and model refer to each other, so without this a finished chunk's model waits for
        Python's cyclic garbage collector, which runs seldom because arrays are not what it counts:
        a million-run batch held some 600 MiB of finished chunks at its peak."""
        for group in (self.leader, self.mediator, self.adviser, self.ally, self.legislature):
            for agent in group.values():
                agent.__dict__.clear()
        self.__dict__.clear()

