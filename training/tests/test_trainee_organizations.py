"""Organizations own their trainee data. Before, a trainee was one global record keyed by phone:
organization B adding A's trainee's phone got A's record, saw A's login code, logged in as the
trainee into A's course, changed what A saw and logged the trainee out of A's course with a reset;
the refusal message told B whether a phone existed anywhere. Each test below failed then."""

import pytest
from django.urls import reverse

from core.models import AuditEntry
from training import services
from training.models import Trainee
from training.tests.factories import CourseFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(other_organizer):
    """石门县's course, run by other_organizer."""
    return CourseFactory(
        organization=other_organizer.memberships.get().organization, code="SM2026-01", name="石门县培训班"
    )


def login(client, phone, code):
    return client.post(reverse("training:login"), {"phone": phone, "access_code": code})


def test_adding_another_organizations_trainee_makes_a_record_of_ones_own(
    client, enrollment, elsewhere, other_organizer
):
    mine = enrollment.trainee
    client.force_login(other_organizer)
    response = client.post(
        reverse("training:trainee-add", args=[elsewhere.code]),
        {"name": mine.name, "phone": mine.phone, "work_unit": "冒名单位", "gender": "F"},
    )
    assert response.status_code == 302
    theirs = elsewhere.enrollments.get().trainee
    assert theirs.pk != mine.pk and theirs.organization == elsewhere.organization
    assert theirs.access_code != mine.access_code
    page = client.get(reverse("training:enrollment-detail", args=[elsewhere.code, elsewhere.enrollments.get().pk]))
    assert mine.access_code not in page.content.decode()
    mine.refresh_from_db()
    assert mine.work_unit != "冒名单位"


def test_the_other_organizations_code_logs_in_to_its_own_courses_only(client, enrollment, elsewhere):
    mine = enrollment.trainee
    twin = services.enrollment_add(course=elsewhere, name=mine.name, phone=mine.phone).trainee
    assert login(client, mine.phone, twin.access_code).status_code == 302
    page = client.get(reverse("attendance:me")).content.decode()
    assert elsewhere.name in page and enrollment.course.name not in page
    client.logout()
    assert login(client, mine.phone, mine.access_code).status_code == 302
    page = client.get(reverse("attendance:me")).content.decode()
    assert enrollment.course.name in page and elsewhere.name not in page


def test_edits_and_resets_by_the_other_organization_leave_this_one_alone(
    client, enrollment, elsewhere, other_organizer
):
    mine = enrollment.trainee
    twin_enrollment = services.enrollment_add(course=elsewhere, name=mine.name, phone=mine.phone)
    assert login(client, mine.phone, mine.access_code).status_code == 302  # the trainee on their phone
    before = Trainee.objects.values().get(pk=mine.pk)
    audit_before = AuditEntry.objects.filter(course=enrollment.course).count()

    staff = client.__class__()
    staff.force_login(other_organizer)
    staff.post(
        reverse("training:enrollment-edit", args=[elsewhere.code, twin_enrollment.pk]),
        {
            "t-name": "改过的名字",
            "t-phone": "13900000009",
            "t-gender": "M",
            "t-work_unit": "别处",
            "e-student_no": "001",
            "e-group": "",
            "e-status": "enrolled",
        },
    )
    staff.post(reverse("training:access-code-reset", args=[elsewhere.code, twin_enrollment.pk]))
    twin_enrollment.trainee.refresh_from_db()
    assert twin_enrollment.trainee.name == "改过的名字"

    assert Trainee.objects.values().get(pk=mine.pk) == before
    assert AuditEntry.objects.filter(course=enrollment.course).count() == audit_before
    assert client.get(reverse("attendance:me")).status_code == 200  # still logged in to A's course


def test_a_refusal_reveals_nothing_of_another_organization(enrollment, elsewhere):
    """Another name with A's trainee's phone and ID number: elsewhere that is simply a new person
    (before: "已登记为另一位学员，姓名不同", telling B the phone existed)."""
    mine = enrollment.trainee
    mine.id_number = "11010119900307001X"
    mine.save()
    twin = services.enrollment_add(course=elsewhere, name="别人", phone=mine.phone, id_number=mine.id_number)
    assert twin.trainee.name == "别人" and Trainee.objects.filter(phone=mine.phone).count() == 2
    mine.refresh_from_db()
    assert mine.name == "张丽华"


def test_within_one_organization_a_phone_is_still_one_person(enrollment, organizer):
    other_course = CourseFactory(organization=enrollment.course.organization, code="QS2026-02")
    again = services.enrollment_add(course=other_course, name=enrollment.trainee.name, phone=enrollment.trainee.phone)
    assert again.trainee == enrollment.trainee
    with pytest.raises(services.DomainError, match="本单位另一位学员"):
        third = CourseFactory(organization=enrollment.course.organization, code="QS2026-03")
        services.enrollment_add(course=third, name="另一个人", phone=enrollment.trainee.phone)


def test_a_member_of_both_organizations_sees_each_record_only_in_its_course(client, enrollment, elsewhere):
    """Staff of A who are also staff of B still reach each record only through its own course."""
    both = UserFactory(username="both")
    MembershipFactory(user=both, organization=enrollment.course.organization)
    MembershipFactory(user=both, organization=elsewhere.organization)
    twin = services.enrollment_add(course=elsewhere, name=enrollment.trainee.name, phone=enrollment.trainee.phone)
    client.force_login(both)
    wrong = reverse("training:enrollment-detail", args=[enrollment.course.code, twin.pk])
    assert client.get(wrong).status_code == 404
