"""RETURNS: read what came back from the payment partners: the EBT processor's return files
(`ebt_returns`) and the banks' ACH returns and notifications of change (`ach_returns`), from the
run's inbox (or the one file `ems interfaces receive` names). Both are applied and their files
logged in one commit with the step's checkpoint, so a restart neither loses nor repeats them;
what came back is paid again by the issuance step that follows in the nightly.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from emsterm.cycles import ach_returns, ebt_returns
from emsterm.cycles.job import StepJob


def run(job: StepJob) -> int:
    """Read both kinds of file and record what they say."""

    def work(session: Session) -> None:
        ebt_returns.receive(session, job)
        ach_returns.receive(session, job)

    job.finish(work)
    return 0
