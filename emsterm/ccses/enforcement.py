"""Automated enforcement of delinquent support cases (45 CFR 303.6, 42 USC 666): when a case is
delinquent, what is proposed, noticed, taken or ended, and a worker's stay.

**Delinquent.** A month's current support that is still unpaid when the month ends becomes
arrears by the ledger's ARREARS entry (credit OWED_CURRENT) dated the month's last day, written
when the next month is first charged (`emsterm.ccses.ledger.CaseBook.charge`). Such a month's
obligation went unpaid for the full month it was due in. A case is delinquent from the day
after the first month end of its latest run of consecutive months that each ended so (a month
paid in full breaks the run: the next unpaid month starts a new delinquency); that day is its
`delinquency_date`, set once per delinquency (the ENFORCE clock of `emsterm.ccses.timeframes`
runs from it). Medical support and arrears orders are not counted.

**Actions.** For a delinquent case that owes arrears, each action type is proposed at most once
per delinquency (and not while the same type taken for an earlier delinquency is still in
force, unless an income withholding now goes to another employer):

    IW  income withholding   an employer is known for the parent (locate, the referral); the
                             notice to the parent and the order to the employer go the same
                             day (42 USC 666(b)(4)(B)), within IW_DAYS business days of a new hire
    TO  federal tax offset   the parent's SSN known; assigned arrears >= TAX_OFFSET_MIN_ASSISTANCE
                             or the family's >= TAX_OFFSET_MIN_NON_ASSISTANCE (45 CFR 303.72(a))
    CB  credit bureau        the SSN known; arrears >= CREDIT_BUREAU_MIN (Regs. Conn. 52-362d-3)
    LS  license suspension   the SSN known; arrears more than the obligations charged in the last
                             LICENSE_SUSPENSION_DAYS days (CGS 46b-220(a)(1))

Each begins with a notice to the non-custodial parent (recorded with its text on the action:
EMS's notice machinery is for EMS cases), and is taken NOTICE_DAYS later unless a worker stayed
it; on its day it is taken when it still qualifies (the arrears then), else it ends. The first
notice of a delinquency sets `enforcement_date` (meeting the ENFORCE clock). A taken action goes
in its outbound file (`emsterm.interfaces.ccses_enforcement`) the night it is taken.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from emsterm.ccses.ledger import balances
from emsterm.ccses.locking import EstablishmentRefused, hold
from emsterm.model import (
    AuditAction,
    EnforcementStatus,
    EnforcementType,
    LedgerAccount,
    LedgerEntryType,
    LocateSource,
    SupportCase,
    SupportEnforcement,
    SupportLedgerEntry,
    SupportLocate,
    SupportParty,
    SupportRole,
    SupportStatus,
)
from emsterm.services import audit

ZERO = Decimal("0.00")
SEGMENT = "SUPENFC"
"""The segment name on audit entries."""
S = EnforcementStatus
K = EnforcementType
ORDER = (K.INCOME_WITHHOLDING, K.TAX_OFFSET, K.CREDIT_BUREAU, K.LICENSE_SUSPENSION)
"""The order the actions are proposed in."""
NAMES = {
    K.INCOME_WITHHOLDING: "INCOME WITHHOLDING",
    K.TAX_OFFSET: "FEDERAL TAX REFUND OFFSET",
    K.CREDIT_BUREAU: "CREDIT BUREAU REPORT",
    K.LICENSE_SUSPENSION: "LICENSE SUSPENSION",
}
"""How notices and screens name each action."""
CURRENT = (LedgerAccount.OWED_CURRENT,)
"""The account whose unpaid month makes a case delinquent."""


@dataclass(frozen=True)
class EnforcementParameters:
    """The enforcement thresholds and days in force on a date (cycle parameters of stream CCSES)."""

    tax_offset_min_assistance: Decimal
    tax_offset_min_non_assistance: Decimal
    credit_bureau_min: Decimal
    license_suspension_days: int
    notice_days: int
    iw_days: int


@dataclass(frozen=True)
class Standing:
    """What a case owes and who its parent is, as the enforcement step reads them."""

    assigned: Decimal
    family: Decimal
    charged_recently: Decimal
    """The obligations charged in the last LICENSE_SUSPENSION_DAYS days."""
    ssn: str
    last_name: str
    first_name: str
    employer: str
    new_hire: dt.date | None
    """The day of the new-hire hit that gave the employer, if one did."""

    @property
    def arrears(self) -> Decimal:
        """The family's and the assigned arrears."""
        return self.assigned + self.family


