"""培训班总结: the course in figures (read from the same selectors as the 考勤报告 and the 评估报告,
so the three never disagree), a first draft written from them (`rules.summary_draft`), which the
organizer edits, and the 公文-style report with its charts."""

from collections import Counter
from datetime import datetime

from django.utils import timezone

from attendance.models import DisciplineRecord
from completion.models import Certificate
from completion.selectors import completion_for_course
from core import charts, formats
from training.models import Course, Session

from . import rules as paper
from .evaluation import evaluation_report_data
from .models import CourseSummary
from .selectors import report_data

SUMMARY_WIDTH_MM = 156  # the 公文 type area
TOP_UNITS = 12
TEACHING = (Session.Kind.LECTURE, Session.Kind.SITE_VISIT, Session.Kind.DISCUSSION)  # what the programme lists


def summary_facts(course: Course, *, now: datetime) -> dict:
    """Everything the draft and the charts read, as plain values."""
    report = report_data(course, now=now)
    evaluation = evaluation_report_data(course, now=now)
    trainees = report["trainees"]
    units = Counter(t["unit"] or "（未填单位）" for t in trainees)
    kinds = Counter(course.sessions.values_list("kind", flat=True))
    records = DisciplineRecord.objects.filter(enrollment__course=course, voided_at__isnull=True).count()
    assessed = [row.assessment for row in completion_for_course(course, now=now) if row.assessment]
    graded = [a for a in assessed if not a.pending]
    return {
        "assessment": paper.assessment_sentence(
            assessed=len(assessed), graded=[a.total for a in graded], passed=sum(a.passed for a in graded)
        ),
        "course": course.name,
        "organization": course.organization.name,
        "venue": course.venue,
        "dates": formats.document_date_range(course.start_date, course.end_date),
        "enrolled": report["enrolled"],
        "units": units.most_common(),
        "sessions": report["planned"],
        "held": report["held"],
        "hours": report["total_hours"],
        "kinds": [(label, kinds[value]) for value, label in Session.Kind.choices if value in TEACHING and kinds[value]],
        "programme": [(s.title, s.lecturer) for s in course.sessions.order_by("starts_at", "pk") if s.kind in TEACHING],
        "rate": report["rate"],
        "late": sum(t["late"] for t in trainees),
        "early": sum(t["early"] for t in trainees),
        "absent": sum(t["absent"] for t in trainees),
        "leave": sum(t["leave"] for t in trainees),
        "records": records,
        "bulletins": course.bulletins.count(),
        "outcome": report["outcome"],
        "finished": report["finished"],
        "certificates": Certificate.objects.filter(course=course, status=Certificate.Status.VALID).count(),
        "evaluation_overall": evaluation["course_form"]["overall"],
        "evaluation_scale": evaluation["course_form"]["scale"],
        "evaluation_rate": evaluation["rate"],
        "sessions_overall": evaluation["overall"],
        "comments": [(label, texts[:3]) for label, texts in evaluation["course_form"]["comments"]],
        "session_rates": [(s["title"], s["rate_value"], s["rate"]) for s in report["sessions"] if s["held"]],
        "session_means": [
            (s["title"], float(s["overall"]), s["overall"]) for s in evaluation["sessions"] if s["overall"] != "—"
        ],
    }


def summary_charts(facts: dict) -> list[tuple[str, str]]:
    """The report's figures as (caption, inline SVG): trainees by unit, 到课率 per session, the
    sessions' 评教 means — each only when it has something to show."""
    figures = []
    units = facts["units"][:TOP_UNITS]
    if units:
        rest = sum(n for _, n in facts["units"][TOP_UNITS:])
        rows = [(unit, n, f"{n} 人") for unit, n in units] + ([("其他单位", rest, f"{rest} 人")] if rest else [])
        figures.append(("学员单位分布", charts.hbars(rows, maximum=max(n for _, n, _ in rows), title="学员单位分布")))
    if facts["session_rates"]:
        rows = [(title, value or 0, words) for title, value, words in facts["session_rates"]]
        figures.append(("各课次到课率", charts.hbars(rows, maximum=1, title="各课次到课率")))
    if facts["session_means"]:
        figures.append(
            (
                "各课次评教均分",
                charts.hbars(facts["session_means"], maximum=facts["evaluation_scale"] or 5, title="各课次评教均分"),
            )
        )
    return figures


def summary_pdf_data(course: Course, *, body: str, now: datetime) -> dict:
    """The report: title, the body's parts (a line starting 一、 … is a heading), the organ's name
    over the date, and the charts as 附件."""
    facts = summary_facts(course, now=now)
    return {
        "title": f"{course.name}总结",
        "title_lines": paper.title_lines(course.name, SUMMARY_WIDTH_MM, suffix="总结", largest=22, smallest=16),
        "parts": paper.summary_parts(body),
        "signer": course.organization.name,
        "signed_on": formats.document_date(timezone.localdate(now)),
        "figures": summary_charts(facts),
    }


def summary_text(course: Course, *, now: datetime, fresh: bool = False) -> tuple[str, object]:
    """The 总结 as the organizer last saved it (with that CourseSummary), or, when there is none or
    `fresh` is asked, the draft written from the figures now (with None)."""
    saved = CourseSummary.objects.filter(course=course).select_related("updated_by").first()
    if saved and not fresh:
        return saved.body, saved
    return paper.summary_draft(summary_facts(course, now=now)), saved
