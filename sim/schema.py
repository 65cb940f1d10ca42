"""The scenario format: what a summit file may say, checked before anything runs.

Every numeric parameter is a :class:`Param` - a fixed ``value`` or a distribution - and carries
its ``source``: a key from the scenario's ``sources`` table and a paraphrase of what that source
says, so that every number in a replay can be traced to an article or a historical record.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from sim.distributions import Beta, Distribution, Fixed, TruncatedNormal, Uniform

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=40)]
SALIENCE_TOLERANCE = 1e-6
MEAN_SALIENCE_TOLERANCE = 0.02


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BetaSpec(_Strict):
    mean: float = Field(gt=0, lt=1)
    sd: float = Field(gt=0)

    @model_validator(mode="after")
    def _feasible(self) -> BetaSpec:
        if self.sd**2 >= self.mean * (1 - self.mean):
            limit = math.sqrt(self.mean * (1 - self.mean))
            raise ValueError(f"a beta with mean {self.mean} needs sd below {limit:.4g}")
        return self


class NormalSpec(_Strict):
    mean: float
    sd: float = Field(gt=0)
    low: float | None = None
    high: float | None = None


class Param(_Strict):
    """A number, or a distribution each replay draws from; always with its source."""

    value: float | None = None
    uniform: tuple[float, float] | None = None
    beta: BetaSpec | None = None
    normal: NormalSpec | None = None
    source: str = Field(min_length=8)

    @model_validator(mode="after")
    def _exactly_one(self) -> Param:
        given = [k for k in ("value", "uniform", "beta", "normal") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of value, uniform, beta or normal"
                + (f" (got {', '.join(given)})" if given else "")
            )
        if self.uniform is not None and not self.uniform[0] <= self.uniform[1]:
            raise ValueError(f"uniform needs low <= high, got {list(self.uniform)}")
        if self.value is not None and not math.isfinite(self.value):
            raise ValueError("value must be a finite number")
        return self

    def distribution(self, low: float = -math.inf, high: float = math.inf) -> Distribution:
        if self.value is not None:
            return Fixed(self.value)
        if self.uniform is not None:
            return Uniform(*self.uniform)
        if self.beta is not None:
            return Beta(self.beta.mean, self.beta.sd)
        n = self.normal
        lo = low if n.low is None else n.low
        hi = high if n.high is None else n.high
        return TruncatedNormal(n.mean, n.sd, lo, hi)

    def support(self) -> tuple[float, float]:
        """The smallest and largest value this parameter can take."""
        if self.value is not None:
            return self.value, self.value
        if self.uniform is not None:
            return self.uniform
        if self.beta is not None:
            return 0.0, 1.0
        return (
            -math.inf if self.normal.low is None else self.normal.low,
            math.inf if self.normal.high is None else self.normal.high,
        )

    @property
    def mean(self) -> float:
        return self.distribution().mean


def _bounded(low: float, high: float, what: str):
    def check(p: Param) -> Param:
        lo, hi = p.support()
        if p.normal is not None and (p.normal.low is None or p.normal.high is None):
            lo = low if p.normal.low is None else lo
            hi = high if p.normal.high is None else hi
        if lo < low or hi > high:
            raise ValueError(f"{what} must lie in [{low:g}, {high:g}]; this one can reach [{lo:g}, {hi:g}]")
        return p

    return AfterValidator(check)


Unit = Annotated[Param, _bounded(0.0, 1.0, "a value on the 0..1 scale")]
Probability = Annotated[Param, _bounded(0.0, 1.0, "a probability")]
Positive = Annotated[Param, _bounded(0.0, math.inf, "a non-negative value")]
Patience = Annotated[Param, _bounded(0.0, 1.0, "a per-round discount factor")]
Signed = Annotated[Param, _bounded(-1.0, 1.0, "a value in -1..1")]
IssueMap = dict[Id, Unit]
_NOT_NUMERIC = ("name", "serves", "bloc", "of", "tactic", "in_room", "sanctions_issue")

TACTICS = ("boulware", "conceder", "linear", "tit_for_tat", "two_part", "rational")


class Issue(_Strict):
    label: str
    status_quo: Unit
    ratified_by: list[Id] = []
    touches: list[Id] = []
    symbolic: bool = False
    note: str = ""


class Leader(_Strict):
    name: str
    tactic: Literal[TACTICS]  # type: ignore[valid-type]
    ideal: IssueMap
    salience: IssueMap
    max_concession: IssueMap = {}
    status_value: Positive
    meeting_cost: Positive
    preparation: Unit
    persuasion: Unit
    flattery_susceptibility: Unit
    resolve: Unit
    credibility: Unit
    narrative_control: Unit
    audience_cost: Positive
    consultation: Unit
    rival_fracture_value: Positive
    patience: Patience
    reciprocity: Positive | None = None
    sanctions_issue: Id | None = None
    threat: Unit | None = None
    disagreement_utility: Param | None = None


class Adviser(_Strict):
    name: str
    serves: Id
    ideal: IssueMap = {}
    influence: Unit
    briefing: Unit
    in_room: bool


class Ally(_Strict):
    name: str
    bloc: Id
    interest: IssueMap = {}
    cohesion: Unit
    weight: Positive
    wariness: Unit


class Legislature(_Strict):
    name: str
    of: Id
    ideal: IssueMap = {}
    tolerance: Signed
    noise: Positive
    hostility: Unit
    backlash: Unit


class Effect(_Strict):
    target: str = Field(pattern=r"^(leaders|advisers|allies|legislatures)\.[a-z0-9_-]+\.[a-z_]+(\.[a-z0-9_-]+)?$")
    add: float | None = None
    scale: float | None = None
    set: float | None = None

    @model_validator(mode="after")
    def _one_op(self) -> Effect:
        ops = [k for k in ("add", "scale", "set") if getattr(self, k) is not None]
        if len(ops) != 1:
            raise ValueError("an effect gives exactly one of add, scale or set")
        return self


class Event(_Strict):
    label: str
    when: Literal["pre", "post"] | Annotated[int, Field(ge=1)]
    probability: Probability
    effects: list[Effect] = Field(min_length=1)


class Protocol(_Strict):
    rounds: int = Field(ge=1, le=200)
    rounds_source: str = Field(min_length=8)
    first_proposer: Id
    perception_noise: Positive
    joint_statement: Probability
    ratification_failure_cost: Positive
    backlash_cost: Positive
    sanctions_ally_share: Unit
    firmness_reward: Positive


class Scenario(_Strict):
    name: Id
    title: str
    year: int
    description: str = Field(max_length=200)
    sources: dict[Id, str] = Field(min_length=1)
    protocol: Protocol
    issues: dict[Id, Issue] = Field(min_length=1)
    leaders: dict[Id, Leader]
    advisers: dict[Id, Adviser] = {}
    allies: dict[Id, Ally] = {}
    legislatures: dict[Id, Legislature] = {}
    events: dict[Id, Event] = {}

    @field_validator("leaders")
    @classmethod
    def _bilateral(cls, v: dict) -> dict:
        if len(v) != 2:
            raise ValueError(f"the engine negotiates between exactly two leaders; got {len(v)}")
        return v

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        problems = list(self._reference_problems())
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _reference_problems(self):
        issues, leaders = set(self.issues), set(self.leaders)

        def unknown(where: str, names, known: set, kind: str):
            for n in names:
                if n not in known:
                    yield f"{where} names unknown {kind} '{n}' (known: {', '.join(sorted(known)) or 'none'})"

        yield from unknown("protocol.first_proposer", [self.protocol.first_proposer], leaders, "leader")
        for k, issue in self.issues.items():
            yield from unknown(f"issues.{k}.ratified_by", issue.ratified_by, set(self.legislatures), "legislature")
            yield from unknown(f"issues.{k}.touches", issue.touches, set(self.allies), "ally")
        for lid, leader in self.leaders.items():
            for field in ("ideal", "salience", "max_concession"):
                yield from unknown(f"leaders.{lid}.{field}", getattr(leader, field), issues, "issue")
            if leader.sanctions_issue is not None:
                yield from unknown(f"leaders.{lid}.sanctions_issue", [leader.sanctions_issue], issues, "issue")
            if leader.tactic == "two_part" and (leader.threat is None or leader.sanctions_issue is None):
                yield f"leaders.{lid}: the two_part tactic needs a threat and a sanctions_issue"
            total = sum(p.mean for p in leader.salience.values())
            fixed = all(p.value is not None for p in leader.salience.values())
            tol = SALIENCE_TOLERANCE if fixed else MEAN_SALIENCE_TOLERANCE
            if abs(total - 1.0) > tol:
                kind = "saliences" if fixed else "mean saliences"
                yield f"leaders.{lid}.salience: the {kind} must sum to 1 (they sum to {total:.6g})"
        for group, owner_field, known in (
            ("advisers", "serves", leaders),
            ("allies", "bloc", leaders),
            ("legislatures", "of", leaders),
        ):
            for aid, agent in getattr(self, group).items():
                yield from unknown(f"{group}.{aid}.{owner_field}", [getattr(agent, owner_field)], known, "leader")
                vec = "interest" if group == "allies" else "ideal"
                yield from unknown(f"{group}.{aid}.{vec}", getattr(agent, vec), issues, "issue")
        for eid, event in self.events.items():
            for i, effect in enumerate(event.effects):
                problem = self._target_problem(effect.target)
                if problem:
                    yield f"events.{eid}.effects.{i}.target: {problem}"
            if isinstance(event.when, int) and event.when > self.protocol.rounds:
                yield f"events.{eid}.when: round {event.when} is after the last round ({self.protocol.rounds})"

    def _target_problem(self, target: str) -> str | None:
        parts = target.split(".")
        group, ident, attr = parts[0], parts[1], parts[2]
        table = getattr(self, group)
        if ident not in table:
            return f"'{target}' names unknown {group[:-1]} '{ident}'"
        model = type(table[ident])
        if attr not in model.model_fields or attr in _NOT_NUMERIC:
            numeric = [f for f in model.model_fields if f not in _NOT_NUMERIC]
            return f"'{target}': {group[:-1]}s have no numeric attribute '{attr}' (allowed: {', '.join(numeric)})"
        is_map = attr in ("ideal", "salience", "max_concession", "interest")
        if is_map and len(parts) != 4:
            return f"'{target}': '{attr}' is per issue; write {group}.{ident}.{attr}.<issue>"
        if is_map and parts[3] not in self.issues:
            return f"'{target}' names unknown issue '{parts[3]}'"
        if not is_map and len(parts) != 3:
            return f"'{target}': '{attr}' is one number, not per issue"
        return None

    @model_validator(mode="after")
    def _sources_known(self) -> Scenario:
        bad = sorted({p for p in _param_sources(self) if p.split(":", 1)[0].strip() not in self.sources})
        if bad:
            raise ValueError(
                "every source must start with a key of the 'sources' table and a colon "
                f"(keys: {', '.join(sorted(self.sources))}); these do not: " + "; ".join(f"'{b[:60]}'" for b in bad[:5])
            )
        return self


def _param_sources(node) -> list[str]:
    if isinstance(node, Param):
        return [node.source]
    if isinstance(node, Protocol):
        return [node.rounds_source] + [s for f in type(node).model_fields for s in _param_sources(getattr(node, f))]
    if isinstance(node, BaseModel):
        return [s for f in type(node).model_fields for s in _param_sources(getattr(node, f))]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _param_sources(v)]
    if isinstance(node, list):
        return [s for v in node for s in _param_sources(v)]
    return []
