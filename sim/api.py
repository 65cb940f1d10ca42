"""summit from Python: for notebooks, and for tools that drive a model as a function.

Everything here is what the command line does, as functions that take and return plain Python,
numpy and pandas values::

    import sim
    result = sim.run("helsinki-2018", runs=10_000, set={"leaders.us.preparation": 0.9})
    result.verdict["text"]          # 'Vladimir Putin comes out ahead'
    result.frame()                  # one row per run: every drawn parameter and every outcome
    sim.compare("helsinki-2018", variant="advisers-in-room")

``sim.as_function`` turns a scenario into ``f(**parameters) -> dict`` for SALib, EMA Workbench or
any optimiser. The same scenario, settings and seed give the same numbers as the command line,
bit for bit: both call the same engine.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from sim import __version__, arguments
from sim.defaults import DEFAULT_RUNS, DEFAULT_SEED, SCREEN_RUNS
from sim.errors import ScenarioError
from sim.verdict import EQUIVALENCE, classes, margin_of

ScenarioLike = str | Path | Any   # a name, a path, or a loaded sim.schema.Scenario
Settings = Mapping[str, Any] | Iterable[str] | str | None


def load(scenario: ScenarioLike, set: Settings = None, variant: str | None = None):
    """A checked scenario (sim.schema.Scenario) from a name, a path or a loaded scenario, with a
    declared ``variant`` and ``set`` overrides ({path: value}, or 'PATH=VALUE' strings, or one such
    string) applied."""
    from sim.loader import apply_named_variant, apply_override, forget_history, parse, read, resolve, set_path, validate
    from sim.schema import Scenario

    if isinstance(scenario, Scenario):
        document, where = scenario.model_dump(mode="json", exclude_none=True), f"scenario {scenario.name}"
        path = Path(scenario.name)
    else:
        path = resolve(str(scenario))
        document, where = parse(read(path), path), str(path)
    if variant is not None:
        apply_named_variant(document, variant, path)
    for item in _items(set):
        if isinstance(item, str):
            apply_override(document, item)
        else:
            key, value = item
            set_path(document, key, value, f"set {key}={value!r}")
    changed = variant is not None or bool(set)
    if changed:
        forget_history(document)
    # A loaded scenario's what-ifs were checked when its file was read; once one is applied, the
    # others may no longer apply (Camp David 1978 without Carter has no Carter to pay), and only
    # a what-if applied now need fit.
    checked = not changed and not isinstance(scenario, Scenario)
    return validate(document, where + (" with changes" if changed else ""), check_variants=checked)


def _set_words(settings: Settings) -> list[str]:
    """``set=`` as the command line would take it: '--set PATH=VALUE' for each item."""
    return [f"--set {item}" if isinstance(item, str) else f"--set {item[0]}={item[1]}" for item in _items(settings)]


def _items(settings: Settings) -> list:
    if not settings:
        return []
    if isinstance(settings, Mapping):
        return list(settings.items())
    if isinstance(settings, str):  # one 'PATH=VALUE', not its characters
        return [settings]
    return list(settings)


def run(scenario: ScenarioLike, runs: int = DEFAULT_RUNS, seed: int = DEFAULT_SEED, set: Settings = None,
        variant: str | None = None, equivalence: float = EQUIVALENCE) -> Result:
    """Replay a scenario ``runs`` times: the same numbers as ``summit run`` with the same settings."""
    from sim import budget
    from sim.replay import replay
    from sim.spec import compile_scenario

    runs, seed, equivalence = arguments.batch(runs, seed, equivalence)
    scenario = load(scenario, set, variant)
    spec = compile_scenario(scenario)
    problem = budget.too_big(spec, runs)
    if problem:
        raise ScenarioError(f"sim.run({scenario.name!r}, runs={runs})", [problem])
    outcome = replay(spec, runs, seed, baselines=True)
    settings = ([f"--variant {variant}"] if variant else []) + _set_words(set)
    return Result(scenario, spec, outcome, seed, equivalence, settings)


@dataclass
class Result:
    """One batch of replays and everything reported on it."""

    scenario: Any        # sim.schema.Scenario
    spec: Any            # sim.spec.Spec
    outcome: Any         # sim.model.Outcome: per-run arrays, the last axis the run
    seed: int
    equivalence: float = EQUIVALENCE
    settings: list[str] = field(default_factory=list)

    @property
    def runs(self) -> int:
        return int(self.outcome.run_ids.size)

    @cached_property
    def summary(self) -> dict:
        """What ``summit run --json`` prints."""
        from sim import heap
        from sim.summary import summarize

        s = summarize(self.outcome, self.spec, self.equivalence)
        s.update(seed=self.seed, settings=self.settings, version=__version__)
        heap.give_back()  # the summary's temporaries, sized by the batch
        return s

    @property
    def verdict(self) -> dict:
        """The verdict rule's answer: ``text``, ``winner``, class ``shares`` with intervals, the
        ``margin``, the lenses ``given_held`` and ``given_deal``, ``substance_only``, ``rests_on``, and
        ``direct_weights`` (over what weight of the directly set terms it stands)."""
        return self.summary["verdict"]

    def __repr__(self) -> str:
        """One line, so that a notebook cell ending in a result shows its answer, not its arrays."""
        settings = f", {' '.join(self.settings)}" if self.settings else ""
        return (f"<sim.Result {self.spec.name}: {self.runs:,} replays, seed {self.seed}{settings}: "
                f"{self.verdict['text']}>")

    def _repr_html_(self) -> str:
        """A notebook cell that ends in a result shows it as the report opens: the verdict, the rule
        fixed in advance, the shares through each lens, what the verdict rests on, how far to trust
        it, and history's verdict beside it. ``print(result)`` gives the whole text and
        ``result.plot()`` the figures; nothing here draws one, so matplotlib is not imported."""
        from sim.figures.data import from_result
        from sim.figures.document import NOTEBOOK_STYLE, history_blocks, html_of, verdict_blocks

        r = from_result(self, [])
        content = [("small", f"{r.source}; summit {__version__}. print(result) for the whole report, "
                             "result.plot(kind) for its figures."),
                   *verdict_blocks(r, hinge=False), *history_blocks(r, self.scenario.history)]
        return f"<div class='summit-result'><style>{NOTEBOOK_STYLE}</style>{html_of(content)}</div>"

    def __str__(self) -> str:
        """What ``summit run`` prints: the verdict, its rule and reasons, the summit, issues, allies."""
        from sim.report import render

        return render(self.summary, self.spec, self.seed, self.settings, self.scenario.history, self.outcome)

    def frame(self):
        """A pandas DataFrame, one row per run: the run id, every drawn parameter by its path (at a
        table of three or more, ``protocol.turns``: the order of turns the run drew), and
        every outcome (gains and their parts, the verdict's class, held, deal and its round, walk-outs,
        ratification and backlash per legislature, sanctions, cohesion, issues agreed and final)."""
        import pandas as pd

        from sim import rng, seating
        from sim.spec import draw

        out, keys = self.outcome, self.outcome.leaders
        columns: dict[str, np.ndarray] = {"run": out.run_ids.astype(np.int64)}
        streams = rng.Streams(self.seed, out.run_ids)
        columns.update(draw(self.spec, streams))
        if len(self.spec.leaders) > 2:  # the order of turns each run drew (sim.seating)
            orders = np.array([" ".join(order) for order in seating.orders(self.spec)], dtype=object)
            columns[seating.KEY] = orders[seating.drawn(self.spec, streams)]
        gain, cls = out.gain, classes(out.gain, self.equivalence)
        lead = keys.index(self.verdict["lead"])
        columns["ahead"] = np.array([*keys, "even"], dtype=object)[cls]
        columns["margin"] = margin_of(gain, lead)
        for i, k in enumerate(keys):
            columns[f"gain.{k}"] = gain[i]
            for j, part in enumerate(out.PART_NAMES):
                columns[f"{part}.{k}"] = out.parts[i, j]
            columns[f"directly_set.{k}"] = out.direct[i]
            columns[f"wanted_meeting.{k}"] = out.wants_meeting[i]
            columns[f"sanctions.{k}"] = out.sanctions[i]
            columns[f"walked_out.{k}"] = out.walked_out[i]
            columns[f"learned.{k}"] = out.learned[i]
        columns.update(held=out.held, deal=out.deal, deal_round=out.deal_round, partial=out.partial,
                       mediated=out.mediated, joint_statement=out.joint_statement, walkout_round=out.walkout_round)
        columns.update({f"ratified.{k}": v for k, v in out.ratified.items()})
        columns.update({f"withdrawn.{k}": v for k, v in out.withdrawn.items()})
        columns.update({f"backlash.{k}": v for k, v in out.backlash.items()})
        columns.update({f"cohesion.{k}": v for k, v in out.cohesion_end.items()})
        columns.update({f"cohesion_change.{k}": v - out.cohesion_start[k] for k, v in out.cohesion_end.items()})
        columns.update({f"event.{k}": v for k, v in out.events_fired.items()})
        for n, issue in enumerate(out.issues):
            columns[f"agreed.{issue}"] = out.agreed[n]
            columns[f"final.{issue}"] = out.final[n]
        return pd.DataFrame(columns)

    def issues(self):
        """A pandas DataFrame, one row per issue: what 0 and 1 mean, the status quo, the mean
        outcome with its interval, each leader's mean ideal, how often it moved, the baselines."""
        import pandas as pd

        rows = []
        for k, (key, v) in enumerate(self.summary["issues"].items()):
            row = {"issue": key, "label": v["label"], "scale": self.spec.issue_notes[k],
                   "status_quo": v["status_quo"], "outcome": v["outcome"]["mean"],
                   "outcome_low": v["outcome"]["low"], "outcome_high": v["outcome"]["high"], "moved": v["moved"]}
            row.update({f"ideal.{lk}": self.spec.draws[f"leaders.{lk}.ideal.{key}"].mean
                        for lk in self.outcome.leaders})
            row.update({name: v.get(name) for name in ("compromise", "median", "nash")})
            rows.append(row)
        return pd.DataFrame(rows).set_index("issue")

    def zones(self, runs: int = 400):
        """A pandas DataFrame for the first ``runs`` replays of this result (two linear programmes
        each, so a sample): ``held``; ``talks`` (held, and the ceilings, win-sets and red lines allow
        some text); the depth of the zone of agreement over every leader's walk-away value
        (``walk_away``) and over every reservation (``reservation``), as the leaders saw it when
        they sat down, where a zone exists at depth 0 or more and ``-inf`` marks no talks; and
        ``deal``, as in ``frame()`` (sim/zone.py)."""
        import pandas as pd

        from sim.zone import faced

        run_ids = self.outcome.run_ids[:arguments.checked(runs=runs)["runs"]]
        return pd.DataFrame({"run": run_ids.astype(np.int64), **faced(self.spec, run_ids, self.seed)})

    def plot(self, kind: str = "ahead", style: str = "paper", compare_with: list[str] | None = None):
        """A matplotlib Figure of this result: ahead, margin, dance, two-level, allies, what-if or zone
        (``compare_with``: declared variants, default all of them)."""
        from sim.figures.data import from_result
        from sim.figures.kinds import SCENARIO_KINDS
        from sim.figures.style import styled

        if kind not in SCENARIO_KINDS:
            raise ValueError(f"no figure kind '{kind}'; choose one of {', '.join(SCENARIO_KINDS)}")
        wanted = compare_with if compare_with is not None else (["all"] if kind == "what-if" else [])
        with styled(style):
            return SCENARIO_KINDS[kind](from_result(self, wanted))


