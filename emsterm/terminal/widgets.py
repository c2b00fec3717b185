"""The widgets of a 3270 screen: the painted 24x80 canvas and the unprotected input fields."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input

from emsterm.terminal.maps import COLS, ROWS, FieldSpec

ROLES = ("label", "bright", "prompt", "heading", "title", "legend", "info", "warning", "error", "busy")
"""Painting roles; each is a component class (`map--ROLE`) styled in ems.tcss."""


class MapCanvas(Widget):
    """The protected part of the screen: text painted at (row, column) in 3270 roles."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"map--{role}" for role in ROLES}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._rows: list[dict[int, tuple[str, str]]] = [{} for _ in range(ROWS)]

    def clear_row(self, row: int) -> None:
        """Erase a row (1-based)."""
        self._rows[row - 1] = {}
        self.refresh()

    def paint(self, row: int, col: int, text: str, role: str = "label") -> None:
        """Put text at a 1-based position, cut at column 80."""
        if not 1 <= row <= ROWS or not 1 <= col <= COLS:
            return
        self._rows[row - 1][col] = (text[: COLS - col + 1], role)
        self.refresh()

    def text_at(self, row: int) -> str:
        """The row as plain text (for tests and trainers' transcripts)."""
        line = [" "] * COLS
        for col, (text, _) in self._rows[row - 1].items():
            line[col - 1 : col - 1 + len(text)] = list(text)
        return "".join(line[:COLS]).rstrip()

    def render_line(self, y: int) -> Strip:
        """One row of the grid, styled by the roles of its pieces."""
        if y >= ROWS:
            return Strip.blank(self.size.width)
        base = self.rich_style
        segments: list[Segment] = []
        cursor = 1
        for col in sorted(self._rows[y]):
            text, role = self._rows[y][col]
            if col < cursor:
                continue
            if col > cursor:
                segments.append(Segment(" " * (col - cursor), base))
            style: Style = base + self.get_component_rich_style(f"map--{role}", partial=True)
            segments.append(Segment(text, style))
            cursor = col + len(text)
        if cursor <= COLS:
            segments.append(Segment(" " * (COLS - cursor + 1), base))
        return Strip(segments, COLS).crop(0, COLS)


class FieldInput(Input):
    """An unprotected field: fixed length, underscores when empty, autoskip when full.

    Numeric fields refuse anything but digits; dark fields (passwords) show nothing; asis fields keep case; all other
    fields take capitals, as the terminals did.
    """

    def __init__(self, spec: FieldSpec, **kwargs: Any) -> None:
        super().__init__(
            value=spec.initial,
            placeholder="_" * spec.length,
            password=spec.dark,
            restrict=r"[0-9]*" if spec.numeric else None,
            max_length=spec.length,
            compact=True,
            select_on_focus=False,
            id=f"field-{spec.name.replace('.', '-')}",
            **kwargs,
        )
        self.spec = spec
        self.modified = False
        """Whether the user changed the field since it was last displayed (the MDT)."""
        self.styles.offset = (spec.col - 1, spec.row - 1)
        self.styles.width = spec.length + 1

    def _locked(self) -> bool:
        return bool(getattr(self.app, "busy", False))

    async def _on_key(self, event: events.Key) -> None:
        if self._locked():
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No editing while the keyboard is locked (X SYSTEM)."""
        return not self._locked()

    def _full(self) -> bool:
        return bool(self.max_length) and len(self.value) >= self.max_length and self.cursor_position >= self.max_length

    def insert_text_at_cursor(self, text: str) -> None:
        """Type a character: capitals unless dark or asis; skip to the next field when full.

        A character typed ahead into a field that has already filled goes on to the next field,
        as it would have on the terminal.
        """
        if self._full():
            following = self._next_field()
            if following is not None:
                self.screen.set_focus(following)
                following.insert_text_at_cursor(text)
            return
        super().insert_text_at_cursor(text if self.spec.dark or self.spec.asis else text.upper())
        self.modified = True
        if self._full():
            following = self._next_field()
            if following is not None:
                # at once, not deferred: a TAB typed ahead must move on from the new field
                self.screen.set_focus(following)

    def _next_field(self) -> FieldInput | None:
        fields = list(self.screen.query(FieldInput))
        if self not in fields:
            return None
        return fields[(fields.index(self) + 1) % len(fields)]

    def restricted(self) -> None:
        """A refused character sounds the alarm, as the numeric lock did."""
        self.app.bell()
