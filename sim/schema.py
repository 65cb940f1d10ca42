"""The scenario format: what a summit file may say, checked before anything runs.

Every numeric parameter is a :class:`Param` - a fixed ``value`` or a distribution - and carries
its ``source``: a key from the scenario's ``sources`` table and a paraphrase of what that source
says, so that every number in a replay can be traced to an article or a historical record.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from sim.defaults import TACTICS
from sim.distributions import Beta, Distribution, Fixed, TruncatedNormal, Uniform

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=40)]
SALIENCE_TOLERANCE = 1e-6
MEAN_SALIENCE_TOLERANCE = 0.02


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


SCALE_MAX = 10.0  # a cost or value of ten times a leader's whole stakes is past any summit
CAPABILITY_MAX = 1e6
SCALE_TERMS = ("meeting_cost", "status_value", "audience_cost", "rival_fracture_value", "weight", "noise",
               "reciprocity", "perception_noise", "ratification_failure_cost", "backlash_cost", "firmness_reward",
               "leverage")
BOUNDS = {**{name: (0.0, SCALE_MAX) for name in SCALE_TERMS}, "capability": (0.0, CAPABILITY_MAX),
          "tolerance": (-1.0, 1.0), "disagreement_utility": (-SCALE_MAX, SCALE_MAX), "loss_aversion": (1.0, 10.0)}


def path_bounds(path: str) -> tuple[float, float]:
    """The range the parameter at ``path`` lives in (its field name decides): 'leaders.us.ideal.x'
    is an ideal, 'protocol.backlash_cost' a cost."""
    parts = path.split(".")
    groups = ("leaders", "advisers", "allies", "legislatures", "mediators")
    return natural_bounds(parts[2] if parts[0] in groups and len(parts) > 2 else parts[-1])


def natural_bounds(name: str) -> tuple[float, float]:
    """The range a parameter lives in: what the schema allows, where truncated normals stop and
    where event effects are clipped. Every other parameter lives on the 0..1 scale."""
    return BOUNDS.get(name, (0.0, 1.0))


class BetaSpec(_Strict):
    mean: float = Field(gt=0, lt=1, description="the mean, strictly between 0 and 1")
    sd: float = Field(gt=0, description="the standard deviation, below sqrt(mean x (1 - mean))")

    @model_validator(mode="after")
    def _feasible(self) -> BetaSpec:
        limit = math.sqrt(self.mean * (1 - self.mean))
        if not self.sd < limit:  # compared unsquared: a huge sd squared overflows
            raise ValueError(f"a beta with mean {self.mean} needs sd below {limit:.4g}")
        return self


class NormalSpec(_Strict):
    mean: float = Field(description="the mean")
    sd: float = Field(gt=0, description="the standard deviation")
    low: float | None = Field(
        default=None, description="where the normal is cut off below (default: the lower end of the field's range)")
    high: float | None = Field(
        default=None, description="where the normal is cut off above (default: the upper end of the field's range)")

    @model_validator(mode="after")
    def _ordered(self) -> NormalSpec:
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError(f"a truncated normal needs low < high, got low {self.low} and high {self.high}")
        return self


class Param(_Strict):
    """A number, or a distribution each replay draws from; always with its source."""

    value: float | None = Field(default=None, description="a fixed number, the same in every replay")
    uniform: tuple[float, float] | None = Field(
        default=None, description="[low, high]: every replay draws anew, evenly, from this range")
    beta: BetaSpec | None = Field(
        default=None, description="every replay draws anew from a beta distribution on 0..1, given by its mean and sd")
    normal: NormalSpec | None = Field(
        default=None, description="every replay draws anew from a normal distribution, given by mean and sd, cut off "
                                  "at low and high")
    source: str = Field(
        min_length=8, description="which record says so: a key of the sources table, a colon, and your own paraphrase")

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
            reach = f"this one is {lo:g}" if lo == hi else f"this one can reach [{lo:g}, {hi:g}]"
            raise ValueError(f"{what} must lie in [{low:g}, {high:g}]; {reach}")
        return p

    return AfterValidator(check)


Unit = Annotated[Param, _bounded(0.0, 1.0, "a value on the 0..1 scale")]
Probability = Annotated[Param, _bounded(0.0, 1.0, "a probability")]
Positive = Annotated[Param, _bounded(0.0, SCALE_MAX, "a non-negative value on the common scale")]
Capability = Annotated[Param, _bounded(0.0, CAPABILITY_MAX, "a capability weight")]
Walkaway = Annotated[Param, _bounded(-SCALE_MAX, SCALE_MAX, "a walk-away value on the common scale")]
Patience = Annotated[Param, _bounded(0.0, 1.0, "a per-round discount factor")]
Signed = Annotated[Param, _bounded(-1.0, 1.0, "a value in -1..1")]
Aversion = Annotated[Param, _bounded(1.0, 10.0, "a loss-aversion coefficient (1: losses weigh as gains do)")]
IssueMap = dict[Id, Unit]
_NOT_NUMERIC = ("name", "serves", "bloc", "of", "tactic", "in_room", "sanctions_issue", "sanctions_issue_source",
                "threat_if", "threat_if_source", "requires", "requires_source", "side", "side_source", "leans_to",
                "leans_to_source", "payments", "persuasion", "drafting", "drafting_source")

MAX_LEADERS = 8


class Issue(_Strict):
    label: str = Field(description="the issue's name as reports and figures print it")
    status_quo: Unit = Field(description="where the issue stands before the summit, on its 0..1 scale")
    ratified_by: list[Id] = Field(default=[], description="the legislatures that must approve any change to this issue")
    touches: list[Id] = Field(
        default=[], description="the allies who care about this issue: they lose cohesion when their leader gives "
                                "ground on it")
    symbolic: bool = Field(
        default=False, description="true for an issue about the story rather than policy (who is to blame): it counts "
                                   "toward status, not substance, and a vague joint statement can settle it")
    note: str = Field(default="", description="what 0 and 1 mean on this issue's scale")


def _sources_given(model: _Strict, reasons: dict[str, str]):
    """A choice that departs from its default names the record behind it in ``<field>_source``;
    ``reasons`` says, per field, what that source must tell."""
    for name, reason in reasons.items():
        value = getattr(model, name)
        if value != type(model).model_fields[name].default and getattr(model, f"{name}_source") is None:
            raise ValueError(f"{name}: {value} needs {name}_source: {reason}")
    return model


class Leader(_Strict):
    name: str = Field(description="the leader's name as reports and figures print it")
    tactic: Literal[TACTICS] = Field(  # type: ignore[valid-type]
        description="how the leader concedes over the rounds: boulware (firm until late), conceder (gives early), "
                    "linear, tit_for_tat (answers concession with concession), two_part (firm, with a sanctions "
                    "threat) or rational (subgame-perfect, two leaders only)")
    tactic_source: str | None = Field(default=None, min_length=8, description="which record says this leader "
                                                                              "bargained that way")
    ideal: IssueMap = Field(description="per issue, where the leader would like it to end, on the issue's 0..1 scale")
    salience: IssueMap = Field(
        description="per issue, how much it matters to the leader; a leader's saliences sum to 1")
    max_concession: IssueMap = Field(
        default={}, description="per issue, the most the leader can give: how much worse than the status quo, measured"
                                " from its ideal, a text may leave that issue (0 keeps it from moving against the "
                                "leader)")
    status_value: Positive = Field(
        description="what the meeting itself is worth to the leader, whatever is agreed, unless it breaks up in a "
                    "walk-out; on the common scale (1 = the leader's whole stakes)")
    meeting_cost: Positive = Field(description="what merely meeting costs the leader at home, on the common scale")
    preparation: Unit = Field(
        description="how well the leader knows the detail, 0..1: the less prepared, the more it misjudges how much "
                    "each issue weighs, its own and the others' (protocol.perception_noise)")
    persuasion: Unit = Field(
        description="how well the leader charms the others, 0..1: with their flattery_susceptibility it softens what "
                    "they hold out for and warms them at the press conference")
    flattery_susceptibility: Unit = Field(
        description="how readily the leader is charmed, 0..1: with the others' persuasion it softens what the leader "
                    "holds out for and warms it toward them in public")
    resolve: Unit = Field(
        description="the share of what lies between its walk-away value and its best text that the leader holds out "
                    "for, 0..1")
    credibility: Unit = Field(
        description="how far the leader's threats are believed, 0..1; also the chance that an unmet threat is carried "
                    "out")
    narrative_control: Unit = Field(
        description="how far the leader can sell any outcome as a win at home, 0..1: it shields the leader from its "
                    "audience cost")
    audience_cost: Positive = Field(
        description="how hard voters and institutions at home punish warmth toward the rival, a visible loss or a "
                    "failed vote, on the common scale")
    consultation: Unit = Field(
        description="how far the leader consults its allies, 0..1: it spares their cohesion when it gives ground on "
                    "the issues they care about")
    rival_fracture_value: Positive = Field(
        description="what a fall in the cohesion of the others' allies is worth to the leader, on the common scale")
    patience: Patience = Field(
        description="the leader's discount per round, 0..1: an impatient leader takes a little less a round sooner")
    reciprocity: Positive | None = Field(
        default=None, description="for tit_for_tat and two_part: the share of the utility received that the leader "
                                  "gives back")
    capability: Capability | None = Field(
        default=None, description="the leader's power in the forecasting baselines, which weigh ideals by capability x"
                                  " salience (equal for every leader when left out)")
    sanctions_issue: Id | None = Field(default=None, description="the issue this leader's side moves when it "
                                                                 "imposes sanctions (backlash, a threat carried out)")
    sanctions_issue_source: str | None = Field(
        default=None, min_length=8, description="which record says so: a key of the sources table, a colon, and your "
                                                "own paraphrase")
    threat: Unit | None = Field(
        default=None, description="for two_part: the size of the sanctions the leader threatens, 0..1, carried out on "
                                  "its sanctions_issue")
    threat_if: Literal["no_deal", "not_held", "either"] = Field(
        default="no_deal", description="when the threat is carried out: the meeting held without a deal, the "
                                       "meeting not held, or either")
    threat_if_source: str | None = Field(
        default=None, min_length=8, description="which record says so: a key of the sources table, a colon, and your "
                                                "own paraphrase")
    disagreement_utility: Walkaway | None = Field(
        default=None, description="the leader's walk-away value where it is not the status quo's, on the common scale")
    requires: list[Id] = Field(default=[], description="issues this leader will not sign without: a deal that "
                                                       "leaves one at the status quo is unacceptable to it")
    requires_source: str | None = Field(
        default=None, min_length=8, description="which record says so: a key of the sources table, a colon, and your "
                                                "own paraphrase")
    red_lines: IssueMap = Field(default={}, description="per issue, the least position (toward this leader's "
                                                        "ideal) a deal must reach for it to sign")
    side: Id | None = Field(default=None, description="leaders who share a side do not count each other's allies "
                                                      "as rivals' allies (default: each leader is its own side)")
    side_source: str | None = Field(
        default=None, min_length=8, description="which record says so: a key of the sources table, a colon, and your "
                                                "own paraphrase")
    standing: Unit | None = Field(default=None, description="international standing before the summit, 0..1; a "
                                                            "meeting that recognises the leaders as equals moves "
                                                            "standing from the higher to the lower (sim.standing)")

    @model_validator(mode="after")
    def _sourced_choices(self) -> Leader:
        return _sources_given(self, {
            "requires": "which record says the leader would not sign without it",
            "threat_if": "which record says when the threat applies",
            "side": "which record says these leaders sat on one side",
            "sanctions_issue": "which record says the side's sanctions move that issue"})


class Adviser(_Strict):
    name: str = Field(description="the adviser's, or the team's, name")
    serves: Id = Field(description="the key of the leader it advises")
    ideal: IssueMap = Field(
        default={}, description="per issue, where the adviser would like it to end; in the room it pulls its leader's "
                                "working position there")
    influence: Unit = Field(
        description="how strongly, 0..1, the adviser pulls its leader's position and slows its concessions when in the"
                    " room")
    briefing: Unit = Field(
        description="the share of its leader's preparation gap the adviser closes before the summit, 0..1")
    in_room: bool = Field(
        description="true when the adviser sits in on the talks; false when it only briefs beforehand")


class Ally(_Strict):
    name: str = Field(description="the ally's name")
    bloc: Id = Field(description="the key of the leader whose bloc the ally belongs to")
    interest: IssueMap = Field(
        default={}, description="per issue that touches it, where the ally wants that issue, 0..1")
    cohesion: Unit = Field(description="how firmly the ally holds to its bloc before the summit, 0..1")
    weight: Positive = Field(description="what the ally's cohesion is worth to its leader, on the common scale")
    wariness: Unit = Field(
        description="how much the ally minds its leader's warmth toward the rival, and rewards its firmness, 0..1")


class Legislature(_Strict):
    name: str = Field(description="the chamber's name")
    of: Id = Field(description="the key of the leader whose deals it votes on")
    ideal: IssueMap = Field(default={}, description="per issue it ratifies, the text the chamber would want; "
                                                    "where not given, its leader's ideal")
    tolerance: Signed = Field(
        description="how much worse than the status quo, measured from its ideal, the chamber accepts on the issues it"
                    " ratifies, -1..1; a negative tolerance demands an improvement")
    noise: Positive = Field(
        description="how far the chamber's mood on the day of the vote may stray from its tolerance (a standard "
                    "deviation)")
    hostility: Unit = Field(
        description="how readily, 0..1, the chamber answers its leader's warmth toward the rival with hostile measures")
    backlash: Unit = Field(description="the size of the new sanctions those hostile measures impose, 0..1")


class Mediator(_Strict):
    """A third party who drafts single texts in its turn and pays, in aid or guarantees, for their signature."""

    name: str = Field(description="the mediator's name")
    ideal: IssueMap = Field(
        default={}, description="per issue, the mediator's own view, toward which it leans its texts by bias")
    bias: Unit = Field(description="how far, 0..1, the mediator leans its texts toward its own ideal")
    leverage: Positive = Field(
        description="the aid or guarantees the mediator pays each leader if its text is signed, on the common scale")
    skill: Unit = Field(
        description="how well, 0..1, the mediator reads how much each party cares about each issue (an unskilled one "
                    "weighs them equally)")
    leans_to: Id | None = Field(default=None, description="the leader whose positions the mediator's own view "
                                                          "follows, where it gives no ideal of its own")
    leans_to_source: str | None = Field(
        default=None, min_length=8, description="which record says so: a key of the sources table, a colon, and your "
                                                "own paraphrase")
    payments: dict[Id, Positive] = Field(default={}, description="per leader, the side payment for signing the "
                                                                "mediator's text, where it differs from leverage")
    persuasion: dict[Id, Unit] = Field(default={}, description="per leader, how far the mediator talks it down "
                                                               "toward its reservation when it weighs the text")
    drafting: Literal["middle", "logroll"] = Field(
        default="middle", description="middle: each issue at the parties' salience-weighted middle; logroll: each "
                                      "issue where the parties' weighted median is, so each gets what it cares "
                                      "most about (a chair or foreign ministers' single text built across issues)")
    drafting_source: str | None = Field(
        default=None, min_length=8, description="which record says so: a key of the sources table, a colon, and your "
                                                "own paraphrase")

    @model_validator(mode="after")
    def _sourced_lean(self) -> Mediator:
        return _sources_given(self, {"leans_to": "which record says the mediator leaned that way",
                                     "drafting": "which record says how the texts were built"})


TARGET = r"^(leaders|advisers|allies|legislatures|mediators)\.[a-z0-9_-]+\.[a-z_]+(\.[a-z0-9_-]+)?$"


class Effect(_Strict):
    """A change an event makes: a number, or a distribution with its source, drawn per run like
    any other parameter (``add: {uniform: [0.1, 0.3], source: ...}``)."""

    target: str = Field(
        pattern=TARGET, description="the parameter the event changes, by its path: leaders.us.meeting_cost, "
                                    "legislatures.congress.hostility")
    add: float | Param | None = Field(
        default=None, description="a number, or a range with its source, added to the parameter")
    scale: float | Param | None = Field(default=None, description="a factor, 0..100, the parameter is multiplied by")
    set: float | Param | None = Field(default=None, description="the value the parameter is set to")

    @model_validator(mode="after")
    def _one_op(self) -> Effect:
        ops = [k for k in ("add", "scale", "set") if getattr(self, k) is not None]
        if len(ops) != 1:
            raise ValueError("an effect gives exactly one of add, scale or set")
        return self


class Replacement(_Strict):
    """A new leader takes a seat (an election result, a death, a coup): its name, and its tactic
    where it bargains differently. Its other attributes are the event's effects on that seat."""

    leader: Id = Field(description="the key of the seat the new leader takes")
    name: str = Field(description="the new leader's name")
    tactic: Literal[TACTICS] | None = Field(  # type: ignore[valid-type]
        default=None, description="the new leader's tactic, where it bargains differently")


