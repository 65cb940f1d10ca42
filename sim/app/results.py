"""What the classroom app shows after each change: the replays, the verdict, the paired change
against the file as written, and the figures, computed from the engine as plain data.

A slider change re-runs ``RUNS`` replays of the changed scenario; the file as written is replayed
once per scenario and kept, so the what-if panel pairs the two on common random numbers. One
replay can also be stepped round by round, as Mesa's SolaraViz steps a model.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass

import numpy as np

from sim.api import Result, load, run
from sim.app.controls import changed_scenario
from sim.errors import ScenarioError
from sim.figures.data import from_result
from sim.figures.kinds import SCENARIO_KINDS, png
from sim.figures.style import styled
from sim.figures.tornado import tornado
from sim.pairing import compare
from sim.report import hinge_sentence, round_lines
from sim.screening import screen
from sim.spec import holders
from sim.zone import faced, situation_shares

RUNS = 2000
SEED = 2018
SHOWN = ("margin", "ahead", "issues", "dance")
ZONE_RUNS = 200  # replays the app solves for the zone of agreement when asked: two linear programmes each
SCREEN_RUNS = 300  # replays per setting when asked which input the verdict hinges on: two settings per input
_BASES: dict[str, Result] = {}


@dataclass
class View:
    result: Result
    change: dict | None                              # paired change against the file as written


_BASES_LOCK = threading.Lock()


def _base(scenario) -> Result:
    key = scenario.model_dump_json()
    with _BASES_LOCK:  # the warm-up and a page's task may ask at once: one of them replays
        if key not in _BASES:
            _BASES.clear()  # one scenario at a time: the memory of one batch
            result = run(scenario, runs=RUNS, seed=SEED)
            result.summary  # noqa: B018 - the verdict, computed once here, read by every page
            _BASES[key] = result
        return _BASES[key]


def warm_up(name: str) -> threading.Thread:
    """Replay the file the app opens on while the server finishes starting and the browser loads
    the page, so that the first page finds its verdict computed (``_base``). No figure is drawn
    here: Matplotlib's pyplot is not safe to use from two threads at once. A file that no longer
    loads is left to the page, which shows the loader's message."""
    def replay_it() -> None:
        with contextlib.suppress(ScenarioError):
            _base(load(name))

    thread = threading.Thread(target=replay_it, name="summit-warm-up", daemon=True)
    thread.start()
    return thread


def compute(scenario, fixed: dict[str, float], variants: list[str]) -> View:
    """Replay the scenario as the sliders and toggles set it, paired with the file as written."""
    base = _base(scenario)
    as_written = not fixed and not variants
    result = base if as_written else run(changed_scenario(scenario, fixed, variants), runs=RUNS, seed=SEED)
    change = None if as_written else compare(base.outcome, result.outcome, result.equivalence,
                                             result.spec.leader_names)
    return View(result, change)


def possible(view: View) -> list[tuple[str, float, float | None]]:
    """Was a deal possible? The view's first ``ZONE_RUNS`` replays by what the leaders faced
    (sim.zone.situations): each class, its share, and the share of it that ended in a deal."""
    result = view.result
    run_ids = result.outcome.run_ids[:ZONE_RUNS]
    return situation_shares(faced(result.spec, run_ids, result.seed), result.spec.signing)


def hinges(view: View) -> tuple[str, bytes]:
    """Which input the verdict on screen hinges on (sim.screening): each input the sliders leave
    random pinned at either end of its range, ``SCREEN_RUNS`` replays each; the finding in a
    sentence, and the tornado as PNG."""
    result = view.result
    screened = screen(result.spec, SCREEN_RUNS, result.seed, result.equivalence)
    with styled("paper"):
        image = png(tornado(screened, result.spec), 80)
    return hinge_sentence(screened, result.spec), image


def figure(view: View, kind: str, style: str = "paper") -> bytes:
    """One figure of the view as PNG: only the figure on screen is drawn after a change."""
    with styled(style):
        # class: shown across the page in presenter mode, 1,333 pixels wide so it stays sharp there
        return png(SCENARIO_KINDS[kind](from_result(view.result)), 80 if style == "paper" else 100)


class Stepper:
    """One replay of the changed scenario, a round at a time: the model's own ``step``."""

    def __init__(self, scenario, run_id: int = 0):
        from sim.model import SummitModel
        from sim.spec import compile_scenario

        self.spec = compile_scenario(scenario)
        self.model = SummitModel(self.spec, np.array([run_id], dtype=np.uint64), SEED, trace=True)
        self.lines: list[str] = [self._opening()]
        self._previous: dict = {}
        self.outcome = None

    def _opening(self) -> str:
        m = self.model
        names = holders(self.spec, m.fired, 0)
        wanted = ", ".join(f"{names[leader.key]} {'wants' if m.wants[i, 0] else 'does not want'} it"
                           for i, leader in enumerate(m.order))
        held = "The meeting is held." if m.held[0] else "The meeting is cancelled: the status quo stays."
        return f"Before the summit: {wanted}. {held}"

    @property
    def done(self) -> bool:
        return self.outcome is not None

    def step(self) -> None:
        """One round; after the last, the aftermath (ratification, allies, scores)."""
        if self.done:
            return
        if self.model.running:
            self.model.step()
            rec = self.model.trace[-1]
            if rec["active"][0]:
                self.lines += round_lines(rec, self.spec, self._previous, self.model.status_quo[:, 0],
                                          names=holders(self.spec, self.model.fired, rec["round"]))
            elif not any(line.startswith("No talks") for line in self.lines):
                self.lines.append("No talks: the meeting was cancelled, a deal was already signed, or the "
                                  "leaders' ceilings and the legislatures' win-sets leave nothing to agree.")
            return
        self.outcome = self.model.finish()
        names = self.spec.leader_names
        deal = ("no deal" if not self.outcome.deal[0] else "a partial deal signed at the close"
                if self.outcome.partial[0] else f"a deal in round {int(self.outcome.deal_round[0])}")
        gains = "; ".join(f"{names[k]} {self.outcome.gain[i, 0]:+z.2f}" for i, k in enumerate(self.outcome.leaders))
        self.lines.append(f"The end: {deal}. Net gains: {gains}.")
