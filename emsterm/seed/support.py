"""The caseload's child support side: absent parents on the EMS cases and the CCSES support
cases they were referred into, as if the nightly and the CCSES stream had run all along.

After the households are written (`seed.writer`), the seeded cases are read back in chunks:
each child in a unit with TFA or Medicaid open (or TFA closed: a former-assistance case) may
have an absent parent, siblings mostly sharing one. Each gets an ABSPRNT row whose referral
digest is what the nightly's CCSESREF step would compute now (`cycles.ccses_referral`, so the
first nightly after a seed sends nothing it already "sent"), and, unless a good-cause claim
stops it, a support case with its parties and a dated status history that moved on with time
(intake, locate when the parent's whereabouts were unknown, establishment, enforcement). The
never-assistance applications CCSES takes directly make up about one support case per two EMS
cases (`SUPPORT_CASES_PER_EMS_CASE`). Everything is drawn from the seed number and the case
ids, so the same seed gives the same support side.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from emsterm.cycles.ccses_referral import record_digest, referral_key, referral_record
from emsterm.database.bulk import bulk_insert, reset_id_sequences
from emsterm.model import (
    AbsentParent,
    Case,
    Client,
    ClosureReason,
    CooperationStatus,
    GoodCause,
    Member,
    Program,
    ProgramStatus,
    RelationshipToHead,
    SupportApplication,
    SupportCase,
    SupportCaseType,
    SupportLedgerEntry,
    SupportOrder,
    SupportParty,
    SupportPaternity,
    SupportRole,
    SupportStatus,
    SupportStatusHistory,
    Town,
    UnitRole,
    metadata,
)
from emsterm.model.base import table_of
from emsterm.model.codes import (
    GeneticResult,
    LedgerAccount,
    LedgerEntryType,
    OrderAuthority,
    OrderFrequency,
    OrderType,
    PaternityMethod,
    PaternityStatus,
)
from emsterm.model.reference import in_force
from emsterm.seed import names
from emsterm.seed.households import seed_routing_number

SUPPORT_CASES_PER_EMS_CASE = 0.5
"""About one support case per two EMS cases (200,000 beside 400,000 at state scale): the
referred cases, made up with never-assistance applications."""
CHUNK = 5000
"""EMS cases read back at a time."""
ABSENT_PARENT_SHARE = {SupportCaseType.CURRENT_ASSISTANCE: 0.85, SupportCaseType.MEDICAID_ONLY: 0.45,
                       SupportCaseType.FORMER_ASSISTANCE: 0.6}  # fmt: skip
"""The share of such units whose children have a parent living elsewhere."""
SIBLINGS_SHARE_PARENT = 0.8
"""The chance a second child's absent parent is the first child's."""
CLOSED_SHARE = 0.08
BANKED_SHARE = 0.7
"""Never-assistance custodial parents who gave a bank account for direct deposit."""
"""The share of cases referred more than two years ago that have been closed since."""
CLOSURES = (ClosureReason.NO_ORDER_CHILD_EMANCIPATED, ClosureReason.NCP_NOT_LOCATED, ClosureReason.NON_IVA_REQUEST)
"""The 45 CFR 303.11(b) reasons the seed closes cases for (the last only for never-assistance
cases; a current-assistance case is never closed)."""
NCP_SSN_BASE = 800_000_000
"""Non-custodial parents' SSNs (801-xx-xxxx on), apart from the clients' 9xx range."""
NCP_SSN_STRIDE = 69621
"""Multiplier of their SSN permutation: coprime with 10^8."""


class _CaseRow(NamedTuple):
    id: int
    case_number: str
    street: str
    town_code: str
    zip: str


class _Person(NamedTuple):
    client_number: str
    last_name: str
    first_name: str
    ssn: str | None
    birth_date: dt.date | None


class _Parent(NamedTuple):
    seq: int
    last_name: str
    first_name: str
    ssn: str | None
    birth_date: dt.date | None
    street: str
    city: str
    state: str
    zip: str
    employer: str


@dataclass
class _Rows:
    """The rows of each support table, with their next ids."""

    next_id: dict[str, int]
    towns: list[str]
    """Connecticut's town names, for the addresses drawn."""
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    party_seq: dict[int, int] = field(default_factory=dict)
    """The last party seq of each support case made."""
    referred: dict[int, dt.date] = field(default_factory=dict)
    """The referral date of each support case made (its parties' start)."""
    established: dict[int, dt.date] = field(default_factory=dict)
    """The day each case that reached enforcement had its order (and its children's paternity)."""

    def add(self, table: str, row: dict[str, Any]) -> int:
        """Add a row with the table's next id; return the id."""
        row["id"] = self.next_id[table]
        self.next_id[table] += 1
        self.rows[table].append(row)
        return int(row["id"])


