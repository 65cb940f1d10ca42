"""Compile a validated scenario into plain data the engine runs on, and draw its parameters.

The engine never sees YAML or pydantic: it gets a :class:`Spec` (structure plus one distribution
per numeric parameter, addressed by its path) and per-run arrays drawn from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim import rng
from sim.defaults import SUPPLIED
from sim.distributions import Distribution, Fixed
from sim.schema import Param, Scenario, natural_bounds

VECTOR_FIELDS = ("ideal", "salience", "max_concession", "interest", "red_lines")


@dataclass(frozen=True)
class EffectSpec:
    group: str
    ident: str
    attr: str
    issue: int | None
    op: str
    value: float | str          # a number, or the path of its per-run draw (a distribution)


@dataclass(frozen=True)
class EventSpec:
    key: str
    label: str
    when: str | int
    effects: tuple[EffectSpec, ...]
    replaces: tuple[str, str | None, str] | None = None   # (leader, the successor's tactic or None, its name)

    @property
    def leaders_changed(self) -> tuple[str, ...]:
        """The leaders this event changes, who must plan again when it fires at the table."""
        keys = {e.ident for e in self.effects if e.group == "leaders"}
        return tuple(sorted(keys | ({self.replaces[0]} if self.replaces else set())))


@dataclass(frozen=True)
class Spec:
    name: str
    title: str
    issues: tuple[str, ...]
    issue_labels: tuple[str, ...]
    issue_notes: tuple[str, ...]    # what 0 and 1 mean on each issue's scale
    mandate: str                     # sign, or talks: a meeting that signs nothing
    packages: tuple[np.ndarray, ...]  # issue masks agreed together or not at all
    learning: bool                   # leaders revise their beliefs from the others' offers
    walkouts: bool                   # a leader may leave the table before the deadline
    partial_deals: bool              # at the close, the leaders may sign issue by issue (sim.partial_deals)
    symbolic: np.ndarray
    rounds: int
    first_proposer: str
    turns: tuple[str, ...]           # the others' order after the first proposer, where sourced (sim.seating)
    leaders: dict[str, dict]
    advisers: dict[str, dict]
    allies: dict[str, dict]
    legislatures: dict[str, dict]
    mediators: dict[str, dict]
    events: tuple[EventSpec, ...]
    draws: dict[str, Distribution] = field(repr=False)

    @property
    def leader_names(self) -> dict[str, str]:
        """Each leader's key and the name a reader sees."""
        return {k: v["name"] for k, v in self.leaders.items()}

    @property
    def signing(self) -> bool:
        """Whether the meeting may sign a deal; a talks meeting exchanges offers and signs nothing."""
        return self.mandate == "sign"

    @property
    def random_paths(self) -> list[str]:
        return [p for p, d in self.draws.items() if not isinstance(d, Fixed)]


