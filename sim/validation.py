"""The model against history: one row per scenario with a ``history`` block, generated, never typed.

docs/validation.md holds the table between two markers; ``summit validation --write`` regenerates
it, and a test fails when the file no longer matches what the model says.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import numpy as np

from sim.defaults import DEFAULT_RUNS
from sim.errors import ScenarioError
from sim.library import known_scenarios
from sim.loader import is_sweep, load, parse, read, resolve, validate
from sim.replay import replay
from sim.schema import Scenario
from sim.spec import compile_scenario
from sim.stats import percent
from sim.summary import summarize
from sim.track_record import by_kind, versus_rule
from sim.verdict import DIRECTLY_SET, EQUIVALENCE, lens_margin, weight_range

RUNS, SEED = DEFAULT_RUNS, 2018
BEGIN, END = "<!-- BEGIN GENERATED: summit validation --write -->", "<!-- END GENERATED -->"


def rows(runs: int = RUNS, seed: int = SEED, delta: float = EQUIVALENCE,
         given: list[tuple[Path, Scenario]] | None = None) -> list[dict]:
    """What history says and what the model says, scenario by scenario, and where they agree:
    every known scenario with a history block, or the files ``chosen`` found.
    'Too close to call' names no leader as out ahead, so it counts as 'no clear winner': it agrees
    where history saw none, and with no leader history named."""
    out = []
    files = given if given is not None else ((p, load(str(p))) for p in known_scenarios().values())
    for path, scenario in files:
        if scenario.history is None:
            continue
        spec = compile_scenario(scenario)
        outcome = replay(spec, runs, seed)
        s = summarize(outcome, spec, delta)
        h = scenario.history
        checks, ratified = against_history(h, s, outcome)
        out.append({
            "scenario": path.stem, "year": scenario.year,
            "names": {k: v.name for k, v in scenario.leaders.items()},
            "history": h, "summary": s, "ratified": ratified,
            "checks": checks, "agree": all(checks.values()),
        })
    return out


class Chosen(NamedTuple):
    """The files ``chosen`` will replay, and the files of its folders it leaves out, each with why."""

    files: list[tuple[Path, Scenario]]
    left_out: list[tuple[Path, str]]


def chosen(given: list[str]) -> Chosen:
    """The scenario files that names, files and folders stand for, each loaded and with a history
    block: what a class, a researcher or a reviewer wrote from the record, to be checked as the
    library is. A folder gives its .yaml files that have one; the others (a scenario without a
    history block, a sweep file) are left out and named.

    Every file is read before any is replayed, and a file that cannot be used stops the whole
    check with the problems of every such file, not the first alone: a tally over the files that
    happened to load would be a track record of another set of summits than the one given."""
    files: list[tuple[Path, Scenario]] = []
    left_out: list[tuple[Path, str]] = []
    problems: list[str] = []

    def read_one(item: str | Path, named: bool) -> None:
        """A file named alone must be a scenario with a history block; a folder's need not be."""
        try:
            if named:
                path = resolve(str(item))
                scenario = load(str(path))
            else:  # read once: a sweep file is left out, a scenario checked from the same text
                path = Path(item)
                text = read(path)
                document = parse(text, path)
                if is_sweep(document):
                    left_out.append((path, "a sweep file"))
                    return
                scenario = validate(document, str(path), text)
        except ScenarioError as err:
            problems.extend(f"{err.where}: {problem}" for problem in err.problems)
            return
        if scenario.history is not None:
            files.append((path, scenario))
        elif named:
            problems.append(f"{path}: {NO_HISTORY}")
        else:
            left_out.append((path, "no history block"))

    for item in given:
        folder = Path(item)
        if not folder.is_dir():
            read_one(item, named=True)
            continue
        before = len(files) + len(problems)
        for path in sorted(folder.glob("*.yaml")):
            read_one(path, named=False)
        if len(files) + len(problems) == before:
            problems.append(f"{item}: a folder with no scenario file that has a history block")
    names = [path.stem for path, _ in files]
    problems += [f"two files are named {n}.yaml: a row is named by its file"
                 for n in sorted({n for n in names if names.count(n) > 1})]
    if problems:
        raise ScenarioError("summit validation (nothing replayed; 'summit validate FILE' checks a file alone)",
                            problems)
    return Chosen(files, left_out)


NO_HISTORY = ("no history block: write what historians concluded (who came out ahead, held, deal, ratified, "
              "with its source; docs/scenarios.md, 'Variants and history') to check the model against it")


