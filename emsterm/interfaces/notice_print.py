"""The notice print file: every notice of a run in one PDF, a notice to a page (or more), in
mailing order. The file is the same bytes every time it is made from the same notices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from fpdf import FPDF


def _latin(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def render(notices: Iterable[NoticeDocument], print_date: dt.date) -> bytes:
    """The PDF of the notices."""
    pdf = FPDF(format="letter", unit="pt")
    pdf.set_creation_date(dt.datetime.combine(print_date, dt.time(0), tzinfo=dt.UTC))
    pdf.set_author("Connecticut Department of Social Services")
    pdf.set_title("EMS notices")
    pdf.set_margins(54, 54, 54)
    pdf.set_auto_page_break(True, margin=54)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    count = 0
    for notice in notices:
        count += 1
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 11)
        for line in notice.office:
            pdf.cell(width, 14, _latin(line), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        pdf.ln(8)
        pdf.cell(
            width,
            13,
            f"Date of notice: {notice.notice_date:%m/%d/%Y}    Case number: {notice.case_number}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(8)
        for line in (notice.addressee, *notice.address):
            pdf.cell(width, 13, _latin(line), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(12)
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(width, 15, _latin(notice.subject), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(width, 13, _latin(notice.body), new_x="LMARGIN", new_y="NEXT")
        if notice.free_text:
            pdf.ln(6)
            pdf.multi_cell(width, 13, _latin(notice.free_text), new_x="LMARGIN", new_y="NEXT")
        if notice.reasons:
            pdf.ln(6)
            pdf.set_font("Helvetica", "B", 10)
            pdf.cell(width, 13, _latin(notice.reasons_title), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", "", 10)
            for reason in notice.reasons:
                pdf.multi_cell(width, 13, _latin(f"- {reason}"), new_x="LMARGIN", new_y="NEXT")
        if notice.budget:
            pdf.ln(6)
            pdf.set_font("Helvetica", "B", 10)
            pdf.cell(width, 13, _latin(notice.budget_title), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Courier", "", 9)
            for label, amount in notice.budget:
                pdf.cell(width - 90, 11, _latin(label[:70]))
                pdf.cell(90, 11, amount, align="R", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", "", 10)
        pdf.ln(10)
        pdf.set_font("Helvetica", "B", 10)
        pdf.multi_cell(width, 13, _latin(notice.hearing), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        pdf.ln(6)
        pdf.multi_cell(width, 13, _latin(notice.closing), new_x="LMARGIN", new_y="NEXT")
    if count == 0:
        pdf.add_page()
        pdf.set_font("Helvetica", "", 10)
        pdf.cell(width, 14, f"No notices to print on {print_date:%m/%d/%Y}.")
    return bytes(pdf.output())


@dataclass(frozen=True)
class NoticeDocument:
    """A notice ready to print."""

    case_number: str
    notice_date: dt.date
    notice_type: str
    addressee: str
    address: tuple[str, ...]
    office: tuple[str, ...]
    subject: str
    body: str
    reasons_title: str
    reasons: tuple[str, ...]
    budget_title: str
    budget: tuple[tuple[str, str], ...]
    hearing: str
    closing: str
    free_text: str = ""
    """The worker's own words (a manual notice, an override), after the body."""

    @property
    def text(self) -> str:
        """The whole notice as plain text (what the print file shows, line by line)."""
        parts = [
            *self.office,
            "",
            self.notice_date.strftime("%m/%d/%Y"),
            "",
            self.addressee,
            *self.address,
            "",
            self.subject,
            "",
            self.body,
        ]
        if self.free_text:
            parts += ["", self.free_text]
        if self.reasons:
            parts += ["", self.reasons_title, *(f"- {r}" for r in self.reasons)]
        if self.budget:
            parts += ["", self.budget_title, *(f"{label:<56}{amount:>12}" for label, amount in self.budget)]
        parts += ["", self.hearing, "", self.closing]
        return "\n".join(parts)
