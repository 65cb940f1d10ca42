"""One file that tells a summit's whole story, for a class to read: the question, the verdict and
the rule behind it, what it rests on, what historians concluded, each side's gains, the issues and
what their scales mean, the figures, the median replay told in words, and where every number
comes from. The content is built once as blocks (headings, paragraphs, tables, figures) and
written as HTML (figures embedded: it opens with no network) or Markdown (figures beside it)."""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from pathlib import Path

from sim import __version__, track_record
from sim.figures.data import Replayed
from sim.loader import load
from sim.markup import bracketless, plain
from sim.model import Outcome
from sim.pairing import UNUSED, share_changed
from sim.report import hinge_sentence, story, walkout_sentence
from sim.schema import History
from sim.sources import parameters, shown_param
from sim.stats import part_of, parts_of, percent, with_interval
from sim.validation import checked
from sim.verdict import DIRECTLY_SET, even_label, margin_split, rule_text, substance_text, weights_text
from sim.zone import situation_shares

CAPTIONS = {
    "ahead": "Each leader's net gain in its four parts; the diamond is the net gain with its 95% interval.",
    "margin": "The spread of the margin over replays. The shaded band is the verdict rule's region of "
              "equivalence: a replay inside it is even; outside it, one leader is ahead.",
    "dance": "The median replay round by round, on the issues where the offers moved most: each leader's "
             "offers{mediated}, the status quo (dotted), the ideals (dashed) and what ceilings and win-sets rule "
             "out (grey).",
    "issues": "Each issue on its 0-1 scale: the status quo, each leader's ideal, where the middle 90% of the "
              "replays ended and their mean, and how often the issue moved at all.",
    "two-level": "Putnam's two-level game on the two issues that matter most, with the replays' deals.",
    "allies": "Cohesion of each bloc before and after the summit, ally by ally.",
    "what-if": "The paired change each variant makes, on common random numbers.",
    "tornado": "Which input does the verdict hinge on? Each random input pinned at the 5th and the 95th "
               "percentile of its range, the others drawn as in the base replays: the leading leader's mean margin "
               "at each end; hatched where the verdict changes.",
    "zone": "Was a deal possible? The first replays by what the leaders faced when they sat down (the table "
            "above), each bar darkened by the share that ended in a deal.",
}


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    numeric: set[int] = field(default_factory=set)   # columns to right-align
    words: set[int] = field(default_factory=set)     # rows of words in those columns: wrapped, not aligned


@dataclass
class Figure:
    kind: str
    title: str
    png: bytes
    caption: str


Block = tuple[str, object]   # ("h2" | "h3" | "p" | "strong" | "list", text or items) or ("table", Table), ...


def figures_for(r: Replayed) -> list[str]:
    kinds = ["ahead", "margin", "issues", "dance", "two-level", "zone"]
    if r.spec.allies:
        kinds.append("allies")
    if r.comparisons:
        kinds.append("what-if")
    return kinds


def _figures(r: Replayed, style: str) -> list[Figure]:
    from sim.figures.kinds import SCENARIO_KINDS, png  # matplotlib, only where figures are drawn
    from sim.figures.style import styled
    from sim.figures.tornado import tornado

    out = []
    with styled(style):
        for kind in figures_for(r):
            fig = SCENARIO_KINDS[kind](r)
            out.append(Figure(kind, fig.get_suptitle() or kind, png(fig, 110), caption(kind, r)))
        if r.screened["inputs"]:
            fig = tornado(r.screened, r.spec)
            out.append(Figure("tornado", fig.get_suptitle(), png(fig, 110), caption("tornado", r)))
    return out


def caption(kind: str, r: Replayed) -> str:
    """The words under a figure; the dance's name a mediator's texts only where one sits at the table."""
    mediated = ", the mediator's single texts (black squares)" if r.spec.mediators else ""
    return CAPTIONS[kind].format(mediated=mediated)


def _share(d: dict) -> str:
    return f"{d['p']:.1%} [{d['low']:.1%}, {d['high']:.1%}]"


