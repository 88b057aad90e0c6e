"""讲课费签收单 as plain values for templates/pdf/lecture_fees.html and the .xlsx (a selector, kept
beside selectors.py, which holds the attendance documents). Reads only."""

from decimal import Decimal

from django.utils import timezone

from core import formats
from training import rules as training_rules
from training.models import Course, Lecturer, SessionLecturer

from . import rules as paper

FEES_WIDTH_MM = 297 - 2 * 12  # A4 landscape less the side margins of templates/pdf/_base.html
RANKS = dict(Lecturer.Rank.choices)


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _session_line(session) -> dict:
    """“12月3日上午 《工会法》解读（2学时）”: the text, and its 学时 part, which is never broken."""
    start = timezone.localtime(session.starts_at)
    text = f"{start.month}月{start.day}日{formats.day_part(start)} {session.title}"
    hours = f"（{_hours(session.credit_hours)}学时）"
    return {"text": text, "hours": hours, "line": text + hours}


def lecture_fees_data(course: Course) -> dict:
    """One line per lecturer of the course (the sessions picked for them from the 师资库, in
    timetable order): their sessions, 学时, the rate of the 师资库 as it is now, amount, tax
    withheld by the organization's rule and the net, flagged when the rate is above the
    organization's cap for the lecturer's rank. A lecturer without a rate gets a line with blank
    amounts. One payment per lecturer and course, so the tax is on their total. Totals count
    the lines with an amount. One query (two when the course's organization is not loaded)."""
    organization = course.organization
    caps, tax_rule = organization.fee_caps(), organization.lecture_tax_rule
    links = (
        SessionLecturer.objects.filter(session__course=course)
        .select_related("session", "lecturer")
        .order_by("session__starts_at", "session__pk", "position")
    )
    by_lecturer: dict[int, dict] = {}
    for link in links:
        entry = by_lecturer.setdefault(link.lecturer_id, {"lecturer": link.lecturer, "sessions": []})
        entry["sessions"].append(link.session)
    rows = []
    for index, entry in enumerate(by_lecturer.values(), start=1):
        lecturer = entry["lecturer"]
        hours = sum((s.credit_hours for s in entry["sessions"]), Decimal("0"))
        fee = paper.lecture_fee(hours=hours, rate=lecturer.fee_rate, cap=caps[lecturer.rank], tax_rule=tax_rule)
        rows.append(
            {
                "index": index,
                "name": lecturer.name,
                "title": training_rules.lecturer_label(name="", title=lecturer.title, unit=lecturer.unit),
                "rank": RANKS[lecturer.rank],
                "sessions": [_session_line(s) for s in entry["sessions"]],
                "fee": fee,
                "hours": _hours(hours),
                "rate": paper.money(fee.rate),
                "amount": paper.money(fee.amount),
                "tax": paper.money(fee.tax),
                "net": paper.money(fee.net),
                "no_rate": fee.rate is None,
            }
        )
    fees = [row["fee"] for row in rows]
    priced = [f for f in fees if f.amount is not None]
    computed = tax_rule == paper.TAX_LABOR
    total_amount = sum((f.amount for f in priced), Decimal("0"))
    total_tax = sum((f.tax for f in priced), Decimal("0")) if computed else None
    return {
        "name": course.name,
        "organization": organization.name,
        "venue": course.venue,
        "dates": formats.document_date_range(course.start_date, course.end_date),
        "title": paper.title_lines(course.name, FEES_WIDTH_MM, suffix="讲课费签收单"),
        "rows": rows,
        "total_hours": _hours(sum((f.hours for f in fees), Decimal("0"))),
        "total_amount": paper.money(total_amount) if priced else "",
        "total_tax": paper.money(total_tax) if computed and priced else "",
        "total_net": paper.money(total_amount - total_tax) if computed and priced else "",
        "totals": {"hours": sum((f.hours for f in fees), Decimal("0")), "amount": total_amount, "tax": total_tax},
        "tax_computed": computed,
        "over_cap": [row["name"] for row in rows if row["fee"].over_cap],
        "no_rate": [row["name"] for row in rows if row["no_rate"]],
        "caps": [(RANKS[rank], _hours(cap)) for rank, cap in caps.items() if cap is not None],
    }
