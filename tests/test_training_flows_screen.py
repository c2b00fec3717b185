"""TR02 (menu 10.2): a trainer lists the shipped screen flows (name, steps, title, the first line of
the description), pages them, and S beside one shows its steps and the command that plays it; a
flow file with a mistake is listed with its error, never a crash."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from emsterm.flowfiles import shipped
from emsterm.flowfiles.model import load_flow
from tests.pilot import SIZE, fill, make_app, row, settle, shown, sign_on, type_command

SHIPPED = shipped.flows_folder()
BAD = 'title = "Broken"\n[[steps]]\nkeys = "<Nope>"\n'


def _description_line(name: str) -> str:
    return load_flow(SHIPPED / f"{name}.toml").description.splitlines()[0].strip()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped flows and one with a mistake (aaa-broken, listed first), as the screen's folder."""
    flows = tmp_path / "flows"
    shutil.copytree(SHIPPED, flows, ignore=shutil.ignore_patterns("shots"))
    (flows / "aaa-broken.toml").write_text(BAD, encoding="utf-8")
    monkeypatch.setattr(shipped, "flows_folder", lambda: flows)
    return flows


async def test_a_trainer_sees_the_shipped_flows_and_one_flows_steps(terminal_db: str) -> None:
    names = sorted(p.stem for p in SHIPPED.glob("*.toml"))
    assert len(names) <= 7  # one page of two rows each
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, user="TRAIN")
        await type_command(pilot, "=10.2")
        assert row(app, 1).startswith("EMS0920"), shown(app)
        assert row(app, 23) == f"EMS310I {len(names)} DEMONSTRATION FLOWS - S SHOWS ONE'S STEPS"
        assert row(app, 21).rstrip().endswith(f"ROW 1 TO {2 * len(names)} OF {2 * len(names)}")
        first = names.index("client-search")
        top = row(app, 7 + 2 * first)
        assert top[3:23].rstrip() == "client-search" and top[24:29] == "    7"
        assert top[30:].rstrip() == "Client search by a sound-alike name"
        below = row(app, 8 + 2 * first)
        assert below[:30].strip() == ""
        line = _description_line("client-search")
        shown_line = below[30:].rstrip()
        assert shown_line.endswith("+") and line.startswith(shown_line[:-1].rstrip()), shown_line
        intake = names.index("intake")
        await fill(pilot, {f"flows.sel.{2 * intake + 1}": "S"})  # S on a flow's second row chooses it too
        assert row(app, 1).startswith("EMS0925"), shown(app)
        assert row(app, 23) == "EMS312I FLOW INTAKE: 16 STEPS - PLAY IT WITH THE COMMAND ON ROW 6"
        assert row(app, 4).rstrip().endswith("FLOW . . : intake.toml")
        assert row(app, 6).rstrip() == " PLAY . . : ems train play screens/flows/intake.toml"
        steps = load_flow(SHIPPED / "intake.toml").steps
        assert len(steps) == 16
        for index in range(12):
            text = row(app, 9 + index)
            assert text[:5].strip() == str(index + 1)
            assert text[71:78].rstrip() == steps[index].expect.screen
        caption = steps[0].caption.splitlines()[0]
        assert row(app, 9)[6:70].rstrip().rstrip("+").rstrip() in caption
        assert row(app, 21).rstrip().endswith("ROW 1 TO 12 OF 16")
        await pilot.press("f8")
        await settle(pilot)
        assert row(app, 9)[:5].strip() == "13" and row(app, 12)[:5].strip() == "16"
        assert row(app, 13).strip() == ""
        assert row(app, 21).rstrip().endswith("ROW 13 TO 16 OF 16")
        await pilot.press("f3")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0920"), shown(app)


async def test_a_bad_flow_file_is_listed_with_its_error(terminal_db: str, folder: Path) -> None:
    count = len(list(folder.glob("*.toml")))
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, user="TRAIN")
        await type_command(pilot, "TR02")
        assert row(app, 23) == f"EMS311W 1 OF {count} FLOW FILES HAVE ERRORS - SEE ERROR IN THE LIST"
        assert row(app, 7)[3:23].rstrip() == "aaa-broken" and row(app, 7)[30:].rstrip() == "ERROR"
        assert row(app, 8)[30:].rstrip().startswith("step 1: keys: <Nope> is not a key of the+")
        assert row(app, 21).rstrip().endswith(f"ROW 1 TO 14 OF {2 * count}")
        await fill(pilot, {"flows.sel.0": "S"})
        assert row(app, 1).startswith("EMS0920")
        assert row(app, 23).startswith("EMS313E FLOW AAA-BROKEN CANNOT BE SHOWN: STEP 1: KEYS: <NOPE>")
        await fill(pilot, {"flows.sel.0": ""}, enter=False)
        await pilot.press("f8")
        await settle(pilot)
        assert row(app, 21).rstrip().endswith(f"ROW 15 TO {2 * count} OF {2 * count}")
        last = sorted(p.stem for p in folder.glob("*.toml"))[-1]
        assert row(app, 7)[3:23].rstrip() == last
        await pilot.press("f8")
        await settle(pilot)
        assert row(app, 23).startswith("EMS040I NO MORE ROWS")


async def test_one_flow_at_a_time_and_a_flow_gone_since_the_list(terminal_db: str, folder: Path) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, user="TRAIN")
        await type_command(pilot, "TR02")
        await fill(pilot, {"flows.sel.2": "S", "flows.sel.4": "S"})
        assert row(app, 23) == "EMS314E TYPE S BESIDE ONE FLOW ONLY"
        gone = row(app, 9)[3:23].rstrip()
        (folder / f"{gone}.toml").unlink()
        await fill(pilot, {"flows.sel.2": "S", "flows.sel.4": ""})
        assert row(app, 1).startswith("EMS0920")
        assert row(app, 23) == f"EMS313E FLOW {gone.upper()} CANNOT BE SHOWN: NO SUCH FLOW FILE"


async def test_only_trainers_reach_the_flows(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, user="DEMO")
        await type_command(pilot, "TR02")
        assert row(app, 23) == "EMS012E NOT AUTHORIZED FOR THIS FUNCTION"


async def test_the_steps_screen_reached_by_its_code_alone_goes_to_the_flows(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, "TRAIN")
        await type_command(pilot, "TR05")
        assert row(app, 1).startswith("EMS0920"), shown(app)