TABLES = tuple(
    table_of(m).name
    for m in (
        AbsentParent,
        SupportCase,
        SupportStatusHistory,
        SupportParty,
        SupportOrder,
        SupportPaternity,
        SupportApplication,
        SupportLedgerEntry,
    )
)
"""The tables the support side writes."""

EMPLOYERS = (
    "STOP AND SHOP", "WALMART", "AMAZON FULFILLMENT", "YALE NEW HAVEN HOSP", "ELECTRIC BOAT",
    "PRATT AND WHITNEY", "HOME DEPOT", "MOHEGAN SUN", "FOXWOODS", "UPS", "DUNKIN", "CVS PHARMACY",
    "HARTFORD HEALTHCARE", "TARGET", "BJS WHOLESALE", "SIKORSKY",
)  # fmt: skip
STATES = ("CT", "CT", "CT", "CT", "NY", "MA", "RI", "NJ", "PA", "FL")
"""Where an absent parent lives: mostly in Connecticut."""
CITIES = {"NY": "BRONX", "MA": "SPRINGFIELD", "RI": "PROVIDENCE", "NJ": "NEWARK", "PA": "PHILADELPHIA",
          "FL": "ORLANDO"}  # fmt: skip
"""The city of an absent parent out of state."""
ORDER_AUTHORITIES = (OrderAuthority.MAGISTRATE, OrderAuthority.SUPERIOR_COURT, OrderAuthority.ADMINISTRATIVE)
ORDER_FREQUENCIES = (OrderFrequency.WEEKLY, OrderFrequency.BIWEEKLY, OrderFrequency.MONTHLY)
DOCKET_COURTS = ("HHD", "NNH", "FBT", "WTR", "NNL", "KNL")
"""Judicial districts whose docket numbers the orders carry."""
STREETS = names.street_pool(random.Random("emsterm-support-streets"), 200)
"""Street names for the absent parents' addresses."""


def seed_support(
    connection: Connection, seed: int, today: dt.date, first_case_id: int, stamp: dict[str, Any]
) -> dict[str, int]:
    """Write the support side of the cases from `first_case_id` on; return rows per table."""
    towns = {t.code: t.name for t in Session(bind=connection).scalars(in_force(Town, today))}
    rows = _Rows({name: _next_id(connection, name) for name in TABLES}, sorted(set(towns.values())))
    number = _next_support_number(connection)
    cases = select(Case.id, Case.case_number, Case.street, Case.town_code, Case.zip).where(Case.id >= first_case_id)
    ems_cases = 0
    totals: dict[str, int] = dict.fromkeys(TABLES, 0)
    ids = [r.id for r in connection.execute(cases.order_by(Case.id))]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        case_rows = [_CaseRow(*r) for r in connection.execute(cases.where(Case.id.in_(chunk)).order_by(Case.id))]
        ems_cases += len(case_rows)
        members = _members(connection, chunk)
        programs = _programs(connection, chunk)
        for case in case_rows:
            number = _case(rows, seed, today, case, members.get(case.id, []), programs.get(case.id, {}),
                           towns.get(case.town_code, case.town_code), number, stamp)  # fmt: skip
        _flush(connection, rows, totals)
    referred = totals[table_of(SupportCase).name]
    wanted = round(ems_cases * SUPPORT_CASES_PER_EMS_CASE) - referred
    rng = random.Random(f"emsterm-support-na:{seed}:{first_case_id}")
    for _ in range(max(0, wanted)):
        number = _never_assistance(rows, rng, today, number, stamp)
        if len(rows.rows[table_of(SupportParty).name]) >= CHUNK * 3:
            _flush(connection, rows, totals)
    _flush(connection, rows, totals)
    reset_id_sequences(connection, TABLES)
    return totals


def _next_id(connection: Connection, table: str) -> int:
    return int(connection.execute(select(func.max(metadata.tables[table].c.id))).scalar() or 0) + 1


def _next_support_number(connection: Connection) -> int:
    return int(connection.execute(select(func.max(SupportCase.support_number))).scalar() or 0) + 1


