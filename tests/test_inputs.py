"""Inputs that cannot hurt: malformed files, numbers and arguments are refused with a message that
names the file, the field and what is allowed (exit 2); nothing hangs or crashes; no command
overwrites or deletes what it did not write; a damaged results folder is detected and mended."""

import contextlib
import copy
import io
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sweeps_helpers import sweep_file

from sim.cli import main
from sim.library import SCENARIO_DIR
from sim.safe_yaml import CONTROL, DocumentError, load_yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).parent / "malformed"
BASE = CORPUS / "base.yaml"


def corpus() -> list[tuple[str, str]]:
    lines = (CORPUS / "expected.tsv").read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line and not line.startswith("#")]


def cli(*args) -> tuple[int, str]:
    """Run the command line in this process: exit status and everything it printed."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit_:
            code = exit_.code
    return code, out.getvalue() + err.getvalue()


def summit(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *map(str, args)], capture_output=True, text=True,
                          timeout=300, **kw)


def test_the_corpus_is_large_and_the_base_is_valid():
    assert len(corpus()) >= 100
    assert cli("validate", BASE)[0] == 0
    assert cli("run", BASE, "--runs", "50")[0] == 0


@pytest.mark.parametrize(("name", "expected"), corpus(), ids=[n for n, _ in corpus()])
def test_every_malformed_file_is_refused_with_its_message(name, expected):
    path = CORPUS / name
    code, text = cli("validate", path)
    assert code == 2, text
    assert expected in text, text
    assert str(path) in text  # the message names the file
    if not name.startswith("sweep-"):
        code, text = cli("run", path, "--runs", "20")
        assert code == 2 and "Traceback" not in text, text


def test_a_file_too_large_is_refused_before_it_is_parsed(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text(BASE.read_text() + "#" + "x" * 1_100_000 + "\n")
    started = time.process_time()
    code, text = cli("validate", big)
    assert code == 2 and "larger than 1,000,000 bytes" in text
    assert time.process_time() - started < 2


def test_set_reads_numbers_as_the_file_does():
    code, text = cli("run", BASE, "--runs", "20", "--set", "leaders.a.preparation=1e-3")
    assert code == 0, text
    code, text = cli("run", BASE, "--runs", "20", "--set", "leaders.a.preparation=.nan")
    assert code == 2 and "finite number" in text
    code, text = cli("run", BASE, "--runs", "20", "--set", "leaders.a.preparation=*x")
    assert code == 2


def test_sizes_are_checked_before_any_work():
    started = time.process_time()
    code, text = cli("run", "helsinki-2018", "--runs", "1000000000000")
    assert code == 2 and "GiB of memory" in text and "--runs " in text
    code, text = cli("compare", "helsinki-2018", "--variant", "all", "--runs", "100000000")
    assert code == 2 and "GiB of memory" in text
    assert time.process_time() - started < 5


# --- fuzzing: nothing malformed crashes or hangs ------------------------------------------------
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.text(max_size=12),
                    st.floats(allow_nan=True, allow_infinity=True))
trees = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                     max_leaves=20)


def leaves(node, prefix=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from leaves(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from leaves(v, (*prefix, i))
    else:
        yield prefix


BASE_DOC = yaml.safe_load(BASE.read_text())
BASE_LEAVES = list(leaves(BASE_DOC))


def outcome_is_sane(path: Path, runs: str = "20") -> None:
    for args in (("validate", path), ("run", path, "--runs", runs, "--json")):
        code, text = cli(*args)
        assert code in (0, 2), text
        assert "Traceback" not in text
        if args[0] == "run" and code == 0:
            assert "NaN" not in text and "Infinity" not in text


@settings(max_examples=60, deadline=10_000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(BASE_LEAVES), scalars | trees), min_size=1, max_size=3))
def test_a_scenario_with_any_leaf_replaced_is_run_or_refused(tmp_path, changes):
    doc = copy.deepcopy(BASE_DOC)
    for where, value in changes:
        node = doc
        for key in where[:-1]:
            node = node[key]
        node[where[-1]] = value
    path = tmp_path / "fuzzed.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    outcome_is_sane(path)


def blocks(node, prefix=()):
    """The paths of every parameter block (a value or a distribution, with its source) in a document."""
    if isinstance(node, dict):
        if "source" in node and {"value", "uniform", "beta", "normal"} & node.keys():
            yield prefix
        for k, v in node.items():
            yield from blocks(v, (*prefix, k))


PARAMETER_BLOCKS = [where for where in blocks(BASE_DOC) if where[0] != "variants"]


@settings(max_examples=40, deadline=10_000)
@given(st.sampled_from(PARAMETER_BLOCKS), st.floats(0, 1).map(lambda x: round(x, 2)) | st.integers(0, 1))
def test_a_bare_number_where_a_parameter_belongs_says_what_to_write(where, number):
    """An author writing from the record puts ``status_value: 0.1``: the message names the field and
    shows the block to write, never pydantic's "a valid dictionary or instance of Param"."""
    doc = copy.deepcopy(BASE_DOC)
    node = doc
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = number
    problems = validate_problems(doc)
    path = ".".join(map(str, where))
    said = next(p for p in problems if p.startswith(path + " ") or p.startswith(path + ":"))
    assert f"{{value: {number}, source: " in said
    assert not any("instance of" in p for p in problems)