class Event(_Strict):
    label: str = Field(description="what happens, in a line")
    when: Literal["pre", "vote", "post"] | Annotated[int, Field(ge=1)] = Field(
        description="pre (before the leaders decide whether to meet), a round's number (at that round), vote (after "
                    "the summit, before any vote) or post (before scoring)")
    probability: Probability = Field(description="the chance the event happens in a replay: 1 for what did happen")
    effects: list[Effect] = Field(default=[], description="the changes the event makes")
    replaces: Replacement | None = Field(default=None, description="a new leader who takes a seat")

    @model_validator(mode="after")
    def _does_something(self) -> Event:
        if not self.effects and self.replaces is None:
            raise ValueError("an event needs effects, or a leader it replaces")
        if self.replaces is not None and self.when in ("vote", "post"):
            raise ValueError("a leader can be replaced before the summit ('pre') or at a round, not after it")
        return self


class Variant(_Strict):
    """A named what-if: overrides of this file's fields, as ``--set PATH=VALUE`` would make them.
    A number replaces a parameter by a fixed value (its source key kept); a mapping replaces the node."""

    description: str = Field(
        min_length=8, max_length=200, description="the what-if in a sentence, as a student would ask it")
    set: dict[str, Any] = Field(min_length=1, description="the overrides, PATH: VALUE, as --set PATH=VALUE writes them")


