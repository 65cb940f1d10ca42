"""How far inside a chamber's win-set a summit draws its text, when the vote is uncertain.

Why. A legislature's win-set is known only roughly before the vote: on the day its tolerance is
the known one plus noise (Putnam 1988, "Diplomacy and domestic politics", *International
Organization* 42(3): involuntary defection is a win-set misjudged). Treating the known tolerance
as a hard edge sent the text to that edge wherever one leader wanted more change than the chamber
allows, and a vote there passes about half the time: in nine of the shipped chambers 77-100% of
the deals voted on sat at the edge, so "ratified" was a coin toss (docs/model.md). Negotiators who
know their chamber only roughly keep a margin, weighing the chance of a vote lost against what the
last step gains (Iida 1993, "When and how do domestic constraints matter? Two-level games with
uncertainty", *Journal of Conflict Resolution* 37(3)).

The rule. Take the leader who wants the change, on one issue, with linear utility of weight w.
The chamber tolerates a change d beyond the status quo (its ``tolerance``), give or take noise of
sd s. A text a margin m inside the edge passes with probability Phi(m / s) and is then worth
w (d - m); a text voted down reverts to the status quo, worth 0. The expected gain
Phi(m / s) w (d - m) is largest where, with z = m / s,

    z + Phi(z) / phi(z) = d / s

(the first-order condition; the left side increases in z, so the root is unique). The weight w
cancels, so the margin depends only on what is public: the tolerance and the noise. A tolerance
of 0.2 with noise 0.05 gets a margin of 0.045, and the text then passes 82% of the time; 0.5 with
0.02 gets 0.042 and passes 98%; 0.1 with 0.05 gets 0.017 and passes 63%. Where the root is
below zero (d / s under Phi(0) / phi(0), about 1.25) the margin is zero: no leader signs a text it
expects its chamber to reject, which was the rule before. A chamber that demands a gain (a
negative tolerance) keeps its edge as it was. The effective tolerance, tolerance less the margin,
still rises with the tolerance (its slope is 1 - 1 / (2 + z Phi(z) / phi(z)), between 1/2 and 1),
so tied hands still tie: a tighter chamber still means a smaller win-set.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from scipy import special

SQRT_2PI = np.sqrt(2.0 * np.pi)  # phi(z) = exp(-z^2 / 2) / SQRT_2PI
LOWEST = 0.5 / (1.0 / SQRT_2PI)  # Phi(0) / phi(0): below this ratio the margin is zero
HIGHEST = 1e6  # ratios beyond this take its margin (about 5 noise units): a negligible distance
POINTS = 4097


def margin(tolerance: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """The distance inside the known tolerance at which a text is drawn (0 where there is no noise,
    where the tolerance is negative, or where it is under about 1.25 noise units)."""
    tolerance, noise = np.asarray(tolerance, dtype=float), np.asarray(noise, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(noise > 0, tolerance / noise, 0.0)
    ratios, z = _table()
    z_star = np.interp(np.log(np.clip(ratio, LOWEST, HIGHEST)), np.log(ratios), z)
    return np.where(ratio > LOWEST, noise * z_star, 0.0)


@cache
def _table() -> tuple[np.ndarray, np.ndarray]:
    """The root z of z + Phi(z) / phi(z) = r on log-spaced r from LOWEST to HIGHEST, by bisection
    to machine precision (read by interpolation in log r; the error is below 1e-6, tested)."""
    ratios = np.geomspace(LOWEST, HIGHEST, POINTS)
    lo, hi = np.zeros(POINTS), np.full(POINTS, 8.0)
    for _ in range(64):
        mid = 0.5 * (lo + hi)
        above = _condition(mid) > ratios
        lo, hi = np.where(above, lo, mid), np.where(above, mid, hi)
    return ratios, 0.5 * (lo + hi)


def _condition(z: np.ndarray) -> np.ndarray:
    """z + Phi(z) / phi(z), the left side of the first-order condition."""
    return z + special.ndtr(z) / (np.exp(-0.5 * z * z) / SQRT_2PI)
