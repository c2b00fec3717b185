"""The Textual application: sign-on, navigation, and dispatch of maps to transactions.

The app is the terminal controller. It owns the COMMAREA (`Context`), the chain of calling
screens that PF3 walks back, and the keyboard: every PF key sends its command word, the command
line takes the same words, menu options, jumps and transaction codes; Esc is PA1, the attention
key. Transactions run in thread workers against the database and report back by message;
meanwhile the keyboard is locked and row 1 shows X SYSTEM. The app also keeps the keyboard's
state: insert mode (INS) and the X indicator of a refused key, at the end of row 24.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message as TextualMessage
from textual.reactive import reactive
from textual.widgets import Static

from emsterm.config import Settings
from emsterm.database.engine import DatabaseGone, make_engine, transaction
from emsterm.model import MessageSeverity
from emsterm.screens import signon
from emsterm.screens.kit.conversation import Context, Message, Reply, Request
from emsterm.screens.kit.dispatch import Handler, perform
from emsterm.screens.kit.messages import Catalog
from emsterm.terminal import navigation
from emsterm.terminal.commands import Command, parse
from emsterm.terminal.incidents import log_incident
from emsterm.terminal.library import ScreenLibrary, default_library, menu_map, resolve_transaction
from emsterm.terminal.maps import COLS, ROWS, MapSpec, UnknownFields
from emsterm.terminal.navigation import SIGNON, Step
from emsterm.terminal.screen import HelpScreen, MapScreen
from emsterm.terminal.theme import THEMES
from emsterm.terminal.validation import validate
from emsterm.terminal.widgets import FieldInput

TRAINING_BANNER = "TRAINING"
"""Row 1 of every screen in a training region."""
PF_KEYS = [(f"f{n}", f"PF{n}") for n in range(1, 13)] + [(f"f{n + 12}", f"PF{n + 12}") for n in range(1, 13)]


def _bindings() -> list[BindingType]:
    # Priority bindings act when the key arrives, before keys typed after it are routed, so a
    # TAB or HOME typed ahead moves the cursor before the next characters land. ENTER and the
    # PF keys then wait for the fields to take the characters typed before them (see action_aid).
    keys: list[BindingType] = [Binding("enter", "aid('ENTER')", "Enter", show=False, priority=True, id="enter")]
    for key, aid in PF_KEYS:
        keys.append(Binding(key, f"aid('{aid}')", aid, show=False, priority=True, id=aid.lower()))
    keys += [
        Binding("escape", "aid('PA1')", "PA1", show=False, priority=True, id="pa1"),
        Binding("tab", "move(1)", "Next field", show=False, priority=True, id="tab"),
        Binding("shift+tab", "move(-1)", "Previous field", show=False, priority=True, id="backtab"),
        Binding("home", "home", "First field", show=False, priority=True, id="home"),
        Binding("insert", "insert_mode", "Insert mode", show=False, priority=True, id="insert"),
        Binding("shift+delete", "erase_input", "Erase input", show=False, priority=True, id="erase-input"),
        Binding("ctrl+r", "reset", "Reset", show=False, priority=True, id="reset"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit"),
    ]
    return keys


class KeyRecorder(Protocol):
    """Told of every key the terminal gets, before the terminal acts on it (`ems tui --record`)."""

    def key(self, app: EmsApp, key: str, character: str | None) -> None:
        """One key press: its Textual name (`enter`, `f3`, `a`) and the character it types."""


def answering_for(spec: MapSpec, handler: Handler) -> Handler:
    """`handler`, refusing inside its transaction (so nothing it did is kept) a reply that stays
    on the map and names a field or list the map does not have (`UnknownFields`)."""

    def checked(session: Session, request: Request) -> Reply:
        reply = handler(session, request)
        if not reply.next_screen:
            unknown = spec.unknown_names(reply.values, reply.lists, (*reply.errors, reply.cursor, *reply.clear))
            if unknown:
                raise UnknownFields(f"{spec.id} has no field {', '.join(unknown)}")
        return reply

    return checked


class EmsApp(App[None]):
    """The EMS terminal."""

    CSS_PATH = "terminal/ems.tcss"
    TITLE = "EMS"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = _bindings()

    busy: reactive[bool] = reactive(False)
    """Whether a transaction is running (keyboard locked, X SYSTEM shown)."""
    insert_mode: reactive[bool] = reactive(False)
    """Whether typing inserts (INS shown) instead of overwriting; RESET, ENTER, a PF key or PA1 end it."""
    inhibit: reactive[str] = reactive("")
    """The X indicator of the last key the keyboard refused (X -f, X >); the next key clears it."""

    @dataclass
    class TransactionDone(TextualMessage):
        """A transaction answered."""

        map_id: str
        reply: Reply
        catalog: Catalog | None

    @dataclass
    class TransactionFailed(TextualMessage):
        """A transaction raised; the details are in the incident log."""

        map_id: str
        incident: str

    def __init__(
        self,
        settings: Settings,
        *,
        theme: str = "3270",
        library: ScreenLibrary | None = None,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
        idle_seconds: float | None = None,
        recorder: KeyRecorder | None = None,
    ) -> None:
        super().__init__()
        self.recorder = recorder
        self.settings = settings
        self.library = library or default_library()
        self.clock = clock
        self.theme_name = THEMES[theme].name
        self.context = Context(business_date=settings.business_date)
        self.catalog = Catalog({})
        self.stack: list[str] = []
        """The calling screens, oldest first: PF3 goes back to the last."""
        self.idle_seconds = idle_seconds
        """Overrides the IDLE_MINUTES parameter (tests, demos)."""
        self.last_activity = time.monotonic()
        self._engine: Engine | None = None
        for look in THEMES.values():
            self.register_theme(look)
        self.theme = self.theme_name

    # -- set-up ------------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        """The database engine, made on first use."""
        if self._engine is None:
            self._engine = make_engine(self.settings.database_url)
        return self._engine

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """The 3270 colour variables, for any theme that does not name them."""
        return dict(THEMES["3270"].variables)

    def on_mount(self) -> None:
        """Show the sign-on screen and start the idle watch."""
        self.set_interval(5, self.check_inactivity)
        self.call_later(self.show, SIGNON)

    def on_unmount(self) -> None:
        """Release the database."""
        if self._engine is not None:
            self._engine.dispose()

    def on_resize(self, event: events.Resize) -> None:
        """Show the grid centred, or say what size it needs."""
        self._fit_screen()

    def _fit_screen(self) -> None:
        screen = self.screen
        if not isinstance(screen, MapScreen):
            return
        width, height = self.size
        small = width < COLS or height < ROWS
        screen.set_class(small, "-too-small")
        if small:
            screen.query_one("#too-small", Static).update(
                f"EMS NEEDS A TERMINAL OF AT LEAST {COLS} X {ROWS}; THIS ONE IS {width} X {height}"
            )

    # -- showing screens ---------------------------------------------------------------------

    @property
    def map_screen(self) -> MapScreen | None:
        """The map on display (None while a help window is open)."""
        return self.screen if isinstance(self.screen, MapScreen) else None

    def spec_for(self, map_id: str) -> MapSpec:
        """The map to draw for an id; a menu lists only the options the user may use."""
        menu = self.library.menu_of(map_id)
        if menu is not None:
            return menu_map(menu, self.context.roles)
        return self.library.maps[map_id]

    async def show(self, map_id: str, argument: str = "", message: Message | None = None) -> None:
        """Send a map: draw it, then let its transaction fill it (INIT, or ENTER with an argument)."""
        screen = self._screen_for(map_id)
        spec = screen.spec
        if self.screen is screen:
            pass
        elif isinstance(self.screen, MapScreen):
            await self.switch_screen(screen)
        else:
            await self.push_screen(screen)
        if not spec.transaction:
            screen.reset()
        self._paint_header(screen)
        self._fit_screen()
        screen.show_message(message)
        screen.keep_message = message is not None
        if spec.transaction:
            if argument and spec.cursor:
                screen.show_value(spec.cursor, argument)
                self.run_transaction(screen, "ENTER")
            else:
                self.run_transaction(screen, "INIT")

    def _screen_for(self, map_id: str) -> MapScreen:
        """A new screen for a map with a transaction; menus are drawn once per role set and kept."""
        spec = self.spec_for(map_id)
        legend = self.library.keylist.legend(spec.keys)
        if spec.transaction:
            return MapScreen(spec, legend)
        name = f"{map_id}:{','.join(sorted(self.context.roles))}"
        if not self.is_screen_installed(name):
            self.install_screen(MapScreen(spec, legend), name)
        return self.get_screen(name)  # type: ignore[return-value]

    def _paint_header(self, screen: MapScreen) -> None:
        now = self.clock()
        trancode = screen.spec.trancode or screen.spec.id
        row3 = [(1, f"TRAN: {trancode}")]
        if self.context.signed_on:
            row3 += [(47, f"OFFICE: {self.context.office}"), (63, f"USER: {self.context.user_id}")]
        if self.context.case_number and screen.spec.id != SIGNON:
            row3.append((20, f"CASE: {self.context.case_number}"))
        banner = TRAINING_BANNER if self.settings.region else ""
        screen.paint_header(screen.spec.id, f"{self.context.business_date:%m/%d/%Y}", row3, banner)
        screen.show_busy(self.busy, f"{now:%H:%M:%S}")
        screen.show_keyboard(self.inhibit, self.insert_mode)

    def watch_busy(self, busy: bool) -> None:
        """Lock or unlock the keyboard indicator."""
        screen = self.map_screen
        if screen is not None and screen.is_mounted:
            screen.show_busy(busy, f"{self.clock():%H:%M:%S}")

    def watch_insert_mode(self) -> None:
        """INS at the end of row 24."""
        self._show_keyboard()

    def watch_inhibit(self) -> None:
        """X -f or X > at the end of row 24."""
        self._show_keyboard()

    def _show_keyboard(self) -> None:
        screen = self.map_screen
        if screen is not None and screen.is_mounted:
            screen.show_keyboard(self.inhibit, self.insert_mode)

    def say(self, message_id: str, **fields: Any) -> None:
        """Put a catalog message on row 23 (with the bell for errors)."""
        message = self.catalog.message(message_id, **fields)
        if self.map_screen is not None:
            self.map_screen.show_message(message)
        if message.severity in (MessageSeverity.ERROR, MessageSeverity.SEVERE):
            self.bell()

    # -- keys --------------------------------------------------------------------------------

    def note_activity(self) -> None:
        """Any key resets the idle clock."""
        self.last_activity = time.monotonic()

    async def on_event(self, event: events.Event) -> None:
        """Every key goes to the recorder first, when there is one (keys bound to actions too)."""
        if self.recorder is not None and isinstance(event, events.Key) and not event.is_forwarded:
            self.recorder.key(self, event.key, event.character)
        await super().on_event(event)

    def on_key(self, event: events.Key) -> None:
        """Keys that reach the app count as activity."""
        self.note_activity()

    async def _fields_settled(self) -> None:
        """Let every field take the characters already typed into it."""
        screen = self.screen
        for _ in range(1000):
            # empty, and the last key taken out of the queue handled too (task_done)
            if all(
                f._message_queue.empty() and not getattr(f._message_queue, "_unfinished_tasks", 0)
                for f in screen.query(FieldInput)
            ):
                return
            await asyncio.sleep(0)

    async def action_move(self, step: int) -> None:
        """TAB and SHIFT+TAB: the start of the next or previous input field (a help window takes neither).

        As on a 3270, SHIFT+TAB with the cursor inside a field goes to the start of that field
        first. Characters typed before the key land first (an autoskip field passes its overflow
        on), so a TAB typed ahead moves on from where the typing before it ended.
        """
        if self.busy or isinstance(self.screen, HelpScreen):
            return
        self.note_activity()
        await self._fields_settled()
        self.inhibit = ""
        focused = self.screen.focused
        if step < 0 and isinstance(focused, FieldInput) and focused.cursor_position > 0:
            focused.cursor_position = 0
            return
        target = self.screen.focus_next() if step > 0 else self.screen.focus_previous()
        if isinstance(target, FieldInput):
            target.cursor_position = 0

    async def action_aid(self, aid: str) -> None:
        """An attention key: ENTER, a PF key or PA1 (Esc); each ends insert mode, as on a 3278.

        PA1 sends its command word (CANCEL) without reading the fields, on the screens that
        take a PF key with that word; in a help window it closes the window, as CANCEL does.
        """
        self.note_activity()
        word = self.library.keylist.word(aid)
        if isinstance(self.screen, HelpScreen):
            if aid == "ENTER" or word in ("END", "CANCEL"):
                self.screen.dismiss(None)
            elif word == "HELP":
                self.screen.show_keys(self.library.keylist.help)
            return
        await self._fields_settled()
        screen = self.map_screen
        if self.busy or screen is None:
            return
        self.inhibit = ""
        self.insert_mode = False
        try:
            if aid != "ENTER" and not self.library.keylist.accepts(screen.spec.keys, aid):
                self.say("EMS010E")
                return
            if aid == "ENTER":
                await self._enter(screen)
            else:
                await self.command_word(word or "", screen)
        except Exception as error:  # no traceback ever reaches the screen
            self._incident(error, f"key {aid} on {screen.spec.id}")

    async def action_home(self) -> None:
        """HOME: the cursor to the first input field of the screen (after the keys typed before it)."""
        await self._fields_settled()
        screen = self.map_screen
        if screen is not None and not self.busy and screen.inputs():
            self.inhibit = ""
            first = screen.inputs()[0]
            screen.set_focus(first)  # at once, not deferred: the keys typed after HOME go there
            first.cursor_position = 0

    async def action_insert_mode(self) -> None:
        """INSERT: insert mode on or off (after the keys typed before it)."""
        await self._fields_settled()
        if self.map_screen is not None and not self.busy:
            self.inhibit = ""
            self.insert_mode = not self.insert_mode

    async def action_erase_input(self) -> None:
        """ERASE INPUT (SHIFT+DELETE): every input field of the screen empty, the cursor to the first."""
        await self._fields_settled()
        screen = self.map_screen
        if screen is not None and not self.busy:
            self.inhibit = ""
            screen.erase_input()

    async def action_reset(self) -> None:
        """RESET (CTRL+R): clear the X indicator and leave insert mode."""
        await self._fields_settled()
        self.inhibit = ""
        self.insert_mode = False

    async def _enter(self, screen: MapScreen) -> None:
        command = screen.field("command")
        if command is not None and command.value.strip():
            text = command.value
            command.value = ""
            await self.run_commands(text)
            return
        spec = screen.spec
        if not spec.transaction:
            return
        errors = validate(spec, screen.input_values())
        screen.mark_errors([e.field for e in errors])
        if errors:
            first = errors[0]
            self.say(first.message_id, field=first.title, code=first.title)
            return
        self.run_transaction(screen, "ENTER")

    # -- commands ----------------------------------------------------------------------------

    async def run_commands(self, text: str) -> None:
        """Run the stacked commands of a command line, stopping at the first that fails."""
        for command in parse(text):
            if not await self.run_command(command):
                return

    async def run_command(self, command: Command) -> bool:
        """One command; False when it failed (and said why)."""
        screen = self.map_screen
        if screen is None:
            return False
        return await self.carry_out(navigation.command(self.library, self._where(screen), command), screen)

    async def command_word(self, word: str, screen: MapScreen) -> bool:
        """HELP, END, RETURN, UP, DOWN, CANCEL."""
        return await self.carry_out(navigation.word(self.library, self._where(screen), word), screen)

    async def back(self, screen: MapScreen) -> None:
        """PF3: to the calling screen; from the main menu, sign off; from sign-on, leave."""
        await self.carry_out(navigation.back(self.library, self._where(screen)), screen)

    def _where(self, screen: MapScreen) -> navigation.Where:
        return navigation.Where(screen.spec, tuple(self.stack), self.context.roles, self.context.signed_on)

    async def carry_out(self, outcome: navigation.Outcome, screen: MapScreen) -> bool:
        """Do what navigation decided; whether the command succeeded."""
        if outcome.stack is not None:
            self.stack = list(outcome.stack)
        step = outcome.step
        if step is Step.SHOW:
            await self.show(outcome.target, argument=outcome.argument)
        elif step is Step.SAY:
            self.say(outcome.message, **outcome.fields)
        elif step is Step.REFUSE:
            self._refuse(outcome.refused)
        elif step is Step.SIGN_OFF:
            await self.sign_off(outcome.reason)
        elif step is Step.EXIT:
            self.exit()
        elif step is Step.HELP:
            self.help(screen)
        elif step is Step.PAGE:
            self.run_transaction(screen, outcome.target)
        return outcome.ok

    def _refuse(self, target: str) -> None:
        self.say("EMS012E")
        self.record(signon.refuse, self.context, target)

    # -- help --------------------------------------------------------------------------------

    def help(self, screen: MapScreen) -> None:
        """PF1: the long text of the message shown, else the field's help, else the screen's."""
        message = screen.message
        if (
            message is not None
            and message.long_text
            and message.severity in (MessageSeverity.WARNING, MessageSeverity.ERROR, MessageSeverity.SEVERE)
        ):
            self.push_screen(HelpScreen(message.line(), message.long_text))
            return
        field = screen.focused_spec()
        explained = screen.row_help(field.name) if field is not None else ""
        if field is not None and explained:
            self.push_screen(HelpScreen(f"HELP: {field.title} - THIS ROW", explained))
        elif field is not None and field.help:
            self.push_screen(HelpScreen(f"HELP: {field.title}", field.help))
        elif screen.spec.help:
            self.push_screen(HelpScreen(f"HELP: {screen.spec.title}", screen.spec.help))
        elif message is not None and message.long_text:
            self.push_screen(HelpScreen(message.line(), message.long_text))
        else:
            self.say("EMS017I")

    # -- sign-off and idle -------------------------------------------------------------------

    async def sign_off(self, reason: str, message_id: str = "EMS015I") -> None:
        """End the session: audit it, forget the user, back to the sign-on screen."""
        if self.context.signed_on:
            self.record(signon.sign_off, self.context, reason)
        self.context = Context(business_date=self.settings.business_date)
        self.stack = []
        await self.show(SIGNON, message=self.catalog.message(message_id))

    async def check_inactivity(self, now: float | None = None) -> None:
        """Return to sign-on when the terminal has been idle longer than allowed."""
        if not self.context.signed_on or self.busy:
            return
        limit = self.idle_seconds if self.idle_seconds is not None else self.context.idle_minutes * 60
        if (now if now is not None else time.monotonic()) - self.last_activity >= limit:
            await self.sign_off("session ended after inactivity", "EMS006I")

    # -- transactions ------------------------------------------------------------------------

    def run_transaction(self, screen: MapScreen, aid: str) -> None:
        """Run the screen's transaction in a worker; the keyboard is locked until it answers."""
        spec = screen.spec
        request = Request(
            aid=aid,
            values=screen.input_values(),
            context=self.context,
            state=dict(screen.state),
            page_sizes={name: lst.rows for name, lst in spec.lists.items()},
            trancode=spec.trancode,
        )
        self.busy = True
        self._transaction(spec.id, spec.transaction, request, not self.catalog.texts)

    @work(thread=True, exclusive=True, group="transactions", exit_on_error=False)
    def _transaction(self, map_id: str, name: str, request: Request, load_catalog: bool) -> None:
        try:
            handler = answering_for(self.library.maps[map_id], resolve_transaction(name))
            reply = perform(self.engine, handler, request)
            catalog = None
            if load_catalog:
                with transaction(self.engine) as session:
                    catalog = Catalog.load(session, request.context.business_date)
            self.post_message(self.TransactionDone(map_id, reply, catalog))
        except DatabaseGone as gone:
            message = self.catalog.message("EMS998S", reason=str(gone))
            self.post_message(self.TransactionDone(map_id, Reply(request.context, message=message), None))
        except Exception as error:
            self.post_message(self.TransactionFailed(map_id, log_incident(error, f"transaction {name}")))

    def record(self, function: Callable[..., None], *args: Any) -> None:
        """Write something to the audit trail in a worker (sign-off, refusals)."""
        self._record(function, args)

    @work(thread=True, group="audit", exit_on_error=False)
    def _record(self, function: Callable[..., None], args: tuple[Any, ...]) -> None:
        try:
            with transaction(self.engine) as session:
                function(session, *args)
        except Exception as error:
            log_incident(error, f"audit {function.__name__}")

    async def on_ems_app_transaction_done(self, event: TransactionDone) -> None:
        """Show what the transaction answered, or go where it says."""
        self.busy = False
        if event.catalog is not None:
            self.catalog = event.catalog
        reply = event.reply
        self.context = reply.context
        screen = self.map_screen
        try:
            if reply.next_screen:
                if screen is not None and screen.spec.id != SIGNON and self.context.signed_on:
                    self.stack.append(screen.spec.id)
                else:
                    self.stack = []
                target = self.library.trancodes.get(reply.next_screen)
                await self.show(target.id if target else reply.next_screen, message=reply.message)
                return
            if screen is None or screen.spec.id != event.map_id:
                return
            self._apply(screen, reply)
        except Exception as error:
            self._incident(error, f"reply on {event.map_id}")

    def _apply(self, screen: MapScreen, reply: Reply) -> None:
        for name in reply.clear:
            if (widget := screen.field(name)) is not None:
                widget.value = ""
        for name, value in reply.values.items():
            screen.show_value(name, value)
        for name, page in reply.lists.items():
            screen.show_list(name, page)
        if reply.lists:
            screen.clear_selections()
        screen.state = dict(reply.state)
        screen.mark_errors(list(reply.errors))
        if reply.cursor:
            screen.focus_field(reply.cursor)
        if not screen.keep_message or (
            reply.message is not None and reply.message.severity in (MessageSeverity.ERROR, MessageSeverity.SEVERE)
        ):
            screen.show_message(reply.message)
        screen.keep_message = False
        self._paint_header(screen)
        if reply.message is not None and reply.message.severity in (MessageSeverity.ERROR, MessageSeverity.SEVERE):
            self.bell()

    def on_ems_app_transaction_failed(self, event: TransactionFailed) -> None:
        """EMS999S with the incident number; the database work was rolled back."""
        self.busy = False
        self.say("EMS999S", incident=event.incident)

    def _incident(self, error: Exception, where: str) -> None:
        self.busy = False
        self.say("EMS999S", incident=log_incident(error, where))

    def with_context(self, **changes: Any) -> None:
        """Change the COMMAREA (trainers' demos and tests)."""
        self.context = replace(self.context, **changes)
