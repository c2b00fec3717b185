"""Real-time eligibility verification (EVS): EMS's 270s and 271s checked by x12sdk 2.2.0 (the
oracle: it parses 005010X279A1 into typed models and refuses a wrong count or a bad code), its
999s by pyx12 4.0.0's `x12valid`, and the server answering on loopback over the hand-built
caseload of test_batch (after the nightly of 03/03/2025 decided March and April), on SQLite and
PostgreSQL: active, inactive, not found, bad ids, names and dates, members found by SSN or by
name and birth date, broken interchanges and envelopes, a bounded concurrent load, the inquiry
log and `ems evs query`.

x12sdk 2.2.0 gives loop 2100C's AAA the code list of loop 2100B (its source says "Loop2100C AAA
is identical to Loop2100B AAA"), which lacks the subscriber codes 005010X279A1 lists for 2100C
(57, 58, 62, 63, 71, 72, 73, 75). A 271 carrying one of them is checked in two steps: x12sdk's
only complaint is that AAA03, and the same 271 with those AAA03 replaced by 15 (a code both lists
have) passes x12sdk whole."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import http.client
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError
from x12sdk.io import X12ModelReader

from emsterm.cli import cli
from emsterm.database.engine import make_engine, transaction
from emsterm.interfaces import core_envelope, evs_x12
from emsterm.interfaces.evs_x12 import Answer, Party, Subscriber
from emsterm.interfaces.x12 import Envelope
from emsterm.model import Client, EvsInquiry, Member
from emsterm.model.client import ManagedCareEnrollment
from emsterm.model.codes import EvsAnswer, PlanSelection, RejectReason, X12Gender
from emsterm.servers import evs as evs_server
from emsterm.servers.evs_client import build_inquiry, post
from tests.conftest import Ems, migrated
from tests.test_batch import batch, caseload  # noqa: F401  (the fixture)
from tests.test_mmis_834 import validate as x12valid

BIN = Path(sys.executable).parent
NIGHTLY = dt.date(2025, 3, 3)
SOURCE = Party("PR", "CT DEPARTMENT OF SOCIAL SERVICES", "PI", "CTDSS")
PROVIDER = Party("1P", "HARTFORD CLINIC", "XX", "1234567893")
GUIDE_ONLY_2100C = {"57", "58", "62", "63", "71", "72", "73", "75"}
"""AAA03 codes of loop 2100C in 005010X279A1 that x12sdk 2.2.0's list lacks."""


# -- the oracle -----------------------------------------------------------------------------------


def x12sdk(text: str) -> list[dict]:
    """x12sdk's errors for an interchange (none: it parsed into its typed models)."""
    try:
        with X12ModelReader(text) as reader:
            models = list(reader.models())
    except ValidationError as err:
        return list(err.errors())
    assert models, "x12sdk read no transaction set"
    return []


def valid_271(text: str) -> bool:
    """The 271 passes x12sdk, allowing only its short 2100C AAA03 list (see the module docstring)."""
    errors = x12sdk(text)
    if not errors:
        return True
    off_list = [
        e
        for e in errors
        if e["loc"][-3:-1] == ("aaa_segment", 0) and "loop_2100c" in e["loc"] and e["input"] in GUIDE_ONLY_2100C
    ]
    if len(off_list) != len(errors):
        return False
    swapped = re.sub(
        r"(AAA\*[YN]\*\*)(\d\d)(\*)", lambda m: m[1] + ("15" if m[2] in GUIDE_ONLY_2100C else m[2]) + m[3], text
    )
    return not x12sdk(swapped)


def x12sdk_cli(path: Path) -> int:
    """`x12sdk -m -x FILE`'s exit status (1 on a file it refuses)."""
    return subprocess.run([str(BIN / "x12sdk"), "-m", "-x", str(path)], capture_output=True, timeout=120).returncode


def envelope(group: str, guide: str, number: int = 1, sender: str = "PROV1", receiver: str = "CTDSSEMS") -> Envelope:
    return Envelope(sender, receiver, number, dt.datetime(2025, 3, 3, 9, 30), functional_id=group, version=guide)


def inquiry_270(*subscribers: Subscriber, number: int = 1) -> str:
    return evs_x12.build_270(envelope("HS", evs_x12.GUIDE, number), f"REF{number}", SOURCE, PROVIDER, list(subscribers))


