"""Figures and reports: what a reader relies on is there (titles that state the finding, labels,
one line per issue and side, legends), nothing is cut off at the class style's size, key figures
match stored baselines, and the HTML report stands alone."""

from __future__ import annotations

import os
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.container import BarContainer
from matplotlib.patches import StepPatch
from matplotlib.testing.compare import compare_images
from sweeps_helpers import run_cli, sweep_file

import sim
from builders import p, table
from sim.figures import dance as dance_module
from sim.figures import sweeps
from sim.figures.dance import partial_deal_words, shown_issues
from sim.figures.data import from_result, replayed
from sim.figures.document import caption, figures_for, write_html, write_markdown
from sim.figures.kinds import SCENARIO_KINDS, save
from sim.figures.labels import for_spec, namer
from sim.figures.style import colours, styled
from sim.figures.verdict import DIRECT_LABEL, verdict_title
from sim.figures.whatif import _finding
from sim.library import known_scenarios
from sim.loader import resolve, validate
from sim.stats import percent
from sim.sweeps import analyze
from sim.sweeps.store import Store
from sim.verdict import classes, margin_of

BASELINES = Path(__file__).parent / "baseline"
RUNS = 200


def drawn(fig):
    """The renderer of the figure as drawn: a draw is most of what checking a figure costs, so
    ``check_figure`` draws once for both of its checks."""
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def texts_inside(fig, renderer=None) -> list[str]:
    """Whatever a reader would see cut off at the figure's edge: axes with their labels and tick
    labels (as drawn), legends, the title and the source line. Empty when nothing is clipped."""
    renderer = renderer or drawn(fig)
    box = fig.bbox
    parts = [(ax.get_label() or "axes", ax.get_tightbbox(renderer)) for ax in fig.axes if ax.get_visible()]
    parts += [(legend.get_texts()[0].get_text(), legend.get_window_extent(renderer)) for legend in fig.legends]
    parts += [(t.get_text(), t.get_window_extent(renderer)) for t in [fig._suptitle, *fig.texts] if t is not None]
    return [name for name, e in parts
            if e.x0 < box.x0 - 1 or e.x1 > box.x1 + 1 or e.y0 < box.y0 - 1 or e.y1 > box.y1 + 1]


def _overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def legend_clashes(fig, renderer=None) -> list[str]:
    """Legends drawn over what a reader must see: a figure legend over any axes, an axes legend
    over that axes' labels or tick labels."""
    renderer = renderer or drawn(fig)
    clashes = []
    for legend in fig.legends:
        box = legend.get_window_extent(renderer)
        clashes += [f"figure legend over {ax.get_label() or 'axes'}" for ax in fig.axes
                    if ax.get_visible() and _overlap(box, ax.get_tightbbox(renderer))]
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None:
            continue
        box = legend.get_window_extent(renderer)
        texts = [ax.xaxis.label, ax.yaxis.label, *ax.get_xticklabels(), *ax.get_yticklabels()]
        clashes += [f"legend over '{t.get_text()}'" for t in texts
                    if t.get_visible() and t.get_text() and _overlap(box, t.get_window_extent(renderer))]
    return clashes


def test_the_figure_checks_see_a_clipped_title_and_a_legend_over_the_data():
    """The checks every figure passes can fail: a title pushed past the top edge, and a figure
    legend laid over the axes."""
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], label="a line")
    fig.suptitle("a finding far too high", y=1.2)
    fig.legend(loc="center")
    renderer = drawn(fig)
    assert set(texts_inside(fig, renderer)) == {"a finding far too high"}
    assert legend_clashes(fig, renderer) == ["figure legend over axes"]
    plt.close(fig)


def title(fig) -> str:
    return fig.get_suptitle().replace("\n", " ")


@pytest.fixture(scope="module")
def helsinki():
    return replayed("helsinki-2018", runs=RUNS, seed=3, compare_with=["advisers-in-room", "tough-congress"])


def crowded_in_print() -> set[str]:
    """The scenarios that crowd a figure most, one for each thing that takes room: leaders, the
    longest leader's name, issues, the longest issue label, variants, allies, legislatures, rounds. The
    classroom style, whose type is largest, is checked on every scenario; the paper style on
    these."""
    from sim.loader import load

    scenarios = {name: load(name) for name in known_scenarios()}
    measures = [
        lambda sc: len(sc.leaders),
        lambda sc: max(len(v.name) for v in sc.leaders.values()),
        lambda sc: len(sc.issues),
        lambda sc: max(len(i.label) for i in sc.issues.values()),
        lambda sc: len(sc.variants),
        lambda sc: len(sc.allies),
        lambda sc: len(sc.legislatures),
        lambda sc: sc.protocol.rounds,
    ]
    return {max(scenarios, key=lambda name: measure(scenarios[name])) for measure in measures}


CROWDED_IN_PRINT = crowded_in_print()


@pytest.mark.parametrize("name", list(known_scenarios()))
def test_every_figure_renders_for_every_scenario_it_applies_to(name):
    r = replayed(name, runs=RUNS, seed=1, compare_with=["all"])
    for style in ("class", "paper") if name in CROWDED_IN_PRINT else ("class",):
        with styled(style):
            for kind, draw in SCENARIO_KINDS.items():
                if (kind == "allies" and not r.spec.allies) or (kind == "what-if" and not r.comparisons):
                    with pytest.raises(ValueError):
                        draw(r)
                    continue
                fig = draw(r)
                check_figure(fig, name, kind, style)
                if kind == "dance":
                    check_rounds_axis(fig, r.spec.rounds)
                plt.close(fig)


def check_rounds_axis(fig, rounds: int) -> None:
    """The dance's round axis runs from the first round to the deadline, in whole rounds (a deal in
    round 1 drew ticks at 0.945, 0.960, ...)."""
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        low, high = ax.get_xlim()
        assert low < 1 and high > rounds, (low, high, rounds)
        ticks = [t for t in ax.get_xticks() if low <= t <= high]
        assert ticks and all(float(t).is_integer() and 1 <= t <= rounds for t in ticks), ticks


def check_figure(fig, name: str, kind: str, style: str) -> None:
    """What can be checked of a figure without looking: a finding as its title, its provenance,
    nothing cut off, no legend over data or labels, labelled axes, the zone drawn when announced."""
    assert len(title(fig)) > 20, (name, kind)
    assert any(name in t.get_text() and "summit" in t.get_text() for t in fig.texts), (name, kind)
    renderer = drawn(fig)
    assert texts_inside(fig, renderer) == [], (name, kind, style)
    assert legend_clashes(fig, renderer) == [], (name, kind, style)
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes)]
    legend_texts = [t.get_text() for lg in legends if lg for t in lg.get_texts()]
    if any("zone of agreement" in t for t in legend_texts):
        assert fig.axes[0].get_images(), (name, "a zone announced in the legend must be drawn")
    for ax in fig.axes:
        if ax.get_visible() and ax.get_label() != "<colorbar>":
            assert ax.get_xlabel() or ax.get_ylabel() or ax.get_title(loc="left"), (name, kind)


