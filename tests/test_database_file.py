"""A SQLite database file is created only by `ems db upgrade` and `ems demo`; a file deleted or
replaced under an open terminal is noticed on the next transaction and nothing is "saved"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from emsterm.cli import cli
from emsterm.database.engine import DatabaseGone, make_engine, transaction
from emsterm.model import Narrative
from tests.pilot import copy_database, make_app, settle, shown, sign_on, type_command


@pytest.mark.parametrize(
    "args", [("status",), ("db", "current"), ("batch", "status"), ("users", "list"), ("seed", "--cases", "5"), ("tui",)]
)
def test_commands_other_than_upgrade_and_demo_refuse_a_missing_file(tmp_path: Path, args: tuple[str, ...]) -> None:
    target = tmp_path / "nowhere" / "deeper" / "ems.db"
    result = CliRunner().invoke(cli, ["--db", f"sqlite:///{target}", *args])
    assert result.exit_code != 0
    assert result.output.strip().splitlines() == [
        f"ems: no database at {target}: run `ems db upgrade` (or `ems demo`) to create it"
    ]
    assert not target.parent.parent.exists(), "no folders made"


def test_upgrade_creates_the_file_and_its_folders(tmp_path: Path) -> None:
    target = tmp_path / "new" / "ems.db"
    result = CliRunner().invoke(cli, ["--db", f"sqlite:///{target}", "db", "upgrade", "--no-reference"])
    assert result.exit_code == 0, result.output
    assert target.exists()


def test_a_transaction_on_a_deleted_or_replaced_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ems.db"
    assert CliRunner().invoke(cli, ["--db", f"sqlite:///{path}", "db", "upgrade", "--no-reference"]).exit_code == 0
    engine = make_engine(f"sqlite:///{path}")
    with transaction(engine):
        pass
    shutil.copyfile(path, tmp_path / "copy.db")
    (tmp_path / "copy.db").replace(path)  # the same name, another file
    with pytest.raises(DatabaseGone, match="was replaced"), transaction(engine):
        pass
    path.unlink()
    with pytest.raises(DatabaseGone, match="is missing"), transaction(engine):
        pass
    engine.dispose()


async def test_the_terminal_says_so_when_its_database_file_is_deleted(terminal_db: str, tmp_path: Path) -> None:
    url = copy_database(Path(terminal_db.removeprefix("sqlite:///")), tmp_path / "mine.db")
    path = Path(url.removeprefix("sqlite:///"))
    app = make_app(url)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_on(pilot)
        with transaction(make_engine(url)) as session:
            notes_before = session.scalar(select(func.count()).select_from(Narrative))
        path.unlink()
        await type_command(pilot, "EM46")
        await settle(pilot)
        text = shown(app)
        assert "EMS998S DATABASE FILE MISSING OR REPLACED - NOTHING WAS SAVED" in text, text
        assert app.is_running
    assert notes_before is not None
    assert not path.exists(), "nothing created the file again"
