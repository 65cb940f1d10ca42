"""The classroom app as a student uses it, in Debian's Chromium driven by Playwright: the app starts
on a free loopback port, a slider and a variant change the verdict's numbers and the figure, a
replay steps round by round, a bad YAML file shows its error in the page, and the settings
download as a scenario that 'summit run' accepts. Its pure parts are tested without a browser."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sim.api import load
from sim.app import controls as ctl
from sim.app.controls import changed_scenario
from sim.app.results import RUNS, SEED, ZONE_RUNS, Stepper, compute, figure, hinges, possible
from sim.cli import main
from sim.validation import checked
from sim.verdict import EQUIVALENCE, rule_text

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                    reason="Chromium is not installed (CI installs it)")


def test_every_parameter_is_a_sourced_slider_grouped_by_actor():
    scenario = load("helsinki-2018")
    items = ctl.controls(scenario)
    from sim.spec import compile_scenario

    assert {c.path for c in items} == set(compile_scenario(scenario).draws)
    prep = next(c for c in items if c.path == "leaders.us.preparation")
    assert prep.group == "Leaders: Donald Trump" and prep.source.startswith("nyt:")
    assert prep.low <= prep.file_low <= prep.default <= prep.file_high <= prep.high
    assert prep.meaning.startswith("how well the leader knows the detail")
    ideal = next(c for c in items if c.path == "leaders.us.ideal.crimea")  # per issue: the field's own words
    assert ideal.meaning.startswith("per issue, where the leader would like it to end")
    assert {"Leaders: Vladimir Putin", "Advisers: Sergei Lavrov and the Foreign Ministry", "Protocol",
            "Legislatures: US Congress"} <= set(ctl.groups(items))


def test_every_shipped_summit_gets_its_sliders_each_labelled_in_words():
    """Picking Camp David 1978, Minsk 2015 or Tashkent 1966 in the app showed a traceback in place
    of the page: a mediator's payments and persuasion are per leader, and their labels were looked
    up among the issues."""
    import ipyvuetify as v
    import solara

    from sim.app import page
    from sim.library import known_scenarios

    for name in known_scenarios():
        scenario = load(name)
        items = ctl.controls(scenario)
        document = scenario.model_dump()
        for c in items:
            key = c.path.split(".")[3] if c.path.split(".")[0] in ctl.GROUPS and len(c.path.split(".")) > 3 else None
            if key in document["leaders"]:
                assert c.label.endswith(f": {document['leaders'][key]['name']}"), (name, c.path, c.label)
            assert c.meaning, (name, c.path)  # on hover, what the slider moves, beside its source
        _, rc = solara.render(page.Sliders(scenario), handle_error=False)
        if any(c.path.startswith("mediators.") for c in items):  # every slider built, where the page failed
            for panel in rc.find(v.ExpansionPanels).widgets:
                panel.v_model = 0
            assert len(rc.find(v.Slider).widgets) == len(items), name


def test_every_what_if_of_every_shipped_summit_replays_when_ticked_in_the_app():
    """Ticking "without Carter" at Camp David 1978 showed an error in place of the verdict."""
    from sim.api import run
    from sim.library import known_scenarios

    for name in known_scenarios():
        scenario = load(name)
        for variant in scenario.variants:
            assert run(changed_scenario(scenario, {}, [variant]), runs=20, seed=SEED).runs == 20, (name, variant)


def test_a_groups_sliders_are_built_when_its_panel_first_opens_and_kept():
    """Built at once, Helsinki's 129 sliders delayed the page's first showing in Chromium."""
    import ipyvuetify as v
    import solara

    from sim.app import page

    scenario = load("helsinki-2018")
    sizes = [len(items) for items in ctl.groups(ctl.controls(scenario)).values()]
    _, rc = solara.render(page.Sliders(scenario), handle_error=False)
    panels = rc.find(v.ExpansionPanels).widgets
    assert len(panels) == len(sizes) and not rc.find(v.Slider).widgets
    panels[1].v_model = 0                      # opened: its sliders, and only its
    assert len(rc.find(v.Slider).widgets) == sizes[1]
    panels[1].v_model = None                   # closed again: kept, so a value moved stays on screen
    panels[2].v_model = 0
    assert len(rc.find(v.Slider).widgets) == sizes[1] + sizes[2]


def test_opening_a_group_moves_no_parameter_and_a_step_does():
    """The browser's slider rounds the value it is given to its steps and reports the result when
    it appears: opening "Leaders: George Bush" at Madrid 1991 fixed every parameter in the group,
    and the page showed a what-if that "changed 100.0% of the replays" with nothing moved."""
    import ipyvuetify as v
    import solara

    from sim.app import page

    scenario = load("madrid-1991")
    page.fixed.value = {}
    try:
        _, rc = solara.render(page.Sliders(scenario), handle_error=False)
        rc.find(v.ExpansionPanels).widgets[1].v_model = 0
        sliders = rc.find(v.Slider).widgets
        for slider in sliders:  # what Vuetify reports when a slider first appears
            grid = slider.min + round((slider.v_model - slider.min) / slider.step) * slider.step
            slider.v_model = min(max(grid, slider.min), slider.max)
        assert page.fixed.value == {}
        moved = sliders[0]
        moved.v_model = moved.v_model + moved.step if moved.v_model + moved.step <= moved.max else moved.min
        assert len(page.fixed.value) == 1
    finally:
        page.fixed.value = {}


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 400), st.floats(0, 1), st.integers(-3, 3))
def test_a_slider_is_given_a_value_on_its_steps_and_a_step_from_it_is_a_move(which, where, steps):
    """Whatever the file's mean, the slider is given the nearest of its steps (so the browser has
    nothing to round), within half a step of it; a report of that value is its echo, and one a
    step or more away is a move, also from a mean that lies halfway between two steps."""
    items = ctl.controls(load("helsinki-2018"))
    c = items[which % len(items)]
    value = c.low + where * (c.high - c.low)
    shown = ctl.on_steps(c, value)
    k = (shown - c.low) / ctl.step(c)
    assert abs(k - round(k)) < 1e-9 and c.low <= shown <= c.high
    assert abs(shown - value) <= 0.5 * ctl.step(c) * (1 + 1e-9)
    assert ctl.is_echo(c, shown, shown) and ctl.is_echo(c, shown, float(f"{shown:.12g}"))
    beside = shown + steps * ctl.step(c)
    if c.low <= beside <= c.high:
        assert ctl.is_echo(c, shown, beside) == (steps == 0)


def test_moving_a_salience_keeps_the_leaders_saliences_summing_to_one():
    scenario = load("helsinki-2018")
    items = ctl.controls(scenario)
    fixed = ctl.move(items, {}, "leaders.ru.salience.crimea", 0.5)
    fixed = ctl.move(items, fixed, "leaders.ru.salience.syria-iran", 0.2)
    saliences = {p: v for p, v in fixed.items() if p.startswith("leaders.ru.salience.")}
    assert sum(saliences.values()) == pytest.approx(1.0) and saliences["leaders.ru.salience.syria-iran"] == 0.2
    assert compute(scenario, fixed, []).result.runs == RUNS  # a valid scenario, not an error


def test_the_file_the_app_opens_on_is_replayed_while_the_page_loads_and_once():
    """``summit app`` replays its file as the server starts; the first page finds that result, the
    same object, and a file that no longer loads is left to the page's own message."""
    from sim.app import results

    results._BASES.clear()
    results.warm_up("singapore-2018").join(timeout=120)
    warmed = next(iter(results._BASES.values()))
    view = compute(load("singapore-2018"), {}, [])
    assert view.result is warmed and view.change is None
    assert "summary" in warmed.__dict__ and warmed.runs == RUNS  # summarised in the warm-up, not on the page
    results.warm_up("no-such-summit-1999").join(timeout=60)    # refused quietly: the page says why
    assert next(iter(results._BASES.values())) is warmed