class History(_Strict):
    """What happened and what historians and analysts concluded: the row the model is checked against."""

    ahead: Id = Field(description="the leader who came out ahead, or 'none' for no clear winner")
    held: bool = Field(description="whether the meeting took place")
    deal: bool = Field(description="whether a deal was signed")
    ratified: bool | None = Field(default=None, description="whether the deal passed every vote it needed; "
                                  "leave out when nothing needed ratifying")
    source: str = Field(
        min_length=8, description="which record says so: a key of the sources table, a colon, and your own paraphrase")
    held_out: bool = Field(default=False, description="true when the scenario was written from the record after "
                                                      "the model was built, replayed once, and left as it was: a "
                                                      "test the model was not shaped on")
    note: str = Field(default="", description="anything a reader of the validation table should know about this row")


class Package(_Strict):
    """Issues agreed together or not at all ("nothing is agreed until everything is agreed")."""

    issues: list[Id] = Field(min_length=2, description="the issues agreed together or not at all (two or more)")
    source: str = Field(
        min_length=8, description="which record says so: a key of the sources table, a colon, and your own paraphrase")


class Protocol(_Strict):
    rounds: int = Field(ge=1, le=200, description="how many rounds of offers come before the deadline")
    rounds_source: str = Field(
        min_length=8, description="which record says so: a key of the sources table, a colon, and your own paraphrase")
    first_proposer: Id = Field(description="the key of the leader who makes the first offer")
    first_proposer_source: str | None = Field(default=None, min_length=8, description="which record says who "
                                                                                      "opened")
    turns: list[Id] = Field(default=[], description="at a table of three or more, the order in which the other "
                                                   "leaders propose after the first proposer, where the record "
                                                   "fixes it; left out, each replay draws one (sim.seating)")
    turns_source: str | None = Field(
        default=None, min_length=8, description="which record says so: a key of the sources table, a colon, and your "
                                                "own paraphrase")
    perception_noise: Positive = Field(
        description="how far an unprepared leader misjudges how much each issue weighs, as a share of the weight "
                    "(times 1 - preparation)")
    joint_statement: Probability = Field(
        description="the chance that talks ending with nothing signed produce a vague joint statement, which settles "
                    "the symbolic issues")
    ratification_failure_cost: Positive = Field(
        description="what a leader pays at home when its legislature rejects its deal, on the common scale")
    backlash_cost: Positive = Field(
        description="what a leader pays at home when its legislature answers its warmth with hostile measures, on the "
                    "common scale")
    sanctions_ally_share: Unit = Field(
        description="the share of a side's sanctions that needs its allies: that share bites only as far as they hold "
                    "together, 0..1")
    firmness_reward: Positive = Field(
        description="the cohesion allies add when their leader cancels the meeting in protest (times their wariness)")
    loss_aversion: Aversion | None = Field(
        default=None, description="how many times a loss against the status quo outweighs a gain of the same "
                                  "size in the leaders' decisions (sim.loss_aversion); left out, the meta-analytic "
                                  "mean, about 1.96; 1 turns it off")
    mandate: Literal["sign", "talks"] = Field(
        default="sign", description="sign: the leaders may sign a deal; talks: a meeting to take each other's "
                                    "measure, which signs nothing (it may end in a joint statement)")
    mandate_source: str | None = Field(
        default=None, min_length=8, description="which record says so: a key of the sources table, a colon, and your "
                                                "own paraphrase")
    packages: dict[Id, Package] = Field(default={}, description="sets of issues agreed together or not at all")
    learning: Literal["offers", "none"] = Field(
        default="offers", description="offers: each leader revises its belief about the others' priorities from "
                                      "what their offers keep; none: beliefs stay as drawn before the summit")
    learning_source: str | None = Field(
        default=None, min_length=8, description="which record says so: a key of the sources table, a colon, and your "
                                                "own paraphrase")
    walkouts: Literal["allowed", "none"] = Field(
        default="allowed", description="allowed: a leader may leave the table when it expects no acceptable deal "
                                       "and staying costs it more than leaving; none: every leader stays to the end")
    walkouts_source: str | None = Field(
        default=None, min_length=8, description="which record says so: a key of the sources table, a colon, and your "
                                                "own paraphrase")
    agreements: Literal["in_parts", "whole"] = Field(
        default="in_parts", description="in_parts: where the talks end with nothing signed, the leaders sign, issue "
                                        "by issue, the agreements each would sign on its own (sim.partial_deals); "
                                        "whole: a text is signed over every issue or not at all")
    agreements_source: str | None = Field(
        default=None, min_length=8, description="which record says so: a key of the sources table, a colon, and your "
                                                "own paraphrase")
    recognition: Unit | None = Field(default=None, description="how far the meeting's format treats the leaders "
                                                               "as equals: one-on-one, a joint press conference, "
                                                               "the venue (needed with leaders' standing)")
    draft: IssueMap = Field(default={}, description="per issue, the text officials agreed before the summit; "
                                                    "the leaders start from it instead of from their own ideals")

    @model_validator(mode="after")
    def _sourced_choices(self) -> Protocol:
        return _sources_given(self, {"turns": "which record says the leaders took the floor in that order",
                                     "mandate": "which record says the meeting was not to sign",
                                     "learning": "why beliefs would not change at this table",
                                     "walkouts": "why no one could leave this table",
                                     "agreements": "which record says nothing could be signed in part"})