REQUIRED = [where for where in leaves(BASE_DOC) if len(where) > 1 and not isinstance(where[-1], int)
            and where[0] in ("leaders", "issues", "protocol", "advisers", "allies", "legislatures")]


@settings(max_examples=40, deadline=10_000)
@given(st.sampled_from(sorted({where[:3] if where[0] != "protocol" else where[:2] for where in REQUIRED})))
def test_a_missing_field_is_named_with_what_it_holds(where):
    """An author writing a file from the record learns from the message what each missing field is."""
    from sim.fields import described_at
    from sim.schema import Scenario

    doc = copy.deepcopy(BASE_DOC)
    node = doc
    for key in where[:-1]:
        node = node[key]
    del node[where[-1]]
    path = ".".join(map(str, where))
    meaning = described_at(Scenario, [str(k) for k in where])
    missing = [p for p in validate_problems(doc) if p.startswith(path) and "is required but missing" in p]
    if missing:  # an optional field may go without a word
        assert meaning and missing[0].endswith(f"is required but missing: {meaning}")


def test_every_field_of_a_scenario_says_what_it_holds():
    """The JSON Schema an editor shows beside a file (summit schema) describes every field."""
    from sim.schema import Scenario

    schema = Scenario.model_json_schema()
    places = [("(top level)", schema), *schema["$defs"].items()]
    silent = [f"{where}.{name}" for where, node in places for name, field in node.get("properties", {}).items()
              if not field.get("description")]
    assert not silent, silent


def validate_problems(doc: dict) -> list[str]:
    """Every problem ``summit validate`` finds in ``doc`` (none where it is valid)."""
    from sim.loader import ScenarioError, validate

    try:
        validate(doc, "doc.yaml", text=yaml.safe_dump(doc, sort_keys=False))
    except ScenarioError as refused:
        return refused.problems
    return []


@settings(max_examples=60, deadline=10_000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(trees)
def test_any_yaml_tree_is_refused_cleanly(tmp_path, tree):
    path = tmp_path / "tree.yaml"
    path.write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    outcome_is_sane(path)


@settings(max_examples=80, deadline=10_000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400), st.integers(0, 6000))
def test_any_bytes_spliced_into_a_scenario_are_refused_cleanly(tmp_path, noise, at):
    data = BASE.read_bytes()
    at = min(at, len(data))
    path = tmp_path / "bytes.yaml"
    path.write_bytes(data[:at] + noise + data[at:])
    outcome_is_sane(path)


# --- no command overwrites or deletes what it did not write -------------------------------------
@settings(max_examples=400, deadline=None)
@given(st.text(max_size=30))
def test_text_a_terminal_would_act_on_is_refused_and_any_other_is_kept_as_written(text):
    """A title of "\\e[2J" cleared the terminal of whoever ran the file, and "\\u202e" shows a
    name in another order than it is read: YAML writes both only as escapes, on purpose."""
    escaped = "".join(c if c.isprintable() and c not in '"\\' else
                      f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}" for c in text)
    written = f'title: "{escaped}"\n'
    if CONTROL.search(text):
        with pytest.raises(DocumentError, match=r"holds .* \(U\+[0-9A-F]{4}\), which a terminal"):
            load_yaml(written, "t.yaml")
    else:
        assert load_yaml(written, "t.yaml") == {"title": text}


def test_report_plot_and_new_never_replace_a_file_without_force(tmp_path):
    mine = tmp_path / "notes.html"
    mine.write_text("my notes")
    code, text = cli("report", "helsinki-2018", "--runs", "200", "--out", mine)
    assert code == 2 and "exists already" in text and "--force" in text
    assert mine.read_text() == "my notes"
    figure = tmp_path / "fig.png"
    figure.write_bytes(b"mine")
    code, text = cli("plot", "helsinki-2018", "--kind", "ahead", "--runs", "200", "--out", figure)
    assert code == 2 and figure.read_bytes() == b"mine"
    code, _ = cli("plot", "helsinki-2018", "--kind", "ahead", "--runs", "200", "--out", figure, "--force")
    assert code == 0 and figure.read_bytes().startswith(b"\x89PNG")
    scenario = tmp_path / "mine.yaml"
    scenario.write_text("name: mine\n")
    code, text = cli("new", "mine", "--from", "helsinki-2018", "--out", scenario)
    assert code == 2 and scenario.read_text() == "name: mine\n"