def who(**values: object) -> Subscriber:
    base: dict[str, object] = {"trace": "TRACE1", "trace_originator": "1999999999"}
    base.update(values)
    return Subscriber(**base)  # type: ignore[arg-type]


# -- the format, checked by x12sdk and pyx12 ------------------------------------------------------


def answers_of_every_kind(inquiry: evs_x12.Inquiry) -> list[Answer]:
    s = inquiry.subscribers[0]
    person = {"member_id": "900000018", "last_name": "Doe", "first_name": "Jane", "birth_date": dt.date(1990, 6, 1)}
    return [
        Answer(
            s,
            EvsAnswer.ACTIVE,
            gender=X12Gender.FEMALE,
            plan_name="HUSKY D",
            benefit_plan="HUSKYD",
            period=(dt.date(2025, 3, 1), dt.date(2025, 3, 31)),
            managed_care_plan="COMMUNITY PLAN ONE",
            **person,  # type: ignore[arg-type]
        ),
        Answer(s, EvsAnswer.INACTIVE, **person),  # type: ignore[arg-type]
        *(Answer(s, EvsAnswer.REJECTED, reason) for reason in RejectReason),
    ]


def test_every_270_and_271_the_format_writes_passes_x12sdk(tmp_path: Path) -> None:
    asks = [
        who(member_id="900000018", last_name="Doe", first_name="Jane", service_date=dt.date(2025, 3, 15)),
        who(last_name="Zabriskie", first_name="Marta", ssn="900112222", birth_date=dt.date(1994, 7, 14)),
        who(last_name="Zabriskie", first_name="Leo", birth_date=dt.date(2018, 5, 1), service_date=dt.date(2025, 3, 3)),
    ]
    text = inquiry_270(*asks)
    assert x12sdk(text) == []
    path = tmp_path / "inquiry.x12"
    path.write_text(text)
    assert x12sdk_cli(path) == 0
    read = evs_x12.parse_270(text)
    assert isinstance(read, evs_x12.Inquiry)
    assert [s.trace for s in read.subscribers] == ["TRACE1"] * 3
    assert read.subscribers[0].member_id == "900000018" and read.subscribers[1].ssn == "900112222"
    assert read.subscribers[2].service_date == dt.date(2025, 3, 3) and read.reference == "REF1"

    answers = answers_of_every_kind(read)
    whole = evs_x12.build_271(envelope("HB", evs_x12.GUIDE, 5, "CTDSSEMS", "PROV1"), read, SOURCE, answers[:2])
    assert x12sdk(whole) == []
    assert (
        "EB*1*IND*30*MC*HUSKY D~" in whole
        and "REF*18*HUSKYD~" in whole
        and "EB*MC*IND*30*MC*COMMUNITY PLAN ONE~" in whole
    )
    assert "EB*6*IND*30~" in whole and whole.count("TRN*2*TRACE1*1999999999~") == 2
    for answer in answers:
        one = evs_x12.build_271(envelope("HB", evs_x12.GUIDE, 6, "CTDSSEMS", "PROV1"), read, SOURCE, [answer])
        assert valid_271(one), (answer.status, answer.reject)
    unable = evs_x12.build_271(envelope("HB", evs_x12.GUIDE, 7, "CTDSSEMS", "PROV1"), read, SOURCE, [], unable=True)
    assert x12sdk(unable) == [] and "AAA*Y**42*R~" in unable
    replies = evs_x12.parse_271(whole)
    assert isinstance(replies, list) and [r.status for r in replies] == [EvsAnswer.ACTIVE, EvsAnswer.INACTIVE]
    assert replies[0].benefit_plan == "HUSKYD" and replies[0].managed_care_plan == "COMMUNITY PLAN ONE"


def test_a_date_range_is_read_from_its_first_day_and_a_dependent_loop_is_left_unanswered() -> None:
    text = inquiry_270(who(member_id="900000018", last_name="Doe", first_name="Jane", service_date=dt.date(2025, 3, 1)))
    text = text.replace("DTP*291*D8*20250301~", "DTP*291*RD8*20250310-20250320~")
    text = text.replace("HL*3*2*22*0~", "HL*3*2*22*1~").replace(
        "EQ*30~", "HL*4*3*23*0~\nNM1*03*1*DOE*JIM~\nDMG*D8*20150101~\nEQ*30~"
    )
    text = re.sub(r"SE\*(\d+)\*", lambda m: f"SE*{int(m[1]) + 3}*", text)
    assert x12sdk(text) == []
    read = evs_x12.parse_270(text)
    assert isinstance(read, evs_x12.Inquiry) and len(read.subscribers) == 1
    assert read.subscribers[0].service_date == dt.date(2025, 3, 10) and read.subscribers[0].last_name == "DOE"


