"""Case maintenance: changes to a case, each one database transaction with audit and EDBC.

Every change screen runs the same conversation (`change_screen`): the worker types the change
and an effective date; ENTER runs EDBC with the change for the months it affects and shows the
old and new amounts without saving; ENTER again with the same fields saves the change, the new
determinations, any scheduled adverse action and the notices. The case's version, taken when
it was displayed, must still be the case's version then, or the worker is told another user
changed it and shown the case afresh. A worker may change only cases of the offices in scope,
and is told so as soon as the case is chosen, before typing the change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from emsterm.model import (
    Asset,
    AuditAction,
    Case,
    Client,
    Expense,
    Frequency,
    Income,
    Member,
    Narrative,
    PendingChange,
    PendingChangeStatus,
    RelationshipToHead,
    RoleCode,
    Town,
    UnitRole,
    acting_as,
)
from emsterm.model.reference import in_force
from emsterm.screens.inquiry import CASE_STATUS
from emsterm.screens.kit.cases import find_case, member_name, with_case
from emsterm.screens.kit.conversation import Context, ListPage, Message, Reply, Request
from emsterm.screens.kit.fit import fit
from emsterm.screens.kit.forms import Form
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_of
from emsterm.screens.kit.scope import CHANGEABLE, in_scope, refuse_scope
from emsterm.services import audit
from emsterm.services.audit import as_dict
from emsterm.services.changes import (
    Effect,
    adverse_effective_date,
    affected_months,
    apply_effects,
    covered_members,
    effects_of,
    notice_days,
    preview,
    touch,
)
from emsterm.services.edbc import monthly_amount
from emsterm.services.parameters import admin_parameter

NOTE_LINES = ("note1", "note2", "note3")


@with_case
def narrative_entry(session: Session, request: Request, case: Case, catalog: Catalog) -> Reply:
    """EM46: add a case note (up to three lines); notes are appended, never changed."""
    context = request.context
    if not in_scope(context, case):
        return refuse_scope(session, context, case, "NARRATIV", catalog)
    if request.aid == "INIT":
        return Reply(context.with_case(case.case_number), values={"case_no": case.case_number}, cursor="note1")
    text = " ".join(line for line in (request.values.get(n, "").strip() for n in NOTE_LINES) if line)
    if not text:
        return Reply(
            context,
            values={"case_no": case.case_number},
            message=catalog.message("EMS020E", field="NOTE"),
            errors=("note1",),
        )
    seq = Narrative.next_seq(session, case.id)
    with acting_as(context.user_id):
        note = Narrative(
            case_id=case.id, seq=seq, entry_date=context.business_date, worker_id=context.user_id, text=text
        )
        session.add(note)
        session.flush()
        audit.record(
            session,
            AuditAction.INSERT,
            "NARRATIV",
            f"{case.case_number}:{seq}",
            after={"date": context.business_date.isoformat(), "text": text},
        )
    return Reply(
        context.with_case(case.case_number),
        values={"case_no": case.case_number},
        clear=NOTE_LINES,
        message=catalog.message("EMS053I", case=case.case_number),
        cursor="note1",
    )


# -- the change conversation ---------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A change read from a screen: when it takes effect and how to make it in the session.

    `make` writes the change (and its audit entries) to the session; it may run twice, once in
    a savepoint for the preview and once for real.
    """

    effective: dt.date
    make: Callable[[], None]


Reader = Callable[[Session, Form, Case], Change | None]
"""Reads a change screen's fields for a case: the change, or None with the form's errors set."""


