"""Every write of attendance: check-in and check-out (by QR, badge or roll call), manual
corrections, leave requests and decisions, discipline records and the bulletin.

Each function runs in a transaction and either completes or changes nothing. Refusals raise
`training.services.DomainError` with a machine code and a Chinese message; refused scans are also
logged with their reason (logger `attendance.checkin`, no personal data).
"""

from .checkin import (
    REFUSALS,
    ROLLCALL_ACTIONS,
    attendance_set,
    badge_scan,
    check_in,
    check_out,
    qr_scan,
    rollcall_all_present,
    rollcall_mark,
)
from .discipline import bulletin_publish, discipline_record_create, discipline_record_void
from .leave import (
    LeaveProjection,
    leave_decide,
    leave_projection,
    leave_projector_register,
    leave_request_create,
    leave_resume,
    leave_withdraw,
)

__all__ = [
    "LeaveProjection",
    "REFUSALS",
    "ROLLCALL_ACTIONS",
    "attendance_set",
    "badge_scan",
    "bulletin_publish",
    "check_in",
    "check_out",
    "discipline_record_create",
    "discipline_record_void",
    "leave_decide",
    "leave_projection",
    "leave_projector_register",
    "leave_request_create",
    "leave_resume",
    "leave_withdraw",
    "qr_scan",
    "rollcall_all_present",
    "rollcall_mark",
]
