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
"""

from __future__ import annotations

import numpy as np


def standing_gain(standings: list[np.ndarray], recognition: np.ndarray) -> list[np.ndarray]:
    """Per leader, the status a held meeting moves to it (negative: conferred on the others)."""
    n = len(standings)
    total = sum(standings[1:], standings[0].copy())
    return [recognition * (total - own * n) / (n - 1) for own in standings]
