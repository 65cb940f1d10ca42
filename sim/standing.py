"""Standing: the status a meeting confers, as a relation between the leaders rather than a number
each one brings.

Why. The source articles explain what Putin gained at Helsinki, and Kim at Singapore, by who sat
across the table: a leader of lower standing gains by being received as an equal, and the leader
of higher standing is the one who confers it. Status in international politics is positional
(Wohlforth 2009, "Unipolarity, status competition, and great power war", *World Politics* 61(1);
Renshon 2017, *Fighting for Status*): one side's rise in rank is the other's relative fall.
Larson & Shevchenko (2010, "Status seekers", *International Security* 34(4)) describe recognition
by the established powers as what a rising or isolated power seeks.

The rule. Each leader has a sourced ``standing`` in 0..1 before the summit. The meeting's
``recognition`` in 0..1 says how far its format treats the leaders as equals (a one-on-one
meeting, a joint press conference, a neutral venue or a state visit score high; a meeting on the
margins of a larger summit, without a joint appearance, scores low). A held meeting moves each
leader's status by ``recognition x`` the mean gap between the others' standing and its own: the
lower gains what the higher gives up, and the gains sum to zero across the table. Leaders of
equal standing gain nothing from each other's company. The scenario's ``status_value`` stays as
an explicit adjustment on top (for what standing does not capture, such as a domestic audience
that prizes the photograph itself).

A rupture forfeits the status a meeting confers, standing and status value alike
(``ended_without_rupture``). Recognition is given in public, and the summit's close is where it
is given: the joint appearance, the statement, the handshake for the cameras. A summit that
breaks up in a walk-out ends instead in a public refusal, before the audiences the recognition
was meant for, so no leader keeps the status the meeting would have brought it (and none loses
what it would have conferred). A leader deciding whether to leave therefore counts the status it
would forfeit as a cost of leaving (``Leader.walks_out``): an outside option binds only where it
beats staying (Binmore, Shaked & Sutton 1989, "An outside option experiment", *Quarterly Journal
of Economics* 104(4)). Before this rule a leader gave up only the hope of a joint statement by
leaving, and leaders walked out of summits that never broke up (Yalta in 53% of replays, Potsdam
in nearly all). A meeting that breaks up still costs what holding it did (``meeting_cost``).
"""

from __future__ import annotations

import numpy as np


def standing_gain(standings: list[np.ndarray], recognition: np.ndarray) -> list[np.ndarray]:
    """Per leader, the status a held meeting moves to it (negative: conferred on the others)."""
    n = len(standings)
    total = sum(standings[1:], standings[0].copy())
    return [recognition * (total - own * n) / (n - 1) for own in standings]


def ended_without_rupture(held: np.ndarray, walked_out: np.ndarray) -> np.ndarray:
    """Per run, whether the meeting's status is realised: it was held, and no leader walked out
    (``walked_out``: leaders x runs)."""
    return held & ~walked_out.any(axis=0)
