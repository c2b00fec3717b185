"""The mainframe's codes with names: one `StrEnum` per code set, its values the codes EMS stores.

Each member is the very string the database holds and the screens show (`CaseStatus.ACTIVE` is
`"AC"`: it compares, hashes, formats and serialises as `"AC"`), so a row written with a member
is byte-for-byte the row written with the code. The columns that hold a code are typed with its
enum (`emsterm.model.types.CodeString`); their widths are unchanged.

Most sets are the code tables of `db/reference/ref_code.csv` (the `CODE_TABLES` map below names
each one's table, and a test keeps the two in step); the others come from the batch runner, the
audit trail, the security roles (`db/reference/sec_role.csv`) and the reference tables' own
fixed vocabularies. Codes only: this module imports nothing but `enum`.

The eligibility rules (`emsterm.rules`) do not use these: they take a household in their own
words (`"self"`, `"wages"`, ...), which `emsterm.services.edbc` makes from the coded rows.
Program codes (SNAP, TFA, ...) and what each program gives (`ref_program.category`, the enum
`ProgramKind`) belong to the rules' program registry, `emsterm.rules.programs`, which the rules
import without the database: the model maps that enum rather than declare it twice.
"""

from __future__ import annotations

from enum import StrEnum

# -- the case and its segments (code tables of ref_code) -----------------------------------------


class CaseStatus(StrEnum):
    """Where an assistance unit stands (code table CASESTAT): `case_root.status`."""

    ACTIVE = "AC"
    PENDING = "PE"
    CLOSED = "CL"
    DENIED = "DN"


class ProgramStatus(StrEnum):
    """Where a case's program stands (code table PGMSTAT): `program.status`. A program that is
    closed is closed from its status date (the first day it is no longer open)."""

    ACTIVE = "AC"
    PENDING = "PE"
    CLOSED = "CL"
    DENIED = "DN"


class RelationshipToHead(StrEnum):
    """How a member is related to the head of household (code table RELATION):
    `member.relationship_code`. Not the member's role in the assistance unit (`UnitRole`),
    although both code the head as HH."""

    SELF = "HH"
    """The head of household themself."""
    SPOUSE = "SP"
    CHILD = "CH"
    PARENT = "PA"
    SIBLING = "SI"
    OTHER_RELATIVE = "OR"
    UNRELATED = "UR"


class UnitRole(StrEnum):
    """A member's role in the assistance unit (code table MBRROLE): `member.role`. Not the
    relationship to the head (`RelationshipToHead`), although both code the head as HH."""

    HEAD = "HH"
    """The head of household, whom notices and payments are addressed to."""
    MEMBER = "MB"
    """In the assistance unit."""
    NOT_IN_UNIT = "NM"
    """Lives in the home but is not in the assistance unit: never counted."""


class Sex(StrEnum):
    """A client's sex (code table SEX): `client.sex`."""

    FEMALE = "F"
    MALE = "M"
    UNSPECIFIED = "X"


class Citizenship(StrEnum):
    """A client's citizenship or immigration status (code table CITIZEN): `client.citizenship`."""

    US_CITIZEN = "US"
    QUALIFIED_ALIEN = "QA"
    REFUGEE = "RF"
    """A refugee or asylee: the refugee programs (RCA, RMA) count from the date of entry."""
    NOT_QUALIFIED = "NQ"


class Language(StrEnum):
    """The language a client's notices are written in (code table LANGUAGE): `client.language`,
    `ref_notice_text.language`."""

    ENGLISH = "EN"
    SPANISH = "ES"
    PORTUGUESE = "PT"
    POLISH = "PL"
    VIETNAMESE = "VI"
    HAITIAN_CREOLE = "HT"


class IncomeType(StrEnum):
    """The kind of a member's income (code table INCTYPE): `income.income_type`."""

    WAGES = "WAGE"
    SELF_EMPLOYMENT = "SELF"
    SOCIAL_SECURITY = "RSDI"
    SSI = "SSI"
    """Supplemental Security Income."""
    UNEMPLOYMENT = "UIB"
    CHILD_SUPPORT_RECEIVED = "CSUP"
    TFA = "TFA"
    """Temporary Family Assistance received."""
    OTHER_UNEARNED = "OTHU"


class Frequency(StrEnum):
    """How often an income is paid (code table FREQ): `income.frequency`. EMS stores the
    monthly amount; the frequency says how it was converted from the amount paid."""

    WEEKLY = "W"
    BIWEEKLY = "B"
    """Every two weeks."""
    SEMIMONTHLY = "S"
    """Twice a month."""
    MONTHLY = "M"


class AssetType(StrEnum):
    """The kind of a member's asset (code table ASSETTYP): `asset.asset_type`."""

    BANK_ACCOUNT = "BANK"
    CASH = "CASH"
    VEHICLE = "VEH"
    PROPERTY = "PROP"
    """Real property other than the home."""
    OTHER = "OTHR"