def effect_rows(effects: list[Effect], business_date: dt.date, days: int, saved: bool = False) -> list[dict[str, str]]:
    """The old and new amounts as list rows, with when each takes effect."""
    adverse_from = adverse_effective_date(business_date, days)
    rows = []
    for effect in effects:
        if not effect.changed:
            when = "NO CHANGE"
        elif effect.adverse and effect.month < adverse_from:
            when = f"{adverse_from:%m/%d/%Y} AFTER NOTICE"
        else:
            when = "SAVED" if saved else "AT ONCE"
        old = "" if effect.old_eligible is None else ("Y" if effect.old_eligible else "N")
        if effect.old_groups is not None or effect.new.member_groups is not None:
            # decided person by person: how many are covered, not an amount
            before = len(covered_members(effect.old_groups)) if effect.old_eligible else 0
            after = len(covered_members(effect.new.member_groups)) if effect.new.eligible else 0
            old_shown, new_shown = f"{before:>2} COVERED", f"{after:>2} COVERED"
        else:
            old_shown, new_shown = f"{effect.old_amount:>10,.2f}", f"{effect.new_amount:>10,.2f}"
        rows.append(
            {
                "program": effect.program,
                "month": f"{effect.month:%m/%Y}",
                "old_el": old,
                "old": old_shown,
                "new_el": "Y" if effect.new.eligible else "N",
                "new": new_shown,
                "group": effect.new.group or "",
                "when": when,
            }
        )
    return rows


@dataclass(frozen=True)
class Listing:
    """What a change screen lists of the case above the change fields (paged with PF7/PF8)."""

    query: Callable[[Request, Case], Select[*tuple[Any, ...]]]
    row: Callable[[Any], dict[str, str]]
    size: int


def change_screen(
    session: Session,
    request: Request,
    *,
    read: Reader,
    fields: tuple[str, ...],
    segment: str,
    listing: Listing | None = None,
    values: Callable[[Session, Request, Case], dict[str, str]] | None = None,
) -> Reply:
    """The conversation every change screen shares (see the module docstring).

    `fields` are the screen's change fields (compared between preview and confirm, cleared after
    saving); `listing` is what the screen lists of the case, `values` what else it shows.
    """
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    case, refusal = find_case(session, request, catalog)
    if refusal is not None:
        return refusal
    assert case is not None
    if not in_scope(context, case):
        # said when the case is chosen, before the worker types a change that cannot be saved
        return refuse_scope(session, context, case, segment, catalog)
    state = dict(request.state)
    typed = {name: request.values.get(name, "").strip().upper() for name in fields}

    def display(
        message: Message | None,
        *,
        effects: list[dict[str, str]] | None = None,
        pending: dict[str, str] | None = None,
        cursor: str = fields[0],
        errors: tuple[str, ...] = (),
        clear: tuple[str, ...] = (),
    ) -> Reply:
        shown = {
            "case_no": case.case_number,
            "head_name": member_name(session, case),
            **(values(session, request, case) if values else {}),
        }
        lists = {"effects": ListPage(effects or [], 1, len(effects or []))}
        first = state.get("first", 1)
        if listing is not None:
            lists["items"], paged = page_of(
                session,
                request,
                listing.query(request, case),
                first,
                request.page_sizes.get("items", listing.size),
                listing.row,
                catalog,
            )
            first, message = lists["items"].first, message or paged
        return Reply(
            context.with_case(case.case_number),
            values=shown,
            lists=lists,
            message=message,
            state={"case": case.case_number, "version": case.version, "first": first, "pending": pending},
            cursor=cursor,
            errors=errors,
            clear=clear,
        )

    if request.aid == "INIT" or state.get("case") != case.case_number:
        state = {}
        return display(catalog.message("EMS065I", case=case.case_number))
    if request.aid in ("UP", "DOWN"):
        return display(None, pending=state.get("pending"))
    if case.status not in CHANGEABLE:
        status = CASE_STATUS.get(case.status, case.status)
        return Reply(
            context,
            values={"case_no": case.case_number},
            message=catalog.message("EMS034E", case=case.case_number, status=status),
            errors=("case_no",),
        )
    if state.get("version") != case.version:
        return display(catalog.message("EMS032E"), errors=("case_no",))
    form = Form(session, request, catalog)
    change = read(session, form, case)
    if change is None or not form.ok:
        refused = display(None)
        return form.refusal(refused.context, values=refused.values, state=refused.state)
    months = affected_months(context.business_date, change.effective)
    days = notice_days(session, context.business_date)

    def apply_change() -> None:
        change.make()
        touch(case)

    with acting_as(context.user_id):
        if state.get("pending") != typed:
            effects = preview(session, case, months, apply_change)
            return display(
                catalog.message("EMS060I"),
                effects=effect_rows(effects, context.business_date, days),
                pending=typed,
                cursor="case_no",
            )
        try:
            with session.begin_nested():
                effects = effects_of(session, case, months, apply_change)
                needs_approval(session, context, effects)
                outcome = apply_effects(session, case, effects, context.business_date)
        except StaleDataError:
            session.expire_all()
            return display(catalog.message("EMS032E"), errors=("case_no",))
        except AboveAuthority as held:
            pending = hold_for_approval(session, context, case, request.trancode, typed, held.increase)
            return display(
                catalog.message("EMS140W", item=pending.seq, increase=f"{held.increase:,.2f}"),
                effects=effect_rows(effects, context.business_date, days),
                clear=fields,
            )
    return display(
        catalog.message("EMS061I", stored=outcome.stored, scheduled=outcome.scheduled, notices=outcome.notices),
        effects=effect_rows(effects, context.business_date, days, saved=True),
        clear=fields,
    )


