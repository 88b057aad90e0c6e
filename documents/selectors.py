"""The paper side of a course, as plain values for the templates in templates/pdf/ (and the .xlsx):
the attendance report, sign-in sheets, badges, login slips, desk cards, the timetable and a
published bulletin.
Each reads through the attendance sheet or the roster in a fixed number of queries; nothing here
writes. Certificates are made by completion.services."""

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from attendance import rules
from attendance.models import LeaveRequest
from attendance.selectors import bulletin_document, bulletins_for_course, sheet_for_course
from attendance.tokens import badge_code
from completion.selectors import completion_for_course
from core import formats
from core.qr import qr_svg
from training import rules as training_rules
from training.models import Course, Enrollment, Session

from . import rules as paper


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _qr(url: str) -> str:
    return qr_svg(url)


def _fit_pt(text: str, *, width_mm: float, largest: float) -> float:
    """A type size (pt) at which `text`, a full em per character plus a little spacing, fits
    `width_mm`, at most `largest`."""
    return round(min(largest, width_mm / (max(len(text), 1) * 1.08) / paper.PT_MM), 1)


def _fraction(attended: int, expected: int) -> float | None:
    """到课率 as a fraction for the spreadsheet, which shows it as a percentage."""
    return attended / expected if expected else None


def _when(session: Session) -> str:
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return f"{start:%m-%d} {start:%H:%M}–{end:%H:%M}"


def _header(course: Course) -> dict:
    return {
        "name": course.name,
        "organization": course.organization.name,
        "venue": course.venue,
        "dates": formats.document_date_range(course.start_date, course.end_date),
    }


def _bands(rows: list) -> list[dict]:
    """A table's rows in bands, the first and last kept together on a page (documents.rules.row_bands)."""
    return [{"rows": rows[start:stop], "keep": keep} for start, stop, keep in paper.row_bands(len(rows))]


REPORT_WIDTH_MM = 297 - 2 * 12  # A4 landscape less the side margins of templates/pdf/_base.html
REPORT_PT, MATRIX_PT = 8.5, 7.5  # table text and the 考勤明细 names (report.html)
NAME_MAX_MM = 40.0  # a name longer than any real one wraps rather than crushes the sheet


def _name_mm(longest: int, pt: float) -> float:
    """A name column as wide as the longest name on the roster, in one line."""
    return round(min(NAME_MAX_MM, max(12.0, paper.text_mm(longest, pt) + paper.CELL_PADDING_MM + 0.8)), 1)


