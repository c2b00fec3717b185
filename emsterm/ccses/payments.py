"""Payment processing: post collections to their support cases and distribute them in the
ledger, hold what matches no case in suspense, post a researched payment out of suspense,
reverse a posting.

A collection matches a support case when the case id it gives is a case that is not closed and
its SSN (when it gives one) is the SSN of a non-custodial parent of that case; failing that,
when its SSN is the non-custodial parent's of exactly one open case, it is posted there. Any
other collection is an unidentified payment, in suspense with the reason.

Posting brings the case's charges up to the business date first (`CaseBook.charge`), so a
collection pays this month's current support before arrears, then receives and distributes it
(`emsterm.ccses.distribution` through `CaseBook.apply`): the pass-through room is
PASS_THROUGH_LIMIT less what this month's collections already passed through to the EMS case's
family; a never-assistance case's annual fee year is read from the ledger. Collections are
distributed in the order received.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from emsterm.ccses.distribution import ZERO, fee_year
from emsterm.ccses.ledger import (
    CaseBook,
    FeeState,
    fee_year_so_far,
    load_books,
    month_start,
    orders_of,
    passed_through,
    write_entries,
)
from emsterm.ccses.locking import EstablishmentRefused
from emsterm.ccses.parameters import STREAM, fee_terms
from emsterm.interfaces.ccses_collections import Collection
from emsterm.model import (
    AuditAction,
    Destination,
    LedgerAccount,
    LedgerEntryType,
    PaymentSource,
    PaymentStatus,
    SupportCase,
    SupportCaseType,
    SupportLedgerEntry,
    SupportParty,
    SupportPayment,
    SupportRole,
    SupportStatus,
    SuspenseStatus,
    UnidentifiedPayment,
)
from emsterm.model.base import current_actor, table_of, utcnow
from emsterm.services import audit
from emsterm.services.parameters import cycle_parameter


@dataclass(frozen=True)
class Match:
    """Where a collection goes: a case, or suspense with the reason."""

    case_id: int | None
    reason: str = ""


CHUNK = 2000
"""Cases (and collections matched) a query reads at once: well under SQLite's bound parameters."""


def match(session: Session, collections: Sequence[Collection]) -> list[Match]:
    """Each collection's support case (or why none)."""
    out: list[Match] = []
    for start in range(0, len(collections), CHUNK):
        out += _match(session, collections[start : start + CHUNK])
    return out


def _match(session: Session, collections: Sequence[Collection]) -> list[Match]:
    numbers = {c.support_case for c in collections if c.support_case}
    ssns = {c.ncp_ssn for c in collections if c.ncp_ssn}
    cases = {
        number: (cid, status)
        for number, cid, status in session.execute(
            select(SupportCase.support_number, SupportCase.id, SupportCase.status).where(
                SupportCase.support_number.in_(numbers)
            )
        )
    } if numbers else {}  # fmt: skip
    parents: dict[int, set[str]] = defaultdict(set)
    by_ssn: dict[str, set[int]] = defaultdict(set)
    if numbers or ssns:
        ids = [cid for cid, _ in cases.values()]
        rows = session.execute(
            select(SupportParty.support_case_id, SupportParty.ssn, SupportCase.status)
            .join(SupportCase, SupportCase.id == SupportParty.support_case_id)
            .where(
                SupportParty.role == SupportRole.NON_CUSTODIAL,
                SupportParty.support_case_id.in_(ids) | SupportParty.ssn.in_(ssns),
            )
        )
        for cid, ssn, status in rows:
            if ssn:
                parents[cid].add(ssn)
                if status != SupportStatus.CLOSED:
                    by_ssn[ssn].add(cid)
    out = []
    for c in collections:
        found = cases.get(c.support_case)
        if found is not None and found[1] != SupportStatus.CLOSED and (not c.ncp_ssn or c.ncp_ssn in parents[found[0]]):
            out.append(Match(found[0]))
            continue
        if c.ncp_ssn and len(by_ssn.get(c.ncp_ssn, ())) == 1:
            out.append(Match(next(iter(by_ssn[c.ncp_ssn]))))
            continue
        if found is None:
            reason = "NO SUPPORT CASE " + c.support_case if c.support_case else "NO SUPPORT CASE ID GIVEN"
        elif found[1] == SupportStatus.CLOSED:
            reason = f"SUPPORT CASE {c.support_case} IS CLOSED"
        else:
            reason = f"SSN IS NOT THE PARENT'S ON {c.support_case}"
        if c.ncp_ssn and len(by_ssn.get(c.ncp_ssn, ())) > 1:
            reason += "; SSN ON SEVERAL CASES"
        out.append(Match(None, reason[:60]))
    return out


