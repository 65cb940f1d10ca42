"""Names a reader understands for a sweep's columns: 'P(Vladimir Putin ahead)' rather than
'p_ahead.ru', "Donald Trump's preparation" rather than 'leaders.us.preparation'. The names come
from the scenario documents the sweep ran on; a key that means different things in different
scenarios keeps its key."""

from __future__ import annotations

from collections.abc import Callable

from sim.verdict import EQUIVALENCE

PARTS = {"substantive": "substantive gain", "status": "status gain", "domestic": "domestic gain",
         "alliance": "alliance gain"}
SUFFIXES = {"given_deal": "given a deal", "sd": "sd over replicates"}


def namer(documents: dict[str, dict]) -> Callable[[str], str]:
    """A function from a sweep's column or factor path to its label."""
    names: dict[tuple[str, str], set[str]] = {}
    seatings: set[tuple[str, ...]] = set()
    for doc in documents.values():
        for block, field in (("leaders", "name"), ("legislatures", "name"), ("allies", "name"),
                             ("advisers", "name"), ("mediators", "name"), ("issues", "label"), ("events", "label")):
            for key, entry in (doc.get(block) or {}).items():
                if isinstance(entry, dict) and entry.get(field):
                    names.setdefault((block, key), set()).add(str(entry[field]))
        seatings.add(tuple(doc.get("leaders") or {}))

    def name(block: str, key: str) -> str:
        found = names.get((block, key), set())
        return next(iter(found)) if len(found) == 1 else key

    def leader_of(key: str) -> str:
        return name("leaders", key)

    def label(column: str) -> str:
        base, _, suffix = column.rpartition(".") if column.rsplit(".", 1)[-1] in SUFFIXES else (column, "", "")
        text = _outcome(base, leader_of, name, seatings) or _factor(base, name)
        return f"{text}, {SUFFIXES[suffix]}" if suffix else text

    return label


def _outcome(column: str, leader_of, name, seatings: set[tuple[str, ...]]) -> str | None:
    head, _, key = column.partition(".")
    if head == "p_ahead":
        return f"P({leader_of(key)} ahead by > {EQUIVALENCE:z.2f})"
    if column == "p_even":
        return f"P(even: no one ahead by > {EQUIVALENCE:z.2f})"
    if head == "gain":
        return f"{leader_of(key)}'s net gain"
    if head in PARTS:
        return f"{leader_of(key)}'s {PARTS[head]}"
    if column == "margin":  # the first leader's gain less the best of the others' (scoring.margin_of)
        seating = next(iter(seatings)) if len(seatings) == 1 else ()
        if len(seating) == 2:
            return f"{leader_of(seating[0])}'s margin over {leader_of(seating[1])}"
        return f"{leader_of(seating[0])}'s margin over the best other" if seating else "the first leader's margin"
    if column in ("deal", "held"):
        return "P(deal)" if column == "deal" else "P(meeting held)"
    if column == "deal_round":
        return "round of the deal"
    if head == "ratified":
        return f"P({name('legislatures', key)} ratifies)"
    if head in ("cohesion", "cohesion_change"):
        return f"{name('allies', key)}'s cohesion{' change' if head == 'cohesion_change' else ''}"
    if head in ("agreed", "final"):
        return f"{name('issues', key)}, {'as agreed' if head == 'agreed' else 'outcome'}"
    return None


ISSUE_FIELDS = {"ideal": "ideal on", "salience": "weight on", "max_concession": "ceiling on",
                "interest": "interest in"}


def _factor(path: str, name) -> str:
    parts = path.split(".")
    if len(parts) == 3 and parts[0] == "events" and parts[2] == "probability" and name("events", parts[1]) != parts[1]:
        return f"chance of: {name('events', parts[1])}"
    if len(parts) == 2 and parts[0] == "protocol":
        return f"{parts[1].replace('_', ' ')} (protocol)"
    if len(parts) >= 3 and name(parts[0], parts[1]) != parts[1]:   # a named actor's or issue's own parameter
        owner, field = name(parts[0], parts[1]), parts[2].replace("_", " ")
        if parts[0] == "issues" and len(parts) == 3:
            return f"{owner}: {field}"
        if len(parts) == 3:
            return f"{owner}'s {field}"
        if len(parts) == 4 and parts[2] in ISSUE_FIELDS and name("issues", parts[3]) != parts[3]:
            return f"{owner}'s {ISSUE_FIELDS[parts[2]]} {name('issues', parts[3])}"
    return path


def for_spec(spec) -> Callable[[str], str]:
    """``namer`` for one compiled scenario (sim.spec.Spec): the names its file gives."""
    blocks = {block: {k: {"name": v.get("name", k)} for k, v in getattr(spec, block).items()}
              for block in ("leaders", "allies", "legislatures", "advisers", "mediators")}
    issues = {k: {"label": label} for k, label in zip(spec.issues, spec.issue_labels, strict=True)}
    events = {e.key: {"label": e.label} for e in spec.events}
    return namer({spec.name: {**blocks, "issues": issues, "events": events}})
