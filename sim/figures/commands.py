"""The command line of figures and reports: ``summit plot`` and ``summit report``."""

from __future__ import annotations

import sys
from pathlib import Path

SCENARIO_KINDS = ("dance", "ahead", "margin", "issues", "two-level", "allies", "what-if", "zone")
SWEEP_KINDS = ("heatmap", "line", "sobol")
TOURNAMENT_KINDS = ("ranking", "matrix")


def add_commands(sub, positive, seed, equivalence) -> None:
    pl = sub.add_parser("plot", help="draw a figure of a scenario or of a sweep's results (PNG, SVG and PDF)")
    pl.add_argument("target", help="a scenario (name or file), or the results folder of a sweep or a tournament")
    pl.add_argument("--kind", required=True, choices=(*SCENARIO_KINDS, "all", *SWEEP_KINDS, *TOURNAMENT_KINDS),
                    help="scenario: " + ", ".join(SCENARIO_KINDS) + ", or all of them from one replay; sweep: "
                         + ", ".join(SWEEP_KINDS) + "; tournament: " + ", ".join(TOURNAMENT_KINDS))
    pl.add_argument("--out", help="file to write; .png, .svg or .pdf writes that one, no suffix writes all three "
                                  "(default: TARGET-KIND in this folder; with --kind all, OUT-KIND for each kind); "
                                  "a folder (one that exists, or written with a trailing /) gets TARGET-KIND")
    pl.add_argument("--style", choices=("class", "paper"), default="class",
                    help="class: large type and thick lines for a projector (default); paper: for print")
    pl.add_argument("--force", action="store_true", help="replace files that exist already")
    _replay_options(pl, positive, seed, equivalence)
    pl.add_argument("--x", help="sweep: the factor on the x axis")
    pl.add_argument("--y", help="sweep heatmap: the factor on the y axis")
    pl.add_argument("--outcome", action="append", default=[], help="sweep: the outcome(s) to draw, e.g. p_ahead.us")
    rp = sub.add_parser("report", help="write one self-contained HTML (or Markdown) report of a summit")
    rp.add_argument("scenario", help="a scenario name or file")
    rp.add_argument("--out", required=True, help="the report file, e.g. helsinki.html (.html or .md; without a "
                                                 "suffix, the format's is added); a folder (one that exists, or "
                                                 "written with a trailing /) gets SCENARIO.html")
    rp.add_argument("--format", choices=("html", "md"), default=None,
                    help="html (default; figures embedded) or md (figures in a folder beside it)")
    rp.add_argument("--style", choices=("class", "paper"), default="paper")
    rp.add_argument("--force", action="store_true", help="replace a report that exists already")
    _replay_options(rp, positive, seed, equivalence)


def check_targets(paths: list[Path], force: bool) -> None:
    """Refuse, before any work, to write where a file exists (without --force) or into the package."""
    from sim.loader import ScenarioError
    from sim.targets import refusal

    for path in paths:
        problem = refusal(path, force)
        if problem:
            raise ScenarioError(str(path), [problem])


def _replay_options(p, positive, seed, equivalence) -> None:
    """The same replay options as 'summit run', so that the same settings give the same numbers."""
    from sim.defaults import DEFAULT_RUNS

    equivalence(p)
    p.add_argument("--runs", type=positive, default=DEFAULT_RUNS, help=f"replays (default {DEFAULT_RUNS})")
    p.add_argument("--seed", type=seed, default=2018, help="random seed (default 2018)")
    p.add_argument("--variant", metavar="NAME", help="draw one of the variants the scenario file declares")
    p.add_argument("--set", action="append", default=[], metavar="PATH=VALUE", dest="overrides",
                   help="override a parameter, as 'summit run --set' does (repeatable)")
    p.add_argument("--compare", action="append", default=[], metavar="NAME",
                   help="what if? compare with a declared variant on common random numbers (repeatable; 'all')")


def dispatch(args) -> int | None:
    if args.command == "plot":
        return _plot_or_say(args)
    if args.command == "report":
        return _report(args)
    return None


def _plot_or_say(args) -> int:
    """``_plot``, with a results folder that cannot be read (a damaged manifest, no finished chunk)
    told in one line, as ``summit analyze`` tells it, not as a traceback."""
    try:
        return _plot(args)
    except Exception as err:
        store = sys.modules.get("sim.sweeps.store")  # loaded only where a results folder was read
        if store is None or not isinstance(err, store.StoreError):
            raise
        print(f"summit: {err}", file=sys.stderr)
        return 2