class Comparison(dict):
    """What ``sim.compare`` returns: per variant, the paired changes (sim.pairing.compare), as a
    plain dict keyed by the variant's name. A notebook cell that ends in one shows one line per
    variant, its verdict against the base's, rather than every nested number; ``print`` gives what
    ``summit compare`` prints."""

    def __init__(self, changes: dict[str, dict], spec: Any, seed: int, labels: dict[str, str]):
        super().__init__(changes)
        self.spec, self.seed, self.labels = spec, seed, labels

    def __repr__(self) -> str:
        said = "; ".join(f"{name}: {c['verdict']['variant']}" + (f" (was: {c['verdict']['base']})"
                                                               if c["verdict"]["changed"] else " (unchanged)")
                         for name, c in self.items())
        return f"<sim.Comparison {self.spec.name}: {said}>"

    def __str__(self) -> str:
        from sim.report import render_comparison

        return render_comparison(self, self.spec, self.seed, self.labels)


def compare(base: ScenarioLike | Result, variant: str | list[str] | None = None, set: Settings = None,
            runs: int = DEFAULT_RUNS, seed: int = DEFAULT_SEED, equivalence: float = EQUIVALENCE) -> Comparison:
    """What if? Each declared ``variant`` (a name, a list, or 'all'), and the ``set`` overrides
    together as one more, replayed on common random numbers against ``base``: per variant, the
    paired change in each leader's gain, its parts and its chance of being ahead, and the verdict."""
    from sim.pairing import compare as paired
    from sim.replay import replay
    from sim.spec import compile_scenario

    runs, seed, equivalence = arguments.batch(runs, seed, equivalence)
    result = base if isinstance(base, Result) else run(base, runs, seed, equivalence=equivalence)
    declared = list(result.scenario.variants)
    names = declared if variant == "all" else ([variant] if isinstance(variant, str) else list(variant or []))
    if not names and not set:
        raise ScenarioError("sim.compare", ["name a variant or give set= overrides; this scenario declares: "
                                            + (", ".join(declared) or "no variants")])
    changes: dict[str, dict] = {}
    others = [(n, load(result.scenario, variant=n)) for n in names]
    if set:
        others.append(("set", load(result.scenario, set)))
    for name, scenario in others:
        outcome = replay(compile_scenario(scenario), result.runs, result.seed)
        changes[name] = paired(result.outcome, outcome, result.equivalence, result.spec.leader_names)
    labels = {n: result.scenario.variants[n].description for n in names}
    if set:
        labels["set"] = " ".join(_set_words(set))
    return Comparison(changes, result.spec, result.seed, labels)


