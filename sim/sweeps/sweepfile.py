"""The sweep file: scenarios, factors and their ranges, a design, replicates, a seed, the outcomes
to keep. It is checked against every scenario it names before anything runs, and every problem
is reported at once, with the file, the field and what is allowed."""

from __future__ import annotations

import contextlib
import copy
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    ValidationError,
    model_validator,
)

from sim.fields import closest
from sim.loader import (
    ScenarioError,
    apply_named_variant,
    explain,
    line_index,
    must_be_a_file,
    parse,
    read,
    resolve,
    set_path,
    validate,
)
from sim.schema import Id
from sim.spec import compile_scenario

OUTCOMES = ("gain", "parts", "ahead", "margin", "deal", "held", "deal_round", "partial", "walkout", "learned",
            "ratified", "cohesion", "agreed", "final")
DEFAULT_OUTCOMES = ("gain", "parts", "ahead", "margin", "deal", "held", "ratified", "cohesion")
DISTRIBUTIONS = ("range", "normal", "truncnormal", "triangular", "loguniform")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Factor(_Strict):
    """One scenario path the sweep varies: listed ``levels`` (a grid), or a ``range`` (uniform;
    ``steps`` evenly spaced levels on a grid), or a distribution for the sampled designs."""

    levels: list[StrictBool | StrictInt | StrictFloat | str] | None = Field(default=None, min_length=1)
    range: tuple[float, float] | None = None
    steps: int | None = Field(default=None, ge=2, le=10_000)
    normal: tuple[float, float] | None = Field(default=None, description="mean, sd")
    truncnormal: tuple[float, float, float, float] | None = Field(default=None, description="low, high, mean, sd")
    triangular: tuple[float, float, float] | None = Field(default=None, description="low, mode, high")
    loguniform: tuple[float, float] | None = Field(default=None, description="low, high (both above 0)")

    @model_validator(mode="after")
    def _one_kind(self) -> Factor:
        given = [k for k in ("levels", *DISTRIBUTIONS) if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of levels, range, normal, truncnormal, triangular, loguniform; "
                             f"got {', '.join(given) or 'none'}")
        if self.steps is not None and self.range is None:
            raise ValueError("steps goes with range (steps evenly spaced levels from low to high)")
        if self.levels is not None and len({type(v) is str for v in self.levels}) > 1:
            raise ValueError("levels must be all numbers or all names, not a mix")
        for name in ("range", "truncnormal", "triangular", "loguniform"):
            value = getattr(self, name)
            if value is not None and not value[0] < value[-1 if name != "truncnormal" else 1]:
                raise ValueError(f"{name} needs its low end below its high end")
        if self.triangular is not None and not self.triangular[0] <= self.triangular[1] <= self.triangular[2]:
            raise ValueError("triangular is low, mode, high with the mode between them")
        if self.loguniform is not None and self.loguniform[0] <= 0:
            raise ValueError("loguniform needs a low end above 0")
        sd = self.normal[1] if self.normal is not None else self.truncnormal[3] if self.truncnormal is not None else 1
        if sd <= 0:
            raise ValueError("a normal's sd must be above 0")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in ("levels", *DISTRIBUTIONS) if getattr(self, k) is not None)

    def grid_levels(self) -> list:
        if self.levels is not None:
            return list(self.levels)
        low, high = self.range
        return [low + (high - low) * i / (self.steps - 1) for i in range(self.steps)]

    def extremes(self) -> list:
        """The values a scenario must accept for every design point to be valid."""
        if self.levels is not None:
            return list(self.levels)
        if self.range is not None:
            return list(self.range)
        if self.truncnormal is not None:
            return list(self.truncnormal[:2])
        if self.triangular is not None:
            return [self.triangular[0], self.triangular[2]]
        if self.loguniform is not None:
            return list(self.loguniform)
        return [self.normal[0]]  # unbounded: values are clipped to the parameter's range