def verdict_blocks(r: Replayed, hinge: bool = True) -> list[Block]:
    """The verdict, its rule, its shares through each lens, what it rests on and how far to trust
    it; ``hinge`` adds which input it hinges on (a screen: seconds of replays)."""
    v, names = r.summary["verdict"], r.names
    lead = v["lead"]
    others = [k for k in r.outcome.leaders if k != lead]
    versus = names[others[0]] if len(others) == 1 else "the best of the others"
    blocks: list[Block] = [("h2", "The verdict"), ("strong", v["text"][0].upper() + v["text"][1:] + ".")]
    if v["lean"]:
        blocks.append(("p", v["lean"][0].upper() + v["lean"][1:] + "."))
    blocks.append(("p", f"The rule, fixed before any result was looked at: {rule_text(v['delta'])}."))
    lenses = [("all replays", v), ("the meeting was held", v["given_held"]), ("a deal was struck", v["given_deal"])]
    lenses = [(label, lens) for label, lens in lenses if lens is not None]
    header = ["share of replays [95% interval]"] + [
        label if label == "all replays" else f"given {label} ({lens['share_of_replays']:.0%})"
        for label, lens in lenses]
    rows = [[f"{names[k]} ahead", *(_share(lens["shares"][k]) for _, lens in lenses)] for k in r.outcome.leaders]
    rows.append([even_label(v["delta"], len(names)), *(_share(lens["shares"]["even"]) for _, lens in lenses)])
    rows.append([f"mean margin, {names[lead]} over {versus}",
                 *(with_interval(lens.get("margin_of_lead", lens["margin"])) for _, lens in lenses)])
    rows.append(["verdict", *(lens["text"] for _, lens in lenses)])
    blocks.append(("table", Table(header, rows, set(range(1, len(header))), words={len(rows) - 1})))
    if len(r.outcome.leaders) > 2:
        blocks.append(("p", "Ranking by mean net gain: " + ", ".join(
            f"{names[k]} {v['mean_gain'][k]:+z.3f}" for k in v["ranking"]) + "."))
    blocks += [("h3", "What the verdict rests on")]
    split = margin_split(v)
    shared = split[0][2] is not None
    shown = [*parts_of([share for _, _, share in split[:-1]]), part_of(split[-1][2])] if shared else ["-"] * len(split)
    rows = [[f"of which {DIRECTLY_SET}, counted within the parts above" if name == "directly set" else name,
             f"{amount:+z.3f}", share] for (name, amount, _), share in zip(split, shown, strict=True)]
    rows.insert(len(split) - 1, ["the mean margin: the four parts together", f"{v['margin']['mean']:+z.3f}",
                                 "100%" if shared else "-"])
    blocks.append(("table", Table([f"part of the mean margin of {names[lead]}", "amount", "share"], rows, {1, 2})))
    if not shared:
        blocks.append(("p", f"The mean margin, {v['margin']['mean']:+z.3f}, is within {v['delta']:z.2f}: no "
                            "difference under the rule, so it is not shared out among the parts."))
    said = substance_text(v, names)
    blocks.append(("p", f"{said[0].upper()}{said[1:]}, taken out of the same replays."))
    blocks.append(("p", "A threshold analysis of the terms set by hand, all scaled by one factor in the same "
                        f"replays (docs/model.md): {weights_text(v['direct_weights'], names)}."))
    record = track_record.sentence(track_record.load(), named=v["winner"] is not None)
    if record:
        blocks += [("h3", "How far to trust a verdict"),
                   ("p", f"The intervals above say how sure the replays are of the model's answer, not how often "
                         f"the model's answer is history's. {record}")]
    if not hinge:
        return blocks
    found = hinge_sentence(r.screened, r.spec)
    blocks.append(("p", f"Which input it hinges on ('summit screen': each random input pinned in turn at the 5th and "
                        f"the 95th percentile of its range, {r.screened['runs']:,} replays each, the others drawn as "
                        f"in the base replays): {found}. One input at a time: two inputs may move it together."))
    return blocks


