"""What a scenario begun with 'summit new' still holds of the summit it was copied from.

Why. Every number in a scenario names its source. A file begun as a copy holds the other
summit's numbers, each under the other summit's source, until its author replaces them; a value
left behind reads as sourced and is not: it is another summit's evidence (a susceptibility to
flattery that cites Singapore, a history block that checks the model against Helsinki's verdict).
A summit written blind to test the model should hold none, or keep each one knowingly. So
``summit validate`` lists what is still as copied, block by block, a list the author works down,
and ``summit validation`` says when a file's history block is still the copied summit's.

A value counts as still copied when it and its source are both as the other file has them; a
value changed under the other file's source (the number moved, the paraphrase did not) is listed
apart, since its source no longer says what it holds. ``summit new`` names the original in the
copy's first line; delete that line and nothing is compared.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from sim.library import SCENARIO_DIR, known_scenarios

STARTED = re.compile(r"^# Started from (?P<origin>.+?) with 'summit new'", re.MULTILINE)
TEXTS = ("title", "year", "description")  # what a reader meets first, and what a copy forgets
UNSOURCED = {"model"}  # the modelling-judgement key: its words fit any summit


def header(origin: Path, target: Path) -> str:
    """The copy's first lines: where it came from (a shipped scenario's name, or the original's
    path from the copy's folder), and what to do with every value."""
    if origin.resolve().parent == SCENARIO_DIR:
        named = origin.stem
    else:
        try:
            named = os.path.relpath(origin.resolve(), target.resolve().parent)
        except ValueError:  # on another drive (Windows): no relative path leads there
            named = str(origin.resolve())
    return (f"# Started from {named} with 'summit new'. Edit the values, and give every\n"
            "# change its source: a key of 'sources' and a paraphrase of what it says.\n")


def origin_of(text: str, path: Path, library_only: bool = False) -> Path | None:
    """The file a copy was started from, if its first line still names one that can be found: a
    scenario of the library, or a file by its path from the copy's folder (copies made before
    the line named a path gave a shipped scenario's file name: it is found in the library).
    ``library_only``: an upload to the app, whose first line must not make the server read its
    own files."""
    found = STARTED.search(text[:2000])
    if not found:
        return None
    named = found["origin"]
    beside = path.parent / named
    if (not library_only and named.endswith((".yaml", ".yml")) and beside.is_file()
            and beside.resolve() != path.resolve()):
        return beside
    known = known_scenarios().get(named.removesuffix(".yaml"))
    return known if known is not None and known.resolve() != path.resolve() else None


def still_copied(path: Path, text: str | None = None, library_only: bool = False) -> Leftovers | None:
    """What the file at ``path`` (or its ``text``, already read) still holds of the one it was
    copied from; None if it names none that can be read."""
    from sim.errors import ScenarioError
    from sim.loader import parse, read

    try:
        text = read(path) if text is None else text
        origin = origin_of(text, path, library_only)
        if origin is None:
            return None
        return leftovers(parse(text, path), parse(read(origin), origin), origin.stem)
    except ScenarioError:
        return None  # the copy's own problems are reported by its check; an unreadable original is no copy's


@dataclass
class Leftovers:
    """What a copy still holds of ``origin``, by path: ``texts`` (title, year, description),
    ``same`` (a sourced value and its source, or a choice and its source, both as copied),
    ``kept_source`` (the value changed, its source not), ``sources`` (keys of the sources table
    whose reference is unchanged), ``variants`` (what-ifs as the original declares them), and
    whether the history block is the original's."""

    origin: str
    sourced: int
    texts: list[str] = field(default_factory=list)
    same: list[str] = field(default_factory=list)
    kept_source: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    history: bool = False

    def __bool__(self) -> bool:
        return bool(self.texts or self.same or self.kept_source or self.sources or self.variants or self.history)


def leftovers(document: dict, original: dict, origin: str) -> Leftovers:
    """Compare a copy with its original, both as parsed (plain mappings)."""
    found = Leftovers(origin, sourced=0)
    found.texts = [k for k in TEXTS if k in document and document.get(k) == original.get(k)]
    theirs = original.get("sources") if isinstance(original.get("sources"), dict) else {}
    found.sources = [k for k, ref in document["sources"].items() if k not in UNSOURCED and theirs.get(k) == ref]
    declared = original.get("variants") if isinstance(original.get("variants"), dict) else {}
    found.variants = [k for k, v in (document.get("variants") or {}).items() if declared.get(k) == v]
    history = _verdict(document.get("history"))
    found.history = history is not None and history == _verdict(original.get("history"))
    for key in document:
        if key not in ("name", "sources", "variants", "history", *TEXTS):
            _walk(document[key], original.get(key), key, found)
    return found


