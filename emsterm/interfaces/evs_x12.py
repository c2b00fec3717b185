"""Real-time eligibility verification: X12 270 inquiries and 271 answers (005010X279A1), and the
999 acknowledgment (005010X231A1) for an inquiry that cannot be read. Pure: text in, text out.

A 270 (functional group HS) names the information source (loop 2000A/2100A, the payer: DSS),
the information receiver (2000B/2100B, the provider asking) and one or more subscribers
(2000C/2100C): TRN (the provider's trace number), NM1*IL with the member id (NM108 `MI`, NM109
the client number) or a name, REF*SY with the SSN, DMG with the birth date, DTP*291 the date of
service (D8, or RD8 whose first day is taken; none means the day asked), EQ the service type.
EMS members are each their own subscriber: a dependent loop (2000D) is not answered.

The 271 (group HB) repeats the source and receiver and answers each subscriber in order:
TRN*2 with the trace number echoed, NM1*IL with EMS's name and client number, DMG, then either
loop 2110C, EB*1 (active coverage, EB04 `MC` Medicaid, EB05 the plan as providers read it, REF*18
the MMIS benefit plan, DTP*307 the benefit month), EB*MC for a managed care plan, or EB*6
(inactive); or AAA in 2100C: AAA03 72 invalid member id, 73 invalid name, 75 subscriber not
found, 71 birth date does not match, 57 invalid date of service, 62 outside the inquiry period,
63 in the future, 15 required data missing.

An interchange that is not X12, of another version, truncated or miscounted is answered with a
999 whose AK1/AK2/IK3/IK4/IK5/AK9 say what was wrong (`SyntaxProblem`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from emsterm.interfaces.x12 import Envelope, d8, interchange, segment, text, transaction_set
from emsterm.model.codes import (
    AcknowledgmentCode,
    BenefitInformation,
    ElementError,
    EvsAnswer,
    FollowUpAction,
    GroupError,
    RejectReason,
    SegmentError,
    TransactionError,
    X12Gender,
)

GUIDE = "005010X279A1"
"""ST03 and GS08 of the 270 and 271."""
GUIDES_READ = frozenset({GUIDE, "005010X279"})
"""ST03 values a 270 may carry (the guide before its addendum wrote no A1)."""
ACK_GUIDE = "005010X231A1"
"""ST03 and GS08 of the 999."""
INQUIRY_GROUP = "HS"
ANSWER_GROUP = "HB"
ACK_GROUP = "FA"
INTERFACE = "X12-270/271"
"""The interface's name in the registry and on the inquiry log screen."""
HEALTH_BENEFIT_PLAN = "30"
"""EB03/EQ01 service type: health benefit plan coverage."""
MEDICAID = "MC"
"""EB04 insurance type: Medicaid."""
UNABLE_TO_RESPOND = "42"
"""AAA03 of loop 2100A: the information source cannot respond at the current time."""


@dataclass(frozen=True)
class Party:
    """An entity of loop 2100A or 2100B: NM101, its name, NM108 and NM109."""

    entity: str
    name: str
    qualifier: str
    identifier: str

    def segment(self) -> str:
        """Its NM1 segment (a non-person entity, NM102 2)."""
        return segment(
            "NM1",
            text(self.entity, 3),
            "2",
            text(self.name, 60),
            "",
            "",
            "",
            "",
            text(self.qualifier, 2),
            text(self.identifier, 80),
        )


@dataclass(frozen=True)
class Subscriber:
    """One subscriber of a 270: who the provider asks about, and for which date."""

    trace: str
    """TRN02: the provider's trace number."""
    trace_originator: str
    """TRN03: who assigned it (ten characters: 1 and a tax id)."""
    member_id: str | None = None
    last_name: str = ""
    first_name: str = ""
    middle_initial: str = ""
    ssn: str | None = None
    birth_date: dt.date | None = None
    service_date: dt.date | None = None
    birth_date_invalid: bool = False
    """DMG was sent with a date that is not one."""
    service_date_invalid: bool = False
    """DTP*291 was sent with a date that is not one."""


@dataclass(frozen=True)
class Inquiry:
    """A 270 that could be read."""

    sender: str
    """ISA06 (the provider's interchange id)."""
    receiver: str
    """ISA08."""
    group_control: str
    transaction_control: str
    reference: str
    """BHT03: the provider's reference, echoed in the 271's BHT."""
    source: Party
    receiver_party: Party
    subscribers: tuple[Subscriber, ...]