def _members(connection: Connection, case_ids: list[int]) -> dict[int, list[tuple[Any, ...]]]:
    """Each case's current members: (member id, relationship, role, client facts), by seq."""
    query = (
        select(
            Member.case_id,
            Member.id,
            Member.relationship_code,
            Member.role,
            Client.client_number,
            Client.last_name,
            Client.first_name,
            Client.ssn,
            Client.birth_date,
        )
        .join(Client, Client.id == Member.client_id)
        .where(Member.case_id.in_(case_ids), Member.end_date.is_(None))
        .order_by(Member.case_id, Member.seq)
    )
    found: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in connection.execute(query):
        found[row[0]].append(tuple(row[1:]))
    return found


def _programs(connection: Connection, case_ids: list[int]) -> dict[int, dict[str, str]]:
    """Each case's programs and their status."""
    found: dict[int, dict[str, str]] = defaultdict(dict)
    query = select(Program.case_id, Program.program_code, Program.status).where(Program.case_id.in_(case_ids))
    for case_id, code, status in connection.execute(query):
        found[case_id][code] = str(status)
    return found


def _case(
    rows: _Rows,
    seed: int,
    today: dt.date,
    case: _CaseRow,
    members: list[tuple[Any, ...]],
    programs: dict[str, str],
    town_name: str,
    number: int,
    stamp: dict[str, Any],
) -> int:
    """The absent parents and support cases of one EMS case; returns the next support number."""
    if programs.get("TFA") == ProgramStatus.ACTIVE:
        case_type, assistance = SupportCaseType.CURRENT_ASSISTANCE, "CA"
    elif programs.get("MA") == ProgramStatus.ACTIVE:
        case_type, assistance = SupportCaseType.MEDICAID_ONLY, "MO"
    elif programs.get("TFA") == ProgramStatus.CLOSED:
        case_type, assistance = SupportCaseType.FORMER_ASSISTANCE, "NO"
    else:
        return number
    children = [m for m in members if m[1] == RelationshipToHead.CHILD and m[2] != UnitRole.NOT_IN_UNIT]
    head = next((m for m in members if m[2] == UnitRole.HEAD), None)
    rng = random.Random(f"emsterm-support:{seed}:{case.id}")
    if not children or head is None or rng.random() >= ABSENT_PARENT_SHARE[case_type]:
        return number
    payee = _Person(*head[3:])
    parents: list[_Parent] = []
    by_key: dict[str, int] = {}
    for seq, child in enumerate(children, start=1):
        if parents and rng.random() < SIBLINGS_SHARE_PARENT:
            parent = parents[-1]._replace(seq=seq)
        else:
            parent = _draw_parent(rows, rng, today, seq, case.id)
        parents.append(parent)
        good_cause = None
        if rng.random() < 0.02:
            good_cause = GoodCause.PENDING if rng.random() < 0.5 else GoodCause.GRANTED
        kid = _Person(*child[3:])
        record = referral_record(case, payee, kid, parent, assistance, town_name)
        referred = good_cause is None
        rows.add(
            "absent_parent",
            {
                "case_id": case.id,
                "seq": seq,
                "child_member_id": child[0],
                **{k: v for k, v in parent._asdict().items() if k != "seq"},
                "cooperation": CooperationStatus.NOT_DECIDED if good_cause else CooperationStatus.COOPERATING,
                "good_cause": good_cause,
                "good_cause_date": today - dt.timedelta(days=rng.randrange(5, 200)) if good_cause else None,
                "referred_digest": record_digest(record) if referred else None,
                "referred_on": today - dt.timedelta(days=1) if referred else None,
                **stamp,
            },
        )
        if not referred:
            continue
        key = referral_key(parent)
        if key not in by_key:
            known = bool(parent.street or parent.employer)
            by_key[key] = _support_case(rows, rng, today, case.case_number, key, case_type, number, stamp, known)
            number += 1
            support_id = by_key[key]
            _party(rows, support_id, SupportRole.CUSTODIAL, payee, stamp,
                   street=case.street, city=town_name, state="CT", zip=case.zip)  # fmt: skip
            _party(rows, support_id, SupportRole.NON_CUSTODIAL, parent, stamp)
        _party(rows, by_key[key], SupportRole.CHILD, kid, stamp, child=True)
    return number


