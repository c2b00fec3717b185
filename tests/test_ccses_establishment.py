"""CCSES establishment through its services, on SQLite and PostgreSQL: the paternity of each
child (acknowledgement, genetic test, adjudication, not needed), support orders and their
modifications (history kept, nothing overwritten), optimistic locking and the audit trail, the
move from establishment to enforcement, and `ems ccses show`."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select

from emsterm.ccses import orders, paternity
from emsterm.ccses.establishment import REASON, move_ready_cases, move_to_enforcement, ready_for_enforcement
from emsterm.ccses.inquiry import show_case
from emsterm.ccses.locking import ChangedMeanwhile, EstablishmentRefused
from emsterm.ccses.obligations import upcoming
from emsterm.ccses.orders import NewTerms
from emsterm.database.engine import transaction
from emsterm.model import (
    AuditEntry,
    GeneticResult,
    OrderAuthority,
    OrderFrequency,
    OrderType,
    PaternityMethod,
    PaternityStatus,
    SupportCase,
    SupportOrder,
    SupportStatus,
    SupportStatusHistory,
)
from emsterm.model.base import acting_as
from tests.conftest import Ems
from tests.support_cases import support_case

TODAY = dt.date(2025, 3, 1)
LEO, ANA = 3, 4
"""The children's party numbers."""


def _monthly(amount: str, start: dt.date, end: dt.date | None = None) -> NewTerms:
    return NewTerms(Decimal(amount), OrderFrequency.MONTHLY, start, end)


def test_paternity_by_acknowledgement_and_by_genetic_test(engine: Engine) -> None:
    with transaction(engine) as session, acting_as("CSW1"):
        case = support_case(session)
        paternity.acknowledge(session, case, LEO, "PA2025000123", dt.date(2025, 2, 3), TODAY)
        paternity.order_test(session, case, ANA, dt.date(2025, 2, 10), TODAY)
        with pytest.raises(EstablishmentRefused, match="before the test was ordered"):
            paternity.record_result(session, case, ANA, GeneticResult.INCLUDED, dt.date(2025, 2, 9), TODAY)
        paternity.record_result(session, case, ANA, GeneticResult.INCLUDED, dt.date(2025, 2, 24), TODAY)
        number = case.support_number
    with transaction(engine) as session:
        case = session.scalars(select(SupportCase)).one()
        found = {child.seq: p for child, p in paternity.children_of(session, case)}
        leo, ana = found[LEO], found[ANA]
        assert leo is not None and ana is not None
        assert (leo.status, leo.method, leo.registry_number, leo.established_date) == (
            PaternityStatus.ESTABLISHED,
            PaternityMethod.ACKNOWLEDGEMENT,
            "PA2025000123",
            dt.date(2025, 2, 3),
        )
        assert (ana.status, ana.method, ana.test_ordered_date, ana.test_result) == (
            PaternityStatus.ESTABLISHED,
            PaternityMethod.GENETIC_TEST,
            dt.date(2025, 2, 10),
            GeneticResult.INCLUDED,
        )
        trail = [
            (a.action, a.segment_key, a.user_id)
            for a in session.scalars(select(AuditEntry).where(AuditEntry.segment == "SUPPATER").order_by(AuditEntry.id))
        ]
        assert trail == [
            ("ISRT", f"{number}:1", "CSW1"),
            ("ISRT", f"{number}:2", "CSW1"),
            ("REPL", f"{number}:2", "CSW1"),
        ]


