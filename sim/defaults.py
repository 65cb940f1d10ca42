"""Settings every command shares, so that the same settings give the same numbers everywhere, and
the parameters the model supplies where a scenario file is silent."""

from __future__ import annotations

from dataclasses import dataclass

from sim import loss_aversion

DEFAULT_RUNS = 10_000  # run, compare, plot, report, validation and the Python API
DEFAULT_SEED = 2018
SCREEN_RUNS = 2_000  # per setting of 'summit screen' and sim.screen: two settings per random input
MAX_BYTES = 1_000_000  # the most a summit file may hold (sim.safe_yaml); the largest shipped is about 30 kB
EQUIVALENCE = 0.10  # the verdict rule's delta, fixed in advance (sim.verdict says why)
TACTICS = ("boulware", "conceder", "linear", "tit_for_tat", "two_part", "rational")  # a file may name (sim.tactics)


@dataclass(frozen=True)
class Supplied:
    """A parameter the model supplies where a file leaves it out: drawn as a fixed value under its
    path (so ``--set``, sweeps and the app can move it), shown with its source by ``summit show``,
    and listed among what the model assumes."""

    value: float
    source: str    # "key: paraphrase", as a file would write it
    citation: str  # the sources-table entry for that key
    meaning: str   # what the assumption says, for a reader of 'summit show'


SUPPLIED = {
    loss_aversion.PATH: Supplied(
        loss_aversion.LOSS_AVERSION, loss_aversion.SOURCE, loss_aversion.CITATION,
        "not given: every leader weighs a loss against the status quo this many times a gain of the same size "
        "(the meta-analytic mean, sim.loss_aversion); 1 turns it off"),
}