def history_blocks(r: Replayed, h: History | None) -> list[Block]:
    """History's verdict beside the model's, check by check, for the file as written (``h``, its
    history block); a what-if was judged by no historian."""
    if r.settings:
        return [("h2", "What historians concluded"),
                ("p", f"Historians judged the summit as it happened; this report replays a what-if "
                      f"({' '.join(r.settings)}), which none judged. The report of the file as written sets the "
                      "model's answer beside theirs.")]
    if h is None:
        return [("h2", "What historians concluded"), ("p", "This scenario records no historians' verdict.")]
    sentence, rows = checked(h, r.summary, r.outcome, r.names)
    return [("h2", "What historians concluded"), ("p", sentence),
            ("table", Table(["check", "the model says", "against history"], rows))]


def gain_blocks(r: Replayed) -> list[Block]:
    s = r.summary
    rows = [[v["name"], *(f"{v['parts'][p]['mean']:+z.3f}" for p in Outcome.PART_NAMES), with_interval(v["gain"])]
            for v in s["leaders"].values()]
    mech = [f"The meeting was held in {s['held']:.1%} of replays; a deal was struck in {s['deal']:.1%}"
            + (f", at round {s['deal_round']:z.1f} of {r.spec.rounds} on average" if s["deal_round"] else "")
            + f"; a vague joint statement came instead in {s['joint_statement']:.1%}."
            + (f" In {s['partial']:.1%} of replays the deal was partial: no text over every issue was agreed, and "
               "at the close the leaders signed the agreements each would sign on their own issues."
               if s["partial"] else "")]
    broke = walkout_sentence(s, r.spec.rounds)
    if broke:
        mech.append(broke[0].upper() + broke[1:] + ".")
    mech += [f"{r.spec.legislatures[k]['name']} rejected {rate:.1%} of deals; it answered with hostile measures in "
             f"{s['backlash'][k]:.1%} of replays." for k, rate in s["ratification_failed"].items()]
    return [("h2", "Who gains what, and why"),
            ("table", Table(["leader", *Outcome.PART_NAMES, "net gain [95% interval]"], rows, {1, 2, 3, 4, 5})),
            ("p", "Gains are on each leader's own stakes: 1 is every issue moved from its far end to the leader's "
                  "ideal. Substantive: issues moved; status: the meeting's standing and symbolic issues; "
                  "domestic: meeting and audience costs at home; alliance: allies' cohesion, one's own and the "
                  "rival's."),
            ("list", mech)]


def zone_blocks(r: Replayed) -> list[Block]:
    """Was a deal possible? The report's first replays, each placed in the first of these that
    holds (sim/zone.py), with the share of them that ended in a deal."""
    n = r.faced["held"].size
    rows = [[label, f"{share:.1%}", "-" if deal is None else percent(deal)]
            for label, share, deal in situation_shares(r.faced, r.spec.signing)]
    return [("h2", "Was a deal possible?"),
            ("p", f"Each of the first {n:,} replays, placed by what the leaders faced when they sat down, judged as "
                  "they saw it (each one's priorities as it perceived them). A leader's reservation is what it "
                  "resolved to hold out for: its walk-away value plus its resolve of the rest. Where a text met "
                  "every reservation and no deal came, the bargaining did not find it: beliefs about the others "
                  "were wrong, someone walked out, or the clock ran out. The texts here cover every issue; where "
                  "none met every reservation, a deal may still come issue by issue at the close (a partial "
                  "deal)."),
            ("table", Table(["what the leaders faced", "share of replays", "a deal struck in"], rows, {1, 2}))]