def test_the_dance_shows_the_issues_where_offers_moved_most_one_line_per_side(helsinki):
    with styled("paper"):
        fig = SCENARIO_KINDS["dance"](helsinki)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    shown = shown_issues(helsinki)
    assert len(panels) == len(shown) == dance_module.MAX_SHOWN
    assert [ax.get_title(loc="left").replace("\n", " ") for ax in panels] == [helsinki.spec.issue_labels[k]
                                                                              for k in shown]
    offers = np.array([t["offer"][:, 0] for t in helsinki.story.trace if t["active"][0]])
    moved = offers.max(axis=0) - offers.min(axis=0)
    story = helsinki.story  # the issues the deal signed come first, then those the offers moved most on
    signed = story.deal[0] & (np.abs(story.agreed[:, 0] - story.status_quo[:, 0]) > 1e-6)
    hidden = np.setdiff1d(np.arange(len(moved)), shown)
    assert signed[shown].all() or not signed[hidden].any()
    unsigned_shown = [k for k in shown if not signed[k]]
    if unsigned_shown:  # no hidden issue the deal left alone moved more than a shown one it left alone
        assert min(moved[unsigned_shown]) >= max(moved[hidden], default=0)
    assert "not shown" in " ".join(t.get_text() for t in fig.texts)
    for ax in panels:
        assert [tick for tick in ax.get_yticks()] == [0, 0.5, 1]
    proposers = {t["proposer"] for t in helsinki.story.trace if t["active"][0]}
    for ax in panels:
        offers = [line.get_label() for line in ax.get_lines() if line.get_label().endswith("'s offers")]
        assert sorted(offers) == sorted(f"{helsinki.names[k]}'s offers" for k in proposers)
    legend = [" ".join(t.get_text().split()) for t in fig.legends[0].get_texts()]   # labels wrap to fit
    assert "status quo" in legend and "ruled out by ceilings and win-sets" in legend
    assert ruled_out_in(helsinki, shown)
    story = helsinki.story  # a partial deal stars only the issues it signed
    signed = np.abs(story.agreed[shown, 0] - story.status_quo[shown, 0]) > 1e-6
    assert ("agreed" in legend) == bool(story.deal[0] and (not story.partial[0] or signed.any()))
    assert ("partial deal" in title(fig)) == bool(story.partial[0])
    plt.close(fig)


def test_the_dance_shows_a_mediators_single_texts_where_it_tabled_them():
    """At Camp David 1978 Carter tabled the texts that made the deal; a dance of Sadat's and Begin's
    offers alone told a class the two had found it by themselves."""
    r = replayed("camp-david-1978", runs=RUNS, seed=2018)
    (key, mediator), = r.spec.mediators.items()
    tabled = {t["round"]: t["offer"][:, 0] for t in r.story.trace if t["active"][0] and t["proposer"] == key}
    assert tabled, "the median replay has a text from the mediator"
    with styled("class"):
        fig = SCENARIO_KINDS["dance"](r)
    for ax, k in zip([ax for ax in fig.axes if ax.get_visible()], shown_issues(r), strict=True):
        line, = [line for line in ax.get_lines() if line.get_label() == f"{mediator['name']}'s single texts"]
        assert list(line.get_xdata()) == list(tabled)
        assert list(line.get_ydata()) == [offer[k] for offer in tabled.values()]
        assert line.get_color() not in {c for c in colours(r.spec.leaders).values()}
    plt.close(fig)
    assert "the mediator's single texts (black squares)" in caption("dance", r)  # the report's words under it


def test_a_figure_caption_names_only_what_its_figure_draws(helsinki):
    assert "mediator" not in caption("dance", helsinki) and "{" not in caption("dance", helsinki)


def test_the_dance_of_a_partial_deal_says_what_it_signed():
    """Hanoi's median replay signs one issue of four at the close: the title names it, and the star
    marks it; a deal on many issues is counted."""
    # replay counts at which the median replay is a partial deal; at Yalta the offers moved least on
    # the issue it signed
    for name, runs in (("hanoi-2019", RUNS), ("yalta-1945", 2000)):
        check_partial_dance(replayed(name, runs=runs, seed=2018))
    many = type("Story", (), {"agreed": np.array([[1.0], [1.0], [1.0], [0.0]]),
                              "status_quo": np.zeros((4, 1)), "deal": np.array([True])})
    assert partial_deal_words(["a", "b", "c", "d"], many) == "a partial deal at the close, on 3 of 4 issues"


def test_the_dance_of_a_meeting_not_held_claims_no_offers():
    r = replayed("paris-1960", runs=RUNS, seed=2018)  # Khrushchev's demands kept it from being held
    assert not r.story.held[0]
    with styled("paper"):
        fig = SCENARIO_KINDS["dance"](r)
    assert "the meeting is cancelled (4 of 5 issues)" in title(fig) and "offers" not in title(fig)
    assert not any(line.get_label().endswith("'s offers") for ax in fig.axes for line in ax.get_lines())
    plt.close(fig)


def check_partial_dance(r) -> None:
    story = r.story
    assert story.partial[0]
    moved = np.flatnonzero(np.abs(story.agreed[:, 0] - story.status_quo[:, 0]) > 1e-6)
    with styled("paper"):
        fig = SCENARIO_KINDS["dance"](r)
    words = " and ".join(r.spec.issue_labels[k] for k in moved)
    assert 1 <= len(moved) <= 2 and f"a partial deal at the close, on {words} alone" in title(fig)
    if len(r.spec.issues) > 4:
        assert "issues: those signed, then where the offers moved most)" in title(fig)
    starred = [ax.get_title(loc="left").replace("\n", " ") for ax in fig.axes
               if any(line.get_label() == "agreed" for line in ax.get_lines())]
    assert starred == [r.spec.issue_labels[k] for k in moved]  # each issue it signed has its strip and star
    plt.close(fig)


def ruled_out_in(r, shown: list[int]) -> bool:
    """Whether the feasible box excludes any position of a shown issue in any round of the story."""
    trace = [t for t in r.story.trace if t["active"][0]]
    return any(t["box"][0][k, 0] > 1e-9 or t["box"][1][k, 0] < 1 - 1e-9 for t in trace for k in shown)


@pytest.mark.parametrize("name", ["yalta-1945", "singapore-2018", "vienna-1961"])
def test_the_dance_names_ruled_out_positions_only_where_some_are(name):
    r = replayed(name, runs=RUNS, seed=1)
    with styled("paper"):
        fig = SCENARIO_KINDS["dance"](r)
    legend = [" ".join(t.get_text().split()) for t in fig.legends[0].get_texts()]
    assert ("ruled out by ceilings and win-sets" in legend) == ruled_out_in(r, shown_issues(r))
    plt.close(fig)


def test_an_issue_label_is_shown_whole_where_its_row_has_room():
    from sim.figures.issues import tick_label

    r = replayed("hanoi-2019", runs=RUNS, seed=1)  # "A written pledge to end nuclear and long-range missile tests"
    with styled("class"):
        fig = SCENARIO_KINDS["issues"](r)
    shown = [" ".join(t.get_text().split()) for t in fig.axes[0].get_yticklabels()]
    assert sorted(shown) == sorted(r.spec.issue_labels)
    crowded = tick_label("a long issue label that runs on " * 4, fig, rows=60)
    assert "\n" not in crowded and crowded.endswith("...")  # sixty rows leave one line each
    plt.close(fig)


