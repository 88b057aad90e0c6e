"""The audit log organizers read."""

from django.core.paginator import Paginator
from django.shortcuts import render

from core import audit

from .. import access, selectors
from ..decorators import staff_required

# --- Audit log ---------------------------------------------------------------------------------------

AUDIT_KINDS = {
    "attendance": "考勤",
    "leave": "请假",
    "discipline": "纪律",
    "bulletin": "通报",
    "completion": "结业认定",
    "certificate": "证书",
    "roster": "花名册",
    "course": "结班归档",
}


@staff_required
def audit_log(request, code):
    """审计日志: who changed what, with before and after; the course's organizers read it."""
    course = access.course_for_staff(request.user, code, manage=True)
    kind = request.GET.get("kind", "")
    kind = kind if kind in AUDIT_KINDS else ""
    page = Paginator(selectors.audit_entries_for_course(course, kind=kind), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "training/audit_log.html",
        {"course": course, "page": page, "kind": kind, "kinds": AUDIT_KINDS, "actions": audit.ACTIONS},
    )
