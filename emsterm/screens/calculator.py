"""The benefit calculator on screen: a household typed in (EM51), every program decided (EM5R).

The screen builds the same household description `ems calc` reads (`household_from_json`) and
decides it with the same function (`run_edbc`), so the calculator, the command and EDBC on a
case agree to the cent. Codes are the case record's (relationship HH, income WAGE, asset BANK,
utilities H L T N) mapped as EDBC maps a case's; an income paid weekly or twice a month becomes
a monthly amount by the INCOME_CONVERSION parameter, as on the income change screen (EM43).
Nothing is stored: the household travels to the results screen and back in the COMMAREA.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from emsterm.model.codes import UtilityArrangement
from emsterm.rules.determination import Determination
from emsterm.rules.engine import ProgramNotAvailable
from emsterm.rules.household import PROGRAMS, HouseholdError, household_from_json
from emsterm.rules.parameters import ParameterMissing
from emsterm.screens.eligibility import LABEL_WIDTH, budget_rows
from emsterm.screens.kit.conversation import ListPage, Reply, Request
from emsterm.screens.kit.forms import Form, parse_month
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import turn_page
from emsterm.services.edbc import ASSET_TYPES, INCOME_TYPES, RELATIONSHIPS, monthly_amount, run_edbc

MEMBERS, INCOMES, ASSETS = 6, 6, 3
UTILITIES: dict[str, str] = {
    UtilityArrangement.HEATING: "heating",
    UtilityArrangement.LIMITED: "limited",
    UtilityArrangement.TELEPHONE: "telephone",
    UtilityArrangement.NONE: "none",
}
"""The utilities EM51 asks for, in the rules' words."""
YES = {"Y": "YES"}
YES_NO = {"Y": "YES", "N": "NO"}
FLAGS = (("dis", "disabled"), ("blind", "blind"), ("preg", "pregnant"), ("stu", "student"))
MEMBER_FIELDS = ("rel", "age", "dis", "blind", "preg", "cit", "stu", "med")


def _typed(form: Form, *names: str) -> bool:
    return any(form.values.get(name) for name in names)


def _money(amount: Decimal | None) -> str:
    return f"{amount or Decimal('0'):.2f}"


def read_household(session: Session, form: Form) -> dict[str, Any] | None:
    """The household typed on EM51 in `ems calc`'s JSON form, or None with the form's errors set."""
    month = parse_month(form.values.get("month", ""))
    if month is None:
        form.fail("month", "EMS027E" if form.values.get("month") else "EMS020E", field="BENEFIT MONTH")
    applied = form.date("applied", "APPLIED ON", required=False)
    programs = form.values.get("programs", "").upper().split()
    for program in programs:
        if program not in PROGRAMS:
            form.fail("programs", "EMS025E", field="PROGRAMS", codes=" ".join(PROGRAMS))
            break
    members: dict[int, dict[str, Any]] = {}
    for n in range(1, MEMBERS + 1):
        names = [f"m{n}_{key}" for key in MEMBER_FIELDS]
        if not _typed(form, *names):
            continue
        label = f"MEMBER {n:02d}"
        relation = form.code(f"m{n}_rel", f"{label} REL", "RELATION")
        age = form.number(f"m{n}_age", f"{label} AGE")
        if age is not None and age > 130:
            form.fail(f"m{n}_age", "EMS021E", field=f"{label} AGE")
        flags = {
            name: form.choice(f"m{n}_{key}", f"{label} {key.upper()}", YES, required=False) == "Y"
            for key, name in FLAGS
        }
        citizen = form.choice(f"m{n}_cit", f"{label} CIT", YES_NO, required=False) != "N"
        medical = form.money(f"m{n}_med", f"{label} MEDICAL", required=False)
        members[n] = {
            "id": f"{n:02d}",
            "age": age or 0,
            "relationship": RELATIONSHIPS.get(relation, "other_relative"),
            **flags,
            "citizen": citizen,
            "income": [],
            "assets": [],
            "medical_expenses_monthly": _money(medical),
        }
    if not members:
        form.fail("m1_rel", "EMS020E", field="MEMBER 01 REL")

    def member_of(name: str, label: str) -> dict[str, Any] | None:
        number = form.number(name, label)
        if number is not None and number not in members:
            form.fail(name, "EMS124E", field=label, member=f"{number:02d}")
            return None
        return members.get(number) if number is not None else None

    on = month or form.on.replace(day=1)
    for n in range(1, INCOMES + 1):
        if not _typed(form, f"i{n}_mbr", f"i{n}_type", f"i{n}_freq", f"i{n}_amt"):
            continue
        owner = member_of(f"i{n}_mbr", f"INCOME {n} MEMBER")
        kind = form.code(f"i{n}_type", f"INCOME {n} TYPE", "INCTYPE")
        frequency = form.code(f"i{n}_freq", f"INCOME {n} FREQUENCY", "FREQ")
        amount = form.money(f"i{n}_amt", f"INCOME {n} AMOUNT")
        if owner is not None and kind and frequency and amount is not None:
            owner["income"].append(
                {"type": INCOME_TYPES[kind], "monthly": _money(monthly_amount(session, amount, frequency, on))}
            )
    for n in range(1, ASSETS + 1):
        if not _typed(form, f"a{n}_mbr", f"a{n}_type", f"a{n}_val"):
            continue
        owner = member_of(f"a{n}_mbr", f"ASSET {n} MEMBER")
        kind = form.code(f"a{n}_type", f"ASSET {n} TYPE", "ASSETTYP")
        value = form.money(f"a{n}_val", f"ASSET {n} VALUE")
        if owner is not None and kind and value is not None:
            owner["assets"].append({"type": ASSET_TYPES[kind], "value": _money(value)})
    shelter = {
        "rent_or_mortgage": _money(form.money("rent", "RENT OR MORTGAGE", required=False)),
        "property_tax_insurance": _money(form.money("tax", "TAXES, INSURANCE", required=False)),
        "utilities": UTILITIES.get(
            form.choice("util", "UTILITIES", UTILITIES, required=False) or UtilityArrangement.NONE, "none"
        ),
        "housing_subsidy": form.choice("subsid", "SUBSIDIZED HOUSING", YES, required=False) == "Y",
        "homeless": form.choice("homeless", "HOMELESS", YES, required=False) == "Y",
    }
    care = form.money("care", "DEPENDENT CARE", required=False)
    support = form.money("support", "SUPPORT PAID", required=False)
    used = form.number("tfa_months", "TFA MONTHS USED", required=False)
    if form.ok and members and sum(1 for m in members.values() if m["relationship"] == "self") != 1:
        form.fail(f"m{next(iter(members))}_rel", "EMS123E")
    if not form.ok or month is None:
        return None
    return {
        "benefit_month": f"{month:%Y-%m}",
        "application_date": applied.isoformat() if applied else None,
        "members": list(members.values()),
        "shelter": shelter,
        "dependent_care_monthly": _money(care),
        "child_support_paid_monthly": _money(support),
        "programs": list(dict.fromkeys(programs)) or list(PROGRAMS),
        "tfa_months_used": used or 0,
    }