@pytest.mark.parametrize("broken", ["count", "code"])
def test_x12sdk_refuses_a_271_broken_by_hand(tmp_path: Path, broken: str) -> None:
    read = evs_x12.parse_270(inquiry_270(who(member_id="900000018", last_name="Doe", first_name="Jane")))
    assert isinstance(read, evs_x12.Inquiry)
    text = evs_x12.build_271(envelope("HB", evs_x12.GUIDE), read, SOURCE, answers_of_every_kind(read)[:1])
    if broken == "count":
        se = next(line for line in text.splitlines() if line.startswith("SE*"))
        text = text.replace(se, f"SE*{int(se.split('*')[1]) + 1}*{se.split('*')[2]}")
    else:
        text = text.replace("EB*1*IND*30", "EB*ZZ*IND*30")
    assert x12sdk(text) != []
    path = tmp_path / "broken.x12"
    path.write_text(text)
    assert x12sdk_cli(path) == 1


BROKEN_270 = {
    "not X12": lambda t: "hello, is this the EVS?",
    "wrong version": lambda t: t.replace("*00501*", "*00401*", 1),
    "wrong guide": lambda t: t.replace("005010X279A1", "004010X092A1"),
    "truncated": lambda t: t[: len(t) // 2],
    "wrong count": lambda t: re.sub(r"SE\*(\d+)\*", lambda m: f"SE*{int(m[1]) + 2}*", t),
    "no subscriber name": lambda t: re.sub(r"NM1\*IL\*[^~]*~\n", "", t),
    "a bad segment id": lambda t: t.replace("EQ*30~", "E#*30~"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN_270))
def test_an_unreadable_270_gets_a_999_that_pyx12_accepts(tmp_path: Path, kind: str) -> None:
    text = BROKEN_270[kind](inquiry_270(who(member_id="900000018", last_name="Doe", first_name="Jane")))
    problem = evs_x12.parse_270(text)
    assert isinstance(problem, evs_x12.SyntaxProblem), kind
    ack = evs_x12.build_999(envelope("FA", evs_x12.ACK_GUIDE, 3, "CTDSSEMS", "PROV1"), problem)
    path = tmp_path / "ack.x12"
    path.write_text(ack)
    assert x12valid(path) == (True, []), (kind, ack)
    assert "AK9*R*" in ack and problem.message


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_no_mangled_inquiry_breaks_the_reader_or_the_answer(data: st.DataObject) -> None:
    """Characters changed, dropped, added or the text cut: always an Inquiry or a SyntaxProblem,
    and the 271 or 999 for it is built."""
    text = list(inquiry_270(who(member_id="900000018", last_name="Doe", first_name="Jane", ssn="900112222")))
    for _ in range(data.draw(st.integers(1, 6))):
        position = data.draw(st.integers(0, len(text) - 1))
        change = data.draw(st.sampled_from(["set", "drop", "add"]))
        character = data.draw(st.sampled_from(list("*~:^ \n0123456789ASTEHLNIMR-|")))
        if change == "set":
            text[position] = character
        elif change == "drop" and len(text) > 1:
            del text[position]
        else:
            text.insert(position, character)
    mangled = "".join(text)[: data.draw(st.integers(0, len(text)))]
    read = evs_x12.parse_270(mangled)
    if isinstance(read, evs_x12.SyntaxProblem):
        assert read.message and "AK9*R*" in evs_x12.build_999(envelope("FA", evs_x12.ACK_GUIDE), read)
    else:
        answers = [Answer(s, EvsAnswer.REJECTED, RejectReason.SUBSCRIBER_NOT_FOUND) for s in read.subscribers]
        assert "ST*271*" in evs_x12.build_271(envelope("HB", evs_x12.GUIDE), read, SOURCE, answers)


def test_pyx12_refuses_a_999_broken_by_hand(tmp_path: Path) -> None:
    problem = evs_x12.parse_270("not x12")
    assert isinstance(problem, evs_x12.SyntaxProblem)
    ack = evs_x12.build_999(envelope("FA", evs_x12.ACK_GUIDE, 3, "CTDSSEMS", "PROV1"), problem)
    path = tmp_path / "ack.x12"
    path.write_text(ack.replace("AK9*R*", "AK9*Q*"))
    assert x12valid(path)[0] is False


def test_the_evs_is_in_the_interface_registry() -> None:
    from emsterm.interfaces.registry import BY_NAME

    entry = BY_NAME[evs_x12.INTERFACE]
    assert entry.partner == "PROVIDER" and "x12sdk 2.2.0" in entry.validator and "005010X279A1" in entry.standard


def test_the_core_envelope_round_trips_and_names_what_is_missing() -> None:
    fields = {name: f"value {name}" for name in core_envelope.REQUEST_FIELDS}
    body, content_type = core_envelope.encode(fields)
    assert core_envelope.decode(body, content_type) == fields
    with pytest.raises(core_envelope.EnvelopeError) as err:
        core_envelope.check_request({**fields, "PayloadID": ""})
    assert err.value.code == "PayloadIDRequired"
    good = {
        **fields,
        "PayloadType": core_envelope.REQUEST_TYPE,
        "ProcessingMode": "Batch",
        "CORERuleVersion": core_envelope.RULE_VERSION,
    }
    with pytest.raises(core_envelope.EnvelopeError) as err:
        core_envelope.check_request(good)
    assert err.value.code == "ProcessingModeIllegal"
    with pytest.raises(core_envelope.EnvelopeError) as err:
        core_envelope.check_request({**good, "ProcessingMode": "RealTime", "CORERuleVersion": "1.1.0"})
    assert err.value.code == "VersionMismatch"
    with pytest.raises(core_envelope.EnvelopeError):
        core_envelope.decode(b"PayloadType=X", "application/x-www-form-urlencoded")


# -- the server over the hand-built caseload ------------------------------------------------------


@pytest.fixture
def evs(caseload: tuple[Engine, Ems, Path]) -> Iterator[tuple[Engine, Ems, evs_server.EvsServer]]:  # noqa: F811
    """The caseload after the nightly of 03/03/2025 and an EVS server on it (an ephemeral port)."""
    engine, ems, outbox = caseload
    assert batch(ems, outbox, "nightly", date=NIGHTLY)[0] == 0
    with transaction(engine) as session:
        marta = session.scalars(select(Client).where(Client.first_name == "Marta")).one()
        marta.ssn = "900112222"
        leo = session.scalars(select(Client).where(Client.first_name == "Leo")).one()
        leo_case = session.scalars(select(Member.case_id).where(Member.client_id == leo.id)).first()
        session.add(  # Leo chose a managed care plan from March
            ManagedCareEnrollment(
                client_id=leo.id,
                seq=1,
                case_id=leo_case,
                plan_code="CHNC",
                start_date=dt.date(2025, 3, 1),
                selection=PlanSelection.CLIENT_CHOICE,
            )
        )
        session.add(
            Client(
                client_number="000999888",
                last_name="Nobody",
                first_name="Known",
                last_name_soundex="N130",
                birth_date=dt.date(1980, 1, 1),
                sex="M",
                citizenship="US",
            )
        )
    server, _ = evs_server.start(ems.url, NIGHTLY, port=0)
    try:
        yield engine, Ems(ems.url, date=NIGHTLY), server
    finally:
        server.close()


def numbers(engine: Engine) -> dict[str, str]:
    with transaction(engine) as session:
        return {c.first_name: c.client_number for c in session.scalars(select(Client))}


def ask(url: str, subscriber: Subscriber) -> tuple[str, evs_x12.Reply]:
    payload = build_inquiry(subscriber, dt.datetime(2025, 3, 3, 9, 30))
    assert x12sdk(payload) == []
    result = post(url, payload)
    assert result.status == 200 and result.fields["PayloadType"] == core_envelope.RESPONSE_TYPE, result.fields
    assert result.fields["ErrorCode"] == "Success"
    text = result.fields["Payload"]
    assert valid_271(text), text
    assert isinstance(result.replies, list) and len(result.replies) == 1
    return text, result.replies[0]


def raw_post(
    url: str, body: bytes, content_type: str, method: str = "POST", path: str | None = None
) -> tuple[int, bytes]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, path or parts.path, body=body, headers={"Content-Type": content_type})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_the_server_answers_active_inactive_and_each_rejection(evs: tuple[Engine, Ems, evs_server.EvsServer]) -> None:
    engine, _, server = evs
    url = server.url
    ids = numbers(engine)

    text, reply = ask(
        url, who(member_id=ids["Jane"], last_name="Doe", first_name="Jane", service_date=dt.date(2025, 3, 15))
    )
    assert reply.status == EvsAnswer.ACTIVE and reply.benefit_plan == "HUSKYD" and reply.plan_name == "HUSKY D"
    assert "DTP*307*RD8*20250301-20250331~" in text and "TRN*2*TRACE1*1999999999~" in text

    for child in ("Leo", "Ana"):
        _, reply = ask(
            url, who(member_id=ids[child], last_name="Zabriskie", first_name=child, service_date=dt.date(2025, 4, 2))
        )
        assert reply.status == EvsAnswer.REJECTED and reply.reject == RejectReason.DATE_IN_FUTURE
        text, reply = ask(url, who(member_id=ids[child], last_name="Zabriskie", first_name=child))
        assert (reply.status, reply.benefit_plan, reply.first_name) == (EvsAnswer.ACTIVE, "HUSKYA", child.upper())
        # the managed care plan on the date of service, from the member's MCPLAN spans
        plan = "CHNC COMMUNITY HEALTH NETWORK OF CONNECTICUT" if child == "Leo" else None
        assert reply.managed_care_plan == plan and ("EB*MC*IND*30*MC*CHNC" in text) == (child == "Leo"), text

    # By SSN with name and birth date; by name and birth date alone.
    _, reply = ask(
        url, who(ssn="900112222", last_name="Zabriskie", first_name="Marta", birth_date=dt.date(1994, 7, 14))
    )
    assert reply.status == EvsAnswer.ACTIVE and reply.member_id == ids["Marta"] and reply.benefit_plan == "HUSKYA"
    _, reply = ask(url, who(last_name="zabriskie", first_name="leo", birth_date=dt.date(2018, 5, 1)))
    assert reply.status == EvsAnswer.ACTIVE and reply.member_id == ids["Leo"]

    # Known but not covered: a client with no case; Jane before March was decided.
    _, reply = ask(url, who(member_id="000999888", last_name="Nobody", first_name="Known"))
    assert reply.status == EvsAnswer.INACTIVE
    _, reply = ask(
        url, who(member_id=ids["Jane"], last_name="Doe", first_name="Jane", service_date=dt.date(2025, 2, 10))
    )
    assert reply.status == EvsAnswer.INACTIVE

    rejections = {
        RejectReason.SUBSCRIBER_NOT_FOUND: who(member_id="000999961", last_name="Ghost", first_name="Gail"),
        RejectReason.INVALID_MEMBER_ID: who(member_id="12345", last_name="Doe", first_name="Jane"),
        RejectReason.INVALID_NAME: who(member_id=ids["Jane"], last_name="Smith", first_name="Jane"),
        RejectReason.BIRTH_DATE_MISMATCH: who(
            member_id=ids["Jane"], last_name="Doe", first_name="Jane", birth_date=dt.date(1991, 6, 1)
        ),
        RejectReason.OUTSIDE_INQUIRY_PERIOD: who(
            member_id=ids["Jane"], last_name="Doe", first_name="Jane", service_date=dt.date(2024, 2, 29)
        ),
    }
    for reason, subscriber in rejections.items():
        text, reply = ask(url, subscriber)
        assert (reply.status, reply.reject) == (EvsAnswer.REJECTED, reason), reason
        assert f"AAA*{'N' if reason == RejectReason.INVALID_MEMBER_ID else 'Y'}**{reason}*C~" in text

    # An invalid date of service, sent by hand (the builder writes only real dates).
    payload = build_inquiry(
        who(member_id=ids["Jane"], last_name="Doe", first_name="Jane"), dt.datetime(2025, 3, 3, 9, 30)
    )
    payload = payload.replace("EQ*30~", "DTP*291*D8*20250230~\nEQ*30~")
    payload = re.sub(r"SE\*(\d+)\*", lambda m: f"SE*{int(m[1]) + 1}*", payload)
    result = post(url, payload)
    assert isinstance(result.replies, list) and result.replies[0].reject == RejectReason.INVALID_DATE_OF_SERVICE
    assert valid_271(result.fields["Payload"])

    # Every answer was logged: who asked, the member, the date, the answer.
    server.inquiries.flush()
    with transaction(engine) as session:
        rows = session.scalars(select(EvsInquiry).order_by(EvsInquiry.id)).all()
    assert len(rows) == 15 and server.inquiries.failures == 0
    first = rows[0]
    assert (first.sender_id, first.trace_number, first.member_id, first.answer, first.benefit_plan) == (
        "EMSQUERY",
        "TRACE1",
        ids["Jane"],
        EvsAnswer.ACTIVE,
        "HUSKYD",
    )
    assert first.service_date == dt.date(2025, 3, 15) and first.client_id is not None and first.payload_id
    by_ssn = next(r for r in rows if r.ssn_last4)
    assert by_ssn.ssn_last4 == "2222" and by_ssn.member_id is None
    assert [r.reject_reason for r in rows if r.answer == EvsAnswer.REJECTED][-6:-1] == list(rejections)
    assert rows[-1].reject_reason == RejectReason.INVALID_DATE_OF_SERVICE and rows[-1].client_id is None