@dataclass
class Screening:
    """Which input the verdict hinges on (``sim.screen``; sim.screening): the base verdict, and each
    random input pinned at the 5th and the 95th percentile of its range, on common random numbers."""

    scenario: Any                # the sim.schema.Scenario screened
    spec: Any                    # its compiled sim.spec.Spec
    data: dict                   # what sim.screening.screen returns: plain numbers

    @property
    def verdict(self) -> str:
        """The verdict over the base replays, in words."""
        from sim.verdict import text

        return text(self.data["verdict"], self.spec.leader_names)

    @property
    def hinges_on(self) -> list[str]:
        """The inputs at one end of which the verdict changes, by path."""
        return [row["path"] for row in self.data["inputs"] if row["moves"]]

    def frame(self):
        """One row per random input, widest swing first: its range as the file writes it, the value
        at each end, the verdict and the leading leader's mean margin there, the swing, and whether
        the verdict changes at either end."""
        import pandas as pd

        from sim.sources import ranges
        from sim.verdict import text

        shown, names = ranges(self.scenario), self.spec.leader_names
        return pd.DataFrame([{"input": row["path"], "range": shown.get(row["path"], ""),
                              **{f"{key}_{end}": value for end in ("low", "high") for key, value in (
                                  ("value", row[end]["value"]), ("verdict", text(row[end]["verdict"], names)),
                                  ("margin", row[end]["margin"]["mean"]))},
                              "swing": row["swing"], "moves_verdict": row["moves"]} for row in self.data["inputs"]])

    def plot(self, top: int = 12, style: str = "paper"):
        """The tornado: the leading leader's margin at either end of the ``top`` inputs that swing it
        most, and of every input that moves the verdict."""
        from sim.figures.style import styled
        from sim.figures.tornado import tornado

        with styled(style):
            return tornado(self.data, self.spec, top)

    def __repr__(self) -> str:
        moves, inputs = self.hinges_on, len(self.data["inputs"])
        which = f" ({', '.join(moves[:3])}{', ...' if len(moves) > 3 else ''})" if moves else ""
        return (f"<sim.Screening {self.spec.name}: {self.verdict}; {len(moves)} of {inputs} random inputs "
                f"move it at either end of its range{which}>")

    def __str__(self) -> str:
        from sim.report import render_screening
        from sim.sources import ranges

        return render_screening(self.data, self.spec, ranges(self.scenario), top=15)