def receipt_prefix(on: dt.date) -> str:
    """Receipt numbers of a posting date start `R` and the date (YYMMDD)."""
    return f"R{on:%y%m%d}"


def _next_receipt(session: Session, on: dt.date) -> int:
    prefix = receipt_prefix(on)
    last = session.scalar(
        select(func.max(SupportPayment.receipt_number)).where(SupportPayment.receipt_number.like(prefix + "%"))
    )
    return int(last[len(prefix) :]) + 1 if last else 1


class Distributor:
    """Distributes collections over the books of a set of cases, keeping the pass-through used
    per EMS case and month and each never-assistance case's fee year as it goes, and counting
    what went where (to_family_cents, passed_through_cents, retained_cents, fee_cents)."""

    def __init__(self, session: Session, books: dict[int, CaseBook], counts: Counter[str] | None = None) -> None:
        self.counts: Counter[str] = counts if counts is not None else Counter()
        self.session = session
        self.books = books
        self.limits: dict[dt.date, Decimal] = {}
        self.passed: dict[tuple[str, dt.date], Decimal] = {}
        self.loaded_months: set[dt.date] = set()
        self.fees: dict[tuple[int, dt.date], FeeState] = {}

    def _limit(self, month: dt.date) -> Decimal:
        if month not in self.limits:
            self.limits[month] = Decimal(cycle_parameter(self.session, STREAM, "PASS_THROUGH_LIMIT", month))
        return self.limits[month]

    def room(self, book: CaseBook, on: dt.date) -> Decimal:
        """What may still pass through to the book's EMS case's family in `on`'s month."""
        if book.case_type != SupportCaseType.CURRENT_ASSISTANCE or not book.ems_case_number:
            return ZERO
        month = month_start(on)
        if month not in self.loaded_months:
            numbers = {b.ems_case_number for b in self.books.values() if b.ems_case_number}
            for number, amount in passed_through(self.session, numbers, month).items():
                self.passed[(number, month)] = amount
            self.loaded_months.add(month)
        return max(self._limit(month) - self.passed.get((book.ems_case_number, month), ZERO), ZERO)

    def fee(self, book: CaseBook, on: dt.date) -> FeeState | None:
        """The annual fee year of a never-assistance case (None for other cases)."""
        if book.case_type != SupportCaseType.NEVER_ASSISTANCE:
            return None
        year = fee_year(on)[0]
        key = (book.case_id, year)
        if key not in self.fees:
            # the year of every never-assistance book at once: one query, not one a case
            ids = [b.case_id for b in self.books.values() if b.case_type == SupportCaseType.NEVER_ASSISTANCE]
            found = fee_year_so_far(self.session, ids, on)
            terms = fee_terms(self.session, year)
            for cid in ids:
                collected, kept = found.get(cid, (ZERO, ZERO))
                self.fees.setdefault((cid, year), FeeState(collected, kept, terms.annual_fee, terms.annual_threshold))
        return self.fees[key]

    def apply(self, book: CaseBook, payment_id: int, amount: Decimal, source: PaymentSource, on: dt.date) -> Decimal:
        """Distribute what of a collection is held; return what stays held."""
        room = self.room(book, on)
        fee = self.fee(book, on)
        kept = fee.kept if fee is not None else ZERO
        shares = book.apply(payment_id, amount, source, on, room, fee)
        self.counts["to_family_cents"] += int(shares.to(Destination.FAMILY) * 100)
        self.counts["retained_cents"] += int(shares.to(Destination.STATE) * 100)
        if fee is not None and fee.kept > kept:
            self.counts["fee_cents"] += int((fee.kept - kept) * 100)
        if book.ems_case_number and book.case_type == SupportCaseType.CURRENT_ASSISTANCE:
            passed = sum(
                (
                    s.amount
                    for s in shares.shares
                    if s.destination == Destination.FAMILY and s.bucket == LedgerAccount.OWED_CURRENT
                ),
                ZERO,
            )
            key = (book.ems_case_number, month_start(on))
            self.passed[key] = self.passed.get(key, ZERO) + passed
            self.counts["passed_through_cents"] += int(passed * 100)
        return shares.held


