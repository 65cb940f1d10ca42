"""Every parameter of a scenario as a reader writes it, with its source: for 'summit show', reports
and the app. Light to import: it needs the schema, not the engine."""

from __future__ import annotations

from pydantic import BaseModel

from sim.defaults import SUPPLIED
from sim.schema import Scenario
from sim.spec import compile_scenario


def shown_param(d: dict) -> str:
    """A parameter as a reader writes it: a number, or its distribution."""
    if d.get("value") is not None:
        return f"{d['value']:g}"
    if d.get("uniform") is not None:
        return f"U({d['uniform'][0]:g}, {d['uniform'][1]:g})"
    if d.get("beta") is not None:
        return f"beta(mean {d['beta']['mean']:g}, sd {d['beta']['sd']:g})"
    n = d["normal"]
    return f"N({n['mean']:g}, {n['sd']:g})"


def parameters(sc: Scenario) -> list[tuple[str, str, str]]:
    """Every numeric parameter of a scenario: its path, its value or distribution, its source. A
    parameter the model supplies where the file is silent (``sim.defaults.SUPPLIED``) carries the model's."""
    dumped = sc.model_dump()
    rows = []
    for path, drawn in compile_scenario(sc).draws.items():
        node = value_at(dumped, path)
        if node is None:
            rows.append((path, f"{drawn.value:g}", SUPPLIED[path].source))
        else:
            rows.append((path, shown_param(node), node["source"]))
    return rows


def ranges(sc: Scenario) -> dict[str, str]:
    """Each parameter's value or distribution as the file writes it, by path."""
    return {path: shown for path, shown, _ in parameters(sc)}


def choices(sc: Scenario) -> list[tuple[str, str, str | None]]:
    """Every choice that is not a number (a tactic, who opens, a mandate, a sanctions issue...) that
    the file makes: its path, its value, and its ``<field>_source`` (None where the file gives none).
    A field with a default is listed only where the file departs from it."""
    places: list[tuple[str, BaseModel]] = [("protocol", sc.protocol)]
    places += [(f"leaders.{k}", v) for k, v in sc.leaders.items()]
    places += [(f"mediators.{k}", v) for k, v in sc.mediators.items()]
    rows = []
    for prefix, model in places:
        fields = type(model).model_fields
        for name, field in fields.items():
            if f"{name}_source" not in fields:
                continue
            value = getattr(model, name)
            if field.is_required() or value != field.default:
                shown = ", ".join(value) if isinstance(value, list) else str(value)
                rows.append((f"{prefix}.{name}", shown, getattr(model, f"{name}_source")))
    return rows


def assumed(sc: Scenario) -> list[tuple[str, str, str]]:
    """What the model assumes where a file is silent and the assumption moves outcomes:
    - a leader with no ``max_concession`` on an issue may trade it, however far, for issues it
      weighs more (its ``resolve`` claims a share of the whole surplus, not of any one issue), so
      an issue the record shows was off the table is traded away unless the file says so
      (Moscow 1974 and Woodside 2023 were written without, docs/validation.md);
    - a legislature with no ideal on an issue it ratifies shares its leader's ideal there (change
      23 of docs/model.md), so it binds only on what its leader gives away; a chamber that opposed
      its government's aim needs its ideal written.
    - every parameter the model supplies where the file leaves it out (``sim.defaults.SUPPLIED``:
      a leader weighs a loss against the status quo about twice as much as a gain);
    - where the file does not say how agreements are signed, talks that agree no text over every
      issue end in a partial deal, issue by issue (sim.partial_deals), unless a package ties them.
    Each row: the path a file would set, the value assumed, and why."""
    dumped = sc.model_dump()
    rows = [(path, f"{supplied.value:g}", supplied.meaning) for path, supplied in SUPPLIED.items()
            if value_at(dumped, path) is None]
    if "agreements" not in sc.protocol.model_fields_set and len(sc.issues) > 1:
        rows.append(("protocol.agreements", "in_parts",
                     "not given: talks that agree no text over every issue end with the leaders signing, issue "
                     "by issue, what each would sign (sim.partial_deals); issues that stood or fell together "
                     "belong in a package, and 'whole' with a source keeps one text"))
    for key, leader in sc.leaders.items():
        open_issues = [issue for issue in sc.issues if issue not in leader.max_concession]
        if open_issues:
            rows.append((f"leaders.{key}.max_concession", f"none on {len(open_issues)} of {len(sc.issues)}",
                         f"not given on {', '.join(open_issues)}: tradeable for what the leader weighs more; "
                         "0 keeps an issue at the status quo where the record says it was off the table"))
    for key, issue in silent_chambers(sc):
        leader = sc.leaders[sc.legislatures[key].of]
        rows.append((f"legislatures.{key}.ideal.{issue}", "its leader's",
                     f"not given: the chamber is taken to want what {leader.name} wants here "
                     f"({shown_param(leader.ideal[issue].model_dump())}), and passes a text at most its tolerance "
                     "worse than the status quo by that ideal; write its ideal where the record shows it wanted "
                     "otherwise"))
    return rows


def silent_chambers(sc: Scenario) -> list[tuple[str, str]]:
    """(legislature, issue) where a chamber ratifies the issue but the file gives it no ideal there."""
    return [(key, issue) for key, chamber in sc.legislatures.items() for issue, spec in sc.issues.items()
            if key in spec.ratified_by and issue not in chamber.ideal]


def value_at(dumped: dict, path: str):
    """The node at dotted ``path`` of a dumped scenario, or None where the file leaves it out."""
    node = dumped
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node
