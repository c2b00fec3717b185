"""`ems seed`: a deterministic, plausible synthetic caseload."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import Engine, func, select

from emsterm.database.engine import make_engine
from emsterm.model import Case, Client, Member, Program, Town, User, metadata
from emsterm.seed.writer import seed_caseload
from tests.conftest import BUSINESS_DATE, Ems, migrated


SEEDED = (
    "client", "case_root", "member", "program", "income", "asset", "expense", "verification",
    "alert", "narrative", "sec_user", "sec_user_role", "sec_user_office",
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
        active = Counter(
            code for (code,) in c.execute(select(Program.program_code).where(Program.status == "AC"))
        )
        assert active["MA"] > active["SNAP"] > active["AABD"] > active["RCA"] > 0
        assert active["TFA"] > 0 and active["SAGA"] > 0
        groups = {g for (g,) in c.execute(select(Program.coverage_group).where(Program.program_code == "MA"))}
        assert groups == {"HUSA", "HUSB", "HUSC", "HUSD"}
        mismatched = c.execute(
            select(func.count()).select_from(Case).join(User, User.user_id == Case.worker_id)
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
