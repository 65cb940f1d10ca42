"""What the classroom app shows and changes, as plain data: no Solara here, so it is tested alone.

Every numeric parameter of a scenario becomes a slider, grouped by actor, labelled in words, with
its source and paraphrase and the range the file gives it. A slider left alone keeps the file's
value or distribution; a slider moved fixes the parameter, exactly as ``--set PATH=VALUE`` would.
The settings download as a scenario file that ``summit run`` accepts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import yaml

from sim.fields import described_at
from sim.schema import Scenario, path_bounds

GROUPS = {"leaders": "Leaders", "advisers": "Advisers", "allies": "Allies", "legislatures": "Legislatures",
          "mediators": "Mediators", "events": "Events", "issues": "Issues", "protocol": "Protocol"}


@dataclass(frozen=True)
class Control:
    path: str            # leaders.us.preparation
    group: str           # "Leaders: Donald Trump"
    label: str           # "preparation"
    source: str          # the source key and paraphrase
    low: float           # the slider's range: the parameter's own range
    high: float
    file_low: float      # what the file allows: a value, or a distribution's range
    file_high: float
    default: float       # the file's value, or its distribution's mean
    meaning: str = ""    # what the parameter holds, in the schema's words (summit schema)


SLIDER_TOPS = {"loss_aversion": 4.0}  # twice the literature's mean; any other cost stops at 2 stakes
STEPS = 100  # a slider's range in steps


def controls(scenario: Scenario) -> list[Control]:
    """A slider for every numeric parameter, in the order of the file."""
    from sim.sources import parameters, value_at
    from sim.spec import compile_scenario

    dumped = scenario.model_dump()
    spec = compile_scenario(scenario)
    out = []
    for path, _shown, source in parameters(scenario):
        node = value_at(dumped, path)
        parts = path.split(".")
        group = GROUPS.get(parts[0], parts[0].title())
        if parts[0] in ("leaders", "advisers", "allies", "legislatures", "mediators"):
            group = f"{group}: {dumped[parts[0]][parts[1]]['name']}"
            label = parts[2].replace("_", " ")
            if len(parts) > 3:  # per issue, or (a mediator's payments and persuasion) per leader: say which
                label += f": {_named(dumped, parts[3])}"
        elif parts[0] == "events":
            group, label = f"Events: {dumped['events'][parts[1]]['label']}", parts[2].replace("_", " ")
        elif parts[0] == "issues":
            group, label = "Issues", f"{dumped['issues'][parts[1]]['label']}: status quo"
        else:
            label = parts[-1].replace("_", " ")
        low, high = path_bounds(path)
        high = min(high, SLIDER_TOPS.get(parts[-1], 2.0))  # a cost above 2 stakes is off any sourced range
        low = max(low, -2.0) if low < -2 else low
        if node is None:  # the model's value where the file is silent (sim.sources.parameters)
            node = {"value": float(spec.draws[path].mean)}
        file_low, file_high = _support(node, low, high)
        out.append(Control(path, group, label, source, low, high, file_low, file_high, float(spec.draws[path].mean),
                           meaning(path)))
    return out


def meaning(path: str) -> str:
    """What the parameter at ``path`` holds, as the schema describes it: a class sees "resolve" and
    needs to know it is the share of the surplus a leader holds out for. A per-issue or per-leader
    parameter takes its field's words (``leaders.us.ideal.crimea``: the leader's ideal)."""
    parts = path.split(".")
    for cut in range(len(parts), 1, -1):
        said = described_at(Scenario, parts[:cut])
        if said:
            return said
    return ""


def _named(dumped: dict, key: str) -> str:
    """An issue's label or a leader's name, in words, for the key of a per-issue or per-leader parameter."""
    if key in dumped["issues"]:
        return dumped["issues"][key]["label"]
    return dumped["leaders"][key]["name"]


def _support(node: dict, low: float, high: float) -> tuple[float, float]:
    if node.get("value") is not None:
        return node["value"], node["value"]
    if node.get("uniform") is not None:
        return tuple(node["uniform"])
    if node.get("beta") is not None:
        mean, sd = node["beta"]["mean"], node["beta"]["sd"]
        return max(0.0, mean - 2 * sd), min(1.0, mean + 2 * sd)
    n = node["normal"]
    return (max(low, n.get("low") if n.get("low") is not None else n["mean"] - 2 * n["sd"]),
            min(high, n.get("high") if n.get("high") is not None else n["mean"] + 2 * n["sd"]))


def step(c: Control) -> float:
    """How far one step of the control's slider moves it."""
    return (c.high - c.low) / STEPS


def on_steps(c: Control, value: float) -> float:
    """The value as the control's slider shows it: the nearest of its steps (a half step up),
    within its range. The page gives the slider this value, not the file's mean or a salience
    rescaled by another's move, because the browser's slider rounds any other value to its steps
    and reports the result as a move as soon as it appears: opening a group of sliders fixed every
    parameter in it, and the page showed a what-if, "changed 100.0% of the replays", that no one
    had made. The model keeps the exact value; the two differ by at most half a step."""
    k = math.floor((value - c.low) / step(c) + 0.5)
    return min(max(c.low + k * step(c), c.low), c.high)


def is_echo(c: Control, shown: float, reported: float) -> bool:
    """Whether a value the slider reports is the one it was given to show (``on_steps``), as the
    browser may write it back to the last digit, rather than a move of a step or more."""
    return abs(reported - shown) <= 1e-6 * step(c)


def move(items: list[Control], fixed: dict[str, float], path: str, value: float) -> dict[str, float]:
    """The sliders after one moves. A leader's saliences must sum to one, so moving one scales
    the leader's other saliences to share what is left, in proportion to where they stood."""
    out = {**fixed, path: float(value)}
    parts = path.split(".")
    if parts[0] != "leaders" or parts[2] != "salience":
        return out
    prefix = ".".join(parts[:3]) + "."
    others = [c for c in items if c.path.startswith(prefix) and c.path != path]
    current = {c.path: fixed.get(c.path, c.default) for c in others}
    total, left = sum(current.values()), max(0.0, 1.0 - float(value))
    for c in others:
        out[c.path] = left * current[c.path] / total if total > 0 else left / len(others)
    return out


def groups(items: list[Control]) -> dict[str, list[Control]]:
    """Controls by actor, in the order the file declares them."""
    out: dict[str, list[Control]] = {}
    for c in items:
        out.setdefault(c.group, []).append(c)
    return out


def changed_scenario(scenario: Scenario, fixed: dict[str, float], variants: list[str]) -> Scenario:
    """The scenario with the chosen variants applied and the moved sliders fixed."""
    from sim.api import load

    for v in variants:
        scenario = load(scenario, variant=v)
    return load(scenario, {p: float(v) for p, v in fixed.items()}) if fixed else scenario


def as_scenario_file(scenario: Scenario, fixed: dict[str, float], variants: list[str], name: str) -> str:
    """The app's settings as a scenario file: the file's variants applied, every moved slider fixed
    (its source kept, marked as set in the app), renamed so that it never replaces the original."""
    changed = changed_scenario(scenario, fixed, variants)
    document = changed.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    document["name"] = name
    for path in fixed:
        node = document
        for part in path.split("."):
            node = node[part]
        key = node["source"].split(":", 1)[0]
        node["source"] = f"{key}: set in the classroom app (the file's own source: {key})"
    document.pop("variants", None)
    head = (f"# {scenario.title}: settings from the summit classroom app.\n"
            f"# Run it with: summit run {name}.yaml\n")
    return head + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