class Scenario(_Strict):
    name: Id = Field(description="the scenario's name: lower case, digits and dashes, as its file is named")
    title: str = Field(description="the summit's title as reports print it")
    year: int = Field(ge=-3000, le=3000, description="the year of the summit")
    description: str = Field(max_length=200, description="the question in a sentence or two, at most 200 characters")
    sources: dict[Id, str] = Field(
        min_length=1, description="every source the file cites: a short key and a full reference each")
    protocol: Protocol = Field(
        description="how the table works: rounds, who opens, and the parameters of the whole summit")
    issues: dict[Id, Issue] = Field(min_length=1, description="what is on the table, each a scale from 0 to 1")
    leaders: dict[Id, Leader] = Field(description="the two to eight leaders at the table")
    advisers: dict[Id, Adviser] = Field(default={}, description="who briefs a leader, and may sit in on the talks")
    allies: dict[Id, Ally] = Field(default={}, description="who belongs to a leader's bloc and cares how it bargains")
    legislatures: dict[Id, Legislature] = Field(
        default={}, description="who must approve a leader's deal on the issues it ratifies")
    mediators: dict[Id, Mediator] = Field(
        default={}, max_length=1, description="at most one third party who drafts single texts and may pay for a "
                                              "signature")
    events: dict[Id, Event] = Field(default={}, description="what happened, or might, around the summit")
    variants: dict[Id, Variant] = Field(
        default={}, description="named what-ifs a student can compare with the file as written")
    history: History | None = Field(
        default=None, description="what happened and what historians concluded: the row the model is checked against")

    @field_validator("leaders")
    @classmethod
    def _table(cls, v: dict) -> dict:
        if not 2 <= len(v) <= MAX_LEADERS:
            raise ValueError(f"a summit needs 2 to {MAX_LEADERS} leaders at the table; got {len(v)}")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        problems = cross_problems(self.model_dump(exclude_none=True))
        if problems:
            raise ValueError("; ".join(problems))
        return self