def test_a_slider_change_is_the_command_lines_set_paired_with_the_file():
    scenario = load("helsinki-2018")
    view = compute(scenario, {"leaders.us.flattery_susceptibility": 0.0}, ["advisers-in-room"])
    assert view.result.runs == RUNS and view.change is not None
    from sim.api import run

    same = run("helsinki-2018", runs=RUNS, variant="advisers-in-room",
               set={"leaders.us.flattery_susceptibility": 0.0})
    assert view.result.summary["leaders"] == same.summary["leaders"]
    assert view.change["leaders"]["us"]["gain"]["mean"] > 0  # less flattered, Trump gains
    assert figure(view, "margin").startswith(b"\x89PNG")
    as_written = compute(scenario, {}, [])
    assert as_written.change is None
    assert (view.change["verdict"]["base"], view.change["verdict"]["variant"]) == (
        as_written.result.verdict["text"], view.result.verdict["text"])


def test_the_verdict_panel_sets_the_file_as_written_beside_what_historians_concluded(monkeypatch):
    """A class sees the model's answer beside the record's, check by check, for the summit as it
    happened; a slider moved makes a what-if, which no historian judged."""
    import solara

    from sim.app import page

    shown: list[str] = []
    monkeypatch.setattr(page, "Markdown", lambda text, **kw: shown.append(text))
    scenario = load("hanoi-2019")
    as_written = compute(scenario, {}, [])
    solara.render(page.Verdict(as_written), handle_error=False)
    told = next(text for text in shown if text.startswith("**What historians concluded.**"))
    names = {k: x.name for k, x in scenario.leaders.items()}
    sentence, rows = checked(scenario.history, as_written.result.summary, as_written.result.outcome, names)
    assert sentence in told and all(f"| {a} | {b} | {c} |" in told for a, b, c in rows)
    assert f"| ahead | {as_written.result.verdict['text']} |" in told
    shown.clear()
    solara.render(page.Verdict(compute(scenario, {"leaders.nk.resolve": 0.9}, [])), handle_error=False)
    assert shown and not any("What historians concluded" in text for text in shown)


