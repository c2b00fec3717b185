"""The interface registry: every outside system EMS exchanges files or messages with, one entry
each (DESIGN.md section 7: one registry per concept).

An entry says who the partner is, which way the data goes, the standard or layout it follows,
the files (or the service) it uses, the step or command that moves it and the independent
validator the tests check it with. The interface log (`interface_file`, `ems interfaces list`,
EM94) names each file by its entry's `name`; the registry gives that name its partner.

Adding an interface is one entry here plus its format module beside this one (writer and
reader, pure: records in, bytes out and back) and the step or command that moves it.
"""

from __future__ import annotations

from dataclasses import dataclass

from emsterm.model.codes import FileDirection


@dataclass(frozen=True)
class Interface:
    """One interface with an outside system."""

    name: str
    """The name on its interface log rows (`interface_file.interface`, at most 12 characters)."""
    partner: str
    """Who receives or sends it, as operators call them (at most 8 characters on EM94)."""
    description: str
    direction: FileDirection
    standard: str
    """The published standard or the agreed layout it follows."""
    files: tuple[str, ...]
    """The file names (or glob patterns for inbound files) it uses."""
    moved_by: str
    """The batch step (`STREAM/STEP`) or command that writes or reads it."""
    validator: str
    """The independent check the tests run over what EMS writes (or `-` for EMS's own layouts,
    checked by their reader's control totals)."""


