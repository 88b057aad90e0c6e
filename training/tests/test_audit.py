"""The audit log: who changed what in attendance, leave, discipline, certificates and the roster,
before and after; append-only; written in the change's own transaction; organizers read it."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from attendance import services as attendance_services
from attendance.models import DisciplineRecord, LeaveRequest, Method
from completion import services as certificates
from core.models import AuditEntry
from training import services
from training.tests import rosters
from training.tests.factories import SessionFactory, at

pytestmark = pytest.mark.django_db


def entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def test_attendance_leave_and_discipline_changes_are_logged_with_before_and_after(
    course, enrollment, advisor, organizer
):
    session = SessionFactory(course=course, starts_at=at(course.start_date, "08:30"))
    attendance_services.rollcall_mark(
        session=session,
        enrollment=enrollment,
        action="late",
        by=advisor,
        reason="课堂点名",
        at=session.starts_at + timedelta(minutes=9),
    )
    change = entries("attendance.change")[0]
    assert (change.actor, change.actor_name, change.course) == (advisor, "王海涛", course)
    assert change.label == f"张丽华 · {session.title}"
    assert change.before == {"checked_in_at": None}
    assert change.after == {"checked_in_at": "2026-11-20T08:39:00+08:00", "reason": "课堂点名"}

    later = SessionFactory(course=course, starts_at=at(course.start_date, "14:30"))
    leave = attendance_services.leave_request_create(
        enrollment=enrollment, sessions=[later], kind=LeaveRequest.Kind.SICK, reason="发烧", at=session.starts_at
    )
    attendance_services.leave_decide(leave=leave, by=advisor, role="advisor", approve=False, comment="请出具病历")
    asked, refused = entries("leave.request")[0], entries("leave.reject")[0]
    assert asked.actor_name == "张丽华" and asked.after["sessions"] == [later.title]
    assert refused.before == {"status": "pending"} and refused.after["comment"] == "请出具病历"

    record = attendance_services.discipline_record_create(
        enrollment=enrollment, session=session, kind=DisciplineRecord.Kind.PHONE, points=1, note="玩手机", by=advisor
    )
    attendance_services.discipline_record_void(record=record, by=organizer, reason="记错了人")
    created, voided = entries("discipline.create")[0], entries("discipline.void")[0]
    assert created.after["points"] == 1 and voided.actor == organizer
    assert voided.before == {"points": 1, "voided": False} and voided.after == {"voided": True, "reason": "记错了人"}


def test_certificates_and_overrides_are_logged(course, enrollment, organizer):
    session = SessionFactory(course=course)
    attendance_services.check_in(session, enrollment, method=Method.QR, at=session.starts_at)
    certificates.completion_override(enrollment=enrollment, eligible=True, reason="补课合格", by=organizer)
    issued = certificates.certificates_issue(course=course, by=organizer, now=session.ends_at).issued[0]
    certificates.certificate_revoke(certificate=issued, reason="姓名有误", by=organizer)
    assert entries("completion.override")[0].after == {"eligible": True, "reason": "补课合格"}
    assert entries("certificate.issue")[0].after == {"number": issued.number, "hours": "2"}
    revoked = entries("certificate.revoke")[0]
    assert revoked.before == {"status": "valid"} and revoked.after == {"status": "revoked", "reason": "姓名有误"}


def test_roster_changes_are_logged_and_the_login_code_never_is(client, course, enrollment, organizer):
    client.force_login(organizer)
    upload = client.post(
        reverse("training:roster-import", args=[course.code]),
        {"file": SimpleUploadedFile("花名册.xlsx", rosters.xlsx(rosters.table()))},
    )
    token = upload.context["token"]
    client.post(reverse("training:roster-import-confirm", args=[course.code]), {"token": token})
    imported = entries("roster.import")[0]
    assert (imported.actor, imported.label, imported.after["create"]) == (organizer, "花名册.xlsx", 8)

    services.enrollment_update(
        enrollment=enrollment,
        student_no="001",
        group="第二组",
        status="enrolled",
        by=organizer,
        trainee_fields={"work_unit": "县教育局工会"},
    )
    edits = entries("roster.edit")
    assert edits[0].before == {"work_unit": "县人民医院工会"} and edits[0].after == {"work_unit": "县教育局工会"}
    assert edits[1].before == {"group": "第一组"} and edits[1].after == {"group": "第二组"}

    client.post(reverse("training:access-code-reset", args=[course.code, enrollment.pk]))
    reset = entries("roster.access_code")[0]
    enrollment.trainee.refresh_from_db()
    assert reset.actor == organizer and enrollment.trainee.access_code not in str(reset.before) + str(reset.after)


def test_a_change_rolled_back_leaves_no_entry(course, enrollment, other_enrollment, organizer):
    with pytest.raises(services.DomainError):
        services.enrollment_update(
            enrollment=enrollment,
            student_no=other_enrollment.student_no,
            group="",
            status="enrolled",
            by=organizer,
            trainee_fields={"work_unit": "县教育局工会"},  # written first, then the student number is taken
        )
    assert not AuditEntry.objects.exists()
    enrollment.trainee.refresh_from_db()
    assert enrollment.trainee.work_unit == "县人民医院工会"


def test_a_course_with_a_trail_cannot_be_deleted(course, enrollment, organizer):
    from django.db.models import ProtectedError

    services.trainee_access_code_reset(trainee=enrollment.trainee, by=organizer, course=course)
    with pytest.raises(ProtectedError):
        course.delete()  # the admin's delete too: the trail outlives nothing it describes


def test_the_trainees_own_leave_actions_and_a_reissue_are_logged(course, enrollment, advisor, organizer):
    session = SessionFactory(course=course, starts_at=at(course.start_date, "08:30"))
    later = SessionFactory(course=course, starts_at=at(course.start_date, "14:30"))
    first = attendance_services.leave_request_create(
        enrollment=enrollment,
        sessions=[session],
        kind=LeaveRequest.Kind.PERSONAL,
        reason="家中有事",
        at=session.starts_at - timedelta(days=1),
    )
    attendance_services.leave_withdraw(leave=first)
    second = attendance_services.leave_request_create(
        enrollment=enrollment,
        sessions=[session, later],
        kind=LeaveRequest.Kind.SICK,
        reason="发烧",
        at=session.starts_at - timedelta(days=1),
    )
    attendance_services.leave_decide(leave=second, by=organizer, role="organizer", approve=True, confirm=True)
    attendance_services.leave_resume(leave=second, at=session.ends_at)
    assert entries("leave.withdraw")[0].after == {"status": "withdrawn"}
    assert entries("leave.approve")[0].actor == organizer
    assert entries("leave.resume")[0].actor_name == "张丽华"
    attendance_services.check_in(session, enrollment, method=Method.QR, at=session.starts_at)
    certificates.completion_override(enrollment=enrollment, eligible=True, reason="补课", by=organizer)
    issued = certificates.certificates_issue(course=course, by=organizer, now=later.ends_at).issued[0]
    certificates.certificate_reissue(certificate=issued, by=organizer)
    assert entries("certificate.reissue")[0].after == {"version": 2, "name": "张丽华"}


def test_the_log_is_append_only(course, enrollment, organizer):
    services.trainee_access_code_reset(trainee=enrollment.trainee, by=organizer, course=course)
    item = AuditEntry.objects.get()
    item.label = "改过"
    with pytest.raises(TypeError, match="只能追加"):
        item.save()
    with pytest.raises(TypeError, match="只能追加"):
        AuditEntry.objects.update(label="改过")
    with pytest.raises(TypeError, match="只能追加"):
        AuditEntry.objects.all().delete()
    with pytest.raises(TypeError, match="只能追加"):
        item.delete()
    assert AuditEntry.objects.get().label == "张丽华"


def test_organizers_read_the_log_of_their_course_by_area(client, course, enrollment, advisor, organizer):
    session = SessionFactory(course=course, starts_at=at(course.start_date, "08:30"))
    attendance_services.rollcall_mark(
        session=session, enrollment=enrollment, action="present", by=advisor, reason="课堂点名", at=session.starts_at
    )
    services.trainee_access_code_reset(trainee=enrollment.trainee, by=organizer, course=course)
    client.force_login(organizer)
    url = reverse("training:audit", args=[course.code])
    page = client.get(url).content.decode()
    assert "更改考勤" in page and "重置登录码" in page and "王海涛" in page and "签到：—" in page
    afternoon = SessionFactory(course=course, starts_at=at(course.start_date, "14:30"))  # not attended
    leave = attendance_services.leave_request_create(
        enrollment=enrollment, sessions=[afternoon], kind=LeaveRequest.Kind.SICK, reason="发烧", at=session.starts_at
    )
    attendance_services.leave_decide(leave=leave, by=advisor, role="advisor", approve=True, confirm=True)
    page = client.get(url).content.decode()
    assert "状态：待审批" in page and "状态：已批准；审批人：班主任；意见：—" in page and "pending" not in page
    only = client.get(url, {"kind": "attendance"}).content.decode()
    assert "更改考勤" in only and "重置登录码" not in only
    client.force_login(advisor)
    assert client.get(url).status_code == 403