def test_a_report_named_without_a_suffix_gets_its_format_s_and_a_wrong_one_is_refused(tmp_path):
    """A browser shows a page named 'hanoi' as text: the report adds the suffix its format needs,
    and refuses, before replaying, a suffix that is neither format or contradicts --format."""
    code, text = cli("report", "hanoi-2019", "--runs", "100", "--out", tmp_path / "hanoi")
    assert code == 0 and (tmp_path / "hanoi.html").read_text().startswith("<!doctype html")
    assert not (tmp_path / "hanoi").exists() and str(tmp_path / "hanoi.html") in text
    code, _ = cli("report", "hanoi-2019", "--runs", "100", "--format", "md", "--out", tmp_path / "notes")
    assert code == 0 and (tmp_path / "notes.md").read_text().startswith("# ")
    for out, extra, says in ((tmp_path / "h.pdf", (), "not '.pdf'"),
                             (tmp_path / "h.md", ("--format", "html"), "--format html writes HTML")):
        code, text = cli("report", "hanoi-2019", "--runs", "100", "--out", out, *extra)
        assert code == 2 and str(out) in text and says in text and not out.exists()
        assert "Traceback" not in text


def test_an_out_that_names_a_folder_writes_the_commands_own_file_name_inside_it(tmp_path):
    """'--out figs/' or '--out figs' where figs is a folder means "put it there": each command writes
    the name it gives without --out inside the folder (made when written with a trailing slash),
    never 'figs-ahead.png' or 'figs.html' beside it."""
    figs = tmp_path / "figs"
    figs.mkdir()
    runs = ("--runs", "100")
    for args, written in (
            (("plot", "helsinki-2018", "--kind", "ahead", *runs, "--out", figs),
             [figs / f"helsinki-2018-ahead{s}" for s in (".png", ".svg", ".pdf")]),
            (("report", "hanoi-2019", *runs, "--out", f"{tmp_path / 'reports'}/"),
             [tmp_path / "reports" / "hanoi-2019.html"]),
            (("screen", SCENARIO_DIR / "malta-1989.yaml", *runs, "--out", figs), [figs / "malta-1989-tornado.png"]),
            (("new", "mine", "--from", "helsinki-2018", "--out", figs), [figs / "mine.yaml"])):
        code, text = cli(*args)
        assert code == 0, text
        assert all(path.is_file() and str(path) in text for path in written), (args, text)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figs", "reports"]  # nothing beside the folders
    code, text = cli("plot", "helsinki-2018", "--kind", "ahead", *runs, "--out", f"{figs}/")
    assert code == 2 and "exists already" in text  # the same file again: refused, as any --out is


def test_nothing_is_written_inside_the_package_even_with_force():
    before = (ROOT / "sim" / "cli.py").read_bytes()
    for args in (("report", "helsinki-2018", "--runs", "200", "--out", ROOT / "sim" / "x.html", "--force"),
                 ("plot", "helsinki-2018", "--kind", "ahead", "--runs", "200", "--out", ROOT / "agents" / "x.png"),
                 ("new", "x", "--from", "helsinki-2018", "--out", ROOT / "sim" / "x.yaml", "--force")):
        code, text = cli(*args)
        assert code == 2 and "inside summit's own package" in text
    code, _ = cli("report", "helsinki-2018", "--runs", "200", "--out", ROOT / "sim" / "cli.py", "--force")
    assert code == 2 and (ROOT / "sim" / "cli.py").read_bytes() == before  # refused: not a report's suffix
    assert not any((ROOT / folder / name).exists() for folder, name in (("sim", "x.html"), ("agents", "x.png"),
                                                                       ("sim", "x.yaml")))


def test_a_path_the_system_refuses_is_a_message_not_a_traceback():
    done = summit("new", "x", "--from", "helsinki-2018", "--out", "/proc/summit-test/x.yaml")
    assert done.returncode == 2 and "Traceback" not in done.stderr and "/proc/summit-test" in done.stderr
    done = summit("sweep", ROOT / "experiments" / "helsinki-sensitivity.yaml", "--out", "x", "--scheduler",
                  "garbage://x")
    assert done.returncode == 2 and "not a Dask scheduler address" in done.stderr


def test_sweep_refuses_a_folder_that_is_not_a_results_folder(tmp_path):
    path = sweep_file(tmp_path)
    out = tmp_path / "mine"
    (out / "_tmp").mkdir(parents=True)
    (out / "_tmp" / "notes.txt").write_text("keep me")
    code, text = cli("sweep", path, "--out", out, "--workers", "1", "--quiet")
    assert code == 2 and "not a summit results folder" in text
    assert (out / "_tmp" / "notes.txt").read_text() == "keep me"
    assert sorted(p.name for p in out.rglob("*")) == ["_tmp", "notes.txt"]


