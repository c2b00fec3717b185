"""The Decision Support System extract: a month's cases, members, determinations and issuances
for the DSS data warehouse, as Apache Parquet files (pyarrow), one folder per benefit month in
Hive style so that any Parquet reader sees `benefit_month` as a partition column:

    dss-extract/benefit_month=2027-01/cases.parquet
                                     /members.parquet
                                     /determinations.parquet
                                     /issuances.parquet

`SCHEMAS` is the documented schema: each table's columns with their Parquet types and meaning.
Money is DECIMAL(11,2) (never floating point), dates are DATE, codes are the mainframe's codes
as strings (their meanings are the code tables, `ref_code`). The extract carries no names, SSNs
or addresses below the town: the warehouse joins people by client number. Nothing in it depends
on the clock (no wall-clock timestamps), so a restarted run writes the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

MONEY = pa.decimal128(11, 2)
"""Dollars and cents, as the database keeps them."""
FOLDER = "dss-extract"
"""The extract's folder in the run's outbox."""


@dataclass(frozen=True)
class Column:
    """One documented column of an extract table."""

    name: str
    type: pa.DataType
    description: str
    nullable: bool = False


SCHEMAS: dict[str, tuple[Column, ...]] = {
    "cases": (
        Column("case_number", pa.string(), "The case number (10 characters)"),
        Column("office_code", pa.string(), "The DSS office that holds the case"),
        Column("town_code", pa.string(), "The town of the case's address (ref_town)"),
        Column("zip", pa.string(), "The ZIP code of the case's address"),
        Column("status", pa.string(), "Case status (code table CASESTAT: AC active, PE pending, CL closed)"),
        Column("worker_id", pa.string(), "The worker the case is assigned to", nullable=True),
        Column("application_date", pa.date32(), "The date of the case's first application"),
        Column("opened_date", pa.date32(), "The date the case was opened", nullable=True),
        Column("closed_date", pa.date32(), "The date the case was closed", nullable=True),
    ),
    "members": (
        Column("case_number", pa.string(), "The case the person is a member of"),
        Column("member_seq", pa.int16(), "The member's number within the case"),
        Column("client_number", pa.string(), "The person's client number (the MMIS member id)"),
        Column("role", pa.string(), "Role in the assistance unit (code table ROLE: HH head, MB member, ...)"),
        Column("relationship", pa.string(), "Relationship to the head (code table RELATION)"),
        Column("birth_date", pa.date32(), "Date of birth"),
        Column("sex", pa.string(), "Sex (code table SEX)"),
        Column("citizenship", pa.string(), "Citizenship or immigration status (code table CITIZEN)"),
        Column("start_date", pa.date32(), "The date the person joined the household"),
        Column("end_date", pa.date32(), "The date the person left the household", nullable=True),
    ),
    "determinations": (
        Column("case_number", pa.string(), "The case determined"),
        Column("program", pa.string(), "Program code (ref_program: SNAP, TFA, MA, ...)"),
        Column("eligible", pa.bool_(), "Whether the unit is eligible for the month"),
        Column("amount", MONEY, "The month's benefit (0.00 for medical programs and denials)"),
        Column("coverage_group", pa.string(), "The medical coverage group (MA, RMA)", nullable=True),
        Column("reason_codes", pa.string(), "The reason codes of the decision (ref_reason_code), space-separated"),
        Column(
            "override_reason",
            pa.string(),
            "The reason code when a supervisor overrode EDBC's result (ref_reason_code O01-O03)",
            nullable=True,
        ),
    ),
    "issuances": (
        Column("case_number", pa.string(), "The case paid"),
        Column("program", pa.string(), "Program code"),
        Column("kind", pa.string(), "Issuance kind (code table ISSKIND: R regular, S supplemental, ...)"),
        Column("amount", MONEY, "Dollars issued"),
        Column("method", pa.string(), "Payment method (code table PAYMETH: EBT, DD, CHK)"),
        Column("issue_date", pa.date32(), "The date the benefit was issued"),
        Column("available_date", pa.date32(), "The date the benefit is available to the household"),
        Column("status", pa.string(), "Issuance status (code table ISSSTAT: I issued, C cancelled, ...)"),
    ),
}
"""Table -> its columns, in file order. Every table's partition column is `benefit_month`
(YYYY-MM), from its folder name."""

DOLLARS: dict[str, str] = {"determinations": "amount", "issuances": "amount"}
"""The column whose total is each table's control total in dollars."""


def schema(table: str) -> pa.Schema:
    """The Parquet schema of one extract table, with each column's description as metadata."""
    return pa.schema(
        [
            pa.field(c.name, c.type, nullable=c.nullable, metadata={"description": c.description})
            for c in SCHEMAS[table]
        ],
        metadata={"table": table, "producer": "emsterm EMS DSS extract"},
    )


@dataclass(frozen=True)
class Written:
    """One extract file and its control totals."""

    table: str
    path: Path
    rows: int
    dollars: Decimal


def partition(root: Path, month: Any) -> Path:
    """The folder of one benefit month's files under the extract root."""
    return root / FOLDER / f"benefit_month={month:%Y-%m}"


def write(path: Path, table: str, batches: Iterable[Sequence[tuple[Any, ...]]]) -> Written:
    """Write one table from batches of row tuples (in `SCHEMAS` column order) as a Parquet file,
    whole or not at all (a temporary file renamed into place)."""
    target = schema(table)
    columns = SCHEMAS[table]
    money = DOLLARS.get(table)
    money_at = [c.name for c in columns].index(money) if money else None
    rows, dollars = 0, Decimal("0.00")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.partial")
    with pq.ParquetWriter(temporary, target, compression="zstd") as writer:
        for batch in batches:
            if not batch:
                continue
            arrays = [
                pa.array(values, type=c.type) for values, c in zip(zip(*batch, strict=True), columns, strict=True)
            ]
            writer.write_batch(pa.record_batch(arrays, schema=target))
            rows += len(batch)
            if money_at is not None:
                dollars += sum((row[money_at] for row in batch), Decimal("0.00"))
    os.replace(temporary, path)
    return Written(table, path, rows, dollars)
