"""POSTPAY (stream ccses, and stream postpay for `ems ccses post-payments FILE`): read the
payment processing unit's collections files (`collections*.txt` in the inbox, or the one file
named) and post them (`emsterm.ccses.payments.post_collections`): each matched collection is
posted to its support case and distributed in the ledger, the others wait in suspense.

A file whose trailer disagrees with its details, or with any bad line, is refused whole (a
warning, RC 04) and nothing of it is posted; a file read before (the same contents) is skipped
with a warning. Each file is posted and logged (interface COLLECTIONS, direction IN) in the one
commit that ends the step, with its checkpoint: a run killed before it posted nothing, and its
restart posts the file once, to the same ledger.

Counts: records (collections read), posted, posted_cents, suspended, suspended_cents,
held_cents, source_<code>, files.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from emsterm.ccses.payments import post_collections
from emsterm.cycles.inbox import receive_match_files
from emsterm.cycles.job import StepJob
from emsterm.interfaces import ccses_collections

RECEIVE_NAME = "collections"
"""The kind `ems ccses post-payments` gives the file it names."""


def run(job: StepJob) -> int:
    """Post each collections file of the inbox (or the one named)."""
    job.finish(lambda session: receive(session, job))
    return 0


def receive(session: Session, job: StepJob) -> None:
    """Read, check, post and log the collections files."""

    def post(records: Sequence[ccses_collections.Collection], file_name: str) -> None:
        post_collections(session, records, file_name, job.business_date, job.counts)
        job.counts["records"] += len(records)

    receive_match_files(
        session,
        job,
        ccses_collections.INTERFACE,
        ccses_collections.PATTERN,
        RECEIVE_NAME,
        ccses_collections.parse,
        post,
    )