def test_the_issues_show_where_the_replays_ended_and_hide_no_ideal(helsinki):
    """A mean of deals and no deals is a point no replay reached: each row also spans the middle
    90% of the replays' outcomes and says how often the issue moved. Where the mean, the status
    quo and an ideal coincide (Trump's on NATO exercises, at the status quo), the ideal's star is
    drawn on top and the mean is hollow, so a reader still sees all three."""
    with styled("class"):
        fig = SCENARIO_KINDS["issues"](helsinki)
    ax, s, final = fig.axes[0], helsinki.summary, helsinki.outcome.final
    issues = len(helsinki.spec.issues)
    assert all(len(line.get_ydata()) == issues for line in ax.get_lines())  # every mark on every row
    notes = [t.get_text() for t in ax.texts]
    expected = ["never moved" if v["moved"] == 0 else f"moved in {percent(v['moved'])}" for v in s["issues"].values()]
    assert notes == expected and any(n.startswith("moved in") for n in notes)
    bars = next(c for c in ax.collections if c.get_alpha() == 0.25).get_segments()  # top row first
    assert [(b[0, 0], b[1, 0]) for b in bars] == list(zip(*np.percentile(final, (5, 95), axis=1), strict=True))
    moved_most = max(range(issues), key=lambda k: bars[k][1, 0] - bars[k][0, 0])
    assert s["issues"][helsinki.spec.issues[moved_most]]["moved"] > 0.05  # the widest bar is an issue that moves
    means = [line for line in ax.get_lines() if line.get_marker() == "D"]
    stars = [line for line in ax.get_lines() if line.get_marker() == "*"]
    squares = [line for line in ax.get_lines() if line.get_marker() == "s"]
    assert all(m.get_markerfacecolor() == "none" for m in means)
    top = max(m.get_zorder() for m in means)
    assert min(st.get_zorder() for st in stars) > top > max(q.get_zorder() for q in squares)
    plt.close(fig)


def test_who_comes_out_ahead_states_the_verdict_and_shows_every_part(helsinki):
    with styled("class"):
        fig = SCENARIO_KINDS["ahead"](helsinki)
    assert title(fig).lower().startswith(helsinki.summary["verdict"]["text"].lower())
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["substantive", "status", "domestic", "alliance", "net gain (95% interval)", DIRECT_LABEL]
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [helsinki.names[k]
                                                                      for k in helsinki.outcome.leaders]
    plt.close(fig)


def hatched_bars(fig) -> list:
    return [bar for bars in fig.axes[0].containers if isinstance(bars, BarContainer) for bar in bars if bar.get_hatch()]


def test_the_directly_set_terms_are_drawn_beneath_each_leader_only_where_a_scenario_sets_them(helsinki, textbook):
    """What 'what it rests on' says, in the figure: a hatched bar per leader as long as the mean of
    its directly set terms; none (and no legend entry) where no leader has any."""
    with styled("paper"):
        fig = SCENARIO_KINDS["ahead"](helsinki)
    hatched = hatched_bars(fig)
    expected = [helsinki.summary["leaders"][k]["directly_set"]["mean"] for k in helsinki.outcome.leaders]
    assert [bar.get_width() for bar in hatched] == pytest.approx(expected)
    plt.close(fig)
    r = replayed(str(textbook), runs=200, seed=5)
    assert all(x["directly_set"]["mean"] == 0 for x in r.summary["leaders"].values())
    with styled("paper"):
        fig = SCENARIO_KINDS["ahead"](r)
    assert not hatched_bars(fig)
    assert DIRECT_LABEL not in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    plt.close(fig)


def test_gains_too_small_to_matter_look_small():
    """A meeting no one attends leaves gains of thousandths; the axis still spans the verdict's
    margin either side of zero, so the bars do not fill the figure."""
    doc = table({"a": {"x": 1.0}, "b": {"x": 0.0}}, {"a": {"x": 1.0}, "b": {"x": 1.0}}, rounds=4, sq={"x": 0.5})
    doc["leaders"]["a"]["meeting_cost"] = p(0.3)  # A stays away: nothing moves
    result = sim.run(validate(doc, "tiny"), runs=RUNS, seed=1)
    assert not result.outcome.held.any()
    with styled("class"):
        fig = SCENARIO_KINDS["ahead"](from_result(result))
    low, high = fig.axes[0].get_xlim()
    delta = result.verdict["delta"]
    assert low <= -delta and high >= delta
    plt.close(fig)


@pytest.mark.parametrize("label", ["Aid ($24 billion now, $10 billion later)", r"Berlin $\frac{1}$ access"])
def test_a_label_with_dollar_signs_is_drawn_as_written_not_as_mathematics(label):
    """Matplotlib reads text between two dollar signs as TeX: a label with '$24 billion' beside
    another amount set part of a label in italic mathematics, and TeX missing a denominator,
    '$\\frac{1}$', stopped the figure."""
    doc = table({"a": {"x": 1.0}, "b": {"x": 0.0}}, {"a": {"x": 1.0}, "b": {"x": 1.0}}, rounds=4, sq={"x": 0.5})
    doc["issues"]["x"]["label"] = label
    doc["leaders"]["a"]["name"] = f"Leader {label}"
    result = sim.run(validate(doc, "tiny"), runs=RUNS, seed=1)
    for kind in ("issues", "ahead"):
        with styled("paper"):
            fig = SCENARIO_KINDS[kind](from_result(result))
        fig.canvas.draw()  # a TeX parser's error would stop here
        texts = [t for ax in fig.axes for t in ax.texts + ax.get_yticklabels()] + list(fig.texts)
        shown = [t for t in texts if "$" in t.get_text()]
        assert shown and not any(t.get_parse_math() for t in shown)
        plt.close(fig)


def class_shares(ax) -> list[float]:
    """The share of replays each class's stacked steps of the margin figure hold, in drawing order."""
    return [float((values - baseline).sum()) for values, _, baseline in
            (step.get_data() for step in ax.patches if isinstance(step, StepPatch))]


def test_the_margin_shares_are_the_verdict_rules_class_shares(helsinki):
    """Ahead by more than delta, even, behind: the legend's shares are the summary's, and the
    title is the verdict."""
    v = helsinki.summary["verdict"]
    other = next(k for k in helsinki.outcome.leaders if k != v["lead"])
    with styled("paper"):
        fig = SCENARIO_KINDS["margin"](helsinki)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts() if "%" in t.get_text()]
    shares = [float(re.search(r"([\d.]+)%", label).group(1)) for label in labels]
    expected = [v["shares"][v["lead"]]["p"], v["shares"]["even"]["p"], v["shares"][other]["p"]]
    assert shares == pytest.approx([100 * e for e in expected], abs=0.51)
    assert title(fig).lower().startswith(v["text"].lower())
    assert sum(class_shares(fig.axes[0])) == pytest.approx(1.0)
    plt.close(fig)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 400), min_size=4, max_size=4))
