"""Render a summary (and the story of one replay) as a terminal report."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import numpy as np

from sim import linkage, track_record
from sim.model import Outcome
from sim.pairing import untouched_sentence
from sim.schema import History
from sim.screening import leading
from sim.spec import Spec, holders
from sim.stats import part_of, percent, with_interval
from sim.verdict import DIRECTLY_SET, even_label, margin_split, rule_text, split_text, substance_text, weights_text
from sim.verdict import text as verdict_text


def _table(rows: list[list[str]], header: list[str], words: bool = False) -> list[str]:
    """Aligned columns: the first to the left, the others (numbers) to the right, or every one to
    the left where they hold ``words``."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def aligned(cells) -> str:
        return "  ".join(str(c).ljust(w) if i == 0 or words else str(c).rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    line = aligned(header)
    return ["  " + line, "  " + "-" * len(line), *("  " + aligned(r) for r in rows)]


def verdict_lines(v: dict, names: dict[str, str]) -> list[str]:
    """The verdict, the rule it follows, its class shares over all replays and through each lens,
    and what it rests on."""
    lead = v["lead"]
    others = [k for k in names if k != lead]
    versus = names[others[0]] if len(others) == 1 else "the best of the others"
    out = [f"VERDICT: {v['text'].upper()}"]
    if v["lean"]:
        head, _, why = v["lean"].partition(": ")
        out += [f"  {head}:", f"    {why}"]
    out += textwrap.wrap(f"rule, fixed in advance: {rule_text(v['delta'])}", 98,
                         initial_indent="  ", subsequent_indent="  ")
    lenses = [("all replays", v), ("meeting held", v["given_held"]), ("deal struck", v["given_deal"])]
    lenses = [(f"{label} ({lens['share_of_replays']:.0%})" if "share_of_replays" in lens else label, lens)
              for label, lens in lenses if lens is not None]
    rows = [[f"{names[k]} ahead", *(_share(lens["shares"][k]) for _, lens in lenses)] for k in names]
    rows.append([even_label(v["delta"], len(names)), *(_share(lens["shares"]["even"]) for _, lens in lenses)])
    rows.append([f"mean margin over {versus}",
                 *(with_interval(lens.get("margin_of_lead", lens["margin"])) for _, lens in lenses)])
    out += _table(rows, ["share of replays", *(label for label, _ in lenses)])
    for label, lens in lenses[1:]:
        out.append(f"  {label.split(' (')[0]}: {lens['text']}")
    out.append(f"  {substance_text(v, names)}")
    out.append(f"  {split_text(v)}")
    _, amount, share = margin_split(v)[-1]
    out.append(f"  {DIRECTLY_SET} " + (f"add {amount:+z.3f}" if share is None else f"make {part_of(share)} of it"))
    out += textwrap.wrap(weights_text(v["direct_weights"], names), 98, initial_indent="  ", subsequent_indent="    ")
    record = track_record.text(track_record.load(), named=v["winner"] is not None)
    if record:
        out += textwrap.wrap(record, 98, initial_indent="  ", subsequent_indent="    ")
    if len(names) > 2:
        out.append("  ranking by mean net gain: " + ", ".join(
            f"{names[k]} {v['mean_gain'][k]:+z.3f}" for k in v["ranking"]))
    return out


SHOWN = 0.0005  # a share that rounds to at least 0.1%


def walkout_sentence(s: dict, rounds: int) -> str | None:
    """Who left the table, how often, and when (from a summary); None when too rare to show."""
    if s["walkout"] < SHOWN:
        return None
    who = ", ".join(f"{v['name']} {_rare(v['walked_out'])}" for v in s["leaders"].values() if v["walked_out"] > 0)
    return (f"talks broke up with a walk-out in {s['walkout']:.1%} of replays, before round "
            f"{s['walkout_round']:z.1f} of {rounds} on average ({who})")


def _rare(share: float) -> str:
    """A share as a percentage, or 'under 0.1%' where it would print as zero."""
    return f"{share:.1%}" if share >= SHOWN else "under 0.1%"


def _share(d: dict) -> str:
    return f"{d['p']:.1%} [{d['low'] * 100:z.1f}, {d['high'] * 100:z.1f}]"


def render(summary: dict, spec: Spec, seed: int, overrides: list[str], history: History | None = None,
           outcome: Outcome | None = None) -> str:
    """What 'summit run' prints: the verdict and its rule first, then why, the summit, the issues,
    allies and events, and, for a file as written with a ``history`` block, what historians
    concluded beside it (a what-if carries none: ``sim.loader.load``)."""
    s, names = summary, {k: v["name"] for k, v in summary["leaders"].items()}
    out = [f"{s['title']}", f"{s['runs']:,} replays, seed {seed}, scenario {s['scenario']}"
           + (f", with {' '.join(overrides)}" if overrides else ""), ""]
    out += verdict_lines(s["verdict"], names)
    out += ["", "WHY: each leader's net gain by part (mean [95% CI])"]
    rows = []
    for v in s["leaders"].values():
        rows.append([v["name"], *(f"{v['parts'][p]['mean']:+z.3f}" for p in Outcome.PART_NAMES),
                     with_interval(v["gain"])])
    out += _table(rows, ["leader", "substantive", "status", "domestic", "alliance", "net gain"])
    out += ["", "THE SUMMIT"]
    wanted = ", ".join(f"{v['name']} {v['wanted_meeting']:.0%}" for v in s["leaders"].values())
    out.append(f"  meeting held in {s['held']:.1%} of replays (wanted it: {wanted})")
    rnd = f", at round {s['deal_round']:z.1f} of {spec.rounds} on average" if s["deal_round"] else ""
    out.append(f"  deal reached in {s['deal']:.1%}{rnd}; vague joint statement instead in {s['joint_statement']:.1%}")
    if s["partial"]:
        out.append(f"  of them partial, signed issue by issue at the close: {s['partial']:.1%} of replays")
    broke = walkout_sentence(s, spec.rounds)
    if broke:
        out.append(f"  {broke}")
    learned = [f"{v['name']} {v['learned']:+z.3f}" for v in s["leaders"].values() if abs(v["learned"]) >= SHOWN]
    if learned:
        out.append("  learned from the offers (how much less each misjudges the others' priorities, L1 of 0-2): "
                   + ", ".join(learned))
    for m in spec.mediators.values():
        out.append(f"  signed on {m['name']}'s text in {s['mediated']:.1%} of replays")
    for key, rate in s["ratification_failed"].items():
        pulled = s["withdrawn"][key]
        out.append(f"  {spec.legislatures[key]['name']}: rejected {rate - pulled:.1%} of deals"
                   + (f", withdrawn before the vote {pulled:.1%}" if pulled else "")
                   + f"; hostile backlash in {s['backlash'][key]:.1%} of replays")
    for v in s["leaders"].values():
        if v["sanctions_imposed"]:
            out.append(f"  new sanctions from {v['name']}'s side in {v['sanctions_imposed']:.1%} of replays")
    out += ["", "ISSUES: mean outcome against the status quo and each leader's ideal (scenario means)"]
    rows = []
    for key, v in s["issues"].items():
        ideals = [f"{spec.draws[f'leaders.{lk}.ideal.{key}'].mean:z.2f}" for lk in s["leaders"]]
        rows.append([v["label"], f"{v['status_quo']:z.2f}", f"{v['outcome']['mean']:z.3f}", *ideals,
                     percent(v['moved'])])
    out += _table(rows, ["issue", "status quo", "outcome", *(f"{n} ideal" for n in names.values()), "moved"])
    if s["baselines"]:
        out += _baselines(s)
    if s["cohesion"]:
        out += ["", "ALLIES: cohesion with their leader, before the summit's run-up and after"]
        rows = [[spec.allies[k]["name"], spec.leaders[spec.allies[k]["bloc"]]["name"], f"{v['start']:z.3f}",
                 f"{v['end']:z.3f}", f"{v['end'] - v['start']:+z.3f}"] for k, v in s["cohesion"].items()]
        out += _table(rows, ["ally", "bloc", "before", "after", "change"])
    if s["events"]:
        out += ["", "EVENTS: share of replays in which each fired"]
        rows = [[e.label, str(e.when), f"{s['events'][e.key]:.1%}"] for e in spec.events]
        out += _table(rows, ["event", "when", "fired"])
    if history is not None and outcome is not None:
        out += history_lines(history, summary, outcome, spec.leader_names)
    return "\n".join(out)


def history_lines(history: History, summary: dict, outcome: Outcome, names: dict[str, str]) -> list[str]:
    """The file's history block beside the model's answer: what historians concluded, and each
    check (who came out ahead, held, deal, ratified) agreeing or not, as the report and
    'summit validation' judge it. Shown for the file as written: a what-if is no summit that happened."""
    from sim.validation import checked

    sentence, rows = checked(history, summary, outcome, names)
    return ["", "AGAINST HISTORY: what historians concluded, from the file's history block",
            *textwrap.wrap(sentence, 98, initial_indent="  ", subsequent_indent="    "),
            *_table(rows, ["check", "the model says", "against history"], words=True)]


def _baselines(s: dict) -> list[str]:
    """The forecasting baselines beside the model's outcome, and how much was left on the table."""
    out = ["", "BASELINES: what the forecasting literature's models predict, per issue (mean over replays)"]
    rows = [[v["label"], f"{v['outcome']['mean']:z.3f}", f"{v['compromise']:z.3f}", f"{v['median']:z.3f}",
             "-" if v["nash"] is None else f"{v['nash']:z.3f}"] for v in s["issues"].values()]
    out += _table(rows, ["issue", "model", "compromise", "weighted median", "Nash bargaining"])
    b = s["baselines"]
    dist = ", ".join(f"{name} {d:z.3f}" for name, d in b["distance"].items() if d is not None)
    out.append(f"  mean distance per issue between the model's outcome and each baseline: {dist}")
    if b["pareto_gap"] is not None:
        gap = with_interval(b["pareto_gap"], "z.3f")
        out.append(f"  left on the table: both leaders could each have gained {gap} more "
                   f"(distance to the Pareto frontier); distance to the Nash solution in utility {b['nash_gap']:z.3f}")
    return out


def _weighed(terms: np.ndarray) -> str:
    """Why a leader comes or stays away, in the terms it weighed (Leader.meeting_terms)."""
    status, expected, cost = terms
    return (f": {expected:z.2f} expected from the talks, {status:+z.2f} from the meeting itself, against a cost "
            f"at home of {cost:z.2f}")


def story(outcome: Outcome, spec: Spec) -> str:
    """The round-by-round story of the single replay in ``outcome`` (a batch of one)."""
    names = spec.leader_names
    labels = dict(zip(spec.issues, spec.issue_labels, strict=True))
    sq = outcome.status_quo[:, 0]
    lines = [f"STORY OF REPLAY {int(outcome.run_ids[0])}", "", "Scales (each issue runs from 0 to 1):"]
    lines += [f"  {label}: {note or 'no note in the scenario'}" for label, note in zip(spec.issue_labels,
                                                                                      spec.issue_notes, strict=True)]
    lines.append("")
    fired = [e.label for e in spec.events if outcome.events_fired[e.key][0] and e.when == "pre"]
    lines.append("Before the summit: " + ("; ".join(fired) if fired else "no events") + ".")
    seated = holders(spec, outcome.events_fired, 0)
    for i, key in enumerate(outcome.leaders):
        lines.append(f"  {seated[key]} {'wants' if outcome.wants_meeting[i, 0] else 'does not want'} the meeting"
                     + (_weighed(outcome.go_no_go[key][:, 0]) if key in outcome.go_no_go else "") + ".")
    if not outcome.held[0]:
        lines.append("The meeting is cancelled: everything stays at the status quo.")
    previous: dict[str, np.ndarray] = {}
    for rec in outcome.trace:
        if not rec["active"][0]:
            break
        fired_now = [e.label for e in spec.events if e.when == rec["round"] and outcome.events_fired[e.key][0]]
        if fired_now:
            lines.append(f"  (event: {'; '.join(fired_now)})")
        lines += round_lines(rec, spec, previous, sq, names=holders(spec, outcome.events_fired, rec["round"]))
    for i, key in enumerate(outcome.leaders):
        if outcome.walked_out[i, 0]:
            left = int(outcome.walkout_round[0])
            lines.append(f"{holders(spec, outcome.events_fired, left)[key]} walks out before round {left}: it expects "
                         "nothing it could accept. The talks break up, and no one keeps the status the "
                         "meeting would have brought.")
    if outcome.partial[0]:
        signed = [labels[k] for k, a, b in zip(spec.issues, outcome.agreed[:, 0], sq, strict=True) if a != b]
        lines.append(f"No text over every issue by the deadline. At the close the leaders sign, issue by issue, "
                     f"the agreements each would sign on their own: {', '.join(signed)}; the rest stays at "
                     "the status quo.")
    if outcome.held[0] and not outcome.deal[0] and not outcome.walked_out[:, 0].any():
        lines.append("No deal by the deadline" + (": a vague joint statement covers the symbolic issues."
                                                   if outcome.joint_statement[0] else "."))
    for key, passed in outcome.ratified.items():
        if outcome.deal[0]:
            verdict = ("ratifies" if passed[0] else "never votes: the treaty is withdrawn (those issues revert)"
                       if outcome.withdrawn[key][0] else "REJECTS (those issues revert)")
            lines.append(f"{spec.legislatures[key]['name']} {verdict}.")
    for key, fires in outcome.backlash.items():
        if fires[0]:
            lines.append(f"{spec.legislatures[key]['name']} answers the warmth with hostile measures.")
    at_the_end = holders(spec, outcome.events_fired, spec.rounds)
    for i, key in enumerate(outcome.leaders):
        lines.append(f"{at_the_end[key]}: warmth at the press conference {outcome.warmth[i, 0]:z.2f}"
                     + (f"; new sanctions {outcome.sanctions[i, 0]:z.2f}" if outcome.sanctions[i, 0] else "") + ".")
    for k in outcome.cohesion_end:
        a, b = outcome.cohesion_start[k][0], outcome.cohesion_end[k][0]
        lines.append(f"{spec.allies[k]['name']}: cohesion {a:z.2f} -> {b:z.2f}.")
    lines += ["", "Final outcome (status quo -> outcome):"]
    for j, k in enumerate(spec.issues):
        lines.append(f"  {labels[k]:<36} {sq[j]:z.2f} -> {outcome.final[j, 0]:z.2f}")
    lines.append("")
    for i, key in enumerate(outcome.leaders):
        p = outcome.parts[i, :, 0]
        lines.append(f"{names[key]}: net {p.sum():+z.3f} = substantive {p[0]:+z.3f}, status {p[1]:+z.3f}, "
                     f"domestic {p[2]:+z.3f}, alliance {p[3]:+z.3f}")
    return "\n".join(lines)


def round_lines(rec: dict, spec: Spec, previous: dict[str, np.ndarray], sq: np.ndarray, run: int = 0,
                names: dict[str, str] | None = None) -> list[str]:
    """One round of a traced replay in words: who proposed what, who answered what and why.
    ``previous`` holds each proposer's last offer and is updated; ``names`` says who holds each
    seat this round (``sim.spec.holders``; the seats' names by default)."""
    names = names or spec.leader_names
    who, offer = rec["proposer"], rec["offer"][:, run]
    base = previous.get(who, sq)
    moves = [f"{label} {'->'.join(_apart(float(base[j]), float(offer[j])))}"  # never "Peace 0.99->0.99"
             for j, label in enumerate(spec.issue_labels) if abs(offer[j] - base[j]) > 5e-3]
    verb = "opens with" if who not in previous else "moves on"
    if who in spec.mediators:
        who_name, verb = spec.mediators[who]["name"], "tables a single text:"
    else:
        who_name = names[who]
    previous[who] = offer
    said = [f"{names[k]} ACCEPTS" if v[run] else
            f"{names[k]} rejects: {_why_refused(rec['weighed'][k], rec['round'], run)}"
            for k, v in rec["answers"].items()]
    lines = [f"Round {rec['round']}: {who_name} {verb} {', '.join(moves) if moves else 'nothing new'}.",
             *(f"  {answer}." for answer in said)]
    if all(v[run] for v in rec["answers"].values()) and not rec["accepted"][run]:
        if spec.mandate != "sign":
            lines.append("  Nothing is signed: this meeting's mandate is talks.")
        else:
            packages = {f"package {i + 1}": m for i, m in enumerate(spec.packages)}
            required = {names[k]: v["requires"] for k, v in spec.leaders.items()}
            reasons = linkage.why_not(offer, sq, packages, required, spec.issue_labels)
            lines.append("  Not signed: " + ("; ".join(reasons) if reasons else "linkage") + ".")
    return lines


def _why_refused(weighed: dict, t: int, run: int = 0) -> str:
    """Why a leader turned an offer down, from what it was worth to it and what it asked."""
    value, asked, least = (float(weighed[k][run]) for k in ("value", "threshold", "reservation"))
    if value < least - 1e-9:
        worth, floor = _apart(value, least)
        return (f"worth {worth} to this leader (its perceived utility), below its reservation {floor}, "
                "the least it holds out for at the deadline")
    worth, asks = _apart(value, asked)
    return (f"worth {worth} to this leader, above its reservation {_apart(least, value)[0]} but below the "
            f"{asks} it still asks in round {t}")


def _apart(a: float, b: float) -> tuple[str, str]:
    """``a`` and ``b`` to two decimals, or to as many more (up to four) as it takes for them not to
    read alike: "worth 0.64, below its reservation 0.64" says the opposite of what happened."""
    for digits in (2, 3, 4):
        shown = round(a, digits) + 0.0, round(b, digits) + 0.0  # + 0.0: no "-0.00"
        if shown[0] != shown[1]:
            break
    return f"{shown[0]:.{digits}f}", f"{shown[1]:.{digits}f}"


def render_comparison(changes: dict[str, dict], spec: Spec, seed: int, labels: dict[str, str]) -> str:
    """Each variant against the baseline, leader by leader: the paired change and its interval."""
    names = spec.leader_names
    runs = next(iter(changes.values()))["runs"]
    delta = next(iter(changes.values()))["verdict"]["delta"]
    out = [f"{spec.title}: what-if comparison", f"{runs:,} replays per variant, seed {seed}, common random numbers "
           "(run i of every variant draws what it did not change exactly as the baseline's run i)",
           *textwrap.wrap(f"each VERDICT follows the rule of 'summit run', fixed in advance: {rule_text(delta)}", 98),
           ""]
    for key, c in changes.items():
        out.append(f"VARIANT {key}: {labels[key]}")
        verdict = c["verdict"]
        out.append(f"  VERDICT: {verdict['variant'].upper()}"
                   + (f" (was: {verdict['base']})" if verdict["changed"] else " (unchanged)"))
        rows = []
        for lk, v in c["leaders"].items():
            g, pa = v["gain"], v["p_ahead"]
            drivers = sorted(v["parts"].items(), key=lambda kv: -abs(kv[1]["mean"]))[:2]
            rows.append([names[lk], f"{g['base']:+z.3f} -> {g['variant']:+z.3f}", with_interval(g),
                         f"{pa['base']:.1%} -> {pa['variant']:.1%}",
                         f"{pa['mean'] * 100:+z.1f} [{pa['low'] * 100:+z.1f}, {pa['high'] * 100:+z.1f}]",
                         ", ".join(f"{n} {d['mean']:+z.3f}" for n, d in drivers)])
        out += _table(rows, ["leader", "net gain", "change [95% CI]", "P(ahead)", "change, points [95% CI]",
                             "main parts of the change"])
        held, deal = c["held"], c["deal"]
        out.append(f"  meeting held {held['base']:.1%} -> {held['variant']:.1%}; "
                   f"deal {deal['base']:.1%} -> {deal['variant']:.1%} "
                   f"({deal['mean'] * 100:+z.1f} points [{deal['low'] * 100:+z.1f}, {deal['high'] * 100:+z.1f}])")
        out.append(f"  {untouched_sentence(c)}")
        first = next(iter(c["leaders"].values()))["gain"]
        half = (first["high"] - first["low"]) / 2
        if half > 0:
            out.append(f"  pairing: the interval on {names[next(iter(c['leaders']))]}'s change is "
                       f"+/-{half:z.4f}; unpaired replays would give +/-{first['unpaired_half_width']:z.4f}")
        out.append("")
    return "\n".join(out).rstrip()


def hinge_sentence(screened: dict, spec: Spec) -> str:
    """What the screen found, in one sentence for the report and the app: the inputs at one end of
    which the verdict changes, or that none does, and which input swings the leading margin most;
    each named as the file names it, with the path that ``--set`` and the sliders take."""
    named = input_namer(spec)
    inputs = screened["inputs"]
    said = verdict_text(screened["verdict"], spec.leader_names)
    moving = [named(row["path"]) for row in inputs if row["moves"]]
    if not inputs:
        return f"the scenario draws no input at random, so nothing is screened ({said})"
    if not moving:
        return (f"no single one of its {len(inputs)} random inputs, pinned at either end of its range, moves the "
                f"verdict over those replays ({said}); {named(inputs[0]['path'])} swings the margin most, by "
                f"{inputs[0]['swing']:z.3f}")
    more = f" and {len(moving) - 5} more" if len(moving) > 5 else ""
    return (f"the verdict over those replays ({said}) changes at one end of {len(moving)} of its {len(inputs)} "
            f"random inputs: {', '.join(moving[:5])}{more}")


def input_namer(spec: Spec) -> Callable[[str], str]:
    """An input as a reader knows it and as ``--set`` and the sliders take it: "Kim Jong-un's
    status value (leaders.nk.status_value)"; the path alone where the file gives it no name."""
    from sim.figures.labels import for_spec

    label = for_spec(spec)
    return lambda path: path if label(path) == path else f"{label(path)} ({path})"


def render_screening(screened: dict, spec: Spec, ranges: dict[str, str], top: int) -> str:
    """Which input the verdict hinges on: the base verdict, the inputs at either end of which it
    changes, then the ``top`` inputs by how far the leading leader's margin swings between the ends."""
    names, named = spec.leader_names, input_namer(spec)
    verdict, inputs = screened["verdict"], screened["inputs"]
    said = verdict_text(verdict, names)
    low_pct, high_pct = (f"{round(e * 100)}th" for e in screened["ends"])
    m = screened["margin"]
    out = [f"{spec.title}: which input does the verdict hinge on?",
           *textwrap.wrap(f"{screened['runs']:,} replays per setting, seed {screened['seed']}; each of the "
                          f"{len(inputs)} random inputs pinned in turn at the {low_pct} and the {high_pct} "
                          "percentile of its sourced range, every other input drawn as in the base replays "
                          "(common random numbers)", 98),
           *textwrap.wrap(f"each verdict follows the rule of 'summit run', fixed in advance: "
                          f"{rule_text(screened['delta'])}", 98),
           "", f"VERDICT over these replays: {said.upper()}",
           f"  mean margin of {names[verdict['lead']]}: {with_interval(m)}"]
    moving = [row for row in inputs if row["moves"]]
    if moving:
        out.append(f"IT HINGES ON {len(moving)} OF THE {len(inputs)} INPUTS: at one end of each, the verdict changes")
    else:
        out.append("NO SINGLE INPUT MOVES IT:")
        out += textwrap.wrap(f"at either end of each of the {len(inputs)} inputs, the verdict stays '{said}'", 98,
                             initial_indent="  ", subsequent_indent="  ")
    out += textwrap.wrap("one input at a time: two inputs that each leave the verdict alone may move it together "
                         "(a sweep's Sobol' indices, 'summit analyze', see interactions)", 98,
                         initial_indent="  ", subsequent_indent="  ")
    shown = leading(inputs, top)
    out += ["", f"INPUTS: the {len(shown)} that move the verdict or {names[verdict['lead']]}'s mean margin most "
            "(* the verdict changes there)"]
    for row in shown:
        out.append(f"  {named(row['path'])} {ranges.get(row['path'], '')}: margin swings {row['swing']:z.3f}")
        for end, pct in (("low", low_pct), ("high", high_pct)):
            at = row[end]
            out.append(f"    at {at['value']:.3g} ({pct}): {verdict_text(at['verdict'], names)}, "
                       f"margin {at['margin']['mean']:+z.3f}" + (" *" if at["moves"] else ""))
    if len(shown) < len(inputs):
        rest = max(r["swing"] for r in inputs if r not in shown)
        out.append(f"  ... and {len(inputs) - len(shown)} more, each swinging the margin by at most {rest:z.3f} "
                   f"('--top {len(inputs)}' lists them all)")
    return "\n".join(out)


def render_validation(results: list[dict], runs: int, seed: int, delta: float, given: bool = False,
                      left_out: list[tuple[Path, str]] = ()) -> str:
    """The model against history for a terminal: a row per summit (who historians judged ahead,
    what the model says, and which checks fail), the rule first and the tallies after. The
    Markdown table of docs/validation.md, with each row's sources and shares, is
    ``summit validation --markdown``. Summits ``given`` on the command line are someone's own: the
    tallies say which their files mark held out, not which the model was built with; the files of
    their folders ``left_out`` are named under the count, with why."""
    from sim.validation import tally, who

    count = f"{len(results)} summit{'s' if len(results) != 1 else ''}"
    out = [f"THE MODEL AGAINST HISTORY: {count}, {runs:,} replays each, seed {seed}",
           *(f"left out: {path} ({why})" for path, why in left_out),
           *textwrap.wrap(f"each verdict follows the rule of 'summit run', fixed in advance: {rule_text(delta)}", 98),
           "  (* held out: written from the record after the model was built, replayed once, unchanged)", ""]
    rows = [[r["scenario"] + (" *" if r["history"].held_out else ""), who(r["history"].ahead, r["names"]),
             r["summary"]["verdict"]["text"],
             "yes" if r["agree"] else "NO (" + ", ".join(k for k, ok in r["checks"].items() if not ok) + ")"]
            for r in results]
    out += _table(rows, ["summit", "historians: ahead", "the model says", "agrees with history"], words=True)
    held_out = [r for r in results if r["history"].held_out]
    built = [r for r in results if not r["history"].held_out]
    labels = (("Marked held out", "Not marked held out", "All the summits given") if given else
              ("Held out", "Built with the model, or used to change it", "All summits"))
    for label, group in zip(labels, (held_out, built, results if held_out and built else []), strict=True):
        if group:  # the whole apart only where it is more than one of its parts
            out += ["", *textwrap.wrap(tally(label, group), 98)]
    return "\n".join(out)
