"""结业鉴定: each trainee's appraisal for the sending unit — the facts it is drafted from (read),
the advisor's text and the organizer's opinion (written, audited, refused once the course is
archived)."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from assessment import rules as assessment_rules
from assessment.selectors import marks_for_course
from attendance.selectors import sheet_for_course
from core import audit
from core.errors import DomainError
from training.archive import ensure_open
from training.models import Course, Enrollment

from . import rules
from .models import Appraisal
from .selectors import CompletionRow, completion_for_course


@dataclass
class AppraisalRow:
    row: CompletionRow
    facts: rules.AppraisalFacts
    appraisal: Appraisal | None

    @property
    def enrollment(self) -> Enrollment:
        return self.row.enrollment

    @property
    def draft(self) -> str:
        return rules.appraisal_draft(self.facts)

    @property
    def text(self) -> str:
        """What the 鉴定表 prints: the saved text, else the draft."""
        return self.appraisal.advisor_text if self.appraisal and self.appraisal.advisor_text else self.draft

    @property
    def state(self) -> str:
        if not self.appraisal or not self.appraisal.advisor_text:
            return "未填写（打印自动初稿）"
        return "初稿未修改" if self.appraisal.drafted else "班主任已填写"


def appraisal_rows(course: Course, *, now: datetime, enrollment: Enrollment | None = None) -> list[AppraisalRow]:
    """Every trainee on the roster (or one) with the facts of their 鉴定 (the assessment in words
    when the course is assessed) and what is saved. The completion rows, the assessment's marks
    and one more query for the appraisals."""
    sheet = sheet_for_course(course, now=now, enrollments=[enrollment] if enrollment else None)
    marks = marks_for_course(course, enrollments=[enrollment] if enrollment else None)
    rows = completion_for_course(course, now=now, sheet=sheet, marks=marks)
    saved = {
        a.enrollment_id: a
        for a in Appraisal.objects.filter(enrollment__in=[r.enrollment for r in rows]).select_related(
            "advisor_by", "organizer_by"
        )
    }
    ended = [s for s in sheet.sessions if s.ends_at <= now]
    result = []
    for row in rows:
        statuses = [sheet.status(s, row.enrollment) for s in ended]
        facts = rules.AppraisalFacts(
            total_hours=sum((s.credit_hours for s in sheet.sessions), 0),
            hours=row.hours,
            lates=sum(1 for st in statuses if st.attended and st.is_late),
            earlies=sum(1 for st in statuses if st.attended and st.is_early),
            absences=row.absences,
            leave_hours=row.leave_hours,
            points=row.points,
            eligible=row.eligible,
            reasons=(f"组织者认定：{row.override.reason}",) if row.override else row.completion.reasons,
            assessment=assessment_rules.assessment_words(
                marks.items, marks.scores_of(row.enrollment.pk, row.everyday), row.assessment
            )
            if marks and row.assessment
            else "",
        )
        result.append(AppraisalRow(row, facts, saved.get(row.enrollment.pk)))
    return result


@transaction.atomic
def appraisal_save(
    *, enrollment: Enrollment, by, advisor_text: str | None = None, organizer_opinion: str | None = None
):
    """Saves the advisor's text and/or the organizer's opinion (None leaves one as it is). Text
    equal to the draft it replaced keeps the appraisal marked as a draft."""
    ensure_open(enrollment.course)
    appraisal, _ = Appraisal.objects.select_for_update().get_or_create(enrollment=enrollment)
    before = {"advisor_text": appraisal.advisor_text, "organizer_opinion": appraisal.organizer_opinion}
    now = timezone.now()
    if advisor_text is not None:
        advisor_text = advisor_text.strip()
        if not advisor_text:
            raise DomainError("empty", "请填写班主任鉴定意见（可以先点“生成初稿”再修改）。", "advisor_text")
        draft = appraisal_rows(enrollment.course, now=now, enrollment=enrollment)[0].draft
        appraisal.advisor_text, appraisal.drafted = advisor_text, advisor_text == draft
        appraisal.advisor_by, appraisal.advisor_at = by, now
    if organizer_opinion is not None:
        appraisal.organizer_opinion = organizer_opinion.strip()
        appraisal.organizer_by, appraisal.organizer_at = by, now
    appraisal.save()
    after = {"advisor_text": appraisal.advisor_text, "organizer_opinion": appraisal.organizer_opinion}
    audit.record(
        "completion.appraisal",
        course=enrollment.course,
        by=by,
        obj=appraisal,
        label=enrollment.trainee.name,
        before={k: v for k, v in before.items() if v != after[k]},
        after={k: v for k, v in after.items() if v != before[k]},
    )
    return appraisal


@transaction.atomic
def appraisals_draft(*, course: Course, by, opinion: str = "") -> int:
    """Writes the draft for everyone whose appraisal is still empty and, when given, the
    organizer's opinion where it is empty for those who complete (a trainee who does not gets
    theirs written one by one). Returns how many were filled."""
    ensure_open(course)
    now = timezone.now()
    filled, entries = 0, []
    for item in appraisal_rows(course, now=now):
        appraisal = item.appraisal or Appraisal(enrollment=item.enrollment)
        changed = False
        if not appraisal.advisor_text:
            appraisal.advisor_text, appraisal.drafted, appraisal.advisor_by, appraisal.advisor_at = (
                item.draft,
                True,
                by,
                now,
            )
            changed = True
        if opinion and not appraisal.organizer_opinion and item.row.eligible:
            appraisal.organizer_opinion, appraisal.organizer_by, appraisal.organizer_at = opinion, by, now
            changed = True
        if changed:
            appraisal.save()
            filled += 1
            entries.append(
                audit.entry(
                    "completion.appraisal",
                    course=course,
                    by=by,
                    obj=appraisal,
                    label=item.enrollment.trainee.name,
                    after={"advisor_text": appraisal.advisor_text, "organizer_opinion": appraisal.organizer_opinion},
                    at=now,
                )
            )
    audit.record_many(entries)
    return filled