class ExpenseType(StrEnum):
    """The kind of a member's expense (code table EXPTYPE): `expense.expense_type`."""

    RENT = "RENT"
    MORTGAGE = "MORT"
    PROPERTY_TAX_INSURANCE = "TAXI"
    HEATING = "HEAT"
    """A heating or cooling utility (the full standard utility allowance)."""
    LIMITED_UTILITIES = "LUTL"
    TELEPHONE = "PHON"
    DEPENDENT_CARE = "DCAR"
    CHILD_SUPPORT_PAID = "CSPD"
    MEDICAL = "MEDX"
    SUBSIDIZED_RENT = "SUBR"
    """Rent in public or subsidized housing."""


class UtilityArrangement(StrEnum):
    """The utilities a household pays, as the benefit calculator (EM51) asks for them (code
    table UTILITY)."""

    HEATING = "H"
    """Heating or cooling (the full standard utility allowance)."""
    LIMITED = "L"
    TELEPHONE = "T"
    """Telephone only."""
    NONE = "N"


class VerificationStatus(StrEnum):
    """Whether an item has been verified (code table VERSTAT): `verification.status`,
    `income.verified`."""

    VERIFIED = "V"
    PENDING = "P"
    NOT_VERIFIED = "N"


class VerificationItem(StrEnum):
    """What a verification is of (code table VERITEM): `verification.item`,
    `ref_verification_parameter.item`."""

    IDENTITY = "IDEN"
    SSN = "SSN"
    CITIZENSHIP = "CITZ"
    """Citizenship or immigration status."""
    RESIDENCE = "RESI"
    INCOME = "INCM"
    ASSETS = "ASST"
    SHELTER = "SHEL"


class PaymentMethod(StrEnum):
    """How a program's benefit is paid (code table PAYMETH): `program.payment_method`,
    `issuance.method`. Medical programs have none (they pay providers)."""

    EBT = "EBT"
    """The electronic benefit transfer card."""
    DIRECT_DEPOSIT = "DD"
    CHECK = "CHK"


class AccountType(StrEnum):
    """The kind of bank account a direct deposit goes to (code table ACCTTYPE):
    `bank_account.account_type`."""

    CHECKING = "C"
    SAVINGS = "S"


class PlanSelection(StrEnum):
    """How a member came to their managed care plan (code table MCHOW):
    `managed_care_enrollment.selection`."""

    CLIENT_CHOICE = "C"
    """The member (or the household) chose the plan."""
    AUTO_ASSIGNED = "A"
    """The nightly assigned it when the choice period passed without a choice."""
    WORKER_CHANGE = "W"
    """A worker changed it on the managed care screen (EM27), with a reason."""


class IssuanceKind(StrEnum):
    """Why a benefit was issued (code table ISSKIND): `issuance.kind`."""

    REGULAR = "R"
    """The month's benefit, by the monthly issuance."""
    SUPPLEMENTAL = "S"
    """A further amount for a month already issued (a change that raised it)."""
    REPLACEMENT = "P"
    """A benefit issued again in place of one the EBT processor rejected or the bank returned
    (`issuance.replaces_id` names it): the EBT file sends it as a restored benefit."""


class IssuanceStatus(StrEnum):
    """Whether an issuance stands (code table ISSSTAT): `issuance.status`."""

    ISSUED = "I"
    CANCELLED = "C"
    REJECTED = "R"
    """The EBT processor's return file rejected the authorization: nothing reached the card."""
    RETURNED = "T"
    """The receiving bank returned the direct deposit (an ACH return entry)."""
    VOIDED = "V"
    """The check was voided: positive pay tells the bank not to pay it."""


class VoidReason(StrEnum):
    """Why a check was voided (code table VOIDRSN): `issuance.void_reason`."""

    LOST = "LOST"
    """Lost or stolen before it was cashed: a replacement check is issued."""
    UNDELIVERABLE = "UNDL"
    """Returned by the post office: reissued once the address is corrected (a worker's action)."""
    ERROR = "ERR"
    """Issued in error: not replaced (an overpayment, if cashed, is a claim)."""
    STALE = "STAL"
    """Not cashed within the stale-date period: not replaced unless the household asks."""


class NoticeType(StrEnum):
    """What a notice tells the household (code table NTCTYPE): `notice.notice_type`, and
    `ref_notice_text.notice_type` (where ALL marks the sections every notice shares)."""

    APPROVAL = "APPR"
    DENIAL = "DENY"
    CHANGE = "CHNG"
    """A change in benefits that takes effect at once (an increase, an override)."""
    ADVERSE_ACTION = "ADVR"
    """Advance notice of a reduction or closing, which waits out the notice period."""
    CLOSING = "CLOS"
    MASS_CHANGE = "MCHG"
    """A change made to every case by a mass change (a new standard, a COLA)."""
    RENEWAL = "RNWL"
    """The certification ends: the household must renew."""
    MANUAL = "MANL"
    """A worker's own letter about the case (EM62)."""
    MANAGED_CARE = "MCPL"
    """A member's HUSKY managed care plan was assigned or changed."""


