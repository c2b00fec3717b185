"""`ems screenshot`: a step of a flow as a picture, SVG from Textual's own screenshot, PNG through resvg.

The replay is headless on a 24x80 terminal at the flow clock (09:30 on the business date), so
the same flow on the same data gives the same picture.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import resvg_py

from emsterm.config import Settings
from emsterm.flowfiles.model import Flow, FlowError
from emsterm.flows.replay import Checked, check_flow
from emsterm.terminal.library import ScreenLibrary

FORMATS = (".svg", ".png")


def render_png(svg: str) -> bytes:
    """The PNG of an SVG screenshot (monospaced text stays aligned)."""
    return bytes(resvg_py.svg_to_bytes(svg_string=svg, monospace_family="DejaVu Sans Mono"))


def screenshot(
    flow: Flow, step: int, outs: tuple[Path, ...], settings: Settings, library: ScreenLibrary | None = None
) -> Checked:
    """Replay the flow to `step` and write the screen to each of `outs` (.svg or .png); the replay's end.

    Nothing is written when a step up to it is not met (the `Checked` says which).
    """
    for out in outs:
        if out.suffix.lower() not in FORMATS:
            raise FlowError(f"{out}: a screenshot is .svg or .png")
    if not 1 <= step <= len(flow.steps):
        raise FlowError(f"{flow.path.name}: --step must be from 1 to {len(flow.steps)}, not {step}")
    pictures: list[str] = []
    title = f"{flow.title} - step {step}"
    checked = asyncio.run(
        check_flow(
            flow, settings, library, upto=step, then=lambda app: pictures.append(app.export_screenshot(title=title))
        )
    )
    for out in outs if pictures else ():
        if out.suffix.lower() == ".svg":
            out.write_text(pictures[0], encoding="utf-8")
        else:
            out.write_bytes(render_png(pictures[0]))
    return checked
