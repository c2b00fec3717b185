"""The interface log: every file a run writes or reads is logged with its partner, counts,
dollars, control number, status and errors; `ems interfaces list/show/partners` and the
registry agree, on SQLite and PostgreSQL; a database logged before the log had its own columns
keeps what it knew."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import Engine, select

from emsterm.database import migrate
from emsterm.database.engine import make_engine, transaction
from emsterm.interfaces.registry import BY_NAME, INTERFACES, PARTNERS, of_partner, partner_of
from emsterm.interfaces.wage_match import Quarter, WageRecord, build
from emsterm.model import FileDirection, InterfaceStatus
from emsterm.model.batch import InterfaceFile
from tests.conftest import Ems
from tests.households import family_of_three_case

DAY = dt.date(2025, 3, 4)


def _run(ems: Ems, inbox: Path, outbox: Path, stream: str, date: dt.date, *extra: str) -> dict:
    result = ems("batch", stream, "--date", date.isoformat(), "--inbox", str(inbox), "--outbox", str(outbox), *extra)
    assert "Traceback" not in result.output, result.output
    assert result.exit_code in (0, 4), result.output
    run = sorted(outbox.glob(f"{stream}-{date.isoformat()}-*"))[-1]
    return json.loads((run / "summary.json").read_text())


def test_every_file_is_logged_with_its_partner_status_and_errors(engine: Engine, db_url: str, tmp_path: Path) -> None:
    with transaction(engine) as session:
        family_of_three_case(session)
    inbox, outbox = tmp_path / "inbox", tmp_path / "outbox"
    inbox.mkdir()
    good = build([WageRecord("222334444", Quarter(2024, 4), "ACME", 100)], dt.date(2025, 3, 1))
    (inbox / "wage-match-good.txt").write_bytes(good)
    torn = good.decode().replace("T|1|", "T|2|")
    (inbox / "wage-match-torn.txt").write_text(torn)
    ems = Ems(db_url)
    nightly = _run(ems, inbox, outbox, "nightly", DAY)
    monthly = _run(ems, inbox, outbox, "monthly", dt.date(2025, 3, 20), "--force")
    logged = nightly["files"] + monthly["files"]
    # every file a stream logs names an interface of the registry
    assert {f["interface"] for f in logged} <= set(BY_NAME), logged
    assert {f["interface"] for f in logged} >= {"EBT", "ACH", "CHECKS", "NOTICES", "WAGEMATCH", "X12-834", "REPORT"}
    by_file = {f["file"]: f for f in nightly["files"]}
    assert (by_file["wage-match-good.txt"]["status"], by_file["wage-match-good.txt"]["errors"]) == ("READ", [])
    assert by_file["wage-match-torn.txt"]["status"] == "REFUSED"
    [error] = by_file["wage-match-torn.txt"]["errors"]
    assert error.startswith("line 3: the trailer says 2 records"), error
    assert {f["status"] for f in logged if f["interface"] != "WAGEMATCH"} == {"WRITTEN"}
    audit = next(f for f in monthly["files"] if f["interface"] == "X12-834")
    assert audit["control_number"] == f"{audit['totals']['control_number']:09d}"

    listed = ems("interfaces", "list", "--limit", "100")
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert lines[0].split() == [
        "ID", "DATE", "STREAM", "STEP", "INTERFACE", "PARTNER", "DIR", "FILE",
        "RECORDS", "DOLLARS", "CONTROL", "STATUS", "ERRORS",
    ]  # fmt: skip
    assert len(lines) == 2 + len(logged)
    assert lines[2].split()[2] == "MONTHLY"  # newest run first
    refused = ems("interfaces", "list", "--status", "refused")
    [row] = refused.output.splitlines()[2:]
    assert row.split()[4:8] == ["WAGEMATCH", "DOL", "IN", "wage-match-torn.txt"] and row.split()[-2:] == [
        "REFUSED",
        "1",
    ]
    mmis = ems("interfaces", "list", "--partner", "mmis")
    assert {line.split()[4] for line in mmis.output.splitlines()[2:]} == {"X12-834"}, mmis.output
    shown = ems("interfaces", "show", row.split()[0])
    assert shown.exit_code == 0, shown.output
    assert shown.output.splitlines()[0].startswith("WAGEMATCH (DOL) IN REFUSED")
    assert f"ERROR {error}" in shown.output
    assert "sha256:" in shown.output


def test_bad_requests_are_one_line_and_non_zero(ems: Ems) -> None:
    assert ems("db", "upgrade").exit_code == 0
    for args, code, text in [
        (("interfaces", "list", "--partner", "NASA"), 2, "--partner 'NASA' is not a partner: one of EBTPROC"),
        (("interfaces", "list", "--direction", "SIDEWAYS"), 2, "'SIDEWAYS' is not one of"),
        (("interfaces", "show", "12"), 2, "'12' is not an interface file id in RUN.SEQ form"),
        (("interfaces", "show", "12.1"), 1, "no interface file 12.1"),
    ]:
        result = ems(*args)
        assert result.exit_code == code, result.output
        assert text in result.output and "Traceback" not in result.output, result.output
    assert ems("interfaces", "list").output == "no interface files\n"


def test_the_registry_names_each_interface_once_with_a_partner() -> None:
    assert len(BY_NAME) == len(INTERFACES)
    for entry in INTERFACES:
        assert len(entry.name) <= 12 and len(entry.partner) <= 8, entry
        assert entry.standard and entry.files and entry.moved_by and entry.validator
        assert partner_of(entry.name) == entry.partner and entry.name in of_partner(entry.partner.lower())
    assert partner_of("NOSUCH") == "?" and of_partner("NOSUCH") == ()
    assert set(PARTNERS) == {i.partner for i in INTERFACES}


def test_files_logged_before_the_log_columns_keep_their_status(db_url: str) -> None:
    engine = make_engine(db_url, create=True)
    migrate.upgrade(engine, "0008")
    with engine.begin() as c:
        c.execute(
            sa.text(
                "INSERT INTO batch_run (id, stream, business_date, status, started_at, created_by, created_at,"
                " updated_by, updated_at, version, outbox) VALUES (1, 'nightly', '2025-03-04', 'ENDED',"
                " '2025-03-04 22:00:00', 'T', '2025-03-04 22:00:00', 'T', '2025-03-04 22:00:00', 1, '')"
            )
        )
        rows = [
            (1, "WAGEMATCH", "IN", '{"status": "REFUSED", "problem": "line 3: short"}'),
            (2, "WAGEMATCH", "IN", '{"status": "READ"}'),
            (3, "X12-834", "OUT", '{"control_number": 7}'),
            (4, "EBT", "OUT", None),
        ]
        for seq, name, direction, totals in rows:
            c.execute(
                sa.text(
                    "INSERT INTO interface_file (run_id, seq, step_name, interface, direction, path, record_count,"
                    " total_amount, control_totals, created_by, created_at, updated_by, updated_at, version)"
                    " VALUES (1, :seq, 'S', :name, :direction, '/x', 0, 0, :totals, 'T', '2025-03-04 22:00:00', 'T',"
                    " '2025-03-04 22:00:00', 1)"
                ),
                {"seq": seq, "name": name, "direction": direction, "totals": totals},
            )
    migrate.upgrade(engine)
    with transaction(engine) as session:
        files = session.scalars(select(InterfaceFile).order_by(InterfaceFile.seq)).all()
        assert [(f.status, f.control_number, f.errors) for f in files] == [
            (InterfaceStatus.REFUSED, None, ["line 3: short"]),
            (InterfaceStatus.READ, None, None),
            (InterfaceStatus.WRITTEN, "7", None),
            (InterfaceStatus.WRITTEN, None, None),
        ]
        assert files[0].direction == FileDirection.IN


def test_the_readme_lists_every_interface_of_the_registry() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line for line in readme.splitlines() if line.startswith("| ")}
    for entry in INTERFACES:
        assert entry.name in rows, f"README's interface table has no row for {entry.name}"
        cells = [cell.strip() for cell in rows[entry.name].split("|")[1:-1]]
        assert cells[:4] == [entry.name, entry.partner, entry.direction, entry.standard], cells
        assert cells[6] == entry.validator, cells