@dataclass(frozen=True)
class SyntaxProblem:
    """Why an inquiry could not be read, as a 999 says it."""

    message: str
    """In plain words, for the log and the provider's screen."""
    sender: str = ""
    receiver: str = ""
    group_control: str = "0"
    version: str = GUIDE
    group_error: GroupError | None = None
    transaction: tuple[str, str, str] | None = None
    """ST01, ST02, ST03 of the transaction set in error, when one was found."""
    transaction_error: TransactionError | None = None
    segment: tuple[str, int, SegmentError] | None = None
    """The segment in error: its tag, its position from ST (1), what is wrong."""
    element: tuple[int, ElementError, str] | None = None
    """The element in error: its position in the segment, what is wrong, the value."""


@dataclass(frozen=True)
class Answer:
    """What EMS answers about one subscriber."""

    subscriber: Subscriber
    status: EvsAnswer
    reject: RejectReason | None = None
    follow_up: FollowUpAction = FollowUpAction.CORRECT_AND_RESUBMIT
    member_id: str | None = None
    """The client number EMS knows the member by (when found)."""
    last_name: str = ""
    first_name: str = ""
    middle_initial: str = ""
    birth_date: dt.date | None = None
    gender: X12Gender = X12Gender.UNKNOWN
    plan_name: str | None = None
    """EB05: the plan as providers read it (HUSKY A)."""
    benefit_plan: str | None = None
    """REF*18: the MMIS benefit plan (HUSKYA)."""
    period: tuple[dt.date, dt.date] | None = None
    """DTP*307: the benefit month covering the date of service."""
    managed_care_plan: str | None = None


INVALID_REQUEST = frozenset({RejectReason.INVALID_MEMBER_ID, RejectReason.INVALID_DATE_OF_SERVICE})
"""Rejections of data that is wrong as sent (AAA01 N); the others answer a valid request (Y)."""


# -- writing a 270 (the provider's side) ----------------------------------------------------------


def build_270(
    envelope: Envelope, reference: str, source: Party, receiver: Party, subscribers: Sequence[Subscriber]
) -> str:
    """A 270 interchange asking about the subscribers (one HL 22 each)."""
    body = [
        segment("BHT", "0022", "13", text(reference, 50), d8(envelope.created.date()), f"{envelope.created:%H%M}"),
        segment("HL", "1", "", "20", "1"),
        source.segment(),
        segment("HL", "2", "1", "21", "1"),
        receiver.segment(),
    ]
    for number, s in enumerate(subscribers, start=3):
        body.append(segment("HL", str(number), "2", "22", "0"))
        body.append(segment("TRN", "1", text(s.trace, 50), s.trace_originator))
        name = ["IL", "1", text(s.last_name, 60), text(s.first_name, 35), text(s.middle_initial, 1)]
        if s.member_id:
            name += ["", "", "MI", text(s.member_id, 80)]
        body.append(segment("NM1", *name))
        if s.ssn:
            body.append(segment("REF", "SY", s.ssn))
        if s.birth_date:
            body.append(segment("DMG", "D8", d8(s.birth_date)))
        if s.service_date:
            body.append(segment("DTP", "291", "D8", d8(s.service_date)))
        body.append(segment("EQ", HEALTH_BENEFIT_PLAN))
    control = f"{envelope.control_number:04d}"
    return interchange(envelope, [transaction_set("270", control, GUIDE, body)])


# -- reading a 270 --------------------------------------------------------------------------------


@dataclass
class _Reader:
    """The interchange split into segments with its separators."""

    segments: list[list[str]]
    sub_element: str
    sender: str
    receiver: str


def _split(payload: str) -> _Reader | SyntaxProblem:
    data = payload.lstrip("\ufeff \r\n\t")
    if not data.startswith("ISA") or len(data) < 106:
        return SyntaxProblem(
            "not an X12 interchange (it must begin with an ISA segment)", group_error=GroupError.NOT_SUPPORTED
        )
    element, sub_element, terminator = data[3], data[104], data[105]
    if element.isalnum() or terminator.isalnum() or len({element, sub_element, terminator}) < 3:
        return SyntaxProblem("the ISA segment's separators cannot be read", group_error=GroupError.NOT_SUPPORTED)
    segments = [part.strip("\r\n\t ").split(element) for part in data.split(terminator)]
    segments = [s for s in segments if s != [""]]
    isa = segments[0]
    if len(isa) != 17:
        return SyntaxProblem("the ISA segment does not have its 16 elements", group_error=GroupError.NOT_SUPPORTED)
    sender, receiver = isa[6].strip(), isa[8].strip()
    if isa[12] != "00501":
        return SyntaxProblem(
            f"X12 version {isa[12]!r}: EMS reads 00501 (5010)",
            sender=sender,
            receiver=receiver,
            version=isa[12],
            group_error=GroupError.VERSION_NOT_SUPPORTED,
        )
    return _Reader(segments, sub_element, sender, receiver)


