"""The course the document tests print: sessions held, attendance, leave and a discipline point."""

from datetime import timedelta

import pytest

from attendance import services as attendance_services
from attendance.models import DisciplineRecord, LeaveRequest, Method
from training.tests.factories import EnrollmentFactory, SessionFactory, TraineeFactory, at


@pytest.fixture
def held(course, enrollment, organizer):
    """Two sessions of 2 hours held on the first day, a third tomorrow. 张丽华 on time twice;
    王建国 late to the first and absent from the second; 李秀英 on approved leave for the second,
    with a discipline point; the unit of 赵丽 starts like a spreadsheet formula."""
    d = course.start_date
    first = SessionFactory(course=course, title="开班式", starts_at=at(d, "08:30"), ends_at=at(d, "10:30"))
    second = SessionFactory(course=course, title="工会法解读", starts_at=at(d, "14:30"), ends_at=at(d, "16:30"))
    third = SessionFactory(
        course=course,
        title="结业式",
        starts_at=at(d + timedelta(days=1), "08:30"),
        ends_at=at(d + timedelta(days=1), "10:30"),
    )
    wang = EnrollmentFactory(
        course=course, trainee=TraineeFactory(name="王建国", phone="13700000002"), student_no="002", group="第二组"
    )
    li = EnrollmentFactory(
        course=course, trainee=TraineeFactory(name="李秀英", phone="13700000003"), student_no="003", group="第二组"
    )
    zhao = EnrollmentFactory(
        course=course,
        trainee=TraineeFactory(name="赵丽", work_unit="=HYPERLINK(1)", phone="13700000004"),
        student_no="004",
        group="第一组",
    )
    for session in (first, second):
        attendance_services.check_in(session, enrollment, method=Method.QR, at=session.starts_at)
        attendance_services.check_in(session, zhao, method=Method.QR, at=session.starts_at)
    attendance_services.check_in(first, wang, method=Method.QR, at=first.starts_at + timedelta(minutes=12))
    attendance_services.check_in(first, li, method=Method.QR, at=first.starts_at)
    leave = attendance_services.leave_request_create(
        enrollment=li, sessions=[second], kind=LeaveRequest.Kind.SICK, reason="发烧", at=at(d, "12:00")
    )
    attendance_services.leave_decide(
        leave=leave, by=organizer, role="organizer", approve=True, confirm=True, at=at(d, "12:10")
    )
    attendance_services.discipline_record_create(
        enrollment=li,
        session=first,
        kind=DisciplineRecord.Kind.PHONE,
        points=1,
        note="玩手机",
        by=organizer,
        at=at(d, "09:00"),
    )
    return {"sessions": [first, second, third], "now": at(d, "18:00"), "people": [enrollment, wang, li, zhao]}
