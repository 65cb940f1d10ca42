"""Demands heard at the table: a refusal says how much more the refuser still asks, and the
leaders who heard it weigh the refuser's concerns the more, the more it has asked.

Why. At a table of three or more a proposer writes one text for several others. It plans against
a composite of them that gives each issue to whoever is believed to care most about it (logrolling,
docs/model.md). With the same own concession it can satisfy one other and leave another short,
and with nothing to tell it who was short, it writes much the same text again: at Yalta and Tehran
the bargaining found a text that met every reservation in a third to a half of the replays that
had one, where an oracle proposer that knows every other's demand finds nearly all of them
(docs/experiments.md, "Why is there no deal?"). A refusal at a conference is not a bare no: the
delegation says what the text lacks, and the whole table hears it.

The rule is the subgradient method on the dual of the proposer's own problem. The proposer wants
the text, worth its target to itself, that leaves the worst-off other the most above its demand: a
max-min programme whose Lagrange multipliers, one per other, say how much each other's utility
weighs in the text. The composite is logrolling's reading of that weighted sum: each issue goes to
the other whose priority, times its multiplier, is highest. After every refused proposal each
leader raises its multiplier for each other that refused by the shortfall that other stated (its
demand less its value of the text, both in its own utility, which runs from 0 to 1 for every
leader), and leaves it where the other accepted: a step of one utility unit, the step that needs
no scale of its own (the subgradient method: Shor 1985, *Minimization Methods for
Non-Differentiable Functions*). The multipliers start equal, so before anyone has refused
the composite is the one the model always used; a table of two has one multiplier, which changes
nothing, so bilateral replays are bit for bit what they were.

A mediator's text is criticised to the mediator, who redrafts it (Fisher's single negotiating
text): the leaders hear demands only in answer to each other's proposals.

What is assumed: a refuser states its shortfall truthfully. A delegation that overstates it is
weighed more, which is the familiar gain from a hard line; the model leaves that to ``resolve``.
"""

from __future__ import annotations

import numpy as np


def shortfall(value: np.ndarray, demand: np.ndarray, refused: np.ndarray) -> np.ndarray:
    """What a refuser says the text lacks, in its own utility: its demand less what the text is
    worth to it, where it refused (0 where it accepted)."""
    return np.where(refused, np.maximum(demand - value, 0.0), 0.0)


def pressed(pressure: np.ndarray, heard: np.ndarray) -> np.ndarray:
    """The multiplier after one more stated shortfall: a subgradient step of one utility unit."""
    return pressure + heard


def weighted(beliefs: list[np.ndarray], pressures: list[np.ndarray]) -> list[np.ndarray]:
    """Each other's believed priorities (issues, runs) scaled by its multiplier (runs)."""
    return [belief * pressure for belief, pressure in zip(beliefs, pressures, strict=True)]
