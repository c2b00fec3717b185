"""The benefit enrollment file to the Medicaid MMIS (interChange): X12 834, guide 005010X220A1.

One interchange, one group, one transaction set. BGN08 says what the file is: `2` the nightly's
changes, `4` the monthly's full audit. Loop 1000A names DSS (N1*P5), loop 1000B the MMIS
(N1*IN). Each member is a loop 2000:

    INS  subscriber (Y: the head of the case) or dependent (N); relationship (18 self, 01 spouse,
         19 child, 03 parent, 14 sibling, G9 other relative, G8 other); maintenance type (021
         add, 001 change, 024 termination, 030 audit); its reason; A active; FT for a subscriber
    REF*0F the subscriber id: the head's client number     REF*1L the case number
    REF*23 the member's own client number                   DTP*356 eligibility begin
    NM1*IL the member's name (NM108 34 and the SSN only when there is one: the guide allows 34
         for the SSN and ZZ only for an ITIN, so a member without one is known by REF*23)
    N3/N4 the case's address                                DMG birth date and sex (F, M, U)
    HD   the maintenance type, HLT, the MMIS benefit plan
    DTP*348 coverage begin; DTP*349 coverage end (terminations)
    and for a member in a HUSKY managed care plan a second loop 2300:
    HD   the maintenance type, HMO, the managed care plan's code
    DTP*348 the plan's begin; DTP*349 its end (terminations)
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from emsterm.interfaces.x12 import Envelope, d8, interchange, segment, text, transaction_set
from emsterm.model.codes import (
    EnrollmentAction,
    InsuranceLine,
    InsuredRelationship,
    MaintenanceReason,
    MaintenanceType,
    RelationshipToHead,
    Sex,
    X12Gender,
)

GUIDE = "005010X220A1"
INTERFACE = "X12-834"
"""The interface name of the files in the interface file log."""

RELATIONSHIP = {
    RelationshipToHead.SELF: InsuredRelationship.SELF,
    RelationshipToHead.SPOUSE: InsuredRelationship.SPOUSE,
    RelationshipToHead.CHILD: InsuredRelationship.CHILD,
    RelationshipToHead.PARENT: InsuredRelationship.PARENT,
    RelationshipToHead.SIBLING: InsuredRelationship.SIBLING,
    RelationshipToHead.OTHER_RELATIVE: InsuredRelationship.OTHER_RELATIVE,
    RelationshipToHead.UNRELATED: InsuredRelationship.OTHER_RELATIONSHIP,
}
"""EMS's relationship to the head -> INS02 (the guide's individual relationship codes)."""

GENDER = {Sex.FEMALE: X12Gender.FEMALE, Sex.MALE: X12Gender.MALE}
"""EMS's sex -> DMG03; anything else is U (unknown)."""

REASON = {
    MaintenanceType.ADD: MaintenanceReason.INITIAL_ENROLLMENT,
    MaintenanceType.CHANGE: MaintenanceReason.NO_REASON_GIVEN,
    MaintenanceType.TERMINATION: MaintenanceReason.TERMINATION_OF_BENEFITS,
    MaintenanceType.AUDIT: MaintenanceReason.NOTIFICATION_ONLY,
}
"""INS04 for each maintenance type."""


@dataclass(frozen=True)
class Party:
    """A sponsor or payer of loop 1000: its name and federal tax id."""

    name: str
    tax_id: str


@dataclass(frozen=True)
class Enrollment:
    """One member's coverage event as the file shows it."""

    maintenance: MaintenanceType
    subscriber: bool
    """The head of the case (INS01 Y)."""
    relationship: RelationshipToHead
    subscriber_id: str
    """The head's client number (REF*0F)."""
    case_number: str
    client_number: str
    last_name: str
    first_name: str
    middle_initial: str
    ssn: str | None
    street: str
    town: str
    zip: str
    birth_date: dt.date
    sex: Sex
    plan: str
    """The MMIS benefit plan (HD04)."""
    eligibility_begin: dt.date
    coverage_begin: dt.date
    coverage_end: dt.date | None = None
    """The last day covered, for a termination."""
    managed_care_plan: str | None = None
    """The member's managed care plan (`ref_managed_care_plan.code`), sent as an HMO loop."""
    managed_care_begin: dt.date | None = None
    """The first day in that plan within the coverage (DTP*348 of the HMO loop)."""


