"""The paternity of each child of a support case (SUPPATER): an acknowledgement filed in the
Paternity Acknowledgement registry, a genetic test ordered and its result, an adjudication by
the Superior Court or a Family Support Magistrate, or no need (the child's legal parent is
known). Each change is checked, audited and locks the support case (`locking.hold`)."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.ccses.locking import EstablishmentRefused, check_docket, hold
from emsterm.model import (
    AuditAction,
    GeneticResult,
    PaternityMethod,
    PaternityStatus,
    SupportCase,
    SupportParty,
    SupportPaternity,
    SupportRole,
)
from emsterm.services import audit

SEGMENT = "SUPPATER"
"""The segment name on audit entries."""
SETTLED = (PaternityStatus.ESTABLISHED, PaternityStatus.NOT_NEEDED)
"""Statuses after which nothing more is recorded."""
REGISTRY_NUMBER = re.compile(r"[A-Z0-9]{1,12}")
"""An acknowledgement's number in the Paternity Acknowledgement registry."""


def children_of(session: Session, case: SupportCase) -> list[tuple[SupportParty, SupportPaternity | None]]:
    """Each child party of the case (ended ones too), with its paternity segment (None before
    anything is recorded: not established)."""
    children = session.scalars(
        select(SupportParty)
        .where(SupportParty.support_case_id == case.id, SupportParty.role == SupportRole.CHILD)
        .order_by(SupportParty.seq)
    )
    found = {
        p.child_party_id: p
        for p in session.scalars(select(SupportPaternity).where(SupportPaternity.support_case_id == case.id))
    }
    return [(child, found.get(child.id)) for child in children]


def status_of(paternity: SupportPaternity | None) -> PaternityStatus:
    """A child's paternity status (not established when nothing is recorded)."""
    return PaternityStatus.NOT_ESTABLISHED if paternity is None else paternity.status


def acknowledge(
    session: Session,
    case: SupportCase,
    child_seq: int,
    registry_number: str,
    on: dt.date,
    today: dt.date,
    seen_version: int | None = None,
) -> SupportPaternity:
    """Paternity acknowledged: the acknowledgement's number in the registry and its date."""
    if not REGISTRY_NUMBER.fullmatch(registry_number):
        raise EstablishmentRefused("registry number must be 1 to 12 letters and digits", "registry_number")
    child, row = _find(session, case, child_seq, on, today)
    row, before = _begin(session, case, child, row, seen_version)
    row.registry_number, row.acknowledged_date = registry_number, on
    _settle(row, PaternityMethod.ACKNOWLEDGEMENT, on)
    return _audit(session, case, row, before)


def order_test(
    session: Session, case: SupportCase, child_seq: int, on: dt.date, today: dt.date, seen_version: int | None = None
) -> SupportPaternity:
    """A genetic test ordered on `on`: the child's paternity is pending the result."""
    child, row = _find(session, case, child_seq, on, today)
    row, before = _begin(session, case, child, row, seen_version)
    row.test_ordered_date, row.test_result_date, row.test_result = on, None, None
    row.status = PaternityStatus.PENDING_TEST
    return _audit(session, case, row, before)


def record_result(
    session: Session,
    case: SupportCase,
    child_seq: int,
    result: GeneticResult,
    on: dt.date,
    today: dt.date,
    seen_version: int | None = None,
) -> SupportPaternity:
    """The genetic test's result on `on`: not excluded establishes paternity; excluded
    excludes the alleged father."""
    child, row = _find(session, case, child_seq, on, today)
    if row is None or row.status != PaternityStatus.PENDING_TEST or row.test_ordered_date is None:
        raise EstablishmentRefused("no genetic test is pending for the child", "child")
    if on < row.test_ordered_date:
        raise EstablishmentRefused(
            f"result date is before the test was ordered {row.test_ordered_date:%m/%d/%Y}", "date"
        )
    row, before = _begin(session, case, child, row, seen_version)
    row.test_result, row.test_result_date = result, on
    if result == GeneticResult.INCLUDED:
        _settle(row, PaternityMethod.GENETIC_TEST, on)
    else:
        row.status = PaternityStatus.EXCLUDED
    return _audit(session, case, row, before)