class Design(_Strict):
    """How design points are chosen: a full factorial grid, or SALib's Latin hypercube, Sobol
    (Saltelli's scheme) or Morris samplers."""

    method: Literal["grid", "latin", "sobol", "morris"] = "grid"
    samples: int | None = Field(default=None, ge=1, le=10_000_000,
                                description="latin: design points; sobol: the base sample N (a power of 2)")
    second_order: bool = Field(default=False, description="sobol: also estimate second-order indices")
    trajectories: int | None = Field(default=None, ge=2, le=100_000, description="morris: trajectories")
    levels: int = Field(default=4, ge=2, le=100, description="morris: grid levels (even)")

    @model_validator(mode="after")
    def _sizes(self) -> Design:
        if self.method in ("latin", "sobol") and self.samples is None:
            raise ValueError(f"method {self.method} needs samples (how many)")
        if self.method == "morris" and self.trajectories is None:
            raise ValueError("method morris needs trajectories (how many)")
        if self.method == "grid" and (self.samples is not None or self.trajectories is not None):
            raise ValueError("a grid takes every combination of levels; samples and trajectories do not apply")
        if self.method == "sobol" and self.samples & (self.samples - 1):
            raise ValueError(f"sobol samples must be a power of 2 (Sobol' sequences balance only then); "
                             f"got {self.samples}")
        if self.method == "morris" and self.levels % 2:
            raise ValueError("morris levels must be even")
        return self


class ScenarioRef(_Strict):
    scenario: str
    variant: Id | None = None


def _as_ref(value: Any) -> Any:
    """A scenario as a sweep file names it: by name or file, or as a block with ``scenario:`` and
    ``variant:``. One rule, so that a wrong entry gets one message rather than one per form it
    fails to be (pydantic's 'scenarios.0.str' and 'scenarios.0.ScenarioRef')."""
    if isinstance(value, str):
        return {"scenario": value}
    if isinstance(value, dict):
        return value
    raise ValueError("a scenario is named by its name or file (helsinki-2018, my-summit.yaml), or given as a "
                     "block with scenario: and variant:")


class Sweep(_Strict):
    name: Id
    description: str = ""
    scenarios: list[Annotated[ScenarioRef, BeforeValidator(_as_ref)]] = Field(min_length=1, max_length=100)
    set: dict[str, Any] = Field(default={}, description="fixed changes to every scenario, as --set makes them")
    factors: dict[str, Factor] = Field(min_length=1, max_length=100)
    design: Design = Design()
    replicates: int = Field(ge=1, le=10_000_000)
    seed: int = Field(ge=0, lt=2**64)
    outcomes: list[Literal[OUTCOMES]] = Field(default=list(DEFAULT_OUTCOMES), min_length=1)
    chunk_runs: int = Field(default=25_000, ge=1, le=1_000_000,
                            description="runs per chunk: one vectorised batch, one file, the unit of resuming")

    @model_validator(mode="after")
    def _design_fits_factors(self) -> Sweep:
        problems = design_problems(self.design, self.factors)
        if not problems:
            runs = design_points(self.design, self.factors) * len(self.scenarios) * self.replicates
            if runs > MAX_RUNS:
                problems.append(f"points x scenarios x replicates is {runs:,} runs; at most {MAX_RUNS:,} fit "
                                "one results folder (about 52 bytes a run on disk): split the sweep")
        if problems:
            raise ValueError("; ".join(problems))
        return self


def design_problems(design: Design, factors: dict[str, Factor]) -> list[str]:
    """What the design cannot do with these factors (a grid needs levels; samplers need numbers)."""
    problems = []
    for path, factor in factors.items():
        if design.method == "grid" and factor.levels is None and factor.steps is None:
            problems.append(f"factors.{path}: a grid needs levels, or a range with steps")
        if design.method != "grid" and factor.kind == "levels":
            problems.append(f"factors.{path}: {design.method} samples numbers; give a range or a "
                            "distribution, or use method: grid for listed levels")
        if design.method != "grid" and factor.steps is not None:
            problems.append(f"factors.{path}: steps belong to a grid; {design.method} chooses its own points")
        if design.method == "grid" and factor.kind not in ("levels", "range"):
            problems.append(f"factors.{path}: a grid takes levels or a range with steps, not a {factor.kind}")
    if design.method in ("sobol", "morris") and len(factors) < 2:
        problems.append(f"factors: {design.method} needs at least two factors")
    if not problems:
        points = design_points(design, factors)
        if points > MAX_POINTS:
            problems.append(f"design: {design.method} over these factors makes {points:,} design points per "
                            f"scenario; at most {MAX_POINTS:,} fit (split the sweep into several files, or use "
                            "fewer steps, samples or trajectories)")
    return problems


MAX_POINTS = 2_000_000     # design table in memory: about 200 bytes a point
MAX_RUNS = 2_000_000_000   # about 100 GB of results at 52 bytes a run


def design_points(design: Design, factors: dict[str, Factor]) -> int:
    """How many design points the design makes per scenario, counted before any is made."""
    d = len(factors)
    if design.method == "grid":
        return math.prod(len(f.levels) if f.levels is not None else f.steps for f in factors.values())
    if design.method == "latin":
        return design.samples
    if design.method == "sobol":
        return design.samples * (2 * d + 2 if design.second_order else d + 2)
    return design.trajectories * (d + 1)


