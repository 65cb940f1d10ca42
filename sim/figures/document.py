"""One file that tells a summit's whole story: the question, the actors and issues with their
sourced parameters, the verdict with its numbers, the figures, the median replay's story and
what drives the result. HTML embeds its figures (it opens with no network); Markdown writes
them beside it."""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import matplotlib.pyplot as plt

from sim import __version__
from sim.figures.data import Replayed
from sim.figures.kinds import SCENARIO_KINDS
from sim.figures.style import styled
from sim.loader import load
from sim.model import Outcome
from sim.report import parameters, render, shown_param, story

CAPTIONS = {
    "ahead": "Each leader's net gain in its four parts; the diamond is the net gain with its 95% interval.",
    "margin": "The spread of the margin over replays. The shaded band is the verdict rule's region of "
              "equivalence: a replay inside it is even; outside it, one leader is ahead.",
    "dance": "The median replay round by round: each leader's offers on every issue, the status quo (dotted), "
             "the ideals (dashed) and what ceilings and win-sets rule out (grey).",
    "two-level": "Putnam's two-level game on the two issues that matter most, with the replays' deals.",
    "allies": "Cohesion of each bloc before and after the summit, ally by ally.",
    "what-if": "The paired change each variant makes, on common random numbers.",
}


def figures_for(r: Replayed) -> list[str]:
    kinds = ["ahead", "margin", "dance", "two-level"]
    if r.spec.allies:
        kinds.append("allies")
    if r.comparisons:
        kinds.append("what-if")
    return kinds


def drivers(r: Replayed) -> list[str]:
    """What the margin is made of: the parts where the leader ahead gains most over the other."""
    s = r.summary
    lead = s["p_ahead"]["leader"]
    others = [k for k in r.outcome.leaders if k != lead]
    lines = []
    for other in others:
        diffs = {name: s["leaders"][lead]["parts"][name]["mean"] - s["leaders"][other]["parts"][name]["mean"]
                 for name in Outcome.PART_NAMES}
        ranked = sorted(diffs.items(), key=lambda kv: -abs(kv[1]))
        lines.append(f"{r.names[lead]} against {r.names[other]}: " +
                     ", ".join(f"{name} {value:+.3f}" for name, value in ranked))
    for name, change in r.comparisons.items():
        moved = {k: change["leaders"][k]["gain"] for k in r.outcome.leaders}
        lines.append(f"What if '{name}' ({r.variants[name]}): " + ", ".join(
            f"{r.names[k]} {v['mean']:+.3f} [{v['low']:+.3f}, {v['high']:+.3f}]" for k, v in moved.items()))
    return lines


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def _figures(r: Replayed, style: str) -> dict[str, tuple[str, bytes]]:
    out = {}
    with styled(style):
        for kind in figures_for(r):
            fig = SCENARIO_KINDS[kind](r)
            title = fig.get_suptitle() or kind
            out[kind] = (title, _png(fig))
    return out


def write_html(r: Replayed, name: str, target: Path, style: str = "paper") -> Path:
    sc = load(name)
    figures = _figures(r, style)
    esc = html.escape
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{esc(r.spec.title)}</title>",
             "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
             "line-height:1.45;color:#222}img{max-width:100%}pre{background:#f5f5f5;padding:1rem;overflow-x:auto;"
             "font-size:.85rem}table{border-collapse:collapse;font-size:.85rem}td,th{border-bottom:1px solid #ddd;"
             "padding:.2rem .5rem;text-align:left;vertical-align:top}figcaption{color:#555;font-size:.9rem}"
             "</style></head><body>",
             f"<h1>{esc(r.spec.title)}</h1>",
             f"<p><b>The question.</b> {esc(sc.description)} Who comes out ahead, by how much, why, and how "
             "sure are we?</p>",
             f"<h2>The verdict</h2><p><b>{esc(figures['ahead'][0])}</b></p>",
             f"<pre>{esc(render(r.summary, r.spec, r.seed, []))}</pre>",
             "<h2>What drives the result</h2><ul>" + "".join(f"<li>{esc(line)}</li>" for line in drivers(r)) + "</ul>",
             "<h2>Figures</h2>"]
    for kind, (title, png) in figures.items():
        data = base64.b64encode(png).decode("ascii")
        parts.append(f"<figure id='{kind}'><img alt='{esc(title)}' src='data:image/png;base64,{data}'>"
                     f"<figcaption>{esc(CAPTIONS[kind])}</figcaption></figure>")
    parts.append(f"<h2>The story of the median replay</h2><pre>{esc(story(r.story, r.spec))}</pre>")
    parts.append("<h2>Actors, issues and where every number comes from</h2><h3>Sources</h3><ul>" +
                 "".join(f"<li><b>{esc(k)}</b>: {esc(v)}</li>" for k, v in sc.sources.items()) + "</ul>")
    parts.append("<h3>Issues</h3><table><tr><th>issue</th><th>status quo</th><th>scale</th></tr>" + "".join(
        f"<tr><td>{esc(i.label)}</td><td>{esc(shown_param(i.status_quo.model_dump()))}</td>"
        f"<td>{esc(i.note or '')}</td></tr>" for i in sc.issues.values()) + "</table>")
    parts.append("<h3>Parameters</h3><table><tr><th>parameter</th><th>value or distribution</th><th>source</th></tr>"
                 + "".join(f"<tr><td>{esc(p)}</td><td>{esc(v)}</td><td>{esc(s)}</td></tr>"
                           for p, v, s in parameters(sc)) + "</table>")
    parts.append(f"<p><small>{esc(r.source)}; summit {__version__}. Regenerate with "
                 f"<code>summit report {esc(name)} --runs {r.runs} --seed {r.seed}"
                 f"{''.join(' --variant ' + esc(v) for v in r.comparisons)}</code>.</small></p></body></html>")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(parts), encoding="utf-8")
    return target


def write_markdown(r: Replayed, name: str, target: Path, style: str = "paper") -> Path:
    sc = load(name)
    folder = target.with_name(target.stem + "_figures")
    folder.mkdir(parents=True, exist_ok=True)
    figures = _figures(r, style)
    lines = [f"# {r.spec.title}", "", f"**The question.** {sc.description} Who comes out ahead, by how much, "
             "why, and how sure are we?", "", "## The verdict", "", f"**{figures['ahead'][0]}**", "",
             "```", render(r.summary, r.spec, r.seed, []), "```", "", "## What drives the result", ""]
    lines += [f"- {line}" for line in drivers(r)]
    lines += ["", "## Figures", ""]
    for kind, (title, png) in figures.items():
        (folder / f"{kind}.png").write_bytes(png)
        lines += [f"![{title}]({folder.name}/{kind}.png)", "", f"*{CAPTIONS[kind]}*", ""]
    lines += ["## The story of the median replay", "", "```", story(r.story, r.spec), "```", "",
              "## Parameters and sources", "", "| parameter | value or distribution | source |", "|---|---|---|"]
    lines += [f"| {p} | {v} | {s.replace('|', '/')} |" for p, v, s in parameters(sc)]
    lines += ["", f"*{r.source}; summit {__version__}.*"]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target