def adjudicate(
    session: Session,
    case: SupportCase,
    child_seq: int,
    docket: str,
    on: dt.date,
    today: dt.date,
    seen_version: int | None = None,
) -> SupportPaternity:
    """Paternity adjudicated: the docket of the judgment and its date."""
    check_docket(docket)
    child, row = _find(session, case, child_seq, on, today)
    row, before = _begin(session, case, child, row, seen_version)
    row.docket, row.adjudicated_date = docket, on
    _settle(row, PaternityMethod.ADJUDICATION, on)
    return _audit(session, case, row, before)


def not_needed(
    session: Session, case: SupportCase, child_seq: int, today: dt.date, seen_version: int | None = None
) -> SupportPaternity:
    """The child's legal parent is known: no paternity to establish."""
    child, row = _find(session, case, child_seq, today, today)
    row, before = _begin(session, case, child, row, seen_version)
    row.status, row.established_date = PaternityStatus.NOT_NEEDED, today
    return _audit(session, case, row, before)


def _find(
    session: Session, case: SupportCase, child_seq: int, on: dt.date, today: dt.date
) -> tuple[SupportParty, SupportPaternity | None]:
    """The child and their paternity segment (None before the first event), after the checks
    every event shares: a child of the case, a date not in the future nor before the birth,
    paternity not already settled. Nothing is written."""
    child = session.scalars(
        select(SupportParty).where(
            SupportParty.support_case_id == case.id,
            SupportParty.seq == child_seq,
            SupportParty.role == SupportRole.CHILD,
        )
    ).first()
    if child is None:
        raise EstablishmentRefused(f"party {child_seq} is not a child of the case", "child")
    if on > today:
        raise EstablishmentRefused(f"date cannot be after {today:%m/%d/%Y}", "date")
    if child.birth_date is not None and on < child.birth_date:
        raise EstablishmentRefused(f"date is before the child's birth {child.birth_date:%m/%d/%Y}", "date")
    row = session.scalars(select(SupportPaternity).where(SupportPaternity.child_party_id == child.id)).first()
    if row is not None and row.status in SETTLED:
        raise EstablishmentRefused(f"paternity of party {child_seq} is already settled", "child")
    return child, row


def _begin(
    session: Session, case: SupportCase, child: SupportParty, row: SupportPaternity | None, seen_version: int | None
) -> tuple[SupportPaternity, dict[str, str | None] | None]:
    """Lock the case (`hold`), then the segment to change (made when there is none) and its
    facts before the change (None for a new one)."""
    hold(case, seen_version)
    if row is not None:
        return row, _facts(row)
    row = SupportPaternity(
        support_case_id=case.id,
        seq=SupportPaternity.next_seq(session, case.id),
        child_party_id=child.id,
        status=PaternityStatus.NOT_ESTABLISHED,
        registry_number="",
        docket="",
    )
    session.add(row)
    return row, None


def _settle(row: SupportPaternity, method: PaternityMethod, on: dt.date) -> None:
    row.status, row.method, row.established_date = PaternityStatus.ESTABLISHED, method, on


FACTS = (
    "status",
    "method",
    "established_date",
    "registry_number",
    "acknowledged_date",
    "test_ordered_date",
    "test_result_date",
    "test_result",
    "docket",
    "adjudicated_date",
)
"""The columns the audit entries show."""


def _facts(row: SupportPaternity) -> dict[str, str | None]:
    facts: dict[str, str | None] = {}
    for name in FACTS:
        value = getattr(row, name, None)
        facts[name] = value.isoformat() if isinstance(value, dt.date) else (None if value is None else str(value))
    return facts


def _audit(
    session: Session, case: SupportCase, row: SupportPaternity, before: dict[str, str | None] | None
) -> SupportPaternity:
    session.flush()
    audit.record(
        session,
        AuditAction.INSERT if before is None else AuditAction.REPLACE,
        SEGMENT,
        f"{case.support_number}:{row.seq}",
        before=before,
        after=_facts(row),
    )
    return row
