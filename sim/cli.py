"""The ``summit`` command: list, show, run, compare, author and check scenarios."""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import textwrap
from pathlib import Path

from sim import __version__, arguments
from sim.defaults import DEFAULT_RUNS, DEFAULT_SEED, EQUIVALENCE, SCREEN_RUNS
from sim.errors import ScenarioError
from sim.figures import commands as figure_commands
from sim.sweeps import commands as sweep_commands

# Each command imports what it uses when it runs, so that 'summit --help', 'list', 'show',
# 'validate' and 'schema' start without loading Mesa, pandas, matplotlib or Dask.

def _checked(check, value):
    """A value by ``sim.arguments``'s check, as argparse reports a bad one."""
    try:
        return check(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None


def _positive(text: str) -> int:
    return _checked(arguments.count, _whole(text))


def _seed(text: str) -> int:
    return _checked(arguments.seed, _whole(text))


def _equivalence(text: str) -> float:
    try:
        d = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    return _checked(arguments.equivalence, d)


def add_equivalence(p: argparse.ArgumentParser) -> None:
    """The verdict rule's delta, for sensitivity analysis only: no scenario can set it."""
    p.add_argument("--equivalence", type=_equivalence, default=EQUIVALENCE, metavar="D",
                   help=f"the verdict rule's equivalence margin (default {EQUIVALENCE}; for sensitivity "
                        "analysis only, see docs/model.md)")


def to_json(data) -> str:
    """JSON that any parser reads: a value that is not a finite number becomes null."""
    def clean(x):
        if isinstance(x, dict):
            return {k: clean(v) for k, v in x.items()}
        if isinstance(x, list | tuple):
            return [clean(v) for v in x]
        if isinstance(x, float) and not math.isfinite(x):
            return None
        return x
    return json.dumps(clean(data), indent=2, allow_nan=False)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="summit", description="Replay diplomatic summits: who comes out ahead, and why.")
    p.add_argument("--version", action="version", version=f"summit {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list the known scenarios: year, parties, what happened",
                   description="List the shipped scenarios and those in the folders SUMMIT_SCENARIOS names "
                               "(separated by ':'), each checked as a run checks it. What it reads of a file is "
                               "remembered until the file or summit changes, in SUMMIT_CACHE_DIR (default "
                               "~/.cache/summit; empty: remember nothing).")
    show = sub.add_parser("show", help="show a scenario's actors, issues and sourced parameters")
    show.add_argument("scenario", help="a scenario name (see 'summit list') or a YAML file")
    show.add_argument("--set", action="append", default=[], metavar="PATH=VALUE", dest="overrides")
    run = sub.add_parser("run", help="replay a scenario many times and report who comes out ahead")
    _replay_arguments(run, DEFAULT_RUNS, f"number of replays (default {DEFAULT_RUNS})")
    run.add_argument("--trace", nargs="?", const=0, type=int, metavar="RUN",
                     help="also tell the story of one replay, round by round (default: replay 0)")
    run.add_argument("--json", action="store_true", help="print the numbers as JSON instead of a report")
    add_equivalence(run)
    cmp = sub.add_parser("compare", help="what if? replay variants against the baseline on common random numbers")
    cmp.add_argument("scenario", help="a scenario name (see 'summit list') or a YAML file")
    cmp.add_argument("--variant", action="append", default=[], metavar="NAME",
                     help="a variant the scenario file declares (repeatable; 'all' for every one)")
    cmp.add_argument("--set", action="append", default=[], metavar="PATH=VALUE", dest="overrides",
                     help="together, one more variant made of these overrides (repeatable)")
    cmp.add_argument("--runs", type=_positive, default=DEFAULT_RUNS,
                     help=f"replays per variant (default {DEFAULT_RUNS})")
    cmp.add_argument("--seed", type=_seed, default=DEFAULT_SEED,
                     help=f"random seed shared by all variants (default {DEFAULT_SEED})")
    cmp.add_argument("--json", action="store_true", help="print the numbers as JSON instead of a report")
    add_equivalence(cmp)
    scr = sub.add_parser("screen", help="which input does the verdict hinge on? each pinned at either end of its range")
    _replay_arguments(scr, SCREEN_RUNS, f"replays per setting (default {SCREEN_RUNS:,}; two settings per random input)")
    scr.add_argument("--top", type=_positive, default=15,
                     help="list this many inputs, or every one that moves the verdict if more (default 15)")
    scr.add_argument("--json", action="store_true", help="print the numbers as JSON instead of a report")
    scr.add_argument("--out", metavar="FILE", help="also draw the tornado figure to FILE (.png, .svg or .pdf; a "
                                                   "folder gets SCENARIO-tornado)")
    scr.add_argument("--force", action="store_true", help="replace the figure's file if it exists already")
    add_equivalence(scr)
    new = sub.add_parser("new", help="start a new scenario as a copy of an existing one")
    new.add_argument("name", help="the new scenario's name: lower case, digits and dashes, e.g. vienna-1961-b")
    new.add_argument("--from", dest="source", required=True, help="the scenario to copy (name or file)")
    new.add_argument("--out", help="where to write it (default: ./NAME.yaml; a folder gets NAME.yaml); an existing "
                                   "file is never replaced")
    new.add_argument("--force", action="store_true", help="replace a file that exists already")
    check = sub.add_parser("validate", help="check scenario or sweep files and list every problem in each")
    check.add_argument("files", nargs="+", help="scenario names, or scenario or sweep YAML files")
    val = sub.add_parser("validation", help="replay every scenario with a history block and compare with history")
    val.add_argument("scenarios", nargs="*", metavar="SCENARIO",
                     help="names, files or folders of scenarios with a history block, such as summits written "
                          "blind from the record (default: every known scenario)")
    val.add_argument("--write", metavar="FILE", help="refresh the generated table in FILE (e.g. docs/validation.md)")
    shown = val.add_mutually_exclusive_group()
    shown.add_argument("--markdown", action="store_true", help="print the Markdown table of docs/validation.md "
                                                                "(sources and shares) instead of the summary")
    shown.add_argument("--json", action="store_true",
                       help="print every row, the files left out and the tallies as JSON, for scripts")
    add_equivalence(val)
    sub.add_parser("schema", help="print the JSON Schema of scenario files")
    app = sub.add_parser("app", help="the classroom app in the browser: move a slider, watch who comes out ahead")
    app.add_argument("scenario", nargs="?", default="helsinki-2018", help="the summit to open (default helsinki-2018)")
    app.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    app.add_argument("--port", type=_positive, help="port (default: a free one)")
    app.add_argument("--open", action="store_true", help="open the page in the default browser")
    sweep_commands.add_commands(sub, _positive, _seed)
    figure_commands.add_commands(sub, _positive, _seed, add_equivalence)
    return p