def test_broken_inquiries_and_envelopes_are_answered_and_the_server_goes_on(
    evs: tuple[Engine, Ems, evs_server.EvsServer], tmp_path: Path
) -> None:
    engine, _, server = evs
    url = server.url
    jane = numbers(engine)["Jane"]
    good = build_inquiry(who(member_id=jane, last_name="Doe", first_name="Jane"), dt.datetime(2025, 3, 3, 9, 30))
    for kind, breaks in BROKEN_270.items():
        result = post(url, breaks(good))
        assert result.status == 200 and result.fields["PayloadType"] == core_envelope.ACK_TYPE, kind
        path = tmp_path / "ack.x12"
        path.write_text(result.fields["Payload"])
        assert x12valid(path) == (True, []), kind
        _, reply = ask(url, who(member_id=jane, last_name="Doe", first_name="Jane"))  # and the next is answered
        assert reply.status == EvsAnswer.ACTIVE

    fields = {
        "PayloadType": core_envelope.REQUEST_TYPE,
        "ProcessingMode": "RealTime",
        "PayloadID": str(uuid.uuid4()),
        "TimeStamp": "2025-03-03T09:30:00Z",
        "SenderID": "PROV1",
        "ReceiverID": "CTDSSEMS",
        "CORERuleVersion": core_envelope.RULE_VERSION,
        "Payload": good,
    }
    for change, code in [
        ({"PayloadID": ""}, "PayloadIDRequired"),
        ({"PayloadType": "X12_276_Request_005010X212"}, "PayloadTypeIllegal"),
        ({"ProcessingMode": "Batch"}, "ProcessingModeIllegal"),
        ({"CORERuleVersion": "1.1.0"}, "VersionMismatch"),
    ]:
        body, content_type = core_envelope.encode({**fields, **change})
        status, data = raw_post(url, body, content_type)
        assert status == 400 and f'name="ErrorCode"\r\n\r\n{code}\r\n'.encode() in data, code
    status, data = raw_post(url, b"not a form", "text/plain")
    assert status == 400 and b"PayloadIllegal" in data
    status, data = raw_post(url, b"", "text/plain", method="GET")
    assert status == 405 and b"POST" in data
    body, content_type = core_envelope.encode(fields)
    status, _ = raw_post(url, body, content_type, path="/elsewhere")
    assert status == 404
    assert raw_post(url, body, content_type)[0] == 200
    server.inquiries.flush()
    with transaction(engine) as session:
        answers = [r.answer for r in session.scalars(select(EvsInquiry).order_by(EvsInquiry.id))]
    assert answers.count(EvsAnswer.SYNTAX_ERROR) == len(BROKEN_270)


