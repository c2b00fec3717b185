"""Screen flows: the file format and its errors, `ems train check` over the shipped flows and over
a changed map, `ems tui --record`, `ems train play` with its caption bar, `ems screenshot`."""

from __future__ import annotations

import asyncio
import shutil
import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from emsterm.config import Settings
from emsterm.flowfiles.model import FlowError, load_flow
from emsterm.flows.player import CaptionBar, PlayerApp, PlayOptions, play
from emsterm.flows.recorder import Recorder
from emsterm.resources import data_dir
from tests.conftest import BUSINESS_DATE, Ems
from tests.pilot import make_app, settle, shown, sign_on

FLOWS = data_dir("screens") / "flows"
SHIPPED = sorted(FLOWS.glob("*.toml"))


def _write(tmp_path: Path, text: str, name: str = "flow.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- the file format ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('title = "t"\n[[steps]]\nkeys = "A<Foo>"\n', "flow.toml: step 1: keys: <Foo> is not a key of the terminal"),
        (
            'title = "t"\n[[steps]]\nkeys = "<Enter>"\n[[steps]]\nkeys = "${case}<Enter>"\n',
            "step 2: ${case} is not captured",
        ),
        (
            'title = "t"\n[[steps]]\nkeys = "<Enter>"\nexpect = { screen = "MENU" }\n',
            "step 1: expect: screen 'MENU' is not a screen id",
        ),
        (
            'title = "t"\n[[steps]]\nkeys = "<Enter>"\nexpect = { mesage = "EMS005I" }\n',
            "step 1: expect: unknown key 'mesage'",
        ),
        ('title = "t"\n[[steps]]\nkeys = "<Enter>"\npause = "long"\n', "step 1: pause must be a number of seconds"),
        (
            'title = "t"\n[[steps]]\ncapture = [{ name = "case", row = 30, col = 1, length = 5 }]\n',
            "outside the 80x24 screen",
        ),
        ('title = "t"\n[[steps]]\ncapture = [{ name = "case", pattern = "(" }]\n', "is not a regular expression"),
        ('title = "t"\n', "flow.toml: a flow needs at least one [[steps]]"),
        ('title = "t"\n' + '[[steps]]\nkeys = "<Enter>"\n' * 100, "flow.toml: a flow has at most 99 steps, not 100"),
        ('[[steps]]\nkeys = "<Enter>"\n', "flow.toml: a flow needs a title"),
        ('title = "t"\n[[steps]\n', "flow.toml: not valid TOML"),
        ('title = "t"\n[[steps]]\nkeys = "a < b"\n', "step 1: keys: a < that starts no <Name>"),
    ],
)
def test_a_malformed_flow_is_one_line_naming_file_and_step(tmp_path: Path, text: str, error: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(FlowError, match=None) as caught:
        load_flow(path)
    assert error in str(caught.value)
    result = Ems(f"sqlite:///{tmp_path / 'none.db'}")("train", "check", str(path))
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and error in result.output and "Traceback" not in result.output


def test_keys_names_pf_keys_and_captures(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        'title = "t"\n[[steps]]\nkeys = "a<lt>B <Tab><PF12><PA1><EraseEOF>"\n'
        'capture = [{ name = "case", pattern = "CASE: (\\\\d+)" }]\n'
        '[[steps]]\nkeys = "${case}<Enter>"\nexpect = { shows = ["${case}"] }\n',
    )
    flow = load_flow(path)
    from emsterm.flowfiles.model import step_keys

    keys = step_keys(flow.steps[0], {})
    assert [k.key for k in keys] == ["a", "<", "B", " ", "tab", "f12", "escape", "ctrl+k"]
    assert [k.aid for k in keys] == [False] * 5 + [True, True, False]
    assert [k.key for k in step_keys(flow.steps[1], {"case": "0042"})] == ["0", "0", "4", "2", "enter"]


# -- ems train check -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_flow_passes(
    terminal_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: Path
) -> None:
    monkeypatch.setenv("EMS_OUTBOX", str(tmp_path / "outbox"))  # the operator's nightly writes its files
    result = Ems(terminal_db)("train", "check", str(path))
    assert result.exit_code == 0, result.output
    flow = load_flow(path)
    assert result.output == f"{path.name}: {len(flow.steps)} steps met - {flow.title}\n"


