"""The restore drill: back up, change, restore, and the database equals the backup, on SQLite
and PostgreSQL (ems db backup / ems db restore)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, select

from emsterm.database.engine import make_engine, transaction
from emsterm.model import Case, Narrative
from emsterm.services.edbc import determine_case
from tests.conftest import BUSINESS_DATE, Ems
from tests.households import one_earner_case


def everything(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a comparable order."""
    engine = make_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    try:
        with engine.connect() as connection:
            return {
                name: sorted(tuple(map(repr, row)) for row in connection.execute(select(table)))
                for name, table in sorted(metadata.tables.items())
            }
    finally:
        engine.dispose()


def test_back_up_change_restore_gives_the_backup(engine: Engine, tmp_path: Path) -> None:
    url = engine.url.render_as_string(hide_password=False)
    with transaction(engine) as session:
        determine_case(session, one_earner_case(session), BUSINESS_DATE)
    ems = Ems(url)
    saved = everything(url)
    file = tmp_path / "ems.backup"
    done = ems("db", "backup", str(file))
    assert done.exit_code == 0 and file.stat().st_size > 0, done.output
    with transaction(engine) as session:  # a day's work after the backup
        case = session.scalars(select(Case)).one()
        session.add(
            Narrative(
                case_id=case.id,
                seq=Narrative.next_seq(session, case.id),
                entry_date=BUSINESS_DATE,
                worker_id="WRK1",
                text="after the backup",
            )
        )
        case.street = "9 Changed St"
        determine_case(session, one_earner_case(session, serial=90077), BUSINESS_DATE)
    assert everything(url) != saved
    engine.dispose()
    restored = ems("db", "restore", str(file), "--yes")
    assert restored.exit_code == 0, restored.output
    assert everything(url) == saved
    assert ems("status").exit_code == 0


def test_backup_and_restore_refuse_bad_files(engine: Engine, tmp_path: Path) -> None:
    ems = Ems(engine.url.render_as_string(hide_password=False))
    (tmp_path / "taken").write_text("x")
    for args, says in (
        (("backup", str(tmp_path / "taken")), "exists already"),
        (("backup", str(tmp_path / "no" / "such" / "f")), "no folder"),
        (("restore", str(tmp_path / "missing"), "--yes"), "no backup file"),
    ):
        result = ems("db", *args)
        assert result.exit_code == 1 and says in result.output and len(result.output.strip().splitlines()) == 1, (
            result.output
        )