def test_a_bounded_concurrent_load_is_answered_correctly(evs: tuple[Engine, Ems, evs_server.EvsServer]) -> None:
    """8 clients x 25 requests each, on loopback: every answer right, every one logged."""
    engine, _, server = evs
    ids = numbers(engine)
    cases = [
        (who(member_id=ids["Jane"], last_name="Doe", first_name="Jane"), EvsAnswer.ACTIVE, "HUSKYD"),
        (who(member_id=ids["Leo"], last_name="Zabriskie", first_name="Leo"), EvsAnswer.ACTIVE, "HUSKYA"),
        (who(member_id="000999888", last_name="Nobody", first_name="Known"), EvsAnswer.INACTIVE, None),
        (who(member_id="000999961", last_name="Ghost", first_name="Gail"), EvsAnswer.REJECTED, None),
    ]
    parts = urlsplit(server.url)

    def client(number: int) -> list[bool]:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        right = []
        try:
            for index in range(25):
                subscriber, status, plan = cases[(number + index) % len(cases)]
                body, content_type = core_envelope.encode(
                    {
                        "PayloadType": core_envelope.REQUEST_TYPE,
                        "ProcessingMode": "RealTime",
                        "PayloadID": f"{number}-{index}",
                        "TimeStamp": "2025-03-03T09:30:00Z",
                        "SenderID": f"LOAD{number}",
                        "ReceiverID": "CTDSSEMS",
                        "CORERuleVersion": core_envelope.RULE_VERSION,
                        "Payload": build_inquiry(subscriber, dt.datetime(2025, 3, 3, 9, 30), control=index + 1),
                    }
                )
                connection.request("POST", parts.path, body=body, headers={"Content-Type": content_type})
                response = connection.getresponse()
                data = response.read()
                answer = core_envelope.decode(data, response.headers["Content-Type"])
                replies = evs_x12.parse_271(answer["Payload"])
                right.append(
                    response.status == 200
                    and isinstance(replies, list)
                    and (replies[0].status, replies[0].benefit_plan) == (status, plan)
                )
        finally:
            connection.close()
        return right

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = [ok for batch_ in pool.map(client, range(8)) for ok in batch_]
    assert len(results) == 200 and all(results)
    server.inquiries.flush()
    with transaction(engine) as session:
        logged = session.scalars(select(EvsInquiry.sender_id).where(EvsInquiry.sender_id.like("LOAD%"))).all()
    assert len(logged) == 200