def test_bad_paternity_facts_are_refused_in_words(engine: Engine) -> None:
    with transaction(engine) as session:
        case = support_case(session)
        with pytest.raises(EstablishmentRefused, match="after 03/01/2025"):
            paternity.acknowledge(session, case, LEO, "PA1", dt.date(2025, 3, 2), TODAY)
        with pytest.raises(EstablishmentRefused, match="before the child's birth"):
            paternity.adjudicate(session, case, ANA, "FA-25-1", dt.date(2019, 1, 1), TODAY)
        with pytest.raises(EstablishmentRefused, match="not a child of the case"):
            paternity.order_test(session, case, 2, TODAY, TODAY)  # party 2 is the father
        with pytest.raises(EstablishmentRefused, match="no genetic test is pending"):
            paternity.record_result(session, case, LEO, GeneticResult.EXCLUDED, TODAY, TODAY)
        with pytest.raises(EstablishmentRefused, match="registry number"):
            paternity.acknowledge(session, case, LEO, "PA 1", TODAY, TODAY)
        paternity.adjudicate(session, case, LEO, "HHD-FA25-6012345-S", dt.date(2025, 2, 20), TODAY)
        with pytest.raises(EstablishmentRefused, match="already settled"):
            paternity.order_test(session, case, LEO, TODAY, TODAY)
        paternity.order_test(session, case, ANA, dt.date(2025, 1, 20), TODAY)
        paternity.record_result(session, case, ANA, GeneticResult.EXCLUDED, dt.date(2025, 2, 1), TODAY)
        statuses = [paternity.status_of(p) for _, p in paternity.children_of(session, case)]
        assert statuses == [PaternityStatus.ESTABLISHED, PaternityStatus.EXCLUDED]
        assert session.scalar(select(SupportOrder.id)) is None


def test_an_order_modification_keeps_the_history(engine: Engine) -> None:
    with transaction(engine) as session, acting_as("CSW1"):
        case = support_case(session)
        first = orders.add_order(
            session,
            case,
            OrderAuthority.MAGISTRATE,
            "HHD-FA25-6012345-S",
            OrderType.CURRENT_SUPPORT,
            _monthly("412.00", dt.date(2025, 1, 1)),
        )
        medical = orders.add_order(
            session,
            case,
            OrderAuthority.ADMINISTRATIVE,
            "",
            OrderType.MEDICAL_SUPPORT,
            NewTerms(Decimal("25.00"), OrderFrequency.WEEKLY, dt.date(2025, 1, 3)),
        )
        assert (first.order_no, medical.order_no) == (1, 2)
        orders.modify_order(session, case, 1, _monthly("450.00", dt.date(2025, 3, 15)))
        orders.modify_order(session, case, 1, _monthly("500.00", dt.date(2025, 7, 1), dt.date(2030, 6, 30)))
        number = case.support_number
    with transaction(engine) as session:
        case = session.scalars(select(SupportCase)).one()
        versions = [
            (o.seq, o.order_no, o.modification, o.amount, o.effective_date, o.end_date, o.superseded_by, o.docket)
            for o in orders.orders_of(session, case)
        ]
        assert versions == [
            (1, 1, 0, Decimal("412.00"), dt.date(2025, 1, 1), dt.date(2025, 3, 14), 3, "HHD-FA25-6012345-S"),
            (3, 1, 1, Decimal("450.00"), dt.date(2025, 3, 15), dt.date(2025, 6, 30), 4, "HHD-FA25-6012345-S"),
            (4, 1, 2, Decimal("500.00"), dt.date(2025, 7, 1), dt.date(2030, 6, 30), None, "HHD-FA25-6012345-S"),
            (2, 2, 0, Decimal("25.00"), dt.date(2025, 1, 3), None, None, ""),
        ]
        assert [o.seq for o in orders.in_force(session, case, dt.date(2025, 3, 14))] == [1, 2]
        assert [o.seq for o in orders.in_force(session, case, dt.date(2025, 3, 15))] == [3, 2]
        trail = [
            (a.action, a.segment_key)
            for a in session.scalars(select(AuditEntry).where(AuditEntry.segment == "SUPORDER").order_by(AuditEntry.id))
        ]
        assert trail == [
            ("ISRT", f"{number}:1"),
            ("ISRT", f"{number}:2"),
            ("REPL", f"{number}:1"),
            ("ISRT", f"{number}:3"),
            ("REPL", f"{number}:3"),
            ("ISRT", f"{number}:4"),
        ]


