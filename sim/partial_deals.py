"""Partial deals: at the close, the leaders sign, issue by issue, the agreements each would sign.

Why. A summit rarely signs one text over everything it discussed. It signs the agreements that are
ready and sends the rest back to its ministers: at Paris 1990 the CFE Treaty was signed whatever
came of the talks on the Gulf, and Moscow 1972 signed arms, space, health and environment
agreements apart. Fisher (1964, "Fractionating conflict", in *International Conflict and
Behavioral Science*) argued that a conflict split into smaller issues can be settled in part where
it cannot be settled whole, and Sebenius (1983, "Negotiation arithmetic: adding and subtracting
issues and parties", *International Organization* 37(2)) that subtracting an issue can create an
agreement that adding it blocked. Before this rule every proposal in the model was one text, and
an issue a leader could not accept held back everything else.

The rule. Where the talks reach the deadline without a deal (the meeting held, no one walked out,
its mandate to sign), the texts on the table are each leader's last offer and a mediator's last
draft. Each issue is then an agreement of its own, and each package (``sim.linkage``: issues
agreed together or not at all) one agreement over its issues. A leader signs an agreement, in the
wording of one of those texts, when its gain on the agreement's issues, as it perceives them, is
at least the share of its attainable gain there that its reservation claims on the whole
(``Tactic.claimed``: its ``resolve`` at a table of two, less at larger tables, none for the
rational tactic). Of the wordings every leader signs, the one signed gives the largest sum of the
leaders' gains as each perceives them (of wordings that tie, the text of the seat that proposed
first). An agreement must move its issues (a package all of
them), and some leader must gain or lose by it: no one asks for the others. Nothing is signed
where a leader's required issues are not among the agreements, where an issue left at the status
quo would break a leader's red line or a chamber's win-set (the same bounds a whole text keeps),
or where what is signed would leave a leader worse off than walking away from the summit.

What a leader holds out for on an agreement of one issue is a share of what it could attain there
(change 24 of docs/model.md; ``unopposed``): its opening, moved toward the status quo until no
other leader would lose by it on that issue. Kalai & Smorodinsky (1975, "Other solutions to Nash's
bargaining problem", *Econometrica* 43(3)) measure a party's claim against its utopia point, the
most it can get among the agreements the others would accept over none, not against its own
ideal. Measured against the opening, a leader whose ideal lies beyond another's, on the same side
of the status quo, held out for a move the other would never sign, so an issue every leader
wanted moved the same way could stay where it stood.
An agreement of several issues (a package) keeps the opening: inside it the issues trade, and
what a leader could attain there is a linear programme this rule does not solve.

The wordings weighed are the texts on the table as they stand and, for each leader's, as its
proposer would word each issue alone (``worded_alone``): a concession made in a whole text to
trade for another issue is not one a leader makes when the issue stands on its own.

Bargaining over the whole text is where issues are traded against each other; at the close each
agreement stands on its own, so a trade that only the whole text made acceptable is not signed in
part. Each agreement is weighed against the status quo on its own issues: what the leaders expect
from walking away from the summit as a whole (a threat carried out, a given walk-away value)
enters only as that last check. A leader deciding whether to walk out counts on the partial deal
it believes this rule would sign from the texts on the table (``Leader.partial_hope``). One
deciding whether to come needs no such forecast: a partial deal is a text inside the feasible box
that leaves every leader its walk-away value, so it can be signed only where a whole text could,
and there the leader already expects a share of the talks (``Leader.anticipated_gain``).
"""

from __future__ import annotations

import numpy as np

from sim.linkage import moved

TOLERANCE = 1e-12  # a leader's floor is met when its gain falls short of it by no more than this


def units_of(issues: int, packages: tuple[np.ndarray, ...]) -> list[np.ndarray]:
    """The agreements a partial deal is made of: each package (packages that share an issue merged
    into one) and each issue in none, as issue masks."""
    units: list[np.ndarray] = []
    for package in packages:
        merged = package.copy()
        for unit in [u for u in units if (u & merged).any()]:
            merged |= unit
            units = [u for u in units if u is not unit]
        units.append(merged)
    covered = np.logical_or.reduce(units) if units else np.zeros(issues, dtype=bool)
    units += [np.arange(issues) == i for i in range(issues) if not covered[i]]
    return units


