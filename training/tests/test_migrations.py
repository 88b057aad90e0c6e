"""Trainees become each organization's own (0010–0012): a person two organizations enrolled is
split in two, the second organization's record with a new login code, its enrollments moved."""

from datetime import date

import pytest

from core.tests import migrations

BEFORE = [("training", "0009_certificate_date")]


@pytest.mark.django_db(transaction=True)
def test_a_person_enrolled_by_two_organizations_becomes_two_records():
    latest = migrations.latest()
    old = migrations.migrate(BEFORE)
    try:
        Organization = old.get_model("training", "Organization")
        Course = old.get_model("training", "Course")
        Trainee = old.get_model("training", "Trainee")
        Enrollment = old.get_model("training", "Enrollment")
        qingshan, shimen = (Organization.objects.create(name=name) for name in ("青山县总工会", "石门县总工会"))
        courses = [
            Course.objects.create(
                organization=organization,
                code=code,
                name=code,
                start_date=date(2026, 4, 14),
                end_date=date(2026, 4, 16),
            )
            for organization, code in ((qingshan, "QS-1"), (shimen, "SM-1"), (qingshan, "QS-2"))
        ]
        both = Trainee.objects.create(name="张丽华", phone="13900000001", access_code="246810", work_unit="医院工会")
        only_here = Trainee.objects.create(name="陈建国", phone="13900000002", access_code="135790")
        nowhere = Trainee.objects.create(name="未报名", phone="13900000003", access_code="111111")
        for number, course in enumerate(courses, 1):
            Enrollment.objects.create(course=course, trainee=both, student_no=f"00{number}")
        Enrollment.objects.create(course=courses[0], trainee=only_here, student_no="009")
        apps = migrations.migrate(latest)
    finally:
        migrations.migrate(latest)
    Trainee = apps.get_model("training", "Trainee")
    Enrollment = apps.get_model("training", "Enrollment")
    first, second = Trainee.objects.filter(phone="13900000001").order_by("pk")
    assert (first.pk, first.organization.name, first.access_code) == (both.pk, "青山县总工会", "246810")
    assert second.organization.name == "石门县总工会" and second.access_code != "246810"
    assert (second.name, second.work_unit) == ("张丽华", "医院工会")
    assert sorted(Enrollment.objects.filter(trainee=first).values_list("course__code", flat=True)) == ["QS-1", "QS-2"]
    assert list(Enrollment.objects.filter(trainee=second).values_list("course__code", flat=True)) == ["SM-1"]
    assert Trainee.objects.get(pk=only_here.pk).organization.name == "青山县总工会"
    assert Trainee.objects.get(pk=nowhere.pk).organization.name == "青山县总工会"
    assert Trainee.objects.count() == 4 and Enrollment.objects.count() == 4