def delinquency_start(unpaid_month_ends: Iterable[dt.date]) -> dt.date | None:
    """The day after the first month end of the latest run of consecutive months that ended with
    current support unpaid (None when none did). Pure."""
    ends = sorted(set(unpaid_month_ends))
    if not ends:
        return None
    first = ends[-1]
    for earlier in reversed(ends[:-1]):
        if earlier != first.replace(day=1) - dt.timedelta(days=1):
            break
        first = earlier
    return first + dt.timedelta(days=1)


def add_business_days(day: dt.date, days: int, holidays: Iterable[dt.date] = ()) -> dt.date:
    """The date `days` business days (Monday to Friday, not a holiday) after `day`."""
    off = set(holidays)
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in off:
            days -= 1
    return day


def qualifies(kind: EnforcementType, standing: Standing, p: EnforcementParameters) -> bool:
    """Whether the case meets the action's conditions on what it owes now. Pure."""
    if standing.arrears <= ZERO:
        return False
    if kind == K.INCOME_WITHHOLDING:
        return bool(standing.employer)
    if not standing.ssn:
        return False
    if kind == K.TAX_OFFSET:
        return standing.assigned >= p.tax_offset_min_assistance or standing.family >= p.tax_offset_min_non_assistance
    if kind == K.CREDIT_BUREAU:
        return standing.arrears >= p.credit_bureau_min
    return standing.arrears > standing.charged_recently


def certified(kind: EnforcementType, standing: Standing, p: EnforcementParameters) -> Decimal:
    """The amount an action is for: a tax offset certifies each kind of arrears that reaches its
    threshold; the other actions are for all the arrears. Pure."""
    if kind != K.TAX_OFFSET:
        return standing.arrears
    amount = standing.assigned if standing.assigned >= p.tax_offset_min_assistance else ZERO
    return amount + (standing.family if standing.family >= p.tax_offset_min_non_assistance else ZERO)


def notice_text(kind: EnforcementType, case: SupportCase, standing: Standing, on: dt.date, due: dt.date) -> str:
    """The notice of an enforcement action to the non-custodial parent."""
    amount = f"${standing.arrears:,.2f}"
    if kind == K.INCOME_WITHHOLDING:
        what = f"YOUR EMPLOYER {standing.employer} HAS BEEN ORDERED TO WITHHOLD SUPPORT FROM YOUR INCOME"
        when = f"FROM {on:%m/%d/%Y}"
        rights = "IF THE WITHHOLDING OR ITS AMOUNT IS A MISTAKE OF FACT YOU MAY CONTEST IT (42 USC 666(b)(4)(B))"
    else:
        what = f"{NAMES[kind]} FOR OVERDUE SUPPORT"
        when = f"ON OR AFTER {due:%m/%d/%Y}"
        rights = "BEFORE THEN YOU MAY ASK FOR A PREHEARING REVIEW OR A FAIR HEARING (CGS 52-362d; 17b-60)"
    return (
        f"NOTICE OF ENFORCEMENT ACTION {on:%m/%d/%Y}. SUPPORT CASE {case.support_number}: YOU OWE {amount} "
        f"OF OVERDUE SUPPORT. {what} {when}. {rights}."
    )


def outcome_of(kind: EnforcementType, standing: Standing, p: EnforcementParameters, on: dt.date) -> str:
    """What taking the action did, in words (at most 60 characters)."""
    amount = f"{certified(kind, standing, p):,.2f}"
    if kind == K.INCOME_WITHHOLDING:
        text = f"ORDER SENT TO {standing.employer}"
        if standing.new_hire is not None:
            text += f" (NEW HIRE {standing.new_hire:%m/%d/%Y})"
        return text[:60]
    return {
        K.TAX_OFFSET: f"CERTIFIED {amount} FOR TAX REFUND OFFSET",
        K.CREDIT_BUREAU: f"REPORTED {amount} TO THE CREDIT BUREAUS",
        K.LICENSE_SUSPENSION: f"LISTED FOR LICENSE SUSPENSION, OWES {amount}",
    }[kind][:60]