@dataclass(frozen=True)
class SweepFile:
    """A checked sweep and the scenario documents it runs on, each with the sweep's fixed changes
    applied; the label is the scenario's name (and variant)."""

    sweep: Sweep
    text: str
    path: Path
    documents: dict[str, dict]


def load_sweep(file: str | Path) -> SweepFile:
    path = Path(file)
    must_be_a_file(path, "sweep file")
    text = read(path)
    document = parse(text, path)
    try:
        sweep = Sweep.model_validate(document)
        problems: list[str] = []
    except ValidationError as err:
        sweep, problems = None, [explain(e, line_index(text), Sweep) for e in err.errors()]
        if any(e["loc"] for e in err.errors()):  # field errors: pydantic skipped the design check
            design, factors = _well_formed(document)
            problems += design_problems(design, factors) if design is not None else []
    documents, more = _against_scenarios(document, path.parent)
    problems += [p for p in more if p not in problems]
    if problems:
        raise ScenarioError(str(path), problems)
    return SweepFile(sweep, text, path, documents)


def _against_scenarios(document: dict, base: Path) -> tuple[dict[str, dict], list[str]]:
    """Check the factors against every scenario, as far as the file can be read: with errors
    elsewhere in it, the scenarios and factors that are well formed are still checked, so one
    pass lists every problem."""
    refs, fixed = document.get("scenarios"), document.get("set") or {}
    if not isinstance(refs, list) or not isinstance(fixed, dict):
        return {}, []
    good = _well_formed(document)[1]
    problems, documents = [], {}
    for i, ref in enumerate(refs):
        try:
            ref = ScenarioRef.model_validate(_as_ref(ref))
        except (ValidationError, ValueError):
            continue
        where = f"scenarios.{i} ({ref.scenario})"
        try:
            label, doc = scenario_document(ref, base, fixed)
        except ScenarioError as err:
            problems += [f"{where}: {p}" for p in err.problems]
            continue
        if label in documents:
            problems.append(f"{where}: listed twice")
        documents[label] = doc
        problems += [f"{where}: {p}" for p in factor_problems(doc, good)]
    return documents, problems


def _well_formed(document: dict) -> tuple[Design | None, dict[str, Factor]]:
    """The design and the factors that are well formed on their own; the rest are reported with
    the format errors."""
    design = None
    with contextlib.suppress(ValidationError):
        design = Design.model_validate(document.get("design") or {})
    factors = document.get("factors")
    good = {}
    for key, value in (factors if isinstance(factors, dict) else {}).items():
        with contextlib.suppress(ValidationError):
            good[str(key)] = Factor.model_validate(value)
    return design, good


def scenario_document(ref: ScenarioRef, base: Path, fixed: dict) -> tuple[str, dict]:
    """A scenario's document as a sweep runs it: its variant and the sweep's fixed changes applied,
    its variants block dropped (a sweep's runs are of one document), checked; and its label."""
    name = ref.scenario
    relative = base / name
    file = resolve(str(relative) if name.endswith((".yaml", ".yml")) and relative.is_file() else name)
    document = parse(read(file), file)
    if ref.variant is not None:
        apply_named_variant(document, ref.variant, file)
    document.pop("variants", None)
    for key, value in fixed.items():
        set_path(document, key, value, f"set.{key}")
    validate(document, f"{file} with the sweep's set", check_variants=False)
    label = document.get("name", file.stem) + (f"/{ref.variant}" if ref.variant else "")
    return label, document


def factor_problems(document: dict, factors: dict[str, Factor]) -> list[str]:
    """Each factor's extreme values must leave a valid scenario, and a sampled (non-grid) factor
    must be a parameter drawn per run, so that a batch can hold many design points."""
    problems = []
    draws = compile_scenario(validate(document, "scenario")).draws
    for path, factor in factors.items():
        if factor.kind != "levels" and path not in draws:
            close = closest(path, list(draws))
            problems.append(f"factors.{path}: not a numeric parameter of this scenario; " + (
                f"did you mean '{close}'?" if close else "those look like leaders.us.preparation or "
                "legislatures.congress.tolerance, and structural fields such as tactics or rounds take levels "
                "on a grid"))
            continue
        for value in factor.extremes():
            changed = copy.deepcopy(document)
            try:
                set_path(changed, path, value, f"factors.{path}")
                validate(changed, f"factors.{path} = {value!r}", check_variants=False)
            except ScenarioError as err:
                problems += [p if p.startswith("factors.") else f"{err.where}: {p}" for p in err.problems]
                break
    return problems
