"""The classroom app's page, in Solara (Mesa's own choice for its browser apps): pick a summit,
move a slider, watch who comes out ahead; step through one replay; take the settings home.

State lives in Solara reactive variables (one set per browser session); the numbers come from
``sim.app.results`` in a background task, so a slider never freezes the page, and a change made
while one is computing replaces it (the task restarts: a natural debounce).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import reacton.ipyvuetify as rv
import solara
import solara.lab

from sim import track_record
from sim.app import controls as ctl
from sim.app.controls import changed_scenario
from sim.app.results import SCREEN_RUNS, SHOWN, ZONE_RUNS, Stepper, compute, figure, hinges, possible, warm_up
from sim.app.server import TYPED_PATHS
from sim.copied import still_copied, summary
from sim.defaults import DEFAULT_RUNS
from sim.errors import ScenarioError
from sim.figures.data import median_run
from sim.markup import inert
from sim.pairing import untouched_sentence
from sim.stats import with_interval
from sim.validation import checked
from sim.verdict import even_label, rests_on_text, rule_text

CAPTIONS = {"margin": "Margin over replays", "ahead": "Gains in four parts", "issues": "The issues",
            "dance": "Median replay's dance"}

scenario_name = solara.reactive(os.environ.get("SUMMIT_APP_SCENARIO", "helsinki-2018"))
uploaded = solara.reactive(None)          # a Scenario uploaded by the user, or None
upload_error = solara.reactive("")
copied_note = solara.reactive("")         # what an uploaded copy still holds of the summit it copied
fixed = solara.reactive({})               # path -> value, for the sliders moved
variants = solara.reactive([])            # the file's variants switched on
presenter = solara.reactive(False)
# Type a back row can read on a projector. Vuetify and Solara's Markdown set the size of paragraphs,
# tables, buttons and labels themselves, so raising the page's own size alone moved only the headings.
PRESENTER_CSS = """
.v-application { font-size: 22px !important; }
.solara-markdown p, .solara-markdown li, .solara-markdown td, .solara-markdown th { font-size: 22px !important; }
.solara-markdown h1 { font-size: 40px !important; }
.solara-markdown td[style*="right"] { white-space: nowrap; }
.v-btn, .v-label, .v-expansion-panel-header, .v-input input { font-size: 19px !important; }
.v-slider { min-height: 40px; }
"""
STALE_CSS = ".summit-stale { opacity: 0.35; }"  # the last answer, dimmed, while the next one is computed
TOOLTIP_CSS = ".v-tooltip__content { max-width: 36em; }"  # a slider's meaning and source, in lines one can read
if os.environ.get("SUMMIT_APP_SCENARIO"):  # served by summit app: its file replays while the browser loads
    warm_up(scenario_name.value)
shown = solara.reactive("margin")
stepper_run = solara.reactive(None)      # None: the median replay, as in the figures
stepper_tick = solara.reactive(0)         # bumps when the stepper moves, to redraw


def current():
    from sim.api import load

    return uploaded.value if uploaded.value is not None else load(scenario_name.value)


def _pick(name: str) -> None:
    uploaded.value, upload_error.value, fixed.value, variants.value = None, "", {}, []
    copied_note.value = ""
    scenario_name.value = name


def typed_paths() -> bool:
    """Whether the page reads a path typed into it: only when ``summit app`` serves this machine
    alone (``sim.app.server``), never by default."""
    return os.environ.get(TYPED_PATHS) == "1"


def _open_path(text: str) -> None:
    """A YAML file on this machine, typed as a path: checked by the same loader as the command line."""
    from sim.loader import load, resolve

    if not text.strip():
        return
    if not typed_paths():
        upload_error.value = ("This app is open to other machines, so it reads no path typed into it: "
                              "drop or upload the file instead.")
        return
    try:
        scenario = load(text.strip())
    except ScenarioError as err:
        upload_error.value = err.message()
        return
    upload_error.value, fixed.value, variants.value = "", {}, []
    copied_note.value = _copied(still_copied(resolve(text.strip())))
    uploaded.value = scenario


def _upload(info) -> None:
    from sim.loader import from_bytes

    try:
        scenario = from_bytes(info["data"], info["name"])
    except ScenarioError as err:
        upload_error.value = err.message()
        return
    upload_error.value, fixed.value, variants.value = "", {}, []
    # an upload names its original by a library name only: its first line reads no file of the server's
    text = info["data"].decode("utf-8", errors="replace")
    copied_note.value = _copied(still_copied(Path(info["name"]), text, library_only=True))
    uploaded.value = scenario


def _copied(found) -> str:
    return summary(found) if found else ""


@solara.component
def Sliders(scenario):
    every = solara.use_memo(lambda: ctl.controls(scenario), [scenario.model_dump_json()])
    for group, items in ctl.groups(every).items():
        SliderGroup(group, items, every).key(f"{scenario.name}/{group}")  # another summit's panels start closed


@solara.component
def SliderGroup(group: str, items: list, every: list):
    """One group's sliders in a panel, built the first time it is opened: built at once, Helsinki's
    129 sliders delayed the page's first showing, and a class opens one or two groups."""
    expanded, set_expanded = solara.use_state(False)
    built, set_built = solara.use_state(False)

    def opened(v_model) -> None:
        set_expanded(v_model == 0)
        if v_model == 0:
            set_built(True)

    with rv.ExpansionPanels(v_model=0 if expanded else None, on_v_model=opened), rv.ExpansionPanel():
        rv.ExpansionPanelHeader(children=[group])
        with rv.ExpansionPanelContent():
            for c in items if built else []:
                Slider(c, every)


