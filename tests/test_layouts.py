"""EMS's own `|` layouts with no published standard (the EBT authorization file, the check
register, positive pay) checked by an independent validator: frictionless 5.21.0 validates the
detail records of a seeded run's files against their Table Schemas (`tests/table_schemas.py`),
and refuses a broken file, so the oracle is known to bite."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, update

from emsterm.database.engine import transaction
from emsterm.model import BankAccount
from tests.conftest import Ems
from tests.table_schemas import CHECK_REGISTER, EBT_AUTHORIZATION, POSITIVE_PAY, frictionless_errors

FILES = {
    "ebt-benefits.txt": EBT_AUTHORIZATION,
    "check-register.txt": CHECK_REGISTER,
    "positive-pay.txt": POSITIVE_PAY,
}


@pytest.fixture
def monthly_run(ems: Ems, engine: Engine, tmp_path: Path) -> Path:
    """A seeded caseload's March monthly run (some direct-deposit heads lose their account, so
    the run has checks as well as EBT)."""
    assert ems("--date", "2025-03-01", "seed", "--cases", "150", "--seed", "7").exit_code == 0
    with transaction(engine) as session:
        session.execute(update(BankAccount).where(BankAccount.id % 2 == 0).values(effective_to=dt.date(2025, 3, 1)))
    outbox = tmp_path / "outbox"
    done = ems("batch", "monthly", "--date", "2025-03-20", "--outbox", str(outbox))
    assert done.exit_code == 0, done.output
    (run,) = outbox.glob("monthly-2025-03-20-*")
    return run


def test_a_seeded_runs_files_pass_frictionless_and_broken_ones_do_not(monthly_run: Path, tmp_path: Path) -> None:
    for name, schema in FILES.items():
        path = monthly_run / name
        lines = path.read_text().splitlines()
        assert len(lines) > 2, f"{name} has no detail records to check"
        assert frictionless_errors(path, schema) == [], name
        # one detail record broken by hand: a letter in the amount, a field too many
        broken = tmp_path / f"broken-{name}"
        fields = lines[1].split("|")
        money = next(i for i, f in enumerate(fields) if "." in f and f.replace(".", "").isdigit())
        fields[money] = fields[money].replace(".", ",")
        broken.write_text("\n".join([lines[0], "|".join(fields), *lines[2:]]) + "\n")
        assert [kind for _, _, kind in frictionless_errors(broken, schema)] == ["constraint-error"], name
        broken.write_text("\n".join([lines[0], lines[1] + "|EXTRA", *lines[2:]]) + "\n")
        assert "extra-cell" in {kind for _, _, kind in frictionless_errors(broken, schema)}, name
