"""Read a user's YAML file so that nothing in it can crash, hang or exhaust the machine.

A scenario or sweep file is text a student may have edited by hand or downloaded. Plain
``yaml.safe_load`` already refuses to build objects, but it still expands aliases (the "billion
laughs" attack turns a few hundred bytes into gigabytes), recurses once per level of nesting,
lets a repeated key silently replace the first, and reads ``1e-3`` as a string (YAML 1.1). This
module reads at most ``MAX_BYTES``, insists on UTF-8, refuses aliases before they expand, bounds
nesting depth, refuses duplicate keys naming both lines, and reads numbers as YAML 1.2 does.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from sim.defaults import MAX_BYTES
from sim.library import head

MAX_DEPTH = 40  # a scenario nests about 6 deep


class DocumentError(Exception):
    """A file that cannot be read as a summit document; ``where`` names the file and line."""

    def __init__(self, where: str, problem: str):
        self.where, self.problem = where, problem
        super().__init__(f"{where}: {problem}")


def read_text(path: Path) -> str:
    """The file's text: at most ``MAX_BYTES``, UTF-8, no NUL bytes."""
    try:
        data = head(path)
    except OSError as err:
        raise DocumentError(str(path), f"cannot be read ({err.strerror or err})") from None
    return decode(data, str(path))


def decode(data: bytes, where: str) -> str:
    """Bytes from a file or an upload as text: at most ``MAX_BYTES``, UTF-8, no NUL bytes."""
    if len(data) > MAX_BYTES:
        raise DocumentError(where, f"is larger than {MAX_BYTES:,} bytes, the most a summit file may hold "
                                   "(the largest shipped scenario is about 30 kB)")
    if b"\0" in data:
        raise DocumentError(where, "is a binary file (it holds NUL bytes), not YAML text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise DocumentError(f"{where}, line {line}", f"is not UTF-8 text (byte 0x{data[err.start]:02x}); "
                                                     "save the file as UTF-8") from None


_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser where PyYAML was built with it


# Characters a terminal or a page acts on instead of showing: C0 and C1 controls but the tab and the
# line feed (an escape can recolour, clear or retitle a terminal; a carriage return can print one
# leader's name over another's), and the bidirectional overrides that show text in another order
# than it is read ("Trojan Source", Boucher & Anderson 2023). YAML writes them only as escapes in
# double quotes ("\e[2J"), so a file that holds one did so on purpose.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CONTROL_NAMES = {"\x1b": "an escape", "\r": "a carriage return", "\x07": "a bell", "\x08": "a backspace"}


def _screen(text: str, where: str) -> None:
    """Refuse aliases, deep nesting and control characters from the event stream, before any node
    is built: an alias is never expanded, no recursion goes deeper than ``MAX_DEPTH``, and no text
    reaches a terminal, a report or the app that would act on it (``CONTROL``)."""
    depth = 0
    for event in yaml.parse(text, Loader=_BASE):
        if isinstance(event, yaml.ScalarEvent) and (found := CONTROL.search(event.value)):
            char = found.group()
            named = CONTROL_NAMES.get(char) or (f"the {unicodedata.name(char).lower()}"
                                                if unicodedata.name(char, "") else "a control character")
            raise DocumentError(f"{where}, line {event.start_mark.line + 1}",
                                f"holds {named} (U+{ord(char):04X}), which a terminal or a page would act on "
                                "rather than show; summit text may hold letters, digits, punctuation, tabs "
                                "and line breaks")
        if isinstance(event, yaml.AliasEvent):
            raise DocumentError(f"{where}, line {event.start_mark.line + 1}",
                                f"uses the alias '*{event.anchor}'; summit files may not use YAML anchors and "
                                "aliases: write the value out")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise DocumentError(f"{where}, line {event.start_mark.line + 1}",
                                    f"nests deeper than {MAX_DEPTH} levels; a summit file needs about 6")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


