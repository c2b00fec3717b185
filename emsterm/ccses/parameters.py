"""The CCSES parameters in force on a date (the timeframes' days, the never-assistance fees, the
enforcement thresholds):
the cycle parameters of stream CCSES, read through the parameter service the EMS nightly uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from emsterm.ccses.enforcement import EnforcementParameters
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


@dataclass(frozen=True)
class FeeTerms:
    """The fees of a never-assistance case in force on a date."""

    application_fee: Decimal
    """APPLICATION_FEE: charged on an application for services (45 CFR 302.33(c)(1))."""
    annual_fee: Decimal
    """ANNUAL_FEE: kept from the family's support each year (42 USC 654(6)(B)(ii))..."""
    annual_threshold: Decimal
    """ANNUAL_FEE_THRESHOLD: ...once that year's disbursements to the family reach it."""


def fee_terms(session: Session, on: dt.date) -> FeeTerms:
    """The never-assistance fees in force on `on` (ParameterMissing when one is not)."""
    return FeeTerms(
        *(
            Decimal(cycle_parameter(session, STREAM, name, on))
            for name in ("APPLICATION_FEE", "ANNUAL_FEE", "ANNUAL_FEE_THRESHOLD")
        )
    )


def enforcement_parameters(session: Session, on: dt.date) -> EnforcementParameters:
    """The enforcement thresholds and days in force on `on` (ParameterMissing when one is not)."""

    def money(name: str) -> Decimal:
        return Decimal(cycle_parameter(session, STREAM, name, on))

    def days(name: str) -> int:
        return int(cycle_parameter(session, STREAM, name, on))

    return EnforcementParameters(
        tax_offset_min_assistance=money("TAX_OFFSET_MIN_ASSISTANCE"),
        tax_offset_min_non_assistance=money("TAX_OFFSET_MIN_NON_ASSISTANCE"),
        credit_bureau_min=money("CREDIT_BUREAU_MIN"),
        license_suspension_days=days("LICENSE_SUSPENSION_DAYS"),
        notice_days=days("NOTICE_DAYS"),
        iw_days=days("IW_DAYS"),
    )
