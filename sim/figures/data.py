"""What a scenario's figures are drawn from: one batch of replays, its summary, the story of its
median replay, and (for what-if figures) the paired comparisons with the scenario's variants."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim import budget
from sim.compare import compare
from sim.loader import ScenarioError, load
from sim.model import Outcome
from sim.replay import replay
from sim.spec import Spec, compile_scenario
from sim.summary import summarize
from sim.verdict import EQUIVALENCE, margin_of


@dataclass
class Replayed:
    spec: Spec
    outcome: Outcome
    summary: dict
    seed: int
    runs: int
    story: Outcome                    # the median replay, alone, with its round-by-round trace
    variants: dict[str, str] = field(default_factory=dict)       # name -> description
    comparisons: dict[str, dict] = field(default_factory=dict)   # name -> sim.compare result

    @property
    def source(self) -> str:
        return f"{self.spec.name}: {self.runs:,} replays, seed {self.seed}"

    @property
    def names(self) -> dict[str, str]:
        return {k: v["name"] for k, v in self.spec.leaders.items()}


def median_run(outcome: Outcome) -> int:
    """The replay whose margin is the median one, among replays where the meeting was held."""
    margin = margin_of(outcome.gain, 0)
    pool = np.flatnonzero(outcome.held) if outcome.held.any() else np.arange(margin.size)
    target = np.median(margin[pool])
    return int(pool[np.argmin(np.abs(margin[pool] - target))])


def replayed(name: str, runs: int = 2000, seed: int = 2018, variants: list[str] | None = None,
             overrides: list[str] = (), delta: float = EQUIVALENCE) -> Replayed:
    """Replay a scenario for its figures; ``variants`` (names, or ['all']) adds what-if comparisons."""
    scenario = load(name, overrides)
    spec = compile_scenario(scenario)
    problem = budget.too_big(spec, runs, copies=2)
    if problem:
        raise ScenarioError(f"{name} --runs {runs:,}", [problem])
    outcome = replay(spec, runs, seed, baselines=True)
    story = replay(spec, 1, seed, first_run=int(outcome.run_ids[median_run(outcome)]), trace=True)
    declared = {k: v.description for k, v in scenario.variants.items()}
    wanted = list(declared) if variants == ["all"] else (variants or [])
    result = Replayed(spec, outcome, summarize(outcome, spec, delta), seed, runs, story)
    for v in wanted:
        variant = compile_scenario(load(name, overrides, variant=v))
        result.comparisons[v] = compare(outcome, replay(variant, runs, seed), delta)
        result.variants[v] = declared.get(v, v)
    return result