def report_data(course: Course, *, now: datetime) -> dict:
    """考勤报告: the course summary (enrolled, 到课率 overall, per group and per session), a row per
    trainee (hours attended and on leave, late, early, absent and leave counts, discipline points,
    completion and its reasons), a row per session, and the trainee × session sheet of symbols.
    Sessions not yet ended count as not expected; while any is ahead, completion reads as a
    projection (仍可结业 / 已无法结业), once all have ended as 可结业 / 不可结业. Rates come as
    text for the PDF and as fractions for the spreadsheet. A fixed number of queries whatever the
    size of the course."""
    sheet = sheet_for_course(course, now=now)
    completion = {row.enrollment.pk: row for row in completion_for_course(course, now=now, sheet=sheet)}
    ended = [s for s in sheet.sessions if s.ends_at <= now]
    finished = bool(sheet.sessions) and len(ended) == len(sheet.sessions)
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
        override = (row.override.eligible, row.override.reason) if row.override else None
        outlook = paper.completion_outlook(row.completion, finished=finished, override=override)
        trainees.append(
            {
                "no": enrollment.student_no,
                "name": enrollment.trainee.name,
                "unit": enrollment.trainee.work_unit,
                "group": enrollment.group,
                "hours": _hours(row.hours),
                "leave_hours": _hours(row.leave_hours),
                **counts,
                "points": row.points,
                "completion": outlook.label,
                "outlook": outlook.kind,
                "lost": outlook.kind in (paper.NOT_ELIGIBLE, paper.LOST),
                "reasons": outlook.reasons,
                "symbols": symbols,
                "marks": "".join(symbols),
            }
        )
    enrolled = len(sheet.enrollments)
    attended = sum(t[0] for t in per_session.values())
    expected = enrolled * len(ended)
    total_hours = sum((s.credit_hours for s in sheet.sessions), Decimal("0"))
    sessions = [
        {
            "when": _when(s),
            "title": s.title,
            "lecturer": paper.lecturer_label(s.lecturer),
            "hours": _hours(s.credit_hours),
            "held": s.pk in per_session,
            "attended": per_session.get(s.pk, [0])[0],
            "late": per_session.get(s.pk, [0, 0])[1],
            "early": per_session.get(s.pk, [0, 0, 0])[2],
            "absent": per_session.get(s.pk, [0, 0, 0, 0])[3],
            "leave": per_session.get(s.pk, [0, 0, 0, 0, 0])[4],
            "rate": _percent(rules.rate(per_session[s.pk][0], enrolled)) if s.pk in per_session else "未开始",
            "rate_value": _fraction(per_session[s.pk][0], enrolled) if s.pk in per_session else None,
        }
        for s in sheet.sessions
    ]
    longest = max((len(t["name"]) for t in trainees), default=2)
    name_mm, matrix_name_mm = _name_mm(longest, REPORT_PT), _name_mm(longest, MATRIX_PT)
    as_of = timezone.localtime(now)
    return {
        **_header(course),
        "title": paper.title_lines(course.name, REPORT_WIDTH_MM, suffix="考勤报告"),
        "as_of": f"{as_of:%Y-%m-%d %H:%M}",
        "signed_on": formats.document_date(as_of.date()),
        "enrolled": enrolled,
        "held": len(ended),
        "planned": len(sheet.sessions),
        "finished": finished,
        "total_hours": _hours(total_hours),
        "rate": _percent(rules.rate(attended, expected)),
        "rate_value": _fraction(attended, expected),
        "outcome": paper.outlook_totals([t["outlook"] for t in trainees], finished=finished),
        "groups": [
            {
                "group": group or "未分组",
                "people": sum(1 for e in sheet.enrollments if e.group == group),
                "rate": _percent(rules.rate(a, e)),
                "rate_value": _fraction(a, e),
            }
            for group, (a, e) in sorted(groups.items(), key=lambda item: training_rules.group_sort_key(item[0]))
        ],
        "sessions": sessions,
        "session_bands": _bands(sessions),
        "columns": [f"{timezone.localtime(s.starts_at):%m-%d %H:%M}" for s in sheet.sessions],
        "trainees": trainees,
        "trainee_bands": _bands(trainees),
        "name_mm": name_mm,
        "legend": "√ 出勤　迟 迟到　退 早退　× 缺勤　假 请假　・ 未开始",
        "matrix": _matrix_layout(len(sheet.sessions), name_mm=matrix_name_mm),
    }


def printables(course: Course) -> dict:
    """What the 打印 page lists besides the course-wide documents: a sign-in sheet per session and
    the published bulletins."""
    return {"sessions": list(course.sessions.order_by("starts_at", "pk")), "bulletins": bulletins_for_course(course)}


MATRIX_NO_MM = 13.0


def _matrix_layout(columns: int, *, name_mm: float) -> dict:
    """The trainee × session sheet draws each trainee's marks as one line of full-width characters
    (one box per row instead of one per cell: 500 × 20 cells made the report take 11 s), spaced to
    sit under the session columns. Millimetres on A4 landscape with 12 mm margins; the 姓名 column
    is as wide as the longest name."""
    width = REPORT_WIDTH_MM - MATRIX_NO_MM - name_mm  # the page less the 学号 and 姓名 columns
    column = width / max(columns, 1)
    size = min(8.0, column / paper.PT_MM * 0.8)  # points; a mark is 1 em wide
    em = size * paper.PT_MM
    return {
        "no": MATRIX_NO_MM,
        "name": name_mm,
        "column": round(column, 3),
        "size": round(size, 2),
        "spacing": round(column - em, 3),
        "indent": round((column - em) / 2, 3),
    }


def _roster(course: Course) -> list[Enrollment]:
    return sheet_for_course(course, now=timezone.now(), sessions=[]).enrollments