GROUP_MODELS = {"leaders": Leader, "advisers": Adviser, "allies": Ally, "legislatures": Legislature,
                "mediators": Mediator}
OWNER_FIELD = {"advisers": "serves", "allies": "bloc", "legislatures": "of"}
ISSUE_MAPS = ("ideal", "salience", "max_concession", "interest", "red_lines")


def _map(node) -> dict:
    return node if isinstance(node, dict) else {}


def cross_problems(doc: dict) -> list[str]:
    """Problems that span fields: names that must refer to something declared elsewhere, saliences
    that must sum to 1, sources that must cite the sources table, rules a table's size imposes.

    Works on the raw document and skips what it cannot read, so that it can report alongside the
    field-by-field errors rather than after they are fixed."""
    problems: list[str] = []
    issues = set(_map(doc.get("issues")))
    leaders = _map(doc.get("leaders"))
    tables = {g: _map(doc.get(g)) for g in GROUP_MODELS}
    protocol = _map(doc.get("protocol"))

    def unknown(where: str, names, known, kind: str) -> None:
        for n in names if isinstance(names, list | dict) else [names]:
            if isinstance(n, str) and n not in known:
                listed = ", ".join(sorted(map(str, known))) or "none"
                problems.append(f"{where} names unknown {kind} {_named(n)} (known: {listed})")

    if "first_proposer" in protocol:
        unknown("protocol.first_proposer", protocol["first_proposer"], leaders, "leader")
    problems += _turns_problems(protocol, leaders)
    for name, package in _map(protocol.get("packages")).items():
        listed = _map(package).get("issues")
        unknown(f"protocol.packages.{name}.issues", listed if isinstance(listed, list) else [], issues, "issue")
    unknown("protocol.draft", _map(protocol.get("draft")), issues, "issue")
    for lid, leader in leaders.items():
        listed = _map(leader).get("requires")
        unknown(f"leaders.{lid}.requires", listed if isinstance(listed, list) else [], issues, "issue")
    for mid, mediator in tables["mediators"].items():
        if "leans_to" in _map(mediator):
            unknown(f"mediators.{mid}.leans_to", _map(mediator)["leans_to"], leaders, "leader")
        unknown(f"mediators.{mid}.payments", _map(_map(mediator).get("payments")), leaders, "leader")
        unknown(f"mediators.{mid}.persuasion", _map(_map(mediator).get("persuasion")), leaders, "leader")
    problems += _standing_problems(leaders, protocol)
    for k, issue in _map(doc.get("issues")).items():
        unknown(f"issues.{k}.ratified_by", _map(issue).get("ratified_by", []), tables["legislatures"], "legislature")
        unknown(f"issues.{k}.touches", _map(issue).get("touches", []), tables["allies"], "ally")
    for group, members in tables.items():
        for ident, actor in members.items():
            actor = _map(actor)
            if group in OWNER_FIELD and OWNER_FIELD[group] in actor:
                unknown(f"{group}.{ident}.{OWNER_FIELD[group]}", actor[OWNER_FIELD[group]], leaders, "leader")
            for field in ISSUE_MAPS:
                if field in actor:
                    unknown(f"{group}.{ident}.{field}", _map(actor[field]), issues, "issue")
    problems += _history_problems(_map(doc.get("history")), leaders, _map(doc.get("issues")))
    for lid, leader in leaders.items():
        problems += _leader_problems(lid, _map(leader), issues, len(leaders), bool(tables["mediators"]))
    for eid, event in _map(doc.get("events")).items():
        effects = _map(event).get("effects")
        for i, effect in enumerate(effects if isinstance(effects, list) else []):
            target = _map(effect).get("target")
            problem = _target_problem(doc, target) if isinstance(target, str) and target.count(".") >= 2 else None
            if problem:
                problems.append(f"events.{eid}.effects.{i}.target: {problem}")
            elif isinstance(target, str) and target.count(".") >= 2:
                problems += _effect_problems(f"events.{eid}.effects.{i}", target.split(".")[2], _map(effect))
        replaced = _map(_map(event).get("replaces"))
        if "leader" in replaced:
            unknown(f"events.{eid}.replaces.leader", replaced["leader"], leaders, "leader")
            if replaced.get("tactic") == "rational" and (len(leaders) > 2 or tables["mediators"]):
                problems.append(f"events.{eid}.replaces.tactic: 'rational' is solved for two leaders alternating "
                                "without a mediator")
        when, rounds = _map(event).get("when"), protocol.get("rounds")
        if isinstance(when, int) and isinstance(rounds, int) and 1 <= rounds < when:
            problems.append(f"events.{eid}.when: round {when} is after the last round ({rounds})")
    sources = _map(doc.get("sources"))
    bad = [(path, s) for path, s in _sources(doc) if s.split(":", 1)[0].strip() not in sources]
    if bad and sources:
        keys = ", ".join(sorted(map(str, sources)))
        problems += [f"{path}: {text[:60]!r} must start with a key of the 'sources' table and a colon (keys: {keys})"
                     for path, text in bad[:5]]
        if len(bad) > 5:
            problems.append(f"{len(bad) - 5} more sources start with no key of the 'sources' table")
    return problems