class NoticeStatus(StrEnum):
    """Where a notice is on its way to the household (code table NTCSTAT): `notice.status`."""

    PENDING_PRINT = "P"
    """Waits for the nightly print run."""
    MAILED = "M"
    SUPPRESSED = "S"


class ActionType(StrEnum):
    """What a scheduled adverse action does when its day comes (code table ACTTYPE):
    `action.action_type`."""

    REDUCE = "REDU"
    """Reduce the benefit."""
    TERMINATE = "TERM"
    """End eligibility: the program closes."""


class ActionStatus(StrEnum):
    """Where a scheduled adverse action stands (code table ACTSTAT): `action.status`."""

    SCHEDULED = "S"
    APPLIED = "A"
    CANCELLED = "C"


class AlertType(StrEnum):
    """What a worker alert is about (code table ALRTTYPE): `alert.alert_type`."""

    RENEWAL = "RNWL"
    VERIFICATION_OVERDUE = "VERO"
    TIME_LIMIT = "TLIM"
    """The TFA time limit is near."""
    INTERFACE_HIT = "IFHT"
    """An interface match (wages reported by the Department of Labor) differs from the case."""
    CHANGE_REPORTED = "CHRP"
    DIRECT_DEPOSIT_ACCOUNT = "DDAC"
    """A direct-deposit benefit found no bank account in force and was paid by check."""
    EBT_REJECTED = "EBTR"
    """The EBT processor rejected a benefit authorization (the return file's reason)."""
    ACH_RETURNED = "ACHR"
    """The bank returned a direct deposit (R01, R02, ...): it is paid again by check."""
    ACCOUNT_CHANGE = "ACHC"
    """A bank's notification of change (C01, C02, ...) waits for the worker's review."""
    SUPPORT_MAY_CLOSE_TFA = "CSTF"
    """The current support the state retained exceeded the TFA grant two months running:
    support may close TFA."""


class AlertStatus(StrEnum):
    """Whether an alert waits for the worker (code table ALRTSTAT): `alert.status`."""

    OPEN = "O"
    CLOSED = "C"


class AlertDisposition(StrEnum):
    """How a closed alert was worked (code table ALRTDISP): `alert.disposition`."""

    DONE = "DN"
    """Action taken."""
    NO_ACTION = "NA"
    """No action needed."""
    REFERRED = "RF"
    """Referred to another unit."""
    DUPLICATE = "DU"


class PendingChangeStatus(StrEnum):
    """Where a change waiting for a supervisor stands (code table PENDSTAT):
    `pending_change.status`."""

    PENDING = "P"
    """Waits for a supervisor's approval (EM54)."""
    APPROVED = "A"
    """Approved and applied."""
    REJECTED = "R"


# -- batch, audit, security -----------------------------------------------------------------------


class RunStatus(StrEnum):
    """Where a batch run of a job stream stands: `batch_run.status`, as the batch runner
    (`emsterm.cycles.runner`) sets it."""

    RUNNING = "RUNNING"
    """A process works on it, or did until it was killed: then `ems batch status` shows it
    ABANDONED (`emsterm.cycles.history.ABANDONED`, never stored)."""
    ENDED = "ENDED"
    """Every step ran and none failed: the run is never run again."""
    FAILED = "FAILED"
    """A step failed: running the stream again resumes it."""
    CANCELED = "CANCELED"
    """An operator ended it because it could not finish: it is never resumed."""


class StepStatus(StrEnum):
    """Where one step of a batch run stands: `batch_step.status`, as the batch runner sets it."""

    RUNNING = "RUNNING"
    ENDED = "ENDED"
    """The step ended below RC 8: a resumed run skips it."""
    FAILED = "FAILED"
    CANCELED = "CANCELED"
    """Its run was cancelled before the step ended."""


class FileDirection(StrEnum):
    """Whether a batch run wrote an interface file or read one: `interface_file.direction`."""

    IN = "IN"
    OUT = "OUT"


class InterfaceStatus(StrEnum):
    """What became of an interface file: `interface_file.status`."""

    WRITTEN = "WRITTEN"
    """An outbound file written to the run's outbox, its control totals in its trailer."""
    READ = "READ"
    """An inbound file whose controls agreed: its records were acted on."""
    REFUSED = "REFUSED"
    """An inbound file refused whole (a bad record or a trailer that disagrees): nothing in it
    was acted on; the errors say why."""
    SKIPPED = "SKIPPED"
    """An inbound file read before (the same contents): not acted on again."""