def _plot(args) -> int:
    from sim.loader import ScenarioError
    from sim.targets import figure_files, in_folder

    target = Path(args.target)
    folder = _folder_kind(target)
    wanted = "sweep" if args.kind in SWEEP_KINDS else "tournament" if args.kind in TOURNAMENT_KINDS else None
    if folder != wanted:
        what = {"sweep": "a sweep's results folder", "tournament": "a tournament's results folder",
                None: "a scenario"}
        kinds_of = {"sweep": SWEEP_KINDS, "tournament": TOURNAMENT_KINDS, None: (*SCENARIO_KINDS, "all")}
        raise ScenarioError(f"--kind {args.kind}", [f"draws {what[wanted]}; {args.target} is {what[folder]}, "
                                                     f"drawn with --kind {', '.join(kinds_of[folder])}"])
    named = target.name.removesuffix(".yaml")
    if args.kind == "all":  # a results folder was refused above
        return _all_figures(args, in_folder(args.out, named) if args.out else Path(named))
    out = in_folder(args.out, f"{named}-{args.kind}") if args.out else Path(f"{named}-{args.kind}")
    check_targets(figure_files(out), args.force)  # before matplotlib and the replays: a refusal is instant
    from sim.figures import kinds
    from sim.figures.style import styled

    with styled(args.style):
        if folder == "tournament":
            fig = _tournament_figure(target, args)
        elif folder == "sweep":
            fig = _sweep_figure(target, args)
        else:
            fig = _scenario_figure(args, _replayed(args))
        written = kinds.save(fig, out)
    print("wrote " + ", ".join(map(str, written)))
    return 0


def _folder_kind(target: Path) -> str | None:
    """'sweep' or 'tournament' for a results folder (its manifest says which; a damaged one is
    named by the store), None for anything else."""
    if not (target / "_manifest.json").is_file():
        return None
    from sim.sweeps.store import Store

    return "tournament" if Store(target).manifest()["kind"] == "tournament" else "sweep"


def _tournament_figure(folder: Path, args):
    from sim.figures import tournament as figures
    from sim.sweeps import analyze, tournament
    from sim.sweeps.store import Store

    store = Store(folder)
    manifest = store.manifest()
    sums, design = analyze.totals(store), store.design()
    source = (f"tournament on {', '.join(manifest['documents'])}: {manifest['replicates']:,} replicates per pairing, "
              f"seed {manifest['seed']}")
    if args.kind == "ranking":
        return figures.ranking(tournament.ranking(sums, design), source)
    return figures.matrix(tournament.pairings(sums, design), source)


def _replayed(args, compare: list[str] | None = None):
    from sim.figures.data import replayed

    wanted = compare if compare is not None else (args.compare or (["all"] if args.kind == "what-if" else []))
    return replayed(args.target, args.runs, args.seed, wanted, args.overrides, args.variant, delta=args.equivalence)


def _all_figures(args, stem: Path) -> int:
    """Every scenario figure from one replay: the numbers agree across them by construction."""
    from sim.figures import kinds
    from sim.figures.document import figures_for
    from sim.figures.style import styled
    from sim.targets import FORMATS, figure_files

    r = _replayed(args, args.compare or ["all"])
    wanted = figures_for(r)
    suffix = stem.suffix if stem.suffix in FORMATS else ""  # h.png -> h-ahead.png, not h.png-ahead.png
    base = stem.name.removesuffix(suffix)
    outs = {kind: stem.with_name(f"{base}-{kind}{suffix}") for kind in wanted}
    check_targets([t for out in outs.values() for t in figure_files(out)], args.force)
    written = []
    with styled(args.style):
        for kind, out in outs.items():
            written += kinds.save(_scenario_figure(args, r, kind), out)
    print("wrote " + ", ".join(map(str, written)))
    return 0


def _scenario_figure(args, r, kind: str | None = None):
    from sim.figures.kinds import SCENARIO_KINDS as DRAW
    from sim.loader import ScenarioError

    kind = kind or args.kind
    try:
        return DRAW[kind](r)
    except ValueError as err:
        raise ScenarioError(f"summit plot {args.target} --kind {kind}", [str(err)]) from None


