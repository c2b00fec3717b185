"""Generating households: clients, cases and their segments, as rows ready to insert.

Everything is drawn from one `random.Random` seeded by the seed number and the first case id,
so the same arguments on the same starting database give the same rows on any database.
The proportions are plausible for Connecticut's caseload, not official statistics.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from typing import Any

from emsterm.model.codes import (
    AccountType,
    AlertStatus,
    AlertType,
    AssetType,
    CaseStatus,
    Citizenship,
    ExpenseType,
    Frequency,
    IncomeType,
    Language,
    PaymentMethod,
    PlanSelection,
    ProgramStatus,
    RelationshipToHead,
    Sex,
    UnitRole,
    VerificationItem,
    VerificationStatus,
)
from emsterm.model.numbers import aba_check_digit, case_number, client_number
from emsterm.model.soundex import soundex
from emsterm.rules.programs import PROGRAMS, ProgramKind
from emsterm.seed import names

SEED_ACTOR = "SEED"
SSN_STRIDE = 48271
"""Multiplier of the SSN permutation: coprime with 10^8, so every client gets its own SSN."""

# Kinds of assistance unit with their share of cases.
KINDS: tuple[tuple[str, float], ...] = (
    ("single", 0.53),
    ("elderly", 0.16),
    ("disabled", 0.04),
    ("couple65", 0.02),
    ("family", 0.21),
    ("childonly", 0.03),
    ("refugee", 0.01),
)
FAMILY_SIZES = ((2, 0.30), (3, 0.30), (4, 0.21), (5, 0.11), (6, 0.05), (7, 0.03))
REUSE_SHARE = 0.22
"""Share of one-person cases whose person is already a client of another case."""

CASE_STATUS = (
    (CaseStatus.ACTIVE, 0.86),
    (CaseStatus.CLOSED, 0.07),
    (CaseStatus.PENDING, 0.04),
    (CaseStatus.DENIED, 0.03),
)
SEXES = (Sex.FEMALE, Sex.MALE)
"""The sexes a seeded person is drawn from (one draw each, in this order)."""
WAGE_FREQUENCIES = (Frequency.WEEKLY, Frequency.BIWEEKLY, Frequency.BIWEEKLY, Frequency.SEMIMONTHLY, Frequency.MONTHLY)
"""How often wages are paid, one draw each (every two weeks twice as often as the others)."""
PAYMENT_METHODS = (PaymentMethod.EBT, PaymentMethod.DIRECT_DEPOSIT, PaymentMethod.CHECK)
"""How cash is paid, drawn with the cumulative weights 0.70, 0.95, 1.0."""
PROGRAMS_BY_KIND: dict[str, tuple[tuple[str, float, str | None], ...]] = {
    # (program, probability, MA coverage group)
    "single": (("MA", 0.86, "HUSD"), ("SNAP", 0.64, None), ("SAGA", 0.06, None)),
    "elderly": (("MA", 0.92, "HUSC"), ("SNAP", 0.55, None), ("AABD", 0.22, None)),
    "disabled": (("MA", 0.95, "HUSC"), ("SNAP", 0.62, None), ("AABD", 0.35, None)),
    "couple65": (("MA", 0.92, "HUSC"), ("SNAP", 0.50, None), ("AABD", 0.20, None)),
    "family": (("MA", 0.95, "HUSA"), ("SNAP", 0.72, None), ("TFA", 0.17, None), ("TFAD", 0.01, None)),
    "childonly": (("MA", 1.0, "HUSB"), ("SNAP", 0.10, None)),
    "refugee": (("RCA", 0.60, None), ("RMA", 0.70, None), ("SNAP", 0.80, None)),
}
MANAGED_CARE_GROUPS = ("HUSA", "HUSB", "HUSD")
"""The coverage groups whose seeded households get a managed care plan (MC_GROUPS)."""
MANAGED_CARE_PLANS = ("ANTH", "CHNC")
"""The plans seeded households are in: the two of ref_managed_care_plan that serve every region."""
CERT_MONTHS = {spec.code: spec.seed_certification_months for spec in PROGRAMS}
"""The certification period each program's seeded cases get, in months (the registry's)."""
CASH = {spec.code for spec in PROGRAMS if spec.kind is ProgramKind.CASH}
CLOSE_REASONS = ("D01", "D01", "D02", "D03", "G01", "N01")
DENY_REASONS = ("G01", "N01", "A01", "V01", "V01")
AREA_CODES = ("860", "860", "203", "203", "475", "959")
NARRATIVES = (
    "APPLICATION REGISTERED. INTERVIEW SCHEDULED.",
    "INTERVIEW COMPLETED BY PHONE. VERIFICATIONS REQUESTED.",
    "CLIENT CALLED ABOUT EBT CARD. REPLACEMENT ISSUED BY VENDOR.",
    "RENEWAL FORM RECEIVED. PENDING PROOF OF INCOME.",
    "ADDRESS CHANGE REPORTED BY PHONE.",
)


def _cumulative(pairs: tuple[tuple[Any, float], ...]) -> tuple[tuple[Any, ...], tuple[float, ...]]:
    return tuple(p[0] for p in pairs), tuple(accumulate(p[1] for p in pairs))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day-of-month `months` later (clamped to 28 to stay valid), first-of-month safe."""
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, min(day.day, 28))