def compile_scenario(sc: Scenario) -> Spec:
    issues = tuple(sc.issues)
    index = {k: i for i, k in enumerate(issues)}
    draws: dict[str, Distribution] = {}

    def add(path: str, param: Param | None, low: float = -np.inf, high: float = np.inf) -> None:
        if param is not None:
            draws[path] = param.distribution(low, high)

    def add_model(prefix: str, model) -> None:
        for name in type(model).model_fields:
            value = getattr(model, name)
            if name in VECTOR_FIELDS:
                for issue, p in value.items():
                    add(f"{prefix}.{name}.{issue}", p, 0.0, 1.0)
            elif isinstance(value, Param):
                add(f"{prefix}.{name}", value, *natural_bounds(name))

    for k, issue in sc.issues.items():
        add(f"issues.{k}.status_quo", issue.status_quo, 0.0, 1.0)
    for group in ("leaders", "advisers", "allies", "legislatures", "mediators"):
        for ident, model in getattr(sc, group).items():
            add_model(f"{group}.{ident}", model)
    for name in type(sc.protocol).model_fields:
        value = getattr(sc.protocol, name)
        if isinstance(value, Param):
            add(f"protocol.{name}", value, *natural_bounds(name))
    for path, supplied in SUPPLIED.items():  # the model's value where the file is silent
        draws.setdefault(path, Fixed(supplied.value))
    for issue, param in sc.protocol.draft.items():
        add(f"protocol.draft.{issue}", param, 0.0, 1.0)
    for mid, mediator in sc.mediators.items():
        for lid, param in mediator.payments.items():
            add(f"mediators.{mid}.payments.{lid}", param, *natural_bounds("leverage"))
        for lid, param in mediator.persuasion.items():
            add(f"mediators.{mid}.persuasion.{lid}", param, 0.0, 1.0)
    for eid, event in sc.events.items():
        add(f"events.{eid}.probability", event.probability, 0.0, 1.0)
        for i, e in enumerate(event.effects):
            op = next(o for o in ("add", "scale", "set") if getattr(e, o) is not None)
            if isinstance(getattr(e, op), Param):
                add(f"events.{eid}.effects.{i}.{op}", getattr(e, op), *_effect_bounds(e.target, op))

    def mask(names) -> np.ndarray:
        m = np.zeros(len(issues), dtype=bool)
        m[[index[n] for n in names]] = True
        return m

    events = []
    for eid, event in sc.events.items():
        effects = []
        for e in event.effects:
            parts = e.target.split(".")
            op = next(o for o in ("add", "scale", "set") if getattr(e, o) is not None)
            value = getattr(e, op)
            value = f"events.{eid}.effects.{len(effects)}.{op}" if isinstance(value, Param) else value
            effects.append(EffectSpec(parts[0], parts[1], parts[2],
                                      index[parts[3]] if len(parts) == 4 else None, op, value))
        replaces = None if event.replaces is None else (event.replaces.leader, event.replaces.tactic,
                                                        event.replaces.name)
        events.append(EventSpec(eid, event.label, event.when, tuple(effects), replaces))

    return Spec(
        name=sc.name,
        title=sc.title,
        issues=issues,
        issue_labels=tuple(i.label for i in sc.issues.values()),
        issue_notes=tuple(i.note for i in sc.issues.values()),
        symbolic=mask(k for k, i in sc.issues.items() if i.symbolic),
        rounds=sc.protocol.rounds,
        first_proposer=sc.protocol.first_proposer,
        turns=tuple(sc.protocol.turns),
        leaders={k: {"name": seat_name(v.name, k, sc.events, draws), "holder": v.name, "tactic": v.tactic,
                     "sanctions_issue": None if v.sanctions_issue is None else index[v.sanctions_issue],
                     "requires": mask(v.requires), "threat_if": v.threat_if, "side": v.side or k}
                 for k, v in sc.leaders.items()},
        mandate=sc.protocol.mandate,
        packages=tuple(mask(p.issues) for p in sc.protocol.packages.values()),
        learning=sc.protocol.learning == "offers",
        walkouts=sc.protocol.walkouts == "allowed",
        partial_deals=sc.protocol.agreements == "in_parts",
        advisers={k: {"name": v.name, "serves": v.serves, "in_room": v.in_room} for k, v in sc.advisers.items()},
        allies={k: {"name": v.name, "bloc": v.bloc,
                    "touches": mask(i for i, iss in sc.issues.items() if k in iss.touches)}
                for k, v in sc.allies.items()},
        legislatures={k: {"name": v.name, "of": v.of,
                          "ratifies": mask(i for i, iss in sc.issues.items() if k in iss.ratified_by)}
                      for k, v in sc.legislatures.items()},
        mediators={k: {"name": v.name, "leans_to": v.leans_to, "drafting": v.drafting}
                   for k, v in sc.mediators.items()},
        events=tuple(events),
        draws=draws,
    )