@pytest.mark.slow
def test_a_results_folder_is_locked_while_a_sweep_writes(tmp_path):
    path = sweep_file(tmp_path, replicates=8000, chunk_runs=400)
    out = tmp_path / "out"
    first = subprocess.Popen([sys.executable, "-m", "sim", "sweep", str(path), "--out", str(out), "--workers", "1",
                              "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (out / "_manifest.json").exists() and time.monotonic() < deadline:
            time.sleep(0.005)
        # held still while it holds the lock, however fast it would otherwise finish
        first.send_signal(signal.SIGSTOP)
        second = summit("sweep", path, "--out", out, "--workers", "1", "--quiet")
        assert second.returncode == 2 and "being written by another sweep" in second.stderr
        assert f"process {first.pid}" in second.stderr
    finally:
        first.send_signal(signal.SIGCONT)
        first.communicate(timeout=120)
    assert first.returncode == 0
    assert summit("sweep", path, "--out", out, "--workers", "1", "--quiet").returncode == 0  # the lock is released


def test_a_damaged_chunk_is_reported_then_redone_on_resume(tmp_path):
    path = sweep_file(tmp_path)
    out = tmp_path / "out"
    assert cli("sweep", path, "--out", out, "--workers", "1", "--quiet")[0] == 0
    whole = pd.read_parquet(out).sort_values("run").reset_index(drop=True)
    chunk = out / "chunk-000001.parquet"
    chunk.write_bytes(chunk.read_bytes()[:200])
    stats = out / "_stats" / "chunk-000003.parquet"
    stats.write_bytes(stats.read_bytes()[:-40])
    code, text = cli("replay", out, "--run", "0")
    assert code == 2 and "damaged" in text and "Traceback" not in text
    code, text = cli("sweep", path, "--out", out, "--workers", "1", "--quiet")
    assert code == 0 and "2 damaged since they were written (chunks 1, 3) done again" in text
    again = pd.read_parquet(out).sort_values("run").reset_index(drop=True)
    assert again.equals(whole)


def test_a_damaged_manifest_is_named(tmp_path):
    path = sweep_file(tmp_path)
    out = tmp_path / "out"
    assert cli("sweep", path, "--out", out, "--workers", "1", "--quiet")[0] == 0
    manifest = out / "_manifest.json"
    manifest.write_text(manifest.read_text()[:100])
    for args in (("sweep", path, "--out", out, "--workers", "1", "--quiet"), ("analyze", out)):
        code, text = cli(*args)
        assert code == 2 and f"{manifest} is damaged" in text and "Traceback" not in text


def test_the_corpus_covers_reading_numbers_references_events_and_sweeps():
    kinds = {name.split("-")[1] for name, _ in corpus()}
    assert {"yaml", "encoding", "number", "source", "field", "ref", "interest", "event", "variant",
            "sweep", "verdict"} <= kinds
    assert len(corpus()) == len(list(CORPUS.glob("*.yaml"))) - 1  # every file but the base has its message


def test_the_fields_a_place_allows_are_read_from_the_schema_for_every_place_a_file_uses():
    """Every key of every shipped scenario and sweep file is among the fields its place allows, so a
    message listing them, or naming the field meant, never leaves out one a file may use."""
    from sim.fields import allowed_at, suggestion
    from sim.schema import Scenario
    from sim.sweeps.sweepfile import Sweep

    def keys(node, path=()):
        if isinstance(node, dict):
            for key, value in node.items():
                yield path, str(key)
                yield from keys(value, (*path, str(key)))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from keys(value, (*path, str(i)))

    files = [(Scenario, p) for p in sorted((ROOT / "scenarios").glob("*.yaml"))]
    files += [(Sweep, ROOT / "experiments" / "helsinki-sensitivity.yaml")]
    places = set()
    for model, path in files:
        for parent, key in keys(yaml.safe_load(path.read_text())):
            allowed = allowed_at(model, parent)
            if allowed is not None:
                assert key in allowed, (path.name, parent, key)
                places.add(tuple(allowed))
    assert len(places) >= 15  # the kinds of place: the top level, protocol, issue, leader, parameter, event, ...
    assert suggestion("salince", allowed_at(Scenario, ("leaders", "us"))) == "did you mean 'salience'?"
    assert allowed_at(Scenario, ("leaders", "us", "resolve", "beta")) == ["mean", "sd"]
    assert allowed_at(Scenario, ("title",)) is None  # a single value holds no fields
