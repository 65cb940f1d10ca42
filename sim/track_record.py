"""The model's track record against history, as ``summit validation --write`` last measured it:
how often its verdict named the leader historians name (or no clear winner), on the summits it was
built with and on those held out from its building, beside a rule that always says "no clear
winner".

Why. A verdict's interval says how sure the replays are of the model's answer, not how often the
model's answer is history's. The second is what a reader needs before trusting a verdict on a new
summit, and only the held-out summits measure it. Light to import: json and a path, no engine.
"""

from __future__ import annotations

import json
from pathlib import Path

PATH = Path(__file__).with_name("track_record.json")


def load() -> dict | None:
    """The record written by the last ``summit validation --write``; None when there is none."""
    try:
        return json.loads(PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def save(record: dict) -> None:
    PATH.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def text(record: dict | None, named: bool | None = None) -> str | None:
    """The record in one sentence, held-out summits first; None without a record. ``named`` says
    whether the verdict beside it names a winner: the held-out record of verdicts of that kind
    follows, since a named winner and a verdict of none have not been right equally often."""
    if record is None:
        return None
    held, built = record["held_out"], record["built_with"]
    said = f"in {built['ahead_agrees']} of the {built['scenarios']} it was built with"
    if held["scenarios"]:
        said = (f"in {held['ahead_agrees']} of {held['scenarios']} summits held out from the model's building (a "
                f"rule that always says no clear winner: {held['always_none_agrees']} of {held['scenarios']}"
                f"{versus_rule(held)}) and " + said)
    return f"track record: the verdict agreed with historians' {said}{_of_this_kind(held, named)} (docs/validation.md)"


def versus_rule(counts: dict) -> str:
    """Whether the model's edge over the rule that always says "no clear winner" is more than chance
    would give, from the summits where exactly one of the two agreed with history (McNemar's exact
    test, ``sim.validation.versus_rule_p``); empty for a record that does not hold it. Twenty of
    twenty-eight against eighteen reads like an edge, and a reader should know whether it is one."""
    if "p_vs_always_none" not in counts:
        return ""
    model, rule, p = counts["beats_always_none"], counts["loses_to_always_none"], counts["p_vs_always_none"]
    if model + rule == 0:
        return "; the two never differ"
    meaning = ("no evidence yet that either does better" if p >= 0.05 else
               "the model does better beyond chance" if model > rule else "the rule does better beyond chance")
    return (f"; of the {model + rule} where the two differ, the model was right in {model} and the rule in "
            f"{rule}: {meaning}, exact p = {p:.2f}")


def by_kind(counts: dict, named: bool) -> tuple[int, int]:
    """Of the verdicts that named a winner (``named``) or named none, how many agreed with history,
    and how many there were."""
    if named:
        return counts["named_winner_agrees"], counts["named_winner"]
    return counts["ahead_agrees"] - counts["named_winner_agrees"], counts["scenarios"] - counts["named_winner"]


def _of_this_kind(held: dict, named: bool | None) -> str:
    """How often held-out verdicts like the one shown (a winner named, or none) were history's."""
    if named is None or "named_winner" not in held or not held["scenarios"]:
        return ""
    right, n = by_kind(held, named)
    if named:
        return f"; where it named a winner on a held-out summit, historians named the same one in {right} of {n}"
    return (f"; where it named none on a held-out summit (or found it too close to call), historians "
            f"agreed in {right} of {n}")


def sentence(record: dict | None, named: bool | None = None) -> str | None:
    """The record as a sentence of its own, for a page: capitalised, with its full stop."""
    said = text(record, named)
    return None if said is None else f"{said[0].upper()}{said[1:]}."
