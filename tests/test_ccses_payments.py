"""CCSES payment processing through its services, on SQLite and PostgreSQL: collections posted
and distributed by 42 USC 657 / 45 CFR 302.51 with Connecticut's $50 pass-through, the ledger's
double entries and balances, reversals, tax offsets, the never-assistance annual fee, held
money, and the suspense of unidentified payments. Figures are worked by hand in the comments."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from emsterm.ccses import distribution, orders, payments
from emsterm.ccses.ledger import balances, load_books, reconcile, write_entries
from emsterm.ccses.locking import EstablishmentRefused
from emsterm.ccses.orders import NewTerms
from emsterm.database.engine import transaction
from emsterm.interfaces.ccses_collections import Collection
from emsterm.model import (
    Destination,
    LedgerAccount,
    LedgerEntryType,
    OrderAuthority,
    OrderFrequency,
    OrderType,
    PaymentSource,
    PaymentStatus,
    SupportCase,
    SupportCaseType,
    SupportLedgerEntry,
    SupportPayment,
    SupportStatus,
    SuspenseStatus,
    UnidentifiedPayment,
)
from tests.support_cases import support_case

A = LedgerAccount
D = Decimal
MARCH = dt.date(2025, 3, 1)


def _case(session: Session, case_type: SupportCaseType, monthly: str = "300.00", start: dt.date = MARCH) -> SupportCase:
    """A support case in enforcement with a monthly current support order from `start`."""
    case = support_case(session, status=SupportStatus.ENFORCEMENT)
    case.case_type = case_type
    if case_type == SupportCaseType.NEVER_ASSISTANCE:
        case.ems_case_number = None
    orders.add_order(
        session,
        case,
        OrderAuthority.MAGISTRATE,
        "HFD-FA25-6000001-S",
        OrderType.CURRENT_SUPPORT,
        NewTerms(D(monthly), OrderFrequency.MONTHLY, start),
    )
    session.flush()
    return case


def _pay(
    session: Session,
    case: SupportCase,
    amount: str,
    on: dt.date,
    source: PaymentSource = PaymentSource.WAGE,
    received: dt.date | None = None,
) -> str:
    counts: Counter[str] = Counter()
    collection = Collection(case.support_number, "333445555", D(amount), received or on, source, 2)
    (receipt,) = payments.post_collections(session, [collection], "collections-test.txt", on, counts)
    return receipt


def _bal(session: Session, case: SupportCase) -> dict[LedgerAccount, Decimal]:
    return {k: v for k, v in balances(session, [case.id])[case.id].items() if v}


def _shares(session: Session, receipt: str) -> list[tuple[str, str, Decimal]]:
    payment = session.scalars(select(SupportPayment).where(SupportPayment.receipt_number == receipt)).one()
    return [
        (e.credit.name, e.destination.name if e.destination else "", e.amount)
        for e in session.scalars(
            select(SupportLedgerEntry)
            .where(
                SupportLedgerEntry.payment_id == payment.id,
                SupportLedgerEntry.entry_type == LedgerEntryType.DISTRIBUTION,
            )
            .order_by(SupportLedgerEntry.seq)
        )
    ]


def _opening(session: Session, case: SupportCase, family: str, assigned: str, through: dt.date) -> None:
    """Arrears brought forward (as a conversion would) with the ledger charged through `through`."""
    (book,) = load_books(session, [case]).values()
    from emsterm.ccses.ledger import Entry

    for account, amount in ((A.OWED_FAMILY_ARREARS, family), (A.OWED_ASSIGNED_ARREARS, assigned)):
        if D(amount):
            book.add(Entry(LedgerEntryType.OPENING, account, A.OBLIGATION, D(amount), through))
    book.charged_through = through
    case.ledger_start = through + dt.timedelta(days=1)
    book.ledger_start = case.ledger_start
    write_entries(session, [book], through)


def test_current_assistance_passes_50_through_and_retains_the_rest(engine: Engine) -> None:
    # A TFA family; the order is $300 a month from March 1. A $300 wage withholding on March 10
    # pays March's current support: $50 passes through to the family (CGS 17b-112(d)), $250 is
    # kept by the state as reimbursement of TFA (42 USC 657(a)(1)).
    with transaction(engine) as session:
        case = _case(session, SupportCaseType.CURRENT_ASSISTANCE)
        receipt = _pay(session, case, "300.00", dt.date(2025, 3, 10))
        assert _shares(session, receipt) == [
            ("OWED_CURRENT", "FAMILY", D("50.00")),
            ("OWED_CURRENT", "STATE", D("250.00")),
        ]
        # owed 300 charged, 300 paid: nothing owed; cash 300 in, 250 retained: 50 awaits the family
        assert _bal(session, case) == {
            A.OBLIGATION: D("-300.00"),
            A.STATE_RETAINED: D("250.00"),
            A.CASH: D("50.00"),
        }
        # a second collection the same month passes nothing more through: the $50 is a month's
        second = _pay(session, case, "20.00", dt.date(2025, 3, 20))
        assert _shares(session, second) == []  # nothing owed: held
        assert _bal(session, case)[A.UNDISTRIBUTED] == D("-20.00")
        assert reconcile(session, [case.id]) == []


def test_pass_through_is_per_month_and_across_the_family_cases(engine: Engine) -> None:
    # $120 on March 5 pays $120 of March's $300: $50 to the family, $70 retained. April's first
    # charge rolls March's unpaid $180 into assigned arrears (a TFA month). $250 on April 3 pays
    # April's $300 current first: $50 passes through again (a new month), $200 retained.
    with transaction(engine) as session:
        case = _case(session, SupportCaseType.CURRENT_ASSISTANCE)
        first = _pay(session, case, "120.00", dt.date(2025, 3, 5))
        assert _shares(session, first) == [
            ("OWED_CURRENT", "FAMILY", D("50.00")),
            ("OWED_CURRENT", "STATE", D("70.00")),
        ]
        second = _pay(session, case, "250.00", dt.date(2025, 4, 3))
        assert _shares(session, second) == [
            ("OWED_CURRENT", "FAMILY", D("50.00")),
            ("OWED_CURRENT", "STATE", D("200.00")),
        ]
        owed = _bal(session, case)
        assert owed[A.OWED_ASSIGNED_ARREARS] == D("180.00")
        assert owed[A.OWED_CURRENT] == D("50.00")  # April: 300 - 250
        assert reconcile(session, [case.id]) == []


def test_former_assistance_pays_family_arrears_before_state_arrears(engine: Engine) -> None:
    # TFA ended: arrears brought forward are $400 assigned and $100 the family's; the order is
    # $300 a month. $500 on March 12: March's current $300 to the family, then family arrears
    # $100 (to the family), then $100 of the $400 assigned (to the state): family first,
    # 42 USC 657(a)(2)(B).
    with transaction(engine) as session:
        case = _case(session, SupportCaseType.FORMER_ASSISTANCE)
        _opening(session, case, "100.00", "400.00", dt.date(2025, 2, 28))
        receipt = _pay(session, case, "500.00", dt.date(2025, 3, 12))
        assert _shares(session, receipt) == [
            ("OWED_CURRENT", "FAMILY", D("300.00")),
            ("OWED_FAMILY_ARREARS", "FAMILY", D("100.00")),
            ("OWED_ASSIGNED_ARREARS", "STATE", D("100.00")),
        ]
        owed = _bal(session, case)
        assert owed[A.OWED_ASSIGNED_ARREARS] == D("300.00")
        assert A.OWED_FAMILY_ARREARS not in owed
        assert owed[A.CASH] == D("400.00")  # the family's 400 awaits disbursement
        assert reconcile(session, [case.id]) == []


def test_a_tax_offset_pays_assigned_arrears_first_and_never_current_support(engine: Engine) -> None:
    # Former assistance, $100 family and $400 assigned arrears. A $450 federal tax refund offset
    # skips March's current support and pays the assigned $400 first, then $50 of the family's
    # $100 (42 USC 657(a)(2)(B)(iv)); March's $300 current support is still owed.
    with transaction(engine) as session:
        case = _case(session, SupportCaseType.FORMER_ASSISTANCE)
        _opening(session, case, "100.00", "400.00", dt.date(2025, 2, 28))
        receipt = _pay(session, case, "450.00", dt.date(2025, 3, 12), PaymentSource.TAX_OFFSET)
        assert _shares(session, receipt) == [
            ("OWED_ASSIGNED_ARREARS", "STATE", D("400.00")),
            ("OWED_FAMILY_ARREARS", "FAMILY", D("50.00")),
        ]
        owed = _bal(session, case)
        assert owed[A.OWED_CURRENT] == D("300.00")
        assert owed[A.OWED_FAMILY_ARREARS] == D("50.00")
        assert reconcile(session, [case.id]) == []


def test_never_assistance_pays_the_family_and_keeps_the_annual_fee_once(engine: Engine) -> None:
    # Never assistance, $300 a month from October 2024 (fiscal year 2025: fee $35 once $550 is
    # collected, 42 USC 654(6)(B)(ii)). October $300: all to the family, no fee (300 < 550).
    # November $300: collections reach $600: the $35 fee is kept, $265 goes out. December $300:
    # no second fee that year.
    oct1 = dt.date(2024, 10, 1)
    with transaction(engine) as session:
        case = _case(session, SupportCaseType.NEVER_ASSISTANCE, start=oct1)
        _pay(session, case, "300.00", dt.date(2024, 10, 15))
        assert _bal(session, case).get(A.FEE) is None
        _pay(session, case, "300.00", dt.date(2024, 11, 15))
        assert _bal(session, case)[A.FEE] == D("35.00")
        _pay(session, case, "300.00", dt.date(2024, 12, 15))
        owed = _bal(session, case)
        assert owed[A.FEE] == D("35.00")
        assert owed[A.CASH] == D("865.00")  # 900 collected less the fee, all the family's
        assert reconcile(session, [case.id]) == []


def test_a_reversal_restores_every_balance(engine: Engine) -> None:
    # The March 10 $300 (50 passed through, 250 retained) bounces. Reversing it puts the $300
    # back as owed, takes back the $250 retained and the $50 awaiting the family, and frees the
    # month's pass-through: a later $100 passes $50 through again.
    with transaction(engine) as session:
        case = _case(session, SupportCaseType.CURRENT_ASSISTANCE)
        before = _bal(session, case)
        receipt = _pay(session, case, "300.00", dt.date(2025, 3, 10))
        payments.reverse_payment(session, receipt, dt.date(2025, 3, 14), "NSF CHECK")
        after = _bal(session, case)
        assert after == {A.OWED_CURRENT: D("300.00"), A.OBLIGATION: D("-300.00")}
        assert before == {}  # nothing was charged before the first posting
        payment = session.scalars(select(SupportPayment).where(SupportPayment.receipt_number == receipt)).one()
        assert payment.status == PaymentStatus.REVERSED and payment.reversal_reason == "NSF CHECK"
        again = _pay(session, case, "100.00", dt.date(2025, 3, 20))
        assert _shares(session, again)[0] == ("OWED_CURRENT", "FAMILY", D("50.00"))
        assert reconcile(session, [case.id]) == []
        with pytest.raises(EstablishmentRefused, match="WAS REVERSED"):
            payments.reverse_payment(session, receipt, dt.date(2025, 3, 21), "AGAIN")


def test_money_beyond_what_is_owed_is_held_and_applied_when_charged(engine: Engine) -> None:
    # Never assistance, $300 a month. $450 on March 3 pays March's $300 and holds $150. April's
    # charge: the held $150 pays April's current support (to the family).
    with transaction(engine) as session:
        case = _case(session, SupportCaseType.NEVER_ASSISTANCE, start=MARCH)
        _pay(session, case, "450.00", dt.date(2025, 3, 3))
        assert _bal(session, case)[A.UNDISTRIBUTED] == D("-150.00")
        books = load_books(session, [case])
        books[case.id].charge(orders.orders_of(session, case), dt.date(2025, 4, 1))
        payments.apply_held(session, books, dt.date(2025, 4, 1), Counter())
        write_entries(session, books.values(), dt.date(2025, 4, 1))
        owed = _bal(session, case)
        assert A.UNDISTRIBUTED not in owed
        assert owed[A.OWED_CURRENT] == D("150.00")
        assert reconcile(session, [case.id]) == []


def test_unidentified_payments_wait_in_suspense_until_posted_or_refunded(engine: Engine) -> None:
    with transaction(engine) as session:
        case = _case(session, SupportCaseType.CURRENT_ASSISTANCE)
        counts: Counter[str] = Counter()
        found = payments.post_collections(
            session,
            [
                Collection("9999999999", "", D("75.00"), dt.date(2025, 3, 4), PaymentSource.DIRECT, 2),
                Collection(case.support_number, "123456789", D("80.00"), dt.date(2025, 3, 4), PaymentSource.DIRECT, 3),
                Collection("", "333445555", D("90.00"), dt.date(2025, 3, 4), PaymentSource.DIRECT, 4),
            ],
            "collections-x.txt",
            dt.date(2025, 3, 5),
            counts,
        )
        # the third names no case but its SSN is the father's on exactly one open case
        assert len(found) == 1 and counts["suspended"] == 2
        held = list(session.scalars(select(UnidentifiedPayment).order_by(UnidentifiedPayment.file_line)))
        assert [h.reason for h in held] == [
            "NO SUPPORT CASE 9999999999",
            f"SSN IS NOT THE PARENT'S ON {case.support_number}",
        ]
        receipt = payments.post_from_suspense(session, held[1].id, case.support_number, dt.date(2025, 3, 6), "CSW001")
        assert held[1].status == SuspenseStatus.POSTED and receipt in held[1].note
        payments.refund_suspense(session, held[0].id, dt.date(2025, 3, 6), "CSW001", "returned to payer")
        assert held[0].status == SuspenseStatus.REFUNDED
        with pytest.raises(EstablishmentRefused, match="NOT IN SUSPENSE"):
            payments.post_from_suspense(session, held[0].id, case.support_number, dt.date(2025, 3, 6), "CSW001")
        assert reconcile(session, [case.id]) == []


@pytest.mark.parametrize(
    ("case_type", "source", "expected"),
    [
        # owed: current 100, family arrears 30, assigned arrears 40; collection 150
        (SupportCaseType.CURRENT_ASSISTANCE, PaymentSource.WAGE,
         [("OCS", "F", "50.00"), ("OCS", "S", "50.00"), ("OSA", "S", "40.00"), ("OFA", "F", "10.00")]),
        (SupportCaseType.FORMER_ASSISTANCE, PaymentSource.WAGE,
         [("OCS", "F", "100.00"), ("OFA", "F", "30.00"), ("OSA", "S", "20.00")]),
        (SupportCaseType.NEVER_ASSISTANCE, PaymentSource.DIRECT,
         [("OCS", "F", "100.00"), ("OFA", "F", "30.00"), ("OSA", "S", "20.00")]),
        (SupportCaseType.FORMER_ASSISTANCE, PaymentSource.TAX_OFFSET,
         [("OSA", "S", "40.00"), ("OFA", "F", "30.00")]),
    ],
)  # fmt: skip
def test_distribution_rules(
    case_type: SupportCaseType, source: PaymentSource, expected: list[tuple[str, str, str]]
) -> None:
    owed = {A.OWED_CURRENT: D("100"), A.OWED_FAMILY_ARREARS: D("30"), A.OWED_ASSIGNED_ARREARS: D("40")}
    result = distribution.distribute(D("150.00"), source, case_type, owed, D("50.00"))
    assert [(s.bucket.value, s.destination.value, f"{s.amount:.2f}") for s in result.shares] == expected
    assert result.held == D("150.00") - sum(D(a) for _, _, a in expected)
    assert result.to(Destination.FAMILY) + result.to(Destination.STATE) + result.held == D("150.00")


def test_annual_fee_rule_across_the_october_2018_change() -> None:
    # before 10/01/2018: $25 once $500 collected; from then: $35 once $550
    assert distribution.annual_fee(D("100"), D("400"), D("0"), D("25"), D("500")) == D("25")
    assert distribution.annual_fee(D("100"), D("400"), D("0"), D("35"), D("550")) == D("0")
    assert distribution.annual_fee(D("20"), D("600"), D("0"), D("35"), D("550")) == D("20")  # as far as it goes
    assert distribution.annual_fee(D("100"), D("620"), D("20"), D("35"), D("550")) == D("15")
    assert distribution.fee_year(dt.date(2018, 9, 30)) == (dt.date(2017, 10, 1), dt.date(2018, 9, 30))
    assert distribution.fee_year(dt.date(2018, 10, 1))[0] == dt.date(2018, 10, 1)


@pytest.mark.parametrize(
    ("case_type", "arrears"),
    [
        (SupportCaseType.CURRENT_ASSISTANCE, A.OWED_ASSIGNED_ARREARS),
        (SupportCaseType.FORMER_ASSISTANCE, A.OWED_FAMILY_ARREARS),
    ],
)
def test_a_month_charged_one_night_at_a_time_rolls_its_unpaid_support_into_arrears(
    engine: Engine, case_type: SupportCaseType, arrears: LedgerAccount
) -> None:
    # $300 a month from March 1, $100 paid on March 10: charged through 03/31 nothing has rolled;
    # the 04/01 charge first rolls March's unpaid $200 (assigned on a TFA case, the family's
    # otherwise), then charges April's $300
    with transaction(engine) as session:
        case = _case(session, case_type)
        _pay(session, case, "100.00", dt.date(2025, 3, 10))
        for night in (dt.date(2025, 3, 31), dt.date(2025, 4, 1)):
            books = load_books(session, [case])
            books[case.id].charge(orders.orders_of(session, case), night)
            write_entries(session, books.values(), night)
            if night.day == 31:
                assert _bal(session, case)[A.OWED_CURRENT] == D("200.00") and arrears not in _bal(session, case)
        owed = _bal(session, case)
        assert (owed[arrears], owed[A.OWED_CURRENT]) == (D("200.00"), D("300.00"))
        assert reconcile(session, [case.id]) == []
