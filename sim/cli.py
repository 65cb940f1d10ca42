"""The ``summit`` command: list, show, run and describe scenarios."""

from __future__ import annotations

import argparse
import json
import sys

from sim import __version__
from sim.loader import ScenarioError, known_scenarios, load, resolve
from sim.replay import replay
from sim.report import render, story
from sim.schema import Scenario
from sim.scoring import summarize
from sim.spec import compile_scenario

MAX_SEED = 2**64 - 1


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def _seed(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 0 <= n <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be between 0 and {MAX_SEED}, got {n}")
    return n


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="summit", description="Replay diplomatic summits: who comes out ahead, and why.")
    p.add_argument("--version", action="version", version=f"summit {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list the known scenarios")
    show = sub.add_parser("show", help="show a scenario's actors, issues and sourced parameters")
    show.add_argument("scenario", help="a scenario name (see 'summit list') or a YAML file")
    show.add_argument("--set", action="append", default=[], metavar="PATH=VALUE", dest="overrides")
    run = sub.add_parser("run", help="replay a scenario many times and report who comes out ahead")
    run.add_argument("scenario", help="a scenario name (see 'summit list') or a YAML file")
    run.add_argument("--runs", type=_positive, default=10_000, help="number of replays (default 10000)")
    run.add_argument("--seed", type=_seed, default=2018, help="random seed (default 2018)")
    run.add_argument("--set", action="append", default=[], metavar="PATH=VALUE", dest="overrides",
                     help="override a parameter, e.g. leaders.us.preparation=0.8 (repeatable)")
    run.add_argument("--trace", nargs="?", const=0, type=int, metavar="RUN",
                     help="also tell the story of one replay, round by round (default: replay 0)")
    run.add_argument("--json", action="store_true", help="print the numbers as JSON instead of a report")
    sub.add_parser("schema", help="print the JSON Schema of scenario files")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return _dispatch(args)
    except ScenarioError as err:
        print(f"summit: {err.message()}", file=sys.stderr)
        return 2


def _dispatch(args) -> int:
    if args.command == "list":
        for name, path in known_scenarios().items():
            sc = load(str(path))
            leaders = " vs ".join(v.name for v in sc.leaders.values())
            print(f"{name:<24} {sc.year}  {leaders:<34} {sc.description}")
        return 0
    if args.command == "schema":
        print(json.dumps(Scenario.model_json_schema(), indent=2))
        return 0
    scenario = load(args.scenario, args.overrides)
    if args.command == "show":
        print(_show(scenario, resolve(args.scenario)))
        return 0
    spec = compile_scenario(scenario)
    if args.trace is not None and not 0 <= args.trace < args.runs:
        problem = f"replay {args.trace} is not among the {args.runs} replays (0..{args.runs - 1})"
        raise ScenarioError("--trace", [problem])
    outcome = replay(spec, args.runs, args.seed)
    summary = summarize(outcome, spec)
    single = replay(spec, 1, args.seed, first_run=args.trace, trace=True) if args.trace is not None else None
    if args.json:
        summary.update(seed=args.seed, overrides=args.overrides, version=__version__)
        if single is not None:
            summary["trace"] = _trace_json(single, spec)
        print(json.dumps(summary, indent=2))
    else:
        print(render(summary, spec, args.seed, args.overrides))
        if single is not None:
            print("\n" + story(single, spec))
    return 0


def _trace_json(outcome, spec) -> dict:
    return {
        "run": int(outcome.run_ids[0]),
        "held": bool(outcome.held[0]),
        "rounds": [{"round": r["round"], "proposer": r["proposer"],
                    "offer": dict(zip(spec.issues, map(float, r["offer"][:, 0]), strict=True)),
                    "accepted": bool(r["accepted"][0])} for r in outcome.trace if r["active"][0]],
        "final": dict(zip(spec.issues, map(float, outcome.final[:, 0]), strict=True)),
        "parts": {k: dict(zip(outcome.PART_NAMES, map(float, outcome.parts[i, :, 0]), strict=True))
                  for i, k in enumerate(outcome.leaders)},
    }


def _show(sc: Scenario, path) -> str:
    out = [f"{sc.title} ({sc.year}) - {sc.description}", f"file: {path}", "", "Sources:"]
    out += [f"  {k}: {v}" for k, v in sc.sources.items()]
    first = sc.leaders[sc.protocol.first_proposer].name
    out += ["", f"Protocol: {sc.protocol.rounds} rounds, {first} proposes first.", "", "Issues:"]
    for k, i in sc.issues.items():
        flags = [f"ratified by {', '.join(i.ratified_by)}" if i.ratified_by else "",
                 f"touches {', '.join(i.touches)}" if i.touches else "", "symbolic" if i.symbolic else ""]
        out.append(f"  {k:<24} sq {_fmt(i.status_quo)}  {'; '.join(f for f in flags if f)}")
        if i.note:
            out.append(f"  {'':<24} {i.note}")
    out += ["", "Parameters (value or distribution - source):"]
    spec = compile_scenario(sc)
    dumped = sc.model_dump()
    for path in spec.draws:
        node = dumped
        for part in path.split("."):
            node = node[part]
        out.append(f"  {path:<52} {_fmt_dict(node):<22} {node['source']}")
    return "\n".join(out)


def _fmt(p) -> str:
    return _fmt_dict(p.model_dump())


def _fmt_dict(d: dict) -> str:
    if d.get("value") is not None:
        return f"{d['value']:g}"
    if d.get("uniform") is not None:
        return f"U({d['uniform'][0]:g}, {d['uniform'][1]:g})"
    if d.get("beta") is not None:
        return f"beta(mean {d['beta']['mean']:g}, sd {d['beta']['sd']:g})"
    n = d["normal"]
    return f"N({n['mean']:g}, {n['sd']:g})"


if __name__ == "__main__":
    sys.exit(main())