def _draw_parent(rows: _Rows, rng: random.Random, today: dt.date, seq: int, case_id: int) -> _Parent:
    """An absent parent as the client knows them: mostly a named father, some unknown."""
    if rng.random() < 0.08:
        return _Parent(seq, "", "", None, None, "", "", "", "", "")
    ssn = None
    if rng.random() < 0.7:
        ssn = f"{NCP_SSN_BASE + 1_000_000 + ((case_id * 7 + seq) * NCP_SSN_STRIDE) % 99_000_000:09d}"
    known_address = rng.random() < 0.55
    state = rng.choice(STATES) if known_address else ""
    return _Parent(
        seq,
        names.ENGLISH_LAST.draw(rng) if rng.random() < 0.7 else names.SPANISH_LAST.draw(rng),
        names.ENGLISH_MALE.draw(rng)[:20],
        ssn,
        dt.date(today.year - rng.randrange(19, 55), 1, 1) + dt.timedelta(days=rng.randrange(365))
        if rng.random() < 0.8
        else None,
        f"{rng.randrange(1, 2400)} {rng.choice(STREETS)}"[:40] if known_address else "",
        (rng.choice(rows.towns) if state == "CT" else CITIES[state]) if known_address else "",
        state,
        f"{rng.randrange(6001, 6999) if state == 'CT' else rng.randrange(7000, 99999):05d}" if known_address else "",
        rng.choice(EMPLOYERS) if rng.random() < 0.3 else "",
    )


def _support_case(
    rows: _Rows,
    rng: random.Random,
    today: dt.date,
    ems_case_number: str | None,
    key: str | None,
    case_type: SupportCaseType,
    number: int,
    stamp: dict[str, Any],
    known: bool | None = None,
) -> int:
    """A support case referred some time ago, moved on through the statuses since."""
    referred = today - dt.timedelta(days=rng.randrange(1, 6 * 365))
    path = [(SupportStatus.INTAKE, referred, "REFERRAL FROM EMS" if ems_case_number else "APPLICATION FOR SERVICES")]
    age = (today - referred).days
    if known is None:
        known = rng.random() < 0.6
    if age > 20:
        opened = referred + dt.timedelta(days=rng.randrange(2, 20))
        if not known:
            path.append((SupportStatus.LOCATE, opened, "WHEREABOUTS UNKNOWN"))
            located = opened + dt.timedelta(days=rng.randrange(10, 150))
            if located < today and rng.random() < 0.7:
                path.append((SupportStatus.ESTABLISHMENT, located, "LOCATED"))
        else:
            path.append((SupportStatus.ESTABLISHMENT, opened, "CASE OPENED"))
        if path[-1][0] == SupportStatus.ESTABLISHMENT:
            established = path[-1][1] + dt.timedelta(days=rng.randrange(30, 200))
            if established < today and rng.random() < 0.8:
                path.append((SupportStatus.ENFORCEMENT, established, "ORDER ESTABLISHED"))
    closure = None
    if case_type != SupportCaseType.CURRENT_ASSISTANCE and age > 2 * 365 and rng.random() < CLOSED_SHARE:
        closure = rng.choice(CLOSURES if case_type == SupportCaseType.NEVER_ASSISTANCE else CLOSURES[:2])
        path.append((SupportStatus.CLOSED, referred + dt.timedelta(days=rng.randrange(400, age)), closure.name))
    status, status_date, _ = path[-1]
    rows.party_seq[rows.next_id["support_case"]] = 0
    rows.referred[rows.next_id["support_case"]] = referred
    case_id = rows.add(
        "support_case",
        {
            "support_number": f"{number:010d}",
            "ems_case_number": ems_case_number,
            "referral_key": key,
            "case_type": case_type,
            "status": status,
            "status_date": status_date,
            "referral_date": referred,
            "opened_date": referred,
            "closure_reason": closure,
            "charged_through": None,
            "ledger_start": None,
            **_timeframe_dates(path),
            **stamp,
        },
    )
    for seq, (step, on, reason) in enumerate(path, start=1):
        rows.add(
            "support_status",
            {"support_case_id": case_id, "seq": seq, "status": step, "case_type": case_type,
             "effective_date": on, "reason": reason.replace("_", " ")[:60], **stamp},
        )  # fmt: skip
    established = _timeframe_dates(path)["established_date"]
    if established is not None:
        rows.established[case_id] = established
        _order(rows, rng, case_id, established, stamp)
        if status != SupportStatus.CLOSED:
            _opening_balance(rows, rng, case_id, case_type, today, stamp)
    return case_id


