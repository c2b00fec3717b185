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

    def unpaint(self, row: int, col: int) -> None:
        """Take away the text painted at a 1-based position."""
        if 1 <= row <= ROWS and self._rows[row - 1].pop(col, None) is not None:
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


INHIBIT_NO_ROOM = "X -f"
"""The keyboard refused a character: the cursor is past the end of a full field, or the field takes digits only."""
INHIBIT_FIELD_FULL = "X >"
"""The keyboard refused a character in insert mode: the field is full (the 3270's "more than" symbol)."""


class FieldInput(Input):
    """An unprotected field that edits like a 3270 field: fixed length, underscores when empty.

    Typing overwrites the character under the cursor; in insert mode (the app's `insert_mode`)
    it pushes the rest of the field right, and a full field refuses it. A character typed past
    the end of a full field is refused too - the cursor stays, the bell sounds and the app's
    `inhibit` shows the 3270's X indicator - unless the map marks the field `autoskip`, when the
    cursor skips to the start of the next input field (never round from the last to the first).
    Numeric fields refuse anything but digits; dark fields (passwords) show nothing; asis fields
    keep case; all other fields take capitals, as the terminals did.
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

    # -- the keyboard state the app keeps ---------------------------------------------------

    def _locked(self) -> bool:
        return bool(getattr(self.app, "busy", False))

    def _insert_mode(self) -> bool:
        return bool(getattr(self.app, "insert_mode", False))

    def _inhibit(self, indicator: str) -> None:
        if hasattr(self.app, "inhibit"):
            self.app.inhibit = indicator

    def refuse(self, indicator: str = INHIBIT_NO_ROOM) -> None:
        """A character the field cannot take: the bell, and the X indicator until the next key."""
        self._inhibit(indicator)
        self.app.bell()

    # -- keys -------------------------------------------------------------------------------

    async def _on_key(self, event: events.Key) -> None:
        if self._locked():
            event.stop()
            event.prevent_default()
            return
        self._inhibit("")
        if not event.is_printable and (bindings := self._bindings.key_to_bindings.get(event.key)):
            # The field's own editing keys (DELETE, BACKSPACE, CTRL+K, the arrows, END) act now, in
            # the order typed; left to bubble up to the app they would act after keys typed later.
            event.stop()
            event.prevent_default()
            await self.run_action(bindings[0].action)
            return
        if event.is_printable and not self.selection.is_empty:
            self.cursor_position = min(self.selection)
        await super()._on_key(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No editing while the keyboard is locked (X SYSTEM)."""
        return not self._locked()

    def insert_text_at_cursor(self, text: str) -> None:
        """Type characters (a key, or a paste): overwrite or insert, then autoskip if marked.

        A character typed ahead into an autoskip field that has already filled goes on to the
        field the cursor skipped to, as it would have on the terminal.
        """
        field = self
        for char in text:
            field = field._typed_ahead_target()
            if not field._type(char):
                return

    def _typed_ahead_target(self) -> FieldInput:
        field = self
        while field.spec.autoskip and field._cursor_at_end() and (following := field._next_field()) is not None:
            field = following
        return field

    def _cursor_at_end(self) -> bool:
        return self.cursor_position >= self.spec.length

    def _type(self, char: str) -> bool:
        """One character at the cursor; False when the field refused it."""
        char = char if self.spec.dark or self.spec.asis else char.upper()
        position = self.cursor_position
        if self._insert_mode():
            if len(self.value) >= self.spec.length:
                self.refuse(INHIBIT_FIELD_FULL)
                return False
            end = position
        elif self._cursor_at_end():
            self.refuse()
            return False
        else:
            end = position + 1
        before = self.value
        self.replace(char, position, end)
        if self.value == before and self.cursor_position == position:
            return False
        self.modified = True
        if self.spec.autoskip and self._cursor_at_end() and (following := self._next_field()) is not None:
            # at once, not deferred: a TAB typed ahead must move on from the new field
            self.screen.set_focus(following)
            following.cursor_position = 0
        return True

    def replace(self, text: str, start: int, end: int) -> None:
        """Every change the user makes goes through here; it sets the modified flag (MDT)."""
        before = self.value
        super().replace(text, start, end)
        if self.value != before:
            self.modified = True

    def _next_field(self) -> FieldInput | None:
        """The next input field on the screen; None after the last (autoskip does not wrap)."""
        fields = list(self.screen.query(FieldInput))
        if self not in fields:
            return None
        index = fields.index(self) + 1
        return fields[index] if index < len(fields) else None

    def restricted(self) -> None:
        """A refused character (a letter in a numeric field) locks the keyboard, as the numeric lock did."""
        self.refuse()