def Slider(c, every: list) -> None:
    """One parameter's slider, with the file's range in its label, and on hover what it holds and its source."""
    span = f"{c.file_low:g}" if c.file_low == c.file_high else f"{c.file_low:.2g}-{c.file_high:.2g}"
    shown = ctl.on_steps(c, fixed.value.get(c.path, c.default))

    def move(v):
        if not ctl.is_echo(c, shown, v):
            fixed.value = ctl.move(every, fixed.value, c.path, v)

    said = f"{c.meaning[0].upper()}{c.meaning[1:]}. Source: {c.source}" if c.meaning else c.source
    # the tooltip binds to a Vue element of its own: on the slider alone it never showed (seen in Chromium)
    with solara.Tooltip(said), solara.Column(gap="0px"):
        solara.SliderFloat(f"{c.label} (file: {span})", value=shown, min=c.low, max=c.high, step=ctl.step(c),
                           on_value=move)


def Markdown(text: str, **kwargs) -> None:
    """Every Markdown on the page, made inert first: a scenario file's text reaches it (sim.markup)."""
    solara.Markdown(inert(text), **kwargs)


@solara.component
def Verdict(view):
    v, names = view.result.verdict, {k: x["name"] for k, x in view.result.spec.leaders.items()}
    Markdown(f"## {v['text'][0].upper() + v['text'][1:]}", style={"font-size": "1.4em"})
    Markdown(f"*The rule, fixed in advance:* {rule_text(v['delta'])}.")
    if v["lean"]:
        Markdown(v["lean"][0].upper() + v["lean"][1:] + ".")
    rows = ["| share of replays | all | given the meeting was held |", "|---|---:|---:|"]
    held = v["given_held"]
    for key in [*view.result.outcome.leaders, "even"]:
        label = even_label(v["delta"], len(names)) if key == "even" else f"{names[key]} ahead"
        share = v["shares"][key]
        other = held["shares"][key] if held else None
        rows.append(f"| {label} | {share['p']:.1%} [{share['low']:.1%}, {share['high']:.1%}] | "
                    + (f"{other['p']:.1%}" if other else "-") + " |")
    rows.append(f"| mean margin of {names[v['lead']]} | {with_interval(v['margin'])} | "
                + (f"{held['margin_of_lead']['mean']:+z.3f}" if held else "-") + " |")
    Markdown("\n".join(rows))
    Markdown(f"{view.result.runs:,} replays, seed {view.result.seed}; `summit run` replays "
             f"{DEFAULT_RUNS:,}, so its shares may differ from these within their intervals.")
    gains = ["| leader | substantive | status | domestic | alliance | net gain |", "|---|---:|---:|---:|---:|---:|"]
    for x in view.result.summary["leaders"].values():
        parts = " | ".join(f"{x['parts'][p]['mean']:+z.3f}" for p in ("substantive", "status", "domestic", "alliance"))
        gains.append(f"| {x['name']} | {parts} | {x['gain']['mean']:+z.3f} |")
    Markdown("\n".join(gains))
    Markdown(rests_on_text(v, names))
    record = track_record.sentence(track_record.load(), named=v["winner"] is not None)
    if record:
        Markdown(record)
    history = view.result.scenario.history
    if view.change is None and history is not None:  # a what-if is no summit that happened
        sentence, rows = checked(history, view.result.summary, view.result.outcome, names)
        Markdown("\n".join([f"**What historians concluded.** {sentence}", "",
                             "| check | the model says | against history |", "|---|---|---|",
                             *(f"| {what} | {said} | {verdict} |" for what, said, verdict in rows)]))
    if view.change is not None:
        verdict = view.change["verdict"]
        moved = "this change moves the verdict" if verdict["changed"] else "the verdict does not move"
        what = ["**What if, against the file as written** (paired on common random numbers)", "",
                f"As written: {verdict['base']}; {moved}; {untouched_sentence(view.change)}.", "",
                "| leader | change in gain [95% interval] | change in P(ahead), points |", "|---|---:|---:|"]
        for key, c in view.change["leaders"].items():
            g, pa = c["gain"], c["p_ahead"]
            what.append(f"| {names[key]} | {with_interval(g)} | "
                        f"{pa['mean'] * 100:+z.1f} |")
        Markdown("\n".join(what))