def screen(scenario: ScenarioLike, runs: int = SCREEN_RUNS, seed: int = DEFAULT_SEED, set: Settings = None,
           variant: str | None = None, equivalence: float = EQUIVALENCE) -> Screening:
    """Which input does the verdict hinge on? Every random input pinned in turn at either end of its
    range (the 5th and 95th percentiles), ``runs`` replays each on common random numbers, and the
    verdict rule applied to each: what ``summit screen`` prints."""
    from sim.screening import NOTHING_TO_SCREEN
    from sim.screening import screen as screened
    from sim.spec import compile_scenario

    runs, seed, equivalence = arguments.batch(runs, seed, equivalence)
    checked = load(scenario, set, variant)
    spec = compile_scenario(checked)
    if not spec.random_paths:
        raise ScenarioError(f"sim.screen {checked.name}", [NOTHING_TO_SCREEN])
    return Screening(checked, spec, screened(spec, runs, seed, equivalence))


@dataclass
class SweepResult:
    """A finished sweep's results folder, and its tables as pandas DataFrames."""

    folder: Path
    points: Any          # per design point: factors, runs, each outcome's mean, sd and mean given a deal
    design: Any          # the design points

    def __repr__(self) -> str:
        return f"<sim.SweepResult {self.folder}: {len(self.points):,} design points>"

    def rows(self, columns: list[str] | None = None):
        """The per-run rows (every run, or only ``columns``)."""
        from sim.sweeps.store import Store

        return Store(self.folder).rows(columns=columns)

    def sensitivity(self, outcomes: list[str]) -> list[dict]:
        """Sobol', Morris or RBD-FAST indices of ``outcomes``, with each outcome's spread."""
        from sim.sweeps import analyze, session
        from sim.sweeps.store import Store

        sweep = session.sweep_of(Store(self.folder))
        return analyze.sensitivity(sweep, self.points, outcomes) if sweep else []


