"""Pages of the training app. Each view: access helper first (before even the method check, so a
stranger learns nothing from any URL), then the form, one service call, a message and a redirect.
No model is saved here. Split by sub-domain: courses.py (courses, sessions, roster, logins),
lecturers.py (the 师资库), staff.py (staff accounts, the organization), audit.py (the audit log)
and archive.py (reopening an archived course)."""

from .archive import course_reopen
from .audit import AUDIT_KINDS, audit_log
from .courses import (
    StaffLoginView,
    access_code_reset,
    course_create,
    course_dashboard,
    course_edit,
    course_list,
    enrollment_detail,
    enrollment_edit,
    healthz,
    home,
    large_text,
    roster_export,
    roster_import,
    roster_import_confirm,
    roster_page,
    session_create,
    session_delete,
    session_edit,
    timetable,
    trainee_add,
    trainee_login,
)
from .lecturers import lecturer_create, lecturer_detail, lecturer_edit, lecturer_list
from .staff import organization_edit, staff_change, staff_home, staff_list

__all__ = [
    "AUDIT_KINDS",
    "StaffLoginView",
    "access_code_reset",
    "audit_log",
    "course_create",
    "course_dashboard",
    "course_edit",
    "course_list",
    "course_reopen",
    "enrollment_detail",
    "enrollment_edit",
    "healthz",
    "home",
    "large_text",
    "lecturer_create",
    "lecturer_detail",
    "lecturer_edit",
    "lecturer_list",
    "organization_edit",
    "roster_export",
    "roster_import",
    "roster_import_confirm",
    "roster_page",
    "session_create",
    "session_delete",
    "session_edit",
    "staff_change",
    "staff_home",
    "staff_list",
    "timetable",
    "trainee_add",
    "trainee_login",
]
