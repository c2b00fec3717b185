"""MEDCARDS: the monthly's medical ID card file, one card a member who is covered in the next
benefit month (the month the cycle determined; who is covered as for the 834's audit file) and
is newly eligible (no card yet) or whose card would look different from the last one (name,
birth date, benefit plan, managed care plan, address): `medical-id-cards.txt`
(`emsterm/interfaces/medical_cards.py`).

Each member's last card is kept as MEDCARD under CLIENT: the fingerprint of the card's fields,
the month and the run. The file, the fingerprints and the interface log entry are one commit with
the step's last checkpoint: a restart after it does nothing again; a restart before it writes
the same file (the fingerprints are still those of before).
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from emsterm.cycles.job import StepJob, write_atomically
from emsterm.cycles.mmis_enrollment import audit
from emsterm.interfaces import medical_cards
from emsterm.interfaces.medical_cards import Card
from emsterm.model import Client, FileDirection, MedicalCard
from emsterm.model.batch import InterfaceFile
from emsterm.model.codes import CardReason
from emsterm.services.changes import month_of, next_month
from emsterm.services.managed_care import plans_in_force


def run(job: StepJob) -> int:
    """Write the card file of the next benefit month and log it."""
    job.finish(lambda session: write_cards(session, job))
    return 0


def write_cards(session: Session, job: StepJob) -> None:
    """Choose the cards, write the file, keep the fingerprints and log the file."""
    session.execute(
        delete(InterfaceFile).where(InterfaceFile.run_id == job.run_id, InterfaceFile.step_name == job.spec.name)
    )
    month = next_month(month_of(job.business_date))
    plans = plans_in_force(session, month)
    cards: dict[str, Card] = {}
    for e in audit(session, job.business_date, month):
        if e.client_number in cards:
            continue  # one card a member, whatever programs cover them
        plan = plans.get(e.managed_care_plan or "")
        cards[e.client_number] = Card(
            client_number=e.client_number,
            last_name=e.last_name,
            first_name=e.first_name,
            middle_initial=e.middle_initial,
            birth_date=e.birth_date,
            benefit_plan=e.plan,
            plan_code=plan.code if plan else "",
            plan_name=plan.name if plan else "",
            plan_phone=plan.phone if plan else "",
            street=e.street,
            town=e.town,
            zip=e.zip,
        )
    numbers = sorted(cards)
    ids: dict[str, int] = {}
    last: dict[int, MedicalCard] = {}
    for start in range(0, len(numbers), 1000):
        chunk = numbers[start : start + 1000]
        found = session.execute(select(Client.client_number, Client.id).where(Client.client_number.in_(chunk)))
        ids.update((number, client_id) for number, client_id in found)
        for card_row in session.scalars(
            select(MedicalCard).where(MedicalCard.client_id.in_([ids[n] for n in chunk if n in ids]))
        ):
            last[card_row.client_id] = card_row
    written: list[tuple[Card, CardReason]] = []
    for number in numbers:
        card, client_id = cards[number], ids[number]
        fingerprint = card.fingerprint()
        row = last.get(client_id)
        if row is None:
            written.append((card, CardReason.NEW))
            session.add(
                MedicalCard(
                    client_id=client_id, seq=1, fingerprint=fingerprint, card_month=month, batch_run_id=job.run_id
                )
            )
        elif row.fingerprint != fingerprint:
            written.append((card, CardReason.CHANGED))
            row.fingerprint, row.card_month, row.batch_run_id = fingerprint, month, job.run_id
        else:
            job.counts["unchanged"] += 1
    built = medical_cards.build(written, file_date=job.business_date, month=month, run_id=job.run_id)
    path = job.file(medical_cards.FILE)
    write_atomically(path, built.data)
    job.counts["cards"] = built.cards
    job.counts["new"] = built.new
    job.counts["changed"] = built.changed
    job.counts["records"] = built.cards
    job.counts["written"] = built.cards
    session.add(
        InterfaceFile(
            run_id=job.run_id,
            seq=InterfaceFile.next_seq(session, job.run_id),
            step_name=job.spec.name,
            interface=medical_cards.INTERFACE,
            direction=FileDirection.OUT,
            path=str(path),
            record_count=built.cards,
            control_totals={
                "cards": built.cards,
                "new": built.new,
                "changed": built.changed,
                "month": month.isoformat(),
            },
        )
    )