class AuditAction(StrEnum):
    """What an audit trail entry records: `audit_trail.action`. The data actions are the DL/I
    calls that changed a segment (ISRT, REPL, DLET); the rest are the security, inquiry and
    supervisory events EMS audits."""

    INSERT = "ISRT"
    REPLACE = "REPL"
    DELETE = "DLET"
    SIGNON = "SIGNON"
    SIGNON_FAILED = "SIGNFAIL"
    SIGNOFF = "SIGNOFF"
    REVOKE = "REVOKE"
    """A user id revoked after too many failed sign-ons."""
    DENIED = "DENIED"
    """A function refused for want of a role, or a case outside the user's scope."""
    PASSWORD = "PASSWORD"
    """A password changed at sign-on."""
    UNLOCK = "UNLOCK"
    RESET = "RESET"
    """A demonstration user set back by `ems demo`."""
    INQUIRY = "INQY"
    """A case looked at."""
    SSN_INQUIRY = "SSNQ"
    """A client search by full SSN."""
    APPROVE = "APPROVE"
    """A supervisor approved a pending change."""
    REJECT = "REJECT"
    """A supervisor rejected a pending change."""
    CANCEL = "CANCEL"
    """An operator cancelled a batch run."""
    SEED = "SEED"
    """A caseload seeded (its key is the seed's business date)."""


class RoleCode(StrEnum):
    """A security role a user may hold (`db/reference/sec_role.csv`): `sec_role.code`,
    `sec_user_role.role_code`, and the `roles` of the menus and maps in `screens/`."""

    WORKER = "worker"
    SUPERVISOR = "supervisor"
    OPERATOR = "operator"
    ADMIN = "admin"
    TRAINER = "trainer"
    CCSES_WORKER = "csworker"
    """A CCSES support enforcement worker: changes CCSES data (the menu 9 screens, next)."""
    CCSES_SUPERVISOR = "cssuper"
    """A CCSES supervisor: CCSES case work, closures and the CCSES work queue."""
    TRAINEE = "trainee"
    """A trainee of a training region (`ems training users`): does worker transactions there,
    and may not reset the region."""


# -- the reference tables' own vocabularies ---------------------------------------------------------


class ProgramFunding(StrEnum):
    """Who pays for a program: `ref_program.funding`."""

    FEDERAL = "FEDERAL"
    STATE = "STATE"
    SHARED = "SHARED"


class ParameterUnit(StrEnum):
    """What a program parameter's value measures: `ref_program_parameter.unit`."""

    DOLLARS = "USD"
    """Dollars a month unless the parameter's name says otherwise."""
    RATE = "RATE"
    """A fraction."""
    FACTOR = "FACTOR"
    """A multiplier (the income conversion factors from a pay frequency to a month)."""
    COUNT = "COUNT"
    MONTHS = "MONTHS"
    DAYS = "DAYS"


class ReasonCategory(StrEnum):
    """What kind of outcome a reason code explains: `ref_reason_code.category`."""

    DENIAL = "DENIAL"
    CLOSURE = "CLOSURE"
    REDUCE = "REDUCE"
    """A reduction of the benefit (the reason an advance notice gives)."""
    PENDING = "PENDING"
    INFO = "INFO"
    OVERRIDE = "OVERRIDE"
    """A supervisor's override of EDBC (EM53)."""


class MessageSeverity(StrEnum):
    """How serious a terminal message is: `ref_message.severity`, the last letter of its id."""

    INFORMATION = "I"
    WARNING = "W"
    ERROR = "E"
    """The screen was not processed: a field is in error."""
    SEVERE = "S"
    """A fault of the system, not of what was typed."""


# -- the medical ID card file ----------------------------------------------------------------------


class CardReason(StrEnum):
    """Why the monthly writes a member's medical ID card (the card record's last field)."""

    NEW = "N"
    """The member has no card yet (newly eligible)."""
    CHANGED = "C"
    """Something printed on the card changed (name, plan, managed care plan, address)."""


# -- the X12 834 benefit enrollment to the Medicaid MMIS (005010X220A1) ---------------------------


class MaintenanceType(StrEnum):
    """What an 834 member loop does (INS03, and HD01 for its coverage)."""

    CHANGE = "001"
    ADD = "021"
    TERMINATION = "024"
    AUDIT = "030"
    """Audit or compare: a member of a full file."""


class MaintenanceReason(StrEnum):
    """Why (INS04): the guide's maintenance reason codes EMS sends."""

    TERMINATION_OF_BENEFITS = "07"
    INITIAL_ENROLLMENT = "28"
    NO_REASON_GIVEN = "AI"
    NOTIFICATION_ONLY = "XN"
    """For the audit file's members."""


class InsuredRelationship(StrEnum):
    """The member's relationship to the subscriber (INS02), from EMS's relationship to the head."""

    SPOUSE = "01"
    PARENT = "03"
    SIBLING = "14"
    SELF = "18"
    CHILD = "19"
    OTHER_RELATIONSHIP = "G8"
    OTHER_RELATIVE = "G9"


class InsuranceLine(StrEnum):
    """HD03 of an 834 coverage loop (2300): the kind of coverage."""

    HEALTH = "HLT"
    """The Medicaid benefit plan (HD04 the MMIS benefit plan)."""
    HMO = "HMO"
    """The managed care plan a member is enrolled in (HD04 the plan's code)."""