def test_was_a_deal_possible_answers_for_the_settings_on_screen():
    """The app answers for the replays on screen: the changed scenario's when a slider moved."""
    from sim.zone import faced

    scenario = load("geneva-1985")
    as_written, firmer = compute(scenario, {}, []), compute(scenario, {"leaders.us.resolve": 0.9}, [])
    answer = possible(as_written)
    assert [label for label, _, _ in answer][-1] == "a text that meets every leader's reservation"
    assert sum(share for _, share, _ in answer) == pytest.approx(1.0)
    run_ids = firmer.result.outcome.run_ids[:ZONE_RUNS]
    zone = faced(firmer.result.spec, run_ids, firmer.result.seed)
    assert possible(firmer)[-1][1] == pytest.approx((zone["reservation"] >= 0).mean())
    assert possible(firmer)[-1][1] < answer[-1][1]  # a firmer Reagan leaves fewer zones


def test_which_input_the_verdict_hinges_on_answers_for_the_settings_on_screen():
    """The screen (sim.screening) of the replays on screen: an input a slider fixed is taken as given."""
    scenario = load("moscow-1972")
    as_written = compute(scenario, {}, [])
    fixed = compute(scenario, {"leaders.su.status_value": 0.15}, [])
    found, png = hinges(as_written)
    inputs = len(as_written.result.spec.random_paths)
    assert f"of its {inputs} random inputs" in found and png.startswith(b"\x89PNG")
    top = re.search(r"; (.*) swings the margin most", found).group(1)  # named for a class, with its path
    assert re.fullmatch(r"(Leonid Brezhnev|Richard Nixon)'s [a-z ]+ \(leaders\.(su|us)\.[a-z_.-]+\)", top), top
    found_fixed, _ = hinges(fixed)
    assert f"of its {inputs - 1} random inputs" in found_fixed and "leaders.su.status_value" not in found_fixed