# -- changes above a worker's authority ----------------------------------------------------------


class AboveAuthority(Exception):
    """The change raises a benefit by more than a worker may alone (its savepoint rolls back)."""

    def __init__(self, increase: Decimal) -> None:
        super().__init__(f"increase {increase}")
        self.increase = increase


def needs_approval(session: Session, context: Context, effects: list[Effect]) -> None:
    """Raise AboveAuthority when a user without the supervisor role makes a change that raises
    a program's monthly benefit by more than APPROVAL_INCREASE_LIMIT in any month."""
    if RoleCode.SUPERVISOR in context.roles:
        return
    limit = Decimal(admin_parameter(session, "APPROVAL_INCREASE_LIMIT", context.business_date))
    increase = max((e.new_amount - e.old_amount for e in effects if e.new.eligible), default=Decimal("0"))
    if increase > limit:
        raise AboveAuthority(increase)


def hold_for_approval(
    session: Session, context: Context, case: Case, trancode: str, typed: dict[str, str], increase: Decimal
) -> PendingChange:
    """Store a change as pending a supervisor's approval (EM54), not applied; audited."""
    summary = " ".join(f"{name.upper()}={value}" for name, value in typed.items() if value)
    pending = PendingChange(
        case_id=case.id,
        seq=PendingChange.next_seq(session, case.id),
        trancode=trancode,
        fields=typed,
        summary=fit(summary, 60),
        increase=increase,
        requested_by=context.user_id,
        requested_on=context.business_date,
        status=PendingChangeStatus.PENDING,
    )
    session.add(pending)
    session.flush()
    audit.record(
        session,
        AuditAction.INSERT,
        "PENDCHG",
        f"{case.case_number}:{pending.seq}",
        after={
            "trancode": trancode,
            "fields": typed,
            "increase": str(increase),
        },
    )
    return pending


def _member(session: Session, form: Form, case: Case, name: str = "member") -> Member | None:
    number = form.number(name, "MEMBER")
    if number is None:
        return None
    member = session.scalars(
        select(Member).where(Member.case_id == case.id, Member.seq == number, Member.end_date.is_(None))
    ).first()
    if member is None:
        form.fail(name, "EMS063E", member=f"{number:02d}")
    return member


# -- income, asset and expense changes -----------------------------------------------------------

ACTIONS = {"A": "ADD", "C": "CHANGE", "E": "END"}


@dataclass(frozen=True)
class ItemKind:
    """One kind of member item a change screen maintains (income, asset or expense)."""

    name: str
    """INCOME, ASSET or EXPENSE: the segment name, and the word in messages."""
    model: Any
    code_table: str
    type_column: str
    amount_column: str
    amount_label: str


