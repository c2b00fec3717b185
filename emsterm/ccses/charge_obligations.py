"""CHARGE (stream ccses): bring every ledger up to the business date, a chunk of support cases
at a time: each order's obligations due since the day the case was charged through are charged,
each month that ended unpaid rolls into arrears (`emsterm.ccses.ledger.CaseBook.charge`), and
money held from earlier collections pays what is now owed (`payments.apply_held`).

Each chunk commits with its checkpoint and the cases' `charged_through`, so a restart charges
nothing twice. Counts: records (cases with an order), charges, charged_cents, arrears_cents,
held_applied_cents.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.ccses.ledger import load_books, orders_of, write_entries
from emsterm.ccses.payments import apply_held
from emsterm.cycles.job import StepJob
from emsterm.model import LedgerEntryType, SupportCase, SupportOrder, SupportStatus


def run(job: StepJob) -> int:
    """Charge the open cases with an order up to the business date."""
    bd = job.business_date
    with job.session() as session:
        keys = list(
            session.scalars(
                select(SupportCase.id)
                .where(
                    SupportCase.status != SupportStatus.CLOSED,
                    SupportCase.id.in_(select(SupportOrder.support_case_id)),
                    (SupportCase.charged_through.is_(None)) | (SupportCase.charged_through < bd),
                )
                .order_by(SupportCase.id)
            )
        )

    def work(session: Session, ids: list[int]) -> None:
        charge_cases(session, ids, bd, job.counts)

    job.in_chunks(keys, work)
    return 0


def charge_cases(session: Session, ids: list[int], bd: dt.date, counts: Counter[str]) -> None:
    """Charge the cases up to `bd` and apply what they hold."""
    cases = list(session.scalars(select(SupportCase).where(SupportCase.id.in_(ids)).order_by(SupportCase.id)))
    books = load_books(session, cases)
    orders = orders_of(session, ids)
    for book in books.values():
        book.charge(orders.get(book.case_id, []), bd)
        for entry in book.new:
            if entry.entry_type == LedgerEntryType.CHARGE:
                counts["charges"] += 1
                counts["charged_cents"] += int(entry.amount * 100)
            elif entry.entry_type == LedgerEntryType.ARREARS:
                counts["arrears_cents"] += int(entry.amount * 100)
    apply_held(session, books, bd, counts)
    write_entries(session, books.values(), bd)