def standings(
    session: Session, cases: Sequence[SupportCase], on: dt.date, p: EnforcementParameters
) -> dict[int, Standing]:
    """Each case's arrears, recent charges and non-custodial parent (a query each for the chunk)."""
    ids = [c.id for c in cases]
    owed = balances(session, ids)
    e = SupportLedgerEntry
    since = on - dt.timedelta(days=p.license_suspension_days)
    recent = dict(
        session.execute(
            select(e.support_case_id, func.sum(e.amount))
            .where(
                e.support_case_id.in_(ids),
                e.entry_type == LedgerEntryType.CHARGE,
                e.effective_date > since,
                e.effective_date <= on,
            )
            .group_by(e.support_case_id)
        ).all()
    )
    parents: dict[int, SupportParty] = {}
    for party in session.scalars(
        select(SupportParty)
        .where(
            SupportParty.support_case_id.in_(ids),
            SupportParty.role == SupportRole.NON_CUSTODIAL,
            SupportParty.end_date.is_(None),
        )
        .order_by(SupportParty.support_case_id, SupportParty.seq)
    ):
        parents.setdefault(party.support_case_id, party)
    hires: dict[tuple[int, str], dt.date] = {}
    for hit in session.scalars(
        select(SupportLocate).where(
            SupportLocate.support_case_id.in_(ids),
            SupportLocate.source == LocateSource.NEW_HIRE,
            SupportLocate.employer != "",
        )
    ):
        key = (hit.support_case_id, hit.employer)
        hires[key] = max(hires.get(key, hit.locate_date), hit.locate_date)
    out = {}
    for c in cases:
        b = owed.get(c.id, {})
        parent = parents.get(c.id)
        employer = parent.employer if parent is not None else ""
        out[c.id] = Standing(
            assigned=b.get(LedgerAccount.OWED_ASSIGNED_ARREARS, ZERO),
            family=b.get(LedgerAccount.OWED_FAMILY_ARREARS, ZERO),
            charged_recently=Decimal(recent.get(c.id) or 0),
            ssn=(parent.ssn or "") if parent is not None else "",
            last_name=parent.last_name if parent is not None else "",
            first_name=parent.first_name if parent is not None else "",
            employer=employer,
            new_hire=hires.get((c.id, employer)) if employer else None,
        )
    return out


def unpaid_month_ends(session: Session, ids: Sequence[int], on: dt.date) -> dict[int, list[dt.date]]:
    """The month ends (up to `on`) at which each case's current support was unpaid."""
    e = SupportLedgerEntry
    out: dict[int, list[dt.date]] = defaultdict(list)
    for case_id, day in session.execute(
        select(e.support_case_id, e.effective_date)
        .where(
            e.support_case_id.in_(ids),
            e.entry_type == LedgerEntryType.ARREARS,
            e.credit.in_(CURRENT),
            e.effective_date < on,
        )
        .distinct()
    ):
        out[case_id].append(day)
    return out


def enforce_cases(
    session: Session, ids: Sequence[int], on: dt.date, p: EnforcementParameters, counts: Counter[str]
) -> list[SupportEnforcement]:
    """Mark the cases that became delinquent, take or end the actions due, and propose (notice)
    the new ones; the actions taken. Restartable: nothing is proposed or taken twice."""
    cases = list(
        session.scalars(
            select(SupportCase)
            .where(SupportCase.id.in_(ids), SupportCase.status != SupportStatus.CLOSED)
            .order_by(SupportCase.id)
        )
    )
    months = unpaid_month_ends(session, ids, on)
    for case in cases:
        start = delinquency_start(months.get(case.id, []))
        if start is not None and (case.delinquency_date is None or start > case.delinquency_date):
            case.delinquency_date = start
            counts["delinquent"] += 1
    delinquent = [c for c in cases if c.delinquency_date is not None]
    if not delinquent:
        return []
    found = standings(session, delinquent, on, p)
    actions: dict[int, list[SupportEnforcement]] = defaultdict(list)
    for action in session.scalars(
        select(SupportEnforcement)
        .where(SupportEnforcement.support_case_id.in_([c.id for c in delinquent]))
        .order_by(SupportEnforcement.support_case_id, SupportEnforcement.seq)
    ):
        actions[action.support_case_id].append(action)
    taken: list[SupportEnforcement] = []
    for case in delinquent:
        standing = found[case.id]
        mine = actions[case.id]
        for kind in ORDER:
            if _wanted(kind, case, standing, mine, p):
                mine.append(_propose(session, case, kind, standing, mine, on, p))
                counts[f"noticed_{kind}"] += 1
        for action in mine:
            if action.status == S.NOTICED and action.action_due <= on:
                if qualifies(action.action_type, standing, p):
                    action.status = S.TAKEN
                    action.action_date = on
                    action.arrears = standing.arrears
                    action.assigned_arrears = standing.assigned
                    action.outcome = outcome_of(action.action_type, standing, p, on)
                    taken.append(action)
                    counts[f"taken_{action.action_type}"] += 1
                else:
                    action.status = S.ENDED
                    action.outcome = f"ENDED {on:%m/%d/%Y}: NO LONGER QUALIFIES (OWES {standing.arrears:,.2f})"
                    counts[f"ended_{action.action_type}"] += 1
    session.flush()
    return taken