class EnrollmentAction(StrEnum):
    """BGN08: what the receiver does with the file."""

    CHANGE = "2"
    """Changes (updates) only: the nightly's file."""
    VERIFY = "4"
    """Verify: a full audit file, the monthly's."""


class X12Gender(StrEnum):
    """DMG03: the member's sex as the guide codes it (F, M, U unknown)."""

    FEMALE = "F"
    MALE = "M"
    UNKNOWN = "U"


# -- real-time eligibility verification, X12 270/271 (005010X279A1) and the 999 --------------------


class EvsAnswer(StrEnum):
    """What an eligibility inquiry was answered (`evs_inquiry.answer`)."""

    ACTIVE = "A"
    """EB*1: covered on the date of service."""
    INACTIVE = "I"
    """EB*6: known to EMS, not covered on the date."""
    REJECTED = "R"
    """An AAA rejection (`evs_inquiry.reject_reason`)."""
    SYNTAX_ERROR = "E"
    """A 999 acknowledgment: the inquiry could not be read."""


class BenefitInformation(StrEnum):
    """EB01: the eligibility or benefit information a 271 gives."""

    ACTIVE_COVERAGE = "1"
    INACTIVE = "6"
    MANAGED_CARE_COORDINATOR = "MC"


class RejectReason(StrEnum):
    """AAA03: why a 270's subscriber could not be answered (loop 2100C of 005010X279A1)."""

    REQUIRED_DATA_MISSING = "15"
    INVALID_DATE_OF_SERVICE = "57"
    """Invalid or missing date(s) of service."""
    BIRTH_DATE_INVALID = "58"
    """Invalid or missing date of birth."""
    OUTSIDE_INQUIRY_PERIOD = "62"
    """Date of service not within the allowable inquiry period."""
    DATE_IN_FUTURE = "63"
    BIRTH_DATE_MISMATCH = "71"
    """The birth date does not match the member's on the database."""
    INVALID_MEMBER_ID = "72"
    INVALID_NAME = "73"
    SUBSCRIBER_NOT_FOUND = "75"


class FollowUpAction(StrEnum):
    """AAA04: what the provider may do next."""

    CORRECT_AND_RESUBMIT = "C"
    RESUBMISSION_NOT_ALLOWED = "N"
    RESUBMISSION_ALLOWED = "R"


class AcknowledgmentCode(StrEnum):
    """IK501 / AK901 of a 999: accepted, accepted with errors, rejected."""

    ACCEPTED = "A"
    ACCEPTED_WITH_ERRORS = "E"
    REJECTED = "R"


class GroupError(StrEnum):
    """AK905: why a functional group was rejected."""

    NOT_SUPPORTED = "1"
    VERSION_NOT_SUPPORTED = "2"
    TRAILER_MISSING = "3"
    CONTROL_NUMBERS_DIFFER = "4"
    TRANSACTION_COUNT_WRONG = "5"


class TransactionError(StrEnum):
    """IK502: why a transaction set was rejected."""

    NOT_SUPPORTED = "1"
    TRAILER_MISSING = "2"
    CONTROL_NUMBERS_DIFFER = "3"
    SEGMENT_COUNT_WRONG = "4"
    SEGMENTS_IN_ERROR = "5"
    INVALID_IDENTIFIER = "6"


class SegmentError(StrEnum):
    """IK304: what is wrong with a segment."""

    UNRECOGNIZED = "1"
    UNEXPECTED = "2"
    REQUIRED_MISSING = "3"
    DATA_ELEMENT_ERRORS = "8"


class ElementError(StrEnum):
    """IK403: what is wrong with a data element."""

    REQUIRED_MISSING = "1"
    TOO_LONG = "5"
    INVALID_CODE = "7"
    INVALID_DATE = "8"


# -- child support: the EMS absent-parent segment and CCSES's support case (code tables) ---------


class CooperationStatus(StrEnum):
    """Whether the client cooperates with child support (code table COOPSTAT):
    `absent_parent.cooperation` (42 USC 608(a)(2), 42 USC 1396k(a)(1)(B))."""

    COOPERATING = "CO"
    NOT_COOPERATING = "NC"
    NOT_DECIDED = "ND"
    """Not yet asked or not yet decided."""


class GoodCause(StrEnum):
    """A client's claim of good cause for not cooperating (code table GOODCAUS):
    `absent_parent.good_cause`. A pending or granted claim stops the referral (45 CFR 302.50,
    42 USC 654(29))."""

    PENDING = "P"
    GRANTED = "G"
    DENIED = "D"


class SupportCaseType(StrEnum):
    """The kind of support case (code table CSTYPE): `support_case.case_type`."""

    CURRENT_ASSISTANCE = "CA"
    """The children receive TFA (IV-A) now."""
    FORMER_ASSISTANCE = "FA"
    """TFA ended: the case goes on as a former-assistance case (45 CFR 302.33(a)(4))."""
    MEDICAID_ONLY = "MO"
    """Medicaid (IV-E/XIX) without cash assistance."""
    NEVER_ASSISTANCE = "NA"
    """An application for services by a family that never received assistance."""


