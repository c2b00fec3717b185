"""The two looks: 3270 base colours (a 3279) and monochrome green (a 3278)."""

from __future__ import annotations

from textual.theme import Theme

IBM3279 = Theme(
    name="ems3270",
    primary="#00c000",
    background="#000000",
    surface="#000000",
    panel="#000000",
    foreground="#00ff00",
    dark=True,
    variables={
        "ems-unprotected": "#00ff00",
        "ems-protected": "#5c9dff",
        "ems-bright": "#ffffff",
        "ems-error": "#ff3030",
        "ems-turquoise": "#40e0d0",
        "ems-yellow": "#ffff00",
        "ems-pink": "#ff80ff",
        "ems-background": "#000000",
    },
)
"""Base-colour mode: unprotected green, protected blue, bright white, errors red."""

IBM3278 = Theme(
    name="mono",
    primary="#33ff33",
    background="#000000",
    surface="#000000",
    panel="#000000",
    foreground="#33ff33",
    dark=True,
    variables={
        "ems-unprotected": "#33ff33",
        "ems-protected": "#22bb22",
        "ems-bright": "#99ff99",
        "ems-error": "#99ff99",
        "ems-turquoise": "#33ff33",
        "ems-yellow": "#33ff33",
        "ems-pink": "#33ff33",
        "ems-background": "#000000",
    },
)
"""A monochrome green screen: intensified is simply brighter."""

THEMES = {"3270": IBM3279, "mono": IBM3278}
"""The `--theme` choices."""