class _Loader(_BASE):
    """A safe loader that refuses duplicate keys and reads numbers as YAML 1.2 does; ``_screen``
    has already refused aliases and deep nesting."""

    where = ""

    def construct_mapping(self, node, deep=False):
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                first = seen.get(key)
            except TypeError:
                raise DocumentError(f"{self.where}, line {line}", "a key must be a plain name or number") from None
            if first is not None:
                raise DocumentError(f"{self.where}, line {line}",
                                    f"the key '{key}' appears twice, on lines {first} and {line}; keep one")
            seen[key] = line
        return super().construct_mapping(node, deep)


_Loader.yaml_implicit_resolvers = {k: list(v) for k, v in _BASE.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def _loader(text: str, where: str) -> _Loader:
    loader = _Loader(text)
    loader.where = where
    return loader


def load_yaml(text: str, where: str) -> Any:
    """Parse ``text`` (from ``where``) safely; a YAML syntax error says where it is."""
    loader = None
    try:
        _screen(text, where)
        loader = _loader(text, where)
        return loader.get_single_data()
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = f"{where}, line {mark.line + 1}, column {mark.column + 1}" if mark else where
        problem = getattr(err, "problem", None) or getattr(err, "reason", None) or str(err).splitlines()[0]
        hint = _hint(err, text)
        raise DocumentError(at, f"this is not valid YAML ({problem}){': ' + hint if hint else ''}") from None
    except RecursionError:
        raise DocumentError(where, "nests too deeply; a summit file needs about 6 levels") from None
    finally:
        if loader is not None:
            loader.dispose()


def _hint(err: yaml.YAMLError, text: str) -> str:
    """What a YAML syntax error most often means in a summit file, with the line it stands on;
    empty where there is nothing more useful to say than the parser's own words."""
    mark, problem = getattr(err, "problem_mark", None), str(getattr(err, "problem", "") or "")
    context, opened = str(getattr(err, "context", "") or ""), getattr(err, "context_mark", None)
    lines = text.splitlines()
    raw = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    line = raw.strip()
    shown = _quoted(line)
    if "quoted scalar" in context and opened is not None:
        return f"the quotation mark opened on line {opened.line + 1} is never closed"
    if "tab character" in problem or "\t" in raw[:len(raw) - len(raw.lstrip())]:
        return f"{shown} is indented with a tab; indent with spaces only"
    if "mapping values are not allowed" in problem and line.count(": ") + line.endswith(":") >= 2:
        key = line.split(":", 1)[0]
        return (f"in {shown} a second ': ' starts another key inside the text; put the whole text after "
                f"'{key}:' in double quotes, as sources are written")
    if "mapping values are not allowed" in problem or "expected <block end>" in problem:
        return f"{shown} is indented differently from the keys beside it; keys of one block line up"
    if "expected '-' indicator" in problem:
        return f"{shown} mixes a key into a list: a block is either all '- ' items or all 'key: value' lines"
    if "could not find expected ':'" in problem and opened is not None and opened.line < len(lines):
        return f"{_quoted(lines[opened.line].strip())} on line {opened.line + 1} needs the form 'key: value'"
    if "flow sequence" in context and opened is not None:
        return f"the list '[' opened on line {opened.line + 1} is never closed with ']'"
    if "flow mapping" in context and opened is not None:
        return f"the braces '{{' opened on line {opened.line + 1} are never closed with '}}'"
    return ""


def _quoted(line: str) -> str:
    return f"'{line[:77]}...'" if len(line) > 80 else f"'{line}'"


def compose(text: str) -> yaml.Node | None:
    """The node tree of ``text`` (for line numbers), or None where it cannot be read safely."""
    loader = None
    try:
        _screen(text, "")
        loader = _loader(text, "")
        return loader.get_single_node()
    except (yaml.YAMLError, DocumentError, RecursionError):
        return None
    finally:
        if loader is not None:
            loader.dispose()
