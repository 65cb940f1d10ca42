"""What a leader's resolve claims at a table of several: a share of the surplus scaled to the
table's size, so that a leader of middling resolve holds out for its equal share.

Why. ``resolve`` is read from the record as firmness: 0 takes anything better than walking away,
1 holds out for everything, and a leader the record calls neither soft nor hard sits near 0.5.
At a table of two, holding out for 0.5 of one's surplus is holding out for an equal split. At a
table of three the same reading made three middling leaders each hold out for half of their
surplus, which no text can give all three where their interests conflict: Yalta and Tehran, with
no reservations compatible in any replay once perceptions were true, signed deals in 4% and 8%
of replays, where history had agreements at both.

Theory. In the n-person Nash bargaining solution of a symmetric problem each party gets 1/n of
the surplus, and so does each party in the stationary equilibrium of n-person alternating-offers
bargaining as the parties grow patient (Krishna & Serrano 1996, "Multilateral bargaining",
*Review of Economic Studies* 63(1)). The equal share is the focal claim of a party that is
neither soft nor hard. So resolve keeps its anchors, 0 (nothing) and 1 (everything), and its
middle becomes the equal share: linear from 0 to 1/n for resolve up to one half, and from 1/n to
1 above. At a table of two this is resolve itself, bit for bit: no bilateral replay moves.
"""

from __future__ import annotations

import numpy as np


def claimed_share(resolve: np.ndarray, leaders: int) -> np.ndarray:
    """The share of its surplus (best text less walk-away value) a leader holds out for at the
    deadline, at a table of ``leaders``."""
    equal = 1.0 / leaders
    twice = 2.0 * resolve
    return np.where(twice <= 1.0, twice * equal, equal + (twice - 1.0) * (1.0 - equal))