def sweep(file: str | Path, out: str | Path, workers: int | None = 1, scheduler: str | None = None,
          progress: bool = False) -> SweepResult:
    """Run (or resume) a sweep file into the results folder ``out``, as ``summit sweep`` does."""
    from sim.sweeps import analyze, session
    from sim.sweeps.sweepfile import load_sweep

    manifest, table = session.sweep_request(load_sweep(file))
    _, store, _ = session.start(manifest, table, str(out), workers, scheduler, progress)
    try:
        return SweepResult(Path(out), analyze.points(store), store.design())
    finally:
        store.release()


def as_function(scenario: ScenarioLike, outcomes: list[str] | None = None, runs: int = 2000,
                seed: int = DEFAULT_SEED, equivalence: float = EQUIVALENCE) -> Callable[..., dict[str, float]]:
    """The scenario as a function of its parameters, for samplers and optimisers.

    ``f(**{"leaders.us.preparation": 0.5})`` replays ``runs`` runs with those parameters fixed (the
    rest drawn as the file says, on common random numbers from ``seed``) and returns a dict of
    floats: by default each leader's mean gain (``gain.<leader>``) and the verdict's class shares
    (``p_ahead.<leader>``, ``p_even``); ``outcomes`` may also name ``deal``, ``held`` and
    ``margin``."""
    from sim.fields import closest
    from sim.replay import replay_runs
    from sim.schema import path_bounds
    from sim.spec import compile_scenario

    runs, seed, equivalence = arguments.batch(runs, seed, equivalence)
    loaded = load(scenario)
    spec = compile_scenario(loaded)
    keys = list(spec.leaders)
    known = {f"gain.{k}" for k in keys} | {f"p_ahead.{k}" for k in keys} | {"p_even", "deal", "held", "margin"}
    wanted = outcomes or [*(f"gain.{k}" for k in keys), *(f"p_ahead.{k}" for k in keys), "p_even"]
    unknown = [o for o in wanted if o not in known]
    if unknown:
        raise ValueError(f"unknown outcomes {unknown}; choose from {sorted(known)}")
    run_ids = np.arange(runs, dtype=np.uint64)

    def f(**parameters: float) -> dict[str, float]:
        overrides = {}
        for path, value in parameters.items():
            if path not in spec.draws:
                close = closest(path, list(spec.draws))
                raise ValueError(f"'{path}' is not a numeric parameter of {loaded.name}; " + (
                    f"did you mean '{close}'?" if close else
                    f"it has {len(spec.draws)}, e.g. {', '.join(list(spec.draws)[:3])}"))
            low, high = path_bounds(path)
            if isinstance(value, bool) or not (isinstance(value, numbers.Real) and math.isfinite(value)
                                               and low <= value <= high):
                raise ValueError(f"{path} = {value!r}: must be a finite number in [{low:g}, {high:g}]")
            overrides[path] = np.full(runs, float(value))
        out = replay_runs(spec, run_ids, seed, overrides)
        cls = classes(out.gain, equivalence)
        values = {f"gain.{k}": float(out.gain[i].mean()) for i, k in enumerate(out.leaders)}
        values.update({f"p_ahead.{k}": float((cls == i).mean()) for i, k in enumerate(out.leaders)})
        values.update(p_even=float((cls == -1).mean()), deal=float(out.deal.mean()), held=float(out.held.mean()),
                      margin=float(margin_of(out.gain, 0).mean()))
        return {name: values[name] for name in wanted}

    f.__doc__ = f"{loaded.title}: {', '.join(wanted)} as a function of its parameters ({runs} runs, seed {seed})."
    return f
