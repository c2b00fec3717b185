"""A run's control totals, read back from what the run wrote: the one-page `summary.json`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, func, select

from emsterm.database.engine import transaction
from emsterm.model import Alert, Issuance, Notice, NoticeStatus
from emsterm.model.batch import BatchRun, BatchStep, Checkpoint, InterfaceFile


def _money(value: Decimal | None) -> str:
    return f"{(value or Decimal('0')):.2f}"


def control_totals(engine: Engine, run_id: int) -> dict[str, Any]:
    """The run's totals: per program cases, issuances and dollars; by payment method; notices
    written and printed by type; alerts by type; each step's return code and counts; files."""
    with transaction(engine) as session:
        run = session.get(BatchRun, run_id)
        assert run is not None
        actor = f"BATCH{run_id:06d}:%"
        programs: dict[str, Any] = {}
        for program, cases, count, dollars in session.execute(
            select(
                Issuance.program_code,
                func.count(func.distinct(Issuance.case_id)),
                func.count(),
                func.sum(Issuance.amount),
            )
            .where(Issuance.batch_run_id == run_id)
            .group_by(Issuance.program_code)
            .order_by(Issuance.program_code)
        ):
            programs[program] = {"cases": cases, "issuances": count, "dollars": _money(dollars)}
        methods: dict[str, Any] = {}
        for method, program, count, dollars in session.execute(
            select(Issuance.method, Issuance.program_code, func.count(), func.sum(Issuance.amount))
            .where(Issuance.batch_run_id == run_id)
            .group_by(Issuance.method, Issuance.program_code)
            .order_by(Issuance.method, Issuance.program_code)
        ):
            entry = methods.setdefault(method, {"issuances": 0, "dollars": "0.00", "programs": {}})
            entry["issuances"] += count
            entry["dollars"] = _money(Decimal(entry["dollars"]) + (dollars or Decimal("0")))
            entry["programs"][program] = {"issuances": count, "dollars": _money(dollars)}
        written = dict(
            session.execute(
                select(Notice.notice_type, func.count())
                .where(Notice.created_by.like(actor))
                .group_by(Notice.notice_type)
                .order_by(Notice.notice_type)
            ).all()
        )
        printed = dict(
            session.execute(
                select(Notice.notice_type, func.count())
                .where(Notice.batch_run_id == run_id, Notice.status == NoticeStatus.MAILED)
                .group_by(Notice.notice_type)
                .order_by(Notice.notice_type)
            ).all()
        )
        alerts = dict(
            session.execute(
                select(Alert.alert_type, func.count())
                .where(Alert.created_by.like(actor))
                .group_by(Alert.alert_type)
                .order_by(Alert.alert_type)
            ).all()
        )
        steps = []
        for step in session.scalars(select(BatchStep).where(BatchStep.run_id == run_id).order_by(BatchStep.seq)):
            state = session.scalars(
                select(Checkpoint.state).where(Checkpoint.step_id == step.id).order_by(Checkpoint.seq.desc()).limit(1)
            ).first()
            steps.append(
                {
                    "step": step.name,
                    "program": step.program,
                    "return_code": step.return_code,
                    "status": step.status,
                    "counts": dict(sorted((state or {}).items())),
                }
            )
        files = [
            {
                "file": f.path.rsplit("/", 1)[-1],
                "interface": f.interface,
                "step": f.step_name,
                "records": f.record_count,
                "dollars": _money(f.total_amount),
                "status": f.status,
                "control_number": f.control_number,
                "errors": f.errors or [],
                "totals": f.control_totals or {},
            }
            for f in session.scalars(
                select(InterfaceFile).where(InterfaceFile.run_id == run_id).order_by(InterfaceFile.seq)
            )
        ]
        return {
            "run": run_id,
            "stream": run.stream,
            "business_date": run.business_date.isoformat(),
            "parameters": run.parameters or {},
            "status": run.status,
            "return_code": run.return_code,
            "programs": programs,
            "methods": methods,
            "issued": {
                "issuances": sum(e["issuances"] for e in programs.values()),
                "dollars": _money(sum((Decimal(e["dollars"]) for e in programs.values()), Decimal("0"))),
            },
            "notices_written": written,
            "notices_printed": printed,
            "alerts": alerts,
            "steps": steps,
            "files": files,
        }