def test_ems_evs_query_prints_the_answer_in_plain_words(evs: tuple[Engine, Ems, evs_server.EvsServer]) -> None:
    engine, ems, server = evs
    ids = numbers(engine)
    result = ems("evs", "query", "--client", ids["Jane"], "--date", "2025-03-15", "--url", server.url)
    assert result.exit_code == 0, result.output
    # (the nightly assigned Jane, HUSKY D since 2024, a plan by round robin: her choice period had passed)
    assert result.output.startswith(
        "ACTIVE: HUSKY D (plan HUSKYD) on 03/15/2025, managed care AETN AETNA BETTER HEALTH OF CONNECTICUT"
        f" - JANE DOE {ids['Jane']}"
    ), result.output
    result = ems(
        "evs",
        "query",
        "--ssn",
        "900-11-2222",
        "--last",
        "Zabriskie",
        "--first",
        "Marta",
        "--dob",
        "1994-07-14",
        "--url",
        server.url,
    )
    assert result.exit_code == 0 and result.output.startswith("ACTIVE: HUSKY A (plan HUSKYA)"), result.output
    result = ems("evs", "query", "--client", "000999888", "--url", server.url)
    assert result.exit_code == 0 and result.output.startswith("INACTIVE: no Medical Assistance on 03/03/2025")
    result = ems("evs", "query", "--client", "000999961", "--last", "Ghost", "--first", "Gail", "--url", server.url)
    assert result.exit_code == 1 and result.output.startswith("NOT FOUND: subscriber not found (AAA 75)")
    result = ems("evs", "query", "--url", server.url)
    assert result.exit_code == 2 and "give --client" in result.output


