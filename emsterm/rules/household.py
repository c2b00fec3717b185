"""The household a determination is about, and reading it from JSON with exact checks.

Money is read from strings or integers into `Decimal` (never floats); every error names the
field by its path (`members[0].income[1].monthly`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from emsterm.rules.programs import CODES

INCOME_TYPES = (
    "wages",
    "self_employment",
    "social_security",
    "ssi",
    "unemployment",
    "child_support_received",
    "tfa",
    "other_unearned",
)
EARNED_TYPES = ("wages", "self_employment")
ASSET_TYPES = ("bank", "cash", "vehicle", "property", "other")
UTILITIES = ("heating", "limited", "telephone", "none")
RELATIONSHIPS = ("self", "spouse", "child", "parent", "sibling", "other_relative", "unrelated")
PROGRAMS = CODES
"""The program codes a household may ask for (the registry's)."""


class HouseholdError(ValueError):
    """The household description is wrong; the message names the field."""


@dataclass(frozen=True)
class Income:
    """A monthly income of one type."""

    type: str
    monthly: Decimal

    @property
    def earned(self) -> bool:
        """Wages and self-employment are earned; everything else is unearned."""
        return self.type in EARNED_TYPES


@dataclass(frozen=True)
class Asset:
    """A countable resource and its value."""

    type: str
    value: Decimal


@dataclass(frozen=True)
class Person:
    """A member of the household."""

    id: str
    age: int
    relationship: str = "self"
    disabled: bool = False
    blind: bool = False
    pregnant: bool = False
    citizen: bool = True
    student: bool = False
    refugee: bool = False
    months_in_us: int | None = None
    tfa_family_cap: bool = False
    """Born to the family more than ten months after it began receiving TFA (the family cap)."""
    income: tuple[Income, ...] = ()
    assets: tuple[Asset, ...] = ()
    medical_expenses_monthly: Decimal = Decimal(0)

    earned: Decimal = field(init=False, repr=False)
    """Monthly earned income."""
    unearned: Decimal = field(init=False, repr=False)
    """Monthly unearned income."""
    resources: Decimal = field(init=False, repr=False)
    """Value of countable assets."""

    def __post_init__(self) -> None:
        zero = Decimal(0)
        object.__setattr__(self, "earned", sum((i.monthly for i in self.income if i.earned), zero))
        object.__setattr__(self, "unearned", sum((i.monthly for i in self.income if not i.earned), zero))
        object.__setattr__(self, "resources", sum((a.value for a in self.assets), zero))

    @property
    def elderly(self) -> bool:
        """60 or older (SNAP's elderly)."""
        return self.age >= 60

    def income_of(self, *types: str) -> Decimal:
        """Monthly income of the given types."""
        return sum((i.monthly for i in self.income if i.type in types), Decimal(0))


@dataclass(frozen=True)
class Shelter:
    """Shelter costs and the utility arrangement."""

    rent_or_mortgage: Decimal = Decimal(0)
    property_tax_insurance: Decimal = Decimal(0)
    utilities: str = "none"
    homeless: bool = False
    housing_subsidy: bool = False
    """The household lives in public or subsidized housing (TFA pays a share of its standard)."""


@dataclass(frozen=True)
class Household:
    """Everything a determination needs to know, for one benefit month."""

    benefit_month: dt.date
    members: tuple[Person, ...]
    application_date: dt.date | None = None
    town: str = ""
    shelter: Shelter = field(default_factory=Shelter)
    dependent_care_monthly: Decimal = Decimal(0)
    child_support_paid_monthly: Decimal = Decimal(0)
    programs: tuple[str, ...] = PROGRAMS
    tfa_months_used: int = 0
    applications: tuple[tuple[str, dt.date], ...] = ()
    """The programs applied for during the benefit month, each with its application date (from
    a case's program records). When given, they replace `application_date`, which then applies
    to every program (a household typed in for `ems calc`)."""
    receiving: tuple[str, ...] = ()
    """The programs whose eligibility is established: approved and open on the case (a case's
    active programs). A program applied for in the month that is already received is decided
    as a recipient's: TFA's applicant income test is only for establishing eligibility (UPM
    8560.10 C.1.d)."""
    earned: Decimal = field(init=False, repr=False)
    """Monthly earned income of everyone."""
    unearned: Decimal = field(init=False, repr=False)
    """Monthly unearned income of everyone."""
    resources: Decimal = field(init=False, repr=False)
    """Countable assets of everyone."""

    def __post_init__(self) -> None:
        zero = Decimal(0)
        object.__setattr__(self, "earned", sum((m.earned for m in self.members), zero))
        object.__setattr__(self, "unearned", sum((m.unearned for m in self.members), zero))
        object.__setattr__(self, "resources", sum((m.resources for m in self.members), zero))

    def application_for(self, *programs: str) -> dt.date | None:
        """The date the household applied for one of these programs in the benefit month (the
        earliest), or None when it is not applying for them this month."""
        if not self.applications:
            return self.application_date
        dates = [applied for program, applied in self.applications if program in programs]
        return min(dates) if dates else None

    @property
    def size(self) -> int:
        """Number of people."""
        return len(self.members)

    @property
    def head(self) -> Person | None:
        """The member whose relationship is `self`, if there is one."""
        return next((m for m in self.members if m.relationship == "self"), None)


# -- reading JSON -------------------------------------------------------------------------------

MOST_MONEY = Decimal("9999999.99")
"""The largest amount a household file may give (the widest money column)."""

MOST_MEMBERS = 30
"""The most members a household file may list."""


def _money(value: Any, path: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise HouseholdError(f'{path}: must be an amount of money as a string such as "12.50"')
    text = str(value).strip()
    if len(text) > 20:
        raise HouseholdError(f"{path}: an amount of {len(text):,} characters is not an amount of money")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise HouseholdError(f"{path}: {text!r} is not an amount of money") from None
    if not amount.is_finite():
        raise HouseholdError(f"{path}: {text!r} is not an amount of money")
    if amount < 0:
        raise HouseholdError(f"{path}: {value!r} must not be negative")
    if amount > MOST_MONEY:
        raise HouseholdError(f"{path}: {text!r} is more than {MOST_MONEY:,}")
    if amount != amount.quantize(Decimal("0.01")):
        raise HouseholdError(f"{path}: {value!r} has fractions of a cent")
    return amount.quantize(Decimal("0.01"))


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise HouseholdError(f"{path}: must be true or false")
    return value


def _int(value: Any, path: str, low: int = 0, high: int = 130) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise HouseholdError(f"{path}: must be a whole number")
    if not low <= value <= high:
        raise HouseholdError(f"{path}: {value} is not between {low} and {high}")
    return value


def _choice(value: Any, path: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise HouseholdError(f"{path}: {value!r} is not one of {', '.join(choices)}")
    return str(value)


def _object(value: Any, path: str, allowed: set[str], required: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise HouseholdError(f"{path or 'household'}: must be an object")
    prefix = f"{path}." if path else ""
    for key in value:
        if key not in allowed:
            raise HouseholdError(f"{prefix}{key}: unknown field")
    for key in sorted(required - set(value)):
        raise HouseholdError(f"{prefix}{key}: missing")
    return value


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise HouseholdError(f"{path}: must be a list")
    return value


def _month(value: Any, path: str) -> dt.date:
    if not isinstance(value, str):
        raise HouseholdError(f'{path}: must be a month such as "2025-03"')
    try:
        year, month = value.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        return dt.date(int(year), int(month), 1)
    except ValueError:
        raise HouseholdError(f"{path}: {value!r} is not a month in YYYY-MM form") from None


def _date(value: Any, path: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise HouseholdError(f"{path}: {value!r} is not a date in YYYY-MM-DD form")


_MEMBER_FIELDS = {
    "id",
    "age",
    "relationship",
    "disabled",
    "blind",
    "pregnant",
    "citizen",
    "student",
    "refugee",
    "months_in_us",
    "tfa_family_cap",
    "income",
    "assets",
    "medical_expenses_monthly",
}


def _person(raw: Any, path: str) -> Person:
    data = _object(raw, path, _MEMBER_FIELDS, {"id", "age"})
    income = tuple(
        Income(
            _choice(
                _object(item, f"{path}.income[{n}]", {"type", "monthly"}, {"type", "monthly"})["type"],
                f"{path}.income[{n}].type",
                INCOME_TYPES,
            ),
            _money(item["monthly"], f"{path}.income[{n}].monthly"),
        )
        for n, item in enumerate(_list(data.get("income", []), f"{path}.income"))
    )
    assets = tuple(
        Asset(
            _choice(
                _object(item, f"{path}.assets[{n}]", {"type", "value"}, {"type", "value"})["type"],
                f"{path}.assets[{n}].type",
                ASSET_TYPES,
            ),
            _money(item["value"], f"{path}.assets[{n}].value"),
        )
        for n, item in enumerate(_list(data.get("assets", []), f"{path}.assets"))
    )
    if not isinstance(data["id"], str) or not data["id"]:
        raise HouseholdError(f"{path}.id: must be a non-empty string")
    months = data.get("months_in_us")
    return Person(
        id=data["id"],
        age=_int(data["age"], f"{path}.age"),
        relationship=_choice(data.get("relationship", "self"), f"{path}.relationship", RELATIONSHIPS),
        disabled=_bool(data.get("disabled", False), f"{path}.disabled"),
        blind=_bool(data.get("blind", False), f"{path}.blind"),
        pregnant=_bool(data.get("pregnant", False), f"{path}.pregnant"),
        citizen=_bool(data.get("citizen", True), f"{path}.citizen"),
        student=_bool(data.get("student", False), f"{path}.student"),
        refugee=_bool(data.get("refugee", False), f"{path}.refugee"),
        months_in_us=None if months is None else _int(months, f"{path}.months_in_us", 0, 1200),
        tfa_family_cap=_bool(data.get("tfa_family_cap", False), f"{path}.tfa_family_cap"),
        income=income,
        assets=assets,
        medical_expenses_monthly=_money(data.get("medical_expenses_monthly", "0"), f"{path}.medical_expenses_monthly"),
    )


_HOUSEHOLD_FIELDS = {
    "benefit_month",
    "application_date",
    "town",
    "members",
    "shelter",
    "dependent_care_monthly",
    "child_support_paid_monthly",
    "programs",
    "tfa_months_used",
}


def household_from_json(raw: Any) -> Household:
    """Build a Household from parsed JSON, or raise HouseholdError naming the bad field."""
    data = _object(raw, "", _HOUSEHOLD_FIELDS, {"benefit_month", "members"})
    members = tuple(_person(m, f"members[{n}]") for n, m in enumerate(_list(data["members"], "members")))
    if not members:
        raise HouseholdError("members: at least one member is required")
    if len(members) > MOST_MEMBERS:
        raise HouseholdError(f"members: at most {MOST_MEMBERS} members, not {len(members)}")
    heads = sum(m.relationship == "self" for m in members)
    if heads != 1:
        raise HouseholdError(f'members: exactly one member has relationship "self", not {heads}')
    ids = [m.id for m in members]
    if len(set(ids)) != len(ids):
        raise HouseholdError("members: member ids must be unique")
    shelter_raw = _object(
        data.get("shelter", {}),
        "shelter",
        {"rent_or_mortgage", "property_tax_insurance", "utilities", "homeless", "housing_subsidy"},
        set(),
    )
    shelter = Shelter(
        rent_or_mortgage=_money(shelter_raw.get("rent_or_mortgage", "0"), "shelter.rent_or_mortgage"),
        property_tax_insurance=_money(shelter_raw.get("property_tax_insurance", "0"), "shelter.property_tax_insurance"),
        utilities=_choice(shelter_raw.get("utilities", "none"), "shelter.utilities", UTILITIES),
        homeless=_bool(shelter_raw.get("homeless", False), "shelter.homeless"),
        housing_subsidy=_bool(shelter_raw.get("housing_subsidy", False), "shelter.housing_subsidy"),
    )
    programs = tuple(
        _choice(p, f"programs[{n}]", PROGRAMS)
        for n, p in enumerate(_list(data.get("programs", list(PROGRAMS)), "programs"))
    )
    month = _month(data["benefit_month"], "benefit_month")
    application = _date(data.get("application_date"), "application_date")
    if application is not None and (application.year, application.month) != (month.year, month.month):
        raise HouseholdError(f"application_date: {application} is not in the benefit month {month:%Y-%m}")
    town = data.get("town", "")
    if not isinstance(town, str):
        raise HouseholdError("town: must be a string")
    return Household(
        benefit_month=month,
        members=members,
        application_date=application,
        town=town,
        shelter=shelter,
        dependent_care_monthly=_money(data.get("dependent_care_monthly", "0"), "dependent_care_monthly"),
        child_support_paid_monthly=_money(data.get("child_support_paid_monthly", "0"), "child_support_paid_monthly"),
        programs=programs or PROGRAMS,
        tfa_months_used=_int(data.get("tfa_months_used", 0), "tfa_months_used", 0, 600),
    )