INCOME = ItemKind("INCOME", Income, "INCTYPE", "income_type", "monthly_amount", "AMOUNT")
ASSET = ItemKind("ASSET", Asset, "ASSETTYP", "asset_type", "value", "VALUE")
EXPENSE = ItemKind("EXPENSE", Expense, "EXPTYPE", "expense_type", "monthly_amount", "MONTHLY AMOUNT")
ITEM_FIELDS = ("action", "member", "item", "type", "freq", "amount", "effective", "detail")


def _item_columns(kind: ItemKind) -> list[str]:
    extra = {"INCOME": ["frequency", "source_name"], "ASSET": ["description"], "EXPENSE": ["description"]}[kind.name]
    return ["seq", kind.type_column, kind.amount_column, *extra, "start_date", "end_date"]


def _read_item(kind: ItemKind) -> Reader:
    def read(session: Session, form: Form, case: Case) -> Change | None:
        action = form.choice("action", "ACTION", ACTIONS)
        member = _member(session, form, case)
        item = None
        if action in ("C", "E"):
            number = form.number("item", f"{kind.name} NO")
            if member is not None and number is not None:
                item = session.scalars(
                    select(kind.model).where(
                        kind.model.member_id == member.id,
                        kind.model.seq == number,
                        kind.model.end_date.is_(None),
                    )
                ).first()
                if item is None:
                    form.fail("item", "EMS064E", kind=kind.name, item=f"{number:02d}", member=f"{member.seq:02d}")
        required = action in ("A", "C")
        code = form.code("type", "TYPE", kind.code_table, required=action == "A") if action != "E" else ""
        frequency = (
            form.code("freq", "FREQUENCY", "FREQ", required=action == "A") if kind is INCOME and action != "E" else ""
        )
        amount = form.money("amount", kind.amount_label, required=required) if action != "E" else None
        earliest = item.start_date + dt.timedelta(days=1) if item is not None else None
        effective = form.date("effective", "EFFECTIVE DATE", earliest=earliest)
        detail = form.text("detail", "DESCRIPTION")
        if not form.ok or member is None or effective is None:
            return None
        if kind is INCOME and amount is not None:
            amount = monthly_amount(
                session, amount, frequency or (item.frequency if item is not None else Frequency.MONTHLY), effective
            )

        def make() -> None:
            key = f"{case.case_number}:{member.seq:02d}"
            columns = _item_columns(kind)
            if item is not None:
                before = as_dict(item, columns)
                item.end_date = effective - dt.timedelta(days=1)
                session.flush()
                audit.record(
                    session,
                    AuditAction.REPLACE,
                    kind.name,
                    f"{key}:{item.seq}",
                    before=before,
                    after=as_dict(item, columns),
                )
            if action in ("A", "C"):
                values: dict[str, Any] = {
                    kind.type_column: code or getattr(item, kind.type_column),
                    kind.amount_column: amount if amount is not None else getattr(item, kind.amount_column),
                }
                if kind is INCOME:
                    values["frequency"] = frequency or (item.frequency if item is not None else Frequency.MONTHLY)
                    values["source_name"] = detail or (item.source_name if item is not None else "")
                else:
                    values["description"] = detail or (item.description if item is not None else "")
                new = kind.model(
                    member_id=member.id, seq=kind.model.next_seq(session, member.id), start_date=effective, **values
                )
                session.add(new)
                session.flush()
                audit.record(session, AuditAction.INSERT, kind.name, f"{key}:{new.seq}", after=as_dict(new, columns))

        return Change(effective, make)

    return read