def _date(value: str) -> dt.date | None:
    if len(value) != 8 or not value.isdigit():
        return None
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


def _element(seg: list[str], position: int) -> str:
    return seg[position] if len(seg) > position else ""


KNOWN = frozenset({"BHT", "HL", "NM1", "TRN", "REF", "N3", "N4", "PRV", "DMG", "INS", "HI", "DTP", "EQ", "AMT", "III"})
"""The segments a 270's body may carry."""


def parse_270(payload: str) -> Inquiry | SyntaxProblem:
    """Read a 270 interchange: an `Inquiry`, or the `SyntaxProblem` a 999 reports."""
    reader = _split(payload)
    if isinstance(reader, SyntaxProblem):
        return reader
    segs = reader.segments
    base = SyntaxProblem("", sender=reader.sender, receiver=reader.receiver)
    if len(segs) < 2 or segs[1][0] != "GS":
        return replace(base, message="no functional group (GS) follows the ISA", group_error=GroupError.NOT_SUPPORTED)
    gs = segs[1]
    group_control, version = _element(gs, 6), _element(gs, 8)
    base = replace(base, group_control=group_control if group_control.isdigit() else "0", version=version or GUIDE)
    if _element(gs, 1) != INQUIRY_GROUP:
        return replace(
            base,
            message=f"functional group {_element(gs, 1)!r}: EMS answers eligibility inquiries (HS)",
            group_error=GroupError.NOT_SUPPORTED,
        )
    if version not in GUIDES_READ:
        return replace(
            base,
            message=f"implementation guide {version!r}: EMS answers {GUIDE}",
            group_error=GroupError.VERSION_NOT_SUPPORTED,
        )
    tags = [s[0] for s in segs]
    if "GE" not in tags or "IEA" not in tags:
        missing = "GE" if "GE" not in tags else "IEA"
        if "ST" in tags and "SE" not in tags:
            st = segs[tags.index("ST")]
            return replace(
                base,
                message="the inquiry is cut short: its transaction set has no SE trailer",
                transaction=(_element(st, 1), _element(st, 2), _element(st, 3)),
                transaction_error=TransactionError.TRAILER_MISSING,
                group_error=GroupError.TRAILER_MISSING,
            )
        return replace(
            base, message=f"the inquiry is cut short: no {missing} trailer", group_error=GroupError.TRAILER_MISSING
        )
    starts = [i for i, tag in enumerate(tags) if tag == "ST"]
    ge = segs[tags.index("GE")]
    if len(starts) != 1 or _element(ge, 1) != str(len(starts)):
        return replace(
            base,
            message=f"the group holds {len(starts)} transaction sets and GE01 says {_element(ge, 1)!r}: "
            "EMS answers one at a time",
            group_error=GroupError.TRANSACTION_COUNT_WRONG,
        )
    start = starts[0]
    st = segs[start]
    transaction = (_element(st, 1), _element(st, 2), _element(st, 3))
    base_t = replace(base, transaction=transaction, group_error=None)
    if transaction[0] != "270":
        return replace(
            base_t,
            message=f"transaction set {transaction[0]!r}: EMS answers 270 inquiries",
            transaction_error=TransactionError.NOT_SUPPORTED,
        )
    if transaction[2] not in GUIDES_READ:
        return replace(
            base_t,
            message=f"ST03 {transaction[2]!r}: EMS answers {GUIDE}",
            transaction_error=TransactionError.NOT_SUPPORTED,
        )
    try:
        end = tags.index("SE", start)
    except ValueError:
        return replace(
            base_t,
            message="the inquiry is cut short: its transaction set has no SE trailer",
            transaction_error=TransactionError.TRAILER_MISSING,
        )
    se = segs[end]
    if _element(se, 1) != str(end - start + 1):
        return replace(
            base_t,
            message=f"SE01 says {_element(se, 1)!r} segments; the transaction set has {end - start + 1}",
            transaction_error=TransactionError.SEGMENT_COUNT_WRONG,
        )
    if _element(se, 2) != transaction[1]:
        return replace(
            base_t,
            message=f"SE02 {_element(se, 2)!r} is not ST02 {transaction[1]!r}",
            transaction_error=TransactionError.CONTROL_NUMBERS_DIFFER,
        )
    return _read_body(segs[start + 1 : end], reader, group_control, transaction, base_t)