def test_without_a_winner_the_title_names_the_leaders_ahead_in_the_most_replays(counts):
    """The title of a verdict with no winner gives the even share and the (at most two) leaders
    ahead in the most replays, largest first, as the shares print. It named the leader with the
    highest mean gain: "George Bush more than 0.10 ahead in 0.0%" at Madrid 1991, where Gorbachev
    was ahead in 0.4%."""
    from types import SimpleNamespace

    from sim.stats import percent
    from sim.verdict import decide, text
    keys, names = ("a", "b", "c"), {"a": "Alpha", "b": "Beta", "c": "Gamma"}
    columns = [np.eye(3)[i] * 0.5 for i, n in enumerate(counts[:3]) for _ in range(n)]  # i ahead by 0.5
    columns += [np.zeros(3)] * (counts[3] + 1)                                          # even
    v = decide(np.array(columns).T, keys)
    if v["winner"]:
        return
    said = verdict_title(SimpleNamespace(summary={"verdict": {**v, "text": text(v, names)}},
                                         outcome=SimpleNamespace(leaders=keys), names=names))
    head = text(v, names)
    assert said.startswith(f"{head[0].upper()}{head[1:]}{': ' if head == 'no clear winner' else '; '}"
                           f"even in {percent(v['shares']['even']['p'])} of replays; ")
    shown = [k for k in sorted(keys, key=lambda k: -v["shares"][k]["p"]) if counts[keys.index(k)]][:2]
    if shown:
        assert said.endswith("more than 0.10 ahead: " + ", ".join(
            f"{names[k]} in {percent(v['shares'][k]['p'])}" for k in shown))
    else:
        assert said.endswith("no one more than 0.10 ahead in any")


def test_at_a_table_of_three_each_colour_of_the_margin_holds_the_rules_class_exactly():
    """At a table of three a replay can fall past -delta (the best of the others more than delta
    above the leader) and still be even, because that other is not more than delta above the
    third. The bars were coloured by where they fell, so at Tehran 1943 they drew 18.0% in black
    where the rule counted 17.9% ahead; now each colour's bars add up to its class's share. Since
    change 25 the case no longer comes at Tehran; Geneva 1955's table of four has it."""
    r = replayed("geneva-1955", runs=3000, seed=2018)
    v = r.summary["verdict"]
    lead = r.outcome.leaders.index(v["lead"])
    cls = classes(r.outcome.gain, v["delta"])
    d = margin_of(r.outcome.gain, lead)
    assert ((d < -v["delta"]) & (cls == -1)).any()  # the case this test is about occurs
    with styled("paper"):
        fig = SCENARIO_KINDS["margin"](r)
    ax = fig.axes[0]
    expected = [(cls == lead).mean(), (cls == -1).mean(), ((cls != lead) & (cls != -1)).mean()]
    assert class_shares(ax) == pytest.approx(expected, abs=1e-12)
    edges = {round(float(x), 12) for step in ax.patches if isinstance(step, StepPatch) for x in step.get_data()[1]}
    assert {-v["delta"], v["delta"]} <= edges  # no bar straddles the band of delta
    assert "others's" not in ax.get_xlabel()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith(f"even (no one ahead by more than {v['delta']:z.2f})") for t in legend)  # not "within"
    plt.close(fig)


def test_the_two_level_picture_draws_putnams_elements(helsinki):
    with styled("paper"):
        fig = SCENARIO_KINDS["two-level"](helsinki)
    ax = fig.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Sanctions relief", "Joint narrative (who is to blame)")
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "US Congress's win-set (median; shaded 5-95%)" in legend
    assert any(label.startswith("deals signed and ratified") for label in legend)
    assert sum(label.endswith("through the status quo") for label in legend) == 2
    assert "zone of agreement on these two issues" in legend and ax.get_images()
    xs = np.concatenate([c.get_offsets()[:, 0] for c in ax.collections if len(c.get_offsets())])
    assert xs.size and (xs <= ax.get_xlim()[1]).all()  # deals at the edge of the scale are drawn, not clipped
    # most of Helsinki's deals settle other issues and fall, one dot over another, on the status quo:
    # the legend says how many, counted here from the replays, and the square is hollow so they show
    out, pair = helsinki.outcome, [helsinki.spec.issues.index(k) for k in ("sanctions-relief", "joint-narrative")]
    there = out.deal & (out.agreed[pair] == out.status_quo[pair]).all(axis=0)
    assert 0.5 < there.sum() / out.deal.sum() < 1
    assert f"status quo ({percent(there.sum() / out.deal.sum())} of the deals leave both issues there)" in legend
    square = [line for line in ax.get_lines() if line.get_marker() == "s"]
    assert len(square) == 1 and square[0].get_markerfacecolor() == "none"
    plt.close(fig)


def test_the_two_level_picture_centres_each_win_set_where_the_model_does():
    """The figure draws a win-set around the chamber's mean ideal; where the file gives the chamber
    none, the model's chamber shares its leader's (change 23), and so must the picture: Washington
    1987's Supreme Soviet on INF, beside its Senate's own ideal."""
    from sim.figures.twolevel import chamber_ideal
    from sim.loader import load
    from sim.model import SummitModel
    from sim.spec import compile_scenario

    spec = compile_scenario(load("washington-1987"))
    model = SummitModel(spec, np.arange(4000, dtype=np.uint64), 3)
    inf = spec.issues.index("inf")
    for key in ("supreme-soviet", "senate"):
        drawn = model.legislature[key].ideal[inf]
        assert chamber_ideal(spec, key, "inf") == pytest.approx(drawn.mean(), abs=0.01)
    assert chamber_ideal(spec, "supreme-soviet", "inf") == pytest.approx(0.8)  # Gorbachev's U(0.7, 0.9)


def test_what_if_pairs_every_variant_and_leader(helsinki):
    with styled("paper"):
        fig = SCENARIO_KINDS["what-if"](helsinki)
    gain_ax, ahead_ax = fig.axes
    labels = [t.get_text().replace("\n", " ") for t in gain_ax.get_yticklabels()]
    assert labels == [helsinki.variants["advisers-in-room"], helsinki.variants["tough-congress"]]
    for ax in (gain_ax, ahead_ax):
        assert len(ax.containers) == 2  # one error bar series per leader
    assert helsinki.summary["verdict"]["text"] in title(fig)  # the finding: does the verdict move?
    plt.close(fig)


def test_a_what_if_too_small_to_matter_looks_small():
    """Yalta's neutral chair moves Roosevelt's gain by a few thousandths; zoomed to its own size the
    panel drew it as large as Helsinki's tied hands. Each panel spans at least delta (or as many
    points of the share ahead) either side of zero."""
    r = replayed("yalta-1945", runs=RUNS, seed=1, compare_with=["all"])
    delta = r.summary["verdict"]["delta"]
    with styled("paper"):
        fig = SCENARIO_KINDS["what-if"](r)
    for ax, span in zip(fig.axes, (delta, 100 * delta), strict=True):
        low, high = ax.get_xlim()
        assert low <= -span and high >= span
    changes = [abs(c["leaders"][k]["gain"]["mean"]) for c in r.comparisons.values() for k in r.outcome.leaders]
    assert max(changes) < delta / 4  # the case this test is about: every change is far inside delta
    plt.close(fig)


def test_a_variant_that_changed_no_replay_says_so_on_the_figure():
    """Hanoi's small deal widens a ceiling no offer reaches: its points sit at zero, and its label
    says why, as `summit compare` does."""
    r = replayed("hanoi-2019", runs=RUNS, seed=1, compare_with=["all"])
    with styled("paper"):
        fig = SCENARIO_KINDS["what-if"](r)
    for label, name in zip(fig.axes[0].get_yticklabels(), r.comparisons, strict=True):
        untouched = r.comparisons[name]["replays_changed"] == 0
        assert ("(changed no replay)" in label.get_text()) == untouched
    assert r.comparisons["small-deal"]["replays_changed"] == 0 < r.comparisons["no-bolton"]["replays_changed"]
    plt.close(fig)