def test_bad_orders_and_a_stale_copy_are_refused(engine: Engine) -> None:
    with transaction(engine) as session:
        case = support_case(session)
        seen = case.version
        support = OrderType.CURRENT_SUPPORT
        with pytest.raises(EstablishmentRefused, match="needs its docket"):
            orders.add_order(session, case, OrderAuthority.SUPERIOR_COURT, "", support, _monthly("1", TODAY))
        with pytest.raises(EstablishmentRefused, match=r"amount must be more than 0\.00"):
            orders.add_order(session, case, OrderAuthority.ADMINISTRATIVE, "", support, _monthly("0", TODAY))
        with pytest.raises(EstablishmentRefused, match="end date cannot be before"):
            orders.add_order(
                session, case, OrderAuthority.ADMINISTRATIVE, "", support, _monthly("9", TODAY, dt.date(2025, 2, 1))
            )
        with pytest.raises(EstablishmentRefused, match="no order 1"):
            orders.modify_order(session, case, 1, _monthly("9", TODAY))
        orders.add_order(session, case, OrderAuthority.ADMINISTRATIVE, "", support, _monthly("300", TODAY), seen)
        session.flush()
        assert case.version > seen
        with pytest.raises(EstablishmentRefused, match="must begin after 03/01/2025"):
            orders.modify_order(session, case, 1, _monthly("350", TODAY))
        with pytest.raises(ChangedMeanwhile):
            orders.modify_order(session, case, 1, _monthly("350", dt.date(2025, 4, 1)), seen_version=seen)
        assert len(orders.orders_of(session, case)) == 1


def test_an_order_ends_without_a_modification_and_its_obligations_stop(engine: Engine) -> None:
    """The court ends an order (the child emancipated, the order vacated): its latest version gets
    the end date, nothing else changes, the schedule stops after it and the change is audited;
    a date before the version began, or after the order already ended, is refused."""
    with transaction(engine) as session, acting_as("CSW1"):
        case = support_case(session)
        support = OrderType.CURRENT_SUPPORT
        orders.add_order(session, case, OrderAuthority.ADMINISTRATIVE, "", support, _monthly("300.00", TODAY))
        orders.modify_order(session, case, 1, _monthly("320.00", dt.date(2025, 5, 1)))
        with pytest.raises(EstablishmentRefused, match="cannot end before its version 1 began on 05/01/2025"):
            orders.end_order(session, case, 1, dt.date(2025, 4, 30))
        with pytest.raises(EstablishmentRefused, match="no order 2"):
            orders.end_order(session, case, 2, dt.date(2025, 6, 30))
        ended = orders.end_order(session, case, 1, dt.date(2025, 6, 30))
        assert (ended.modification, ended.amount, ended.end_date) == (1, Decimal("320.00"), dt.date(2025, 6, 30))
        with pytest.raises(EstablishmentRefused, match="order 1 ended 06/30/2025 already"):
            orders.end_order(session, case, 1, dt.date(2025, 7, 31))
        orders.end_order(session, case, 1, dt.date(2025, 5, 31))  # the court moves the end earlier
        number = case.support_number
    with transaction(engine) as session:
        case = session.scalars(select(SupportCase)).one()
        versions = [(o.modification, o.end_date, o.superseded_by) for o in orders.orders_of(session, case)]
        assert versions == [(0, dt.date(2025, 4, 30), 2), (1, dt.date(2025, 5, 31), None)]
        assert orders.in_force(session, case, dt.date(2025, 6, 1)) == []
        due = [(o.due_date, o.amount) for o in upcoming(orders.orders_of(session, case), TODAY, 10)]
        assert due == [
            (dt.date(2025, 3, 1), Decimal("300.00")),
            (dt.date(2025, 4, 1), Decimal("300.00")),
            (dt.date(2025, 5, 1), Decimal("320.00")),
        ]
        ends = [
            (a.action, a.segment_key, (a.before or {}).get("to"), (a.after or {}).get("to"))
            for a in session.scalars(select(AuditEntry).where(AuditEntry.segment == "SUPORDER").order_by(AuditEntry.id))
        ][-2:]
        assert ends == [
            ("REPL", f"{number}:2", None, "2025-06-30"),
            ("REPL", f"{number}:2", "2025-06-30", "2025-05-31"),
        ]