def _items_listing(kind: ItemKind) -> Listing:
    def query(request: Request, case: Case) -> Select[*tuple[Any, ...]]:
        month_start = request.context.business_date.replace(day=1)
        return (
            select(kind.model, Member)
            .join(Member, Member.id == kind.model.member_id)
            .where(Member.case_id == case.id, or_(kind.model.end_date.is_(None), kind.model.end_date >= month_start))
            .order_by(Member.seq, kind.model.seq)
        )

    def row(result: Any) -> dict[str, str]:
        item, member = result
        detail = getattr(item, "source_name", None) or getattr(item, "description", None) or ""
        return {
            "member": f"{member.seq:02d}",
            "item": f"{item.seq:02d}",
            "type": getattr(item, kind.type_column),
            "freq": getattr(item, "frequency", ""),
            "amount": f"{getattr(item, kind.amount_column):>10,.2f}",
            "from": f"{item.start_date:%m/%d/%Y}",
            "to": f"{item.end_date:%m/%d/%Y}" if item.end_date else "",
            "detail": detail.upper(),
        }

    return Listing(query, row, 3)


def _item_screen(kind: ItemKind) -> Callable[[Session, Request], Reply]:
    read, listing = _read_item(kind), _items_listing(kind)
    fields = ITEM_FIELDS if kind is INCOME else tuple(f for f in ITEM_FIELDS if f != "freq")

    def transaction(session: Session, request: Request) -> Reply:
        return change_screen(session, request, read=read, fields=fields, segment=kind.name, listing=listing)

    return transaction


income_change = _item_screen(INCOME)
income_change.__doc__ = "EM43: add, change or end a member's income from a date; EDBC shows old and new amounts."
asset_change = _item_screen(ASSET)
asset_change.__doc__ = "EM44: add, change or end a member's asset from a date."
expense_change = _item_screen(EXPENSE)
expense_change.__doc__ = "EM45: add, change or end a shelter, utility, care, support or medical expense from a date."


# -- address change ------------------------------------------------------------------------------

ADDRESS_FIELDS = ("street", "town_name", "zip", "phone", "effective")


def _read_address(session: Session, form: Form, case: Case) -> Change | None:
    street = form.text("street", "STREET", required=True)
    town_name = form.text("town_name", "TOWN", required=True)
    town = None
    if town_name:
        town = session.scalars(in_force(Town, form.on).where(func.upper(Town.name) == town_name)).first()
        if town is None:
            form.fail("town_name", "EMS025E", field="TOWN", codes="ONE OF THE 169 CONNECTICUT TOWNS")
    zip_code = form.text("zip", "ZIP", required=True)
    if zip_code and not (len(zip_code) == 5 and zip_code.isdigit()):
        form.fail("zip", "EMS021E", field="ZIP")
    phone = form.text("phone", "PHONE")
    if phone and not (len(phone) == 10 and phone.isdigit()):
        form.fail("phone", "EMS021E", field="PHONE")
    effective = form.date("effective", "EFFECTIVE DATE", not_future=False)
    if not form.ok or town is None or effective is None:
        return None

    def make() -> None:
        columns = ["street", "town_code", "zip", "phone", "office_code"]
        before = as_dict(case, columns)
        case.street, case.town_code, case.zip, case.phone = street, town.code, zip_code, phone or case.phone
        session.flush()
        audit.record(
            session,
            AuditAction.REPLACE,
            "CASEROOT",
            case.case_number,
            before=before,
            after=as_dict(case, columns),
            detail=f"address effective {effective:%Y-%m-%d}",
        )

    return Change(effective, make)


def _address_values(session: Session, request: Request, case: Case) -> dict[str, str]:
    town = session.scalars(in_force(Town, request.context.business_date).where(Town.code == case.town_code)).first()
    return {
        "old_street": case.street.upper(),
        "old_town": (town.name if town else case.town_code).upper(),
        "old_zip": case.zip,
        "old_phone": case.phone,
    }


def address_change(session: Session, request: Request) -> Reply:
    """EM41: a new address (and phone) from a date; EDBC runs because standards vary by town."""
    return change_screen(
        session, request, read=_read_address, fields=ADDRESS_FIELDS, segment="CASEROOT", values=_address_values
    )


# -- household composition -----------------------------------------------------------------------

MEMBER_ACTIONS = {"A": "ADD", "E": "END"}
MEMBER_FIELDS = ("action", "member", "client_id", "rel", "effective")


