"""Applications for IV-D services: a family that never received assistance applies to CCSES
directly (45 CFR 302.33(a)(1)), and the application makes a never-assistance support case at
intake, with its parties (the applicant's bank account, when given, on the custodial party:
support is then paid by direct deposit) and the application's fee (the CCSES parameter APPLICATION_FEE in force
on the application date: Connecticut charges none; when a fee is in force, who paid it is
recorded, 45 CFR 302.33(c)(1)). The 20 days to open the case run from the application (45 CFR
303.2(b)); the stream's TIMEFRAM step opens it as it opens a referred case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from emsterm.ccses.cases import add_history, next_support_number
from emsterm.ccses.locking import EstablishmentRefused
from emsterm.ccses.parameters import fee_terms
from emsterm.model import (
    AuditAction,
    FeePayer,
    SupportApplication,
    SupportCase,
    SupportCaseType,
    SupportParty,
    SupportRole,
    SupportStatus,
)
from emsterm.model.numbers import valid_account_number, valid_routing_number
from emsterm.services import audit

SEGMENT = "SUPAPPL"
"""The segment name on audit entries."""
REASON = "APPLICATION FOR SERVICES"
"""The status history's reason for a case an application opened."""


@dataclass(frozen=True)
class Person:
    """A party as the application names them (blank what the applicant does not know)."""

    last_name: str
    first_name: str
    ssn: str | None = None
    birth_date: dt.date | None = None
    street: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""
    employer: str = ""


@dataclass(frozen=True)
class Application:
    """An application for services: the applicant (the custodial party), the non-custodial
    parent and the children, and who paid the fee when one is charged."""

    applied: dt.date
    custodial: Person
    parent: Person
    children: tuple[Person, ...]
    fee_paid_by: FeePayer | None = None
    routing: str = ""
    """The applicant's bank routing number for direct deposit (blank: paid by check)."""
    account: str = ""
    """The applicant's account number at `routing` (blank with it)."""


def apply_for_services(session: Session, application: Application, on: dt.date, taken_by: str) -> SupportCase:
    """The never-assistance support case the application makes, at intake on `on` (the
    business date); EstablishmentRefused, naming the field, when a fact cannot be taken."""
    fee = fee_terms(session, application.applied).application_fee
    _check(application, on, fee)
    case = SupportCase(
        support_number=next_support_number(session),
        case_type=SupportCaseType.NEVER_ASSISTANCE,
        status=SupportStatus.INTAKE,
        status_date=on,
        referral_date=application.applied,
        opened_date=on,
    )
    session.add(case)
    session.flush()
    add_history(session, case, on, REASON)
    people = [(SupportRole.CUSTODIAL, application.custodial), (SupportRole.NON_CUSTODIAL, application.parent)]
    people += [(SupportRole.CHILD, child) for child in application.children]
    for seq, (role, person) in enumerate(people, start=1):
        party = _party(case, seq, role, person, on)
        if role == SupportRole.CUSTODIAL and application.routing:
            party.bank_routing, party.bank_account = application.routing, application.account
        session.add(party)
    row = SupportApplication(
        support_case_id=case.id,
        seq=1,
        application_date=application.applied,
        taken_by=taken_by,
        fee=fee,
        fee_paid_by=application.fee_paid_by if fee > 0 else None,
    )
    session.add(row)
    session.flush()
    after = {"date": application.applied.isoformat(), "fee": f"{fee:.2f}", "paid_by": row.fee_paid_by}
    audit.record(session, AuditAction.INSERT, SEGMENT, f"{case.support_number}:1", after=after)
    return case


def _party(case: SupportCase, seq: int, role: SupportRole, person: Person, on: dt.date) -> SupportParty:
    located = any((person.street, person.city, person.employer))
    return SupportParty(
        support_case_id=case.id,
        seq=seq,
        role=role,
        start_date=on,
        last_name=person.last_name.upper(),
        first_name=person.first_name.upper(),
        ssn=person.ssn,
        birth_date=person.birth_date,
        street=person.street.upper(),
        city=person.city.upper(),
        state=person.state.upper(),
        zip=person.zip,
        employer=person.employer.upper(),
        address_date=on if located else None,
    )


def _check(application: Application, on: dt.date, fee: Decimal) -> None:
    """Refuse what cannot be taken, naming the screen's field (cp_, np_, childN_ prefixes)."""
    if application.applied > on:
        raise EstablishmentRefused(f"the application date cannot be after {on:%m/%d/%Y}", "applied")
    cp, np = application.custodial, application.parent
    if not (cp.last_name and cp.first_name):
        raise EstablishmentRefused("the custodial party needs a last and a first name", "cp_last")
    if not (np.last_name or np.ssn):
        raise EstablishmentRefused("the non-custodial parent needs a last name or an SSN", "np_last")
    for prefix, person in (("cp", cp), ("np", np)):
        _check_person(prefix, person, application.applied)
    _check_bank(application.routing, application.account)
    if not application.children:
        raise EstablishmentRefused("the application names at least one child", "child1_last")
    for number, child in enumerate(application.children, start=1):
        born = child.birth_date
        if not (child.last_name and child.first_name) or born is None:
            raise EstablishmentRefused(
                f"child {number} needs a last name, a first name and a birth date", f"child{number}_birth"
            )
        if born > application.applied:
            raise EstablishmentRefused(f"child {number} was born after the application", f"child{number}_birth")
    if fee == 0 and application.fee_paid_by is not None:
        raise EstablishmentRefused(
            f"no application fee is charged on {application.applied:%m/%d/%Y}: leave fee paid by blank", "fee_paid_by"
        )
    if fee != 0 and application.fee_paid_by is None:
        raise EstablishmentRefused(f"the application fee of {fee:.2f} needs who paid it (A, S or R)", "fee_paid_by")


def _check_bank(routing: str, account: str) -> None:
    """Refuse a bank account half given, a routing number failing the ABA check digit or an
    account number that is not 1-17 letters and digits (EMS's own checks)."""
    if routing and not account:
        raise EstablishmentRefused("the bank account needs its account number with the routing number", "cp_account")
    if account and not routing:
        raise EstablishmentRefused("the bank account needs its routing number with the account number", "cp_routing")
    if routing and not valid_routing_number(routing):
        raise EstablishmentRefused(f"routing number {routing} fails the ABA check digit", "cp_routing")
    if account and not valid_account_number(account):
        raise EstablishmentRefused(f"account number {account} is not 1-17 letters and digits", "cp_account")


def _check_person(prefix: str, person: Person, applied: dt.date) -> None:
    if person.ssn is not None and (len(person.ssn) != 9 or not person.ssn.isdigit()):
        raise EstablishmentRefused(f"SSN {person.ssn!r} is not nine digits", f"{prefix}_ssn")
    if person.zip and (len(person.zip) != 5 or not person.zip.isdigit()):
        raise EstablishmentRefused(f"ZIP {person.zip!r} is not five digits", f"{prefix}_zip")
    if person.birth_date is not None and person.birth_date > applied:
        raise EstablishmentRefused("a birth date cannot be after the application", f"{prefix}_birth")
