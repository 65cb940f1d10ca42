"""Text from a scenario file made inert before the page shows it.

Why. ``solara.Markdown`` turns Markdown into HTML and sends that HTML to the browser as a Vue
template. A file's title, names, labels and sources reach the page inside it, so a file could
run code in the browser of whoever opens it: an ``<img onerror=...>`` in a description runs as
HTML does, a ``{{ ... }}`` in a title is evaluated as a Vue expression, and a ``[link](javascript:...)``
runs when clicked. Scenario files travel: students share them, a class downloads them. Every
text the page renders as Markdown passes through ``inert`` first, which keeps the page's own
Markdown (emphasis, headings, tables, lists, code) and makes everything else plain text.
"""

from __future__ import annotations

import html
import re

ZERO_WIDTH = "\u200b"
DOUBLED_BRACE = re.compile(r"([{}])(?=[{}])")


def inert(markdown: str) -> str:
    """``markdown`` with no HTML, no Vue interpolation and no links: angle brackets and ampersands
    become entities (shown as themselves), a zero-width space parts every doubled brace (Vue sees
    no ``{{``), and square brackets are escaped (Markdown sees no link or image)."""
    text = html.escape(markdown, quote=False)
    text = DOUBLED_BRACE.sub(r"\1" + ZERO_WIDTH, text)
    return text.replace("[", r"\[").replace("]", r"\]")
