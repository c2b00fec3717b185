"""The CCSES worker's alerts (SUPALERT): raised by the stream (a timeframe's deadline near, a
locate hit to verify), worked on CS07 (closed with a disposition). One alert per case, type and
occurrence: `raise_alerts` leaves out those the case has (a unique key holds it too), so a
restart, or the next night, never raises one twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from emsterm.model import AlertDisposition, AlertStatus, SupportAlert, SupportAlertType, SupportCase

TEXTS = {
    SupportAlertType.OPEN: "OPEN THE CASE BY {due}: 20 DAYS FROM REFERRAL",
    SupportAlertType.LOCATE: "LOCATE THE PARENT BY {due}: 75 DAYS",
    SupportAlertType.ESTABLISH: "ORDER OR SERVICE OF PROCESS BY {due}: 90 DAYS",
    SupportAlertType.ENFORCE: "ENFORCEMENT ACTION BY {due} FOR THE DELINQUENCY",
    SupportAlertType.REVIEW: "REVIEW AND ADJUSTMENT DUE BY {due}",
    SupportAlertType.LOCATE_HIT: "VERIFY LOCATE HIT FROM {source} BY {due}",
}
"""Each alert type's text (`{due}` MM/DD/YYYY, `{source}` the locate source)."""


class AlertError(ValueError):
    """An alert that cannot be worked as asked: the message says why."""


@dataclass(frozen=True)
class NewAlert:
    """An alert to raise: on which case, of which type and occurrence, due when, saying what."""

    support_case_id: int
    alert_type: SupportAlertType
    occurrence: dt.date
    due_date: dt.date
    text: str


def alert_text(alert_type: SupportAlertType, due: dt.date, source: str = "") -> str:
    """The alert's text."""
    return TEXTS[alert_type].format(due=f"{due:%m/%d/%Y}", source=source)[:60]


def existing_keys(session: Session, case_ids: Sequence[int]) -> set[tuple[int, SupportAlertType, dt.date]]:
    """(case, type, occurrence) of every alert the cases have, open or closed (one query)."""
    rows = session.execute(
        select(SupportAlert.support_case_id, SupportAlert.alert_type, SupportAlert.occurrence).where(
            SupportAlert.support_case_id.in_(case_ids)
        )
    )
    return {(case_id, kind, occurrence) for case_id, kind, occurrence in rows}


def raise_alerts(session: Session, alerts: Iterable[NewAlert], on: dt.date) -> list[NewAlert]:
    """Add the alerts the cases do not have yet; those added."""
    wanted = list(alerts)
    if not wanted:
        return []
    ids = sorted({a.support_case_id for a in wanted})
    have = existing_keys(session, ids)
    seqs = dict(
        session.execute(
            select(SupportAlert.support_case_id, func.max(SupportAlert.seq))
            .where(SupportAlert.support_case_id.in_(ids))
            .group_by(SupportAlert.support_case_id)
        ).all()
    )
    added = []
    for alert in wanted:
        key = (alert.support_case_id, alert.alert_type, alert.occurrence)
        if key in have:
            continue
        have.add(key)
        seqs[alert.support_case_id] = seqs.get(alert.support_case_id, 0) + 1
        session.add(
            SupportAlert(
                support_case_id=alert.support_case_id,
                seq=seqs[alert.support_case_id],
                alert_type=alert.alert_type,
                occurrence=alert.occurrence,
                due_date=alert.due_date,
                raised_date=on,
                text=alert.text[:60],
                status=AlertStatus.OPEN,
            )
        )
        added.append(alert)
    session.flush()
    return added


def open_alerts(session: Session, worker: str | None = None) -> list[tuple[SupportAlert, SupportCase]]:
    """The open alerts by due date (then case and sequence): all of them, or those a worker has
    taken and those no one has."""
    query = (
        select(SupportAlert, SupportCase)
        .join(SupportCase, SupportCase.id == SupportAlert.support_case_id)
        .where(SupportAlert.status == AlertStatus.OPEN)
        .order_by(SupportAlert.due_date, SupportCase.support_number, SupportAlert.seq)
    )
    if worker is not None:
        query = query.where((SupportAlert.worker_id == worker) | SupportAlert.worker_id.is_(None))
    return [(alert, case) for alert, case in session.execute(query)]


def close_alert(
    session: Session, alert: SupportAlert, disposition: AlertDisposition, worker: str | None, on: dt.date
) -> None:
    """Close an open alert with how it was worked, by whom and when."""
    if alert.status != AlertStatus.OPEN:
        raise AlertError(f"alert {alert.seq} is closed already")
    alert.status, alert.disposition, alert.worker_id, alert.closed_date = AlertStatus.CLOSED, disposition, worker, on
    session.flush()


def close_met(session: Session, alert: SupportAlert, on: dt.date) -> None:
    """Close a timeframe alert whose clock was met (the stream does this; no worker)."""
    alert.status, alert.disposition, alert.closed_date = AlertStatus.CLOSED, AlertDisposition.DONE, on
