"""An archived course is read-only: every write service of attendance, leave, discipline, the
bulletin, completion and certificates, the roster, registration approval and the timetable refuses
(DomainError 'archived') and writes nothing; after an audited reopen they work again. Pages show
the banner, and the refusals come back as Chinese messages, never a 500."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from attendance import services as attendance
from attendance.models import AttendanceChange, DisciplineRecord, LeaveRequest, Method
from completion import services as completion
from completion.tests.factories import certificate_for
from core.errors import DomainError
from registration import services as registration
from registration.tests.helpers import sample_registration
from training import archive
from training import services as training
from training.models import Enrollment
from training.tests.rosters import csv_bytes, table

pytestmark = pytest.mark.django_db


def rows() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture
def world(held, course, organizer, advisor, settings):
    """The `held` course on the evening of day one with one of everything to change, then archived."""
    settings.SITE_URL = "http://10.20.1.5:8000"
    first, second, third = held["sessions"]
    me, wang, li, zhao = held["people"]
    now = held["now"]
    with time_machine.travel(now, tick=False):
        pending = attendance.leave_request_create(
            enrollment=zhao, sessions=[third], kind=LeaveRequest.Kind.PERSONAL, reason="单位有事"
        )
        record = DisciplineRecord.objects.get(enrollment=li)
        certificate = certificate_for(me)
        nominee = sample_registration(course)[1]
        archive.course_archive(course=course, by=organizer)
    return {
        "now": now,
        "sessions": held["sessions"],
        "people": held["people"],
        "pending": pending,
        "approved": LeaveRequest.objects.get(enrollment=li),
        "record": record,
        "certificate": certificate,
        "nominee": nominee,
    }


def writes(w, course, organizer, advisor):
    """Every write service a closed course must refuse, by name."""
    first, second, third = w["sessions"]
    me, wang, li, zhao = w["people"]
    later = w["now"] + timedelta(hours=1)
    return {
        "check_in": lambda: attendance.check_in(third, wang, method=Method.QR, at=third.starts_at),
        "check_out": lambda: attendance.check_out(first, me, method=Method.QR, at=first.ends_at),
        "attendance_set": lambda: attendance.attendance_set(
            session=second,
            enrollment=wang,
            field=AttendanceChange.Field.CHECK_IN,
            value=second.starts_at,
            by=advisor,
            reason="补签",
        ),
        "rollcall_mark": lambda: attendance.rollcall_mark(
            session=second, enrollment=wang, action="present", by=advisor, reason="补点名"
        ),
        "rollcall_all_present": lambda: attendance.rollcall_all_present(session=second, by=advisor, reason="补点名"),
        "leave_request_create": lambda: attendance.leave_request_create(
            enrollment=wang, sessions=[third], kind=LeaveRequest.Kind.SICK, reason="发烧"
        ),
        "leave_decide": lambda: attendance.leave_decide(
            leave=w["pending"], by=advisor, role="advisor", approve=True, confirm=True
        ),
        "leave_withdraw": lambda: attendance.leave_withdraw(leave=w["pending"]),
        "leave_resume": lambda: attendance.leave_resume(leave=w["approved"]),
        "discipline_record_create": lambda: attendance.discipline_record_create(
            enrollment=wang, session=first, kind=DisciplineRecord.Kind.PHONE, points=1, by=advisor
        ),
        "discipline_record_void": lambda: attendance.discipline_record_void(
            record=w["record"], by=advisor, reason="记错"
        ),
        "bulletin_publish": lambda: attendance.bulletin_publish(course=course, day=None, by=advisor, at=later),
        "completion_override": lambda: completion.completion_override(
            enrollment=wang, eligible=True, reason="补考合格", by=organizer
        ),
        "certificates_issue": lambda: completion.certificates_issue(course=course, by=organizer),
        "certificate_job_start": lambda: completion.certificate_job_start(
            course=course, by=organizer, enqueue=lambda *a: None
        ),
        "certificate_revoke": lambda: completion.certificate_revoke(certificate=w["certificate"], reason="有误"),
        "certificate_reissue": lambda: completion.certificate_reissue(certificate=w["certificate"], by=organizer),
        "session_create": lambda: training.session_create(
            course=course,
            kind="lecture",
            title="补课",
            starts_at=third.starts_at + timedelta(hours=3),
            ends_at=third.starts_at + timedelta(hours=5),
            credit_hours=Decimal("2"),
        ),
        "session_update": lambda: training.session_update(session=third, title="结业典礼"),
        "session_delete": lambda: training.session_delete(session=third),
        "roster_import": lambda: training.roster_import(
            course=course, content=csv_bytes(table()), filename="花名册.csv", by=organizer
        ),
        "enrollment_add": lambda: training.enrollment_add(
            course=course, name="赵春梅", phone="13800138009", work_unit="县医院工会", by=organizer
        ),
        "enrollment_update": lambda: training.enrollment_update(
            enrollment=wang, student_no="002", group="第一组", status=Enrollment.Status.ENROLLED, by=organizer
        ),
        "enrollment_withdraw": lambda: training.enrollment_update(
            enrollment=wang, student_no="002", group="第二组", status=Enrollment.Status.WITHDRAWN, by=organizer
        ),
        "trainee_update": lambda: training.trainee_update(trainee=wang.trainee, course=course, position="主席"),
        "trainee_access_code_reset": lambda: training.trainee_access_code_reset(
            trainee=wang.trainee, by=organizer, course=course
        ),
        "nominees_approve": lambda: registration.nominees_approve(course=course, by=organizer),
    }


def test_every_write_service_refuses_an_archived_course_and_writes_nothing(world, course, organizer, advisor):
    before = rows()
    with time_machine.travel(world["now"], tick=False):
        for name, call in writes(world, course, organizer, advisor).items():
            with pytest.raises(DomainError) as refused:
                call()
            assert refused.value.code == "archived", (name, refused.value.code)
    assert rows() == before


def test_after_a_reopen_the_services_work_again(world, course, organizer, advisor):
    calls = writes(world, course, organizer, advisor)
    with time_machine.travel(world["now"], tick=False):
        archive.course_reopen(course=course, by=organizer, reason="补录点名")
        calls["rollcall_mark"]()
        calls["leave_decide"]()
        calls["discipline_record_void"]()
        calls["completion_override"]()
        calls["session_update"]()
        calls["enrollment_add"]()
        calls["nominees_approve"]()
    wang = world["people"][1]
    assert wang.attendance.get(session=world["sessions"][1]).checked_in_at is not None
    assert LeaveRequest.objects.get(pk=world["pending"].pk).status == LeaveRequest.Status.APPROVED


def test_pages_say_the_course_is_archived_and_only_organizers_are_offered_the_reopen(
    client, world, course, organizer, advisor
):
    reopen = reverse("training:course-reopen", args=[course.code])
    for user, offered in ((organizer, True), (advisor, False)):
        client.force_login(user)
        for name in ("training:course-dashboard", "attendance:grid", "documents:print", "completion:certificates"):
            text = client.get(reverse(name, args=[course.code])).content.decode()
            assert "本培训班已于2026年11月20日结班归档，只能查看" in text, name
            assert (reopen in text) is offered, name


def test_a_refused_change_comes_back_as_a_message_not_a_500(client, world, course, organizer):
    client.force_login(organizer)
    wang = world["people"][1]
    second = world["sessions"][1]
    posts = [
        (
            reverse("attendance:rollcall-mark", args=[course.code, second.pk]),
            {"enrollment": wang.pk, "action": "present", "reason": "补点名"},
        ),
        (reverse("attendance:rollcall-all", args=[course.code, second.pk]), {"reason": "补点名"}),
        (reverse("training:access-code-reset", args=[course.code, wang.pk]), {}),
        (reverse("attendance:discipline-void", args=[course.code, world["record"].pk]), {"reason": "记错"}),
        (
            reverse("completion:certificate-change", args=[course.code, world["certificate"].pk]),
            {"action": "revoke", "reason": "有误"},
        ),
        (reverse("registration:approve-all", args=[course.code]), {}),
        (reverse("training:session-delete", args=[course.code, second.pk]), {}),
    ]
    before = rows()
    with time_machine.travel(world["now"], tick=False):
        for url, data in posts:
            response = client.post(url, data, follow=True)
            assert response.status_code == 200, url
            assert archive.ARCHIVED in [str(m) for m in response.context["messages"]], url
        for url, data in [
            (
                reverse("attendance:discipline", args=[course.code]),
                {"enrollment": wang.pk, "kind": "phone", "points": "1"},
            ),
            (
                reverse("training:trainee-add", args=[course.code]),
                {"name": "赵春梅", "phone": "13800138009", "gender": "F", "work_unit": "县医院工会"},
            ),
        ]:
            response = client.post(url, data)
            assert response.status_code == 200 and "结班归档" in response.content.decode(), url
    assert rows() == before