def test_the_settings_download_as_a_scenario_that_summit_runs(tmp_path):
    scenario = load("helsinki-2018")
    text = ctl.as_scenario_file(scenario, {"leaders.us.preparation": 0.9}, ["tough-congress"],
                                "helsinki-2018-classroom")
    path = tmp_path / "helsinki-2018-classroom.yaml"
    path.write_text(text)
    from sim.api import run

    mine = run(path, runs=500)
    theirs = run("helsinki-2018", runs=500, variant="tough-congress", set={"leaders.us.preparation": 0.9})
    assert mine.summary["leaders"] == theirs.summary["leaders"]
    assert "set in the classroom app" in text
    assert "history" not in yaml.safe_load(text) and mine.scenario.history is None  # a what-if, judged by no one
    as_written = yaml.safe_load(ctl.as_scenario_file(scenario, {}, [], "helsinki-2018-copy"))
    assert as_written["history"]["ahead"] == "ru"


def test_the_stepper_steps_the_model_round_by_round():
    stepper = Stepper(load("helsinki-2018"), 7)
    rounds = 0
    while not stepper.done:
        stepper.step()
        rounds += 1
    assert rounds == stepper.model.round + 1  # every round, then the aftermath
    assert stepper.lines[1].startswith("Round 1:") and stepper.lines[-1].startswith("The end:")


def test_an_uploaded_file_is_checked_like_a_file_and_never_written():
    from sim.errors import ScenarioError
    from sim.loader import from_bytes

    good = from_bytes((ROOT / "scenarios" / "vienna-1961.yaml").read_bytes(), "vienna.yaml")
    assert good.name == "vienna-1961"
    for data, message in ((b"name: x\n\0", "binary"), (b"a: &a [*a]", "alias"), (b"name: [1", "not valid YAML")):
        with pytest.raises(ScenarioError, match=message):
            from_bytes(data, "upload.yaml")


def test_an_uploaded_copy_is_told_what_it_still_holds_and_its_first_line_reads_no_file(tmp_path, monkeypatch):
    """A class uploads files begun with 'summit new': the page says what is still the original's,
    naming only a library summit as the original; a first line that names a path on the server
    makes it read nothing."""
    from sim.app import page, server

    monkeypatch.chdir(tmp_path)
    assert main(["new", "mine", "--from", "hanoi-2019"]) == 0
    copied = (tmp_path / "mine.yaml").read_bytes()
    page._upload({"data": copied, "name": "mine.yaml"})
    said = page.copied_note.value
    assert said.startswith("Still as copied from hanoi-2019: the title, the year and the description; the history "
                           "block;") and "'summit validate' on the file lists them" in said
    page._pick("helsinki-2018")
    assert page.copied_note.value == ""
    monkeypatch.setenv(server.TYPED_PATHS, "1")  # a typed path, on a page that serves this machine alone
    page._open_path(str(tmp_path / "mine.yaml"))
    assert page.copied_note.value == said
    page._pick("helsinki-2018")

    beside = tmp_path / "original.yaml"
    beside.write_text((ROOT / "scenarios" / "malta-1989.yaml").read_text())
    pointed = copied.replace(b"# Started from hanoi-2019 ", f"# Started from {beside} ".encode())
    page._upload({"data": pointed, "name": "mine.yaml"})
    assert page.upload_error.value == "" and page.copied_note.value == ""
    page._pick("helsinki-2018")