def test_the_what_if_title_says_first_whether_a_variant_moves_the_verdict():
    def variant(text, changed):
        return {"variant": text, "changed": changed}

    held = _finding("Vladimir Putin comes out ahead", [variant("Vladimir Putin comes out ahead", False)] * 2)
    assert held == "What if? The verdict holds under every variant: Vladimir Putin comes out ahead"
    moved = _finding("no clear winner", [variant("Vladimir Putin comes out ahead", True),
                                         variant("no clear winner", False),
                                         variant("Donald Trump comes out ahead", True)])
    assert moved == ("What if? As written, no clear winner. Vladimir Putin comes out ahead under 1 of the 3 "
                     "variants; Donald Trump comes out ahead under 1 of the 3 variants")
    r = replayed("buenos-aires-2018", runs=RUNS, seed=1, compare_with=["all"])
    with styled("paper"):
        fig = SCENARIO_KINDS["what-if"](r)
    for label, name in zip(fig.axes[0].get_yticklabels(), r.comparisons, strict=True):
        verdict = r.comparisons[name]["verdict"]
        assert (label.get_fontweight() == "bold") == verdict["changed"]
        assert ("verdict: " in label.get_text()) == verdict["changed"]
    assert any(c["verdict"]["changed"] for c in r.comparisons.values())  # Kerch decides the verdict
    assert title(fig).startswith(f"What if? As written, {r.summary['verdict']['text']}.")
    plt.close(fig)


@pytest.fixture(scope="module")
def textbook(tmp_path_factory) -> Path:
    """Two leaders, two issues, no allies: a textbook table written as a user would write it."""
    doc = table({"a": {"x": 1.0, "y": 0.8}, "b": {"x": 0.0, "y": 0.1}},
                {"a": {"x": 0.7, "y": 0.3}, "b": {"x": 0.4, "y": 0.6}}, rounds=6, sq={"x": 0.5, "y": 0.5})
    doc["protocol"]["perception_noise"] = p(0.3)
    doc["leaders"]["a"]["patience"] = {"uniform": [0.8, 0.95], "source": "t: textbook setting for a test"}
    target = tmp_path_factory.mktemp("textbook") / "textbook.yaml"
    target.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return target


def textbook_figures(path: Path) -> dict:
    """Key figures of a textbook summit, with their text removed (fonts differ by machine; the
    geometry must not)."""
    r = replayed(str(path), runs=300, seed=5)
    out = {}
    with styled("paper"):
        for kind in ("ahead", "margin", "two-level"):
            fig = SCENARIO_KINDS[kind](r)
            for text in fig.findobj(plt.Text):
                text.set_visible(False)
            out[kind] = fig
    return out


def test_key_figures_match_their_baselines(tmp_path, textbook):
    """Geometry moves a little between matplotlib's minor versions (3.8 against 3.11: an RMS of 23),
    so a failure says which version drew the baselines."""
    drawn_with = BASELINES / "matplotlib-version.txt"
    ours = ".".join(matplotlib.__version__.split(".")[:2])
    for kind, fig in textbook_figures(textbook).items():
        actual = tmp_path / f"{kind}.png"
        fig.savefig(actual, dpi=60)
        plt.close(fig)
        expected = BASELINES / f"{kind}.png"
        if os.environ.get("SUMMIT_UPDATE_BASELINES"):
            expected.parent.mkdir(exist_ok=True)
            expected.write_bytes(actual.read_bytes())
            drawn_with.write_text(ours + "\n")
        theirs = drawn_with.read_text().strip()
        versions = "" if theirs == ours else (f" (the baselines were drawn with matplotlib {theirs}, this is "
                                              f"{matplotlib.__version__}; SUMMIT_UPDATE_BASELINES=1 redraws them)")
        assert compare_images(str(expected), str(actual), tol=6) is None, kind + versions


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images, self.external, self.tags = [], [], set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for key, value in attrs:
            if key in ("src", "href") and value and not value.startswith(("data:", "#")):
                self.external.append(value)
            if tag == "img" and key == "src":
                self.images.append(value)


def test_a_report_of_a_what_if_sets_no_historians_beside_it():
    """Historians judged the summit as it happened: a report with --set or --variant says so rather
    than checking a what-if against their verdict."""
    from sim.figures.document import history_blocks

    r = replayed("helsinki-2018", runs=300, seed=3)
    history = sim.load("helsinki-2018").history
    assert [kind for kind, _ in history_blocks(r, history)] == ["h2", "p", "table"]
    r.settings = ["--set leaders.us.preparation=0.9"]
    (_, _), (_, said) = history_blocks(r, history)
    assert "a what-if (--set leaders.us.preparation=0.9), which none judged" in said


def test_the_html_report_stands_alone(tmp_path, helsinki):
    target = write_html(helsinki, "helsinki-2018", tmp_path / "helsinki.html")
    text = target.read_text(encoding="utf-8")
    parser = Links()
    parser.feed(text)
    kinds = figures_for(helsinki)
    assert len(parser.images) == len(kinds) + 1 == 9  # and the screen's tornado
    assert "Which input it hinges on ('summit screen'" in text.replace("&#x27;", "'")
    assert "id='tornado'" in text
    assert all(src.startswith("data:image/png;base64,") for src in parser.images)
    assert parser.external == [] and "script" not in parser.tags and "link" not in parser.tags
    v = helsinki.summary["verdict"]
    assert f"<p class='verdict'>{v['text']}.</p>" in text
    assert "<pre>" not in text and text.count("<table>") >= 8  # tables are tables, not monospace text
    for heading in ("The verdict", "What the verdict rests on", "What historians concluded", "The issues",
                    "What if?", "The story of the median replay (replay", "Where every number comes from"):
        assert f">{heading}" in text, heading
    assert "Without the directly set terms:" in text
    # the history table's shares are the summary's, rounded as every other line rounds them (99.7% is not 100%)
    assert f"a deal in {percent(helsinki.summary['deal'])} of replays" in text
    assert "replays changed" in text  # how much of the summit each what-if touched at all
    assert "0 = much harsher sanctions" in text  # what each issue's 0 and 1 mean
    assert "rejects: worth" in text or "ACCEPTS" in text  # the story in words, with reasons
    assert "@media print" in text
    assert "CAATSA" in text  # the sources of the parameters are in the report


def test_the_markdown_report_writes_its_figures_beside_it(tmp_path, helsinki):
    target = write_markdown(helsinki, "helsinki-2018", tmp_path / "helsinki.md")
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", target.read_text(encoding="utf-8"))
    assert len(links) == len(figures_for(helsinki)) + 1  # and the screen's tornado
    assert all((tmp_path / link).is_file() for link in links)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(['<img src=x onerror="alert(1)">', "[a](javascript:alert(1))", "![i](http://x/y.png)",
                                 "[r]: javascript:alert(1)", "[r][r]", "<http://x>", "\n", "[", "]", "(", ")", "<",
                                 "&", "|"]) | st.text(max_size=30), max_size=8).map("".join))