def test_check_runs_every_flow_named_and_says_one_line_each(terminal_db: str) -> None:
    assert len(SHIPPED) >= 7
    names = [FLOWS / "first-sign-on.toml", FLOWS / "menus-and-fast-path.toml"]
    result = Ems(terminal_db)("train", "check", *map(str, names))
    assert result.exit_code == 0, result.output
    assert [line.split(":")[0] for line in result.output.splitlines()] == [p.name for p in names]


def test_check_fails_at_the_step_a_changed_map_breaks(terminal_db: str, tmp_path: Path) -> None:
    screens = tmp_path / "screens"
    shutil.copytree(data_dir("screens"), screens, ignore=shutil.ignore_patterns("flows"))
    search = screens / "EMS0201.toml"
    text = search.read_text(encoding="utf-8")
    assert '{ row = 4, col = 2, value = "LAST NAME . . ." }' in text
    search.write_text(text.replace('value = "LAST NAME . . ."', 'value = "SURNAME . . . ."'), encoding="utf-8")
    flow = FLOWS / "client-search.toml"
    result = Ems(terminal_db)("train", "check", "--screens", str(screens), str(flow))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("client-search.toml: step 2 (=1.1 opens CLIENT SEARCH")
    assert lines[1] == "  expected: 'LAST NAME . . .' on the screen"
    assert lines[2] == "  found:    not on the screen"
    screen = lines[4:28]
    assert screen[0].startswith("|EMS0201") and screen[3].startswith("| SURNAME . . . .")
    assert all(len(line) == 82 for line in screen)
    assert lines[-1] == "ems: client-search.toml: step 2: expected 'LAST NAME . . .' on the screen"
    # the installed maps still pass
    assert Ems(terminal_db)("train", "check", str(flow)).exit_code == 0


def test_check_names_the_message_found(terminal_db: str, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        'title = "Wrong password"\n[[steps]]\ncaption = "Sign on"\nkeys = "DEMO<Tab>WRONGPW1<Enter>"\n'
        'expect = { screen = "EMS0001", message = "EMS005I" }\n',
    )
    result = Ems(terminal_db)("train", "check", str(path))
    assert result.exit_code == 1
    assert "flow.toml: step 1 (Sign on)" in result.output
    assert "  expected: message EMS005I" in result.output
    assert "  found:    message EMS002E USER ID OR PASSWORD IS NOT VALID" in result.output


def test_lacks_and_an_empty_capture_fail(terminal_db: str, tmp_path: Path) -> None:
    lacks = _write(tmp_path, 'title = "t"\n[[steps]]\nexpect = { lacks = ["USER ID"] }\n', "lacks.toml")
    result = Ems(terminal_db)("train", "check", str(lacks))
    assert result.exit_code == 1 and "expected: no 'USER ID' on the screen" in result.output
    assert "found:    'USER ID' on row 9" in result.output
    empty = _write(
        tmp_path, 'title = "t"\n[[steps]]\ncapture = [{ name = "x", row = 2, col = 1, length = 5 }]\n', "e.toml"
    )
    result = Ems(terminal_db)("train", "check", str(empty))
    assert result.exit_code == 1 and "expected: a value for ${x} at row 2, column 1, length 5" in result.output


def test_a_step_after_the_terminal_ended_fails(terminal_db: str, tmp_path: Path) -> None:
    path = _write(tmp_path, 'title = "t"\n[[steps]]\nkeys = "<PF3>"\n[[steps]]\nkeys = "DEMO<Enter>"\n')
    result = Ems(terminal_db)("train", "check", str(path))
    assert result.exit_code == 1
    assert "flow.toml: step 2\n" in result.output and "found:    the terminal has ended" in result.output