def _problem(
    base: SyntaxProblem,
    message: str,
    tag: str,
    position: int,
    error: SegmentError,
    element: tuple[int, ElementError, str] | None = None,
) -> SyntaxProblem:
    return replace(
        base,
        message=message,
        transaction_error=TransactionError.SEGMENTS_IN_ERROR,
        segment=(tag, position, error),
        element=element,
    )


@dataclass
class _Open:
    trace: str = ""
    originator: str = ""
    values: dict[str, object] = field(default_factory=dict)
    has_name: bool = False


def _read_body(
    body: list[list[str]],
    reader: _Reader,
    group_control: str,
    transaction: tuple[str, str, str],
    base: SyntaxProblem,
) -> Inquiry | SyntaxProblem:
    reference = ""
    source: Party | None = None
    receiver: Party | None = None
    level = ""
    subscribers: list[Subscriber] = []
    current: _Open | None = None

    def close() -> None:
        if current is not None and level == "22":
            subscribers.append(Subscriber(current.trace, current.originator, **current.values))  # type: ignore[arg-type]

    for index, seg in enumerate(body, start=2):
        tag = seg[0]
        if not (2 <= len(tag) <= 3 and tag.isalnum() and tag.isupper()):
            return _problem(
                base,
                f"segment {index}: {tag[:8]!r} is not a segment id",
                tag[:3] or "?",
                index,
                SegmentError.UNRECOGNIZED,
            )
        if tag not in KNOWN:
            return _problem(
                base, f"segment {index}: {tag} does not belong in a 270", tag, index, SegmentError.UNEXPECTED
            )
        if tag == "BHT":
            reference = _element(seg, 3)
        elif tag == "HL":
            if current is not None and level == "22" and not current.has_name:
                return _problem(
                    base,
                    f"segment {index}: the subscriber before it has no NM1*IL",
                    "NM1",
                    index,
                    SegmentError.REQUIRED_MISSING,
                )
            close()
            level = _element(seg, 3)
            if level not in ("20", "21", "22", "23"):
                return _problem(
                    base,
                    f"segment {index}: HL03 {level!r} is not a level of a 270",
                    "HL",
                    index,
                    SegmentError.DATA_ELEMENT_ERRORS,
                    (3, ElementError.INVALID_CODE, level),
                )
            current = _Open() if level == "22" else None
        elif tag == "NM1" and level in ("20", "21"):
            party = Party(_element(seg, 1), _element(seg, 3), _element(seg, 8), _element(seg, 9))
            if level == "20":
                source = party
            else:
                receiver = party
        elif current is not None and level == "22":
            problem = _subscriber_segment(current, seg, tag, index, base)
            if problem is not None:
                return problem
    if current is not None and level == "22" and not current.has_name:
        return _problem(base, "the last subscriber has no NM1*IL", "NM1", len(body) + 1, SegmentError.REQUIRED_MISSING)
    close()
    if source is None or receiver is None:
        missing = "information source (HL 20)" if source is None else "information receiver (HL 21)"
        return _problem(base, f"the inquiry names no {missing}", "HL", 2, SegmentError.REQUIRED_MISSING)
    if not subscribers:
        return _problem(
            base, "the inquiry asks about no subscriber (HL 22)", "HL", len(body) + 1, SegmentError.REQUIRED_MISSING
        )
    return Inquiry(
        reader.sender, reader.receiver, group_control, transaction[1], reference, source, receiver, tuple(subscribers)
    )