class SupportStatus(StrEnum):
    """Where a support case stands (code table CSSTAT): `support_case.status`."""

    INTAKE = "IN"
    LOCATE = "LO"
    ESTABLISHMENT = "ES"
    ENFORCEMENT = "EN"
    CLOSED = "CL"


class SupportRole(StrEnum):
    """A party's role on a support case (code table CSROLE): `support_party.role`."""

    CUSTODIAL = "CP"
    """The custodial party: the EMS payee."""
    NON_CUSTODIAL = "NP"
    """A non-custodial parent (the absent parent of EMS)."""
    CHILD = "CH"
    """A dependent child."""


class ClosureReason(StrEnum):
    """Why a support case was closed (code table CSCLOSE): the paragraphs of 45 CFR 303.11(b)
    used so far (`support_case.closure_reason`)."""

    NO_ORDER_CHILD_EMANCIPATED = "B1"
    """303.11(b)(1): no current order, arrears under $500 or unenforceable, child emancipated."""
    NCP_DECEASED = "B4"
    """303.11(b)(4): the non-custodial parent is dead with no estate."""
    NCP_NOT_LOCATED = "B7"
    """303.11(b)(7): the parent's location unknown after diligent efforts."""
    NON_IVA_REQUEST = "B14"
    """303.11(b)(14): the recipient of non-IV-A services asked for closure."""
    NON_COOPERATION = "B17"
    """303.11(b)(17): the IV-A/Medicaid agency found the recipient not cooperating without good cause."""


class PaternityStatus(StrEnum):
    """Where a child's paternity stands (code table CSPATST): `support_paternity.status`
    (45 CFR 303.5)."""

    NOT_ESTABLISHED = "NE"
    PENDING_TEST = "PT"
    """A genetic test is ordered and its result not yet in."""
    ESTABLISHED = "ES"
    EXCLUDED = "EX"
    """The alleged father was excluded by a genetic test."""
    NOT_NEEDED = "NN"
    """The child's legal parent is known (born in the marriage, adopted): nothing to establish."""


class PaternityMethod(StrEnum):
    """How paternity was established (code table CSPATHOW): `support_paternity.method`."""

    ACKNOWLEDGEMENT = "AK"
    """A voluntary acknowledgement filed in the Paternity Acknowledgement registry (42 USC
    666(a)(5)(C), CGS 46b-172)."""
    GENETIC_TEST = "GT"
    """A genetic test whose result raises the presumption of paternity (42 USC 666(a)(5)(G))."""
    ADJUDICATION = "AJ"
    """A judgment of the Superior Court or a Family Support Magistrate (CGS 46b-160)."""


class GeneticResult(StrEnum):
    """The result of a genetic test (code table CSGENRES): `support_paternity.test_result`."""

    INCLUDED = "I"
    """Not excluded, with a probability of paternity that raises the presumption."""
    EXCLUDED = "E"


class FeePayer(StrEnum):
    """Who paid a never-assistance application's fee (code table CSFEEPAY):
    `support_application.fee_paid_by` (45 CFR 302.33(c)(1): the applicant, the state from its
    own funds, or the non-custodial parent once recovered)."""

    APPLICANT = "A"
    STATE = "S"
    RECOVERED = "R"
    """Recovered from the non-custodial parent."""


class PaymentSource(StrEnum):
    """Where a child support collection came from (code table CSPAYSRC): the SOURCE of the
    collections file, `support_payment.source`."""

    WAGE = "WG"
    """Income withholding by the parent's employer."""
    DIRECT = "DR"
    """Paid by the parent directly (check, money order, card)."""
    TAX_OFFSET = "TX"
    """A federal income tax refund offset (applied to assigned arrears first: 42 USC 657(a)(2)(B)(iv))."""
    UNEMPLOYMENT = "UI"
    """Withheld from unemployment compensation (42 USC 654(19))."""
    OTHER = "OT"


class PaymentStatus(StrEnum):
    """Where a posted collection stands (code table CSPAYST): `support_payment.status`."""

    POSTED = "P"
    """Posted and distributed (what could not yet be applied is held)."""
    REVERSED = "R"
    """Undone (a bounced check, a refund of a tax offset): its distribution reversed too."""


class SuspenseStatus(StrEnum):
    """Where an unidentified payment stands (code table CSSUSPST): `unidentified_payment.status`."""

    OPEN = "O"
    """Matched no support case: waiting in suspense for research."""
    POSTED = "P"
    """Researched and posted to a case."""
    REFUNDED = "F"
    """Returned to the payer (no case could be found for it)."""


