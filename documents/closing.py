"""The papers only the closing dossier (结班归档) has, as plain values for their templates (a
selector, kept beside selectors.py): 请假登记表 (every leave request and its decision), 结业名单
(who completed, with certificate number and hours; who did not, and why) and 证书存根 (the
certificate register as a counterfoil list). Reads only; a fixed number of queries each."""

from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone

from attendance.models import LeaveDecision, LeaveRequest
from completion.models import Certificate
from completion.selectors import completion_for_course
from core import formats
from training.models import Course

from . import rules as paper
from .selectors import _header, _hours

PORTRAIT_WIDTH_MM = 210 - 2 * 15  # A4 portrait less the side margins of these forms
LANDSCAPE_WIDTH_MM = 297 - 2 * 12


def _moment(value: datetime | None) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _common(course: Course, now: datetime, title: str, width_mm: float) -> dict:
    return {
        **_header(course),
        "title": paper.title_lines(course.name, width_mm, suffix=title),
        "printed": formats.document_date(timezone.localdate(now)),
    }


def leave_register_data(course: Course, *, now: datetime) -> dict:
    """请假登记表: every leave request of the course in the order asked, with the trainee and unit,
    the sessions and hours, the kind and reason, the outcome and who decided when (the last
    decision; withdrawn and pending ones say so). Three queries."""
    decisions = Prefetch(
        "decisions", queryset=LeaveDecision.objects.select_related("decided_by").order_by("decided_at")
    )
    leaves = (
        LeaveRequest.objects.filter(enrollment__course=course)
        .select_related("enrollment__trainee")
        .prefetch_related(Prefetch("sessions", queryset=course.sessions.order_by("starts_at")), decisions)
        .order_by("requested_at", "pk")
    )
    rows = []
    for index, leave in enumerate(leaves, start=1):
        decided = list(leave.decisions.all())
        last = decided[-1] if decided else None
        outcome = leave.get_status_display()
        if leave.late_filed:
            outcome += "（补假）"
        if leave.resumed_at:
            outcome += f"，{_moment(leave.resumed_at)}销假"
        rows.append(
            {
                "index": index,
                "name": leave.enrollment.trainee.name,
                "unit": leave.enrollment.trainee.work_unit,
                "sessions": "；".join(
                    f"{timezone.localtime(s.starts_at):%m-%d %H:%M} {s.title}" for s in leave.sessions.all()
                ),
                "hours": _hours(leave.hours),
                "kind": leave.get_kind_display(),
                "reason": leave.reason,
                "requested": _moment(leave.requested_at),
                "outcome": outcome,
                "comment": "；".join(d.comment for d in decided if d.comment),
                "decided_by": "、".join(f"{_person(d.decided_by)}（{d.get_role_display()}）" for d in decided),
                "decided_at": _moment(last.decided_at) if last else "",
            }
        )
    return {**_common(course, now, "请假登记表", LANDSCAPE_WIDTH_MM), "rows": rows}


def completion_list_data(course: Course, *, now: datetime) -> dict:
    """结业名单: the trainees who completed, with the number and hours of their valid certificate
    (blank when none is issued yet); then those who did not, with the reasons (the rule's, or the
    organizer's decision). Eight queries (the completion rows' six, the certificates, the rules)."""
    rows = completion_for_course(course, now=now)
    valid = {c.enrollment_id: c for c in Certificate.objects.filter(course=course, status=Certificate.Status.VALID)}
    completed, not_completed = [], []
    for row in rows:
        enrollment = row.enrollment
        person = {
            "no": enrollment.student_no,
            "name": enrollment.trainee.name,
            "unit": enrollment.trainee.work_unit,
            "hours": _hours(row.hours),
        }
        if row.eligible:
            certificate = valid.get(enrollment.pk)
            note = f"组织者认定：{row.override.reason}" if row.override else ""
            completed.append(
                {
                    **person,
                    "index": len(completed) + 1,
                    "number": certificate.number if certificate else "未颁发",
                    "certificate_hours": _hours(certificate.hours) if certificate else "",
                    "note": note,
                }
            )
        else:
            reasons = [f"组织者认定不予结业：{row.override.reason}"] if row.override else list(row.completion.reasons)
            not_completed.append({**person, "index": len(not_completed) + 1, "reasons": "；".join(reasons)})
    return {
        **_common(course, now, "结业名单", PORTRAIT_WIDTH_MM),
        "completed": completed,
        "not_completed": not_completed,
        "enrolled": len(rows),
    }


def certificate_stubs_data(course: Course, *, now: datetime) -> dict:
    """证书存根: the register in number order, every version (reissued and revoked ones kept, with
    the reason), as the counterfoils of the certificates handed out. One query."""
    certificates = Certificate.objects.filter(course=course).select_related("issued_by").order_by("seq", "version")
    rows = [
        {
            "number": c.number,
            "version": c.version,
            "name": c.name,
            "hours": _hours(c.hours),
            "dated": formats.document_date(c.dated) if c.dated else "",
            "issued": _moment(c.issued_at),
            "issued_by": _person(c.issued_by),
            "status": c.get_status_display(),
            "note": f"{_moment(c.revoked_at)} 撤销：{c.revoke_reason}"
            if c.status == Certificate.Status.REVOKED
            else "",
            "sha": c.pdf_sha256[:16],
        }
        for c in certificates
    ]
    counts = {label: sum(1 for r in rows if r["status"] == label) for label in Certificate.Status.labels}
    return {**_common(course, now, "结业证书存根", LANDSCAPE_WIDTH_MM), "rows": rows, "counts": counts}
