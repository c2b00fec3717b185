"""The DSS data warehouse extract: the monthly writes the benefit month's cases, members,
determinations and issuances as Parquet files partitioned by benefit month; pyarrow (not our
code) reads the dataset back with its documented schema, and the rows and dollars agree with
the database, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
from sqlalchemy import Engine, func, select, union

from emsterm.database.engine import transaction
from emsterm.interfaces import dss_extract
from emsterm.model import Eligibility, Issuance, Member, UnitRole
from tests.conftest import Ems

APRIL = dt.date(2025, 4, 1)


def test_a_seeded_monthly_writes_an_extract_pyarrow_reads_back(ems: Ems, engine: Engine, tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    assert ems("--date", "2025-03-01", "seed", "--cases", "120", "--seed", "7").exit_code == 0
    done = ems("batch", "monthly", "--date", "2025-03-20", "--outbox", str(outbox))
    assert done.exit_code == 0, done.output
    (run,) = outbox.glob("monthly-2025-03-20-*")
    folder = run / "dss-extract" / "benefit_month=2025-04"
    assert sorted(p.name for p in folder.iterdir()) == [
        "cases.parquet",
        "determinations.parquet",
        "issuances.parquet",
        "members.parquet",
    ]
    with transaction(engine) as session:
        cases = union(
            select(Eligibility.case_id).where(Eligibility.benefit_month == APRIL, Eligibility.current.is_(True)),
            select(Issuance.case_id).where(Issuance.benefit_month == APRIL),
        ).subquery()
        expected_cases = session.scalar(select(func.count()).select_from(cases))
        expected_members = session.scalar(
            select(func.count()).select_from(Member).where(Member.case_id.in_(select(cases.c.case_id)))
        )
        current = (Eligibility.benefit_month == APRIL, Eligibility.current.is_(True))
        expected_determinations, determined = session.execute(
            select(func.count(), func.sum(Eligibility.amount)).where(*current)
        ).one()
        expected_issuances, issued = session.execute(
            select(func.count(), func.sum(Issuance.amount)).where(Issuance.benefit_month == APRIL)
        ).one()
    assert expected_cases and expected_members and expected_determinations and expected_issuances

    for table in dss_extract.SCHEMAS:
        # the file's schema is the documented one, each column with its description
        found = pq.read_schema(folder / f"{table}.parquet")
        assert found.names == [c.name for c in dss_extract.SCHEMAS[table]]
        for column in dss_extract.SCHEMAS[table]:
            field = found.field(column.name)
            assert field.type == column.type and field.metadata[b"description"] == column.description.encode()
        dataset = ds.dataset(folder.parent / "benefit_month=2025-04" / f"{table}.parquet", format="parquet")
        assert dataset.count_rows() > 0

    whole = ds.dataset(run / "dss-extract", format="parquet", partitioning="hive")
    assert whole.count_rows() == expected_cases + expected_members + expected_determinations + expected_issuances
    # a warehouse loads one table across months as a hive-partitioned dataset of that file name
    issuances = ds.dataset(
        list((run / "dss-extract").glob("*/issuances.parquet")), format="parquet", partitioning="hive"
    ).to_table()
    assert issuances.num_rows == expected_issuances
    issued_rows = pq.read_table(folder / "issuances.parquet")
    assert issued_rows.num_rows == expected_issuances
    assert sum(issued_rows.column("amount").to_pylist(), Decimal("0")) == issued
    assert issued_rows.schema.field("amount").type == pa.decimal128(11, 2)
    determinations = pq.read_table(folder / "determinations.parquet")
    assert determinations.num_rows == expected_determinations
    assert sum(determinations.column("amount").to_pylist(), Decimal("0")) == determined
    assert pq.read_table(folder / "cases.parquet").num_rows == expected_cases
    members = pq.read_table(folder / "members.parquet")
    assert members.num_rows == expected_members
    assert set(members.column("role").to_pylist()) <= {role.value for role in UnitRole}
    assert "ssn" not in members.schema.names and "last_name" not in members.schema.names

    summary = json.loads((run / "summary.json").read_text())
    logged = {f["totals"]["table"]: f for f in summary["files"] if f["interface"] == "DSS-EXTRACT"}
    assert logged["issuances"]["records"] == expected_issuances
    assert Decimal(logged["issuances"]["dollars"]) == issued
    assert logged["cases"]["records"] == expected_cases and logged["members"]["records"] == expected_members
    assert {f["status"] for f in logged.values()} == {"WRITTEN"}


def test_an_empty_month_writes_empty_files_with_the_schema(tmp_path: Path) -> None:
    written = dss_extract.write(tmp_path / "x" / "issuances.parquet", "issuances", iter([[]]))
    assert (written.rows, written.dollars) == (0, Decimal("0.00"))
    table = pq.read_table(written.path)
    assert table.num_rows == 0 and table.schema.names == [c.name for c in dss_extract.SCHEMAS["issuances"]]
    assert not list((tmp_path / "x").glob(".*partial"))
