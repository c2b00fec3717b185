"""Hand-built cases whose budgets are worked out in the tests that use them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from emsterm.model import AccountType, Asset, BankAccount, Case, Client, Expense, Income, Member, Program
from emsterm.model.numbers import case_number, client_number
from emsterm.model.soundex import soundex


def one_earner_case(session: Session, serial: int = 90001) -> Case:
    """The README's one-earner household as a case: SNAP 278 in March 2025, HUSKY D."""
    case = Case(
        case_number=case_number(serial),
        office_code="HFD",
        status="AC",
        street="1 Main St",
        town_code="064",
        zip="06103",
        application_date=dt.date(2024, 1, 10),
    )
    client = Client(
        client_number=client_number(serial),
        last_name="Doe",
        first_name="Jane",
        last_name_soundex=soundex("Doe"),
        birth_date=dt.date(1990, 6, 1),
        sex="F",
        citizenship="US",
    )
    session.add_all([case, client])
    session.flush()
    member = Member(
        case_id=case.id, seq=1, client_id=client.id, relationship_code="HH", role="HH", start_date=dt.date(2024, 1, 10)
    )
    session.add(member)
    session.flush()
    session.add_all(
        [
            Income(
                member_id=member.id,
                seq=1,
                income_type="WAGE",
                monthly_amount=Decimal("1200.00"),
                frequency="M",
                start_date=dt.date(2024, 1, 1),
            ),
            Expense(
                member_id=member.id,
                seq=1,
                expense_type="RENT",
                monthly_amount=Decimal("900.00"),
                start_date=dt.date(2024, 1, 1),
            ),
            Expense(
                member_id=member.id,
                seq=2,
                expense_type="HEAT",
                monthly_amount=Decimal("120.00"),
                start_date=dt.date(2024, 1, 1),
            ),
            Program(
                case_id=case.id,
                seq=1,
                program_code="SNAP",
                status="AC",
                status_date=dt.date(2024, 2, 1),
                application_date=dt.date(2024, 1, 10),
            ),
            Program(
                case_id=case.id,
                seq=2,
                program_code="MA",
                status="AC",
                status_date=dt.date(2024, 2, 1),
                application_date=dt.date(2024, 1, 10),
            ),
        ]
    )
    session.flush()
    return case


def family_of_three_case(session: Session, serial: int = 90002) -> Case:
    """A mother earning 800 a month and two children, opened in March 2025: TFA 863.89 (paid by
    direct deposit), SNAP 591 and HUSKY A (the intake test's household, worked there)."""
    case = Case(
        case_number=case_number(serial),
        office_code="HFD",
        status="AC",
        street="77 Park St Apt 2",
        town_code="064",
        zip="06106",
        application_date=dt.date(2025, 3, 1),
        opened_date=dt.date(2025, 3, 2),
    )
    people = [
        ("Zabriskie", "Marta", dt.date(1994, 7, 14), "F", "HH"),
        ("Zabriskie", "Leo", dt.date(2018, 5, 1), "M", "CH"),
        ("Zabriskie", "Ana", dt.date(2020, 9, 10), "F", "CH"),
    ]
    session.add(case)
    session.flush()
    members = []
    for seq, (last, first, born, sex, relation) in enumerate(people, start=1):
        client = Client(
            client_number=client_number(serial * 10 + seq),
            last_name=last,
            first_name=first,
            last_name_soundex=soundex(last),
            birth_date=born,
            sex=sex,
            citizenship="US",
        )
        session.add(client)
        session.flush()
        member = Member(
            case_id=case.id,
            seq=seq,
            client_id=client.id,
            relationship_code=relation,
            role="HH" if relation == "HH" else "MB",
            start_date=dt.date(2025, 3, 1),
        )
        session.add(member)
        members.append(member)
    session.flush()
    head = members[0]
    session.add(
        BankAccount(
            client_id=head.client_id,
            seq=1,
            routing_number="011000015",
            account_number="4401234567",
            account_type=AccountType.CHECKING,
            effective_from=dt.date(2025, 3, 1),
        )
    )
    session.add_all(
        [
            Income(
                member_id=head.id,
                seq=1,
                income_type="WAGE",
                monthly_amount=Decimal("800.00"),
                frequency="M",
                start_date=dt.date(2025, 1, 1),
            ),
            Expense(
                member_id=head.id,
                seq=1,
                expense_type="RENT",
                monthly_amount=Decimal("1000.00"),
                start_date=dt.date(2025, 3, 1),
            ),
            Expense(
                member_id=head.id,
                seq=2,
                expense_type="HEAT",
                monthly_amount=Decimal("150.00"),
                start_date=dt.date(2025, 3, 1),
            ),
        ]
    )
    for seq, (program, method) in enumerate((("SNAP", "EBT"), ("TFA", "DD"), ("MA", None)), start=1):
        session.add(
            Program(
                case_id=case.id,
                seq=seq,
                program_code=program,
                status="AC",
                status_date=dt.date(2025, 3, 2),
                application_date=dt.date(2025, 3, 1),
                cert_start=dt.date(2025, 3, 1),
                cert_end=dt.date(2026, 2, 28),
                payment_method=method,
            )
        )
    session.flush()
    return case