def _leave_kinds(session: Session) -> dict[int, str]:
    """Enrollment id → the kind of the approved leave (病假, 事假, 公假) covering the session, as
    attendance.selectors.sheet_for_course counts leave. One query."""
    covered = LeaveRequest.sessions.through.objects.filter(
        session=session, leaverequest__status=LeaveRequest.Status.APPROVED
    ).values_list("leaverequest__enrollment_id", "leaverequest__kind", "leaverequest__resumed_at")
    return {
        enrollment_id: LeaveRequest.Kind(kind).label
        for enrollment_id, kind, resumed_at in covered
        if rules.leave_covers(starts_at=session.starts_at, resumed_at=resumed_at)
    }


SIGNIN_COURSE_MM, SIGNIN_META_MM = 190 - 2 * 27, 190 - 27  # signin.html: the head beside the QR


def _pt_class(pt: float) -> str:
    """A class name for a font size (`pt8_5`): the sign-in sheet sets its cells' sizes by class, one
    rule per size, rather than a style attribute on each of 1,500 cells, which WeasyPrint parses and
    cascades one by one (a fifth of a 500-row sheet's rendering time)."""
    return "pt" + f"{float(pt):g}".replace(".", "_")


def _signin_rows(session: Session, roster: list[Enrollment]) -> dict:
    """The sheet's rows with each name and unit sized to its column, approved leave in 备注, and
    the column widths and row height that put up to 30 trainees on one page."""
    leave = _leave_kinds(session)
    columns = paper.signin_columns(
        longest_name=max((len(e.trainee.name) for e in roster), default=2), checkout=session.requires_checkout
    )
    rows = [
        {
            "index": index,
            "no": e.student_no,
            "name": e.trainee.name,
            "name_pt": paper.cell_pt(len(e.trainee.name), columns.name, largest=paper.NAME_PT, smallest=5.0),
            "unit": e.trainee.work_unit,
            "unit_pt": paper.cell_pt(len(e.trainee.work_unit), columns.unit, largest=8.5, lines=2),
            "group": e.group,
            "group_pt": paper.cell_pt(len(e.group), columns.group, largest=8.5, lines=2),
            "note": leave.get(e.pk, ""),
        }
        for index, e in enumerate(roster, start=1)
    ]
    for row in rows:
        row.update({f"{key}_cls": _pt_class(row[f"{key}_pt"]) for key in ("name", "unit", "group")})
    sizes = sorted({row[f"{key}_pt"] for row in rows for key in ("name", "unit", "group")})
    course = paper.title_lines(session.course.name, SIGNIN_COURSE_MM, largest=10, smallest=8.5)
    head_lines = max(len(course.lines), paper.lines(len(session.course.name), SIGNIN_COURSE_MM, course.size))
    head_lines += paper.lines(len(session.title) + len(session.lecturer) + 12, SIGNIN_META_MM, 8.5)
    return {
        "course": course,
        "rows": rows,
        "bands": _bands(rows),
        "sizes": [{"pt": pt, "cls": _pt_class(pt)} for pt in sizes],
        "on_leave": sum(1 for row in rows if row["note"]),
        "columns": columns,
        "row_mm": paper.signin_row_mm(len(rows), extra_head_lines=head_lines - 2),
    }


def signin_data(session: Session, *, base_url: str) -> dict:
    """签到表 of one session, for the paper fallback: the session's date, half-day, room and
    lecturer; the roster in group order with a signature column (and a 签退 column when the session
    requires check-out), approved leave already written in 备注; counts to fill in and the
    signatures at the foot; and a QR to the session's roll call (under `base_url`), where the
    advisor types in who signed. Up to 30 trainees fit one A4 page. Three queries."""
    sheet = _signin_rows(session, _roster(session.course))
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    course = session.course
    rollcall = f"{base_url}{reverse('attendance:rollcall', args=[course.code, session.pk])}"
    return {
        **_header(course),
        **sheet,
        "session": {
            "title": session.title,
            "lecturer": paper.lecturer_label(session.lecturer),
            "room": session.room,
            "when": paper.session_when(start.date(), start.time(), end.time()),
            "checkout": session.requires_checkout,
        },
        "qr": _qr(rollcall),
    }


BADGE_QR_MM = 28  # with its quiet zone; modules of about 0.7 mm for a 60-character address
BADGE_TEXT_MM = 94.5 - 2 * 5 - BADGE_QR_MM - 3  # the badge less its padding, the QR and a gap


BADGES_PER_PAGE = 8  # 2 × 4


