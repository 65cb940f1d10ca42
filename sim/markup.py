"""Text from a scenario file made safe to show inside Markdown: the classroom app's page and the
Markdown report.

Why. A file's title, names, labels and sources reach both, and scenario files travel: students
share them, a class downloads them. Markdown passes HTML through, so an ``<img onerror=...>`` in a
description runs wherever the Markdown is rendered (pandoc, many editors), and a
``[link](javascript:...)`` runs when clicked. The app is worse off: ``solara.Markdown`` sends its
HTML to the browser as a Vue template, where a ``{{ ... }}`` in a title is evaluated as an
expression (seen in Chromium: a title of "{{ 7*191 }}" showed 1337, and a description's
``<img onerror>`` ran).
"""

from __future__ import annotations

import html
import re

ZERO_WIDTH = "\u200b"
DOUBLED_BRACE = re.compile(r"([{}])(?=[{}])")


def plain(text: str) -> str:
    """One line of text as a Markdown file shows it, and nothing more. Angle brackets and
    ampersands become entities (shown as themselves); runs of spaces and line breaks become one
    space, so no line can begin a link definition or a code block; ``](`` and a leading ``[`` are
    escaped, so no link or image can form. The brackets of an interval such as ``[+0.67, +0.68]``
    stay as they are, readable in the file."""
    text = " ".join(html.escape(text, quote=False).split()).replace("](", "]\\(")
    return "\\" + text if text.startswith("[") else text


def inert(markdown: str) -> str:
    """``markdown`` for the app's page, whose own Markdown (emphasis, headings, tables, lists, code)
    spans lines: no HTML, no Vue interpolation and no links. Angle brackets and ampersands become
    entities; every backslash is doubled, so it shows as written and escapes nothing (Markdown
    turned ``\\{\\{ 7*191 \\}\\}`` into ``{{ 7*191 }}`` after the braces had been parted); a
    zero-width space parts every doubled brace (Vue sees no ``{{``); and every square bracket is
    escaped (Markdown sees no link, image or definition on any line)."""
    text = html.escape(markdown, quote=False).replace("\\", "\\\\")
    return bracketless(DOUBLED_BRACE.sub(r"\1" + ZERO_WIDTH, text))


def bracketless(text: str) -> str:
    """``text`` with every square bracket escaped: Markdown reads none of them as a link's."""
    return text.replace("[", r"\[").replace("]", r"\]")