class LedgerAccount(StrEnum):
    """An account of a support case's ledger (code table CSLEDACC): each ledger entry debits one
    and credits another by the same amount (`emsterm.ccses.ledger`)."""

    OWED_CURRENT = "OCS"
    """Current support owed by the non-custodial parent this month (charged from the order)."""
    OWED_MEDICAL = "OMS"
    """Current medical support owed this month."""
    OWED_FAMILY_ARREARS = "OFA"
    """Past-due support owed to the family (unassigned arrears)."""
    OWED_ASSIGNED_ARREARS = "OSA"
    """Past-due support assigned to the state for assistance paid (42 USC 608(a)(3))."""
    OBLIGATION = "OBL"
    """What the orders have charged: the other side of every charge."""
    CASH = "CSH"
    """Collections in hand, not yet paid out or kept."""
    UNDISTRIBUTED = "UND"
    """Collected but not yet applied (more than is owed): held for the next charge."""
    STATE_RETAINED = "RET"
    """Kept by the state as reimbursement of assistance paid (the assignment)."""
    FEE = "FEE"
    """The never-assistance annual fee kept from the family's share (42 USC 654(6)(B)(ii))."""
    DISBURSED = "DSB"
    """Paid out to the family."""


class LedgerEntryType(StrEnum):
    """What a ledger entry records (code table CSLEDTYP): `support_ledger.entry_type`."""

    OPENING = "OB"
    """The balance brought forward when the ledger began (a converted case's arrears, debit
    OWED_FAMILY_ARREARS/OWED_ASSIGNED_ARREARS): the orders are charged from the day after it."""
    CHARGE = "CH"
    """An obligation falling due under the order (debit OWED_CURRENT/OWED_MEDICAL)."""
    ARREARS = "AR"
    """A month's unpaid current support becoming arrears (family's, or assigned to the state)."""
    RECEIPT = "RC"
    """A collection received (debit CASH, credit UNDISTRIBUTED)."""
    DISTRIBUTION = "DS"
    """Part of a collection applied to what is owed (debit UNDISTRIBUTED, credit an OWED account)."""
    RETENTION = "RT"
    """The state's share of a distribution kept (debit STATE_RETAINED, credit CASH)."""
    FEE = "FE"
    """The annual fee kept from the family's share (debit FEE, credit CASH)."""
    DISBURSEMENT = "DB"
    """The family's share paid out (debit DISBURSED, credit CASH)."""
    REVERSAL = "RV"
    """The opposite of an earlier entry (a reversed collection): same accounts, sides swapped."""


class EnforcementType(StrEnum):
    """An automated enforcement action (code table CSENFTYP): `support_enforcement.action_type`."""

    INCOME_WITHHOLDING = "IW"
    """An income withholding order to the parent's employer (42 USC 666(b), 653a(g)(1))."""
    TAX_OFFSET = "TO"
    """Certification of past-due support for federal tax refund offset (42 USC 664, 45 CFR 303.72)."""
    CREDIT_BUREAU = "CB"
    """Overdue support reported to the consumer reporting agencies (42 USC 666(a)(7); CGS 52-362d(b))."""
    LICENSE_SUSPENSION = "LS"
    """A candidate for suspension of the parent's licenses (42 USC 666(a)(16); CGS 46b-220)."""


class EnforcementStatus(StrEnum):
    """Where an enforcement action stands (code table CSENFST): `support_enforcement.status`."""

    NOTICED = "N"
    """The notice to the non-custodial parent went; the action waits for its day."""
    TAKEN = "T"
    """The action was taken (and went in its file)."""
    STAYED = "S"
    """A worker stayed it with a reason: it is not taken, nor proposed again for this delinquency."""
    ENDED = "E"
    """It ended before it was taken (the arrears fell below its threshold, or were paid)."""


class Destination(StrEnum):
    """Whose a distributed amount is (code table CSDEST): `support_ledger.destination`."""

    FAMILY = "F"
    STATE = "S"


class OrderAuthority(StrEnum):
    """Who made a support order (code table CSORDSRC): `support_order.authority`."""

    SUPERIOR_COURT = "SC"
    MAGISTRATE = "FM"
    """A Family Support Magistrate (CGS 46b-231)."""
    ADMINISTRATIVE = "AD"
    """An administrative order (42 USC 666(a)(2), 45 CFR 303.101)."""


class OrderType(StrEnum):
    """What a support order is for (code table CSORDTYP): `support_order.order_type`."""

    CURRENT_SUPPORT = "CS"
    MEDICAL_SUPPORT = "MS"
    """Cash medical support (45 CFR 303.31)."""
    ARREARS = "AR"
    """Payments on arrears owed under an earlier order."""


class OrderFrequency(StrEnum):
    """How often a support order falls due (code table CSORDFRQ): `support_order.frequency`."""

    WEEKLY = "W"
    """Each week on the weekday of the effective date."""
    BIWEEKLY = "B"
    """Every other week from the effective date."""
    MONTHLY = "M"
    """Each month on the effective date's day (the month's last day when it has fewer)."""


