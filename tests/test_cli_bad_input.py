"""Bad input on the command line: every command answers with one line and exit status 2 (bad
usage) or 1 (it cannot be done), never an internal error or a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Ems

HUGE = "99999999999999999999999"


def _household(**changes: object) -> str:
    household: dict[str, object] = {
        "benefit_month": "2025-03",
        "members": [
            {"id": "01", "age": 34, "relationship": "self", "income": [{"type": "wages", "monthly": "1200.00"}]}
        ],
    }
    household.update(changes)
    return json.dumps(household)


def _amount(text: str) -> str:
    return _household(
        members=[{"id": "01", "age": 34, "relationship": "self", "income": [{"type": "wages", "monthly": text}]}]
    )


CASES: list[tuple[str, tuple[str, ...], str | bytes | None, int, str]] = [
    ("batch log of a huge run id", ("batch", "log", HUGE), None, 2, "is not in the range"),
    ("batch status of a huge run id", ("batch", "status", HUGE), None, 2, "is not in the range"),
    ("batch cancel run 0", ("batch", "cancel", "0", "--reason", "x"), None, 2, "is not in the range"),
    ("an unknown revision", ("db", "upgrade", "--revision", "nonexistent"), None, 2, "Can't locate revision"),
    ("a missing reference folder", ("db", "load-reference", "--folder", "/nonexistent"), None, 2, "does not exist"),
    (
        "an unknown office",
        ("users", "add", "X1", "--role", "worker", "--office", "ZZZ"),
        None,
        2,
        "is not a DSS office",
    ),
    (
        "an unknown scope",
        ("users", "add", "X1", "--role", "worker", "--office", "HFD", "--scope", "ZZZ"),
        None,
        2,
        "is not a DSS office",
    ),
    (
        "a short password",
        ("users", "add", "X1", "--role", "worker", "--office", "HFD", "--password-stdin"),
        "Short1\n",
        2,
        "at least 8",
    ),
    (
        "a name longer than its column",
        ("users", "add", "X1", "--role", "worker", "--office", "HFD", "--name", "A" * 10_000),
        None,
        2,
        "--name may have at most 40 characters, not 10,000",
    ),
    ("an amount of 1e400", ("calc", "--household", "-"), _amount("1e400"), 2, "is more than 9,999,999.99"),
    ("a 30-digit amount", ("calc", "--household", "-"), _amount("9" * 30), 2, "is not an amount of money"),
    ("a 5000-digit amount", ("calc", "--household", "-"), _amount("9" * 5000), 2, "is not an amount of money"),
    ("NaN", ("calc", "--household", "-"), _amount("NaN"), 2, "'NaN' is not an amount of money"),
    ("JSON nested 100,000 deep", ("calc", "--household", "-"), "[" * 100_000 + "]" * 100_000, 2, "nested too deeply"),
    ("a file that is not UTF-8", ("calc", "--household", "-"), b"\xff\xfe{", 2, "not UTF-8"),
    (
        "no member is self",
        ("calc", "--household", "-"),
        _household(members=[{"id": "01", "age": 3, "relationship": "child"}]),
        2,
        "exactly one member",
    ),
    (
        "two self members",
        ("calc", "--household", "-"),
        _household(members=[{"id": "01", "age": 30}, {"id": "02", "age": 31}]),
        2,
        "exactly one member",
    ),
    (
        "31 members",
        ("calc", "--household", "-"),
        _household(
            members=[{"id": "01", "age": 30}]
            + [{"id": f"{n:02d}", "age": 5, "relationship": "child"} for n in range(2, 33)]
        ),
        2,
        "at most 30 members",
    ),
    (
        "an application date outside the month",
        ("calc", "--household", "-"),
        _household(application_date="2025-05-02"),
        2,
        "is not in the benefit month",
    ),
]


@pytest.fixture(scope="module")
def ems(tmp_path_factory: pytest.TempPathFactory) -> Ems:
    """One migrated SQLite database for the whole table."""
    folder: Path = tmp_path_factory.mktemp("bad-input")
    ems = Ems(f"sqlite:///{folder / 'ems.db'}")
    assert ems("db", "upgrade").exit_code == 0
    return ems


@pytest.mark.parametrize(("what", "args", "given", "status", "says"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_one_line_and_the_right_status(
    ems: Ems, what: str, args: tuple[str, ...], given: str | bytes | None, status: int, says: str
) -> None:
    result = ems(*args, input=given)  # type: ignore[arg-type]
    lines = result.output.strip().splitlines()
    assert result.exit_code == status, (what, result.output[-500:])
    assert len(lines) == 1 and lines[0].startswith("ems: ") and says in lines[0], (what, lines[:3])
    assert "internal error" not in result.output and "Traceback" not in result.output


def test_a_bad_option_names_the_command_once_and_the_option_once(ems: Ems) -> None:
    result = ems("batch", "nightly", "--date", "2025-13-01")
    assert result.exit_code == 2
    assert result.output.strip() == (
        "ems: batch nightly: Invalid value for '--date': '2025-13-01' is not a date in YYYY-MM-DD form"
    )