def month_start(day: dt.date) -> dt.date:
    """The first day of the month of `day`."""
    return day.replace(day=1)


def certification(applied: dt.date, months: int, on: dt.date) -> tuple[dt.date, dt.date]:
    """The certification period in force on `on` of a program applied for on `applied`: periods
    of `months` months follow one another from the application month (each renewed)."""
    start = month_start(applied)
    elapsed = (on.year - start.year) * 12 + on.month - start.month
    start = add_months(start, max(0, elapsed) // months * months)
    return start, add_months(start, months) - dt.timedelta(days=1)


def certification_ends(applied: dt.date, months: int, until: dt.date) -> list[dt.date]:
    """The last days of the certification periods of a program applied for on `applied` that
    ended before `until`."""
    ends, start = [], month_start(applied)
    while (end := add_months(start, months) - dt.timedelta(days=1)) < until:
        ends.append(end)
        start = add_months(start, months)
    return ends


@dataclass(frozen=True)
class TownChoice:
    """A town a household may live in, weighted by population."""

    code: str
    office_code: str
    zip: str
    population: int


@dataclass
class NextIds:
    """The next primary key of each table the generator writes."""

    client: int = 1
    bank_account: int = 1
    case_root: int = 1
    member: int = 1
    program: int = 1
    income: int = 1
    asset: int = 1
    expense: int = 1
    verification: int = 1
    alert: int = 1
    narrative: int = 1
    eligibility: int = 1
    budget_line: int = 1
    issuance: int = 1
    notice: int = 1
    managed_care_enrollment: int = 1

    def take(self, table: str) -> int:
        """Return the next id of `table` and advance it."""
        ids = self.__dict__
        value: int = ids[table]
        ids[table] = value + 1
        return value

    def take_many(self, table: str, count: int) -> int:
        """Return the first of the next `count` ids of `table` and advance past them."""
        ids = self.__dict__
        value: int = ids[table]
        ids[table] = value + count
        return value


@dataclass
class Batch:
    """Rows for each table, in insert order."""

    rows: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {
            t: []
            for t in (
                "client",
                "bank_account",
                "case_root",
                "member",
                "program",
                "income",
                "asset",
                "expense",
                "verification",
                "alert",
                "narrative",
                "managed_care_enrollment",
            )
        }
    )

    clients: dict[int, dict[str, Any]] = field(default_factory=dict)
    """The client row of each person the batch's members name, by client id: the clients the
    batch creates and those it gives a second case (made by an earlier batch), so that the
    history reads the facts it needs from the batch instead of the database."""

    def count(self) -> int:
        """How many rows the batch holds."""
        return sum(len(r) for r in self.rows.values())


@dataclass
class _Person:
    client_id: int
    age: int
    sex: Sex
    last_name: str
    spanish: bool
    disabled: bool
    row: dict[str, Any]
    """The person's client row, as generated."""


def seed_routing_number(key: int) -> str:
    """The seed's routing number for `key` (a client id, or any number a seed draws): a
    Connecticut (Boston district, 011/211) bank's, with its ABA check digit."""
    first_eight = f"{11 if key % 2 else 211:03d}{(key * 7919) % 100000:05d}"
    return first_eight + aba_check_digit(first_eight)


