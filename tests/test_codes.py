"""The mainframe's codes with names (emsterm.model.codes): the enums hold the reference tables'
codes, the columns store the very same strings (no schema change), and no bare code literal is
compared with, assigned to or stored in a coded column anywhere in emsterm."""

from __future__ import annotations

import ast
import csv
import datetime as dt
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

import pytest
from sqlalchemy import CheckConstraint, Engine, String, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.types import SchemaType

from emsterm.database.bulk import bulk_insert
from emsterm.database.engine import transaction
from emsterm.model import (
    CODE_TABLES,
    ROLES,
    Case,
    CaseStatus,
    Citizenship,
    Client,
    Language,
    MessageSeverity,
    NoticeType,
    ParameterUnit,
    ProgramFunding,
    ProgramStatus,
    ReasonCategory,
    RoleCode,
    Sex,
    VerificationItem,
    metadata,
)
from emsterm.model.types import CodeString
from emsterm.rules.programs import ProgramKind
from emsterm.services.tables import ONLINE_UNITS

ROOT = Path(__file__).parents[1]
REFERENCE = ROOT / "db" / "reference"
NOT_ENUMERATED = {"COVGROUP", "MEDPLAN"}
"""Code tables with no enum: their codes are decided by the medical rules and stored as
space-separated lists (`program.coverage_group`), not one code per column."""


def _rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _values(codes: type[StrEnum]) -> list[str]:
    return [member.value for member in codes]


# -- the enums and the reference tables -----------------------------------------------------------


def test_each_code_table_is_its_enum_code_for_code_in_order() -> None:
    tables: dict[str, list[str]] = {}
    for row in _rows("ref_code"):
        tables.setdefault(row["code_type"], []).append(row["code"])
    assert set(tables) - set(CODE_TABLES) == NOT_ENUMERATED
    for code_type, codes in CODE_TABLES.items():
        assert _values(codes) == tables[code_type], code_type


def test_roles_are_the_security_roles() -> None:
    assert _values(RoleCode) == [row["code"] for row in _rows("sec_role")]
    assert tuple(_values(RoleCode)) == ROLES
    assert all(type(role) is str for role in ROLES)  # plain strings: click's choices


@pytest.mark.parametrize(
    ("table", "column", "codes"),
    [
        ("ref_program", "category", ProgramKind),
        ("ref_program", "funding", ProgramFunding),
        ("ref_program_parameter", "unit", ParameterUnit),
        ("ref_message", "severity", MessageSeverity),
        ("ref_reason_code", "category", ReasonCategory),
        ("ref_notice_text", "language", Language),
        ("ref_verification_parameter", "item", VerificationItem),
    ],
)
def test_reference_tables_use_only_the_codes_of_their_enum(table: str, column: str, codes: type[StrEnum]) -> None:
    assert {row[column] for row in _rows(table)} <= set(_values(codes))


def test_message_ids_end_in_a_severity_and_notice_texts_name_notice_types() -> None:
    assert {row["message_id"][-1] for row in _rows("ref_message")} <= set(_values(MessageSeverity))
    assert {row["severity"] for row in _rows("ref_message")} == {row["message_id"][-1] for row in _rows("ref_message")}
    assert {row["notice_type"] for row in _rows("ref_notice_text")} <= {*_values(NoticeType), "ALL"}


def test_the_parameters_screen_offers_the_units_it_always_offered() -> None:
    assert ONLINE_UNITS == ("USD", "RATE", "COUNT", "MONTHS", "DAYS")


def test_the_two_head_of_household_codes_are_two_enums() -> None:
    from emsterm.model import RelationshipToHead, UnitRole

    assert RelationshipToHead.SELF == UnitRole.HEAD == "HH"
    assert RelationshipToHead is not UnitRole
    assert Case.__table__.c.status.type.codes is CaseStatus  # type: ignore[attr-defined]
    member = metadata.tables["member"]
    assert member.c.relationship_code.type.codes is RelationshipToHead  # type: ignore[attr-defined]
    assert member.c.role.type.codes is UnitRole  # type: ignore[attr-defined]