@pytest.mark.parametrize("host, alone", [("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True),
                                         ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("lab-pc", False)])
def test_an_app_open_to_other_machines_reads_no_typed_path(host, alone, monkeypatch, capsys):
    """The loader quotes what it refuses line by line (``summit validate /etc/shadow`` lists every
    account), so a typed path would show a classroom the text of the teacher's files."""
    from sim.app import server

    started = {}
    monkeypatch.setattr(server.os, "execve", lambda exe, argv, env: started.update(env))
    server.serve("helsinki-2018", host=host, port=5999)
    assert started[server.TYPED_PATHS] == ("1" if alone else "0")
    assert ("reads no path typed into the page" in capsys.readouterr().err) == (not alone)


def test_without_the_apps_packages_summit_app_says_what_to_install(monkeypatch, capsys):
    """The check looks solara up without importing it (0.7 s of CPU the server's own process
    would spend again), and names the extra to install."""
    from sim import cli
    from sim.app import server

    real = server.importlib.util.find_spec
    monkeypatch.setattr(server.importlib.util, "find_spec", lambda name: None if name == "solara" else real(name))
    monkeypatch.setattr(server.os, "execve", lambda *a: pytest.fail("started a server without its packages"))
    assert cli.main(["app", "helsinki-2018"]) == 2
    assert "the app needs its optional packages: pip install -e '.[app]'" in capsys.readouterr().err


@pytest.mark.parametrize("allowed", ["1", "0", None])
def test_the_page_reads_a_typed_path_only_when_told_it_serves_this_machine_alone(allowed, tmp_path, monkeypatch):
    from sim.app import page, server

    if allowed is None:
        monkeypatch.delenv(server.TYPED_PATHS, raising=False)
    else:
        monkeypatch.setenv(server.TYPED_PATHS, allowed)
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2\n")
    page.upload_error.value = ""
    page._open_path(str(secret))
    said = page.upload_error.value
    assert ("hunter2" in said or "password" in said) == (allowed == "1")
    assert ("reads no path typed into it" in said) == (allowed != "1")
    page.upload_error.value = ""


MARKDOWN_TAGS = {"p", "em", "strong", "code", "pre", "ul", "ol", "li", "hr", "br", "blockquote",
                 "h1", "h2", "h3", "h4", "h5", "h6"}
ATTACKS = ['<img src=x onerror="document.title=1">', "{{ constructor.constructor('alert(1)')() }}",
           "[a link](javascript:alert(1))", "![a picture](http://example.com/x.png)", "<script>alert(1)</script>"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*ATTACKS, "{", "}", "<", ">", "&", "[", "]", "(", ")", "*", "`", "|", "\\"])
                | st.text(max_size=40), max_size=8).map("".join))
@example("{{ constructor.constructor('alert(1)')() }}\\}")  # found by this search: Markdown ate the backslash
@example("\\{\\{ 7*191 \\}\\}")  # ...so that escaped braces came back whole, for Vue to evaluate
def test_a_files_text_reaches_the_page_as_text(text):
    """solara.Markdown sends its HTML to the browser as a Vue template: before sim.markup, a
    description's <img onerror> ran, and a title's {{ 7*191 }} showed as 1337 (seen in Chromium)."""
    import markdown

    from sim.markup import ZERO_WIDTH, inert

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.text = [], []

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, attrs))

        def handle_data(self, data):
            self.text.append(data)

    shown = markdown.markdown(inert(text), extensions=["tables"])
    assert "{{" not in shown and "}}" not in shown  # what Vue would evaluate
    parsed = Tags()
    parsed.feed(shown)
    assert all(tag in MARKDOWN_TAGS and not attrs for tag, attrs in parsed.tags), parsed.tags
    plain = "".join(parsed.text).replace(ZERO_WIDTH, "")
    for word in re.findall(r"[A-Za-z]{3,}", text):  # the words are all still there, to be read
        assert word in plain


def test_the_page_shows_no_markdown_that_has_not_been_made_inert(monkeypatch):
    from sim.app import page

    seen = []
    monkeypatch.setattr(page.solara, "Markdown", lambda text, **kwargs: seen.append(text))
    page.Markdown("# {{ 6*7 }} <b>x</b> [y](javascript:z)")
    assert seen == ["# {\u200b{ 6*7 }\u200b} &lt;b&gt;x&lt;/b&gt; \\[y\\](javascript:z)"]
    source = Path(page.__file__).read_text()
    assert source.count("solara.Markdown(") == 1  # the one in page.Markdown


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url():
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "sim", "app", "helsinki-2018", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    assert proc.stdout.readline().strip().startswith(f"summit app: {url}")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.2)
    yield url
    os.killpg(proc.pid, signal.SIGTERM)  # the server and anything it started
    proc.wait(timeout=30)
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0, "the app's server outlived the test"