class ReferralAction(StrEnum):
    """What a referral record asks of CCSES (the referral file's action field)."""

    NEW = "N"
    """A new qualifying child and absent parent."""
    CHANGE = "C"
    """Something that matters changed: programs, address, employer."""
    END = "E"
    """The child left the unit, or the case no longer qualifies (programs closed, good cause)."""


class SupportAlertType(StrEnum):
    """What a CCSES worker alert is about (code table CSALERT): `support_alert.alert_type`. The
    first five are the federal timeframes, and name their clocks (`emsterm.ccses.timeframes`)."""

    OPEN = "OPEN"
    """45 CFR 303.2(b): open the case within 20 days of the referral."""
    LOCATE = "LOCT"
    """45 CFR 303.3(b)(3): access the locate sources within 75 days of finding locate necessary."""
    ESTABLISH = "ESTB"
    """45 CFR 303.4(d): an order established or service of process completed within 90 days of locate."""
    ENFORCE = "ENFC"
    """45 CFR 303.6(c)(1): enforcement action within 30 days of a delinquency (60 with service of process)."""
    REVIEW = "REVW"
    """45 CFR 303.8(b): review and adjustment at least every 36 months (current assistance)."""
    LOCATE_HIT = "LHIT"
    """A locate source gave the non-custodial parent's address or employer: verify it."""


class ClockState(StrEnum):
    """Where a federal timeframe's clock stands on a date (not stored: computed by
    `emsterm.ccses.timeframes`)."""

    OPEN = "O"
    """Running, deadline not passed."""
    MET = "M"
    """Done on or before the deadline."""
    MISSED = "X"
    """Done after the deadline, or not done and the deadline has passed."""


class LocateSource(StrEnum):
    """Where a locate hit came from (code table CSLOCSRC): `support_locate.source`."""

    CCSES = "CS"
    """The same parent with an address or employer on another support case."""
    EMS = "EM"
    """The parent as a current member of an open EMS case (its address, their wages' employer)."""
    NEW_HIRE = "NH"
    """The Department of Labor's new-hire file."""
    WAGE = "QW"
    """The Department of Labor's quarterly wage file."""
    SSA = "SS"
    """The Social Security Administration's response file."""
    DMV = "MV"
    """The Department of Motor Vehicles' address file."""
    FPLS = "FP"
    """The Federal Parent Locator Service response file."""


class LocateConfidence(StrEnum):
    """How sure a locate match is (code table CSLOCCNF): `support_locate.confidence`."""

    HIGH = "H"
    """The SSN matched exactly."""
    LOW = "L"
    """Name and birth date matched (no SSN on one side)."""


CODE_TABLES: dict[str, type[StrEnum]] = {
    "CASESTAT": CaseStatus,
    "PGMSTAT": ProgramStatus,
    "RELATION": RelationshipToHead,
    "MBRROLE": UnitRole,
    "SEX": Sex,
    "CITIZEN": Citizenship,
    "LANGUAGE": Language,
    "INCTYPE": IncomeType,
    "FREQ": Frequency,
    "ASSETTYP": AssetType,
    "EXPTYPE": ExpenseType,
    "UTILITY": UtilityArrangement,
    "VERSTAT": VerificationStatus,
    "VERITEM": VerificationItem,
    "PAYMETH": PaymentMethod,
    "ACCTTYPE": AccountType,
    "MCHOW": PlanSelection,
    "ISSKIND": IssuanceKind,
    "ISSSTAT": IssuanceStatus,
    "VOIDRSN": VoidReason,
    "NTCTYPE": NoticeType,
    "NTCSTAT": NoticeStatus,
    "ACTTYPE": ActionType,
    "ACTSTAT": ActionStatus,
    "ALRTTYPE": AlertType,
    "ALRTSTAT": AlertStatus,
    "ALRTDISP": AlertDisposition,
    "PENDSTAT": PendingChangeStatus,
    "COOPSTAT": CooperationStatus,
    "GOODCAUS": GoodCause,
    "CSTYPE": SupportCaseType,
    "CSSTAT": SupportStatus,
    "CSROLE": SupportRole,
    "CSCLOSE": ClosureReason,
    "CSALERT": SupportAlertType,
    "CSLOCSRC": LocateSource,
    "CSLOCCNF": LocateConfidence,
    "CSPATST": PaternityStatus,
    "CSPATHOW": PaternityMethod,
    "CSGENRES": GeneticResult,
    "CSFEEPAY": FeePayer,
    "CSORDSRC": OrderAuthority,
    "CSORDTYP": OrderType,
    "CSORDFRQ": OrderFrequency,
    "CSPAYSRC": PaymentSource,
    "CSPAYST": PaymentStatus,
    "CSSUSPST": SuspenseStatus,
    "CSLEDACC": LedgerAccount,
    "CSLEDTYP": LedgerEntryType,
    "CSDEST": Destination,
    "CSENFTYP": EnforcementType,
    "CSENFST": EnforcementStatus,
}
"""The code sets that are code tables of `ref_code`, by the table's `code_type`."""