# -- the columns: the same schema, the same stored strings -----------------------------------------


def _code_columns() -> Iterator[tuple[str, str, CodeString[StrEnum]]]:
    for table in metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, CodeString):
                yield table.name, column.name, column.type


def test_code_columns_are_plain_varchars_of_their_width() -> None:
    columns = list(_code_columns())
    assert len(columns) >= 39
    for table, name, kind in columns:
        assert not isinstance(kind, SchemaType) and not isinstance(kind.impl_instance, SchemaType), f"{table}.{name}"
        checks = [c for c in metadata.tables[table].constraints if isinstance(c, CheckConstraint)]
        assert not [c for c in checks if name in str(c.sqltext)], f"{table}.{name} has a CHECK constraint"
        assert max(len(v) for v in _values(kind.codes)) <= kind.length
        for dialect in (postgresql.dialect(), sqlite.dialect()):
            assert kind.compile(dialect=dialect) == String(kind.length).compile(dialect=dialect), f"{table}.{name}"


def test_a_code_is_stored_as_the_mainframes_string_and_read_back_as_its_member(engine: Engine) -> None:
    with transaction(engine) as session:
        session.add(
            Case(
                case_number="9999999990",
                office_code="HFD",
                status=CaseStatus.ACTIVE,
                street="1 MAIN ST",
                town_code="064",
                zip="06103",
                application_date=dt.date(2025, 3, 1),
            )
        )
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT status FROM case_root WHERE case_number = '9999999990'")).scalar()
        assert type(stored) is str and stored == "AC"
        connection.execute(text("UPDATE case_root SET status = 'ZZ' WHERE case_number = '9999999990'"))
        connection.commit()
    with transaction(engine) as session:
        read = session.scalar(select(Case.status).where(Case.case_number == "9999999990"))
        assert type(read) is str and read == "ZZ"  # a code the enum does not know stays as stored
        session.execute(text("UPDATE case_root SET status = 'CL' WHERE case_number = '9999999990'"))
        case = session.scalars(select(Case).where(Case.case_number == "9999999990")).one()
        session.refresh(case)
        assert case.status is CaseStatus.CLOSED
        assert session.scalar(select(Case.id).where(Case.status == CaseStatus.CLOSED)) == case.id
        assert session.scalar(select(Case.id).where(Case.status.in_([ProgramStatus.CLOSED]))) == case.id


def test_bulk_inserted_codes_are_the_mainframes_strings(engine: Engine) -> None:
    at = dt.datetime(2025, 3, 1, 8)
    stamp = {"created_by": "TEST", "created_at": at, "updated_by": "TEST", "updated_at": at, "version": 1}
    row = {
        "id": 999_001,
        "client_number": "999900011",
        "last_name": "CODES",
        "first_name": "ANNA",
        "middle_initial": "",
        "last_name_soundex": "C320",
        "birth_date": dt.date(1990, 1, 1),
        "sex": Sex.FEMALE,
        "ssn": None,
        "citizenship": Citizenship.REFUGEE,
        "language": "ES",
        "disabled": False,
        "blind": False,
        "entry_date": None,
        **stamp,
    }
    with engine.begin() as connection:
        bulk_insert(connection, metadata.tables["client"], [row])
        stored = connection.execute(text("SELECT sex, citizenship, language FROM client WHERE id = 999001")).one()
    assert [(type(v), v) for v in stored] == [(str, "F"), (str, "RF"), (str, "ES")]
    with transaction(engine) as session:
        client = session.get(Client, 999_001)
        assert client is not None
        assert (client.sex, client.citizenship, client.language) == (Sex.FEMALE, Citizenship.REFUGEE, Language.SPANISH)
        assert client.language is Language.SPANISH


# -- no bare code literal in emsterm --------------------------------------------------------------


