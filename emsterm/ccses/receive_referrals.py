"""REFERRAL (stream ccses): read EMS's referral files from the run's inbox
(`ccses-referrals-*.txt`, the file the nightly's CCSESREF step wrote to its outbox and the
operators move across, as with any partner) and make or update the support cases
(`emsterm.ccses.cases`).

A file whose trailer disagrees with its details, or with any bad line, is refused whole (a
warning, RC 04); a file read before (the same contents) is skipped with a warning. Each is
logged as an interface file (CCSES-REFIN, direction IN) with its counts, in the one commit that
applies it with the step's checkpoint: a restart neither loses nor repeats a file.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from emsterm.ccses.cases import apply_referral
from emsterm.cycles.inbox import incoming, log_files
from emsterm.cycles.job import StepJob
from emsterm.interfaces import ccses_referral
from emsterm.interfaces.ccses_referral import ReferralFileError

RECEIVE_NAME = "ccses-referral"
"""The name `ems interfaces receive` would give this file."""


def run(job: StepJob) -> int:
    """Read each referral file and apply its records in order."""
    job.finish(lambda session: receive(session, job))
    return 0


def receive(session: Session, job: StepJob) -> None:
    """Read, check, apply and log the inbox's referral files."""
    files = incoming(session, job, ccses_referral.RECEIVED_INTERFACE, ccses_referral.PATTERN, RECEIVE_NAME)
    for received in files:
        if received.read_by_run is not None:
            continue
        try:
            found = ccses_referral.parse(received.data)
        except ReferralFileError as err:
            received.problem = str(err)
            job.warn(f"{received.path.name} refused: {err}")
            continue
        received.records = len(found.records)
        received.control_number = f"{found.sequence:06d}"
        received.totals = {"sequence": found.sequence, **found.totals()}
        for referral in found.records:
            apply_referral(session, referral, job.business_date, job.counts)
            job.counts["records"] += 1
            job.counts[f"action_{referral.action}"] += 1
    log_files(session, job, ccses_referral.RECEIVED_INTERFACE, files)
