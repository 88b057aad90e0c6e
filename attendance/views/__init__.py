"""Pages of attendance. Each view: access helper first (before the method check), then the form,
one service call, a message and a redirect or a fragment. No GET changes anything: chat apps
prefetch links, so a scanned QR only shows a page whose button (or script) POSTs."""

from .classroom import badge, badge_scan, rollcall, rollcall_all, rollcall_mark, scan, screen, screen_live
from .records import (
    bulletin,
    bulletin_detail,
    course_today,
    discipline,
    discipline_void,
    grid,
    leave_detail,
    leave_list,
    me,
    my_attendance,
    my_bulletin,
    my_leave_new,
    my_leave_resume,
    my_leave_withdraw,
    trainee_record,
)

__all__ = [
    "badge",
    "badge_scan",
    "bulletin",
    "bulletin_detail",
    "course_today",
    "discipline",
    "discipline_void",
    "grid",
    "leave_detail",
    "leave_list",
    "me",
    "my_attendance",
    "my_bulletin",
    "my_leave_new",
    "my_leave_resume",
    "my_leave_withdraw",
    "rollcall",
    "rollcall_all",
    "rollcall_mark",
    "scan",
    "screen",
    "screen_live",
    "trainee_record",
]
