"""The paper side of a course, as plain values for the templates in templates/pdf/ (and the .xlsx):
the attendance report, sign-in sheets, badges, desk cards, the timetable and a published bulletin.
Each reads through the attendance sheet or the roster in a fixed number of queries; nothing here
writes. Certificates are in training.certificates."""

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from attendance import rules
from attendance.selectors import bulletin_document, bulletins_for_course, completion_for_course, sheet_for_course
from attendance.tokens import badge_code
from training import rules as training_rules
from training.models import Course, Enrollment, Session

WEEKDAYS = "一二三四五六日"


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _qr(text: str) -> str:
    return segno.make(text, error="m").svg_inline(scale=4, border=0, omitsize=True)


def _when(session: Session) -> str:
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return f"{start:%m-%d} {start:%H:%M}–{end:%H:%M}"


def _header(course: Course) -> dict:
    start, end = course.start_date, course.end_date
    dates = f"{start:%Y年%m月%d日}" if start == end else f"{start:%Y年%m月%d日}至{end:%m月%d日}"
    return {"name": course.name, "organization": course.organization.name, "venue": course.venue, "dates": dates}


def _completion_label(row) -> str:
    if row.eligible:
        return "可结业"
    return "尚未完成" if row.override is None and row.completion.still_possible else "不可结业"


def report_data(course: Course, *, now: datetime) -> dict:
    """考勤报告: the course summary (enrolled, 到课率 overall, per group and per session), a row per
    trainee (hours, late, early, absent, leave, discipline points, completion and its reasons), a
    row per session, and the trainee × session sheet of symbols. Sessions not yet ended count as
    not expected. A fixed number of queries whatever the size of the course."""
    sheet = sheet_for_course(course, now=now)
    completion = {row.enrollment.pk: row for row in completion_for_course(course, now=now, sheet=sheet)}
    ended = [s for s in sheet.sessions if s.ends_at <= now]
    groups = defaultdict(lambda: [0, 0])
    per_session = {s.pk: [0, 0, 0, 0, 0] for s in ended}  # attended, late, early, absent, leave
    trainees = []
    for enrollment in sheet.enrollments:
        counts = {"late": 0, "early": 0, "absent": 0, "leave": 0}
        symbols = []
        for session in sheet.sessions:
            status = sheet.status(session, enrollment)
            symbols.append(status.symbol)
            if session.ends_at > now:
                continue
            tally = per_session[session.pk]
            late, early = status.attended and status.is_late, status.attended and status.is_early
            absent, leave = status.code == rules.ABSENT, status.code == rules.LEAVE
            for i, hit in enumerate((status.attended, late, early, absent, leave)):
                tally[i] += hit
            counts["late"] += late
            counts["early"] += early
            counts["absent"] += absent
            counts["leave"] += leave
            groups[enrollment.group][0] += status.attended
            groups[enrollment.group][1] += 1
        row = completion[enrollment.pk]
        trainees.append(
            {
                "no": enrollment.student_no,
                "name": enrollment.trainee.name,
                "unit": enrollment.trainee.work_unit,
                "group": enrollment.group,
                "hours": _hours(row.hours),
                **counts,
                "points": row.points,
                "completion": _completion_label(row),
                "reasons": f"组织者认定：{row.override.reason}" if row.override else "；".join(row.completion.reasons),
                "symbols": symbols,
                "marks": "".join(symbols),
            }
        )
    enrolled = len(sheet.enrollments)
    attended = sum(t[0] for t in per_session.values())
    expected = enrolled * len(ended)
    total_hours = sum((s.credit_hours for s in sheet.sessions), Decimal("0"))
    return {
        **_header(course),
        "as_of": f"{timezone.localtime(now):%Y-%m-%d %H:%M}",
        "enrolled": enrolled,
        "held": len(ended),
        "planned": len(sheet.sessions),
        "total_hours": _hours(total_hours),
        "rate": _percent(rules.rate(attended, expected)),
        "eligible": sum(1 for row in completion.values() if row.eligible),
        "groups": [
            {
                "group": group or "未分组",
                "people": sum(1 for e in sheet.enrollments if e.group == group),
                "rate": _percent(rules.rate(a, e)),
            }
            for group, (a, e) in sorted(groups.items(), key=lambda item: training_rules.group_sort_key(item[0]))
        ],
        "sessions": [
            {
                "when": _when(s),
                "title": s.title,
                "lecturer": s.lecturer,
                "hours": _hours(s.credit_hours),
                "held": s.pk in per_session,
                "attended": per_session.get(s.pk, [0])[0],
                "late": per_session.get(s.pk, [0, 0])[1],
                "early": per_session.get(s.pk, [0, 0, 0])[2],
                "absent": per_session.get(s.pk, [0, 0, 0, 0])[3],
                "leave": per_session.get(s.pk, [0, 0, 0, 0, 0])[4],
                "rate": _percent(rules.rate(per_session[s.pk][0], enrolled)) if s.pk in per_session else "未开始",
            }
            for s in sheet.sessions
        ],
        "columns": [f"{timezone.localtime(s.starts_at):%m-%d %H:%M}" for s in sheet.sessions],
        "trainees": trainees,
        "legend": "√ 出勤　迟 迟到　退 早退　× 缺勤　假 请假　・ 未开始",
        "matrix": _matrix_layout(len(sheet.sessions)),
    }


