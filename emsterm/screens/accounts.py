"""EM47: the head of household's bank accounts for direct deposit: the list (account numbers
masked for roles that do not need them whole), a new account, or E to end one."""

from __future__ import annotations

from sqlalchemy.orm import Session

from emsterm.model import AccountType, Case
from emsterm.model.base import acting_as
from emsterm.model.numbers import valid_account_number, valid_routing_number
from emsterm.screens.kit.cases import client_name, head_of, with_case
from emsterm.screens.kit.conversation import ListPage, Reply, Request
from emsterm.screens.kit.forms import Form
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_items
from emsterm.screens.kit.scope import in_scope, refuse_scope
from emsterm.services import bank_accounts
from emsterm.services.bank_accounts import AccountRefused

NEW_FIELDS = ("routing", "account", "account_type", "start")
"""The fields of a new account."""
ACCOUNT_TYPES: dict[str, str] = {AccountType.CHECKING: "checking", AccountType.SAVINGS: "savings"}


@with_case
def direct_deposit_account(session: Session, request: Request, case: Case, catalog: Catalog) -> Reply:
    """EM47: list, add or end the head of household's direct-deposit accounts."""
    context = request.context
    head = head_of(session, case)
    shown = {"case_no": case.case_number, "head_name": client_name(head) if head else ""}
    if head is None:
        return Reply(context.with_case(case.case_number), values=shown, message=catalog.message("EMS198E"))
    form = Form(session, request, catalog)
    state = dict(request.state)
    if state.get("case") != case.case_number:
        state = {"case": case.case_number, "first": 1}
    rows = state.get("rows", [])
    chosen = [rows[i] for i in range(len(rows)) if form.values.get(f"accounts.sel.{i}", "").upper() == "E"]
    adding = any(form.values.get(name, "").strip() for name in NEW_FIELDS)
    message = None
    clear: tuple[str, ...] = ()
    if request.aid == "ENTER" and (chosen or adding):
        if not in_scope(context, case):
            return refuse_scope(session, context, case, bank_accounts.SEGMENT, catalog)
        if chosen:
            last_day = form.date("last_day", "LAST DAY")
            if form.ok and last_day is not None:
                account = next(a for a in bank_accounts.accounts_of(session, head) if a.seq == chosen[0])
                try:
                    with acting_as(context.user_id):
                        bank_accounts.end_account(session, head, account, last_day)
                except AccountRefused as refused:
                    form.fail("last_day", "EMS195E", reason=str(refused).upper())
                else:
                    message = catalog.message("EMS194I", seq=account.seq, date=f"{last_day:%m/%d/%Y}")
                    clear = ("last_day",)
        else:
            routing = form.text("routing", "ROUTING NUMBER", required=True)
            if routing and not valid_routing_number(routing):
                form.fail("routing", "EMS192E", routing=routing)
            number = form.text("account", "ACCOUNT NUMBER", required=True)
            if number and not valid_account_number(number):
                form.fail("account", "EMS197E", field="ACCOUNT NUMBER")
            kind = form.choice("account_type", "TYPE", ACCOUNT_TYPES)
            start = form.date("start", "FIRST DAY", earliest=context.business_date)
            if form.ok and start is not None:
                try:
                    with acting_as(context.user_id):
                        added = bank_accounts.open_account(session, head, routing, number, AccountType(kind), start)
                except AccountRefused as refused:
                    form.fail("start", "EMS195E", reason=str(refused).upper())
                else:
                    message = catalog.message("EMS193I", seq=added.seq, date=f"{start:%m/%d/%Y}")
                    clear = NEW_FIELDS
        if not form.ok:
            return form.refusal(context, values=shown, state=state)
    accounts = bank_accounts.accounts_of(session, head)
    whole = bank_accounts.shows_full_number(session, context.roles, context.business_date)
    page, first, paging = page_items(request, state, accounts, "accounts", catalog, size=6)
    state["rows"] = [a.seq for a in page]
    listed = [
        {
            "seq": f"{a.seq:>3}",
            "routing": a.routing_number,
            "account": a.account_number if whole else bank_accounts.masked(a.account_number),
            "type": ACCOUNT_TYPES[a.account_type].upper()[:4],
            "from": f"{a.effective_from:%m/%d/%Y}",
            "to": f"{a.effective_to:%m/%d/%Y}" if a.effective_to else "",
        }
        for a in page
    ]
    return Reply(
        context.with_case(case.case_number),
        values=shown,
        lists={"accounts": ListPage(listed, first, len(accounts))},
        message=message or paging or catalog.message("EMS196I", count=len(accounts)),
        clear=clear,
        state=state,
    )