def issue_blocks(r: Replayed) -> list[Block]:
    s, spec = r.summary, r.spec
    rows = []
    for k, (key, v) in enumerate(s["issues"].items()):
        ideals = [f"{spec.draws[f'leaders.{lk}.ideal.{key}'].mean:z.2f}" for lk in r.outcome.leaders]
        rows.append([v["label"], spec.issue_notes[k] or "-", f"{v['status_quo']:z.2f}", f"{v['outcome']['mean']:z.3f}",
                     *ideals, percent(v['moved'])])
    header = ["issue", "what 0 and 1 mean", "status quo", "outcome", *(f"{r.names[lk]}'s ideal"
                                                                        for lk in r.outcome.leaders), "moved"]
    return [("h2", "The issues"), ("table", Table(header, rows, set(range(2, len(header)))))]


def whatif_blocks(r: Replayed) -> list[Block]:
    if not r.comparisons:
        return []
    rows = [[r.variants[n], *(with_interval(c["leaders"][k]["gain"]) for k in r.outcome.leaders),
             share_changed(c["replays_changed"]), c["verdict"]["variant"]] for n, c in r.comparisons.items()]
    moved = sum(c["verdict"]["changed"] for c in r.comparisons.values())
    untouched = sum(c["replays_changed"] == 0 for c in r.comparisons.values())
    note = f" {untouched} changed no replay at all: what a variant sets {UNUSED}." if untouched else ""
    return [("h2", "What if?"), ("p", f"As written: {r.summary['verdict']['text']}. "
                                      f"{moved} of {len(r.comparisons)} variants move the verdict.{note} Each "
                                      "variant replayed on common random numbers: the change in each leader's net "
                                      "gain, with its paired 95% interval, the share of replays it changed at all, "
                                      "and the variant's verdict."),
            ("table", Table(["variant", *(f"change in {r.names[k]}'s gain" for k in r.outcome.leaders),
                             "replays changed", "verdict"], rows, set(range(1, 2 + len(r.outcome.leaders)))))]


def story_blocks(r: Replayed) -> list[Block]:
    lines = story(r.story, r.spec).splitlines()[1:]
    paragraphs, current = [], []
    for line in lines:
        if not line.strip():
            if current:
                paragraphs.append(current)
            current = []
        else:
            current.append(line.strip())
    if current:
        paragraphs.append(current)
    blocks: list[Block] = [("h2", f"The story of the median replay (replay {int(r.story.run_ids[0])})")]
    for para in paragraphs:
        if para[0].endswith(":") and len(para) > 1:
            blocks += [("p", para[0]), ("list", para[1:])]
        else:
            blocks.append(("list", para))
    return blocks


def source_blocks(name: str) -> list[Block]:
    sc = load(name)
    return [("h2", "Where every number comes from"),
            ("list", [f"{k}: {v}" for k, v in sc.sources.items()]),
            ("table", Table(["parameter", "value or distribution", "source"], [list(p) for p in parameters(sc)])),
            ("table", Table(["issue", "status quo", "what 0 and 1 mean"],
                            [[i.label, shown_param(i.status_quo.model_dump()), i.note or "-"]
                             for i in sc.issues.values()]))]


def blocks(r: Replayed, name: str, figures: list[Figure]) -> list[Block]:
    sc = load(name)
    out: list[Block] = [("h1", r.spec.title),
                        ("p", f"The question. {sc.description} Who comes out ahead, by how much, why, and how sure "
                              "are we?"),
                        ("small", f"{r.source}; summit {__version__}.")]
    out += verdict_blocks(r) + history_blocks(r, sc.history) + gain_blocks(r) + zone_blocks(r)
    out += issue_blocks(r) + whatif_blocks(r)
    out.append(("h2", "Figures"))
    out += [("figure", f) for f in figures]
    out += story_blocks(r) + source_blocks(name)
    rerun = f"summit report {name} --runs {r.runs} --seed {r.seed}" + "".join(f" {s}" for s in r.settings)
    rerun += "".join(f" --compare {v}" for v in r.comparisons)
    out.append(("small", f"Regenerate with: {rerun}"))
    return out


STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;
line-height:1.45;color:#1a1a1a}
h1{font-size:1.9rem;margin-bottom:.3rem}h2{margin-top:2.2rem;border-bottom:2px solid #ddd;padding-bottom:.2rem}
.verdict{font-size:1.5rem;font-weight:700;margin:.6rem 0}
.wide{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:.92rem;margin:.6rem 0;max-width:100%}
th,td{border-bottom:1px solid #ddd;padding:.3rem .55rem;text-align:left;vertical-align:top;overflow-wrap:break-word;
hyphens:auto}
th{background:#f3f3f3;overflow-wrap:normal}td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
img{max-width:100%;height:auto}figure{margin:1.2rem 0}figcaption{color:#555;font-size:.92rem}
small{color:#555}li{margin:.15rem 0}
@media print{body{max-width:none;margin:0;font-size:10pt}h2{break-after:avoid}
figure,table{break-inside:avoid}.wide{overflow:visible}a{color:inherit}}
"""


NOTEBOOK_STYLE = (".summit-result .verdict{font-size:1.35em;font-weight:700;margin:.4em 0}"
                  ".summit-result td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
                  ".summit-result td,.summit-result th{text-align:left;vertical-align:top}")


def write_html(r: Replayed, name: str, target: Path, style: str = "paper") -> Path:
    head = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{html.escape(r.spec.title)}"
            f"</title><style>{STYLE}</style></head><body>")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(head + "\n" + html_of(blocks(r, name, _figures(r, style))) + "\n</body></html>",
                      encoding="utf-8")
    return target


def html_of(content: list[Block]) -> str:
    """Blocks as HTML, every text escaped: a file's words are only ever shown as text."""
    esc = html.escape
    parts = []
    for kind, item in content:
        if kind in ("h1", "h2", "h3"):
            parts.append(f"<{kind}>{esc(item)}</{kind}>")
        elif kind == "strong":
            parts.append(f"<p class='verdict'>{esc(item)}</p>")
        elif kind == "p":
            parts.append(f"<p>{esc(item)}</p>")
        elif kind == "small":
            parts.append(f"<p><small>{esc(item)}</small></p>")
        elif kind == "list":
            parts.append("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in item) + "</ul>")
        elif kind == "table":
            head = "".join(f"<th>{esc(h)}</th>" for h in item.header)
            body = "".join("<tr>" + "".join(
                f"<td{' class=n' if i in item.numeric and j not in item.words else ''}>{esc(c)}</td>"
                for i, c in enumerate(row)) + "</tr>" for j, row in enumerate(item.rows))
            parts.append(f"<div class='wide'><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")
        elif kind == "figure":
            data = base64.b64encode(item.png).decode("ascii")
            parts.append(f"<figure id='{item.kind}'><img alt='{esc(item.title)}' src='data:image/png;base64,{data}'>"
                         f"<figcaption>{esc(item.caption)}</figcaption></figure>")
    return "\n".join(parts)


def write_markdown(r: Replayed, name: str, target: Path, style: str = "paper") -> Path:
    folder = target.with_name(target.stem + "_figures")
    folder.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []

    def cell(text: str) -> str:
        return plain(str(text)).replace("|", "/")

    for kind, item in blocks(r, name, _figures(r, style)):
        if kind in ("h1", "h2", "h3"):
            lines += ["#" * int(kind[1]) + " " + plain(item), ""]
        elif kind == "strong":
            lines += [f"**{plain(item)}**", ""]
        elif kind in ("p", "small"):
            lines += [plain(item) if kind == "p" else f"*{plain(item)}*", ""]
        elif kind == "list":
            lines += [f"- {plain(x)}" for x in item] + [""]
        elif kind == "table":
            lines.append("| " + " | ".join(cell(h) for h in item.header) + " |")
            lines.append("|" + "|".join("---:" if i in item.numeric else "---" for i in range(len(item.header))) + "|")
            lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in item.rows]
            lines.append("")
        elif kind == "figure":
            (folder / f"{item.kind}.png").write_bytes(item.png)
            lines += [f"![{bracketless(plain(item.title))}]({folder.name}/{item.kind}.png)", "",
                      f"*{item.caption}*", ""]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target