def assert_the_readmes_screenshot_shows_this(shot: Path, seen: list[str]) -> None:
    """The README's screenshot of the app (docs/figures/app.png) keeps beside it the verdict, the
    shares and the track record it shows (app.txt), so a change to the model that moves them fails
    here until the screenshot is taken again with SUMMIT_UPDATE_BASELINES=1."""
    kept = ROOT / "docs" / "figures" / "app.txt"
    text = "\n".join(seen) + "\n"
    if shot == ROOT / "docs" / "figures" / "app.png":
        kept.write_text(text, encoding="utf-8")
    assert len(seen) == 3 and kept.read_text(encoding="utf-8") == text, \
        "the README's screenshot of the app shows other numbers: SUMMIT_UPDATE_BASELINES=1 takes it again"


@pytest.mark.slow
@needs_chromium
def test_the_app_in_a_browser(app_url, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
            outside = []
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1",
                                                                                        "data:", "blob:")) else None)
            page.goto(app_url)
            verdict = page.locator("h2", has_text="comes out ahead")
            verdict.wait_for(timeout=60_000)
            shot = ROOT / "docs" / "figures" / "app.png" if os.environ.get("SUMMIT_UPDATE_BASELINES") else \
                tmp_path / "app.png"
            page.screenshot(path=str(shot))  # the README's screenshot, when baselines are refreshed
            assert shot.stat().st_size > 50_000
            body = page.locator("body").inner_text()
            rule = f"The rule, fixed in advance: {rule_text(EQUIVALENCE)}."
            assert body.index(verdict.inner_text()) < body.index(rule) < body.index("share of replays")
            assert "What it rests on: without the directly set terms, " in body
            assert "The verdict holds with the directly set terms counted at" in body
            assert "Track record: the verdict agreed with historians' in" in body
            assert "What historians concluded. Vladimir Putin came out ahead; the meeting was held" in body
            assert f"{RUNS:,} replays, seed {SEED}; `summit run` replays".replace("`", "") in body
            first_figure = page.locator("img").first.get_attribute("src")
            shares = page.locator("table").first.inner_text()
            assert_the_readmes_screenshot_shows_this(shot, [verdict.inner_text(), shares,
                                                            *re.findall(r"Track record: [^\n]*", body)])

            page.get_by_role("button", name=re.compile("^Was a deal possible")).click()
            page.get_by_text("a text that meets every leader's reservation").wait_for(timeout=60_000)

            page.get_by_role("button", name=re.compile("^Which input does the verdict hinge on")).click()
            page.get_by_text(re.compile("random inputs, pinned at either end of its range")).wait_for(timeout=60_000)

            page.get_by_text("Leaders: Donald Trump").click()
            page.get_by_role("slider", name=re.compile("^flattery susceptibility")).first.wait_for(state="attached")
            page.wait_for_timeout(2000)  # opening a group moves nothing: its sliders rounded the file's means
            assert "What if, against the file as written" not in page.locator("body").inner_text()
            # on hover a slider says what it moves and where its range comes from (bound to the slider
            # alone, the tooltip never showed)
            page.get_by_text(re.compile(r"^flattery susceptibility \(file")).first.hover()
            page.locator(".v-tooltip__content", has_text=re.compile(
                r"^How readily the leader is charmed.*Source: \w+: ")).wait_for(timeout=10_000)
            page.get_by_role("slider", name=re.compile("^flattery susceptibility")).first.focus()
            for _ in range(15):
                page.keyboard.press("ArrowLeft")
            page.get_by_text("What if, against the file as written").wait_for(timeout=30_000)
            moved_or_not = re.compile("^As written: .*(moves the verdict|the verdict does not move); "
                                      "it changed (no replay|under 0.1%|[0-9.]+%)")
            page.get_by_text(moved_or_not).wait_for(timeout=30_000)
            # the figure of the moved setting replaces the last one, which stayed, dimmed, while it was drawn
            page.wait_for_function("(old) => { const i = document.querySelector('img.solara-image');"
                                   " return i && i.src !== old && !i.classList.contains('summit-stale'); }",
                                   arg=first_figure, timeout=30_000)
            assert page.locator("table").first.inner_text() != shares
            assert "What historians concluded" not in page.locator("body").inner_text()  # of a what-if, none

            before = page.locator("img.solara-image").first.get_attribute("src")
            page.get_by_text("Both delegations sit in").click()
            # step once the what-if's replays are in: their median replay is the one the stepper
            # steps, so a step taken while they ran was undone when they arrived (on a busy machine)
            page.wait_for_function("(old) => { const i = document.querySelector('img.solara-image');"
                                   " return i && i.src !== old && !i.classList.contains('summit-stale'); }",
                                   arg=before, timeout=60_000)
            page.get_by_role("button", name="Step").click()
            page.get_by_text("Round 1:").first.wait_for(timeout=30_000)

            with page.expect_download() as download:
                page.get_by_text("Download these settings as a scenario").click()
            saved = tmp_path / "classroom.yaml"
            download.value.save_as(saved)
            ran = subprocess.run([sys.executable, "-m", "sim", "run", str(saved), "--runs", "500"],
                                 capture_output=True, text=True, timeout=120)
            assert ran.returncode == 0 and "VERDICT:" in ran.stdout, ran.stderr

            broken = tmp_path / "broken.yaml"
            broken.write_text("name: broken\nyear: [1\n")
            field = page.get_by_label("Or type the path of a scenario YAML file, then Enter")
            field.fill(str(broken))
            field.press("Enter")
            page.get_by_text("not valid YAML").first.wait_for(timeout=60_000)  # after a replay under way
            assert str(broken) in page.locator("body").inner_text()

            # presenter mode: every text a class reads grows, not only the headings, and nothing
            # overflows a projector's 1366 pixels or lies over the verdict
            page.set_viewport_size({"width": 1366, "height": 768})
            sizes = ("(sels) => sels.map(sel => { const e = document.querySelector(sel);"
                     " return e ? parseFloat(getComputedStyle(e).fontSize) : 0; })")
            texts = [".solara-markdown p", ".solara-markdown td", ".v-btn"]
            before = page.evaluate(sizes, texts)
            assert min(before) > 0
            beside = page.evaluate("() => document.querySelector('img.solara-image').getBoundingClientRect().width")
            assert 0 < beside < 0.75 * 1366  # the figure sits in the column beside the controls
            page.get_by_text("Presenter mode (large type)").click()
            larger = [max(19, was * 1.3) for was in before]  # every one, not only the headings
            page.wait_for_function(f"([sels, least]) => ({sizes})(sels).every((s, i) => s >= least[i])",
                                   arg=[texts, larger], timeout=30_000)
            widest = page.evaluate("() => Math.max(...[...document.querySelectorAll('table')]"
                                   ".map(t => t.getBoundingClientRect().right))")
            assert widest <= 1366
            # the figure, drawn for a slide, spans the page: shrunk to the column beside the controls
            # its type came out smaller than the paper figure's
            figure = ("() => { const e = document.querySelector('img.solara-image');"
                      " return e ? e.getBoundingClientRect().width : 0; }")
            page.wait_for_function(f"() => ({figure})() > 0.9 * window.innerWidth", timeout=30_000)
            assert page.get_by_text("One replay, round by round").count() == 1
            assert "runs on Solara" not in page.locator("body").inner_text()  # its banner lay over the text
            assert outside == []  # offline: every asset from this machine
        finally:
            browser.close()