def test_ems_evs_query_says_in_one_line_when_no_server_answers() -> None:
    result = CliRunner().invoke(
        cli,
        [
            "--date",
            "2025-03-03",
            "evs",
            "query",
            "--client",
            "900000018",
            "--url",
            "http://127.0.0.1:9/evs",
            "--timeout",
            "2",
        ],
    )
    assert result.exit_code == 1
    assert (
        result.output.startswith("ems: no answer from http://127.0.0.1:9/evs") and len(result.output.splitlines()) == 1
    )


# -- the inquiry log on the operations menu (EM96) ------------------------------------------------


async def test_an_operator_reads_the_inquiry_log_on_em96(terminal_db: str) -> None:
    from tests.pilot import SIZE, fill, make_app, row, shown, sign_on, type_command

    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        someone = session.scalars(select(Client).order_by(Client.id)).first()
        assert someone is not None
        number, last, first = someone.client_number, someone.last_name, someone.first_name
    engine.dispose()
    server, _ = evs_server.start(terminal_db, dt.date(2025, 3, 1), port=0)
    try:
        ask(server.url, who(member_id=number, last_name=last, first_name=first))
        ask(server.url, who(member_id="000999961", last_name="Ghost", first_name="Gail"))
        assert post(server.url, "not x12").fields["PayloadType"] == core_envelope.ACK_TYPE
        server.inquiries.flush()
    finally:
        server.close()
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, "OPER")
        await type_command(pilot, "=8.6")
        assert row(app, 1).startswith("EMS0980") and row(app, 23) == "EMS150I 3 INQUIRIES - NEWEST FIRST", shown(app)
        assert row(app, 7).split()[2:5] == ["EMSQUERY", "-", "999"], shown(app)
        assert row(app, 8).split()[3:6] == ["000999961", "03/01/2025", "AAA"], shown(app)
        assert row(app, 9).split()[3] == number, shown(app)
        await fill(pilot, {"answer": "R"})
        assert row(app, 23) == "EMS150I 1 INQUIRIES - NEWEST FIRST" and "000999961" in row(app, 7), shown(app)
        await fill(pilot, {"answer": "Q"})
        assert row(app, 23).startswith("EMS025E ANSWER MUST BE ONE OF"), shown(app)
        await fill(pilot, {"answer": "", "member": number})
        assert row(app, 23) == "EMS150I 1 INQUIRIES - NEWEST FIRST", shown(app)


