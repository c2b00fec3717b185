"""The federal reports on SQLite and PostgreSQL with hand-worked figures: OCSE-157's lines and
performance measures for a month, OCSE-34's collection and distribution totals for a quarter
(with the FMAP shares and the incentive collections base), and `ems report ocse157|ocse34` as
CSV and PNG, with bad options refused in one line."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine

from emsterm.ccses import federal_reports, orders, payments
from emsterm.ccses.orders import NewTerms
from emsterm.database.engine import transaction
from emsterm.interfaces.ccses_collections import Collection
from emsterm.model import (
    OrderAuthority,
    OrderFrequency,
    OrderType,
    PaymentSource,
    SupportCaseType,
    SupportStatus,
)
from tests.conftest import Ems
from tests.support_cases import support_case
from tests.test_ccses_payments import _opening

D = Decimal
MARCH = dt.date(2025, 3, 1)


def _two_cases(engine: Engine) -> None:
    """A TFA case owing $300 a month from March paid $300 on 03/10 ($50 passed through, $250
    retained); a former-assistance case owing $200 a month, $400 assigned and $100 family
    arrears brought forward, paid by a $450 federal tax offset on 03/12 ($400 to the state's
    arrears, $50 to the family's) and nothing toward March's $200."""
    with transaction(engine) as session:
        ca = support_case(session, "0000090002", SupportStatus.ENFORCEMENT)
        fa = support_case(session, "0000090003", SupportStatus.ENFORCEMENT)
        fa.case_type = SupportCaseType.FORMER_ASSISTANCE
        for step in fa.history:  # the reports read the type from the dated history
            step.case_type = SupportCaseType.FORMER_ASSISTANCE
        for case, amount in ((ca, "300.00"), (fa, "200.00")):
            orders.add_order(
                session, case, OrderAuthority.MAGISTRATE, "HHD-FA25-6000001-S", OrderType.CURRENT_SUPPORT,
                NewTerms(D(amount), OrderFrequency.MONTHLY, MARCH),
            )  # fmt: skip
        session.flush()
        _opening(session, fa, "100.00", "400.00", dt.date(2025, 2, 28))
        for case, amount, day, source in (
            (ca, "300.00", dt.date(2025, 3, 10), PaymentSource.WAGE),
            (fa, "450.00", dt.date(2025, 3, 12), PaymentSource.TAX_OFFSET),
        ):
            payments.post_collections(
                session, [Collection(case.support_number, "", D(amount), day, source)], "c.txt", day, Counter()
            )


def test_ocse157_lines_and_measures(engine: Engine) -> None:
    _two_cases(engine)
    with transaction(engine) as session:
        lines = {x.line: x for x in federal_reports.ocse157(session, MARCH, dt.date(2025, 3, 31))}
    assert lines["1"].values == (1, 1, 0) and lines["2"].values == (1, 1, 0)
    # due: 300 (TFA) and 200 (former); distributed: the TFA case's 300, none of the former's
    assert lines["24"].values == (D("300.00"), D("200.00"), 0)
    assert lines["25"].values == (D("300.00"), 0, 0)
    # arrears at the end: the former case still owes 50 family arrears and (rolled on 04/01
    # only) nothing more; it paid toward arrears in March
    assert lines["28"].values == (0, 1, 0) and lines["29"].values == (0, 1, 0)
    found = federal_reports.measures(list(lines.values()))
    assert found["Support orders (2/1)"] == D("100.00")
    assert found["Current collections (25/24)"] == D("60.00")  # 300 of 500
    assert found["Arrears cases paying (29/28)"] == D("100.00")


def test_ocse34_totals_shares_and_incentive_base(engine: Engine) -> None:
    _two_cases(engine)
    with transaction(engine) as session:
        lines = {x.line: x.amount for x in federal_reports.ocse34(session, "2025Q1", dt.date(2025, 3, 31))}
    assert lines["1"] == D("750.00") and lines["1a"] == D("450.00") and lines["1b"] == D("300.00")
    assert lines["4"] == D("50.00")  # passed through to the TFA family
    assert lines["5"] == D("50.00")  # the former family's arrears, from the offset
    assert lines["7"] == D("250.00") and lines["8"] == D("400.00")
    # retained 650 at the FMAP of 50%: 325 federal, 325 state
    assert (lines["9"], lines["10"]) == (D("325.00"), D("325.00"))
    # incentive base: 2 x (current 300 + former 450) + never 0 = 1500
    assert lines["13"] == D("1500.00")
    assert lines["3"] == D("0.00")  # nothing held: each collection was fully applied


def test_the_report_commands_write_csv_and_png_and_refuse_bad_options(engine: Engine, ems: Ems, tmp_path: Path) -> None:
    _two_cases(engine)
    out = tmp_path / "157.csv"
    done = ems("--date", "2025-03-31", "report", "ocse157", "--month", "2025-03", "--csv", str(out),
               "--png", str(tmp_path / "157.png"))  # fmt: skip
    assert done.exit_code == 0, done.output
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0] == federal_reports.HEADER_157
    assert rows[5] == ["2025-03", "24", "Current support due", "300.00", "200.00", "0.00", "500.00"]
    assert (tmp_path / "157.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    done = ems("--date", "2025-03-31", "report", "ocse34", "--quarter", "2025q1", "--png", str(tmp_path / "34.png"))
    assert done.exit_code == 0, done.output
    assert "Collections base for incentives" in done.output and "1500.00" in done.output
    assert (tmp_path / "34.png").read_bytes()[:4] == b"\x89PNG"
    bad = ems("report", "ocse34", "--quarter", "2025Q5")
    assert bad.exit_code == 2 and "'2025Q5' is not a quarter in YYYYQn form" in bad.output
    assert "Traceback" not in bad.output
    later = ems("--date", "2025-03-31", "report", "ocse157", "--month", "2025-04")
    assert later.exit_code == 2 and "after the business date" in later.output
