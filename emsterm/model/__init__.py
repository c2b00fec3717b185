"""The EMS database as typed SQLAlchemy 2 models: segments, reference tables, security, audit, batch."""

from emsterm.model import lengths as _lengths  # noqa: F401  (the length check at flush)
from emsterm.model.audit import AuditEntry
from emsterm.model.base import (
    NAMING_CONVENTION,
    Base,
    Reference,
    Root,
    Segment,
    current_actor,
)
from emsterm.model.batch import BatchRun, BatchStep, Checkpoint, InterfaceFile
from emsterm.model.case import (
    Action,
    Alert,
    Asset,
    BudgetLine,
    Case,
    Eligibility,
    Expense,
    Income,
    Issuance,
    Member,
    Narrative,
    Notice,
    PendingChange,
    Program,
    Verification,
)
from emsterm.model.client import Client
from emsterm.model.reference import (
    REFERENCE_TABLES,
    AdminParameter,
    Code,
    CycleParameter,
    Message,
    NoticeText,
    Office,
    ProgramParameter,
    ProgramRef,
    QcParameter,
    ReasonCode,
    SignificantDate,
    Town,
    VerificationParameter,
)
from emsterm.model.security import ROLES, Role, User, UserOffice, UserRole

metadata = Base.metadata
"""The metadata of every EMS table; Alembic's target."""

__all__ = [
    "NAMING_CONVENTION", "REFERENCE_TABLES", "ROLES", "Action", "AdminParameter", "Alert", "Asset",
    "AuditEntry", "Base", "BatchRun", "BatchStep", "BudgetLine", "Case", "Checkpoint", "Client",
    "Code", "CycleParameter", "Eligibility", "Expense", "Income", "InterfaceFile", "Issuance",
    "Member", "Message", "Narrative", "Notice", "NoticeText", "Office", "PendingChange", "Program",
    "ProgramParameter", "ProgramRef", "QcParameter", "ReasonCode", "Reference", "Role", "Root",
    "Segment", "SignificantDate", "Town", "User", "UserOffice", "UserRole", "Verification",
    "VerificationParameter", "current_actor", "metadata",
]