def test_the_case_moves_to_enforcement_once_paternity_and_an_order_are_established(engine: Engine) -> None:
    on = dt.date(2025, 3, 1)
    with transaction(engine) as session:
        case = support_case(session)
        assert not ready_for_enforcement(session, case, on)
        paternity.acknowledge(session, case, LEO, "PA1", dt.date(2025, 2, 3), on)
        paternity.not_needed(session, case, ANA, on)  # born in a marriage: the legal father is known
        assert not move_to_enforcement(session, case, on)  # no order yet
        orders.add_order(
            session, case, OrderAuthority.ADMINISTRATIVE, "", OrderType.MEDICAL_SUPPORT, _monthly("40", on)
        )
        assert not move_to_enforcement(session, case, on)  # a medical order is not current support
        orders.add_order(
            session,
            case,
            OrderAuthority.ADMINISTRATIVE,
            "",
            OrderType.CURRENT_SUPPORT,
            _monthly("300", dt.date(2025, 3, 2)),
        )
        assert not move_to_enforcement(session, case, on)  # not yet in force
        assert move_to_enforcement(session, case, dt.date(2025, 3, 2))
        assert not move_to_enforcement(session, case, dt.date(2025, 3, 3))  # once only
    with transaction(engine) as session:
        case = session.scalars(select(SupportCase)).one()
        assert (case.status, case.status_date) == (SupportStatus.ENFORCEMENT, dt.date(2025, 3, 2))
        last = session.scalars(select(SupportStatusHistory).order_by(SupportStatusHistory.seq.desc())).first()
        assert last is not None and (last.status, last.reason) == (SupportStatus.ENFORCEMENT, REASON)


def test_show_prints_paternity_and_orders_with_history(engine: Engine, db_url: str) -> None:
    with transaction(engine) as session:
        case = support_case(session)
        paternity.acknowledge(session, case, LEO, "PA77", dt.date(2025, 2, 3), TODAY)
        orders.add_order(
            session, case, OrderAuthority.MAGISTRATE, "FA-25-1", OrderType.CURRENT_SUPPORT, _monthly("412", TODAY)
        )
        orders.modify_order(session, case, 1, _monthly("450.50", dt.date(2025, 4, 1)))
        number = case.support_number
        shown = show_case(session, case)
    assert [(t["child_seq"], t["status"], t["method"]) for t in shown["paternity"]] == [
        (3, "ES", "AK"),
        (4, "NE", None),
    ]
    assert [(o["modification"], o["amount"], o["end_date"]) for o in shown["orders"]] == [
        (0, "412.00", "2025-03-31"),
        (1, "450.50", None),
    ]
    ems = Ems(db_url)
    text = ems("ccses", "show", number)
    assert text.exit_code == 0, text.output
    assert "paternity of 3 LEO ZABRISKIE: ES by AK 2025-02-03" in text.output
    assert "order 1.0 CS 412.00 M FM FA-25-1 from 2025-03-01 to 2025-03-31 modified by 2" in text.output
    assert "order 1.1 CS 450.50 M FM FA-25-1 from 2025-04-01" in text.output
    as_json = json.loads(ems("ccses", "show", number, "--json").output)
    assert as_json["orders"][1]["superseded_by"] is None


def test_the_stream_moves_every_ready_case_once(engine: Engine) -> None:
    on = dt.date(2025, 3, 1)
    with transaction(engine) as session:
        ready, waiting, no_order = (support_case(session, f"000009000{n}") for n in (2, 3, 4))
        for case in (ready, waiting, no_order):
            paternity.acknowledge(session, case, LEO, "PA1", dt.date(2025, 2, 3), on)
            paternity.acknowledge(session, case, ANA, "PA2", dt.date(2025, 2, 3), on)
        paternity_open = support_case(session, "0000090005")
        for case in (ready, waiting, paternity_open):
            start = on if case is not waiting else dt.date(2025, 4, 1)
            orders.add_order(
                session, case, OrderAuthority.ADMINISTRATIVE, "", OrderType.CURRENT_SUPPORT, _monthly("300", start)
            )
        assert move_ready_cases(session, on) == 1
        assert move_ready_cases(session, on) == 0
        assert move_ready_cases(session, dt.date(2025, 4, 1)) == 1
        statuses = [c.status for c in (ready, waiting, no_order, paternity_open)]
    assert statuses == [
        SupportStatus.ENFORCEMENT,
        SupportStatus.ENFORCEMENT,
        SupportStatus.ESTABLISHMENT,
        SupportStatus.ESTABLISHMENT,
    ]
