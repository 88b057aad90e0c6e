"""Demo 结业鉴定 for last spring's course: drafts for everyone with the organizer's opinion, and
two the advisor rewrote with what only they saw."""

from . import appraisals

NOTES = {
    0: "担任第一小组组长，组织小组讨论认真负责，结业式上代表学员作交流发言。",
    1: "在分组讨论中结合本单位经费审查工作谈体会，发言有深度。",
}


def load_appraisals(course, *, advisor, organizer) -> None:
    appraisals.appraisals_draft(course=course, by=organizer, opinion="同意结业。")
    eligible = [row for row in appraisals.appraisal_rows(course, now=_end(course)) if row.row.eligible]
    for index, note in NOTES.items():
        if index < len(eligible):
            row = eligible[index]
            appraisals.appraisal_save(enrollment=row.enrollment, by=advisor, advisor_text=row.draft + note)


def _end(course):
    return max(s.ends_at for s in course.sessions.all())