def holders(spec: Spec, fired: dict[str, bool | np.ndarray], at: int) -> dict[str, str]:
    """Who sits in each seat at round ``at`` of one replay (0: before the summit), given which of
    its events fired (a flag, or the one-run array a traced replay keeps): the file's leader, or
    a successor whose event has come. The story of a replay names the leader who speaks; its
    gains, the seat's, keep ``seat_name``."""
    names = {k: v["holder"] for k, v in spec.leaders.items()}
    for event in spec.events:
        come = event.when == "pre" or (isinstance(event.when, int) and event.when <= at)
        if event.replaces and np.any(fired.get(event.key, False)) and come:
            names[event.replaces[0]] = event.replaces[2]
    return names


def seat_name(name: str, leader: str, events: dict, draws: dict[str, Distribution]) -> str:
    """The name a reader sees for a seat that an event may give to a successor (``replaces``):
    "Winston Churchill, then Clement Attlee" where the event is certain at a round, the
    successor's alone where it is certain before the summit, "A, or from round N B" and "A or B"
    where it may not fire. Reports, figures and the app name the seat, and its gains are
    the seat's over the whole summit: under the first leader's name alone, Potsdam's British
    seat was "Winston Churchill" in every line though Attlee held it for the last third."""
    for eid, event in events.items():
        if event.replaces is None or event.replaces.leader != leader:
            continue
        chance = draws[f"events.{eid}.probability"]
        if isinstance(chance, Fixed) and chance.value == 0.0:
            continue
        certain = isinstance(chance, Fixed) and chance.value == 1.0
        successor = event.replaces.name
        if event.when == "pre":
            name = successor if certain else f"{name} or {successor}"
        else:
            name = f"{name}, then {successor}" if certain else f"{name}, or from round {event.when} {successor}"
    return name


def _effect_bounds(target: str, op: str) -> tuple[float, float]:
    """Where a drawn effect lives: a set value in its attribute's range, an addition no wider than
    that range, a scale factor from 0 to 100."""
    low, high = natural_bounds(target.split(".")[2])
    return {"set": (low, high), "add": (low - high, high - low), "scale": (0.0, 100.0)}[op]


def draw(spec: Spec, streams: rng.Streams, overrides: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Every parameter's value in every run, by path; random ones from one Philox call. Each
    parameter has its own key, so fixing some (``overrides``) leaves the draws of the rest alone."""
    runs = len(streams.run_ids)
    overrides = overrides or {}
    unknown = sorted(set(overrides) - set(spec.draws))
    if unknown:
        raise ValueError(f"overrides name parameters the scenario does not have: {', '.join(unknown)}")
    fixed = [(p, d.value) for p, d in spec.draws.items() if isinstance(d, Fixed) and p not in overrides]
    block = np.empty((len(fixed), runs))  # one allocation, a row per parameter: readers copy what they change
    block[:] = np.array([v for _, v in fixed], dtype=float)[:, None]
    values = dict(zip((p for p, _ in fixed), block, strict=True))
    values.update({p: np.broadcast_to(np.asarray(v, dtype=float), (runs,)).copy() for p, v in overrides.items()})
    random_paths = [p for p in spec.random_paths if p not in overrides]
    if random_paths:
        keys = np.array([rng.path_key(p) for p in random_paths], dtype=np.uint64)
        u = streams.uniforms(rng.PARAMETERS, keys)
        for j, path in enumerate(random_paths):
            values[path] = spec.draws[path].quantile(u[:, j])
    return values


def vector(values: dict[str, np.ndarray], prefix: str, issues: tuple[str, ...], runs: int) -> np.ndarray:
    """Stack a per-issue parameter into an issue-major array; issues the file leaves out are NaN."""
    out = np.full((len(issues), runs), np.nan)
    for i, issue in enumerate(issues):
        column = values.get(f"{prefix}.{issue}")
        if column is not None:
            out[i] = column
    return out
