"""The timeframes' parameters in force on a business date: the cycle parameters of stream CCSES,
read through the parameter service the EMS nightly uses."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from emsterm.ccses.timeframes import TimeframeParameters
from emsterm.services.parameters import cycle_parameter

STREAM = "CCSES"
"""The stream whose cycle parameters these are (`db/reference/ref_cycle_parameter.csv`)."""
NAMES = {
    "open_days": "OPEN_DAYS",
    "locate_days": "LOCATE_DAYS",
    "establish_days": "ESTABLISH_DAYS",
    "enforce_days": "ENFORCE_DAYS",
    "enforce_service_days": "ENFORCE_SERVICE_DAYS",
    "review_months": "REVIEW_MONTHS",
    "alert_lead_days": "ALERT_LEAD_DAYS",
    "verify_days": "VERIFY_DAYS",
}
"""Each field of `TimeframeParameters` -> its parameter name."""


def timeframe_parameters(session: Session, on: dt.date) -> TimeframeParameters:
    """The parameters in force on `on` (ParameterMissing when one is not)."""
    return TimeframeParameters(
        **{field: int(cycle_parameter(session, STREAM, name, on)) for field, name in NAMES.items()}
    )