def post_collections(
    session: Session, collections: Sequence[Collection], file_name: str, on: dt.date, counts: Counter[str]
) -> list[str]:
    """Post the collections of a file: matched ones to their cases and distributed, the others
    to suspense. Returns the receipt numbers posted."""
    matches = match(session, collections)
    return _post(session, list(zip(collections, matches, strict=True)), file_name, on, counts, None)


def _post(
    session: Session,
    work: list[tuple[Collection, Match]],
    file_name: str,
    on: dt.date,
    counts: Counter[str],
    suspense_id: int | None,
) -> list[str]:
    stamp = {"created_by": current_actor.get(), "created_at": utcnow(), "version": 1}
    stamp |= {"updated_by": stamp["created_by"], "updated_at": stamp["created_at"]}
    suspended = [
        {
            "given_case": c.support_case,
            "ncp_ssn": c.ncp_ssn,
            "amount": c.amount,
            "received_date": c.received,
            "source": c.source,
            "file_name": file_name[:80],
            "file_line": c.line,
            "reason": m.reason,
            "suspended_date": on,
            "status": SuspenseStatus.OPEN,
            "resolved_by": "",
            "note": "",
            **stamp,
        }
        for c, m in work
        if m.case_id is None
    ]
    if suspended:
        session.execute(insert(UnidentifiedPayment), suspended)
        counts["suspended"] += len(suspended)
        counts["suspended_cents"] += int(sum((c.amount for c, m in work if m.case_id is None), ZERO) * 100)
    posted = sorted(
        ((c, m.case_id) for c, m in work if m.case_id is not None), key=lambda p: (p[0].received, p[0].line)
    )
    if not posted:
        return []
    by_case: dict[int, list[Collection]] = defaultdict(list)
    for c, cid in posted:
        assert cid is not None
        by_case[cid].append(c)
    case_ids = sorted(by_case)
    number = _next_receipt(session, on)
    receipts: list[str] = []
    for start in range(0, len(case_ids), CHUNK):
        chunk = case_ids[start : start + CHUNK]
        work_chunk = sorted(((c, cid) for cid in chunk for c in by_case[cid]), key=lambda p: (p[0].received, p[0].line))
        receipts += _post_chunk(session, work_chunk, chunk, file_name, on, counts, suspense_id, number, stamp)
        number += len(work_chunk)
    return receipts


