"""学时 hand-off: every trainee's hours and result as a training archive imports them (.xlsx and
.csv, one row per trainee, the fields named as GB/T 38860-2020 / GB/T 38865-2020 name a learner's
record and certificate, coded values beside their words: 政治面貌 per GB/T 4762, 民族 per GB/T 3304,
性别 per GB/T 2261.1, dates per GB/T 7408), and the 学时证明 PDF for one trainee or all."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from completion.models import Certificate
from completion.selectors import completion_for_course
from core import formats, pdf
from training import codes
from training.models import Course

from . import rules as paper
from .xlsx import Column, table_xlsx

# (header, key, width, number format): the order of the columns in both files.
COLUMNS = [
    ("序号", "index", 6, "0"),
    ("专题班编号", "course_code", 14, None),
    ("专题班名称", "course_name", 30, None),
    ("主办单位", "organization", 18, None),
    ("培训开始日期", "start", 12, None),
    ("培训结束日期", "end", 12, None),
    ("学号", "student_no", 8, None),
    ("学员姓名", "name", 12, None),
    ("性别", "gender", 6, None),
    ("性别代码", "gender_code", 8, None),
    ("民族", "ethnicity", 10, None),
    ("民族代码", "ethnicity_code", 8, None),
    ("政治面貌", "political_status", 14, None),
    ("政治面貌代码", "political_status_code", 10, None),
    ("身份证件号码", "id_number", 20, None),
    ("工作单位", "work_unit", 24, None),
    ("职务", "position", 14, None),
    ("手机号码", "phone", 13, None),
    ("应修学时", "total_hours", 9, "0.0"),
    ("获得学时", "hours", 9, "0.0"),
    ("请假学时", "leave_hours", 9, "0.0"),
    ("缺勤次数", "absences", 9, "0"),
    ("违纪扣分", "points", 9, "0"),
    ("考核总评", "assessment", 9, "0.0"),
    ("考核结果", "assessment_result", 10, None),
    ("结业状态", "result", 10, None),
    ("未结业原因", "reasons", 30, None),
    ("证书编号", "certificate", 22, None),
    ("发证日期", "certificate_date", 12, None),
]


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""  # GB/T 7408: 2026-04-16


def hours_data(course: Course, *, now: datetime) -> dict:
    """The course's figures and a row per trainee on the roster (withdrawn trainees earn no
        hours and are left out). 结业状态 is 结业 or 未结业 once every session has ended (an
        organizer's decision stands), 培训中 before; 考核总评 and 考核结果 where the course is assessed. A
    fixed number of queries whatever the size of the course."""
    rows = completion_for_course(course, now=now)
    sessions = list(course.sessions.all())
    total = sum((s.credit_hours for s in sessions), Decimal("0"))
    finished = bool(sessions) and all(s.ends_at <= now for s in sessions)
    certificates = {
        c.enrollment_id: c
        for c in Certificate.objects.filter(course=course, status=Certificate.Status.VALID).only(
            "enrollment_id", "number", "dated", "issued_at"
        )
    }
    lines = []
    for index, row in enumerate(rows, start=1):
        trainee, certificate = row.enrollment.trainee, certificates.get(row.enrollment.pk)
        override = (row.override.eligible, row.override.reason) if row.override else None
        outlook = paper.completion_outlook(row.completion, finished=finished, override=override)
        result = ("结业" if outlook.kind == paper.ELIGIBLE else "未结业") if finished else "培训中"
        lines.append(
            {
                "index": index,
                "enrollment_id": row.enrollment.pk,
                "course_code": course.code,
                "course_name": course.name,
                "organization": course.organization.name,
                "start": _iso(course.start_date),
                "end": _iso(course.end_date),
                "student_no": row.enrollment.student_no,
                "name": trainee.name,
                "gender": trainee.get_gender_display() if trainee.gender else "",
                "gender_code": codes.gender_code(trainee.gender),
                "ethnicity": trainee.ethnicity,
                "ethnicity_code": codes.ethnicity_code(trainee.ethnicity),
                "political_status": trainee.political_status,
                "political_status_code": codes.political_status_code(trainee.political_status),
                "id_number": trainee.id_number,
                "work_unit": trainee.work_unit,
                "position": trainee.position,
                "phone": trainee.phone,
                "total_hours": total,
                "hours": row.hours,
                "leave_hours": row.leave_hours,
                "absences": row.absences,
                "points": row.points,
                "assessment": row.assessment.total if row.assessment and not row.assessment.pending else None,
                "assessment_result": _assessment_result(row.assessment),
                "result": result,
                "reasons": outlook.reasons if result == "未结业" else "",
                "certificate": certificate.number if certificate else "",
                "certificate_date": _iso(certificate.dated or certificate.issued_at.date()) if certificate else "",
            }
        )
    return {"course": course, "total_hours": total, "finished": finished, "rows": lines}


def _assessment_result(assessment) -> str:
    """合格 / 不合格 / 待评 (items not graded yet), or "" when the course is not assessed."""
    if assessment is None:
        return ""
    if assessment.passed:
        return "合格"
    return "待评" if assessment.pending and assessment.still_possible else "不合格"


def hours_xlsx(data: dict) -> bytes:
    """One sheet, 学时汇总: a title row, the header and a row per trainee; numbers as numbers."""
    columns = [
        Column(header, width, number_format, wrap=key == "reasons") for header, key, width, number_format in COLUMNS
    ]
    values = [[row[key] for _, key, _, _ in COLUMNS] for row in data["rows"]]
    heading = f"{data['course'].name}学时汇总（应修 {formats.hours(data['total_hours'])} 学时）"
    return table_xlsx("学时汇总", heading, columns, values)


def hours_csv(data: dict) -> bytes:
    """The same rows as CSV, UTF-8 with a byte-order mark so Excel opens it in Chinese; a value
    starting like a formula gets a leading apostrophe so no spreadsheet runs it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header for header, *_ in COLUMNS])
    for row in data["rows"]:
        writer.writerow([_cell(row[key]) for _, key, _, _ in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def _cell(value) -> str:
    if isinstance(value, Decimal):
        return formats.hours(value)
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(("=", "+", "-", "@")) else text


def proofs_data(course: Course, *, now: datetime, enrollment_id: int | None = None) -> dict:
    """学时证明 for every trainee on the roster, or only one: the body from `rules.hours_proof_text`,
    signed by the organization, dated today, with its seal where one is uploaded."""
    data = hours_data(course, now=now)
    rows = [r for r in data["rows"] if enrollment_id is None or r["enrollment_id"] == enrollment_id]
    dates = formats.document_date_range(course.start_date, course.end_date)
    proofs = [
        {
            "certificate": row["certificate"],
            "text": paper.hours_proof_text(
                name=row["name"],
                gender=row["gender"],
                id_number=row["id_number"],
                unit="".join(part for part in (row["work_unit"], row["position"]) if part),
                dates=dates,
                organization=course.organization.name,
                venue=course.venue,
                course=course.name,
                total=formats.hours(row["total_hours"]),
                hours=formats.hours(row["hours"]),
                result=row["result"],
            ),
        }
        for row in rows
    ]
    return {
        "course_name": course.name,
        "organization": course.organization.name,
        "dated": formats.document_date(timezone.localdate(now)),
        "seal": pdf.file_uri(course.organization.seal),
        "proofs": proofs,
    }