def checked(h, s: dict, outcome, names: dict[str, str]) -> tuple[str, list[list[str]]]:
    """What historians concluded, in a sentence with its source, and each check as a row: what the
    model says and whether it agrees. The report and 'summit run' say it in the same words."""
    said = ["no clear winner" if h.ahead == "none" else f"{names[h.ahead]} came out ahead",
            "the meeting was held" if h.held else "the meeting was not held",
            "a deal was signed" if h.deal else "no deal was signed"]
    if h.ratified is not None:
        said.append("it was ratified" if h.ratified else "it was not ratified")
    checks, ratified = against_history(h, s, outcome)
    model = {"ahead": s["verdict"]["text"], "held": f"held in {percent(s['held'])} of replays",
             "deal": f"a deal in {percent(s['deal'])} of replays",
             "ratified": "-" if ratified is None else f"ratified in {percent(ratified)} of deals"}
    sentence = "; ".join(said)
    return (sentence[0].upper() + sentence[1:] + f" (source: {h.source}).",
            [[what, model[what], "agrees" if ok else "DISAGREES"] for what, ok in checks.items()])


def against_history(h, s: dict, outcome) -> tuple[dict[str, bool], float | None]:
    """The model's summary ``s`` checked against a history block: who came out ahead, held, deal,
    ratified (the model's share above or below one half); and the share of deals ratified."""
    deals = outcome.deal
    passed = np.logical_and.reduce(list(outcome.ratified.values())) if outcome.ratified else deals
    ratified = float((passed & deals).sum() / deals.sum()) if deals.any() else None
    checks = {
        "ahead": ahead_agrees(s["winner"], h),
        "held": (s["held"] > 0.5) == h.held,
        "deal": (s["deal"] > 0.5) == h.deal,
    }
    if h.ratified is not None:
        checks["ratified"] = ratified is not None and (ratified > 0.5) == h.ratified
    return checks, ratified


def ahead_agrees(winner: str | None, history) -> bool:
    """Whether the model's verdict names whom history names: no leader out ahead ('too close to
    call' included) is 'no clear winner'."""
    return (winner or "none") == history.ahead


def who(key: str, names: dict) -> str:
    """Whom a history block names as ahead, in words."""
    return "no clear winner" if key == "none" else names[key]