class CaseloadGenerator:
    """Draws households one case at a time; call `batch(n)` for the rows of the next n cases."""

    def __init__(
        self,
        seed: int,
        business_date: dt.date,
        towns: list[TownChoice],
        workers: dict[str, list[str]],
        next_ids: NextIds,
    ) -> None:
        self.rng = random.Random(f"emsterm-seed:{seed}:{next_ids.case_root}:{next_ids.client}")
        self.today = business_date
        self.ids = next_ids
        self.towns = towns
        self.town_weights = tuple(accumulate(t.population for t in towns))
        self.workers = workers
        self.streets = names.street_pool(self.rng)
        self.kinds, self.kind_weights = _cumulative(KINDS)
        self.sizes, self.size_weights = _cumulative(FAMILY_SIZES)
        self.statuses, self.status_weights = _cumulative(CASE_STATUS)
        self.stamp_time = dt.datetime.combine(business_date, dt.time(8, 0))
        self.pool_adult: list[_Person] = []
        self.pool_elderly: list[_Person] = []
        self.banked: set[int] = set()
        """The clients given a bank account so far (a head reused for a second case keeps it)."""
        self.enrolled: set[int] = set()
        """The clients given a managed care plan so far (a person keeps their plan)."""

    # -- small draws -------------------------------------------------------------------------

    def _stamp(self) -> dict[str, Any]:
        return {
            "created_by": SEED_ACTOR,
            "created_at": self.stamp_time,
            "updated_by": SEED_ACTOR,
            "updated_at": self.stamp_time,
            "version": 1,
        }

    def _money(self, low: int, high: int) -> Decimal:
        """Whole dollars and cents between low and high dollars."""
        return Decimal(self.rng.randrange(low * 100, high * 100)) / 100

    def _days_ago(self, low: int, high: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randrange(low, high))

    def _birth_date(self, age: int) -> dt.date:
        return dt.date(self.today.year - age - 1, 1, 1) + dt.timedelta(days=self.rng.randrange(365))

    # -- clients -----------------------------------------------------------------------------

    def _new_client(
        self,
        batch: Batch,
        age: int,
        sex: Sex,
        last_name: str | None,
        spanish: bool,
        *,
        disabled: bool = False,
        citizenship: Citizenship = Citizenship.US_CITIZEN,
        entry: dt.date | None = None,
    ) -> _Person:
        rng = self.rng
        if last_name is None:
            last_name = (names.SPANISH_LAST if spanish else names.ENGLISH_LAST).draw(rng)
        if spanish:
            first = (names.SPANISH_FEMALE if sex == Sex.FEMALE else names.SPANISH_MALE).draw(rng)
        else:
            first = (names.ENGLISH_FEMALE if sex == Sex.FEMALE else names.ENGLISH_MALE).draw(rng)
        client_id = self.ids.take("client")
        has_ssn = rng.random() > (0.08 if age < 1 or citizenship == Citizenship.NOT_QUALIFIED else 0.02)
        ssn = f"{900_000_000 + (client_id * SSN_STRIDE) % 100_000_000:09d}" if has_ssn else None
        row = batch.clients[client_id] = {
            "id": client_id,
            "client_number": client_number(client_id),
            "last_name": last_name,
            "first_name": first,
            "middle_initial": chr(65 + rng.randrange(26)) if rng.random() < 0.6 else "",
            "last_name_soundex": soundex(last_name),
            "birth_date": self._birth_date(age),
            "sex": sex,
            "ssn": ssn,
            "citizenship": citizenship,
            "language": Language.SPANISH if spanish and rng.random() < 0.45 else Language.ENGLISH,
            "disabled": disabled,
            "blind": disabled and rng.random() < 0.08,
            "entry_date": entry,
            **self._stamp(),
        }
        batch.rows["client"].append(row)
        return _Person(client_id, age, sex, last_name, spanish, disabled, row)

    def _reuse(self, batch: Batch, pool: list[_Person]) -> _Person | None:
        if pool and self.rng.random() < REUSE_SHARE:
            person = pool.pop(self.rng.randrange(len(pool)))
            batch.clients[person.client_id] = person.row
            return person
        return None

    def _remember(self, pool: list[_Person], person: _Person) -> None:
        pool.append(person)
        if len(pool) > 4000:
            del pool[: len(pool) - 4000]

    # -- households --------------------------------------------------------------------------

    def _household(self, batch: Batch, kind: str) -> list[tuple[_Person, RelationshipToHead, UnitRole]]:
        """People of the unit as (person, relationship, role), head first."""
        rng = self.rng
        spanish = rng.random() < 0.30
        if kind in ("single", "disabled"):
            person = self._reuse(batch, self.pool_adult)
            if person is None:
                age = rng.randrange(19, 64)
                person = self._new_client(
                    batch,
                    age,
                    Sex.FEMALE if rng.random() < 0.5 else Sex.MALE,
                    None,
                    spanish,
                    disabled=kind == "disabled" or rng.random() < 0.04,
                )
                self._remember(self.pool_adult, person)
            return [(person, RelationshipToHead.SELF, UnitRole.HEAD)]
        if kind == "elderly":
            person = self._reuse(batch, self.pool_elderly)
            if person is None:
                person = self._new_client(
                    batch, rng.randrange(65, 96), Sex.FEMALE if rng.random() < 0.62 else Sex.MALE, None, spanish
                )
                self._remember(self.pool_elderly, person)
            return [(person, RelationshipToHead.SELF, UnitRole.HEAD)]
        if kind == "couple65":
            head = self._new_client(batch, rng.randrange(65, 92), Sex.MALE, None, spanish)
            spouse = self._new_client(
                batch, max(62, head.age - rng.randrange(0, 6)), Sex.FEMALE, head.last_name, spanish
            )
            return [
                (head, RelationshipToHead.SELF, UnitRole.HEAD),
                (spouse, RelationshipToHead.SPOUSE, UnitRole.MEMBER),
            ]
        if kind == "refugee":
            entry = self._days_ago(20, 240)
            citizenship = Citizenship.REFUGEE
            head = self._new_client(
                batch,
                rng.randrange(21, 55),
                Sex.MALE if rng.random() < 0.55 else Sex.FEMALE,
                None,
                False,
                citizenship=citizenship,
                entry=entry,
            )
            people = [(head, RelationshipToHead.SELF, UnitRole.HEAD)]
            for _ in range(rng.choice((0, 1, 1, 2, 3))):
                child = self._new_client(
                    batch,
                    rng.randrange(0, 17),
                    rng.choice(SEXES),
                    head.last_name,
                    False,
                    citizenship=citizenship,
                    entry=entry,
                )
                people.append((child, RelationshipToHead.CHILD, UnitRole.MEMBER))
            return people
        if kind == "childonly":
            # A grandparent or relative caretaker applies for the children only.
            head = self._new_client(batch, rng.randrange(1, 17), rng.choice(SEXES), None, spanish)
            people = [(head, RelationshipToHead.SELF, UnitRole.HEAD)]
            if rng.random() < 0.3:
                people.append(
                    (
                        self._new_client(batch, rng.randrange(1, 17), rng.choice(SEXES), head.last_name, spanish),
                        RelationshipToHead.SIBLING,
                        UnitRole.MEMBER,
                    )
                )
            return people
        # family: a parent (mostly mothers), maybe a spouse, and children
        size = rng.choices(self.sizes, cum_weights=self.size_weights)[0]
        head_age = rng.randrange(19, 52)
        head = self._new_client(batch, head_age, Sex.FEMALE if rng.random() < 0.82 else Sex.MALE, None, spanish)
        people = [(head, RelationshipToHead.SELF, UnitRole.HEAD)]
        if size >= 3 and rng.random() < 0.35:
            spouse_sex = Sex.MALE if head.sex == Sex.FEMALE else Sex.FEMALE
            spouse = self._new_client(
                batch, max(19, head_age + rng.randrange(-4, 7)), spouse_sex, head.last_name, spanish
            )
            people.append((spouse, RelationshipToHead.SPOUSE, UnitRole.MEMBER))
        while len(people) < size:
            child_age = rng.randrange(0, max(1, min(18, head_age - 16)))
            child = self._new_client(batch, child_age, rng.choice(SEXES), head.last_name, spanish)
            people.append((child, RelationshipToHead.CHILD, UnitRole.MEMBER))
        return people

    # -- money -------------------------------------------------------------------------------

    def _incomes(
        self, kind: str, person: _Person, relationship: RelationshipToHead
    ) -> list[tuple[IncomeType, Decimal, Frequency]]:
        rng = self.rng
        out: list[tuple[IncomeType, Decimal, Frequency]] = []
        if person.age < 18:
            if kind == "family" and rng.random() < 0.05:
                out.append((IncomeType.SOCIAL_SECURITY, self._money(300, 900), Frequency.MONTHLY))
            return out
        if person.age >= 65 or person.disabled:
            if rng.random() < 0.78:
                out.append((IncomeType.SOCIAL_SECURITY, self._money(700, 2300), Frequency.MONTHLY))
            if rng.random() < 0.33:
                out.append((IncomeType.SSI, self._money(100, 943), Frequency.MONTHLY))
            return out
        roll = rng.random()
        working = 0.55 if kind == "family" else 0.40
        if roll < working:
            out.append((IncomeType.WAGES, self._money(600, 3400), rng.choice(WAGE_FREQUENCIES)))
        elif roll < working + 0.06:
            out.append((IncomeType.SELF_EMPLOYMENT, self._money(300, 2200), Frequency.MONTHLY))
        elif roll < working + 0.14:
            out.append((IncomeType.UNEMPLOYMENT, self._money(600, 2400), Frequency.WEEKLY))
        if kind == "family" and relationship == RelationshipToHead.SELF and rng.random() < 0.25:
            out.append((IncomeType.CHILD_SUPPORT_RECEIVED, self._money(100, 700), Frequency.MONTHLY))
        return out

    # -- one case ----------------------------------------------------------------------------

    def _case(self, batch: Batch) -> None:
        rng = self.rng
        stamp = self._stamp()
        kind = rng.choices(self.kinds, cum_weights=self.kind_weights)[0]
        people = self._household(batch, kind)
        town = rng.choices(self.towns, cum_weights=self.town_weights)[0]
        office_workers: Sequence[str | None] = self.workers.get(town.office_code) or [None]
        worker = rng.choice(office_workers)
        status = rng.choices(self.statuses, cum_weights=self.status_weights)[0]
        if status == CaseStatus.ACTIVE:
            applied = self._days_ago(30, 6 * 365)
        elif status == CaseStatus.PENDING:
            applied = self._days_ago(0, 30)
        elif status == CaseStatus.CLOSED:
            applied = self._days_ago(400, 8 * 365)
        else:
            applied = self._days_ago(30, 400)
        opened = (
            applied + dt.timedelta(days=rng.randrange(5, 30))
            if status in (CaseStatus.ACTIVE, CaseStatus.CLOSED)
            else None
        )
        closed = self._days_ago(1, 380) if status == CaseStatus.CLOSED else None
        if closed is not None and opened is not None and closed <= opened:
            closed = opened + dt.timedelta(days=31)
        case_id = self.ids.take("case_root")
        batch.rows["case_root"].append(
            {
                "id": case_id,
                "case_number": case_number(case_id),
                "office_code": town.office_code,
                "worker_id": worker,
                "status": status,
                "street": f"{rng.randrange(1, 2400)} {rng.choice(self.streets)}"
                + (f" Apt {rng.randrange(1, 40)}" if rng.random() < 0.45 else ""),
                "town_code": town.code,
                "zip": town.zip,
                "phone": f"{rng.choice(AREA_CODES)}{rng.randrange(2000000, 9999999)}" if rng.random() < 0.85 else "",
                "application_date": applied,
                "opened_date": opened,
                "closed_date": closed,
                # the case root was last written when the household applied: the nightly
                # redetermines a seeded case for a change only when one is made after the seed
                **stamp,
                "created_at": dt.datetime.combine(applied, dt.time(8)),
                "updated_at": dt.datetime.combine(applied, dt.time(8)),
            }
        )
        first_member = len(batch.rows["member"])
        self._members(batch, case_id, kind, people, applied, status)
        first_program = len(batch.rows["program"])
        cert_ends = self._programs(batch, case_id, kind, status, applied, closed)
        if any(row["payment_method"] == PaymentMethod.DIRECT_DEPOSIT for row in batch.rows["program"][first_program:]):
            head = next(person for person, _, role in people if role == UnitRole.HEAD)
            self._bank_account(batch, head.client_id, applied)
        self._managed_care(batch, batch.rows["member"][first_member:], batch.rows["program"][first_program:])
        if status == CaseStatus.ACTIVE:
            self._alerts(batch, case_id, worker, cert_ends)
        if rng.random() < 0.25:
            batch.rows["narrative"].append(
                {
                    "id": self.ids.take("narrative"),
                    "case_id": case_id,
                    "seq": 1,
                    "entry_date": applied,
                    "worker_id": worker or SEED_ACTOR,
                    "text": rng.choice(NARRATIVES),
                    **stamp,
                }
            )

    def _members(
        self,
        batch: Batch,
        case_id: int,
        kind: str,
        people: list[tuple[_Person, RelationshipToHead, UnitRole]],
        applied: dt.date,
        status: CaseStatus,
    ) -> None:
        rng = self.rng
        stamp = self._stamp()
        for seq, (person, relationship, role) in enumerate(people, start=1):
            member_id = self.ids.take("member")
            batch.rows["member"].append(
                {
                    "id": member_id,
                    "case_id": case_id,
                    "seq": seq,
                    "client_id": person.client_id,
                    "relationship_code": relationship,
                    "role": role,
                    "pregnant": person.sex == Sex.FEMALE and 18 <= person.age <= 40 and rng.random() < 0.04,
                    "student": 16 <= person.age <= 24 and rng.random() < 0.3,
                    "start_date": applied,
                    "end_date": None,
                    **stamp,
                }
            )
            verification_seq = 0

            def verify(item: VerificationItem, pending: bool) -> None:
                nonlocal verification_seq
                verification_seq += 1
                requested = applied + dt.timedelta(days=1)
                batch.rows["verification"].append(
                    {
                        "id": self.ids.take("verification"),
                        "member_id": member_id,  # noqa: B023  (called in the loop)
                        "seq": verification_seq,
                        "item": item,
                        "status": VerificationStatus.PENDING if pending else VerificationStatus.VERIFIED,
                        "requested_date": requested,
                        "due_date": requested + dt.timedelta(days=10),
                        "received_date": None if pending else requested + dt.timedelta(days=rng.randrange(1, 10)),
                        **stamp,
                    }
                )

            if relationship == RelationshipToHead.SELF:
                verify(VerificationItem.IDENTITY, False)
                verify(VerificationItem.RESIDENCE, status == CaseStatus.PENDING and rng.random() < 0.5)
            for seq_income, (income_type, amount, frequency) in enumerate(
                self._incomes(kind, person, relationship), start=1
            ):
                batch.rows["income"].append(
                    {
                        "id": self.ids.take("income"),
                        "member_id": member_id,
                        "seq": seq_income,
                        "income_type": income_type,
                        "monthly_amount": amount,
                        "frequency": frequency,
                        "source_name": ""
                        if income_type != IncomeType.WAGES
                        else names.ENGLISH_LAST.draw(rng).upper() + " INC",
                        "start_date": applied - dt.timedelta(days=rng.randrange(0, 700)),
                        "end_date": None,
                        "verified": VerificationStatus.VERIFIED if rng.random() < 0.9 else VerificationStatus.PENDING,
                        **stamp,
                    }
                )
                verify(VerificationItem.INCOME, status == CaseStatus.PENDING and rng.random() < 0.4)
            if role == UnitRole.HEAD or (relationship == RelationshipToHead.SPOUSE and rng.random() < 0.3):
                self._assets(batch, member_id, kind, person, applied)
            if relationship == RelationshipToHead.SELF:
                self._expenses(batch, member_id, kind, people, applied)

    def _assets(self, batch: Batch, member_id: int, kind: str, person: _Person, applied: dt.date) -> None:
        rng = self.rng
        stamp = self._stamp()
        seq = 0
        if person.age >= 18 and rng.random() < 0.52:
            seq += 1
            batch.rows["asset"].append(
                {
                    "id": self.ids.take("asset"),
                    "member_id": member_id,
                    "seq": seq,
                    "asset_type": AssetType.BANK_ACCOUNT,
                    "value": self._money(0, 3200),
                    "description": "CHECKING",
                    "start_date": applied,
                    "end_date": None,
                    **stamp,
                }
            )
        if person.age >= 18 and rng.random() < 0.36:
            seq += 1
            batch.rows["asset"].append(
                {
                    "id": self.ids.take("asset"),
                    "member_id": member_id,
                    "seq": seq,
                    "asset_type": AssetType.VEHICLE,
                    "value": self._money(800, 14000),
                    "description": (
                        f"{rng.randrange(2005, self.today.year)}"
                        f" {rng.choice(('TOYOTA', 'HONDA', 'FORD', 'NISSAN', 'CHEVROLET', 'HYUNDAI'))}"
                    ),
                    "start_date": applied,
                    "end_date": None,
                    **stamp,
                }
            )
        if kind in ("elderly", "couple65") and rng.random() < 0.05:
            seq += 1
            batch.rows["asset"].append(
                {
                    "id": self.ids.take("asset"),
                    "member_id": member_id,
                    "seq": seq,
                    "asset_type": AssetType.OTHER,
                    "value": self._money(500, 8000),
                    "description": "LIFE INSURANCE CSV",
                    "start_date": applied,
                    "end_date": None,
                    **stamp,
                }
            )

    def _expenses(
        self,
        batch: Batch,
        member_id: int,
        kind: str,
        people: list[tuple[_Person, RelationshipToHead, UnitRole]],
        applied: dt.date,
    ) -> None:
        rng = self.rng
        stamp = self._stamp()
        items: list[tuple[ExpenseType, Decimal]] = []
        roll = rng.random()
        if roll < 0.74:
            items.append((ExpenseType.RENT, self._money(550, 1900)))
        elif roll < 0.83:
            items.append((ExpenseType.MORTGAGE, self._money(700, 2300)))
            items.append((ExpenseType.PROPERTY_TAX_INSURANCE, self._money(150, 650)))
        utility = rng.random()
        if utility < 0.55:
            items.append((ExpenseType.HEATING, self._money(90, 320)))
        elif utility < 0.80:
            items.append((ExpenseType.LIMITED_UTILITIES, self._money(40, 140)))
        elif utility < 0.90:
            items.append((ExpenseType.TELEPHONE, self._money(30, 80)))
        if kind == "family" and any(p.age < 13 for p, _, _ in people) and rng.random() < 0.15:
            items.append((ExpenseType.DEPENDENT_CARE, self._money(150, 900)))
        if kind == "single" and rng.random() < 0.04:
            items.append((ExpenseType.CHILD_SUPPORT_PAID, self._money(100, 600)))
        if kind in ("elderly", "disabled", "couple65") and rng.random() < 0.40:
            items.append((ExpenseType.MEDICAL, self._money(20, 320)))
        for seq, (expense_type, amount) in enumerate(items, start=1):
            batch.rows["expense"].append(
                {
                    "id": self.ids.take("expense"),
                    "member_id": member_id,
                    "seq": seq,
                    "expense_type": expense_type,
                    "monthly_amount": amount,
                    "start_date": applied,
                    "end_date": None,
                    **stamp,
                }
            )

    def _programs(
        self, batch: Batch, case_id: int, kind: str, status: CaseStatus, applied: dt.date, closed: dt.date | None
    ) -> list[dt.date]:
        rng = self.rng
        stamp = self._stamp()
        chosen = [(p, group) for p, chance, group in PROGRAMS_BY_KIND[kind] if rng.random() < chance]
        if not chosen:
            program, _, group = PROGRAMS_BY_KIND[kind][0]
            chosen = [(program, group)]
        cert_ends = []
        for seq, (program, group) in enumerate(chosen, start=1):
            months = CERT_MONTHS[program]
            program_status = ProgramStatus(status)
            if status == CaseStatus.ACTIVE and rng.random() < 0.05 and len(chosen) > 1:
                program_status = ProgramStatus.CLOSED
            reason = None
            cert_start = cert_end = None
            if program_status == ProgramStatus.ACTIVE:
                cert_start, cert_end = certification(applied, months, self.today)
                status_date = cert_start
                cert_ends.append(cert_end)
            elif program_status == ProgramStatus.CLOSED:
                status_date = closed or min(self.today, max(self._days_ago(1, 200), applied + dt.timedelta(days=31)))
                reason = rng.choice(CLOSE_REASONS)
                cert_start, cert_end = certification(applied, months, status_date - dt.timedelta(days=1))
            elif program_status == ProgramStatus.DENIED:
                status_date = applied + dt.timedelta(days=rng.randrange(10, 30))
                reason = rng.choice(DENY_REASONS)
            else:
                status_date = applied
            if program in CASH:
                method: PaymentMethod | None = rng.choices(PAYMENT_METHODS, cum_weights=(0.70, 0.95, 1.0))[0]
            elif program == "SNAP":
                method = PaymentMethod.EBT
            else:
                method = None
            batch.rows["program"].append(
                {
                    "id": self.ids.take("program"),
                    "case_id": case_id,
                    "seq": seq,
                    "program_code": program,
                    "coverage_group": group,
                    "status": program_status,
                    "status_date": status_date,
                    "status_reason": reason,
                    "application_date": applied,
                    "cert_start": cert_start,
                    "cert_end": cert_end,
                    "payment_method": method,
                    **stamp,
                }
            )
        return cert_ends

    def _managed_care(self, batch: Batch, members: list[dict[str, Any]], programs: list[dict[str, Any]]) -> None:
        """The managed care plan of a HUSKY A, B or D household whose choice period (30 days,
        MC_CHOICE_DAYS) is over: drawn from the case id alone (the case's other draws are
        untouched), one plan for the family, of the two that serve every region (ANTH, CHNC);
        chosen by the household two times in three, else assigned, from the end of the choice
        period. Households still choosing are left to the nightly's MCASSIGN."""
        ma = next((row for row in programs if row["program_code"] == "MA"), None)
        if ma is None or ma["coverage_group"] not in MANAGED_CARE_GROUPS or ma["status"] != ProgramStatus.ACTIVE:
            return
        case_id = ma["case_id"]
        start = (ma["cert_start"] or ma["application_date"]) + dt.timedelta(days=30)
        if start > self.today:
            return
        plan = MANAGED_CARE_PLANS[case_id % len(MANAGED_CARE_PLANS)]
        chosen = case_id % 3 != 0
        for member in members:
            if member["role"] == UnitRole.NOT_IN_UNIT or member["client_id"] in self.enrolled:
                continue
            self.enrolled.add(member["client_id"])
            batch.rows["managed_care_enrollment"].append(
                {
                    "id": self.ids.take("managed_care_enrollment"),
                    "client_id": member["client_id"],
                    "seq": 1,
                    "case_id": case_id,
                    "plan_code": plan,
                    "start_date": start if chosen else start + dt.timedelta(days=1),
                    "end_date": None,
                    "selection": PlanSelection.CLIENT_CHOICE if chosen else PlanSelection.AUTO_ASSIGNED,
                    "reason": "" if chosen else "No plan chosen in the choice period",
                    **self._stamp(),
                }
            )

    def _bank_account(self, batch: Batch, client_id: int, applied: dt.date) -> None:
        """The account a head paid by direct deposit gave at application: drawn from the client id
        alone (the case's other draws are untouched), a Connecticut (Boston district, 011/211)
        routing number with its ABA check digit, once per client."""
        if client_id in self.banked:
            return
        self.banked.add(client_id)
        batch.rows["bank_account"].append(
            {
                "id": self.ids.take("bank_account"),
                "client_id": client_id,
                "seq": 1,
                "routing_number": seed_routing_number(client_id),
                "account_number": f"{(client_id * 104729) % 10**10:010d}",
                "account_type": AccountType.SAVINGS if client_id % 5 == 0 else AccountType.CHECKING,
                "effective_from": applied,
                "effective_to": None,
                **self._stamp(),
            }
        )

    def _alerts(self, batch: Batch, case_id: int, worker: str | None, cert_ends: list[dt.date]) -> None:
        rng = self.rng
        seq = 0
        soonest = min(cert_ends) if cert_ends else None
        if soonest is not None and soonest <= self.today + dt.timedelta(days=45):
            seq += 1
            batch.rows["alert"].append(
                {
                    "id": self.ids.take("alert"),
                    "case_id": case_id,
                    "seq": seq,
                    "alert_type": AlertType.RENEWAL,
                    "worker_id": worker,
                    "due_date": soonest - dt.timedelta(days=15),
                    "text": f"RENEWAL DUE - CERT ENDS {soonest:%m/%d/%Y}",
                    "status": AlertStatus.OPEN,
                    "disposition": None,
                    "closed_date": None,
                    **self._stamp(),
                }
            )
        if rng.random() < 0.04:
            seq += 1
            batch.rows["alert"].append(
                {
                    "id": self.ids.take("alert"),
                    "case_id": case_id,
                    "seq": seq,
                    "alert_type": AlertType.INTERFACE_HIT,
                    "worker_id": worker,
                    "due_date": self.today + dt.timedelta(days=rng.randrange(1, 20)),
                    "text": "INTERFACE MATCH - WAGES REPORTED BY DOL",
                    "status": AlertStatus.OPEN,
                    "disposition": None,
                    "closed_date": None,
                    **self._stamp(),
                }
            )

    def batch(self, cases: int) -> Batch:
        """The rows of the next `cases` cases."""
        batch = Batch()
        for _ in range(cases):
            self._case(batch)
        return batch
