"""`ems serve` in a real browser: Debian's Chromium driven by Playwright signs on through the page,
reaches the main menu and takes a screenshot; two tabs are two sessions; a region's page says
TRAINING. textual-serve paints on a canvas, so the app's output is read from the websocket (an
init script keeps every message the page receives) with the ANSI escapes stripped."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from emsterm.cli.serve import is_loopback
from emsterm.seed.demo import DEMO_PASSWORD
from tests.conftest import BUSINESS_DATE, Ems

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]
WAIT_SECONDS = 60.0
"""How long to wait for the server or a screen before the test fails (not a speed check)."""

KEEP_OUTPUT = """
(() => {
  window.__emsOutput = [];
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  function Recording(...args) {
    const socket = new Native(...args);
    socket.addEventListener("message", (event) => {
      const data = event.data;
      if (typeof data === "string") {
        window.__emsOutput.push(data);
      } else if (data instanceof ArrayBuffer) {
        window.__emsOutput.push(decoder.decode(new Uint8Array(data), { stream: true }));
      } else if (data instanceof Blob) {
        data.arrayBuffer().then((b) => window.__emsOutput.push(decoder.decode(new Uint8Array(b), { stream: true })));
      }
    });
    return socket;
  }
  Recording.prototype = Native.prototype;
  for (const key of ["CONNECTING", "OPEN", "CLOSING", "CLOSED"]) Recording[key] = Native[key];
  window.WebSocket = Recording;
})();
"""
"""An init script: keep everything the page's websocket receives in window.__emsOutput."""

ANSI = re.compile(
    r"\x1b\[[0-9;?<=>]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_][^\x1b]*\x1b\\|\x1b[@-Z\\-_]"
)


def _chromium() -> Path:
    """Debian's Chromium, or a skip saying why there is none (the Makefile's install puts it there)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing and could not be installed (make install runs apt-get install chromium)")
    return CHROMIUM


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(url: str, *options: str) -> Iterator[str]:
    """`ems serve` on a free loopback port as a process of its own; the page's URL. The server and
    the terminals it started are ended afterwards, whatever happened."""
    port = _free_port()
    command = [sys.executable, "-m", "emsterm", "--db", url, "--date", BUSINESS_DATE.isoformat()]
    server = subprocess.Popen(
        [*command, "serve", "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            if server.poll() is not None:
                pytest.fail(f"ems serve ended: {server.stderr.read().decode() if server.stderr else ''}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("ems serve did not start listening")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/"
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        if server.stderr is not None:
            server.stderr.close()


def screen_text(page) -> str:  # type: ignore[no-untyped-def]
    """Everything the app sent this page so far, without the escapes."""
    return ANSI.sub("", page.evaluate("window.__emsOutput.join('')"))


def wait_for_text(page, text: str) -> str:  # type: ignore[no-untyped-def]
    """Wait until the app has shown `text` on this page; what it showed."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        shown = screen_text(page)
        if text in shown:
            return shown
        if time.monotonic() > deadline:
            pytest.fail(f"the page never showed {text!r}; it showed: {shown[-2000:]!r}")
        page.wait_for_timeout(200)


def open_terminal(context, url: str):  # type: ignore[no-untyped-def]
    """A new tab on the served terminal, at its sign-on screen, with the keyboard on the terminal."""
    page = context.new_page()
    page.add_init_script(KEEP_OUTPUT)
    page.goto(url)
    wait_for_text(page, "SIGN-ON")
    page.mouse.click(200, 200)
    return page


def sign_on(page, user: str = "DEMO", password: str = DEMO_PASSWORD) -> None:  # type: ignore[no-untyped-def]
    """Type a user id and password on the sign-on screen and press ENTER."""
    page.keyboard.type(user)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    """Headless Chromium under Playwright."""
    from playwright.sync_api import sync_playwright

    chromium = _chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def test_a_browser_signs_on_reaches_the_main_menu_and_two_tabs_are_two_sessions(
    browser, terminal_db: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with serving(terminal_db) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        first = open_terminal(context, url)
        second = open_terminal(context, url)
        sign_on(first)
        menu = wait_for_text(first, "EMS MAIN MENU")
        assert "USER: DEMO" in menu
        shot = tmp_path / "main-menu.png"
        first.screenshot(path=str(shot))
        data = shot.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 1000
        # the other tab is a session of its own: still at sign-on, and signs on as someone else
        assert "EMS MAIN MENU" not in screen_text(second)
        sign_on(second, "OPER")
        assert "USER: OPER" in wait_for_text(second, "EMS MAIN MENU")
        assert "USER: OPER" not in screen_text(first)
        context.close()


def test_a_served_region_says_training(browser, terminal_db: str) -> None:  # type: ignore[no-untyped-def]
    ems = Ems(terminal_db)
    made = ems("training", "create", "web", "--cases", "3", "--user", "TRAIN", "--password-stdin", input="EMSDEMO1\n")
    assert made.exit_code == 0, made.output
    with serving(terminal_db, "--region", "web") as url:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = open_terminal(context, url)
        assert "TRAINING" in screen_text(page)
        context.close()


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("10.0.0.1", False),
    ],
)
def test_loopback_hosts_are_known(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_a_wider_bind_needs_public_and_bad_options_are_one_line(terminal_db: str) -> None:
    ems = Ems(terminal_db)
    for args, words in (
        (("serve", "--host", "0.0.0.0"), "add --public"),
        (("serve", "--port", "0"), "--port"),
        (("serve", "--region", "nosuch"), "does not exist"),
        (("serve", "--region", "No!"), "region name"),
    ):
        done = ems(*args)
        assert done.exit_code in (1, 2), (args, done.output)
        assert done.output.startswith("ems: ") and words in done.output, (args, done.output)
        assert len(done.output.strip().splitlines()) == 1