def _subscriber_segment(
    current: _Open, seg: list[str], tag: str, index: int, base: SyntaxProblem
) -> SyntaxProblem | None:
    values = current.values
    if tag == "TRN":
        current.trace, current.originator = _element(seg, 2), _element(seg, 3)
    elif tag == "NM1":
        if _element(seg, 1) != "IL":
            return _problem(
                base,
                f"segment {index}: NM101 {_element(seg, 1)!r}: a subscriber is IL",
                "NM1",
                index,
                SegmentError.DATA_ELEMENT_ERRORS,
                (1, ElementError.INVALID_CODE, _element(seg, 1)),
            )
        current.has_name = True
        values["last_name"] = _element(seg, 3)
        values["first_name"] = _element(seg, 4)
        values["middle_initial"] = _element(seg, 5)[:1]
        if _element(seg, 9):
            values["member_id"] = _element(seg, 9)
    elif tag == "REF" and _element(seg, 1) == "SY":
        values["ssn"] = _element(seg, 2)
    elif tag == "DMG" and _element(seg, 1) == "D8":
        born = _date(_element(seg, 2))
        values["birth_date"] = born
        values["birth_date_invalid"] = born is None
    elif tag == "DTP" and _element(seg, 1) == "291":
        raw = _element(seg, 3)
        first = raw.split("-", 1)[0] if _element(seg, 2) == "RD8" else raw
        day = _date(first) if _element(seg, 2) in ("D8", "RD8") else None
        values["service_date"] = day
        values["service_date_invalid"] = day is None
    return None


# -- writing a 271 --------------------------------------------------------------------------------


def subscriber_loop(number: int, answer: Answer) -> list[str]:
    """Loop 2000C of the 271 for one answer: HL, TRN, NM1, AAA or DMG and the EB loops."""
    s = answer.subscriber
    found = answer.status in (EvsAnswer.ACTIVE, EvsAnswer.INACTIVE)
    last, first, middle = (
        (answer.last_name, answer.first_name, answer.middle_initial)
        if found
        else (s.last_name, s.first_name, s.middle_initial)
    )
    member_id = answer.member_id if found else s.member_id
    name = ["IL", "1", text(last, 60), text(first, 35), text(middle, 1)]
    if member_id:
        name += ["", "", "MI", text(member_id, 80)]
    lines = [segment("HL", str(number), "2", "22", "0")]
    if s.trace and s.trace_originator:
        lines.append(segment("TRN", "2", text(s.trace, 50), text(s.trace_originator, 10)))
    lines.append(segment("NM1", *name))
    if answer.status == EvsAnswer.REJECTED:
        reason = answer.reject or RejectReason.REQUIRED_DATA_MISSING
        valid = "N" if reason in INVALID_REQUEST else "Y"
        lines.append(segment("AAA", valid, "", reason, answer.follow_up))
        if s.birth_date:
            lines.append(segment("DMG", "D8", d8(s.birth_date)))
        return lines
    if answer.birth_date:
        gender = "" if answer.gender == X12Gender.UNKNOWN else answer.gender  # DMG03 only when known
        lines.append(segment("DMG", "D8", d8(answer.birth_date), gender))
    if answer.status == EvsAnswer.ACTIVE:
        lines.append(
            segment(
                "EB",
                BenefitInformation.ACTIVE_COVERAGE,
                "IND",
                HEALTH_BENEFIT_PLAN,
                MEDICAID,
                text(answer.plan_name or "", 50),
            )
        )
        if answer.benefit_plan:
            lines.append(segment("REF", "18", text(answer.benefit_plan, 50)))
        if answer.period:
            lines.append(segment("DTP", "307", "RD8", f"{d8(answer.period[0])}-{d8(answer.period[1])}"))
        if answer.managed_care_plan:
            lines.append(
                segment(
                    "EB",
                    BenefitInformation.MANAGED_CARE_COORDINATOR,
                    "IND",
                    HEALTH_BENEFIT_PLAN,
                    MEDICAID,
                    text(answer.managed_care_plan, 50),
                )
            )
    else:
        lines.append(segment("EB", BenefitInformation.INACTIVE, "IND", HEALTH_BENEFIT_PLAN))
    return lines


def build_271(
    envelope: Envelope, inquiry: Inquiry, source: Party, answers: Sequence[Answer], *, unable: bool = False
) -> str:
    """The 271 interchange answering an inquiry, subscriber by subscriber in its order; `unable`:
    EMS cannot answer now (AAA*Y**42*R in loop 2100A, no subscriber answered)."""
    created = envelope.created
    body = [
        segment("BHT", "0022", "11", text(inquiry.reference, 50) or "0", d8(created.date()), f"{created:%H%M}"),
        segment("HL", "1", "", "20", "1"),
        source.segment(),
    ]
    if unable:
        body.append(segment("AAA", "Y", "", UNABLE_TO_RESPOND, FollowUpAction.RESUBMISSION_ALLOWED))
    body += [
        segment("HL", "2", "1", "21", "1"),
        inquiry.receiver_party.segment(),
    ]
    for number, answer in enumerate(answers, start=3):
        body.extend(subscriber_loop(number, answer))
    control = f"{envelope.control_number % 10_000:04d}"
    return interchange(envelope, [transaction_set("271", control, GUIDE, body)])


