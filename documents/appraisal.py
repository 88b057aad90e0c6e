"""学员结业鉴定表: one A4 page per trainee for the sending unit — personal details, 学时, attendance,
leave, discipline, the assessment, the advisor's appraisal and the organizer's opinion with the
seal. Plain values from completion.appraisals; a fixed number of queries for the whole course."""

from collections import defaultdict
from datetime import datetime

from attendance.models import DisciplineRecord
from completion.appraisals import appraisal_rows
from core import formats, pdf
from training.models import Course, Enrollment

from . import rules as paper


def appraisal_pdf_data(course: Course, *, now: datetime, enrollment: Enrollment | None = None) -> dict:
    items = appraisal_rows(course, now=now, enrollment=enrollment)
    records = defaultdict(list)
    for record in DisciplineRecord.objects.filter(
        enrollment__in=[i.enrollment for i in items], voided_at__isnull=True
    ).order_by("recorded_at"):
        records[record.enrollment_id].append(f"{record.get_kind_display()}（扣 {record.points} 分）")
    sheets = []
    for item in items:
        trainee, facts = item.enrollment.trainee, item.facts
        saved = item.appraisal
        lapses = "，".join(
            f"{label} {count} 次"
            for label, count in (("迟到", facts.lates), ("早退", facts.earlies), ("缺勤", facts.absences))
        )
        sheets.append(
            {
                "name": trainee.name,
                "gender": trainee.get_gender_display() if trainee.gender else "",
                "ethnicity": trainee.ethnicity,
                "born": paper.birth_month(trainee.id_number),
                "political_status": trainee.political_status,
                "student_no": item.enrollment.student_no,
                "group": item.enrollment.group,
                "unit": "　".join(part for part in (trainee.work_unit, trainee.position) if part),
                "hours": f"应修 {formats.hours(facts.total_hours)} 学时，实修 {formats.hours(facts.hours)} 学时",
                "attendance": f"{lapses}，请假 {formats.hours(facts.leave_hours)} 学时",
                "discipline": "；".join(records[item.enrollment.pk]) or "无",
                "assessment": facts.assessment,
                "result": "准予结业" if item.row.eligible else "未结业",
                "appraisal": item.text,
                "appraisal_pt": paper.box_text_size(item.text, width_mm=148, height_mm=80),
                "opinion": saved.organizer_opinion if saved else "",
            }
        )
    return {
        "organization": course.organization.name,
        "name": course.name,
        "course": course.name,
        "dates": formats.document_date_range(course.start_date, course.end_date),
        "venue": course.venue,
        "seal": pdf.file_uri(course.organization.seal),
        "sheets": sheets,
    }