def _replay_arguments(p: argparse.ArgumentParser, runs: int, runs_help: str) -> None:
    """What names a replay, as 'summit run' takes it: the scenario, runs, seed, overrides and variant."""
    p.add_argument("scenario", help="a scenario name (see 'summit list') or a YAML file")
    p.add_argument("--runs", type=_positive, default=runs, help=runs_help)
    p.add_argument("--seed", type=_seed, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    p.add_argument("--set", action="append", default=[], metavar="PATH=VALUE", dest="overrides",
                   help="override a parameter, e.g. leaders.us.preparation=0.8 (repeatable)")
    p.add_argument("--variant", metavar="NAME", help="one of the variants the scenario file declares")


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _numbered(problems: list[str]) -> list[str]:
    """Problems one to a line, numbered, as 'summit validate' lists a file's."""
    return [f"  {i}. {problem}" for i, problem in enumerate(problems, 1)]


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return _dispatch(args)
    except ScenarioError as err:
        told = err.message() if len(err.problems) == 1 else "\n".join(
            [f"{err.where}: {_count(len(err.problems), 'problem')}", *_numbered(err.problems)])
        print(f"summit: {told}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("summit: stopped by Ctrl-C", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader stopped reading ('summit list | head'): nothing to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as err:  # a path the system refuses: /proc, a read-only disk, a missing folder
        where = f"{err.filename}: " if err.filename else ""
        print(f"summit: {where}{err.strerror or err}; nothing else was written", file=sys.stderr)
        return 2


def _dispatch(args) -> int:
    handled = sweep_commands.dispatch(args)
    if handled is None:
        handled = figure_commands.dispatch(args)
    if handled is not None:
        return handled
    if args.command == "list":
        return _list()
    if args.command == "validate":
        return _validate(args.files)
    if args.command == "new":
        return _new(args.name, args.source, args.out, args.force)
    if args.command == "compare":
        return _compare(args)
    if args.command == "screen":
        return _screen(args)
    if args.command == "validation":
        return _validation(args.write, args.equivalence, args.markdown, args.scenarios, args.json)
    if args.command == "app":
        from sim.app.server import serve

        return serve(args.scenario, args.host, args.port, args.open)
    if args.command == "schema":
        from sim.schema import Scenario

        print(json.dumps(Scenario.model_json_schema(), indent=2))
        return 0
    if args.command == "show":
        from sim.loader import load, resolve

        print(_show(load(args.scenario, args.overrides), resolve(args.scenario)))
        return 0
    return _run(args)


def _run(args) -> int:
    from sim.loader import load
    from sim.replay import replay
    from sim.report import render, story
    from sim.spec import compile_scenario
    from sim.summary import summarize

    scenario = load(args.scenario, args.overrides, variant=args.variant)
    spec = compile_scenario(scenario)
    if args.trace is not None and not 0 <= args.trace < args.runs:
        problem = f"replay {args.trace} is not among the {args.runs} replays (0..{args.runs - 1})"
        raise ScenarioError("--trace", [problem])
    fits(spec, args.runs, f"summit run {args.scenario} --runs {args.runs:,}")
    outcome = replay(spec, args.runs, args.seed, baselines=True)
    summary = summarize(outcome, spec, args.equivalence)
    single = replay(spec, 1, args.seed, first_run=args.trace, trace=True) if args.trace is not None else None
    if args.json:
        summary.update(seed=args.seed, overrides=args.overrides, variant=args.variant, version=__version__)
        if single is not None:
            summary["trace"] = _trace_json(single, spec)
        print(to_json(summary))
    else:
        settings = ([f"variant {args.variant}"] if args.variant else []) + args.overrides
        print(render(summary, spec, args.seed, settings, scenario.history, outcome))
        if single is not None:
            print("\n" + story(single, spec))
    return 0


def fits(spec, runs: int, where: str, copies: int = 1) -> None:
    """Refuse, before any work, a batch that will not fit in memory."""
    from sim import budget

    problem = budget.too_big(spec, runs, copies)
    if problem:
        raise ScenarioError(where, [problem])


def _list() -> int:
    """One scenario a line, its description wrapped beneath it: fits 100 columns. Each file is
    checked as a run would check it, its what-ifs aside, which 'summit validate' checks; what a
    file says is remembered until it or the code changes (sim.listing)."""
    from sim.library import known_scenarios
    from sim.listing import listed

    files = known_scenarios()
    print("scenario            year  parties")
    for name, entry in listed(files).items():
        if entry.problem is not None:
            print(f"{name:<19} ----  (invalid: run 'summit validate {files[name]}')")
            print(textwrap.fill(entry.problem, 96, initial_indent="    ", subsequent_indent="    "))
            continue
        parties = textwrap.shorten(", ".join(entry.parties), 74, placeholder="...")
        print(f"{name:<19} {entry.year:<5} {parties}")
        held_out = " (held out: written after the model, to test it)" if entry.held_out else ""
        print(textwrap.fill(entry.description + held_out, 96, initial_indent="    ", subsequent_indent="    "))
    return 0


def _validate(files: list[str]) -> int:
    from sim.copied import lines as copied_lines
    from sim.copied import still_copied
    from sim.loader import load, resolve
    from sim.spec import compile_scenario

    failed = 0
    for name in files:
        try:
            if _is_sweep(name):
                print(_sweep_checked(name))
                continue
            sc = load(name)
        except ScenarioError as err:
            failed += 1
            print("\n".join([f"FAIL {err.where}: {_count(len(err.problems), 'problem')}", *_numbered(err.problems)]))
            continue
        spec = compile_scenario(sc)
        counts = ", ".join(_count(n, word) for n, word in (
            (len(sc.leaders), "leader"), (len(sc.issues), "issue"), (len(spec.draws), "parameter")))
        print(f"ok   {resolve(name)}: {sc.title} - {counts} ({len(spec.random_paths)} uncertain), "
              f"{_count(len(sc.events), 'event')}, {_count(len(sc.variants), 'variant')}")
        found = still_copied(resolve(name))
        if found:
            print("\n".join("     " + line for line in copied_lines(found)))
    return 2 if failed else 0


NAME_LINE = re.compile(r"^name:.*$", re.MULTILINE)
HELD_OUT_LINE = re.compile(r"^  held_out:.*\n", re.MULTILINE)  # in the history block
NAME_RULE = re.compile(r"^[a-z][a-z0-9_-]*$")


def _is_sweep(name: str) -> bool:
    from sim.loader import is_sweep, parse, read

    path = Path(name)
    return path.is_file() and is_sweep(parse(read(path), path))


def _sweep_checked(name: str) -> str:
    from sim.sweeps.sweepfile import load_sweep

    sweep = load_sweep(name).sweep
    return (f"ok   {name}: sweep {sweep.name} - {sweep.design.method} design over {len(sweep.factors)} factors, "
            f"{len(sweep.scenarios)} scenarios, {sweep.replicates} replicates")


def _new(name: str, source: str, out: str | None, force: bool = False) -> int:
    from sim import optional
    from sim.copied import header
    from sim.loader import load, parse, read, resolve
    from sim.targets import in_folder, refusal

    if not NAME_RULE.match(name) or len(name) > 40:
        raise ScenarioError("summit new", [f"the name '{name}' must be lower case letters, digits, '-' or '_', "
                                           "start with a letter and be at most 40 characters"])
    origin = resolve(source)
    target = in_folder(out, f"{name}.yaml") if out else Path(f"{name}.yaml")
    problem = refusal(target, force)
    if problem:
        raise ScenarioError(str(target), [problem])
    text = read(origin)
    parse(text, origin)
    text = NAME_LINE.sub(f"name: {name}", text, count=1)
    text, held_out = HELD_OUT_LINE.subn("", text)
    note = ("# The copy is not a held-out test of the model: its history block no longer says so.\n"
            if held_out else "")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(header(origin, target) + note + text + optional.commented(), encoding="utf-8")
    load(str(target))
    print(f"wrote {target} (a copy of {origin.stem}, renamed {name})")
    print(f"next: edit it; 'summit validate {target}' lists its problems and what is still {origin.stem}'s; "
          f"then 'summit run {target}'")
    return 0


def _compare(args) -> int:
    from sim.loader import load
    from sim.pairing import compare
    from sim.replay import replay
    from sim.report import render_comparison
    from sim.spec import compile_scenario

    base_scenario = load(args.scenario)
    declared = list(base_scenario.variants)
    wanted = declared if "all" in args.variant else args.variant
    if not wanted and not args.overrides:
        raise ScenarioError(f"summit compare {args.scenario}", [
            "this scenario declares no variants, so there is nothing to compare; give --set PATH=VALUE "
            "overrides (a what-if of your own) or add a 'variants' block to a copy ('summit new')"
            if not declared else "name at least one --variant or give --set PATH=VALUE overrides; "
            f"this scenario declares: {', '.join(declared)}"])
    spec = compile_scenario(base_scenario)
    variants = {v: (load(args.scenario, variant=v), base_scenario.variants[v].description) for v in wanted}
    if args.overrides:
        variants["set"] = (load(args.scenario, args.overrides), " ".join(f"--set {o}" for o in args.overrides))
    fits(spec, args.runs, f"summit compare {args.scenario} --runs {args.runs:,}", copies=2)
    base = replay(spec, args.runs, args.seed)
    changes, labels = {}, {}
    for key, (scenario, label) in variants.items():
        if set(scenario.leaders) != set(spec.leaders) or scenario.protocol.first_proposer != spec.first_proposer:
            raise ScenarioError(f"variant {key}", ["a variant must keep the same leaders and first proposer, "
                                                   "so that its replays can be paired with the baseline's"])
        changes[key] = compare(base, replay(compile_scenario(scenario), args.runs, args.seed), args.equivalence,
                               spec.leader_names)
        labels[key] = label
    if args.json:
        print(to_json({"scenario": spec.name, "seed": args.seed, "runs": args.runs, "version": __version__,
                       "equivalence": args.equivalence,
                       "variants": {k: {"label": labels[k], **c} for k, c in changes.items()}}))
    else:
        print(render_comparison(changes, spec, args.seed, labels))
    return 0


def _screen(args) -> int:
    from sim.loader import load
    from sim.report import render_screening
    from sim.screening import NOTHING_TO_SCREEN, screen
    from sim.sources import ranges
    from sim.spec import compile_scenario

    scenario = load(args.scenario, args.overrides, variant=args.variant)
    spec = compile_scenario(scenario)
    if not spec.random_paths:
        raise ScenarioError(f"summit screen {args.scenario}", [NOTHING_TO_SCREEN])
    fits(spec, args.runs, f"summit screen {args.scenario} --runs {args.runs:,}")
    out = None
    if args.out:
        from sim.figures.commands import check_targets
        from sim.targets import figure_files, in_folder

        out = in_folder(args.out, f"{Path(args.scenario).name.removesuffix('.yaml')}-tornado")
        check_targets(figure_files(out), args.force)  # before the work, not after it
    screened = screen(spec, args.runs, args.seed, args.equivalence)
    if args.json:
        print(to_json({"scenario": spec.name, "version": __version__, "overrides": args.overrides,
                       "variant": args.variant, **screened}))
    else:
        print(render_screening(screened, spec, ranges(scenario), args.top))
    if out is not None:
        from sim.figures import kinds
        from sim.figures.style import styled
        from sim.figures.tornado import tornado

        with styled("class"):
            written = kinds.save(tornado(screened, spec, args.top), out)
        print("wrote " + ", ".join(map(str, written)), file=sys.stderr if args.json else sys.stdout)
    return 0


def _validation(target: str | None, delta: float, markdown: bool = False, given: list[str] = (),
                as_json: bool = False) -> int:
    from sim import validation
    from sim.copied import still_copied
    from sim.report import render_validation

    if target is not None and delta != EQUIVALENCE:
        raise ScenarioError("summit validation", [f"--write keeps the table under the fixed rule (delta "
                                                   f"{EQUIVALENCE}); print other deltas without --write"])
    if target is not None and given:
        raise ScenarioError("summit validation", ["--write refreshes the library's table, from every known "
                                                  "scenario; give no scenarios with it"])
    if target is not None and (markdown or as_json):
        raise ScenarioError("summit validation", ["--write refreshes the table in a file; --markdown and --json "
                                                  "print it instead, so give one or the other"])
    files, left_out = validation.chosen(list(given)) if given else (None, [])
    results = validation.rows(delta=delta, given=files)
    copied = {path.stem: found.origin for path, _ in files or []
              if (found := still_copied(path)) is not None and found.history}
    if as_json:
        print(to_json({**validation.as_data(results, left_out, validation.RUNS, validation.SEED, delta),
                       "history_still_copied_from": copied, "version": __version__}))
        return 0
    generated = validation.table(results, delta=delta)
    if target is None:
        print(generated if markdown else render_validation(results, validation.RUNS, validation.SEED, delta,
                                                           given=bool(given), left_out=left_out))
        if markdown and left_out:
            print("\n".join(f"left out: {path} ({why})" for path, why in left_out), file=sys.stderr)
        for stem, origin in copied.items():
            print(f"note: {stem}'s history block is still {origin}'s, as 'summit new' copied it: "
                  f"its row checks the model against {origin}'s record", file=sys.stderr if markdown else sys.stdout)
        return 0
    path = Path(target)
    if not path.is_file():
        raise ScenarioError(str(path), ["no such file; it must exist and hold the generated block's two markers"])
    try:
        text = validation.refresh(path.read_text(encoding="utf-8"), generated)
    except ValueError as err:
        raise ScenarioError(str(path), [str(err)]) from None
    path.write_text(text, encoding="utf-8")
    from sim import track_record

    track_record.save(validation.track_record(results))
    print(f"refreshed the table in {path} and the track record in {track_record.PATH}")
    return 0


def _trace_json(outcome, spec) -> dict:
    return {
        "run": int(outcome.run_ids[0]),
        "held": bool(outcome.held[0]),
        "go_no_go": {k: dict(zip(("status", "expected_from_talks", "cost"), map(float, v[:, 0]), strict=True))
                     for k, v in outcome.go_no_go.items()},
        "rounds": [{"round": r["round"], "proposer": r["proposer"],
                    "offer": dict(zip(spec.issues, map(float, r["offer"][:, 0]), strict=True)),
                    "accepted": bool(r["accepted"][0])} for r in outcome.trace if r["active"][0]],
        "final": dict(zip(spec.issues, map(float, outcome.final[:, 0]), strict=True)),
        "parts": {k: dict(zip(outcome.PART_NAMES, map(float, outcome.parts[i, :, 0]), strict=True))
                  for i, k in enumerate(outcome.leaders)},
    }


def _show(sc, path) -> str:
    from sim.sources import assumed, choices, parameters

    out = [f"{sc.title} ({sc.year}) - {sc.description}", f"file: {path}", "", "Sources:"]
    out += [f"  {k}: {v}" for k, v in sc.sources.items()]
    first = sc.leaders[sc.protocol.first_proposer].name
    then = ""
    if len(sc.leaders) > 2:
        then = (f" Then {', '.join(sc.leaders[k].name for k in sc.protocol.turns)}, in turn."
                if sc.protocol.turns else " Then the others, in an order each replay draws (every order alike).")
    out += ["", f"Protocol: {sc.protocol.rounds} rounds, {first} proposes first.{then}", "", "Issues:"]
    for k, i in sc.issues.items():
        flags = [f"ratified by {', '.join(i.ratified_by)}" if i.ratified_by else "",
                 f"touches {', '.join(i.touches)}" if i.touches else "", "symbolic" if i.symbolic else ""]
        out.append(f"  {k:<24} sq {_fmt(i.status_quo)}  {'; '.join(f for f in flags if f)}")
        if i.note:
            out.append(f"  {'':<24} {i.note}")
    out += ["", "Choices (value - source):"]
    out += [f"  {path:<52} {shown:<22} {source or 'no source given'}" for path, shown, source in choices(sc)]
    out += ["", "Parameters (value or distribution - source):"]
    out += [f"  {path:<52} {shown:<22} {source}" for path, shown, source in parameters(sc)]
    silent = assumed(sc)
    if silent:
        out += ["", "Assumed where the file is silent (set them to say otherwise):"]
        out += [f"  {path:<52} {shown:<22} {why}" for path, shown, why in silent]
    return "\n".join(out)


def _fmt(p) -> str:
    from sim.sources import shown_param

    return shown_param(p.model_dump())


if __name__ == "__main__":
    sys.exit(main())