def _wanted(
    kind: EnforcementType,
    case: SupportCase,
    standing: Standing,
    mine: list[SupportEnforcement],
    p: EnforcementParameters,
) -> bool:
    """Whether to propose an action of `kind` now."""
    if any(a.action_type == kind and a.delinquency_date == case.delinquency_date for a in mine):
        return False
    in_force = [a for a in mine if a.action_type == kind and a.status in (S.TAKEN, S.NOTICED)]
    if kind == K.INCOME_WITHHOLDING:
        if any(a.employer == standing.employer for a in in_force):
            return False
    elif in_force:
        return False
    return qualifies(kind, standing, p)


def _propose(
    session: Session,
    case: SupportCase,
    kind: EnforcementType,
    standing: Standing,
    mine: list[SupportEnforcement],
    on: dt.date,
    p: EnforcementParameters,
) -> SupportEnforcement:
    """Notice the action (income withholding: due the same day) and record it."""
    due = on if kind == K.INCOME_WITHHOLDING else on + dt.timedelta(days=p.notice_days)
    action = SupportEnforcement(
        support_case_id=case.id,
        seq=max((a.seq for a in mine), default=0) + 1,
        action_type=kind,
        status=S.NOTICED,
        delinquency_date=case.delinquency_date,
        notice_date=on,
        action_due=due,
        arrears=standing.arrears,
        assigned_arrears=standing.assigned,
        employer=standing.employer if kind == K.INCOME_WITHHOLDING else "",
        notice_text=notice_text(kind, case, standing, on, due),
    )
    session.add(action)
    assert case.delinquency_date is not None
    if case.enforcement_date is None or case.enforcement_date < case.delinquency_date:
        case.enforcement_date = on
    return action


def actions_of(session: Session, case: SupportCase) -> list[SupportEnforcement]:
    """The case's enforcement actions, newest first."""
    return list(
        session.scalars(
            select(SupportEnforcement)
            .where(SupportEnforcement.support_case_id == case.id)
            .order_by(SupportEnforcement.seq.desc())
        )
    )


def _facts(action: SupportEnforcement) -> dict[str, Any]:
    return {
        "type": str(action.action_type),
        "status": str(action.status),
        "stay_reason": action.stay_reason,
        "stayed_by": action.stayed_by,
        "stayed_date": action.stayed_date.isoformat() if action.stayed_date else None,
    }


def stay_action(
    session: Session,
    case: SupportCase,
    seq: int,
    reason: str,
    user_id: str,
    on: dt.date,
    seen_version: int | None = None,
) -> SupportEnforcement:
    """Stay the case's action `seq` with a reason: it will not be taken, nor proposed again for
    this delinquency. Only an action noticed and not yet taken can be stayed (EstablishmentRefused
    says why not); audited."""
    text = " ".join(reason.upper().split())
    if not text:
        raise EstablishmentRefused("type the reason for the stay", "reason")
    if len(text) > 40:
        raise EstablishmentRefused("the reason is at most 40 characters", "reason")
    action = session.scalars(
        select(SupportEnforcement).where(SupportEnforcement.support_case_id == case.id, SupportEnforcement.seq == seq)
    ).first()
    if action is None:
        raise EstablishmentRefused(f"support case {case.support_number} has no enforcement action {seq}", "action")
    name = NAMES[action.action_type].lower()
    if action.status == S.TAKEN:
        day = f"{action.action_date:%m/%d/%Y}" if action.action_date else ""
        raise EstablishmentRefused(f"the {name} was taken {day}: it cannot be stayed", "action")
    if action.status == S.STAYED:
        raise EstablishmentRefused(f"the {name} was stayed already on {action.stayed_date:%m/%d/%Y}", "action")
    if action.status == S.ENDED:
        raise EstablishmentRefused(f"the {name} has ended: there is nothing to stay", "action")
    hold(case, seen_version)
    before = _facts(action)
    action.status = S.STAYED
    action.stay_reason = text
    action.stayed_by = user_id[:8]
    action.stayed_date = on
    action.outcome = f"STAYED {on:%m/%d/%Y} BY {user_id[:8]}"
    audit.record(
        session,
        AuditAction.REPLACE,
        SEGMENT,
        f"{case.support_number}:{action.seq}",
        before=before,
        after=_facts(action),
        user_id=user_id or None,
    )
    session.flush()
    return action
