"""评估报告 (the course's evaluation report) as plain values for templates/pdf/evaluation_report.html:
a selector kept beside selectors.py, like fees.py. It reads 评教 through evaluation.selectors, so
the report shows what the results page shows — counts and rates always, means, charts and
comments only where the page shows them (`Result.shown`). Reads only."""

from datetime import datetime

from django.utils import timezone

from core import formats
from evaluation import rules as evaluation_rules
from evaluation import selectors as evaluation
from training.models import Course, Enrollment

from . import rules as paper

REPORT_WIDTH_MM = 210 - 2 * 12  # A4 portrait less the side margins of templates/pdf/_base.html
STATES = {evaluation_rules.UPCOMING: "未开始", evaluation_rules.OPEN: "评价中", evaluation_rules.CLOSED: "已截止"}


def _rate(answered: int, attended: int) -> str:
    return f"{answered / attended:.1%}" if attended else "—"


def _mean(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else "—"


def _session_facts(session) -> dict:
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return {
        "when": f"{start.month}月{start.day}日（{paper.weekday(start.date())}）{formats.day_part(start)} "
        f"{start:%H:%M}–{end:%H:%M}",
        "date": f"{start.month}月{start.day}日{formats.day_part(start)}",
        "title": session.title,
        "lecturer": paper.lecturer_label(session.lecturer),
    }


def _block(index: int, result: evaluation.Result) -> dict:
    facts = _session_facts(result.session) if result.session else {"title": "培训班总体评价"}
    return {
        "index": index,
        **facts,
        "form": result.form.title,
        "scale": result.form.scale,
        "state": STATES[result.state],
        "closed": result.state == evaluation_rules.CLOSED,
        "attended": result.attended,
        "answered": result.answered,
        "rate": _rate(result.answered, result.attended),
        "shown": result.shown,
        "overall": _mean(result.overall),
        "means": [(label, _mean(mean)) for label, mean in result.means],
        "charts": result.charts,
        "comments": [(label, texts) for label, texts in result.comments if texts],
    }


def evaluation_report_data(course: Course, *, now: datetime) -> dict:
    """The report: the course's facts; a line per evaluated session (time, title, lecturer,
    answered / attended, rate, overall mean); per session and for the course form the per-item
    means, a bar chart per item and the comments, where shown; the sessions' mean overall.
    Eight queries (enrolled trainees, the settings and forms, the five of results_for_course)."""
    settings, forms = evaluation.forms_of(course)
    results = evaluation.results_for_course(course, settings=settings, forms=forms, now=now)
    sessions = [_block(index, r) for index, r in enumerate((r for r in results if r.session), start=1)]
    course_form = _block(0, next(r for r in results if r.session is None))
    shown = [r.overall for r in results if r.session and r.shown and r.overall is not None]
    answered = sum(r.answered for r in results if r.session)
    attended = sum(r.attended for r in results if r.session)
    as_of = timezone.localtime(now)
    return {
        "name": course.name,
        "organization": course.organization.name,
        "venue": course.venue,
        "dates": formats.document_date_range(course.start_date, course.end_date),
        "title": paper.title_lines(course.name, REPORT_WIDTH_MM, suffix="教学评估报告"),
        "enrolled": Enrollment.objects.filter(course=course, status=Enrollment.Status.ENROLLED).count(),
        "enabled": settings.enabled,
        "threshold": settings.comment_threshold,
        "sessions": sessions,
        "course_form": course_form,
        "answered": answered,
        "attended": attended,
        "rate": _rate(answered, attended),
        # the mean of the sessions' overall means, over the sessions whose means are shown
        "overall": _mean(round(sum(shown) / len(shown), 2) if shown else None),
        "overall_of": len(shown),
        "as_of": f"{as_of:%Y-%m-%d %H:%M}",
        "signed_on": formats.document_date(as_of.date()),
    }