def unopposed(x: np.ndarray, sq: np.ndarray, ideals: list[np.ndarray], cares: list[np.ndarray]) -> np.ndarray:
    """``x`` (issues, runs) moved toward the status quo ``sq`` until, issue by issue, no other
    leader who cares about the issue (``cares``: its weight there believed above zero) would lose by
    it. Positions are public: another is no worse off than at the status quo exactly where the text
    lies no farther from its ideal than the status quo does (loss aversion changes the size of a
    loss, not where it begins). Every such interval holds the status quo, so clipping into each in
    turn clips into their intersection."""
    for ideal, care in zip(ideals, cares, strict=True):
        reach = np.abs(sq - ideal)
        x = np.clip(x, np.where(care, ideal - reach, -np.inf), np.where(care, ideal + reach, np.inf))
    return x


def worded_alone(text: np.ndarray, sq: np.ndarray, position: np.ndarray) -> np.ndarray:
    """A leader's ``text`` as it would word each issue signed alone (change 25 of docs/model.md):
    pulled back, issue by issue, into the stretch between the status quo and its own ``position``.

    In a whole text a leader may give an issue away past its own position, or past the status quo,
    as the price of another issue; at the close each agreement stands alone (Fisher 1964; Sebenius
    1983), and alone no leader offers a step it loses by (the spatial model of bargaining: on one
    issue every step past a party's ideal costs it). A text inside the stretch is kept as it is; one
    past the position comes back to it; one past the status quo comes back to the status quo,
    leaving that issue unmoved. Where every leader's position lies on one side of the status quo,
    the nearer leader's text so worded moves the issue toward everyone's (Yalta's Far East,
    Washington 1990's trade agreement), where before every text on the table could give it whole
    to the farthest leader, a wording the nearer one loses by."""
    return np.clip(text, np.minimum(sq, position), np.maximum(sq, position))


def best_part(texts: list[np.ndarray], gains: list[list[np.ndarray]], floors: list[np.ndarray],
              walk_away: list[np.ndarray], sq: np.ndarray, units: list[np.ndarray],
              must_sign: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per run, whether anything is signed, and the text signed (issues, runs).

    ``texts``: the texts on the table, each (issues, runs). ``gains[c][l]``: leader ``l``'s
    perceived gain over the status quo from text ``c``, issue by issue. ``floors[l]``: per issue,
    what leader ``l`` holds out for on it (its claimed share of its attainable gain there).
    ``walk_away[l]``: per run, the least gain over the status quo it takes from the summit (above
    zero only where walking away is worth more to it than the status quo). ``units``: the
    agreements, as issue masks; ``must_sign`` (issues, runs): the issues without which nothing is
    signed: those a leader requires, and those whose status quo lies outside what every leader's
    red lines and every chamber's win-set allow."""
    issues = sq.shape[0]
    alone = len(units) == issues  # no package: every agreement is one issue, in the issues' order

    def per_unit(x: np.ndarray) -> np.ndarray:
        """Sums over each agreement's issues, along the issue axis (second to last)."""
        return x if alone else np.stack([x[..., u, :].sum(axis=-2) for u in units], axis=-2)

    text_of = np.stack(texts)                                    # (texts, issues, runs)
    g = np.stack([np.stack(per_leader) for per_leader in gains])  # (texts, leaders, issues, runs)
    changed = moved(text_of, sq)
    cared = (np.abs(g) > TOLERANCE).any(axis=1)
    signs = (per_unit((~changed).astype(float)) == 0.0) & (per_unit(cared.astype(float)) > 0.0)
    signs &= (per_unit(g - np.stack(floors)) >= -TOLERANCE).all(axis=1)
    agreement_gain = per_unit(g)                                 # (texts, leaders, agreements, runs)
    score = np.where(signs, agreement_gain.sum(axis=1), -np.inf)
    top = score.max(axis=0)
    # the first text, in the order of the seats, whose wording is as good within rounding: where two
    # wordings tie (equal and opposite stakes on an issue), sums taken in another order must not decide
    wording = (score >= top - TOLERANCE).argmax(axis=0)
    signed = np.isfinite(top)                                    # (agreements, runs)
    got = np.take_along_axis(agreement_gain, wording[None, None], axis=0)[0]    # (leaders, agreements, runs)
    ok = signed.any(axis=0) & (np.where(signed, got, 0.0).sum(axis=1) >= np.stack(walk_away) - TOLERANCE).all(axis=0)
    of_issue = np.zeros(issues, dtype=np.int64)
    for k, u in enumerate(units):
        of_issue[u] = k
    signed_issue, wording_issue = signed[of_issue], wording[of_issue]
    ok &= (signed_issue | ~must_sign).all(axis=0)
    chosen = np.take_along_axis(text_of, wording_issue[None], axis=0)[0]
    return ok, np.where(ok[None, :] & signed_issue, chosen, sq)
