"""Read scenario files, apply overrides, and explain every problem in words a student can act on."""

from __future__ import annotations

import copy
import difflib
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sim.defaults import SUPPLIED
from sim.errors import ScenarioError
from sim.fields import allowed_at, described_at, suggestion
from sim.library import known_scenarios
from sim.safe_yaml import DocumentError, compose, decode, load_yaml, read_text
from sim.schema import Scenario, cross_problems


def resolve(name_or_file: str) -> Path:
    path = Path(name_or_file)
    if path.suffix in (".yaml", ".yml") or path.exists():
        must_be_a_file(path, "scenario file")
        return path
    known = known_scenarios()
    if name_or_file not in known:
        raise ScenarioError(name_or_file, [no_such_scenario(name_or_file, list(known))])
    return known[name_or_file]


def must_be_a_file(path: Path, kind: str) -> None:
    """Refuse, in words, a path that is not a regular file: missing, a folder, or a device, pipe or
    socket (reading /dev/zero would never end)."""
    if path.is_dir():
        raise ScenarioError(str(path), [f"a folder, not a {kind}; give the path to a .yaml file in it"])
    if not path.exists():
        raise ScenarioError(str(path), [f"no such {kind}"])
    if not path.is_file():
        raise ScenarioError(str(path), ["not a regular file (a device, a pipe or a socket); give the path "
                                        "to a .yaml file"])


def no_such_scenario(name: str, known: list[str]) -> str:
    """'Did you mean': the scenarios a partial name matches, or the closest spellings."""
    partial = [k for k in known if name.lower() in k]
    if partial:
        many = len(partial) > 1
        return (f"no scenario of that name; {len(partial)} scenario{'s match' if many else ' matches'} it: "
                f"{', '.join(partial)}")
    close = difflib.get_close_matches(name.lower(), known, n=3, cutoff=0.6)
    if close:
        return f"no scenario of that name; did you mean {' or '.join(close)}? ('summit list' shows them all)"
    return (f"no scenario of that name; known scenarios: {', '.join(known) or 'none'} "
            "(or give a path to a .yaml file)")


def load(name_or_file: str, overrides: list[str] = (), variant: str | None = None,
         check_variants: bool = True) -> Scenario:
    """Read, override and check a scenario; ``variant`` applies one of the file's named what-ifs first.
    ``check_variants=False`` leaves the file's other what-ifs unchecked (listing, where a tenth of
    a second per ten files adds up; ``summit validate`` and every run still check them)."""
    path = resolve(name_or_file)
    text = read(path)
    document = parse(text, path)
    changes = []
    if variant is not None:
        apply_named_variant(document, variant, path)
        changes.append(f"variant {variant}")
    for override in overrides:
        apply_override(document, override)
    changes += [f"--set {o}" for o in overrides]
    if changes:
        forget_history(document)
    where = str(path) + (f" with {', '.join(changes)}" if changes else "")
    return validate(document, where, text, check_variants=check_variants and not changes)


def forget_history(document: dict) -> None:
    """A what-if is no summit that happened: no historian judged it, so it keeps no history block
    (the app's downloaded settings and a report under --set would otherwise check it against one)."""
    document.pop("history", None)


def read(path: Path) -> str:
    """A summit file's text, read safely (size, encoding): see sim.safe_yaml."""
    try:
        return read_text(path)
    except DocumentError as err:
        raise ScenarioError(err.where, [err.problem]) from None


def from_bytes(data: bytes, where: str, check_variants: bool = True) -> Scenario:
    """A scenario from bytes, checked as a file is: a user's upload (the app, never written to
    disk), or a file already read (``summit list``, which knows the file by these bytes)."""
    try:
        text = decode(data, where)
    except DocumentError as err:
        raise ScenarioError(err.where, [err.problem]) from None
    return validate(parse(text, Path(where)), where, text, check_variants=check_variants)


def parse(text: str, path: Path) -> dict:
    try:
        document = load_yaml(text, str(path))
    except DocumentError as err:
        raise ScenarioError(err.where, [err.problem]) from None
    if not isinstance(document, dict):
        raise ScenarioError(str(path), ["a scenario file must be a YAML mapping of fields "
                                        "(name, title, issues, leaders, ...)"])
    return document


def is_sweep(document: dict) -> bool:
    """Whether a parsed YAML file is a sweep file (factors over scenarios), not a scenario:
    'summit validate' and 'summit validation' take both kinds side by side in one folder."""
    return "factors" in document and "issues" not in document