def parent_and_child_case(session: Session, serial: int = 90003) -> Case:
    """The demo case of the mid-month change (0000022020 in the 5,000-case demo): a mother
    earning 2,451.77 a month and her son, in Bristol, with SNAP 269.00 and HUSKY A for both in
    December 2026."""
    start = dt.date(2021, 10, 1)
    case = Case(
        case_number=case_number(serial),
        office_code="HFD",
        status="AC",
        street="879 Moody Ave Apt 2",
        town_code="052",
        zip="06032",
        application_date=dt.date(2021, 10, 23),
        opened_date=dt.date(2021, 11, 18),
    )
    session.add(case)
    session.flush()
    members = []
    for seq, (first, born, sex, relation) in enumerate(
        (("Dana", dt.date(1982, 6, 24), "F", "HH"), ("Eli", dt.date(2017, 12, 1), "M", "CH")),
        start=1,
    ):
        client = Client(
            client_number=client_number(serial * 10 + seq),
            last_name="Chambers",
            first_name=first,
            last_name_soundex=soundex("Chambers"),
            birth_date=born,
            sex=sex,
            citizenship="US",
        )
        session.add(client)
        session.flush()
        member = Member(
            case_id=case.id,
            seq=seq,
            client_id=client.id,
            relationship_code=relation,
            role="HH" if relation == "HH" else "MB",
            start_date=start,
        )
        session.add(member)
        members.append(member)
    session.flush()
    head = members[0]
    session.add_all(
        [
            Income(
                member_id=head.id,
                seq=1,
                income_type="WAGE",
                monthly_amount=Decimal("2451.77"),
                frequency="M",
                source_name="Chambers Inc",
                start_date=start,
            ),
            Expense(member_id=head.id, seq=1, expense_type="RENT", monthly_amount=Decimal("1805.46"), start_date=start),
            Expense(member_id=head.id, seq=2, expense_type="LUTL", monthly_amount=Decimal("73.25"), start_date=start),
            Asset(
                member_id=head.id,
                seq=1,
                asset_type="BANK",
                value=Decimal("2644.02"),
                description="Checking",
                start_date=start,
            ),
            Asset(
                member_id=head.id,
                seq=2,
                asset_type="VEH",
                value=Decimal("1196.55"),
                description="2012 Chevrolet",
                start_date=start,
            ),
        ]
    )
    for seq, program in enumerate(("MA", "SNAP"), start=1):
        session.add(
            Program(
                case_id=case.id,
                seq=seq,
                program_code=program,
                status="AC",
                status_date=dt.date(2026, 8, 1),
                application_date=dt.date(2021, 10, 23),
                cert_start=dt.date(2026, 8, 1),
                cert_end=dt.date(2027, 7, 31),
                payment_method=None if program == "MA" else "EBT",
            )
        )
    session.flush()
    return case
