"""`ems users`: add, list, unlock; argon2 hashes; mainframe user ids; audit."""

from __future__ import annotations

from argon2 import PasswordHasher
from sqlalchemy import select

from emsterm.database.engine import make_engine, transaction
from emsterm.model import AuditEntry, User
from tests.conftest import Ems


def _upgraded(ems: Ems) -> Ems:
    assert ems("db", "upgrade").exit_code == 0
    return ems


def test_add_list_unlock(ems: Ems) -> None:
    ems = _upgraded(ems)
    result = ems(
        "users",
        "add",
        "dss4711",
        "--role",
        "worker",
        "--role",
        "supervisor",
        "--office",
        "hfd",
        "--scope",
        "MAN",
        "--name",
        "Pat Smith",
        "--password-stdin",
        input="Secret#2025\n",
    )
    assert result.exit_code == 0, result.output
    assert "user DSS4711 added: roles supervisor, worker; offices HFD, MAN" in result.output
    engine = make_engine(ems.url)
    with transaction(engine) as session:
        user = session.get(User, "DSS4711")
        assert user is not None and user.password_hash is not None
        assert user.password_hash.startswith("$argon2")
        assert PasswordHasher().verify(user.password_hash, "Secret#2025")
        assert user.must_change_password and user.office_scope == ["HFD", "MAN"]
        user.revoked, user.failed_attempts = True, 3
    listing = ems("users", "list")
    assert listing.exit_code == 0
    assert "DSS4711" in listing.output and "REVOKED" in listing.output
    unlocked = ems("users", "unlock", "DSS4711")
    assert unlocked.exit_code == 0 and "unlocked" in unlocked.output
    with transaction(engine) as session:
        user = session.get(User, "DSS4711")
        assert user is not None and not user.revoked and user.failed_attempts == 0
        actions = [(a.action, a.segment_key) for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert actions == [("ISRT", "DSS4711"), ("UNLOCK", "DSS4711")]
    engine.dispose()


def test_bad_user_requests_write_nothing(ems: Ems) -> None:
    ems = _upgraded(ems)
    cases = [
        (["users", "add", "ABCDEFGHI", "--role", "worker", "--office", "HFD"], 2, "1 to 8 letters and digits"),
        (["users", "add", "AB-1", "--role", "worker", "--office", "HFD"], 2, "1 to 8 letters and digits"),
        (["users", "add", "DSS1", "--role", "janitor", "--office", "HFD"], 2, "janitor"),
        (["users", "add", "DSS1", "--role", "worker", "--office", "XYZ"], 2, "office 'XYZ' is not a DSS office"),
        (
            ["users", "add", "DSS1", "--role", "worker", "--office", "HFD", "--password-stdin"],
            2,
            "at least 8 characters",
        ),
        (["users", "unlock", "NOBODY"], 1, "does not exist"),
    ]
    for args, code, text in cases:
        result = ems(*args, input="short\n")
        assert result.exit_code == code, (args, result.output)
        assert text in result.output, result.output
        assert len(result.output.strip().splitlines()) == 1, result.output
        assert "Traceback" not in result.output
    engine = make_engine(ems.url)
    with transaction(engine) as session:
        assert session.scalars(select(User)).all() == []
        assert session.scalars(select(AuditEntry)).all() == []
    engine.dispose()


def test_duplicate_user_is_refused(ems: Ems) -> None:
    ems = _upgraded(ems)
    args = ["users", "add", "OPER1", "--role", "operator", "--office", "HFD", "--password-stdin"]
    assert ems(*args, input="Operator#1\n").exit_code == 0
    again = ems(*args, input="Operator#1\n")
    assert again.exit_code == 1 and "already exists" in again.output


def test_user_without_password_cannot_sign_on_yet(ems: Ems) -> None:
    ems = _upgraded(ems)
    result = ems("users", "add", "TRAIN1", "--role", "trainer", "--office", "NHV")
    assert result.exit_code == 0 and "cannot sign on yet" in result.output
    assert "NOPASSWD" in ems("users", "list").output


def test_demo_refuses_a_database_with_real_users(db_url: str) -> None:
    from tests.conftest import Ems

    ems = Ems(db_url)
    assert ems("demo", "--cases", "20").exit_code == 0
    assert ems("demo", "--cases", "20").exit_code == 0, "again on a demo database: fine"
    added = ems(
        "users",
        "add",
        "JSMITH",
        "--role",
        "worker",
        "--office",
        "HFD",
        "--name",
        "Jo Smith",
        "--password-stdin",
        input="Real#Pass2026\n",
    )
    assert added.exit_code == 0, added.output
    refused = ems("demo", "--cases", "20")
    assert refused.exit_code == 1
    assert refused.output.strip().splitlines() == [
        "ems: the database has users other than the demo users (JSMITH): ems demo sets known passwords"
        " and is only for a demo database"
    ]