def table(results: list[dict], runs: int = RUNS, seed: int = SEED, delta: float = EQUIVALENCE) -> str:
    lines = [
        f"Generated from {runs:,} replays per scenario, seed {seed}, under the verdict rule of docs/model.md "
        f"(delta {delta:z.2f}). A check passes when the model's verdict equals history's: the leader ahead (or no "
        "clear winner), and whether the meeting was held, a deal was struck and it was ratified (the model's "
        "probability above or below one half). 'P ahead' is the share of replays in which the leading leader is "
        "ahead by more than delta; 'even' the share in which no one is. 'Without the directly set terms' is the "
        f"verdict with the {DIRECTLY_SET} taken out of the same replays, and the weights at which the model's verdict "
        "stands when they are counted at 0 to 2 times their weight, in steps of 0.1.",
        "",
        "| scenario | history: ahead / held / deal / ratified | source | model: verdict; P ahead, even "
        "| model, without the directly set terms | model: held / deal / ratified | agrees |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        h, s, names = r["history"], r["summary"], r["names"]
        rat = "" if h.ratified is None else f" / {'ratified' if h.ratified else 'not ratified'}"
        hist = f"{who(h.ahead, names)} / {'held' if h.held else 'not held'} / {'deal' if h.deal else 'no deal'}{rat}"
        v, p = s["verdict"], s["p_ahead"]
        even = v["shares"]["even"]
        model_ahead = (f"{v['text']}; P({names[p['leader']]} ahead) {p['p']:.1%} [{p['low']:.1%}, {p['high']:.1%}], "
                       f"even {even['p']:.1%}")
        sub = v["substance_only"]
        w = v["direct_weights"]
        substance = (f"{sub['text']}, {lens_margin(sub, names, interval=False)}; the verdict stands with them "
                     f"{weight_range(w)}")
        model_ratified = "-" if r["ratified"] is None else percent(r["ratified"])
        mech = f"{percent(s['held'])} / {percent(s['deal'])} / {model_ratified}"
        failed = [k for k, ok in r["checks"].items() if not ok]
        verdict = "yes" if r["agree"] else "**NO** (" + ", ".join(failed) + ")"
        source = h.source.replace("|", "/")
        held_out = " (held out)" if h.held_out else ""
        lines.append(f"| {r['scenario']}{held_out} | {hist} | {source} | {model_ahead} | {substance} | {mech} "
                     f"| {verdict} |")
    lines += ["", tally("All scenarios", results)]
    held_out = [r for r in results if r["history"].held_out]
    if held_out:
        built = [r for r in results if not r["history"].held_out]
        lines += ["", tally("Built with the model, or used to change it", built),
                  "", tally("Held out (written from the record afterwards, replayed once, unchanged)", held_out)]
    return "\n".join(lines)


def counts(results: list[dict]) -> dict:
    """How many of ``results`` agree with history: on who came out ahead, on every check, on every
    check of a row; how many the rule calls too close; how many a rule that always says "no
    clear winner" would get right; and how many verdicts named a winner, with how many of those
    named the one history names (what a named winner is worth, apart from a verdict of none)."""
    named = [r for r in results if r["summary"]["verdict"]["winner"] is not None]
    model_only = sum(r["checks"]["ahead"] and r["history"].ahead != "none" for r in results)
    rule_only = sum(not r["checks"]["ahead"] and r["history"].ahead == "none" for r in results)
    return {"scenarios": len(results), "ahead_agrees": sum(r["checks"]["ahead"] for r in results),
            "beats_always_none": model_only, "loses_to_always_none": rule_only,
            "p_vs_always_none": versus_rule_p(model_only, rule_only),
            "named_winner": len(named), "named_winner_agrees": sum(r["checks"]["ahead"] for r in named),
            "always_none_agrees": sum(r["history"].ahead == "none" for r in results),
            "checks": sum(len(r["checks"]) for r in results),
            "checks_pass": sum(sum(r["checks"].values()) for r in results),
            "rows_agree": sum(r["agree"] for r in results),
            "too_close": sum(r["summary"]["verdict"]["outcome"] == "too close to call" for r in results)}


def versus_rule_p(model_only: int, rule_only: int) -> float:
    """McNemar's test (1947, *Psychometrika* 12(2)), in its exact binomial form, of the model against
    the rule that always says "no clear winner" on the same summits: of those where exactly one of
    the two agrees with history, is the split further from even than chance would make it?
    Two-sided, rounded to three places so that the stored record does not change with the last
    bit of a sum."""
    from scipy.stats import binomtest

    differ = model_only + rule_only
    return 1.0 if differ == 0 else round(float(binomtest(model_only, differ, 0.5).pvalue), 3)


def track_record(results: list[dict], runs: int = RUNS, seed: int = SEED, delta: float = EQUIVALENCE) -> dict:
    """The counts for the summits built with the model and for those held out, which
    ``sim.track_record`` shows beside every verdict."""
    return {"runs": runs, "seed": seed, "delta": delta,
            "built_with": counts([r for r in results if not r["history"].held_out]),
            "held_out": counts([r for r in results if r["history"].held_out])}


def as_data(results: list[dict], left_out: list[tuple[Path, str]] = (), runs: int = RUNS, seed: int = SEED,
            delta: float = EQUIVALENCE) -> dict:
    """What ``summit validation --json`` prints, for a script that collects the model's record on
    summits written blind: a row per summit (history's block, the verdict as ``summit run --json``
    gives it, the shares held and dealt, each check and whether all agree), the files left out, and
    the tallies for the summits marked held out and the others, as ``sim/track_record.json`` keeps
    them for the library."""
    return {
        **track_record(results, runs, seed, delta),
        "left_out": [{"file": str(path), "why": why} for path, why in left_out],
        "rows": [{"scenario": r["scenario"], "year": r["year"], "names": r["names"],
                  "history": r["history"].model_dump(mode="json"), "verdict": r["summary"]["verdict"],
                  "held": r["summary"]["held"], "deal": r["summary"]["deal"], "ratified": r["ratified"],
                  "checks": r["checks"], "agree": r["agree"]} for r in results],
        "all": counts(results),
    }


def tally(label: str, results: list[dict]) -> str:
    c = counts(results)
    (named_right, named), (none_right, none) = by_kind(c, True), by_kind(c, False)
    return (f"{label}: who came out ahead agrees with history in {c['ahead_agrees']} of {c['scenarios']} scenarios "
            f"({c['too_close']} too close to call; a rule that always says no clear winner: "
            f"{c['always_none_agrees']}{versus_rule(c)}). Where the model named a winner, history named the same "
            f"one in {named_right} of {named}; where it named none, history saw none in {none_right} of {none}. "
            f"Every check: {c['checks_pass']} of "
            f"{c['checks']} pass; {c['rows_agree']} of {c['scenarios']} rows agree on everything.")


def refresh(document: str, generated: str, begin: str = BEGIN) -> str:
    """The document with the text between the markers replaced by ``generated``."""
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(document):
        raise ValueError(f"the document has no '{begin}' ... '{END}' block to fill")
    return pattern.sub(lambda _: f"{begin}\n{generated}\n{END}", document)
