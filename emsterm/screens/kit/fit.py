"""Fitting text to the columns of a 24x80 screen: wrapped at word boundaries, or abbreviated
with a `+` (more follows) instead of being cut in the middle of a word."""

from __future__ import annotations

import textwrap

MORE = "+"
"""Ends a text abbreviated to fit its column: there is more than is shown."""


def wrap(text: str, width: int) -> list[str]:
    """The text on lines of at most `width` characters, broken between words (a word longer
    than a line is split); one empty line for empty text."""
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def fit(text: str, width: int) -> str:
    """The text if it fits in `width` characters, else as many whole words as fit with `+`."""
    text = text.rstrip()
    if len(text) <= width:
        return text
    head = text[: width - 1]
    cut = head.rfind(" ")
    if cut > width // 2:
        head = head[:cut]
    return head.rstrip() + MORE
