"""Checks: numbered from the controlled range of check stock (never reused; a run that would
pass the range stops and resumes when a new one is loaded), listed for the bank on the positive
pay file with the voids; a lost check is voided and replaced once, so the month is paid once;
a check issued in error is voided and not replaced; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update

from emsterm.database.engine import transaction
from emsterm.interfaces import positive_pay
from emsterm.model import AdminParameter, BankAccount, Issuance
from emsterm.services.users import NewUser, add_user
from tests.conftest import Ems
from tests.households import family_of_three_case

MARCH = dt.date(2025, 3, 1)


def nightly(ems: Ems, day: str, outbox: Path) -> tuple[int, str, Path]:
    done = ems("batch", "nightly", "--date", day, "--outbox", str(outbox))
    assert "Traceback" not in done.output, done.output
    run = sorted(outbox.glob(f"nightly-{day}-*"))[-1]
    return done.exit_code, done.output, run


def march_tfa(engine: Engine) -> list[tuple[str, str | None, Decimal, str, str | None]]:
    with transaction(engine) as session:
        return [
            (i.kind, i.check_number, i.amount, i.status, i.void_reason)
            for i in session.scalars(
                select(Issuance)
                .where(Issuance.program_code == "TFA", Issuance.benefit_month == MARCH)
                .order_by(Issuance.id)
            )
        ]


def set_range_end(engine: Engine, last: str) -> None:
    with transaction(engine) as session:
        session.execute(update(AdminParameter).where(AdminParameter.name == "CHECK_NUMBER_LAST").values(value=last))


@pytest.fixture
def by_check(engine: Engine, ems: Ems, tmp_path: Path) -> tuple[Engine, Ems, Path]:
    """The family of three whose TFA goes by check (its bank account ended), and a clerk."""
    with transaction(engine) as session:
        family_of_three_case(session)
        session.execute(update(BankAccount).values(effective_to=dt.date(2025, 3, 1)))
        add_user(session, NewUser("CLERK1", ("worker",), "HFD", "Secret-pass-1"), MARCH)
    return engine, ems, tmp_path / "outbox"


def test_a_lost_check_is_voided_and_replaced_once(by_check: tuple[Engine, Ems, Path]) -> None:
    engine, ems, outbox = by_check
    code, output, run = nightly(ems, "2025-03-03", outbox)
    assert code == 0, output
    assert march_tfa(engine) == [("R", "100000001", Decimal("863.89"), "I", None)]
    register = (run / "check-register.txt").read_text().splitlines()
    assert register[1].startswith("D|100000001|0000900027|ZABRISKIE, MARTA|CASH|TFA|202503|863.89|")
    assert positive_pay.parse((run / "positive-pay.txt").read_bytes()) == [
        positive_pay.Check("I", "100000001", Decimal("863.89"), dt.date(2025, 3, 3), "ZABRISKIE, MARTA")
    ]
    assert (run / "positive-pay.txt").read_text().splitlines()[0] == "H|POSPAY|20250303|000123456789|000001"

    # the client says the check never came: voided as lost on 03/04, replaced that night
    for args, text in [
        (("checks", "void", "100000009", "--reason", "LOST", "--user", "CLERK1"), "no check 100000009"),
        (("checks", "void", "100000001", "--reason", "GONE", "--user", "CLERK1"), "'GONE' is not one of"),
        (("checks", "void", "100000001", "--reason", "LOST", "--user", "NOBODY"), "--user 'NOBODY' is not a user"),
    ]:
        refused = ems("--date", "2025-03-04", *args)
        assert refused.exit_code != 0 and text in refused.output and "Traceback" not in refused.output, refused.output
    voided = ems("--date", "2025-03-04", "checks", "void", "100000001", "--reason", "lost", "--user", "clerk1")
    assert voided.exit_code == 0, voided.output
    assert voided.output == "check 100000001 voided 03/04/2025 (LOST) - the next issuance run replaces it\n"
    again = ems("--date", "2025-03-04", "checks", "void", "100000001", "--reason", "LOST", "--user", "CLERK1")
    assert again.exit_code == 1 and "check 100000001 was voided on 03/04/2025" in again.output

    code, output, run = nightly(ems, "2025-03-04", outbox)
    assert code == 0, output
    assert march_tfa(engine) == [
        ("R", "100000001", Decimal("863.89"), "V", "LOST"),
        ("P", "100000002", Decimal("863.89"), "I", None),
    ]
    assert positive_pay.parse((run / "positive-pay.txt").read_bytes()) == [
        positive_pay.Check("I", "100000002", Decimal("863.89"), dt.date(2025, 3, 4), "ZABRISKIE, MARTA"),
        positive_pay.Check("V", "100000001", Decimal("863.89"), dt.date(2025, 3, 3), "ZABRISKIE, MARTA"),
    ]
    # the month is paid once: one standing check for March's TFA
    standing = [amount for _, _, amount, status, _ in march_tfa(engine) if status == "I"]
    assert standing == [Decimal("863.89")]
    shown = ems("checks", "show", "100000001")
    assert "status V" in shown.output and "replaced by check 100000002 issued 03/04/2025" in shown.output

    # the next night: the void was reported once, nothing is replaced twice
    code, output, run = nightly(ems, "2025-03-05", outbox)
    assert code == 0 and positive_pay.parse((run / "positive-pay.txt").read_bytes()) == []
    assert len(march_tfa(engine)) == 2


def test_a_check_issued_in_error_is_voided_and_not_replaced(by_check: tuple[Engine, Ems, Path]) -> None:
    engine, ems, outbox = by_check
    nightly(ems, "2025-03-03", outbox)
    assert (
        ems("--date", "2025-03-03", "checks", "void", "100000001", "--reason", "ERR", "--user", "CLERK1").exit_code == 0
    )
    code, output, run = nightly(ems, "2025-03-04", outbox)
    assert code == 0, output
    assert march_tfa(engine) == [("R", "100000001", Decimal("863.89"), "V", "ERR")]
    assert (run / "positive-pay.txt").read_text().splitlines()[-2:] == [
        "D|V|100000001|863.89|20250303|ZABRISKIE, MARTA",
        "T|0|0.00|1|863.89",
    ]


def test_the_check_stock_runs_out_and_the_run_resumes_with_a_new_range(by_check: tuple[Engine, Ems, Path]) -> None:
    engine, ems, outbox = by_check
    nightly(ems, "2025-03-03", outbox)
    set_range_end(engine, "100000001")  # the stock loaded ends at the check just written
    assert (
        ems("--date", "2025-03-04", "checks", "void", "100000001", "--reason", "LOST", "--user", "CLERK1").exit_code
        == 0
    )
    code, output, _ = nightly(ems, "2025-03-04", outbox)
    assert code == 8 and "check stock exhausted: number 100000002 is past CHECK_NUMBER_LAST 100000001" in output
    # the replacement is issued; its check has no number until the register can be written
    assert [(n, s) for _, n, _, s, _ in march_tfa(engine)] == [("100000001", "V"), (None, "I")]
    set_range_end(engine, "199999999")
    code, output, run = nightly(ems, "2025-03-04", outbox)
    assert code == 0, output
    assert [(n, s) for _, n, _, s, _ in march_tfa(engine)] == [("100000001", "V"), ("100000002", "I")]
    assert "D|I|100000002|863.89|20250304|ZABRISKIE, MARTA" in (run / "positive-pay.txt").read_text()


def test_a_positive_pay_file_whose_trailer_disagrees_is_refused() -> None:
    checks = [positive_pay.Check("I", "100000001", Decimal("10.00"), MARCH, "DOE, JANE")]
    data = positive_pay.build(checks, MARCH, "000123456789", 1).data.decode()
    assert positive_pay.parse(data.encode()) == checks
    with pytest.raises(
        ValueError, match=re.escape("the trailer says T|1|10.01|0|0.00, the records make T|1|10.00|0|0.00")
    ):
        positive_pay.parse(data.replace("T|1|10.00", "T|1|10.01").encode())
