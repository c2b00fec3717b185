"""The parts of Textual that are not public API and the terminal relies on. A Textual release
that changes them fails here, naming what changed, before any screen test fails obscurely.

- `FieldInput._on_key` (emsterm/terminal/widgets.py) overrides `Input._on_key`: it must still be
  the coroutine Textual calls for each key, and `Input._on_key` must still type a printable key
  through `insert_text_at_cursor` (where the 3270 overwrite, insert mode and autoskip live).
- `FieldInput` runs the field's own bindings at once through `_bindings.key_to_bindings`.
- `EmsApp._fields_settled` waits on each field's `_message_queue`.
"""

from __future__ import annotations

import inspect
from importlib.metadata import version

from textual.app import App, ComposeResult
from textual.widgets import Input

from emsterm.terminal.widgets import FieldInput

TESTED = ("8.",)
"""The Textual major versions the terminal is tested with (pyproject pins the same range)."""


def test_textual_is_a_tested_version() -> None:
    assert version("textual").startswith(TESTED), (
        f"Textual {version('textual')} is not a tested version {TESTED}: check the private hooks below, "
        "then widen the pin in pyproject.toml"
    )


def test_input_still_handles_keys_in_a_coroutine_on_key() -> None:
    assert inspect.iscoroutinefunction(Input._on_key), "Input._on_key is no longer a coroutine"
    assert FieldInput._on_key is not Input._on_key
    assert "insert_text_at_cursor" in inspect.getsource(Input._on_key), (
        "Input._on_key no longer types through insert_text_at_cursor: FieldInput's overwrite and "
        "autoskip would be bypassed (emsterm/terminal/widgets.py)"
    )
    assert callable(getattr(Input, "restricted", None)), "Input.restricted (the refused-character hook) is gone"


class _Recorder(Input):
    typed: list[str]

    def insert_text_at_cursor(self, text: str) -> None:
        self.typed.append(text)
        super().insert_text_at_cursor(text)


class _One(App[None]):
    def compose(self) -> ComposeResult:
        field = _Recorder()
        field.typed = []
        yield field


async def test_a_printable_key_reaches_insert_text_at_cursor() -> None:
    app = _One()
    async with app.run_test() as pilot:
        field = app.query_one(_Recorder)
        field.focus()
        await pilot.press("a", "b")
        await pilot.pause()
        assert field.typed == ["a", "b"], "Input no longer types keys through insert_text_at_cursor"
        assert field.value == "ab"
        assert "ctrl+k" in field._bindings.key_to_bindings, "Input bindings moved from _bindings.key_to_bindings"
        assert hasattr(field, "_message_queue") and hasattr(field._message_queue, "empty")
