"""培训通知 as plain values for templates/pdf/notice.html (a selector, kept beside selectors.py):
the course's notice as the organizer wrote it (or the template's draft), its body in numbered
parts, the 名额分配表 (附件1) and the 报名回执's columns (附件2). Reads only."""

from datetime import date

from attendance import rules as attendance_rules
from core import formats
from registration import rules as registration_rules
from registration import selectors as registration_selectors
from registration.receipt import headers as receipt_headers
from training.models import Course

from . import rules as paper
from .selectors import TITLE_CHARACTERS_PER_LINE

RECEIPT_MIN_ROWS = 15  # a page of the 回执 at 9 mm a row


def _title_lines(title: str) -> list[str]:
    """Split by meaning, but never leaving “的通知” alone on the second line when a break after
    the year or the county keeps the lines more even."""
    lines = attendance_rules.title_lines(title, per_line=TITLE_CHARACTERS_PER_LINE)
    if len(lines) == 2 and len(lines[1]) <= 3:
        for cut in ("年", "县", "市"):
            at = title.find(cut) + 1
            if 0 < at < len(title) and max(at, len(title) - at) <= TITLE_CHARACTERS_PER_LINE:
                return [title[:at], title[at:]]
    return lines


def notice_pdf_data(course: Course, *, today: date) -> dict:
    """Everything the notice prints (the course's organization expected loaded). Five queries when
    no notice is saved yet (the draft's four and the quotas), two when it is."""
    notice = registration_selectors.notice_of(course, today=today)
    texts = {name: getattr(notice, name) for name, _ in registration_rules.NOTICE_SECTIONS}
    allocation = registration_selectors.allocation(course)
    places = max((total for _, total in allocation), default=0)
    return {
        "title": notice.title,
        "title_lines": _title_lines(notice.title),
        "doc_number": notice.doc_number,
        "recipients": notice.recipients,
        "purpose": registration_rules.paragraphs(notice.purpose),
        "sections": registration_rules.notice_sections(texts),
        "issuer": paper.issuer_lines(course.organization.name),
        "signer": course.organization.name,
        "signed_on": formats.document_date(notice.signed_on),
        "allocation": allocation,
        "allocation_total": sum(total for _, total in allocation),
        "receipt_fields": registration_rules.RECEIPT_FIELDS,
        "receipt_headers": receipt_headers(),
        "receipt_rows": range(max(RECEIPT_MIN_ROWS, places)),
    }
