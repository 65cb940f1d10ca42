"""Read scenario files, apply overrides, and explain every problem in words a student can act on."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sim.schema import Scenario

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"


class ScenarioError(Exception):
    """A scenario (or an override of it) that cannot be used, with every reason found."""

    def __init__(self, where: str, problems: list[str]):
        self.where = where
        self.problems = problems
        super().__init__(self.message())

    def message(self) -> str:
        if len(self.problems) == 1:
            return f"{self.where}: {self.problems[0]}"
        listed = " ".join(f"({i}) {p}" for i, p in enumerate(self.problems, 1))
        return f"{self.where}: {len(self.problems)} problems: {listed}"


def search_path() -> list[Path]:
    extra = [Path(p) for p in os.environ.get("SUMMIT_SCENARIOS", "").split(os.pathsep) if p]
    return [*extra, SCENARIO_DIR]


def known_scenarios() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in reversed(search_path()):
        for f in sorted(folder.glob("*.yaml")):
            found[f.stem] = f
    return dict(sorted(found.items()))


def resolve(name_or_file: str) -> Path:
    path = Path(name_or_file)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise ScenarioError(str(path), ["no such file"])
        return path
    known = known_scenarios()
    if name_or_file not in known:
        raise ScenarioError(
            name_or_file,
            [f"no scenario of that name; known scenarios: {', '.join(known) or 'none'} "
             "(or give a path to a .yaml file)"],
        )
    return known[name_or_file]


def load(name_or_file: str, overrides: list[str] = ()) -> Scenario:
    path = resolve(name_or_file)
    text = path.read_text(encoding="utf-8")
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{path}, line {mark.line + 1}, column {mark.column + 1}" if mark else str(path)
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise ScenarioError(where, [f"this is not valid YAML ({problem})"]) from None
    if not isinstance(document, dict):
        raise ScenarioError(str(path), ["a scenario file must be a YAML mapping of fields "
                                        "(name, title, issues, leaders, ...)"])
    for override in overrides:
        apply_override(document, override)
    where = str(path) + (f" with --set {' --set '.join(overrides)}" if overrides else "")
    return validate(document, where, text)


def validate(document: dict, where: str, text: str | None = None) -> Scenario:
    try:
        return Scenario.model_validate(document)
    except ValidationError as err:
        lines = _line_index(text) if text else {}
        raise ScenarioError(where, [_explain(e, lines) for e in err.errors()]) from None


def apply_override(document: dict, override: str) -> None:
    """Apply ``PATH=VALUE``: a number replaces a parameter by a fixed value, YAML replaces the node."""
    where = f"--set {override}"
    if "=" not in override:
        raise ScenarioError(where, ["an override is written PATH=VALUE, e.g. leaders.us.preparation=0.8"])
    path, raw = override.split("=", 1)
    keys = [k for k in path.strip().split(".") if k]
    if not keys:
        raise ScenarioError(where, ["the path before '=' is empty"])
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError:
        raise ScenarioError(where, [f"the value '{raw}' is not a number or valid YAML"]) from None
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
    if last not in node:
        reached = ".".join(keys[:-1]) or "the top level"
        raise ScenarioError(where, [f"'{last}' is not found under {reached}; it has: {', '.join(map(str, node))} "
                                    "(an optional field the file leaves out must be added in the file)"])
    current = node.get(last)
    if isinstance(current, dict) and "source" in current and not isinstance(value, dict):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ScenarioError(where, [f"'{path}' is a numeric parameter; '{raw}' is not a number"])
        key = current["source"].split(":", 1)[0]
        node[last] = {"value": float(value), "source": f"{key}: overridden on the command line"}
    elif isinstance(current, dict) and "source" in current:
        node[last] = {"source": current["source"], **value}
    else:
        node[last] = value


def _explain(error: dict, lines: dict[tuple, int]) -> str:
    loc = tuple(str(p) for p in error["loc"])
    loc = tuple(p for p in loc if not p.startswith(("function-after", "constrained", "tagged-union")))
    path = ".".join(loc) or "(top level)"
    line = _nearest_line(loc, lines)
    at = f"{path} (line {line})" if line else path
    msg = error["msg"].removeprefix("Value error, ")
    given = error.get("input")
    if error["type"] == "missing":
        return f"{at} is required but missing"
    if error["type"] == "extra_forbidden":
        return f"{at} is not a field this place allows (check the spelling)"
    shown = repr(given) if not isinstance(given, dict | list) else "the block there"
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"{at} = {shown}: {msg}"


def _nearest_line(loc: tuple, lines: dict[tuple, int]) -> int | None:
    for cut in range(len(loc), 0, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return None


def _line_index(text: str) -> dict[tuple, int]:
    """Map each mapping key path in the YAML text to its 1-based line number."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return {}
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