@solara.component
def DealPossible(view):
    """On request, since it solves two linear programmes per replay: was a deal possible in the
    replays on screen (sim.zone)? An answer about other settings is not shown."""
    task = solara.lab.use_task(lambda: (view, possible(view)), dependencies=None)
    solara.Button(f"Was a deal possible? (solves the first {ZONE_RUNS} replays)", on_click=task,
                  disabled=task.pending)
    if task.pending:
        solara.ProgressLinear(True)
    if task.value is not None and task.value[0] is view:
        rows = ["| what the leaders faced | share of replays | a deal struck in |", "|---|---:|---:|"]
        rows += [f"| {label} | {share:.1%} | {'-' if deal is None else f'{deal:.0%}'} |"
                 for label, share, deal in task.value[1]]
        Markdown("\n".join(rows))
        Markdown("Judged as the leaders saw it when they sat down. A reservation is what a leader "
                 "resolved to hold out for: its walk-away value plus its resolve of the rest.")


@solara.component
def HingesOn(view):
    """On request, since it replays every random input at either end: which input does the verdict
    on screen hinge on (sim.screening)? What the sliders fix, it takes as given."""
    task = solara.lab.use_task(lambda: (view, hinges(view)), dependencies=None)
    solara.Button(f"Which input does the verdict hinge on? ({SCREEN_RUNS} replays at either end of each)",
                  on_click=task, disabled=task.pending)
    if task.pending:
        solara.ProgressLinear(True)
    if task.value is not None and task.value[0] is view:
        found, png = task.value[1]
        Markdown(f"Each input the sliders leave random, pinned at the 5th and the 95th percentile of its "
                 f"range, the others drawn as before: {found}.")
        solara.Image(png, width="100%")


@solara.component
def StepThrough(scenario, median: int):
    _ = stepper_tick.value
    chosen = median if stepper_run.value is None else stepper_run.value

    def build():
        return Stepper(changed_scenario(scenario, fixed.value, variants.value), chosen)

    state = solara.use_memo(lambda: {"stepper": build()},
                            [scenario.model_dump_json(), chosen, fixed.value, variants.value])
    stepper = state["stepper"]

    def step():
        stepper.step()
        stepper_tick.value += 1

    def reset():
        state["stepper"] = build()
        stepper_tick.value += 1

    def play_rounds():
        while not state["stepper"].done:
            state["stepper"].step()
            stepper_tick.value += 1
            time.sleep(0.35)

    play = solara.lab.use_task(play_rounds, dependencies=None)

    with solara.Row():
        solara.Button("Play", on_click=play, disabled=stepper.done)
        solara.Button("Step", on_click=step, disabled=stepper.done)
        solara.Button("Reset", on_click=reset)
        solara.InputInt("replay number (the median replay by default)", value=chosen,
                        on_value=lambda v: stepper_run.set(max(0, int(v))))
    Markdown("\n".join(f"- {line.strip()}" for line in state["stepper"].lines))