def _post_chunk(
    session: Session,
    posted: list[tuple[Collection, int]],
    case_ids: list[int],
    file_name: str,
    on: dt.date,
    counts: Counter[str],
    suspense_id: int | None,
    number: int,
    stamp: dict[str, object],
) -> list[str]:
    """Post the collections of a chunk of cases, numbered from `number`."""
    cases = list(session.scalars(select(SupportCase).where(SupportCase.id.in_(case_ids))))
    books = load_books(session, cases)
    orders = orders_of(session, case_ids)
    for book in books.values():
        book.charge(orders.get(book.case_id, []), on)
    seqs = dict(
        session.execute(
            select(SupportPayment.support_case_id, func.max(SupportPayment.seq))
            .where(SupportPayment.support_case_id.in_(case_ids))
            .group_by(SupportPayment.support_case_id)
        ).all()
    )
    prefix = receipt_prefix(on)
    rows: list[dict[str, object]] = []
    receipts: list[str] = []
    for c, cid in posted:
        seqs[cid] = (seqs.get(cid) or 0) + 1
        receipts.append(f"{prefix}{number:07d}")
        rows.append(
            {
                "support_case_id": cid,
                "seq": seqs[cid],
                "receipt_number": receipts[-1],
                "ncp_ssn": c.ncp_ssn,
                "amount": c.amount,
                "received_date": c.received,
                "posted_date": on,
                "source": c.source,
                "file_name": file_name[:80],
                "file_line": c.line,
                "status": PaymentStatus.POSTED,
                "reversal_reason": "",
                "suspense_id": suspense_id,
                **stamp,
            }
        )
        number += 1
    table = table_of(SupportPayment)
    ids = list(session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).scalars())
    distributor = Distributor(session, books, counts)
    for (c, cid), payment_id in zip(posted, ids, strict=True):
        book = books[cid]
        book.receive(payment_id, c.amount, c.received)
        held = distributor.apply(book, payment_id, c.amount, c.source, on)
        counts["posted"] += 1
        counts["posted_cents"] += int(c.amount * 100)
        counts["held_cents"] += int(held * 100)
        counts[f"source_{c.source}"] += 1
    write_entries(session, books.values(), on)
    return receipts


def apply_held(session: Session, books: dict[int, CaseBook], on: dt.date, counts: Counter[str]) -> None:
    """Distribute money held on the books (collected beyond what was owed) now that more is
    owed, oldest collection first."""
    holding = [b.case_id for b in books.values() if b.held > ZERO and any(v > ZERO for v in b.owed().values())]
    if not holding:
        return
    distributor = Distributor(session, books, counts)
    for payment_id, cid, source, held in held_by_payment(session, holding):
        book = books[cid]
        if held <= ZERO or not any(v > ZERO for v in book.owed().values()):
            continue
        before = book.held
        distributor.apply(book, payment_id, held, source, on)
        counts["held_applied_cents"] += int((before - book.held) * 100)


def held_by_payment(session: Session, case_ids: Sequence[int]) -> list[tuple[int, int, PaymentSource, Decimal]]:
    """(payment id, case id, source, held) of the posted collections of the cases with money
    still held, oldest first."""
    e = SupportLedgerEntry
    applied = dict(
        session.execute(
            select(e.payment_id, func.sum(e.amount))
            .where(e.support_case_id.in_(case_ids), e.entry_type == LedgerEntryType.DISTRIBUTION)
            .group_by(e.payment_id)
        ).all()
    )
    out = []
    for pid, cid, source, amount in session.execute(
        select(SupportPayment.id, SupportPayment.support_case_id, SupportPayment.source, SupportPayment.amount)
        .where(SupportPayment.support_case_id.in_(case_ids), SupportPayment.status == PaymentStatus.POSTED)
        .order_by(SupportPayment.received_date, SupportPayment.id)
    ):
        held = Decimal(amount) - Decimal(applied.get(pid) or 0)
        if held > ZERO:
            out.append((pid, cid, PaymentSource(source), held))
    return out