# -- the command and its failures ------------------------------------------------------------------


def test_a_database_that_stops_answering_gets_aaa_42_and_the_server_goes_on(
    evs: tuple[Engine, Ems, evs_server.EvsServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, _, server = evs
    jane = numbers(engine)["Jane"]
    working = server.sessions

    def gone() -> None:
        raise OperationalError("SELECT 1", {}, Exception("the database went away"))

    monkeypatch.setattr(server, "sessions", gone)
    result = post(
        server.url, build_inquiry(who(member_id=jane, last_name="Doe", first_name="Jane"), dt.datetime(2025, 3, 3))
    )
    assert result.status == 200 and "AAA*Y**42*R~" in result.fields["Payload"] and result.replies == []
    assert x12sdk(result.fields["Payload"]) == []
    monkeypatch.setattr(server, "sessions", working)
    _, reply = ask(server.url, who(member_id=jane, last_name="Doe", first_name="Jane"))
    assert reply.status == EvsAnswer.ACTIVE


def test_ems_evs_serve_answers_until_stopped_and_writes_its_log(sqlite_url: str) -> None:
    migrated(sqlite_url).dispose()
    command = [
        sys.executable,
        "-m",
        "emsterm",
        "--db",
        sqlite_url,
        "--date",
        "2025-03-03",
        "evs",
        "serve",
        "--port",
        "0",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline() if process.stdout else ""
        assert line.startswith("EVS answering at http://127.0.0.1:") and "as of 03/03/2025" in line, line
        url = line.split()[3]
        _, reply = ask(url, who(member_id="000999961", last_name="Ghost", first_name="Gail"))
        assert reply.reject == RejectReason.SUBSCRIBER_NOT_FOUND
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=60)
    assert process.returncode == 0 and "Traceback" not in errors, errors
    engine = make_engine(sqlite_url)
    with transaction(engine) as session:
        assert session.scalars(select(EvsInquiry.reject_reason)).all() == [RejectReason.SUBSCRIBER_NOT_FOUND]
    engine.dispose()


def test_ems_evs_serve_refuses_a_missing_database_and_a_port_in_use(sqlite_url: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", f"sqlite:///{tmp_path / 'none.db'}", "evs", "serve"])
    assert result.exit_code == 1 and result.output.startswith("ems: no database at"), result.output
    migrated(sqlite_url).dispose()
    server, _ = evs_server.start(sqlite_url, dt.date(2025, 3, 3), port=0)
    try:
        port = server.server_address[1]
        result = CliRunner().invoke(cli, ["--db", sqlite_url, "evs", "serve", "--port", str(port)])
    finally:
        server.close()
    assert result.exit_code == 1 and result.output.startswith(f"ems: cannot listen on 127.0.0.1:{port}"), result.output