def _turns_problems(protocol: dict, leaders: dict) -> list[str]:
    """A sourced order of turns names every leader but the first proposer, once each, at a table
    of three or more."""
    turns = protocol.get("turns")
    if not isinstance(turns, list) or not turns:
        return []
    if len(leaders) < 3:
        return ["protocol.turns: at a table of two the other leader always proposes second; leave turns out"]
    others = [str(k) for k in leaders if k != protocol.get("first_proposer")]
    if sorted(map(str, turns)) != sorted(others):
        return [f"protocol.turns must list each leader but the first proposer once: {', '.join(others)} in the "
                f"order the record gives (got: {', '.join(map(str, turns))})"]
    return []


def _history_problems(history: dict, leaders: dict, issues: dict) -> list[str]:
    """A history block the model can be checked against: it names a leader at the table, and its
    record is one the model could give. A summit not held signs nothing; only a signed deal is
    ratified or not; and a ratification is checked against the votes of the file's legislatures,
    so a file that gives it must have one vote on some issue (with none, every deal would count as
    ratified, and the check would pass or fail whatever the model did)."""
    out = []
    ahead = history.get("ahead")
    if isinstance(ahead, str) and ahead != "none" and ahead not in leaders:
        known = ", ".join(sorted(map(str, leaders)))
        out.append(f"history.ahead names unknown leader {_named(ahead)} (known: {known}, or none for no clear winner)")
    if history.get("deal") is True and history.get("held") is False:
        out.append("history.deal is true but history.held is false: a summit that was not held signs nothing")
    ratified = history.get("ratified")
    if isinstance(ratified, bool):
        if history.get("deal") is False:
            out.append(f"history.ratified is {str(ratified).lower()} but history.deal is false: only a signed deal "
                       "is ratified or not; leave ratified out")
        elif not any(_map(issue).get("ratified_by") for issue in issues.values()):
            out.append(f"history.ratified is {str(ratified).lower()} but no issue is ratified_by a legislature, so "
                       "no replay holds a vote to check it against: add the legislature that voted (legislatures, "
                       "and ratified_by on the issues it votes on), or leave ratified out")
    return out