def reverse_payment(session: Session, receipt_number: str, on: dt.date, reason: str) -> SupportPayment:
    """Undo a posted collection and its distribution: every ledger entry of it reversed (what was
    owed, retained and kept as fee is restored; a family share already paid out is owed back).
    EstablishmentRefused (naming the field) when it cannot be."""
    payment = session.scalar(select(SupportPayment).where(SupportPayment.receipt_number == receipt_number.upper()))
    if payment is None:
        raise EstablishmentRefused(f"NO COLLECTION WITH RECEIPT {receipt_number}", "receipt")
    if payment.status == PaymentStatus.REVERSED:
        raise EstablishmentRefused(f"RECEIPT {receipt_number} WAS REVERSED {payment.reversed_date:%m/%d/%Y}", "receipt")
    if not reason.strip():
        raise EstablishmentRefused("GIVE THE REASON FOR THE REVERSAL", "reason")
    case_row = session.get(SupportCase, payment.support_case_id)
    assert case_row is not None
    books = load_books(session, [case_row])
    entries = list(
        session.scalars(
            select(SupportLedgerEntry)
            .where(SupportLedgerEntry.payment_id == payment.id)
            .order_by(SupportLedgerEntry.seq.desc())
        )
    )
    reversed_seqs = {e.reverses_seq for e in entries if e.reverses_seq is not None}
    books[case_row.id].reverse(e for e in entries if e.reverses_seq is None and e.seq not in reversed_seqs)
    payment.status = PaymentStatus.REVERSED
    payment.reversed_date = on
    payment.reversal_reason = reason.strip().upper()[:40]
    write_entries(session, books.values(), on)
    audit.record(
        session,
        AuditAction.REPLACE,
        "SUPPAYMT",
        f"{case_row.support_number}:{payment.receipt_number}",
        before={"status": PaymentStatus.POSTED.value},
        after={"status": payment.status.value, "reversed_date": on.isoformat(), "reason": payment.reversal_reason},
    )
    return payment


def post_from_suspense(session: Session, suspense_id: int, support_number: str, on: dt.date, worker: str) -> str:
    """Post a researched unidentified payment to the support case the worker found; its receipt
    number. EstablishmentRefused when the payment or the case cannot take it."""
    held = session.get(UnidentifiedPayment, suspense_id)
    if held is None or held.status != SuspenseStatus.OPEN:
        raise EstablishmentRefused("THAT PAYMENT IS NOT IN SUSPENSE", "suspense")
    case_row = session.scalar(select(SupportCase).where(SupportCase.support_number == support_number.strip()))
    if case_row is None:
        raise EstablishmentRefused(f"NO SUPPORT CASE {support_number.strip()}", "support_no")
    if case_row.status == SupportStatus.CLOSED:
        raise EstablishmentRefused(f"SUPPORT CASE {support_number.strip()} IS CLOSED", "support_no")
    collection = Collection(
        case_row.support_number, held.ncp_ssn, held.amount, held.received_date, held.source, held.file_line
    )
    receipts = _post(session, [(collection, Match(case_row.id))], held.file_name, on, Counter(), suspense_id)
    held.status = SuspenseStatus.POSTED
    held.resolved_date = on
    held.resolved_by = worker
    held.note = f"POSTED TO {case_row.support_number} AS {receipts[0]}"
    session.flush()
    _audit_suspense(session, held)
    return receipts[0]


def refund_suspense(session: Session, suspense_id: int, on: dt.date, worker: str, note: str) -> None:
    """Refund an unidentified payment to its payer (no case could be found for it)."""
    held = session.get(UnidentifiedPayment, suspense_id)
    if held is None or held.status != SuspenseStatus.OPEN:
        raise EstablishmentRefused("THAT PAYMENT IS NOT IN SUSPENSE", "suspense")
    if not note.strip():
        raise EstablishmentRefused("SAY WHY IT IS REFUNDED", "note")
    held.status = SuspenseStatus.REFUNDED
    held.resolved_date = on
    held.resolved_by = worker
    held.note = note.strip().upper()[:60]
    session.flush()
    _audit_suspense(session, held)


def _audit_suspense(session: Session, held: UnidentifiedPayment) -> None:
    audit.record(
        session,
        AuditAction.REPLACE,
        "SUPSUSP",
        str(held.id),
        before={"status": SuspenseStatus.OPEN.value},
        after={"status": held.status.value, "note": held.note},
    )
