"""What every CCSES change shares: the refusal in a worker's words, optimistic locking on the
support case root (as EMS's changes lock the case: a worker who displayed an older copy of the
case is told it changed, and the change is not made), and the check of a docket number."""

from __future__ import annotations

import re

from emsterm.model import SupportCase
from emsterm.model.base import utcnow

DOCKET = re.compile(r"[A-Z0-9][A-Z0-9-]{0,19}")
"""A court's or magistrate's docket number: letters, digits and dashes (e.g. HHD-FA25-6012345-S)."""


class EstablishmentRefused(ValueError):
    """A CCSES change that cannot be made; the message says why, in a worker's words, and
    `field` names what was wrong (`date`, `amount`, `docket`, ...; empty for the change as a
    whole) for a screen to mark."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class ChangedMeanwhile(EstablishmentRefused):
    """The support case changed after the worker displayed it."""


def hold(case: SupportCase, seen_version: int | None) -> None:
    """Refuse the change when the case is no longer the version the worker saw (None: no
    check, for batch and the command line), then mark the case changed so its version goes up."""
    if seen_version is not None and seen_version != case.version:
        raise ChangedMeanwhile(f"support case {case.support_number} changed since it was displayed", "case")
    case.updated_at = utcnow()


def check_docket(docket: str) -> None:
    """Refuse a docket number that is not 1 to 20 letters, digits and dashes."""
    if not DOCKET.fullmatch(docket):
        raise EstablishmentRefused("docket must be 1 to 20 letters, digits and dashes", "docket")