def decide(session: Session, raw: dict[str, Any]) -> list[Determination]:
    """Decide a household in `ems calc`'s JSON form (the one way both use)."""
    return run_edbc(session, household_from_json(raw))


def calculator(session: Session, request: Request) -> Reply:
    """EM51: read the household; ENTER decides it and shows the results (EM5R), storing nothing."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    if request.aid == "INIT":
        handed = json.loads(context.handoff) if context.handoff else {}
        values = handed.get("values") if handed.get("screen") == "EM51" else None
        return Reply(context, values=values or {"month": f"{context.business_date:%m/%Y}"}, cursor="month")
    form = Form(session, request, catalog)
    raw = read_household(session, form)
    if raw is None:
        return form.refusal(context)
    try:
        results = decide(session, raw)
    except HouseholdError as err:
        return Reply(context, message=catalog.message("EMS104E", problem=str(err)), errors=("month",), cursor="month")
    except (ProgramNotAvailable, ParameterMissing) as err:
        return Reply(context, message=catalog.message("EMS104E", problem=str(err)), errors=("month",), cursor="month")
    typed = {name: value for name, value in request.values.items() if value.strip()}
    handoff = json.dumps({"screen": "EM51", "values": typed, "household": raw})
    message = catalog.message("EMS125I", count=len(results), month=f"{parse_month(form.values['month']):%m/%Y}")
    return Reply(replace(context, handoff=handoff), next_screen="EM5R", message=message)


def _result_cells(d: Determination, n: int) -> dict[str, str]:
    return {
        f"p{n}": d.program,
        f"el{n}": "Y" if d.eligible else "N",
        f"amt{n}": f"{d.amount:>10,.2f}",
        f"grp{n}": d.group or "",
        f"rs{n}": " ".join(d.reasons),
    }


def calculator_results(session: Session, request: Request) -> Reply:
    """EM5R: every program decided for the household handed over by EM51, and one budget."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    handed = json.loads(context.handoff) if context.handoff else {}
    if handed.get("screen") != "EM51":
        return Reply(context, next_screen="EM51")
    raw = handed["household"]
    results = decide(session, raw)
    by_program = {d.program: d for d in results}
    rows = []
    for index in range(0, len(results), 2):
        row = _result_cells(results[index], 1)
        if index + 1 < len(results):
            row.update(_result_cells(results[index + 1], 2))
        rows.append(row)
    state = dict(request.state)
    typed = request.values.get("program", "").strip().upper()
    message = None
    if request.aid == "ENTER" and typed and typed not in by_program:
        program = state.get("program", results[0].program)
        message = catalog.message("EMS025E", field="BUDGET OF", codes=" ".join(by_program))
        errors: tuple[str, ...] = ("program",)
    else:
        program, errors = (typed if request.aid == "ENTER" and typed else state.get("program", results[0].program)), ()
    chosen = by_program[program]
    size = request.page_sizes.get("lines", 8)
    first = state.get("first", 1) if state.get("program") == program else 1
    shown_rows = budget_rows(((b.label, b.shown, b.parameter) for b in chosen.budget), LABEL_WIDTH)
    first, paging = turn_page(request, first, size, len(shown_rows), catalog)
    lines = shown_rows[first - 1 : first - 1 + size]
    month = dt.date.fromisoformat(f"{raw['benefit_month']}-01")
    values = {
        "month": f"{month:%m/%Y}",
        "size": str(len(raw["members"])),
        "program": program,
        "result": "ELIGIBLE" if chosen.eligible else "NOT ELIGIBLE",
        "amount": f"{chosen.amount:,.2f}",
    }
    if message is None:
        message = paging or catalog.message("EMS126I", program=program, month=f"{month:%m/%Y}", count=len(results))
    return Reply(
        context,
        values=values,
        lists={"results": ListPage(rows, 1, len(rows)), "lines": ListPage(lines, first, len(shown_rows))},
        message=message,
        errors=errors,
        state={"program": program, "first": first},
        cursor="program",
    )