def validate(document: dict, where: str, text: str | None = None, check_variants: bool = True) -> Scenario:
    """Check a document; every problem is reported at once, those of its named variants included
    (unless the document is itself a variant or overridden, when they would be noise)."""
    problems = []
    try:
        scenario = Scenario.model_validate(document)
    except ValidationError as err:
        scenario = None
        lines = line_index(text) if text else {}  # line numbers only when there is something to point at
        cross = cross_problems(document)
        joined = "; ".join(cross)  # what Scenario's own check raised, as one error: list them one by one
        problems = [explain(e, lines, Scenario) for e in err.errors()
                    if not (cross and e["msg"].removeprefix("Value error, ") == joined)]
        problems += [at_line(p, lines) for p in cross if not any(p in q for q in problems)]
    if scenario is not None and check_variants:
        problems = _variant_problems(document)
    if problems:
        raise ScenarioError(where, problems)
    return scenario


def _variant_problems(document: dict) -> list[str]:
    """A variant must apply to the file and leave a valid scenario behind."""
    variants = document.get("variants")
    if not isinstance(variants, dict):
        return []
    problems = []
    base = {k: v for k, v in document.items() if k != "variants"}
    for name, variant in variants.items():
        if not isinstance(variant, dict) or not isinstance(variant.get("set"), dict):
            continue  # the schema reports the malformed variant itself
        changed = copy.deepcopy(base)
        try:
            apply_variant(changed, name, variant)
            Scenario.model_validate(changed)
        except ScenarioError as err:
            problems += [f"{err.where}: {p}" for p in err.problems]
        except ValidationError as err:
            problems += [f"variants.{name} leaves an invalid scenario: {explain(e, {}, Scenario)}"
                         for e in err.errors()]
    return problems


def apply_named_variant(document: dict, name: str, path: Path) -> None:
    """Apply the variant ``name`` the file at ``path`` declares, or say which it declares."""
    variants = document.get("variants") or {}
    if name not in variants:
        raise ScenarioError(f"{path} --variant {name}",
                            [f"no such variant; this file declares: {', '.join(variants) or 'none'}"])
    apply_variant(document, name, variants[name], f"{path}: ")


def apply_variant(document: dict, name: str, variant: dict, where: str = "") -> None:
    """Apply a named variant's ``set`` block, each entry as ``--set`` would apply it."""
    for key, value in (variant.get("set") or {}).items():
        set_path(document, str(key), value, f"{where}variants.{name}.set.{key}")


def apply_override(document: dict, override: str) -> None:
    """Apply ``PATH=VALUE`` from the command line; VALUE is read as YAML."""
    where = f"--set {override}"
    if "=" not in override:
        raise ScenarioError(where, ["an override is written PATH=VALUE, e.g. leaders.us.preparation=0.8"])
    path, raw = override.split("=", 1)
    try:
        value = load_yaml(raw, where)
    except DocumentError as err:
        raise ScenarioError(where, [f"the value '{raw}' is not a number or valid YAML: {err.problem}"]) from None
    set_path(document, path, value, where)


def set_path(document: dict, path: str, value: Any, where: str) -> None:
    """Set the node at dotted ``path``: a number replaces a parameter by a fixed value, keeping its
    source key; a mapping replaces a parameter's distribution; anything else replaces the node."""
    keys = [k for k in path.strip().split(".") if k]
    if not keys:
        raise ScenarioError(where, ["the path before '=' is empty"])
    node: Any = document
    for depth, key in enumerate(keys[:-1]):
        if not isinstance(node, dict) or key not in node:
            options = ", ".join(map(str, node)) if isinstance(node, dict) else "nothing (it is a single value)"
            reached = ".".join(keys[:depth]) or "the top level"
            raise ScenarioError(where, [f"'{key}' is not found under {reached}; it has: {options}"])
        node = node[key]
    last = keys[-1]
    if not isinstance(node, dict):
        raise ScenarioError(where, [f"'{'.'.join(keys[:-1])}' is a single value and has no '{last}'"])
    supplied = SUPPLIED.get(".".join(keys))
    if last not in node and supplied is not None:  # the model's value where the file is silent, with its source
        document.setdefault("sources", {}).setdefault(supplied.source.split(":", 1)[0], supplied.citation)
        node[last] = {"value": supplied.value, "source": supplied.source}
    if last not in node:
        reached = ".".join(keys[:-1]) or "the top level"
        raise ScenarioError(where, [f"'{last}' is not found under {reached}; it has: {', '.join(map(str, node))} "
                                    "(an optional field the file leaves out must be added in the file)"])
    current = node.get(last)
    if isinstance(current, dict) and "source" in current and not isinstance(value, dict):
        if isinstance(value, bool) or not isinstance(value, int | float):
            given = "nothing" if value is None else f"'{value}'"
            raise ScenarioError(where, [f"'{path}' is a numeric parameter; {given} is not a number "
                                        "(write it as PATH=0.8)"])
        key = current["source"].split(":", 1)[0]
        node[last] = {"value": float(value), "source": f"{key}: overridden by {where}"}
    elif isinstance(current, dict) and "source" in current:
        node[last] = {"source": current["source"], **value}
    else:
        node[last] = value