def test_a_line_of_a_files_text_in_the_markdown_report_shows_as_written(text):
    """Markdown passes HTML through, so a description's <img onerror> ran wherever the report was
    rendered (pandoc, editors), and a [link](javascript:...) ran when clicked (sim.markup.plain)."""
    import markdown

    from sim.markup import plain

    line = plain(text)
    parsed = Links()
    parsed.feed(markdown.markdown(f"{line}\n\n| a |\n|---|\n| {line.replace('|', '/')} |", extensions=["tables"]))
    formatting = {"p", "table", "thead", "tbody", "tr", "th", "td", "em", "strong", "code", "pre", "ul", "ol", "li",
                  "hr", "br", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"}
    assert parsed.tags <= formatting
    assert parsed.external == [] and parsed.images == []
    assert "\n" not in line


def test_the_markdown_report_shows_a_files_text_and_runs_none_of_it(tmp_path):
    import markdown

    doc = yaml.safe_load(resolve("vienna-1961").read_text())
    doc["description"] = 'Talks <img src=x onerror="alert(1)"> and [a link](javascript:alert(1)) end'
    doc["leaders"]["us"]["name"] = "John F. <b>Kennedy</b>"
    path = tmp_path / "vienna.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    text = write_markdown(replayed(str(path), runs=60, seed=1), str(path), tmp_path / "v.md").read_text()
    parsed = Links()
    parsed.feed(markdown.markdown(text, extensions=["tables"]))
    assert "b" not in parsed.tags and parsed.images
    assert all(src.startswith("v_figures/") for src in parsed.external)  # only the report's own figures
    assert "John F. &lt;b&gt;Kennedy&lt;/b&gt;" in text and "[a link]\\(javascript" in text


def test_plot_and_report_commands(tmp_path, capsys, textbook):
    assert run_cli("plot", "singapore-2018", "--kind", "margin", "--runs", 100, "--out", tmp_path / "m") == 0
    assert sorted(f.name for f in tmp_path.iterdir()) == ["m.pdf", "m.png", "m.svg"]
    assert run_cli("report", "singapore-2018", "--runs", 100, "--out", tmp_path / "s.html") == 0
    assert (tmp_path / "s.html").stat().st_size > 10_000
    capsys.readouterr()
    assert run_cli("plot", "singapore-2018", "--kind", "heatmap", "--out", tmp_path / "h.png") == 2
    assert "draws a sweep's results folder" in capsys.readouterr().err
    assert run_cli("plot", textbook, "--kind", "allies", "--runs", 50, "--out", tmp_path / "a.png") == 2
    assert "no allies" in capsys.readouterr().err
    assert run_cli("plot", textbook, "--kind", "what-if", "--runs", 50, "--out", tmp_path / "w.png") == 2
    assert "name variants to compare" in capsys.readouterr().err


def test_sweep_figures(tmp_path, capsys):
    grid = sweep_file(tmp_path, name="grid", factors={
        "leaders.us.preparation": {"range": [0.0, 1.0], "steps": 3},
        "legislatures.congress.tolerance": {"range": [0.0, 0.4], "steps": 3}}, replicates=30)
    sobol = sweep_file(tmp_path, name="sobol", factors={
        "leaders.us.preparation": {"range": [0.0, 1.0]}, "legislatures.congress.tolerance": {"range": [0, 0.4]}},
        design={"method": "sobol", "samples": 8}, replicates=30, chunk_runs=5000)
    for path in (grid, sobol):
        assert run_cli("sweep", path, "--out", tmp_path / path.stem, "--workers", "1", "--quiet") == 0
    for folder, kind, extra in ((tmp_path / "grid", "heatmap", ["--outcome", "p_ahead.us"]),
                                (tmp_path / "grid", "line", ["--outcome", "deal", "--outcome", "p_ahead.us"]),
                                (tmp_path / "sobol", "sobol", ["--outcome", "gain.us"]),
                                (tmp_path / "sobol", "heatmap", ["--outcome", "gain.us"])):
        out = tmp_path / f"{folder.name}-{kind}.png"
        assert run_cli("plot", folder, "--kind", kind, "--out", out, *extra) == 0
        assert out.stat().st_size > 5_000
    assert run_cli("plot", tmp_path / "grid", "--kind", "sobol", "--out", tmp_path / "x.png") == 2
    assert "sobol, morris or latin" in capsys.readouterr().err
    # Putin is ahead in every replicate of every point: no indices for who is ahead. The default
    # figure draws the first outcome a factor moves, and one asked for by name is refused, in words
    points = analyze.points(Store(tmp_path / "sobol"))
    assert np.ptp(points["p_ahead.ru"]) == 0 and np.ptp(points["gain.ru"]) > 0
    assert run_cli("plot", tmp_path / "sobol", "--kind", "sobol", "--out", tmp_path / "default.png") == 0
    assert (tmp_path / "default.png").stat().st_size > 5_000
    capsys.readouterr()
    assert run_cli("plot", tmp_path / "sobol", "--kind", "sobol", "--outcome", "p_ahead.ru",
                   "--out", tmp_path / "constant.png") == 2
    err = capsys.readouterr().err
    assert "p_ahead.ru: the same at every design point" in err and "outcomes that move: gain.ru" in err
    assert not (tmp_path / "constant.png").exists()

    store = Store(tmp_path / "grid")
    label = namer(store.manifest()["documents"])
    with styled("class"):
        fig = sweeps.heatmap(analyze.points(store), "leaders.us.preparation", "legislatures.congress.tolerance",
                             "p_ahead.us", "source", label)
        ax = fig.axes[0]
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("Donald Trump's preparation", "US Congress's tolerance")
        assert ax.get_images()[0].get_clim() == (0.0, 1.0)  # a chance is drawn on the whole 0-100% scale
        assert re.fullmatch(r"P\(Donald Trump ahead by > 0\.10\) (ranges from [\d.]+% to [\d.]+%|is [\d.]+% "
                            r"everywhere) over Donald Trump's preparation and US Congress's tolerance",
                            fig.get_suptitle().replace("\n", " "))
        assert texts_inside(fig) == []
        plt.close(fig)


def test_sweep_figures_draw_named_levels_and_keep_scenarios_apart():
    """A tactic is a factor whose levels are names (the line and the heatmap ended in a traceback
    converting 'boulware' to a number), and a sweep over two summits drew their gains pooled, as
    if one number: each scenario now has its own line, or its own panel on one colour scale."""
    tactics = ["linear", "boulware", "conceder"]  # the design's order, not the alphabet's
    points = pd.DataFrame([{"scenario": sc, "tactic": t, "resolve": r, "runs": 50,
                            "gain": base + 0.1 * k + r, "gain.sd": 0.1, "p_ahead.a": 0.2 * k + r}
                           for sc, base in (("first", -0.3), ("second", 0.05))
                           for k, t in enumerate(tactics) for r in (0.0, 0.3)])
    points.loc[points["scenario"] == "first", "p_ahead.a"] = np.nan  # a leader only the second summit seats
    with styled("paper"), warnings.catch_warnings():
        warnings.simplefilter("error")  # tight_layout's warning about a colour bar it cannot place
        line = sweeps.line(points, "tactic", ["gain"], "source")
        ax = line.axes[0]
        assert [t.get_text() for t in ax.get_xticklabels()] == tactics
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["first: gain", "second: gain"]
        drawn = [list(np.round(line2d.get_ydata(), 6)) for line2d in ax.get_lines()]
        assert drawn == [[-0.15, -0.05, 0.05], [0.2, 0.3, 0.4]]  # each scenario's own means, never pooled
        assert line.get_suptitle().replace("\n", " ") == ("At first, gain is -0.15 at linear and 0.05 at conceder "
                                                          "across tactic")
        heat = sweeps.heatmap(points, "tactic", "resolve", "gain", "source")
        panels = [a for a in heat.axes if a.get_images()]
        assert [a.get_title(loc="left") for a in panels] == ["first", "second"]
        assert [t.get_text() for t in panels[0].get_xticklabels()] == tactics
        assert {a.get_images()[0].get_clim() for a in panels} == {(-0.3, 0.55)}  # one scale for both
        one = sweeps.heatmap(points, "resolve", "tactic", "p_ahead.a", "source")
        assert len([a for a in one.axes if a.get_images()]) == 1  # only where the leader sits
        assert [t.get_text() for t in one.axes[0].get_yticklabels()] == tactics
    plt.close("all")


def test_sweep_figures_fit_a_long_factor_name_and_keep_a_chance_within_0_and_1():
    """A sweep over an event's chance is labelled with the event's sentence, which ran off both
    edges of the figure; and a normal band around a chance of 3% in 80 runs reached below 0%."""
    long = "chance of: " + "a very long event label that says what happened and who did it " * 3
    points = pd.DataFrame({"p": [0.0, 0.5, 1.0] * 2, "q": [0.0] * 3 + [1.0] * 3, "p_ahead.a": [0.0, 0.03, 0.05] * 2,
                           "runs": [40] * 6})
    label = {"p": long}.get
    with styled("class"):
        for fig in (sweeps.line(points, "p", ["p_ahead.a"], "source", lambda c: label(c) or c),
                    sweeps.heatmap(points, "p", "q", "p_ahead.a", "source", lambda c: label(c) or c)):
            assert texts_inside(fig) == []
            assert fig.axes[0].get_xlabel().count("\n") >= 1
        line_fig = sweeps.line(points, "p", ["p_ahead.a"], "source")
        band = line_fig.axes[0].collections[0].get_paths()[0].vertices[:, 1]
        assert band.min() >= 0.0 and band.max() <= 1.0
        assert band.max() > 0.05  # a band, not the line itself
        # a level one scenario lacks (a sampled design's empty bin) and a point without the outcome: no band there
        uneven = pd.DataFrame({"scenario": ["a"] * 3 + ["b"] * 2, "p": [0.0, 0.5, 1.0, 0.0, 0.5],
                               "p_ahead.a": [0.1, np.nan, 0.3, 0.2, 0.4], "runs": [10] * 5})
        drawn = sweeps.line(uneven, "p", ["p_ahead.a"], "source").axes[0].get_lines()
        assert [list(line.get_ydata()) for line in drawn][1][:2] == [0.2, 0.4]
    plt.close("all")


def test_a_tournament_draws_its_ranking_and_its_payoff_matrix(tmp_path, capsys):
    """Axelrod's result sets plot themselves: the ranking the command prints, drawn with its
    intervals, and what each tactic gained against each other one. The matrix agrees with the
    ranking: each pairing is played equally often, so a row's mean is the tactic's mean gain."""
    from sim.figures import tournament as figures
    from sim.sweeps import tournament

    folder = tmp_path / "t"
    assert run_cli("tournament", "helsinki-2018", "singapore-2018", "--tactics", "linear,boulware,rational",
                   "--replicates", 20, "--out", folder, "--workers", "1", "--quiet") == 0
    store = Store(folder)
    rows = tournament.ranking(analyze.totals(store), store.design())
    pairs = tournament.pairings(analyze.totals(store), store.design())
    order = [r["tactic"] for r in rows]
    assert list(pairs.index) == list(pairs.columns) == order
    np.testing.assert_allclose(pairs.mean(axis=1).to_numpy(), [r["gain"] for r in rows], rtol=0, atol=1e-12)
    with styled("class"):
        fig = figures.ranking(rows, "source")
        gains, ahead = fig.axes[:2]
        at = {t.get_text(): t.get_position()[1] for t in gains.get_yticklabels()}
        assert sorted(at, key=at.get, reverse=True) == order  # the best at the top
        for ax, key in ((gains, "gain"), (ahead, "ahead")):
            assert tuple(ax.get_lines()[0].get_xdata()) == tuple(r[key] for r in rows)
        assert title(fig).startswith(f"Tournament: {order[0]} gains most, {rows[0]['gain']:+z.3f}")
        assert texts_inside(fig) == []
        fig = figures.matrix(pairs, "source")
        assert len(fig.axes[0].texts) == len(order) ** 2 and texts_inside(fig) == []
    plt.close("all")
    for kind in ("ranking", "matrix"):
        assert run_cli("plot", folder, "--kind", kind, "--out", tmp_path / f"{kind}.png") == 0
        assert (tmp_path / f"{kind}.png").stat().st_size > 5_000
    capsys.readouterr()
    assert run_cli("plot", folder, "--kind", "line", "--out", tmp_path / "line.png") == 2
    assert "is a tournament's results folder, drawn with --kind ranking, matrix" in capsys.readouterr().err
    assert run_cli("plot", "helsinki-2018", "--kind", "matrix", "--out", tmp_path / "m.png") == 2
    assert "draws a tournament's results folder; helsinki-2018 is a scenario" in capsys.readouterr().err


def test_a_sweep_line_says_when_its_outcome_does_not_move():
    """Helsinki's sanctions relief given a deal after change 22 read 'goes from 0.30 to 0.30'."""
    points = pd.DataFrame({"tolerance": [0.0, 0.5, 0.0, 0.5], "relief": [0.300, 0.301, 0.302, 0.303],
                           "gain": [0.1, 0.4, 0.1, 0.4], "runs": [10, 10, 10, 10]})
    with styled("paper"):
        flat, rising = (sweeps.line(points, "tolerance", [outcome], "source") for outcome in ("relief", "gain"))
    assert flat.get_suptitle().replace("\n", " ") == "relief stays at 0.30 as tolerance rises"
    assert rising.get_suptitle().replace("\n", " ") == "gain goes from 0.10 to 0.40 as tolerance rises"
    plt.close("all")


def test_sweep_columns_read_as_words_from_the_scenarios():
    helsinki, yalta = (yaml.safe_load(resolve(name).read_text()) for name in ("helsinki-2018", "yalta-1945"))
    label = namer({"helsinki-2018": helsinki})
    assert label("margin") == "Donald Trump's margin over Vladimir Putin"
    assert label("gain.us.given_deal") == "Donald Trump's net gain, given a deal"
    assert label("ratified.congress") == "P(US Congress ratifies)"
    assert label("agreed.sanctions-relief") == "Sanctions relief, as agreed"
    assert label("legislatures.congress.tolerance") == "US Congress's tolerance"
    assert label("protocol.rounds") == "rounds (protocol)"
    assert label("leaders.zz.preparation") == "leaders.zz.preparation"   # no name to give: the path itself
    both = namer({"helsinki-2018": helsinki, "yalta-1945": yalta})
    assert both("gain.us") == "us's net gain"                     # 'us' is Trump in one, Roosevelt in the other
    assert both("margin") == "the first leader's margin"
    three = namer({"yalta-1945": yalta})
    assert three("margin").endswith("margin over the best other")


def test_the_command_line_offers_every_figure():
    from sim.figures import commands
    assert set(commands.SCENARIO_KINDS) == set(SCENARIO_KINDS)


def test_save_writes_each_format(tmp_path):
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    assert [f.suffix for f in save(fig, tmp_path / "f")] == [".png", ".svg", ".pdf"]


@pytest.mark.parametrize("name", ["helsinki-2018", "buenos-aires-2018", "malta-1989"])
def test_was_a_deal_possible_places_every_replay_once_and_agrees_with_the_replays(name):
    """The report's table of what the leaders faced is solved on the report's own replays (their
    meetings and deals are the same ones), and every replay is counted in exactly one row."""
    from sim.figures.document import zone_blocks
    from sim.zone import faced

    r = replayed(name, runs=240, seed=7)
    f = faced(r.spec, r.outcome.run_ids, r.seed)
    assert (f["held"] == r.outcome.held).all() and (f["deal"] == r.outcome.deal).all()
    (_, title), _, (_, shown) = zone_blocks(r)
    assert title == "Was a deal possible?"
    shares = [float(row[1].rstrip("%")) for row in shown.rows]
    assert abs(sum(shares) - 100.0) <= 0.05 * len(shares)
    assert shares[0] == pytest.approx(100 * (1 - r.outcome.held.mean()), abs=0.05)
    talks_only = not r.spec.signing
    assert (shown.rows[-1][0] == "a meeting to talk, not to sign") == talks_only



def test_the_zone_figure_says_how_often_a_text_met_every_reservation_and_a_deal_came():
    from sim.figures.zone import _finding

    shares = [("the meeting was not held", 0.1, 0.0), ("no text", 0.0, None), ("no gains", 0.0, None),
              ("incompatible", 0.6, 0.02), ("a text that meets every leader's reservation", 0.3, 0.8)]
    assert _finding(shares, True) == ("a text met every leader's reservation in 30% of replays, and a deal came "
                                      "in 80% of those")
    assert _finding([*shares[:-1], (shares[-1][0], 0.0, None)], True) == (
        "no text met every leader's reservation; most often (60% of replays): incompatible")
    assert _finding(shares[:2], False).endswith("nothing could be signed")
    r = replayed("yalta-1945", runs=RUNS, seed=2)
    with styled("paper"):
        fig = SCENARIO_KINDS["zone"](r)
    zone_share = (r.faced["reservation"] >= 0).mean()
    assert f"in {zone_share:.0%} of replays" in title(fig) or zone_share < 0.1
    bars = [p.get_width() for p in fig.axes[0].patches]
    assert sum(bars[0::2]) == pytest.approx(1.0)  # the pale bars: every replay once
    plt.close(fig)


def test_the_report_adds_the_parts_up_to_the_margin_and_shows_the_directly_set_terms_within_them(helsinki):
    """'What the verdict rests on': the four parts sum to the mean margin row, which is 100%, and
    the directly set terms come after it, said to be counted within the parts, not beside them."""
    from sim.figures.document import Table, blocks

    tables = [b for kind, b in blocks(helsinki, "helsinki-2018", []) if kind == "table" and isinstance(b, Table)]
    rests = next(t for t in tables if t.header[0].startswith("part of the mean margin"))
    names = [row[0] for row in rests.rows]
    assert names[:5] == ["substantive", "status", "domestic", "alliance", "the mean margin: the four parts together"]
    assert names[5].startswith("of which directly set terms") and "within the parts above" in names[5]
    parts, total = [float(row[1]) for row in rests.rows[:4]], float(rests.rows[4][1])
    assert sum(parts) == pytest.approx(total, abs=0.003)
    assert total == pytest.approx(helsinki.summary["verdict"]["margin"]["mean"], abs=0.0006)
    assert rests.rows[4][2] == "100%"
    assert sum(int(row[2][:-1]) for row in rests.rows[:4]) == 100  # the four shares as a reader adds them


@pytest.mark.parametrize("style", ["class", "paper"])
def test_the_tornado_fits_its_figure_and_marks_what_moves_the_verdict(style):
    """The screen's figure (summit screen --out, Screening.plot, the report): nothing cut off at
    either style, no legend over the bars, and an input marked * exactly where the verdict moves."""
    screening = sim.screen("moscow-1972", runs=150, seed=1)
    fig = screening.plot(top=8, style=style)
    assert texts_inside(fig) == [] and legend_clashes(fig) == []
    labels = [t.get_text().replace("\n", " ") for t in fig.axes[0].get_yticklabels()]
    moving = set(screening.hinges_on)
    named = for_spec(screening.spec)  # the file's names for a class, not the paths
    assert {label.removesuffix(" *") for label in labels if label.endswith(" *")} == {named(p) for p in moving}
    assert len(labels) == max(8, len(moving))
    assert not any(label.startswith(("leaders.", "allies.", "legislatures.", "issues.")) for label in labels)
    plt.close(fig)
    screening = sim.screen("hanoi-2019", runs=150, seed=1)  # issue labels of up to sixty characters
    fig = screening.plot(top=15, style=style)
    renderer = drawn(fig)
    boxes = [t.get_window_extent(renderer) for t in fig.axes[0].get_yticklabels()]
    assert all(t.get_text().count("\n") <= 1 for t in fig.axes[0].get_yticklabels())
    assert not any(_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])  # names do not collide
    assert texts_inside(fig) == []
    plt.close(fig)