INTERFACES: tuple[Interface, ...] = (
    Interface(
        "EBT",
        "EBTPROC",
        "Benefit authorizations for the EBT card's SNAP and cash purses",
        FileDirection.OUT,
        "State layout agreed with the EBT processor (README: EBT benefit file)",
        ("ebt-benefits.txt",),
        "nightly/DAILYISS, monthly/ISSUE",
        "frictionless 5.21.0 (a Table Schema of the detail record, tests/table_schemas.py)",
    ),
    Interface(
        "EBTRESP",
        "EBTPROC",
        "The EBT processor's answer to each authorization: accepted, or rejected with a reason",
        FileDirection.IN,
        "State layout agreed with the EBT processor (README: EBT return file)",
        ("ebt-return*.txt",),
        "nightly/RETURNS, ems interfaces receive ebt-return",
        "-",
    ),
    Interface(
        "ACH",
        "BANK",
        "Direct deposit of cash benefits: PPD credits to the clients' accounts",
        FileDirection.OUT,
        "NACHA ACH file (94-character records, blocking factor 10)",
        ("direct-deposit.ach",),
        "nightly/DAILYISS, monthly/ISSUE",
        "achkit 0.2.0 and achlens 0.1.7",
    ),
    Interface(
        "ACHRTN",
        "BANK",
        "The banks' ACH return entries (R01, R02, ...) and notifications of change (C01, C02, ...)",
        FileDirection.IN,
        "NACHA ACH returns (addenda 99) and COR entries (addenda 98)",
        ("ach-return*.ach",),
        "nightly/RETURNS, ems interfaces receive ach-return",
        "achkit 0.2.0 (achlens 0.1.7 knows no return entries)",
    ),
    Interface(
        "CHECKS",
        "TREASURY",
        "The check register: benefits paid by state check, numbered from the controlled range",
        FileDirection.OUT,
        "EMS layout (README: check register and positive pay)",
        ("check-register.txt",),
        "nightly/DAILYISS, monthly/ISSUE",
        "frictionless 5.21.0 (a Table Schema of the detail record, tests/table_schemas.py)",
    ),
    Interface(
        "POSPAY",
        "BANK",
        "Positive pay: the checks the disbursing bank may pay, and the voided ones it must not",
        FileDirection.OUT,
        "EMS layout (README: check register and positive pay)",
        ("positive-pay.txt",),
        "nightly/DAILYISS, monthly/ISSUE, ems checks void",
        "frictionless 5.21.0 (a Table Schema of the detail record, tests/table_schemas.py)",
    ),
    Interface(
        "X12-834",
        "MMIS",
        "Medical coverage to the Medicaid MMIS (interChange), with each member's managed care plan",
        FileDirection.OUT,
        "ASC X12 005010X220A1 834 Benefit Enrollment and Maintenance",
        ("mmis-834-changes.x12", "mmis-834-audit.x12"),
        "nightly/MMIS834, monthly/MMIS834",
        "pyx12 4.0.0 (x12valid)",
    ),
    Interface(
        "MEDCARD",
        "CARDVEND",
        "Medical ID cards for members newly covered next month or whose card data changed",
        FileDirection.OUT,
        "EMS layout, pipe-separated with header and trailer (README: medical ID cards)",
        ("medical-id-cards.txt",),
        "monthly/MEDCARDS",
        "frictionless 5.21.0 (a Table Schema of the card record)",
    ),
    Interface(
        "NOTICES",
        "PRINTSHP",
        "The notices of the run, one PDF for the print and mail vendor",
        FileDirection.OUT,
        "PDF (fpdf2)",
        ("notices.pdf",),
        "nightly/NOTICES, monthly/NOTICES",
        "pypdf reads every page back",
    ),
    Interface(
        "WAGEMATCH",
        "DOL",
        "Quarterly wages employers reported (IEVS wage match)",
        FileDirection.IN,
        "EMS layout (README: wage match)",
        ("wage-match*.txt",),
        "nightly/MATCHES",
        "-",
    ),
    Interface(
        "BENDEX",
        "SSA",
        "Social Security (RSDI) benefits SSA pays the people EMS asked about (IEVS)",
        FileDirection.IN,
        "EMS layout of the BENDEX record (README: matches)",
        ("bendex*.txt",),
        "nightly/MATCHES",
        "-",
    ),
    Interface(
        "SDX",
        "SSA",
        "SSI payments to people in the state (State Data Exchange)",
        FileDirection.IN,
        "EMS layout of the SDX record (README: matches)",
        ("sdx*.txt",),
        "nightly/MATCHES",
        "-",
    ),
    Interface(
        "NEWHIRE",
        "DOL",
        "New hires employers reported to the state directory (42 USC 653a)",
        FileDirection.IN,
        "EMS layout (README: matches)",
        ("new-hire*.txt",),
        "nightly/MATCHES",
        "-",
    ),
    Interface(
        "BANKMATCH",
        "AVS",
        "Balances financial institutions report (asset verification, 42 USC 1396w)",
        FileDirection.IN,
        "EMS layout (README: matches)",
        ("bank-match*.txt",),
        "nightly/MATCHES",
        "-",
    ),
    Interface(
        "X12-270/271",
        "PROVIDER",
        "Real-time eligibility verification: providers' 270 inquiries answered with 271s (999 when unreadable)",
        FileDirection.IN,
        "ASC X12 005010X279A1 270/271 (999 005010X231A1) over HTTP, CAQH CORE connectivity envelope",
        ("POST /evs (multipart/form-data CORE envelope)",),
        "ems evs serve (logged in evs_inquiry, EM96)",
        "x12sdk 2.2.0 (270, 271); pyx12 4.0.0 (999)",
    ),
    Interface(
        "REPORT",
        "DSS",
        "Management and mass-change reports for DSS central office",
        FileDirection.OUT,
        "CSV and PNG",
        ("*.csv", "*.png"),
        "monthly/REPORTS, masschange/MASSCHG",
        "-",
    ),
    Interface(
        "CCSES-REF",
        "CCSES",
        "Child support referrals: TFA and Medicaid children with an absent parent, changes, ends",
        FileDirection.OUT,
        "EMS layout, pipe-separated with header and trailer (README: child support referral file)",
        ("ccses-referrals-YYYYMMDD.txt",),
        "nightly/CCSESREF",
        "frictionless 5.21.0 (a Table Schema of the detail record, tests/table_schemas.py)",
    ),
    Interface(
        "CCSES-REFIN",
        "EMS",
        "The referral file as CCSES receives it: makes or updates support cases",
        FileDirection.IN,
        "EMS layout, pipe-separated with header and trailer (README: child support referral file)",
        ("ccses-referrals-*.txt",),
        "ccses/REFERRAL",
        "-",
    ),
    Interface(
        "COLLECTIONS",
        "SMI",
        "Child support collections received by the payment processing unit, to post and distribute",
        FileDirection.IN,
        "CCSES layout, pipe-separated with header and trailer (README: child support collections file)",
        ("collections*.txt",),
        "ccses/POSTPAY, postpay/POSTPAY (ems ccses post-payments)",
        "frictionless 5.21.0 (a Table Schema of the detail record, tests/table_schemas.py)",
    ),
    Interface(
        "CCSES-EBT",
        "EBTPROC",
        "Child support paid to the families: CASH purse credits to the custodial parties' EBT cards",
        FileDirection.OUT,
        "State layout agreed with the EBT processor (README: EBT benefit file)",
        ("ccses-ebt-YYYYMMDD.txt",),
        "ccses/DISBURSE",
        "frictionless 5.21.0 (a Table Schema of the detail record, tests/table_schemas.py)",
    ),
    Interface(
        "CCSES-ACH",
        "BANK",
        "Child support paid by direct deposit to custodial parties who are not EMS clients but gave a bank account",
        FileDirection.OUT,
        "NACHA ACH file (94-character records, blocking factor 10)",
        ("ccses-direct-deposit-YYYYMMDD.ach",),
        "ccses/DISBURSE",
        "achkit 0.2.0",
    ),
    Interface(
        "CCSES-CHECKS",
        "TREASURY",
        "Child support paid by check to custodial parties who are not EMS clients, from CCSES's check stock",
        FileDirection.OUT,
        "EMS layout (README: check register and positive pay)",
        ("ccses-checks-YYYYMMDD.txt",),
        "ccses/DISBURSE",
        "frictionless 5.21.0 (a Table Schema of the detail record, tests/table_schemas.py)",
    ),
    Interface(
        "CCSES-SUPP",
        "EMS",
        "Child support collected per EMS case and month: collected, passed through, current support retained",
        FileDirection.OUT,
        "CCSES layout, pipe-separated with header and trailer (README: support collections to EMS)",
        ("ccses-support-YYYYMMDD.txt",),
        "ccses/EMSCOLL",
        "frictionless 5.21.0 (a Table Schema of the detail record, tests/table_schemas.py)",
    ),
    Interface(
        "CCSES-SUPIN",
        "CCSES",
        "The support collections file as EMS receives it: the month on the case, the pass-through as income",
        FileDirection.IN,
        "CCSES layout, pipe-separated with header and trailer (README: support collections to EMS)",
        ("ccses-support-*.txt",),
        "nightly/SUPCOLL",
        "-",
    ),
    Interface(
        "CS-NEWHIRE",
        "DOL",
        "New hires with their home address, for child support locate (42 USC 653a)",
        FileDirection.IN,
        "CCSES layout, pipe-separated with header and trailer (README: child support locate files)",
        ("cs-new-hire*.txt",),
        "ccses/LOCATE",
        "frictionless 5.21.0 (a Table Schema of the detail record, tests/table_schemas.py)",
    ),
    Interface(
        "CS-WAGE",
        "DOL",
        "Quarterly wages by employer, for child support locate (42 USC 653(i))",
        FileDirection.IN,
        "CCSES layout, pipe-separated with header and trailer (README: child support locate files)",
        ("cs-wages*.txt",),
        "ccses/LOCATE",
        "frictionless 5.21.0 (a Table Schema of the detail record, tests/table_schemas.py)",
    ),
    Interface(
        "CS-SSA",
        "SSA",
        "SSA's locate response: SSN verified, address, monthly benefit",
        FileDirection.IN,
        "CCSES layout, pipe-separated with header and trailer (README: child support locate files)",
        ("cs-ssa*.txt",),
        "ccses/LOCATE",
        "frictionless 5.21.0 (a Table Schema of the detail record, tests/table_schemas.py)",
    ),
    Interface(
        "CS-DMV",
        "DMV",
        "Motor vehicle addresses of drivers and owners, for child support locate",
        FileDirection.IN,
        "CCSES layout, pipe-separated with header and trailer (README: child support locate files)",
        ("cs-dmv*.txt",),
        "ccses/LOCATE",
        "frictionless 5.21.0 (a Table Schema of the detail record, tests/table_schemas.py)",
    ),
    Interface(
        "CS-FPLS",
        "OCSE",
        "Federal Parent Locator Service response: addresses and employers federal sources found",
        FileDirection.IN,
        "CCSES layout, pipe-separated with header and trailer (README: child support locate files)",
        ("cs-fpls*.txt",),
        "ccses/LOCATE",
        "frictionless 5.21.0 (a Table Schema of the detail record, tests/table_schemas.py)",
    ),
    Interface(
        "CS-IWO",
        "EMPLOYER",
        "Income withholding orders to the employers of delinquent parents (42 USC 666(b))",
        FileDirection.OUT,
        "CCSES layout, pipe-separated with header and trailer (README: child support enforcement files)",
        ("cs-income-withholding-YYYYMMDD.txt",),
        "ccses/ENFORCE",
        "frictionless 5.21.0 (a Table Schema of the detail record, tests/table_schemas.py)",
    ),
    Interface(
        "CS-TAXOFFSET",
        "OCSE",
        "Past-due support certified for federal tax refund offset (42 USC 664, 45 CFR 303.72)",
        FileDirection.OUT,
        "CCSES layout, pipe-separated with header and trailer (README: child support enforcement files)",
        ("cs-tax-offset-YYYYMMDD.txt",),
        "ccses/ENFORCE",
        "frictionless 5.21.0 (a Table Schema of the detail record, tests/table_schemas.py)",
    ),
    Interface(
        "CS-CREDIT",
        "CRA",
        "Overdue support reported to the consumer reporting agencies (42 USC 666(a)(7))",
        FileDirection.OUT,
        "CCSES layout, pipe-separated with header and trailer (README: child support enforcement files)",
        ("cs-credit-bureau-YYYYMMDD.txt",),
        "ccses/ENFORCE",
        "frictionless 5.21.0 (a Table Schema of the detail record, tests/table_schemas.py)",
    ),
    Interface(
        "CS-LICENSE",
        "LICENSE",
        "Parents who are license suspension candidates (42 USC 666(a)(16), CGS 46b-220)",
        FileDirection.OUT,
        "CCSES layout, pipe-separated with header and trailer (README: child support enforcement files)",
        ("cs-license-suspension-YYYYMMDD.txt",),
        "ccses/ENFORCE",
        "frictionless 5.21.0 (a Table Schema of the detail record, tests/table_schemas.py)",
    ),
    Interface(
        "DSS-EXTRACT",
        "DSSDW",
        "The benefit month's cases, members, determinations and issuances for the data warehouse",
        FileDirection.OUT,
        "Apache Parquet, partitioned by benefit month (README: DSS extract)",
        ("dss-extract/benefit_month=YYYY-MM/*.parquet",),
        "monthly/DSSEXTR",
        "pyarrow reads the partitioned dataset back",
    ),
    Interface(
        "QC",
        "QCUNIT",
        "The quality control sample for the month's reviews",
        FileDirection.OUT,
        "CSV",
        ("qc-sample.csv",),
        "monthly/QCSAMPLE",
        "-",
    ),
)
"""Every interface, outbound first as operators list them."""

BY_NAME: dict[str, Interface] = {i.name: i for i in INTERFACES}
"""Interface log name -> its entry."""

PARTNERS: tuple[str, ...] = tuple(dict.fromkeys(i.partner for i in INTERFACES))
"""The partners, in registry order."""


def partner_of(name: str) -> str:
    """The partner of an interface log name (`?` for a name the registry does not know)."""
    entry = BY_NAME.get(name)
    return entry.partner if entry else "?"


def of_partner(partner: str) -> tuple[str, ...]:
    """The interface log names of a partner (case-insensitive)."""
    wanted = partner.upper()
    return tuple(i.name for i in INTERFACES if i.partner == wanted)