@dataclass(frozen=True)
class EnrollmentFile:
    """The file's text and its control totals."""

    data: bytes
    control_number: int
    members: int
    segments: int
    """The transaction set's segment count (SE01)."""
    totals: dict[str, int]
    """Members by maintenance type and by benefit plan."""


def member_loop(e: Enrollment) -> list[str]:
    """The segments of one member's loop 2000 (with its 2100A and 2300 loops)."""
    ins = [
        "Y" if e.subscriber else "N",
        RELATIONSHIP.get(e.relationship, InsuredRelationship.OTHER_RELATIONSHIP),
        e.maintenance,
        REASON[e.maintenance],
        "A",
    ]
    if e.subscriber:
        ins += ["", "", "FT"]
    name = ["IL", "1", text(e.last_name, 60), text(e.first_name, 35), text(e.middle_initial, 1)]
    if e.ssn:
        name += ["", "", "34", e.ssn]
    segments = [
        segment("INS", *ins),
        segment("REF", "0F", e.subscriber_id),
        segment("REF", "1L", e.case_number),
        segment("REF", "23", e.client_number),
        segment("DTP", "356", "D8", d8(e.eligibility_begin)),
        segment("NM1", *name),
        segment("N3", text(e.street, 55)),
        segment("N4", text(e.town, 30), "CT", e.zip),
        segment("DMG", "D8", d8(e.birth_date), GENDER.get(e.sex, X12Gender.UNKNOWN)),
        segment("HD", e.maintenance, "", InsuranceLine.HEALTH, text(e.plan, 50)),
        segment("DTP", "348", "D8", d8(e.coverage_begin)),
    ]
    if e.coverage_end is not None:
        segments.append(segment("DTP", "349", "D8", d8(e.coverage_end)))
    if e.managed_care_plan:
        segments.append(segment("HD", e.maintenance, "", InsuranceLine.HMO, text(e.managed_care_plan, 50)))
        segments.append(segment("DTP", "348", "D8", d8(e.managed_care_begin or e.coverage_begin)))
        if e.coverage_end is not None:
            segments.append(segment("DTP", "349", "D8", d8(e.coverage_end)))
    return segments


def build(
    enrollments: Iterable[Enrollment],
    *,
    action: EnrollmentAction,
    envelope: Envelope,
    sponsor: Party,
    payer: Party,
) -> EnrollmentFile:
    """The 834 interchange of the members given, in their order."""
    number = envelope.control_number
    created = envelope.created
    body = [
        segment("BGN", "00", f"{number:09d}", d8(created.date()), f"{created:%H%M}", "", "", "", action),
        segment("N1", "P5", text(sponsor.name, 60), "FI", sponsor.tax_id),
        segment("N1", "IN", text(payer.name, 60), "FI", payer.tax_id),
    ]
    totals: Counter[str] = Counter()
    members = 0
    for e in enrollments:
        body.extend(member_loop(e))
        members += 1
        totals[f"type:{e.maintenance}"] += 1
        totals[f"plan:{text(e.plan, 50)}"] += 1
        if e.managed_care_plan:
            totals[f"mco:{text(e.managed_care_plan, 50)}"] += 1
    transaction = transaction_set("834", f"{number:04d}", GUIDE, body)
    data = interchange(envelope, [transaction]).encode("ascii")
    return EnrollmentFile(data, number, members, len(transaction), dict(sorted(totals.items())))