def _read_member(session: Session, form: Form, case: Case) -> Change | None:
    action = form.choice("action", "ACTION", MEMBER_ACTIONS)
    member = client = None
    relationship = ""
    if action == "E":
        member = _member(session, form, case)
        if member is not None and member.relationship_code == RelationshipToHead.SELF:
            form.fail("member", "EMS066E", field="ANOTHER MEMBER", action="END (THE HEAD STAYS)")
    elif action == "A":
        number = form.text("client_id", "CLIENT ID", required=True)
        if number:
            client = session.scalars(select(Client).where(Client.client_number == number.zfill(9))).first()
            if client is None:
                form.fail("client_id", "EMS025E", field="CLIENT ID", codes="A REGISTERED CLIENT (REGISTER ON EM31)")
            elif session.scalars(
                select(Member).where(
                    Member.case_id == case.id, Member.client_id == client.id, Member.end_date.is_(None)
                )
            ).first():
                form.fail("client_id", "EMS066E", field="A CLIENT NOT ALREADY IN THE CASE", action="ADD")
        relationship = form.code("rel", "RELATIONSHIP", "RELATION")
    effective = form.date(
        "effective", "EFFECTIVE DATE", earliest=member.start_date + dt.timedelta(days=1) if member else None
    )
    if not form.ok or effective is None:
        return None

    def make() -> None:
        columns = ["seq", "client_id", "relationship_code", "role", "start_date", "end_date"]
        if member is not None:
            before = as_dict(member, columns)
            member.end_date = effective - dt.timedelta(days=1)
            session.flush()
            audit.record(
                session,
                AuditAction.REPLACE,
                "MEMBER",
                f"{case.case_number}:{member.seq:02d}",
                before=before,
                after=as_dict(member, columns),
            )
        else:
            assert client is not None
            new = Member(
                case_id=case.id,
                seq=Member.next_seq(session, case.id),
                client_id=client.id,
                relationship_code=relationship,
                role=UnitRole.MEMBER,
                start_date=effective,
            )
            session.add(new)
            session.flush()
            audit.record(
                session, AuditAction.INSERT, "MEMBER", f"{case.case_number}:{new.seq:02d}", after=as_dict(new, columns)
            )

    return Change(effective, make)


def _member_row(result: Any) -> dict[str, str]:
    member, client = result
    return {
        "member": f"{member.seq:02d}",
        "name": f"{client.last_name}, {client.first_name}".upper(),
        "client": client.client_number,
        "rel": member.relationship_code,
        "from": f"{member.start_date:%m/%d/%Y}",
        "to": f"{member.end_date:%m/%d/%Y}" if member.end_date else "",
    }


MEMBERS = Listing(
    lambda request, case: (
        select(Member, Client)
        .join(Client, Client.id == Member.client_id)
        .where(Member.case_id == case.id)
        .order_by(Member.seq)
    ),
    _member_row,
    5,
)


def member_change(session: Session, request: Request) -> Reply:
    """EM42: add a registered client to the household, or end a member, from a date."""
    return change_screen(session, request, read=_read_member, fields=MEMBER_FIELDS, segment="MEMBER", listing=MEMBERS)


@dataclass(frozen=True)
class ChangeScreen:
    """A change screen's reader and fields, by transaction code (approving a pending change
    replays it through them)."""

    read: Reader
    fields: tuple[str, ...]


CHANGE_SCREENS: dict[str, ChangeScreen] = {
    "EM41": ChangeScreen(_read_address, ADDRESS_FIELDS),
    "EM42": ChangeScreen(_read_member, MEMBER_FIELDS),
    "EM43": ChangeScreen(_read_item(INCOME), ITEM_FIELDS),
    "EM44": ChangeScreen(_read_item(ASSET), tuple(f for f in ITEM_FIELDS if f != "freq")),
    "EM45": ChangeScreen(_read_item(EXPENSE), tuple(f for f in ITEM_FIELDS if f != "freq")),
}