def _verdict(history) -> dict | None:
    """A history block but for whether it is held out ('summit new' drops that mark from a copy)."""
    return {k: v for k, v in history.items() if k != "held_out"} if isinstance(history, dict) else None


def _walk(mine, theirs, path: str, found: Leftovers) -> None:
    if not isinstance(mine, dict):
        return
    if "source" in mine:  # a sourced value: fixed, a distribution, or a ceiling's
        _compare(mine, theirs, path, found)
        return
    for key, value in mine.items():
        if key.endswith("_source"):
            continue
        where = f"{path}.{key}"
        if f"{key}_source" in mine:  # a choice (tactic, rounds, who opens) and its source
            pair = {"value": value, "source": mine[f"{key}_source"]}
            other = theirs if isinstance(theirs, dict) else {}
            theirs_pair = ({"value": other[key], "source": other.get(f"{key}_source")} if key in other else None)
            _compare(pair, theirs_pair, where, found)
        else:
            _walk(value, theirs.get(key) if isinstance(theirs, dict) else None, where, found)


def _compare(mine: dict, theirs, path: str, found: Leftovers) -> None:
    """Count a sourced value and file it: as copied, changed under the original's source, or neither."""
    found.sourced += 1
    if not isinstance(theirs, dict):
        return
    if mine == theirs:
        found.same.append(path)
    elif mine["source"] == theirs.get("source"):
        found.kept_source.append(path)


def lines(found: Leftovers, width: int = 100) -> list[str]:
    """What ``summit validate`` prints under a copy: what is still the original's, block by block."""
    out = [f"still as copied from {found.origin} (named on the file's first line by 'summit new'):"]
    if found.texts:
        out.append(f"  {_texts(found.texts)}")
    if found.history:
        out.append(f"  the history block: {found.origin}'s verdict, not this summit's; 'summit validation' "
                   "would check the model against it")
    if found.sources:
        out.append(f"  the sources {', '.join(found.sources)}, as {found.origin} cites them")
    if found.variants:
        out.append(f"  the what-ifs {', '.join(found.variants)}, as {found.origin} declares them")
    if found.same and len(found.same) == found.sourced:
        out.append(f"  all {found.sourced} sourced values and choices, with their sources")
    elif found.same:
        out.append(f"  {len(found.same)} of {found.sourced} sourced values and choices, with their sources:")
        out += _grouped(found.same, width)
    if found.kept_source:
        many = len(found.kept_source) > 1
        out.append(f"  {_count(len(found.kept_source), 'value')} changed under {found.origin}'s source, "
                   f"which no longer says what {'they hold' if many else 'it holds'}:")
        out += _grouped(found.kept_source, width)
    out.append("  give each your own source, or keep it with a source that says why it holds here too")
    return out


def summary(found: Leftovers) -> str:
    """What a copy still holds of its original, in a sentence of counts (no name the file chose, so
    the app shows nothing an author typed): for the app, where the list is too long to show."""
    held = [*([_texts(found.texts)] if found.texts else []), *(["the history block"] if found.history else []),
            *([f"{len(found.sources)} entr{'y' if len(found.sources) == 1 else 'ies'} of the sources table"]
              if found.sources else []),
            *([_count(len(found.variants), "what-if")] if found.variants else []),
            *([f"{len(found.same)} of {found.sourced} sourced values and choices"] if found.same else []),
            *([_count(len(found.kept_source), "value") + " changed under the original's words"]
              if found.kept_source else [])]
    return (f"Still as copied from {found.origin}: {'; '.join(held)}. Each is {found.origin}'s until you give it "
            "your own source; 'summit validate' on the file lists them.")


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _texts(texts: list[str]) -> str:
    """'the title, the year and the description'."""
    named = [f"the {text}" for text in texts]
    return ", ".join(named[:-1]) + " and " + named[-1] if len(named) > 1 else named[0]


def _grouped(paths: list[str], width: int) -> list[str]:
    """Paths by their block (``protocol``, ``issues``, ``events``, or an actor: ``leaders.us``),
    each block on its lines."""
    blocks: dict[str, list[str]] = {}
    for path in paths:
        parts = path.split(".")
        cut = 1 if parts[0] in ("protocol", "issues", "events") else 2
        blocks.setdefault(".".join(parts[:cut]), []).append(".".join(parts[cut:]) or parts[-1])
    out = []
    for block, rest in blocks.items():
        line = f"    {block}: "
        for i, item in enumerate(rest):
            piece = item + (", " if i < len(rest) - 1 else "")
            if len(line) + len(piece) > width and not line.endswith(": "):
                out.append(line.rstrip())
                line = " " * 6
            line += piece
        out.append(line.rstrip())
    return out
