"""The hierarchical schema: segment columns, naming convention, optimistic locking, audit."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from sqlalchemy import Engine, ForeignKeyConstraint, Index, PrimaryKeyConstraint, UniqueConstraint, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from emsterm.database.engine import transaction
from emsterm.model import (
    REFERENCE_TABLES,
    AuditEntry,
    Base,
    Case,
    Client,
    Member,
    Reference,
    Root,
    Segment,
    current_actor,
    metadata,
)
from emsterm.model.numbers import case_number, client_number, valid_check_digit
from emsterm.model.soundex import soundex
from emsterm.model.types import to_money
from emsterm.services import audit

SEGMENT_PARENTS = {
    "bank_account": "client",
    "account_change": "bank_account",
    "managed_care_enrollment": "client",
    "medical_card": "client",
    "member": "case_root",
    "program": "case_root",
    "eligibility": "case_root",
    "issuance": "case_root",
    "notice": "case_root",
    "action": "case_root",
    "alert": "case_root",
    "narrative": "case_root",
    "pending_change": "case_root",
    "income": "member",
    "asset": "member",
    "expense": "member",
    "verification": "member",
    "budget_line": "eligibility",
    "batch_step": "batch_run",
    "batch_checkpoint": "batch_step",
    "interface_file": "batch_run",
    "absent_parent": "case_root",
    "support_status": "support_case",
    "support_party": "support_case",
    "support_alert": "support_case",
    "support_locate": "support_case",
    "support_paternity": "support_case",
    "support_order": "support_case",
    "support_application": "support_case",
    "support_payment": "support_case",
    "support_ledger": "support_case",
    "support_disbursement": "support_case",
    "support_enforcement": "support_case",
    "support_collection": "case_root",
}
TRACKING = {"created_by", "created_at", "updated_by", "updated_at", "version"}


def _mappers(kind: type) -> list[type]:
    return [m.class_ for m in Base.registry.mappers if issubclass(m.class_, kind)]


def test_every_segment_has_parent_key_sequence_tracking_and_version() -> None:
    segments = {cls.__tablename__: cls for cls in _mappers(Segment)}
    assert set(segments) == set(SEGMENT_PARENTS)
    for name, cls in segments.items():
        table = metadata.tables[name]
        parent_column = table.c[cls.parent_key]
        (foreign_key,) = parent_column.foreign_keys
        assert foreign_key.column.table.name == SEGMENT_PARENTS[name]
        assert not parent_column.nullable and "seq" in table.c
        assert any(
            isinstance(c, UniqueConstraint) and {col.name for col in c.columns} == {cls.parent_key, "seq"}
            for c in table.constraints
        ), name
        assert set(table.c.keys()) >= TRACKING, name
        assert cls.__mapper__.version_id_col is table.c.version
        assert len(cls.segment) <= 8


def test_roots_and_reference_tables_are_tracked_and_versioned() -> None:
    for cls in _mappers(Root) + _mappers(Reference):
        assert set(cls.__table__.c.keys()) >= TRACKING
        assert cls.__mapper__.version_id_col is cls.__table__.c.version
    assert {c.__tablename__ for c in _mappers(Reference)} == {c.__tablename__ for c in REFERENCE_TABLES}
    for cls in REFERENCE_TABLES:
        assert {"effective_from", "effective_to", "source"} <= set(cls.__table__.c.keys())


def test_constraint_and_index_names_follow_one_convention() -> None:
    patterns = {
        PrimaryKeyConstraint: r"pk_{t}",
        UniqueConstraint: r"uq_{t}_[a-z0-9_]+",
        ForeignKeyConstraint: r"fk_{t}_[a-z0-9_]+",
    }
    for table in metadata.tables.values():
        for constraint in table.constraints:
            pattern = next((p for k, p in patterns.items() if isinstance(constraint, k)), r"ck_{t}_[a-z_]+")
            assert re.fullmatch(pattern.format(t=table.name), str(constraint.name)), constraint.name
            assert len(str(constraint.name)) <= 63
        for index in table.indexes:
            assert isinstance(index, Index) and str(index.name).startswith(f"ix_{table.name}_")
            assert len(str(index.name)) <= 63


def _insert_case(engine: Engine) -> int:
    with transaction(engine) as session:
        case = Case(
            case_number=case_number(1),
            office_code="HFD",
            status="PE",
            street="1 Main St",
            town_code="064",
            zip="06103",
            application_date=dt.date(2025, 3, 1),
        )
        client = Client(
            client_number=client_number(1),
            last_name="Doe",
            first_name="Jane",
            last_name_soundex=soundex("Doe"),
            birth_date=dt.date(1990, 1, 2),
            sex="F",
            ssn="900000001",
            citizenship="US",
        )
        session.add_all([case, client])
        session.flush()
        session.add(
            Member(
                case_id=case.id,
                seq=1,
                client_id=client.id,
                relationship_code="HH",
                role="HH",
                start_date=dt.date(2025, 3, 1),
            )
        )
        return case.id


def test_optimistic_locking_refuses_a_stale_update(engine: Engine) -> None:
    case_id = _insert_case(engine)
    first, second = Session(engine), Session(engine, expire_on_commit=False)
    theirs = second.get(Case, case_id)
    second.commit()  # displayed, as a screen shows a case between two transactions
    mine = first.get(Case, case_id)
    assert mine is not None and theirs is not None and mine.version == theirs.version == 1
    mine.street = "2 Elm St"
    first.commit()
    theirs.street = "3 Oak St"
    with pytest.raises(StaleDataError):
        second.commit()
    second.rollback()
    fresh = second.get(Case, case_id)
    assert fresh is not None and fresh.street == "2 Elm St" and fresh.version == 2
    first.close()
    second.close()


def test_tracking_columns_record_who_and_when(engine: Engine) -> None:
    token = current_actor.set("DSS4711")
    try:
        case_id = _insert_case(engine)
    finally:
        current_actor.reset(token)
    with transaction(engine) as session:
        case = session.get(Case, case_id)
        assert case is not None and case.created_by == "DSS4711" and case.updated_by == "DSS4711"
        token = current_actor.set("DSS0001")
        case.status = "AC"
        session.flush()
        current_actor.reset(token)
        assert case.updated_by == "DSS0001" and case.created_by == "DSS4711"
        assert case.updated_at >= case.created_at


def test_deleting_a_case_deletes_its_segments(engine: Engine) -> None:
    case_id = _insert_case(engine)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM case_root WHERE id = :id"), {"id": case_id})
        assert connection.execute(text("SELECT count(*) FROM member")).scalar() == 0


def test_audit_trail_is_insert_only(engine: Engine) -> None:
    with transaction(engine) as session:
        audit.record(session, "ISRT", "CASEROOT", "0000000018", after={"status": "PE"})
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_trail")).scalar() == 1
    statements = ["UPDATE audit_trail SET user_id = 'X'", "DELETE FROM audit_trail"]
    if engine.dialect.name == "postgresql":
        statements.append("TRUNCATE audit_trail")
    for statement in statements:
        with pytest.raises(Exception, match="insert-only"), engine.begin() as connection:
            connection.execute(text(statement))
    with transaction(engine) as session:
        (entry,) = session.query(AuditEntry).all()
        assert entry.user_id == "SYSTEM" and entry.after == {"status": "PE"}


def test_money_is_exact() -> None:
    assert to_money("12.5") == Decimal("12.50")
    for bad in (1.5, "1.005", "abc", "NaN"):
        with pytest.raises(ValueError):
            to_money(bad)


def test_money_round_trips_as_cents(engine: Engine) -> None:
    case_id = _insert_case(engine)
    with transaction(engine) as session:
        from emsterm.model import Income

        member = session.query(Member).filter_by(case_id=case_id).one()
        session.add(
            Income(
                member_id=member.id,
                seq=1,
                income_type="WAGE",
                monthly_amount=Decimal("1234.56"),
                frequency="M",
                start_date=dt.date(2025, 1, 1),
            )
        )
    with engine.connect() as connection:
        assert connection.execute(text("SELECT monthly_amount FROM income")).scalar() == 123456


def test_check_digits() -> None:
    assert case_number(12345) == "0000123455" and valid_check_digit(case_number(12345))
    assert not valid_check_digit("0000123454")
    assert valid_check_digit(client_number(77))


def test_soundex_matches_sounds_alike_names() -> None:
    assert soundex("Robert") == soundex("Rupert") == "R163"
    assert soundex("Smith") == soundex("Smyth") == "S530"
    assert soundex("Tymczak") == "T522" and soundex("Pfister") == "P236"


def test_acting_as_sets_the_actor_for_the_block_only() -> None:
    from emsterm.model import acting_as, current_actor
    from emsterm.model.base import SYSTEM_ACTOR

    with acting_as("WRK1"):
        assert current_actor.get() == "WRK1"
        with acting_as("BATCH000001:ISSUE"):
            assert current_actor.get() == "BATCH000001:ISSUE"
        assert current_actor.get() == "WRK1"
    assert current_actor.get() == SYSTEM_ACTOR
    try:
        with acting_as("WRK2"):
            raise ValueError("a change that fails")
    except ValueError:
        pass
    assert current_actor.get() == SYSTEM_ACTOR


def test_routing_numbers_are_checked_where_they_enter() -> None:
    from emsterm.model import AccountType, BankAccount
    from emsterm.model.numbers import aba_check_digit, valid_routing_number

    assert valid_routing_number("011000015") and valid_routing_number("021000021")
    assert aba_check_digit("01100001") == "5"
    for bad in ("011000016", "01100001", "0110000155", "01100001a", "\uff1011000015", ""):
        assert not valid_routing_number(bad), bad
    account = BankAccount(routing_number="011000015", account_number="12345", account_type=AccountType.CHECKING)
    assert account.routing_number == "011000015"
    with pytest.raises(ValueError, match="ABA check digit"):
        BankAccount(routing_number="011000016", account_number="12345", account_type=AccountType.CHECKING)
    with pytest.raises(ValueError, match="account number"):
        BankAccount(routing_number="011000015", account_number="", account_type=AccountType.CHECKING)
