"""Linkage: issues agreed together or not at all, issues a leader will not sign without, and the
meetings that sign nothing.

Linking issues changes what can be agreed (Sebenius 1983, "Negotiation arithmetic: adding and
subtracting issues and parties", *International Organization* 37(2)). At Reykjavik Gorbachev
made every arms agreement conditional on confining SDI to the laboratory: "nothing is agreed
until everything is agreed". Such a rule is written as a *package* (its issues move together or
not at all) or as a leader's *requires* list (a deal that leaves one of them at the status quo is
unacceptable to that leader). Neither changes how an offer is built; both decide whether a text
that every leader would accept on its merits may be signed. A meeting whose *mandate* is talks
(Chequers 1984, Malta 1989: to take the other's measure) signs nothing at all. And a text that
leaves every issue at the status quo is no deal: there is nothing to sign (loss-averse leaders
who cannot trade may still meet there, sim.loss_aversion).
"""

from __future__ import annotations

import numpy as np

MOVED = 1e-6  # an issue has moved when the text leaves it further than this from the status quo


def moved(text: np.ndarray, sq: np.ndarray) -> np.ndarray:
    """Per issue (and run), whether ``text`` leaves it further than ``MOVED`` from the status quo."""
    return np.abs(text - sq) > MOVED


def admissible(offer: np.ndarray, sq: np.ndarray, packages: tuple[np.ndarray, ...],
               required: list[np.ndarray]) -> np.ndarray:
    """Per run, whether a text may be signed: some issue moved, every package moved whole or not at
    all, and every leader's required issues moved."""
    changed = moved(offer, sq)
    ok = changed.any(axis=0)
    for package in packages:
        part = changed[package]
        ok &= part.all(axis=0) | ~part.any(axis=0)
    for needs in required:
        if needs.any():
            ok &= changed[needs].all(axis=0)
    return ok


def why_not(offer: np.ndarray, sq: np.ndarray, packages: dict[str, np.ndarray], required: dict[str, np.ndarray],
            labels: tuple[str, ...]) -> list[str]:
    """For one run's text (``offer`` per issue), what linkage it breaks, in words."""
    changed = moved(offer, sq)
    reasons = [] if changed.any() else ["it leaves every issue at the status quo"]
    for name, package in packages.items():
        if changed[package].any() and not changed[package].all():
            left = [labels[k] for k in np.flatnonzero(package & ~changed)]
            reasons.append(f"it breaks the package '{name}' (untouched: {', '.join(left)})")
    for who, needs in required.items():
        left = [labels[k] for k in np.flatnonzero(needs & ~changed)]
        if left:
            reasons.append(f"{who} will not sign without {', '.join(left)}")
    return reasons
