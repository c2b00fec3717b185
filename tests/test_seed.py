"""`ems seed`: a deterministic, plausible synthetic caseload."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import Engine, func, select

from emsterm.database.engine import make_engine, transaction
from emsterm.model import (
    AbsentParent,
    BatchStep,
    Case,
    Client,
    Eligibility,
    Issuance,
    Member,
    Notice,
    Program,
    Town,
    User,
    metadata,
)
from emsterm.reports.participation import participation
from emsterm.rules.determination import cents
from emsterm.screens.eligibility import eligibility_history
from emsterm.screens.inquiry import case_issuances
from emsterm.screens.kit.conversation import Context, Request
from emsterm.seed.history import history_window
from emsterm.seed.writer import seed_caseload
from emsterm.services.edbc import decide_months
from tests.conftest import BUSINESS_DATE, Ems, migrated

SEEDED = (
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
    "sec_user",
    "sec_user_role",
    "sec_user_office",
    "eligibility",
    "budget_line",
    "issuance",
    "notice",
    "audit_trail",
    "absent_parent",
    "support_case",
    "support_status",
    "support_party",
    "support_order",
    "support_paternity",
    "support_application",
)
LOAD_TIME = {"created_at", "updated_at"}


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order, as Python values.

    Rows the seed writes are dumped whole; the others (reference tables loaded by `db upgrade`)
    without the wall-clock time they were loaded at.
    """
    out = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            columns = [c for c in table.c if table.name in SEEDED or c.name not in LOAD_TIME]
            order = list(table.primary_key.columns)
            out[table.name] = [tuple(row) for row in connection.execute(select(*columns).order_by(*order))]
    return out