def _order(rows: _Rows, rng: random.Random, case_id: int, effective: dt.date, stamp: dict[str, Any]) -> None:
    """The current support order a case in enforcement got when it was established: by a Family
    Support Magistrate mostly, weekly mostly, in whole dollars."""
    authority = rng.choices(ORDER_AUTHORITIES, cum_weights=(0.6, 0.85, 1.0))[0]
    frequency = rng.choices(ORDER_FREQUENCIES, cum_weights=(0.7, 0.8, 1.0))[0]
    weekly = Decimal(rng.randrange(25, 250))
    amount = {OrderFrequency.WEEKLY: weekly, OrderFrequency.BIWEEKLY: weekly * 2,
              OrderFrequency.MONTHLY: (weekly * Decimal("4.33")).quantize(Decimal("1"))}[frequency]  # fmt: skip
    docket = f"{rng.choice(DOCKET_COURTS)}-FA{effective:%y}-{rng.randrange(6000000, 6099999)}-S"
    rows.add(
        "support_order",
        {
            "support_case_id": case_id,
            "seq": 1,
            "order_no": 1,
            "modification": 0,
            "authority": authority,
            "docket": "" if authority == OrderAuthority.ADMINISTRATIVE else docket,
            "order_type": OrderType.CURRENT_SUPPORT,
            "amount": amount,
            "frequency": frequency,
            "effective_date": effective,
            "end_date": None,
            "superseded_by": None,
            **stamp,
        },
    )


def _opening_balance(
    rows: _Rows, rng: random.Random, case_id: int, case_type: SupportCaseType, today: dt.date, stamp: dict[str, Any]
) -> None:
    """The ledger as a conversion brings it in: charged through yesterday, with the arrears then
    owed (none for about half the cases; else up to six months of the order) brought forward in
    one opening entry: assigned to the state on a current-assistance case, the family's
    otherwise (`emsterm.ccses.ledger`)."""
    yesterday = today - dt.timedelta(days=1)
    rows.rows["support_case"][-1]["charged_through"] = yesterday
    rows.rows["support_case"][-1]["ledger_start"] = today
    if rng.random() < 0.5:
        return
    each = rows.rows["support_order"][-1]["amount"]
    arrears = (each * Decimal(rng.randrange(10, 600)) / 100).quantize(Decimal("0.01"))
    account = (
        LedgerAccount.OWED_ASSIGNED_ARREARS
        if case_type == SupportCaseType.CURRENT_ASSISTANCE
        else LedgerAccount.OWED_FAMILY_ARREARS
    )
    rows.add(
        "support_ledger",
        {"support_case_id": case_id, "seq": 1, "entry_type": LedgerEntryType.OPENING, "debit": account,
         "credit": LedgerAccount.OBLIGATION, "amount": arrears, "posted_date": yesterday,
         "effective_date": yesterday, "destination": None, "payment_id": None, "order_no": None,
         "disbursement_id": None, "reverses_seq": None, **stamp},
    )  # fmt: skip


def _timeframe_dates(path: list[tuple[SupportStatus, dt.date, str]]) -> dict[str, Any]:
    """The dates the federal timeframes' clocks read (`ccses.timeframes`), as the path went:
    opened when it left intake, locate from the day it entered locate, located when it moved on
    from locate (or was opened with them known), established when it reached enforcement (no
    delinquency or review yet)."""
    entered = {status: on for status, on, _ in reversed(path)}
    return {
        "initiated_date": path[1][1] if len(path) > 1 else None,
        "locate_date": entered.get(SupportStatus.LOCATE),
        "located_date": entered.get(SupportStatus.ESTABLISHMENT),
        "established_date": entered.get(SupportStatus.ENFORCEMENT),
        "service_needed": False,
        "delinquency_date": None,
        "enforcement_date": None,
        "last_review_date": None,
    }