def explain(error: dict, lines: dict[tuple, int], model: type | None = None) -> str:
    """One problem as a reader wants it: the field's path and line, what was given and what is
    wrong; a key the place does not allow names the field meant, or those allowed (``model``: the
    file's schema)."""
    loc = tuple(str(p) for p in error["loc"])
    loc = tuple(p for p in loc if not p.startswith(("function-after", "constrained", "tagged-union")))
    path = ".".join(p if p.isprintable() else repr(p) for p in loc) or "(top level)"  # a key may hold a newline
    line = _nearest_line(loc, lines)
    at = f"{path} (line {line})" if line else path
    msg = error["msg"].removeprefix("Value error, ")
    given = error.get("input")
    if error["type"] == "missing":
        meaning = described_at(model, loc) if model is not None and loc else None
        return f"{at} is required but missing" + (f": {meaning}" if meaning else "")
    if error["type"] == "extra_forbidden":
        allowed = allowed_at(model, loc[:-1]) if model is not None and loc else None
        if allowed is None:
            return f"{at} is not a field this place allows (check the spelling)"
        return f"{at} is not a field this place allows; {suggestion(loc[-1], allowed)}"
    if not loc:
        return msg
    if isinstance(given, dict) and "value" in given:  # a fixed parameter: its value says more than its block
        given = given["value"]
    shown = "a list" if isinstance(given, list) else "the block there" if isinstance(given, dict) else repr(given)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    if error["type"] in ("model_type", "dict_type"):  # pydantic says "a valid dictionary or instance of Param"
        return f"{at} = {shown}: {_block_wanted(error, loc, model)}"
    return f"{at} = {shown}: {msg}"


def _block_wanted(error: dict, loc: tuple, model: type | None) -> str:
    """What to write where a block of fields belongs. A bare number is the likeliest slip of an
    author writing a file from the record (``ideal: {taiwan: 0.8}``): every number carries its source."""
    if error.get("ctx", {}).get("class_name") == "Param":
        number = error.get("input") if isinstance(error.get("input"), int | float) else "0.5"
        return (f"a number here carries its source: write {{value: {number}, source: \"key: your paraphrase\"}}, "
                "or a range the replays draw from, such as {uniform: [low, high], source: ...} "
                "(docs/scenarios.md, 'Sources first')")
    fields = allowed_at(model, loc) if model is not None else None
    if fields:
        listed = ", ".join(fields[:6]) + (", ..." if len(fields) > 6 else "")
        return f"this should be a block of fields, one per line ({listed}; 'summit schema' lists them all)"
    return "this should be a block of 'key: value' lines, one entry per key" + (", not a list" if isinstance(
        error.get("input"), list) else "")


def at_line(problem: str, lines: dict[tuple, int]) -> str:
    """A problem that starts with a field's path, with the line of that field after the path."""
    path = re.match(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+", problem)
    line = path and _nearest_line(tuple(path.group().split(".")), lines)
    return f"{path.group()} (line {line}){problem[path.end():]}" if line else problem


def _nearest_line(loc: tuple, lines: dict[tuple, int]) -> int | None:
    for cut in range(len(loc), 0, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return None


def line_index(text: str) -> dict[tuple, int]:
    """Map each mapping key path in the YAML text to its 1-based line number."""
    root = compose(text)
    index: dict[tuple, int] = {}

    def walk(node, prefix: tuple) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                here = (*prefix, str(key.value))
                index[here] = key.start_mark.line + 1
                walk(value, here)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                index[(*prefix, str(i))] = item.start_mark.line + 1
                walk(item, (*prefix, str(i)))

    walk(root, ())
    return index