@solara.component
def Page():
    from sim.library import known_scenarios

    scenario = current()
    solara.Title("summit: who comes out ahead?")
    solara.Style(STALE_CSS + "\n" + TOOLTIP_CSS)
    if presenter.value:
        solara.Style(PRESENTER_CSS)

    def work():
        time.sleep(0.12)  # a burst of slider moves restarts this task; only the last one computes
        return compute(scenario, fixed.value, variants.value)

    task = solara.lab.use_task(work, dependencies=[scenario.model_dump_json(), fixed.value, variants.value])
    # While a change is replayed, the last answer stays on the page, dimmed, rather than the page
    # emptying and filling again at every slider move (``value`` is None while a task runs); not
    # the answer for another summit, under this one's title.
    view = task.value if task.value is not None else task.latest
    if view is not None and view.result.scenario.name != scenario.name:
        view = None
    style = "class" if presenter.value else "paper"
    # the figure is drawn apart, after the verdict is shown: its first drawing (Matplotlib's fonts)
    # took a second that the verdict waited for
    drawn = solara.lab.use_task(lambda: None if view is None else (view, figure(view, shown.value, style)),
                                dependencies=[id(view), shown.value, style])
    last = drawn.value if drawn.value is not None else drawn.latest
    png = None if last is None else last[1]
    stale = task.pending or last is None or last[0] is not view
    with solara.Columns([1, 2]):
        with solara.Column():
            solara.Select("Summit", values=list(known_scenarios()), value=scenario_name.value, on_value=_pick)
            solara.FileDrop(label="Or drop a scenario YAML file here", on_file=_upload, lazy=False)
            if typed_paths():
                solara.InputText("Or type the path of a scenario YAML file, then Enter", value="", on_value=_open_path,
                                 continuous_update=False)
            if upload_error.value:
                solara.Error(upload_error.value)
            if uploaded.value is not None:
                solara.Info(f"Using your file: {uploaded.value.title}")
                if copied_note.value:
                    solara.Warning(copied_note.value)
            solara.Switch(label="Presenter mode (large type)", value=presenter)
            if scenario.variants:
                Markdown("**The file's what-ifs**")
                for name, v in scenario.variants.items():
                    def toggle(on, name=name):
                        variants.value = [*variants.value, name] if on else [x for x in variants.value if x != name]
                    solara.Checkbox(label=v.description, value=name in variants.value, on_value=toggle)
            solara.Button("Reset every slider to the file", on_click=lambda: fixed.set({}))
            Sliders(scenario)
        with solara.Column():
            Markdown(f"# {scenario.title}\n{scenario.description}")
            if task.pending:
                solara.ProgressLinear(True)
            for failed in (task, drawn):
                if failed.error:
                    solara.Error(str(failed.exception))
            if view is not None:
                with solara.Column(classes=["summit-stale"] if task.pending else []):
                    Verdict(view)
                    DealPossible(view)
                    HingesOn(view)
                if not presenter.value:
                    Figure(scenario, png, stale)
            if not presenter.value:
                OneReplay(scenario, view)
    if presenter.value:
        # the whole width of the page: the figure is drawn for a slide, and shrunk to the column
        # beside the controls its type came out smaller than the paper figure's
        with solara.Column(style={"width": "100%"}):
            if view is not None:
                Figure(scenario, png, stale)
            OneReplay(scenario, view)


@solara.component
def OneReplay(scenario, view):
    Markdown("## One replay, round by round")
    if view is not None:
        StepThrough(scenario, median_run(view.result.outcome))


@solara.component
def Figure(scenario, png: bytes | None, stale: bool):
    """The figure chosen, and the downloads: the figure, and the settings as a scenario file. While
    the figure of the replays on screen is drawn, the last one stays, dimmed, under a bar."""
    solara.ToggleButtonsSingle(value=shown, values=list(SHOWN))
    if stale:
        solara.ProgressLinear(True)
    if png is not None:
        solara.Image(png, width="100%", classes=["summit-stale"] if stale else [])
    if png is None or stale:
        return
    with solara.Row():
        solara.FileDownload(png, filename=f"{scenario.name}-{shown.value}.png",
                            label="Download this figure (PNG)", mime_type="image/png")
        solara.FileDownload(lambda: ctl.as_scenario_file(scenario, fixed.value, variants.value,
                                                         f"{scenario.name}-classroom"),
                            filename=f"{scenario.name}-classroom.yaml",
                            label="Download these settings as a scenario", mime_type="text/yaml")