def _party(
    rows: _Rows,
    support_id: int,
    role: SupportRole,
    person: _Person | _Parent,
    stamp: dict[str, Any],
    *,
    child: bool = False,
    bank: tuple[str, str] | None = None,
    **address: str,
) -> None:
    """The case's next party, from its referral date (with `bank`, the routing and account
    numbers of the account a custodial party is paid to by direct deposit)."""
    start = rows.referred[support_id]
    rows.party_seq[support_id] += 1
    facts = {
        "street": getattr(person, "street", ""),
        "city": getattr(person, "city", ""),
        "state": getattr(person, "state", ""),
        "zip": getattr(person, "zip", ""),
        "employer": getattr(person, "employer", ""),
        **address,
    }
    party_id = rows.add(
        "support_party",
        {
            "support_case_id": support_id,
            "seq": rows.party_seq[support_id],
            "role": role,
            "ems_client_number": getattr(person, "client_number", None) or None,
            "last_name": person.last_name,
            "first_name": person.first_name,
            "ssn": None if child else person.ssn,
            "birth_date": person.birth_date,
            **facts,
            "address_date": start if any(facts.values()) else None,
            "start_date": start,
            "end_date": None,
            "bank_routing": bank[0] if bank else None,
            "bank_account": bank[1] if bank else None,
            **stamp,
        },
    )
    established = rows.established.get(support_id)
    if child and established is not None:
        _paternity(rows, support_id, party_id, start, established, stamp)


def _paternity(
    rows: _Rows, support_id: int, party_id: int, referred: dt.date, established: dt.date, stamp: dict[str, Any]
) -> None:
    """A child of a case in enforcement: paternity acknowledged in the registry (most), or by
    genetic test, settled before the order."""
    by_test = party_id % 5 == 0
    rows.add(
        "support_paternity",
        {
            "support_case_id": support_id,
            "seq": rows.party_seq[support_id],
            "child_party_id": party_id,
            "status": PaternityStatus.ESTABLISHED,
            "method": PaternityMethod.GENETIC_TEST if by_test else PaternityMethod.ACKNOWLEDGEMENT,
            "established_date": established,
            "registry_number": "" if by_test else f"PA{party_id:010d}",
            "acknowledged_date": None if by_test else min(referred, established),
            "test_ordered_date": established - dt.timedelta(days=45) if by_test else None,
            "test_result_date": established - dt.timedelta(days=10) if by_test else None,
            "test_result": GeneticResult.INCLUDED if by_test else None,
            "docket": "",
            "adjudicated_date": None,
            **stamp,
        },
    )


def _never_assistance(rows: _Rows, rng: random.Random, today: dt.date, number: int, stamp: dict[str, Any]) -> int:
    """A family that never had assistance and applied for services: a custodial parent, the
    other parent and one to three children, none of them EMS clients, and the application (no
    fee: Connecticut charges none, CCSES parameter APPLICATION_FEE). Most custodial parents
    (BANKED_SHARE) gave a bank account, paid by direct deposit."""
    support_id = _support_case(rows, rng, today, None, None, SupportCaseType.NEVER_ASSISTANCE, number, stamp)
    rows.add(
        "support_application",
        {
            "support_case_id": support_id,
            "seq": 1,
            "application_date": rows.referred[support_id],
            "taken_by": "CSDEMO",
            "fee": Decimal("0.00"),
            "fee_paid_by": None,
            **stamp,
        },
    )
    last = names.ENGLISH_LAST.draw(rng)
    mother = _Parent(1, last, names.ENGLISH_FEMALE.draw(rng)[:20], None,
                     dt.date(today.year - rng.randrange(20, 50), 6, 1),
                     f"{rng.randrange(1, 2400)} {rng.choice(STREETS)}"[:40], rng.choice(rows.towns), "CT",
                     f"{rng.randrange(6001, 6999):05d}", "")  # fmt: skip
    bank = None
    if rng.random() < BANKED_SHARE:
        bank = (seed_routing_number(rng.randrange(10**6)), f"{rng.randrange(10**10):010d}")
    _party(rows, support_id, SupportRole.CUSTODIAL, mother, stamp, bank=bank)
    _party(rows, support_id, SupportRole.NON_CUSTODIAL, _draw_parent(rows, rng, today, 2, support_id), stamp)
    for _ in range(rng.randrange(1, 4)):
        first = (names.ENGLISH_FEMALE if rng.random() < 0.5 else names.ENGLISH_MALE).draw(rng)[:20]
        born = dt.date(today.year - rng.randrange(0, 17), 3, 1) + dt.timedelta(days=rng.randrange(300))
        kid = _Person("", last, first, None, born)
        _party(rows, support_id, SupportRole.CHILD, kid, stamp, child=True)
    return number + 1


def _flush(connection: Connection, rows: _Rows, totals: dict[str, int]) -> None:
    """Insert what is held, parents before children."""
    for name in TABLES:
        held = rows.rows.pop(name, [])
        if held:
            totals[name] += bulk_insert(connection, metadata.tables[name], held)