def _standing_problems(leaders: dict, protocol: dict) -> list[str]:
    """Standing is relational: every leader at the table needs one, and the meeting a recognition."""
    given = [lid for lid, leader in leaders.items() if "standing" in _map(leader)]
    if not given:
        return ["protocol.recognition is given but no leader has a standing"] if "recognition" in protocol else []
    out = []
    missing = [str(lid) for lid in leaders if lid not in given]
    if missing:
        out.append(f"standing is relational: give every leader one, or none (missing: {', '.join(missing)})")
    if "recognition" not in protocol:
        out.append("leaders have a standing, so protocol.recognition must say how far the meeting treats them "
                   "as equals")
    return out


def _named(name: str) -> str:
    """A name quoted for a message; one with a newline or control character is shown escaped."""
    return f"'{name}'" if name.isprintable() else repr(name)


def _effect_problems(where: str, attr: str, effect: dict) -> list[str]:
    """An event's change, checked like the parameter it changes: a set value inside the
    parameter's range, an addition no wider than that range, a scale factor from 0 to 100. A
    distribution is checked over everything it can draw."""
    low, high = natural_bounds(attr)
    out = []
    for op in ("add", "scale", "set"):
        given = effect.get(op)
        if isinstance(given, dict):
            try:
                lo, hi = Param.model_validate(given).support()
            except ValueError:
                continue  # the field errors say what is wrong with the distribution
        elif isinstance(given, int | float) and not isinstance(given, bool):
            lo = hi = given
        else:
            continue
        if not (math.isfinite(lo) and math.isfinite(hi)):
            continue  # an unbounded normal is truncated to the range when drawn
        shown = f"{lo:g}" if lo == hi else f"[{lo:g}, {hi:g}]"
        if op == "set" and not low <= lo <= hi <= high:
            out.append(f"{where}.set = {shown}: '{attr}' lives in [{low:g}, {high:g}]")
        if op == "add" and max(abs(lo), abs(hi)) > high - low:
            out.append(f"{where}.add = {shown}: '{attr}' lives in [{low:g}, {high:g}], so an addition "
                       f"may be at most {high - low:g} either way")
        if op == "scale" and not 0 <= lo <= hi <= 100:
            out.append(f"{where}.scale = {shown}: a scale factor must lie in [0, 100]")
    return out


