"""What a scenario's figures are drawn from: one batch of replays, its summary, the story of its
median replay, and (for what-if figures) the paired comparisons with the scenario's variants."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from sim import budget
from sim.defaults import DEFAULT_RUNS
from sim.loader import ScenarioError, load
from sim.model import Outcome
from sim.pairing import compare
from sim.replay import replay
from sim.spec import Spec, compile_scenario
from sim.summary import summarize
from sim.verdict import EQUIVALENCE, margin_of

ZONE_RUNS = 400  # replays whose zone of agreement is solved: two linear programmes each
SCREEN_RUNS = 1000  # replays per setting of the report's screen: two settings per random input


@dataclass
class Replayed:
    spec: Spec
    outcome: Outcome
    summary: dict
    seed: int
    runs: int
    story: Outcome                    # the median replay, alone, with its round-by-round trace
    variants: dict[str, str] = field(default_factory=dict)       # name -> description
    comparisons: dict[str, dict] = field(default_factory=dict)   # name -> sim.pairing.compare result, with its verdict
    settings: list[str] = field(default_factory=list)            # --variant and --set, as typed

    @property
    def source(self) -> str:
        return f"{self.spec.name}: {self.runs:,} replays, seed {self.seed}" + "".join(f" {s}" for s in self.settings)

    @property
    def names(self) -> dict[str, str]:
        return self.spec.leader_names

    @cached_property
    def screened(self) -> dict:
        """Which input the verdict hinges on (sim.screening), on the first ``SCREEN_RUNS`` replays,
        for the report's paragraph and tornado."""
        from sim.screening import screen

        return screen(self.spec, min(self.runs, SCREEN_RUNS), self.seed, self.summary["verdict"]["delta"])

    @cached_property
    def faced(self) -> dict[str, np.ndarray]:
        """What the leaders faced in the first ``ZONE_RUNS`` replays (sim.zone.faced), solved once
        for the report's table and the zone figure."""
        from sim.zone import faced

        return faced(self.spec, self.outcome.run_ids[:ZONE_RUNS], self.seed)


def median_run(outcome: Outcome) -> int:
    """The replay whose margin is the median one, among replays where the meeting was held."""
    margin = margin_of(outcome.gain, 0)
    pool = np.flatnonzero(outcome.held) if outcome.held.any() else np.arange(margin.size)
    target = np.median(margin[pool])
    return int(pool[np.argmin(np.abs(margin[pool] - target))])


def replayed(name: str, runs: int = DEFAULT_RUNS, seed: int = 2018, compare_with: list[str] | None = None,
             overrides: list[str] = (), variant: str | None = None, delta: float = EQUIVALENCE) -> Replayed:
    """Replay a scenario once for all its figures (as ``variant``, with ``overrides``);
    ``compare_with`` (declared variants' names, or ['all']) adds what-if comparisons against it."""
    scenario = load(name, overrides, variant=variant)
    spec = compile_scenario(scenario)
    problem = budget.too_big(spec, runs, copies=2)
    if problem:
        raise ScenarioError(f"{name} --runs {runs:,}", [problem])
    outcome = replay(spec, runs, seed, baselines=True)
    settings = ([f"--variant {variant}"] if variant else []) + [f"--set {o}" for o in overrides]
    return _with_comparisons(spec, outcome, summarize(outcome, spec, delta), seed, settings, delta, compare_with,
                             lambda v: load(name, overrides, variant=v), load(name).variants)


def from_result(result, compare_with: list[str] | None = None) -> Replayed:
    """The figures' data from a ``sim.api.Result``, without replaying it."""
    from sim.api import load as load_scenario

    return _with_comparisons(result.spec, result.outcome, result.summary, result.seed, result.settings,
                             result.equivalence, compare_with,
                             lambda v: load_scenario(result.scenario, variant=v), result.scenario.variants)


def _with_comparisons(spec: Spec, outcome: Outcome, summary: dict, seed: int, settings: list[str], delta: float,
                      compare_with: list[str] | None, as_variant, declared_variants) -> Replayed:
    runs = int(outcome.run_ids.size)
    story = replay(spec, 1, seed, first_run=int(outcome.run_ids[median_run(outcome)]), trace=True)
    declared = {k: v.description for k, v in declared_variants.items()}
    wanted = list(declared) if compare_with == ["all"] else (compare_with or [])
    result = Replayed(spec, outcome, summary, seed, runs, story, settings=settings)
    for v in wanted:
        other = replay(compile_scenario(as_variant(v)), runs, seed, first_run=int(outcome.run_ids[0]))
        result.comparisons[v] = compare(outcome, other, delta, spec.leader_names)
        result.variants[v] = declared.get(v, v)
    return result