def _coded_names() -> dict[str, frozenset[str]]:
    """Each coded column's attribute name (and the local names that hold one) -> the codes it
    may hold: a comparison of such a name with one of these codes as a bare string is a bare code."""
    names: dict[str, set[str]] = {}
    for _, column, kind in _code_columns():
        values = set(_values(kind.codes))
        names.setdefault(column, set()).update(values)
        if column.endswith("_code"):
            names.setdefault(column.removesuffix("_code"), set()).update(values)
    for name in ("program_status", "step_status"):
        names[name] = set(names["status"])
    return {name: frozenset(values) for name, values in names.items()}


def _name_of(node: ast.AST) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
        return node.slice.value
    return None


def _strings(node: ast.AST) -> Iterator[str]:
    """The string constants an expression can be: itself, the items of a literal tuple, list or
    set, either side of a conditional expression."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        for item in node.elts:
            yield from _strings(item)
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)


def bare_codes(source: str, names: dict[str, frozenset[str]]) -> list[tuple[int, str]]:
    """(line, what) for each bare code in the source: a coded name compared with a code as a
    string (`status == "AC"`, `role in ("HH", "MB")`, `severity in "ES"`), given one as a keyword
    (`status="P"`), assigned one (`case.status = "CL"`), or paired with one in a dict literal
    (`{"status": "PE"}`)."""
    found: list[tuple[int, str]] = []

    def check(line: int, name: str | None, value: ast.AST, contains: bool = False) -> None:
        codes = names.get(name or "")
        if not codes:
            return
        for string in _strings(value):
            single_letters = len(string) > 1 and all(letter in codes for letter in string)
            if string in codes or (contains and isinstance(value, ast.Constant) and single_letters):
                found.append((line, f"{name} {string!r}"))

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for op, left, right in zip(node.ops, operands, operands[1:]):
                contains = isinstance(op, (ast.In, ast.NotIn))
                check(node.lineno, _name_of(left), right, contains)
                if not contains:
                    check(node.lineno, _name_of(right), left)
        elif isinstance(node, ast.Call):
            for keyword in node.keywords:
                check(node.lineno, keyword.arg, keyword.value)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    for element, value in zip(target.elts, node.value.elts):
                        check(node.lineno, _name_of(element), value)
                elif isinstance(target, ast.Attribute):
                    check(node.lineno, target.attr, node.value)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    check(node.lineno, key.value, value)
    return found


def test_the_scan_finds_bare_codes_and_nothing_else() -> None:
    names = _coded_names()
    caught = """
if program.status == "AC": pass
if "HH" == member.role: pass
if case.status not in ("CL", "DN"): pass
if run.status in ["RUNNING", "FAILED"]: pass
if message.severity in "ES": pass
notice = Notice(status="P", notice_type="APPR" if ok else "DENY")
case.status = "CL"
action.status, action.applied_date = "A", day
row = {"status": "PE", "relationship_code": "HH"}
if relationship == "HH" or program_status == "CL": pass
if row["status"] == "O": pass
"""
    assert {line for line, _ in bare_codes(caught, names)} == set(range(2, 13))
    left_alone = """
if request.aid == "ENTER" or code == "S": pass
if form.choice("kind", "KIND", {"I": "INCOME"}) == "Y": pass
if program == "TFA" and program_code == "SNAP": pass
if status == CaseStatus.ACTIVE and user_status(user) == "REVOKED": pass
x = {"type": "CHNG", "status": "BOUNCED"}
form.fail("member", "EMS066E", field="ANOTHER MEMBER", action="END")
if message.severity in "XY": pass
"""
    assert bare_codes(left_alone, names) == []


def test_no_bare_code_literal_in_emsterm() -> None:
    names = _coded_names()
    found = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in sorted((ROOT / "emsterm").rglob("*.py"))
        for line, what in bare_codes(path.read_text(encoding="utf-8"), names)
    ]
    assert found == [], "use the code's enum (emsterm.model.codes) instead:\n" + "\n".join(found)