def _leader_problems(lid: str, leader: dict, issues: set, table: int, mediated: bool) -> list[str]:
    out = []
    for field in ("ideal", "salience"):
        given = leader.get(field)
        if isinstance(given, dict) and issues and not issues <= set(given):
            missing = ", ".join(sorted(map(str, issues - set(given))))
            out.append(f"leaders.{lid}.{field} must give every issue a value (a salience may be 0); missing: {missing}")
    if isinstance(leader.get("sanctions_issue"), str) and leader["sanctions_issue"] not in issues:
        out.append(f"leaders.{lid}.sanctions_issue names unknown issue {_named(leader['sanctions_issue'])}")
    tactic = leader.get("tactic")
    if tactic == "two_part" and ("threat" not in leader or "sanctions_issue" not in leader):
        out.append(f"leaders.{lid}: the two_part tactic needs a threat and a sanctions_issue")
    if tactic == "rational" and (table > 2 or mediated):
        out.append(f"leaders.{lid}.tactic: 'rational' is solved for two leaders alternating without a "
                   "mediator; at this table use boulware, conceder, linear, tit_for_tat or two_part")
    try:
        params = [Param.model_validate(v) for v in _map(leader.get("salience")).values()]
    except ValueError:
        return out  # the field errors already say what is wrong with a salience
    if params:
        total = sum(p.mean for p in params)
        fixed = all(p.value is not None for p in params)
        tol = SALIENCE_TOLERANCE if fixed else MEAN_SALIENCE_TOLERANCE
        if abs(total - 1.0) > tol:
            kind = "saliences" if fixed else "mean saliences"
            out.append(f"leaders.{lid}.salience: the {kind} must sum to 1 (they sum to {total:.6g})")
    return out


def _target_problem(doc: dict, target: str) -> str | None:
    parts = target.split(".")
    group, ident, attr = parts[0], parts[1], parts[2]
    if group not in GROUP_MODELS:
        return None  # the field's pattern reports it
    table = _map(doc.get(group))
    if ident not in table:
        return f"'{target}' names unknown {group[:-1]} '{ident}'"
    model = GROUP_MODELS[group]
    if attr not in model.model_fields or attr in _NOT_NUMERIC:
        numeric = [f for f in model.model_fields if f not in _NOT_NUMERIC]
        return f"'{target}': {group[:-1]}s have no numeric attribute '{attr}' (allowed: {', '.join(numeric)})"
    is_map = attr in ISSUE_MAPS
    if is_map and len(parts) != 4:
        return f"'{target}': '{attr}' is per issue; write {group}.{ident}.{attr}.<issue>"
    if is_map and parts[3] not in _map(doc.get("issues")):
        return f"'{target}' names unknown issue '{parts[3]}'"
    if not is_map and len(parts) != 3:
        return f"'{target}': '{attr}' is one number, not per issue"
    return None


def _sources(node, path: str = "") -> list[tuple[str, str]]:
    """Every source string in a document with the field that holds it: each parameter's ``source``
    and every ``<choice>_source``."""
    def at(key) -> str:
        return f"{path}.{key}" if path else str(key)

    if isinstance(node, dict):
        own = [(at(k), v) for k, v in node.items()
               if (k == "source" or str(k).endswith("_source")) and isinstance(v, str)]
        return own + [found for k, v in node.items() if k not in ("sources", "variants")
                      for found in _sources(v, at(k))]
    if isinstance(node, list):
        return [found for i, v in enumerate(node) for found in _sources(v, at(i))]
    return []