def printables(course: Course) -> dict:
    """What the 打印 page lists besides the course-wide documents: a sign-in sheet per session and
    the published bulletins."""
    return {"sessions": list(course.sessions.order_by("starts_at", "pk")), "bulletins": bulletins_for_course(course)}


def _matrix_layout(columns: int) -> dict:
    """The trainee × session sheet draws each trainee's marks as one line of full-width characters
    (one box per row instead of one per cell: 500 × 20 cells made the report take 11 s), spaced to
    sit under the session columns. Millimetres on A4 landscape with 12 mm margins."""
    width = 297 - 2 * 12 - 13 - 17  # the page less the 学号 and 姓名 columns
    column = width / max(columns, 1)
    size = min(8.0, column / 0.3528 * 0.8)  # points; a mark is 1 em wide
    em = size * 0.3528
    return {
        "column": round(column, 3),
        "size": round(size, 2),
        "spacing": round(column - em, 3),
        "indent": round((column - em) / 2, 3),
    }


def _roster(course: Course) -> list[Enrollment]:
    return sheet_for_course(course, now=timezone.now(), sessions=[]).enrollments


def signin_data(session: Session) -> dict:
    """签到表 of one session, for the paper fallback: the roster in group order with a signature
    column, and a QR to the session's roll call, where the advisor types in who signed."""
    course = session.course
    rollcall = f"{settings.SITE_URL}{reverse('attendance:rollcall', args=[course.code, session.pk])}"
    return {
        **_header(course),
        "session": {"title": session.title, "lecturer": session.lecturer, "room": session.room, "when": _when(session)},
        "rows": [
            {"no": e.student_no, "name": e.trainee.name, "unit": e.trainee.work_unit, "group": e.group}
            for e in _roster(course)
        ],
        "qr": _qr(rollcall),
    }


def badges_data(course: Course) -> dict:
    """胸牌, eight per A4: name, unit, group and the personal badge QR that staff scan."""
    return {
        **_header(course),
        "badges": [
            {
                "name": e.trainee.name,
                "unit": e.trainee.work_unit,
                "group": e.group,
                "no": e.student_no,
                "qr": _qr(badge_code(e.pk)),
            }
            for e in _roster(course)
        ],
    }


def desk_cards_data(course: Course) -> dict:
    """桌签: one folded A4 per trainee, the name large on both halves (the far one upside down)."""
    return {
        **_header(course),
        "cards": [{"name": e.trainee.name, "unit": e.trainee.work_unit} for e in _roster(course)],
    }


def timetable_data(course: Course) -> dict:
    """课程表 by day: time, kind, title, lecturer, room, hours."""
    days = defaultdict(list)
    for session in course.sessions.order_by("starts_at", "pk"):
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        days[start.date()].append(
            {
                "time": f"{start:%H:%M}–{end:%H:%M}",
                "kind": session.get_kind_display(),
                "title": session.title,
                "lecturer": session.lecturer,
                "room": session.room,
                "hours": _hours(session.credit_hours),
            }
        )
    return {
        **_header(course),
        "days": [
            {"label": f"{day.month}月{day.day}日（星期{WEEKDAYS[day.weekday()]}）", "sessions": sessions}
            for day, sessions in days.items()
        ],
    }


# A 2号 (22 pt) title line holds 20 characters of the 156 mm type area.
TITLE_CHARACTERS_PER_LINE = 20


def bulletin_pdf_data(bulletin) -> dict:
    """A published bulletin as the 公文 it was issued as, frozen: attendance.selectors.bulletin_document,
    which the page shows too, with the title split by meaning for the 2号 lines. No query."""
    doc = bulletin_document(bulletin)
    return {
        "doc": doc,
        "data": doc["data"],
        "title_lines": rules.title_lines(doc["title"], per_line=TITLE_CHARACTERS_PER_LINE),
    }