def test_a_flow_does_not_reset_a_user_it_did_not_make(terminal_db: str, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        'title = "t"\n[[users]]\nid = "ADMIN"\nroles = ["admin"]\noffice = "HFD"\npassword = "KNOWN123"\n'
        '[[steps]]\nkeys = "ADMIN<Tab>KNOWN123<Enter>"\n',
    )
    result = Ems(terminal_db)("train", "check", str(path))
    assert result.exit_code == 1
    assert (
        result.output
        == "ems: flow.toml: user ADMIN exists and was not made by a flow: a flow resets only its own users\n"
    )


def test_a_flow_runs_again_on_the_same_database(terminal_db: str) -> None:
    flow = str(FLOWS / "first-sign-on.toml")
    assert Ems(terminal_db)("train", "check", flow).exit_code == 0
    again = Ems(terminal_db)("train", "check", flow)
    assert again.exit_code == 0, again.output


# -- ems tui --record ----------------------------------------------------------------------------


def test_recording_writes_a_flow_that_checks(terminal_db: str, terminal_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "recorded.toml"
    recorder = Recorder(path)

    async def session() -> None:
        app = make_app(terminal_db, recorder=recorder)
        async with app.run_test(size=(80, 24)) as pilot:
            await sign_on(pilot)
            await pilot.press("1", "enter")
            await settle(pilot)
            await pilot.press("f3")
            await settle(pilot)
            await pilot.press("=", "x", "y")
            await settle(pilot)
            await recorder.settled()

    asyncio.run(session())
    recorder.write()
    flow = load_flow(path)
    steps = [(s.keys, s.expect.screen, s.expect.message) for s in flow.steps]
    assert steps == [
        ("DEMO<Tab>EMSDEMO1<Enter>", "EMS0100", "EMS005I"),
        ("1<Enter>", "EMS0110", ""),
        ("<PF3>", "EMS0100", ""),
        ("=xy", "", ""),
    ]
    fresh = tmp_path / "fresh.db"
    shutil.copyfile(terminal_template, fresh)
    result = Ems(f"sqlite:///{fresh}")("train", "check", str(path))
    assert result.exit_code == 0, result.output
    assert result.output == "recorded.toml: 4 steps met - Recorded recorded\n"


def test_record_refuses_an_existing_file(terminal_db: str, tmp_path: Path) -> None:
    path = _write(tmp_path, "keep me")
    result = Ems(terminal_db)("tui", "--record", str(path))
    assert result.exit_code == 1 and result.output == f"ems: {path} exists: record to a new file\n"
    assert path.read_text() == "keep me"


# -- ems train play ------------------------------------------------------------------------------


def _caption(app: PlayerApp) -> str:
    bars = list(app.screen.query(CaptionBar))
    assert len(bars) == 1
    return str(bars[0].render()) if bars[0].display else ""


async def _until(condition: Callable[[], bool]) -> None:
    """Wait until the player gets where the test expects (a bound on the tries, against a hang)."""
    for _ in range(6000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the player never got there")


async def test_play_step_by_step_shows_each_caption_and_waits_for_a_key(terminal_db: str) -> None:
    flow = load_flow(FLOWS / "menus-and-fast-path.toml")
    app = PlayerApp(Settings(database_url=terminal_db, business_date=BUSINESS_DATE), flow)
    async with app.run_test(size=(80, 27)) as pilot:
        player = asyncio.create_task(play(pilot, flow, PlayOptions(step=True, typing=0)))
        await _until(lambda: app.waiting)
        assert "MENUS AND THE FAST PATH - STEP 1 OF 11" in _caption(app)
        assert "Sign on as the demo caseworker." in _caption(app)
        await settle(pilot)
        assert shown(app).splitlines()[0].startswith("EMS0001") and app.waiting  # it waits
        await pilot.press("space")  # the key goes to the player, not to the screen
        await _until(lambda: app.waiting and "STEP 2 OF 11" in _caption(app))
        assert shown(app).splitlines()[0].startswith("EMS0100")
        assert "1 is INQUIRY" in _caption(app)
        await pilot.press("ctrl+t")
        assert _caption(app) == "" and app.waiting  # hidden, and still waiting
        await pilot.press("ctrl+t")
        assert "STEP 2 OF 11" in _caption(app)
        await pilot.press("space")
        await _until(lambda: app.waiting and "STEP 3 OF 11" in _caption(app))
        assert shown(app).splitlines()[0].startswith("EMS0110")
        player.cancel()


async def test_leaving_while_the_player_waits_stops_it(terminal_db: str) -> None:
    flow = load_flow(FLOWS / "menus-and-fast-path.toml")
    app = PlayerApp(Settings(database_url=terminal_db, business_date=BUSINESS_DATE), flow)
    async with app.run_test(size=(80, 27)) as pilot:
        player = asyncio.create_task(play(pilot, flow, PlayOptions(step=True, typing=0)))
        await _until(lambda: app.waiting)
        await pilot.press("ctrl+q")
        await asyncio.wait_for(player, timeout=120)  # a guard against a hang, not a speed check
    assert player.done() and player.exception() is None and app.return_code == 0


async def test_play_runs_to_the_end_and_says_so(terminal_db: str) -> None:
    flow = load_flow(FLOWS / "first-sign-on.toml")
    settings = Settings(database_url=terminal_db, business_date=BUSINESS_DATE)
    from emsterm.flows.trainees import prepare

    prepare(flow, settings)
    app = PlayerApp(settings, flow)
    async with app.run_test(size=(80, 27)) as pilot:
        await play(pilot, flow, PlayOptions(speed=20, typing=0))
        assert "END OF THE FLOW (5 STEPS)" in _caption(app)
        assert shown(app).splitlines()[0].startswith("EMS0001")
        # the bar is below the grid: the 24 rows of the map and the bar do not overlap
        grid = app.screen.query_one("#grid")
        bar = app.screen.query_one(CaptionBar)
        assert grid.region.bottom <= bar.region.y and grid.region.height == 24


async def test_the_bar_hides_when_the_terminal_has_no_room(terminal_db: str) -> None:
    flow = load_flow(FLOWS / "menus-and-fast-path.toml")
    app = PlayerApp(Settings(database_url=terminal_db, business_date=BUSINESS_DATE), flow)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.say_caption("A caption")
        await pilot.pause()
        assert _caption(app) == ""
        assert app.screen.query_one("#grid").region.height == 24
        await pilot.resize_terminal(80, 27)
        await pilot.pause()
        assert "A caption" in _caption(app)


# -- ems screenshot ------------------------------------------------------------------------------


def test_screenshot_svg_and_png(terminal_db: str, tmp_path: Path) -> None:
    flow = str(FLOWS / "client-search.toml")
    svg, png = tmp_path / "shot.svg", tmp_path / "shot.png"
    result = Ems(terminal_db)("screenshot", flow, "--step", "3", "--out", str(svg))
    assert result.exit_code == 0, result.output
    text = svg.read_text(encoding="utf-8")
    assert text.startswith("<svg") and "CLIENT&#160;SEARCH" in text and "JOHNSON," in text
    assert Ems(terminal_db)("screenshot", flow, "--step", "3", "--out", str(png)).exit_code == 0
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert 800 <= width <= 2000 and 500 <= height <= 1200 and width > height


def test_screenshot_refuses_a_step_out_of_range_and_an_unknown_format(terminal_db: str, tmp_path: Path) -> None:
    flow = str(FLOWS / "client-search.toml")
    result = Ems(terminal_db)("screenshot", flow, "--step", "99", "--out", str(tmp_path / "x.png"))
    assert result.exit_code == 1 and result.output == "ems: client-search.toml: --step must be from 1 to 7, not 99\n"
    result = Ems(terminal_db)("screenshot", flow, "--step", "1", "--out", str(tmp_path / "x.gif"))
    assert result.exit_code == 1 and "a screenshot is .svg or .png" in result.output
    assert not list(tmp_path.glob("x.*"))


SHOTS = sorted((FLOWS / "shots").glob("*.svg"))


@pytest.mark.parametrize("svg", SHOTS, ids=[p.stem for p in SHOTS])
def test_the_readme_pictures_are_the_screens_the_flows_show_now(terminal_db: str, tmp_path: Path, svg: Path) -> None:
    """`make screenshots` made them on the same data as the tests' database: a screen or flow
    changed since means the pictures must be made again."""
    flow, _, step = svg.stem.rpartition("-")
    fresh = tmp_path / "now.svg"
    result = Ems(terminal_db)("screenshot", str(FLOWS / f"{flow}.toml"), "--step", step, "--out", str(fresh))
    assert result.exit_code == 0, result.output
    assert fresh.read_text(encoding="utf-8") == svg.read_text(encoding="utf-8"), "run make screenshots"
    png = svg.with_suffix(".png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    readme = (data_dir("screens").parent / "README.md").read_text(encoding="utf-8")
    assert f"screens/flows/shots/{svg.stem}.png" in readme


def test_a_flow_checks_on_postgresql_too(postgres_url: str) -> None:
    """The first sign-on needs no caseload: the flow makes its user on a migrated database."""
    from tests.conftest import migrated

    migrated(postgres_url).dispose()
    result = Ems(postgres_url)("train", "check", str(FLOWS / "first-sign-on.toml"))
    assert result.exit_code == 0, result.output
    assert result.output == "first-sign-on.toml: 5 steps met - Sign-on and the first password change\n"


def test_play_and_check_refuse_what_they_cannot_use(terminal_db: str, tmp_path: Path) -> None:
    missing = tmp_path / "nothing.toml"
    result = Ems(terminal_db)("train", "play", str(missing))
    assert result.exit_code == 1 and result.output == f"ems: {missing}: no such flow file\n"
    result = Ems(f"sqlite:///{tmp_path / 'none.db'}")("train", "check", str(FLOWS / "first-sign-on.toml"))
    assert result.exit_code == 1 and result.output.startswith("ems: ") and result.output.count("\n") == 1
    broken = tmp_path / "screens"
    broken.mkdir()
    result = Ems(terminal_db)("train", "check", "--screens", str(broken), str(FLOWS / "first-sign-on.toml"))
    assert result.exit_code == 1 and result.output.startswith(f"ems: {broken}: ") and result.output.count("\n") == 1


def test_a_flow_checks_in_a_training_region_and_leaves_the_main_database_alone(terminal_db: str) -> None:
    from emsterm.database.engine import make_engine, transaction
    from emsterm.model import User
    from emsterm.regions import region_place
    from emsterm.seed.demo import DEMO_PASSWORD

    main = Ems(terminal_db)
    made = main(
        "training",
        "create",
        "flows1",
        "--cases",
        "5",
        "--user",
        "TRAIN",
        "--password-stdin",
        input=DEMO_PASSWORD + "\n",
    )
    assert made.exit_code == 0, made.output
    result = main("train", "check", "--region", "flows1", str(FLOWS / "first-sign-on.toml"))
    assert result.exit_code == 0, result.output

    def has_newhire(url: str) -> bool:
        engine = make_engine(url)
        try:
            with transaction(engine) as session:
                return session.get(User, "NEWHIRE") is not None
        finally:
            engine.dispose()

    assert has_newhire(region_place(terminal_db, "flows1").url) and not has_newhire(terminal_db)
    shot = Path(terminal_db.removeprefix("sqlite:///")).parent / "region.svg"
    taken = main(
        "screenshot", "--region", "flows1", str(FLOWS / "first-sign-on.toml"), "--step", "1", "--out", str(shot)
    )
    assert taken.exit_code == 0, taken.output
    assert "TRAINING" in shot.read_text(encoding="utf-8")