def _sweep_figure(folder: Path, args):
    from sim.figures import sweeps
    from sim.figures.labels import namer
    from sim.loader import ScenarioError
    from sim.sweeps import analyze, session
    from sim.sweeps.store import Store

    store = Store(folder)
    manifest = store.manifest()
    summary = analyze.points(store)
    factors = [f for f in manifest.get("factors", []) if f in summary.columns]
    defaults = analyze.default_outcomes(summary)
    outcomes = args.outcome or defaults[:1]
    where = f"summit plot {folder} --kind {args.kind}"
    unknown = [o for o in outcomes if o not in summary.columns]
    if unknown:
        raise ScenarioError(where, [f"no outcome {', '.join(unknown)} in this sweep"])
    source = f"sweep {manifest['name']}: {len(summary):,} points x {manifest['replicates']:,} replicates, " \
             f"seed {manifest['seed']}"
    label = namer(manifest.get("documents", {}))
    if args.kind == "sobol":
        sweep = session.sweep_of(store)
        results = analyze.sensitivity(sweep, summary, list(dict.fromkeys(outcomes + defaults))) if sweep else []
        if not results:
            raise ScenarioError(where, ["needs a finished sobol, morris or latin sweep"])
        return sweeps.sobol_bars(_indexed(results, outcomes[0] if args.outcome else None, where), source, label)
    x = args.x or (factors[0] if factors else None)
    if x not in factors:
        raise ScenarioError(where, [f"--x must be one of the sweep's factors: {', '.join(factors)}"])
    if args.kind == "line":
        return sweeps.line(summary, x, outcomes, source, label)
    y = args.y or next((f for f in factors if f != x), None)
    if y not in factors or y == x:
        raise ScenarioError(where, ["a heatmap needs two different factors (--x and --y)"])
    return sweeps.heatmap(summary, x, y, outcomes[0], source, label)


def _indexed(results: list[dict], asked: str | None, where: str) -> dict:
    """The sensitivity the figure draws, for the sweep's first scenario: the outcome asked for, or
    else the first of the default outcomes that some factor moves. An outcome the same at every
    design point has no indices (at Helsinki 2018 Putin is ahead in every replicate of every point
    of the README's sweep, so who is ahead cannot be the default figure); the message then names
    the outcomes that do move."""
    from sim.loader import ScenarioError

    results = [r for r in results if r["scenario"] == results[0]["scenario"]]
    moving = [r for r in results if r["indices"]]
    chosen = next((r for r in results if r["outcome"] == asked), None) if asked else next(iter(moving), None)
    if chosen is not None and chosen["indices"]:
        return chosen
    others = ", ".join(r["outcome"] for r in moving)
    said = f"{asked}: {chosen['note'] if chosen else 'not defined at every design point'}" if asked \
        else "no outcome of this sweep moves over its design"
    raise ScenarioError(where, [said + (f"; outcomes that move: {others} (--outcome)" if others else "")])


REPORT_SUFFIXES = {".html": "html", ".htm": "html", ".md": "md"}


def report_target(out: Path, fmt: str | None) -> tuple[Path, str]:
    """The report's file and format from ``--out`` and ``--format``. A name without a suffix gets
    the format's, so that a browser opens ``--out hanoi`` as a page rather than as text; a suffix
    that contradicts ``--format``, or names neither format, is refused before any work."""
    from sim.loader import ScenarioError

    if not out.suffix:
        fmt = fmt or "html"
        return out.with_name(out.name + "." + fmt), fmt
    told = REPORT_SUFFIXES.get(out.suffix.lower())
    if told is None:
        raise ScenarioError(str(out), [f"a report is written as HTML (.html) or Markdown (.md), not "
                                       f"'{out.suffix}'; name it {out.stem}.html or {out.stem}.md"])
    if fmt is not None and fmt != told:
        raise ScenarioError(str(out), [f"--format {fmt} writes {'HTML' if fmt == 'html' else 'Markdown'}, "
                                       f"but the file's suffix '{out.suffix}' says {told}; name it "
                                       f"{out.stem}.{fmt}, or leave --format out"])
    return out, told


def _report(args) -> int:
    from sim.figures.data import replayed
    from sim.figures.document import write_html, write_markdown
    from sim.targets import in_folder

    out, fmt = report_target(in_folder(args.out, Path(args.scenario).name.removesuffix(".yaml")), args.format)
    check_targets([out], args.force)
    folder = out.with_name(out.stem + "_figures")
    if fmt == "md" and folder.exists() and not args.force:
        from sim.loader import ScenarioError

        raise ScenarioError(str(folder), ["the report's figures folder exists already and is left as it is; "
                                          "choose another --out, or add --force to replace it"])
    r = replayed(args.scenario, args.runs, args.seed, args.compare, args.overrides, args.variant,
                 delta=args.equivalence)
    written = (write_markdown if fmt == "md" else write_html)(r, args.scenario, out, args.style)
    print(f"wrote {written}", file=sys.stdout)
    return 0