# -- writing a 999 --------------------------------------------------------------------------------


def build_999(envelope: Envelope, problem: SyntaxProblem) -> str:
    """The 999 rejecting an inquiry that could not be read: AK1 the group, AK2 to IK5 the
    transaction set and what was wrong in it, AK9 the group's verdict."""
    body = [segment("AK1", INQUIRY_GROUP, problem.group_control, text(problem.version, 12) or GUIDE)]
    received = 0
    if problem.transaction is not None:
        received = 1
        code, control, guide = problem.transaction
        body.append(segment("AK2", text(code, 3) or "270", text(control, 9) or "0", text(guide, 35)))
        if problem.segment is not None:
            tag, position, error = problem.segment
            body.append(segment("IK3", text(tag, 3) or "?", str(position), "", error))
            if problem.element is not None:
                place, element_error, value = problem.element
                body.append(segment("IK4", str(place), "", element_error, text(value, 99)))
        body.append(
            segment("IK5", AcknowledgmentCode.REJECTED, problem.transaction_error or TransactionError.SEGMENTS_IN_ERROR)
        )
    ak9 = [AcknowledgmentCode.REJECTED, str(received), str(received), "0"]
    if problem.group_error is not None:
        ak9.append(problem.group_error)
    body.append(segment("AK9", *ak9))
    control = f"{envelope.control_number % 10_000:04d}"
    return interchange(envelope, [transaction_set("999", control, ACK_GUIDE, body)])


# -- reading a 271 (the provider's side) ----------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """One subscriber's answer as the provider reads a 271."""

    trace: str
    member_id: str
    last_name: str
    first_name: str
    status: EvsAnswer
    reject: str | None = None
    plan_name: str | None = None
    benefit_plan: str | None = None
    managed_care_plan: str | None = None


def parse_271(payload: str) -> list[Reply] | SyntaxProblem:
    """The subscribers' answers of a 271, or a 999's problem (a 999 or an unreadable reply)."""
    reader = _split(payload)
    if isinstance(reader, SyntaxProblem):
        return reader
    tags = [s[0] for s in reader.segments]
    if "ST" in tags and _element(reader.segments[tags.index("ST")], 1) == "999":
        codes = [_element(s, 2) for s in reader.segments if s[0] in ("IK5", "IK3")]
        return SyntaxProblem("EMS could not read the inquiry (999 " + " ".join(c for c in codes if c) + ")")
    replies: list[Reply] = []
    current: dict[str, object] | None = None
    for seg in reader.segments:
        tag = seg[0]
        if tag == "HL":
            if current is not None:
                replies.append(Reply(**current))  # type: ignore[arg-type]
            current = (
                {"trace": "", "member_id": "", "last_name": "", "first_name": "", "status": EvsAnswer.INACTIVE}
                if _element(seg, 3) == "22"
                else None
            )
        elif current is None:
            continue
        elif tag == "TRN":
            current["trace"] = _element(seg, 2)
        elif tag == "NM1":
            current |= {"last_name": _element(seg, 3), "first_name": _element(seg, 4), "member_id": _element(seg, 9)}
        elif tag == "AAA":
            current |= {"status": EvsAnswer.REJECTED, "reject": _element(seg, 3)}
        elif tag == "EB" and _element(seg, 1) == BenefitInformation.ACTIVE_COVERAGE:
            current |= {"status": EvsAnswer.ACTIVE, "plan_name": _element(seg, 5)}
        elif tag == "EB" and _element(seg, 1) == BenefitInformation.MANAGED_CARE_COORDINATOR:
            current["managed_care_plan"] = _element(seg, 5)
        elif tag == "REF" and _element(seg, 1) == "18":
            current["benefit_plan"] = _element(seg, 2)
        elif tag in ("SE", "GE", "IEA"):
            replies.append(Reply(**current))  # type: ignore[arg-type]
            current = None
    return replies
