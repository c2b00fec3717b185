"""One generic screen that draws any map on the 24x80 grid, and the PF1 help window."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from emsterm.model.codes import MessageSeverity
from emsterm.screens.kit.conversation import ListPage, Message
from emsterm.screens.kit.fit import fit
from emsterm.terminal.maps import (
    COLS,
    INDICATOR_COL,
    INDICATOR_ROW,
    LEGEND_ROW,
    ROWS,
    STATUS_COL,
    FieldSpec,
    MapSpec,
)
from emsterm.terminal.widgets import FieldInput, MapCanvas

COMMAND_FIELD = FieldSpec(
    name="command",
    row=2,
    col=14,
    length=48,
    attributes=frozenset({"unprot"}),
    label="COMMAND",
    help="Type a menu option (2 or 2.3), a jump (=2.3, =X to sign off), a transaction code and "
    "its argument (EM21 0012345678), or a command word: HELP END RETURN UP DOWN CANCEL. "
    "Separate stacked commands with ;.",
)
MESSAGE_ROW, PFKEY_ROW = 23, 24
BANNER_COL, BANNER_WIDTH = 11, 10
"""Where row 1 has room between the screen id and the title: TRAINING in a training region."""
_SEVERITY_ROLE: dict[str, str] = {
    MessageSeverity.INFORMATION: "info",
    MessageSeverity.WARNING: "warning",
    MessageSeverity.ERROR: "error",
    MessageSeverity.SEVERE: "error",
}


class MapScreen(Screen[None]):
    """A map on the grid: painted text, protected values, lists and input fields."""

    AUTO_FOCUS = None

    def __init__(self, spec: MapSpec, legend: str) -> None:
        super().__init__(name=spec.id)
        self.spec = spec
        self.pf_legend = legend
        self.state: dict[str, Any] = {}
        """Screen-private state the transaction keeps between interactions."""
        self.message: Message | None = None
        """The message on row 23, whose long text PF1 shows."""
        self.values: dict[str, str] = {}
        """The protected values shown, by field name."""
        self.keep_message = False
        """Whether the message the screen was sent with outlasts its first transaction reply."""
        self.pages: dict[str, ListPage] = {}
        """The page each list shows, by list name (what PF1 on a list row explains)."""

    def compose(self) -> ComposeResult:
        """The grid: canvas below, input fields above it at their positions."""
        with Container(id="grid"):
            yield MapCanvas(id="canvas")
            if self.spec.command_line:
                yield FieldInput(COMMAND_FIELD)
            for field in self.spec.all_inputs:
                yield FieldInput(field)
        yield Static(id="too-small")

    def on_mount(self) -> None:
        """Paint the map's fixed text and initial values."""
        canvas = self.canvas
        if self.spec.command_line:
            canvas.paint(2, 1, "COMMAND ===>", "prompt")
            if self.spec.lists:
                canvas.paint(2, 64, "SCROLL ===> PAGE", "prompt")
        for text in self.spec.text:
            canvas.paint(text.row, text.col, text.value, text.style)
        if self.spec.legend:
            canvas.paint(LEGEND_ROW, 1, self.spec.legend, "legend")
        canvas.paint(PFKEY_ROW, 1, self.pf_legend, "legend")
        for field in self.spec.fields.values():
            if field.protected and field.initial:
                self.show_value(field.name, field.initial)
        self.focus_field(self.spec.cursor)

    def reset(self) -> None:
        """Ready to be shown again: empty inputs, no highlights, cursor on the key field."""
        for widget in self.inputs():
            widget.value = ""
            widget.modified = False
            widget.remove_class("-error")
        if self.is_mounted:
            self.focus_field(self.spec.cursor)

    # -- access -----------------------------------------------------------------------------

    @property
    def canvas(self) -> MapCanvas:
        """The painted canvas."""
        return self.query_one("#canvas", MapCanvas)

    def inputs(self) -> list[FieldInput]:
        """The input fields in screen order (command line first)."""
        return list(self.query(FieldInput))

    def field(self, name: str) -> FieldInput | None:
        """The input field with this name."""
        return next((f for f in self.inputs() if f.spec.name == name), None)

    def input_values(self) -> dict[str, str]:
        """What the user typed in the map's fields (not the command line)."""
        return {f.spec.name: f.value for f in self.inputs() if f.spec.name != "command"}

    def text(self) -> str:
        """The 24 rows as a person sees them: painted text with typed values over it."""
        rows = [list(f"{self.canvas.text_at(r):<{COLS}}") for r in range(1, ROWS + 1)]
        for widget in self.inputs():
            spec = widget.spec
            shown = "" if spec.dark else widget.value
            rows[spec.row - 1][spec.col - 1 : spec.col - 1 + spec.length] = list(f"{shown:<{spec.length}}")
        return "\n".join("".join(r).rstrip() for r in rows)

    def row_help(self, name: str) -> str:
        """The explanation a list row carries (its `help`), for the selection field `name` of
        that row (`results.sel.0`); empty when there is none."""
        list_name, _, index = name.partition(".sel.")
        page = self.pages.get(list_name)
        if page is None or not index.isdigit() or int(index) >= len(page.rows):
            return ""
        return str(page.rows[int(index)].get("help", ""))

    def clear_selections(self) -> None:
        """Empty the selection-code fields (after a list is shown again)."""
        for widget in self.inputs():
            if ".sel." in widget.spec.name:
                widget.value = ""

    def focused_spec(self) -> FieldSpec | None:
        """The field under the cursor."""
        focused = self.focused
        return focused.spec if isinstance(focused, FieldInput) else None

    # -- showing ----------------------------------------------------------------------------

    def focus_field(self, name: str) -> None:
        """Put the cursor at the start of a field; of the first input when the name is empty or unknown."""
        target = self.field(name) if name else None
        inputs = self.inputs()
        if target is None and inputs:
            target = next((f for f in inputs if f.spec.name != "command"), inputs[0])
        if target is not None:
            self.set_focus(target)
            target.cursor_position = 0

    def paint_header(self, left: str, date_time: str, row3: list[tuple[int, str]], banner: str = "") -> None:
        """Rows 1 and 3: screen id, a banner (TRAINING in a training region), title, date and
        time; transaction, office, user."""
        canvas = self.canvas
        canvas.clear_row(1)
        canvas.paint(1, 1, left, "title")
        if banner:
            canvas.paint(1, BANNER_COL, banner[:BANNER_WIDTH], "warning")
        canvas.paint(1, 22, f"{self.spec.title:^40}", "title")
        canvas.paint(1, 62, date_time, "title")
        canvas.clear_row(3)
        for col, text in row3:
            canvas.paint(3, col, text, "label")

    def show_busy(self, busy: bool, time_text: str) -> None:
        """X SYSTEM at the right of row 1 while a transaction runs (the keyboard is locked)."""
        self.canvas.paint(1, 73, "X SYSTEM" if busy else f"{time_text:<8}", "busy" if busy else "title")

    def show_keyboard(self, inhibit: str, insert: bool) -> None:
        """The keyboard status at the end of row 24: the X indicator of a refused key, and INS."""
        self.canvas.unpaint(PFKEY_ROW, STATUS_COL)
        self.canvas.unpaint(PFKEY_ROW, STATUS_COL + 5)
        if inhibit:
            self.canvas.paint(PFKEY_ROW, STATUS_COL, inhibit[:4], "busy")
        if insert:
            self.canvas.paint(PFKEY_ROW, STATUS_COL + 5, "INS", "info")

    def erase_input(self) -> None:
        """ERASE INPUT: every input field empty and unmodified, the cursor at the first."""
        inputs = self.inputs()
        for widget in inputs:
            widget.value = ""
            widget.modified = False
        if inputs:
            self.set_focus(inputs[0])
            inputs[0].cursor_position = 0

    def show_message(self, message: Message | None) -> None:
        """Row 23."""
        self.message = message
        self.canvas.clear_row(MESSAGE_ROW)
        if message is not None:
            self.canvas.paint(MESSAGE_ROW, 1, message.line()[:COLS], _SEVERITY_ROLE.get(message.severity, "info"))

    def show_value(self, name: str, value: str) -> None:
        """A field's value: typed into an input field, painted into a protected one."""
        spec = self.spec.fields.get(name)
        if spec is None:
            return
        if spec.protected:
            self.values[name] = value
            self.canvas.paint(
                spec.row, spec.col, f"{value:<{spec.length}.{spec.length}}", "bright" if spec.bright else "label"
            )
        elif (widget := self.field(name)) is not None:
            widget.value = value[: spec.length]
            widget.modified = False

    def show_list(self, name: str, page: ListPage) -> None:
        """A page of a repeating list and its ROW n TO m OF k indicator."""
        spec = self.spec.lists.get(name)
        if spec is None:
            return
        self.pages[name] = page
        for index in range(spec.rows):
            row = spec.first_row + index
            data = page.rows[index] if index < len(page.rows) else {}
            for column in spec.columns:
                text = fit(str(data.get(column.name, "")), column.length)
                self.canvas.paint(row, column.col, f"{text:<{column.length}}", "bright")
        self.canvas.paint(INDICATOR_ROW, INDICATOR_COL, f"{page.indicator:>{COLS - INDICATOR_COL + 1}}", "prompt")

    def mark_errors(self, names: tuple[str, ...] | list[str]) -> None:
        """Highlight every bad field and put the cursor on the first."""
        for widget in self.inputs():
            widget.set_class(widget.spec.name in names, "-error")
        if names:
            self.focus_field(names[0])


class TooSmall(Static):
    """Said instead of the grid when the terminal is smaller than 80x24."""


class HelpScreen(ModalScreen[None]):
    """PF1: the help for a field or screen, or the long text of a message, in a window."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,f3,f12,f15,f24,escape", "close", "Close", show=False, id="help-close")
    ]
    """ENTER, PF3, PF12 (and ESC) close the window."""

    def __init__(self, title: str, text: str) -> None:
        super().__init__(id="help")
        self.help_title = title
        self.help_text = text

    def compose(self) -> ComposeResult:
        """A bordered window inside the grid."""
        with Vertical(id="help-window"):
            yield Static(self.help_title, id="help-title")
            yield Static(self.help_text, id="help-text")
            yield Static("PRESS ENTER OR PF3 TO RETURN, PF1 FOR THE KEYS", id="help-keys")

    def action_close(self) -> None:
        """Back to the screen."""
        self.dismiss(None)

    def show_keys(self, keys_help: str) -> None:
        """PF1 in the window: the keys help in its place."""
        self.query_one("#help-title", Static).update("HELP: THE KEYS")
        self.query_one("#help-text", Static).update(keys_help)


__all__ = ["COMMAND_FIELD", "ROWS", "HelpScreen", "MapScreen"]