def test_same_arguments_give_identical_databases(tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = migrated(f"sqlite:///{tmp_path}/a.db")
    second = migrated(f"sqlite:///{tmp_path}/b.db")
    seed_caseload(first, 600, 7, BUSINESS_DATE)
    seed_caseload(second, 600, 7, BUSINESS_DATE)
    a, b = dump(first), dump(second)
    assert len(a["case_root"]) == 600
    assert a == b
    other = migrated(f"sqlite:///{tmp_path}/c.db")
    seed_caseload(other, 600, 8, BUSINESS_DATE)
    assert dump(other)["client"] != a["client"]


def test_sqlite_and_postgresql_get_the_same_data(tmp_path, postgres_url: str) -> None:  # type: ignore[no-untyped-def]
    lite = migrated(f"sqlite:///{tmp_path}/a.db")
    pg = migrated(postgres_url)
    seed_caseload(lite, 400, 3, BUSINESS_DATE)
    seed_caseload(pg, 400, 3, BUSINESS_DATE)
    a, b = dump(lite), dump(pg)
    assert len(a["client"]) > 400
    for table in SEEDED:
        assert a[table] == b[table], table
    pg.dispose()


def test_caseload_is_plausible(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = migrated(f"sqlite:///{tmp_path}/ems.db")
    result = seed_caseload(engine, 3000, 1, BUSINESS_DATE)
    assert result.cases == 3000
    with engine.connect() as c:
        clients = c.execute(select(func.count()).select_from(Client)).scalar()
        assert 1.2 <= clients / 3000 <= 1.6, clients
        sizes = Counter(n for (n,) in c.execute(select(func.count()).select_from(Member).group_by(Member.case_id)))
        assert sizes[1] > sizes[2] > sizes[5] > 0 and max(sizes) >= 6
        heads = c.execute(select(func.count()).select_from(Member).where(Member.relationship_code == "HH")).scalar()
        assert heads == 3000
        shared = c.execute(
            select(func.count()).select_from(
                select(Member.client_id).group_by(Member.client_id).having(func.count() > 1).subquery()
            )
        ).scalar()
        assert shared and shared > 30, "some clients belong to more than one case"
        ssns = [s for (s,) in c.execute(select(Client.ssn)) if s is not None]
        assert len(ssns) == len(set(ssns)) and all(s.startswith("9") and len(s) == 9 for s in ssns)
        sexes = Counter(s for (s,) in c.execute(select(Client.sex)))
        assert sexes["F"] > sexes["M"] > 0
        births = [b for (b,) in c.execute(select(Client.birth_date))]
        assert all(dt.date(1925, 1, 1) < b <= BUSINESS_DATE for b in births)
        towns = {code for (code,) in c.execute(select(Town.code))}
        case_towns = Counter(code for (code,) in c.execute(select(Case.town_code)))
        assert set(case_towns) <= towns and len(case_towns) > 80
        by_name = dict(c.execute(select(Town.code, Town.name)).all())
        top = [by_name[code] for code, _ in case_towns.most_common(4)]
        assert {"Bridgeport", "Stamford", "New Haven", "Hartford"} & set(top)
        active = Counter(code for (code,) in c.execute(select(Program.program_code).where(Program.status == "AC")))
        assert active["MA"] > active["SNAP"] > active["AABD"] > active["RCA"] > 0
        assert active["TFA"] > 0 and active["SAGA"] > 0
        groups = {g for (g,) in c.execute(select(Program.coverage_group).where(Program.program_code == "MA"))}
        assert groups == {"HUSA", "HUSB", "HUSC", "HUSD"}
        mismatched = c.execute(
            select(func.count())
            .select_from(Case)
            .join(User, User.user_id == Case.worker_id)
            .where(User.office_code != Case.office_code)
        ).scalar()
        assert mismatched == 0


def test_cli_refuses_a_database_with_cases_unless_append(ems: Ems) -> None:
    assert ems("db", "upgrade").exit_code == 0
    first = ems("seed", "--cases", "50", "--seed", "1")
    assert first.exit_code == 0, first.output
    assert "seeded 50 cases" in first.output
    refused = ems("seed", "--cases", "50", "--seed", "1")
    assert refused.exit_code == 1
    assert "already has 50 cases: use --append" in refused.output
    skipped = ems("seed", "--cases", "50", "--if-empty")
    assert skipped.exit_code == 0 and "skipped" in skipped.output
    appended = ems("seed", "--cases", "25", "--seed", "1", "--append")
    assert appended.exit_code == 0, appended.output
    engine = make_engine(ems.url)
    with engine.connect() as c:
        assert c.execute(select(func.count()).select_from(Case)).scalar() == 75
        numbers = [n for (n,) in c.execute(select(Case.case_number))]
        assert len(set(numbers)) == 75
    engine.dispose()


HISTORY = 6
"""Months of history the history tests seed (October 2024 to March 2025 for 03/01/2025)."""


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def test_a_seeded_caseload_has_its_past_made_by_the_rules(db_url: str) -> None:
    engine = migrated(db_url)
    seed_caseload(engine, 300, 4, BUSINESS_DATE, history_months=HISTORY)
    window = _months(dt.date(2024, 10, 1), dt.date(2025, 3, 1))
    with transaction(engine) as session:
        # every month of an active case since its application (in the window) is determined,
        # and each determination is what EDBC decides for that month now, budget and all
        checked = applications = 0
        for case in session.scalars(select(Case).where(Case.status == "AC").order_by(Case.id)):
            programs = session.scalars(select(Program).where(Program.case_id == case.id)).all()
            if any(p.status != "AC" for p in programs):
                continue
            months = [m for m in window if m >= case.application_date.replace(day=1)]
            stored = {
                (e.benefit_month, e.program_code): e
                for e in session.scalars(select(Eligibility).where(Eligibility.case_id == case.id))
            }
            assert {m for m, _ in stored} == set(months), case.case_number
            for month, results in zip(months, decide_months(session, case, months)):
                assert {r.program for r in results} == {p.program_code for p in programs}
                for result in results:
                    row = stored[month, result.program]
                    assert (row.eligible, row.amount, row.coverage_group, row.reason_codes, row.current) == (
                        result.eligible,
                        cents(result.amount),
                        result.group,
                        " ".join(result.reasons),
                        True,
                    )
                    assert [(b.label, b.amount, b.parameter) for b in row.budget] == [
                        (line.label[:60], line.shown, line.parameter) for line in result.budget
                    ]
                    if (
                        result.program == "SNAP"
                        and month == case.application_date.replace(day=1)
                        and case.application_date.day > 1
                    ):
                        assert any(b.label.startswith("Application month:") for b in row.budget)  # prorated
                        applications += 1
            checked += 1
            if checked == 60:
                break
        assert checked == 60 and applications > 0
        # each eligible month of a paying program is issued once, by its method, before the business date
        paid = session.execute(
            select(Eligibility.case_id, Eligibility.program_code, Eligibility.benefit_month, Eligibility.amount).where(
                Eligibility.eligible.is_(True),
                Eligibility.amount > 0,
                Eligibility.program_code.in_(("SNAP", "TFA", "AABD", "SAGA", "RCA")),
            )
        ).all()
        issued = session.execute(
            select(
                Issuance.case_id,
                Issuance.program_code,
                Issuance.benefit_month,
                Issuance.amount,
                Issuance.kind,
                Issuance.status,
                Issuance.issue_date,
            )
        ).all()
        assert paid and sorted(tuple(p) for p in paid) == sorted(i[:4] for i in issued)
        assert {(i.kind, i.status) for i in issued} == {("R", "I")} and max(
            i.issue_date for i in issued
        ) < BUSINESS_DATE
        # pending and denied cases have no determinations yet
        undecided = session.scalar(
            select(func.count())
            .select_from(Eligibility)
            .join(Case, Case.id == Eligibility.case_id)
            .where(Case.status.in_(("PE", "DN")))
        )
        assert undecided == 0
        # a program applied for in the window was approved by a mailed notice
        approvals = session.scalars(select(Notice).where(Notice.notice_type == "APPR")).all()
        assert approvals and {n.status for n in approvals} == {"M"}
        # RP01: participation in every month of the history, none before it
        rows = participation(session, dt.date(2024, 9, 1), dt.date(2025, 3, 1))
        by_month = Counter()
        for r in rows:
            by_month[r.month] += r.count
        assert by_month[dt.date(2024, 9, 1)] == 0 and all(by_month[m] > 100 for m in window)
        # the inquiry screens: EM25 lists the determinations, EM26 the issuances
        case = session.scalars(
            select(Case).join(Issuance, Issuance.case_id == Case.id).where(Case.status == "AC").order_by(Case.id)
        ).first()
        assert case is not None
        context = Context(
            business_date=BUSINESS_DATE,
            user_id="DEMO",
            roles=("worker",),
            office=case.office_code,
            scope=(case.office_code,),
        ).with_case(case.case_number)
        history = eligibility_history(
            session, Request("ENTER", {"case_no": case.case_number}, context, {}, {"history": 10})
        )
        page = history.lists["history"]
        count = session.scalar(select(func.count()).select_from(Eligibility).where(Eligibility.case_id == case.id))
        assert page.total == count > 0 and page.rows[0]["month"] == "03/2025" and page.rows[0]["current"] == "C"
        issuances = case_issuances(
            session, Request("ENTER", {"case_no": case.case_number}, context, {}, {"issuances": 10})
        )
        page = issuances.lists["issuances"]
        assert (
            page.total
            == session.scalar(select(func.count()).select_from(Issuance).where(Issuance.case_id == case.id))
            > 0
        )
        assert page.rows[0]["month"] == "03/2025" and page.rows[0]["status"] == "I"
    engine.dispose()


def test_the_history_window_ends_with_the_month_the_cycle_last_issued(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = migrated(f"sqlite:///{tmp_path}/ems.db")
    with transaction(engine) as session:
        before = history_window(session, dt.date(2025, 3, 20), 3)  # the March cycle runs tonight
        after = history_window(session, dt.date(2025, 3, 21), 3)  # it ran last night: April is issued
    assert before.months == (dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1))
    assert after.months == (dt.date(2025, 2, 1), dt.date(2025, 3, 1), dt.date(2025, 4, 1))
    assert after.cycle[dt.date(2025, 4, 1)] == dt.date(2025, 3, 20)
    engine.dispose()


def test_without_history_the_seed_writes_none(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = migrated(f"sqlite:///{tmp_path}/ems.db")
    result = seed_caseload(engine, 100, 2, BUSINESS_DATE, history_months=0)
    assert not any(result.rows.get(t) for t in ("eligibility", "budget_line", "issuance", "notice"))
    engine.dispose()


def test_the_first_nightly_after_the_seed_finds_a_living_caseload(ems: Ems, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert ems("db", "upgrade").exit_code == 0
    assert ems("seed", "--cases", "200", "--seed", "6", "--history-months", "2").exit_code == 0
    engine = make_engine(ems.url)
    with transaction(engine) as session:
        ending = session.scalar(
            select(func.count(func.distinct(Program.case_id)))
            .join(Case, Case.id == Program.case_id)
            .where(
                Case.status == "AC",
                Program.status == "AC",
                Program.cert_end.between(dt.date(2025, 3, 1), dt.date(2025, 3, 31)),
            )
        )
        active = session.scalar(select(func.count()).select_from(Case).where(Case.status == "AC"))
    assert ending and active and ending < active
    (tmp_path / "in").mkdir(exist_ok=True)
    result = ems(
        "batch", "nightly", "--date", "2025-03-03", "--outbox", str(tmp_path / "out"), "--inbox", str(tmp_path / "in")
    )
    assert result.exit_code == 0, result.output
    with transaction(engine) as session:
        steps = {s.name: s for s in session.scalars(select(BatchStep))}
        issued = session.scalar(select(func.count()).select_from(Issuance).where(Issuance.batch_run_id.is_not(None)))
        absent_parents = session.scalar(select(func.count()).select_from(AbsentParent))
    # only the cases whose certification ends this month are redetermined (no fact changed since
    # the seed), and March was issued by the history: no first month to pay
    assert steps["REDETERM"].records_read == ending
    assert steps["DAILYISS"].records_written == 0 and issued == 0
    # the seeded absent parents were "referred" already: the referral step sends nothing new
    assert absent_parents and f"absent_parents {absent_parents}," in steps["CCSESREF"].message
    assert steps["CCSESREF"].records_written == 0 and "new 0," in steps["CCSESREF"].message
    engine.dispose()