def badges_data(course: Course, *, base_url: str, codes: bool = False) -> dict:
    """胸牌, eight per A4: name, unit, group and the personal badge QR that staff scan (a link under
    `base_url` naming the badge code, which is also printed for typing in by hand). With `codes`,
    each sheet is followed by its back for double-sided printing (turned on the long edge): the
    trainee's login code, masked phone and a QR to the login page behind each badge."""
    badges = []
    for e in _roster(course):
        code = badge_code(e.pk)
        badges.append(
            {
                "name": e.trainee.name,
                "name_pt": _fit_pt(e.trainee.name, width_mm=BADGE_TEXT_MM, largest=26),
                "unit": e.trainee.work_unit,
                "group": e.group,
                "no": e.student_no,
                "code": code,
                "qr": _qr(f"{base_url}{reverse('attendance:badge', args=[code])}"),
                "phone": training_rules.mask_phone(e.trainee.phone) if codes else "",
                "access_code": e.trainee.access_code if codes else "",
            }
        )
    sheets = paper.duplex_sheets(badges, per_row=2, per_page=BADGES_PER_PAGE)
    return {
        **_header(course),
        "badges": badges,
        "sheets": [{"fronts": fronts, "backs": backs if codes else []} for fronts, backs in sheets],
        "login_qr": _qr(f"{base_url}{reverse('training:login')}") if codes else "",
        "text_mm": BADGE_TEXT_MM,
        "qr_mm": BADGE_QR_MM,
    }


SLIP_QR_MM = 24  # with its quiet zone; the login address is short, so its modules stay large
SLIP_TEXT_MM = 94.5 - 2 * 5 - SLIP_QR_MM - 3  # the slip less its padding, the QR and a gap


def login_slips_data(course: Course, *, base_url: str) -> dict:
    """登录凭条, ten per A4 (2 × 5) with cut lines: per trainee the name, group, student number,
    masked phone and the login code in large type, and a QR to the trainee login page under
    `base_url` (the same for everyone, drawn once). Two queries."""
    qr = _qr(f"{base_url}{reverse('training:login')}")
    slips = [
        {
            "name": e.trainee.name,
            "name_pt": _fit_pt(e.trainee.name, width_mm=SLIP_TEXT_MM, largest=18),
            "group": e.group,
            "no": e.student_no,
            "phone": training_rules.mask_phone(e.trainee.phone),
            "code": e.trainee.access_code,
        }
        for e in _roster(course)
    ]
    return {**_header(course), "slips": slips, "qr": qr, "qr_mm": SLIP_QR_MM, "text_mm": SLIP_TEXT_MM}


def desk_cards_data(course: Course) -> dict:
    """桌签: one folded A4 per trainee, the name large on both halves (the far one upside down),
    sized to fit between 8 mm side margins."""
    cards = []
    for e in _roster(course):
        size, spacing = paper.desk_name_style(len(e.trainee.name))
        cards.append({"name": e.trainee.name, "unit": e.trainee.work_unit, "size": size, "spacing": spacing})
    return {**_header(course), "cards": cards}


TIMETABLE_WIDTH_MM = 210 - 2 * 12  # A4 portrait less the side margins of templates/pdf/_base.html


def timetable_data(course: Course) -> dict:
    """课程表 by day, each day in 上午 / 下午 / 晚上 blocks: time, kind, title, lecturer as
    姓名（职务）, room, hours. One query."""
    days = defaultdict(list)
    for session in course.sessions.order_by("starts_at", "pk"):
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        blocks = days[start.date()]
        part = formats.day_part(start)
        if not blocks or blocks[-1]["label"] != part:
            blocks.append({"label": part, "sessions": []})
        blocks[-1]["sessions"].append(
            {
                "time": f"{start:%H:%M}–{end:%H:%M}",
                "kind": session.get_kind_display(),
                "title": session.title,
                "lecturer": paper.lecturer_label(session.lecturer),
                "room": session.room,
                "hours": _hours(session.credit_hours),
            }
        )
    return {
        **_header(course),
        "title": paper.title_lines(course.name, TIMETABLE_WIDTH_MM, suffix="课程表"),
        "days": [
            {"label": f"{day.month}月{day.day}日（{paper.weekday(day)}）", "blocks": blocks}
            for day, blocks in days.items()
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
        "issuer": paper.issuer_lines(doc["issuer"]),
    }