def test_a_parameter_is_named_as_its_file_names_it():
    from sim.loader import load
    from sim.spec import compile_scenario

    named = for_spec(compile_scenario(load("hanoi-2019")))
    assert named("leaders.nk.status_value") == "Kim Jong-un's status value"
    assert named("leaders.us.ideal.normalisation") == ("Donald Trump's ideal on Liaison offices and an "
                                                        "end-of-war declaration")
    assert named("leaders.us.salience.sanctions-relief") == "Donald Trump's weight on Sanctions relief"
    assert named("allies.south-korea.wariness") == "South Korea's wariness"
    assert named("issues.sanctions-relief.status_quo") == "Sanctions relief: status quo"
    assert named("events.cohen-testimony.probability").startswith("chance of: Michael Cohen testifies")
    assert named("protocol.joint_statement") == "joint statement (protocol)"
    assert named("leaders.zz.status_value") == "leaders.zz.status_value"  # no such leader: the path


README_FIGURE = Path(__file__).resolve().parent.parent / "docs" / "figures" / "helsinki-ahead.png"


def shown_texts(fig) -> str:
    """Every text of a drawn figure, one per line, in drawing order."""
    drawn(fig)
    return "\n".join(t.get_text() for t in fig.findobj(plt.Text) if t.get_visible() and t.get_text().strip())


def test_the_readmes_figure_is_what_the_command_draws_now():
    """The README shows docs/figures/helsinki-ahead.png as what 'summit plot helsinki-2018 --kind ahead'
    draws. Its texts lie beside it (helsinki-ahead.txt), so a change to the model that moves a number
    on it fails here until it is drawn again with SUMMIT_UPDATE_BASELINES=1, as docs/validation.md
    fails tests/test_library.py until it is written again."""
    with styled("class"):
        fig = SCENARIO_KINDS["ahead"](replayed("helsinki-2018", runs=10_000, seed=2018))
        texts = shown_texts(fig)
        if os.environ.get("SUMMIT_UPDATE_BASELINES"):
            save(fig, README_FIGURE)
            README_FIGURE.with_suffix(".txt").write_text(texts + "\n", encoding="utf-8")
        plt.close(fig)
    assert "comes out ahead" in texts
    assert README_FIGURE.with_suffix(".txt").read_text(encoding="utf-8") == texts + "\n", \
        "the README's figure shows other numbers than the model draws now: SUMMIT_UPDATE_BASELINES=1 draws it again"
