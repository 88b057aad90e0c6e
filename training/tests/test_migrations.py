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


@pytest.mark.django_db(transaction=True)
def test_free_text_lecturers_become_the_pool_of_their_organization():
    """0017: each text naming one person makes one lecturer of the course's organization, linked
    to its sessions; the text stays the printed label; texts naming no one, or several, are left."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    latest = migrations.latest()
    old = migrations.migrate([("training", "0016_lecturers")])
    try:
        Organization = old.get_model("training", "Organization")
        Course = old.get_model("training", "Course")
        Session = old.get_model("training", "Session")
        qingshan, shimen = (Organization.objects.create(name=n) for n in ("青山县总工会", "石门县总工会"))
        spring, autumn, elsewhere = (
            Course.objects.create(organization=o, code=c, name=c, start_date=d, end_date=d.replace(day=d.day + 2))
            for o, c, d in (
                (qingshan, "QS2026-00", date(2026, 4, 14)),
                (qingshan, "QS2026-01", date(2026, 11, 14)),
                (shimen, "SM2026-01", date(2026, 11, 14)),
            )
        )
        texts = {}
        for course, hour, text in (
            (spring, 8, "县总工会副主席 赵明"),
            (spring, 10, "县人民法院四级高级法官 孙立新"),
            (spring, 14, "各小组组长"),
            (spring, 16, "王建国、李明"),
            (autumn, 8, "县总工会党组副书记 赵明"),  # promoted since spring: one person, the newest title
            (autumn, 10, "县人民法院四级高级法官 孙立新"),
            (autumn, 14, "王建国 教授"),
            (autumn, 16, "阿依古丽·买买提"),
            (autumn, 19, ""),
            (elsewhere, 8, "县人民法院四级高级法官 孙立新"),  # another county's judge of that name
        ):
            start = datetime.combine(course.start_date, datetime.min.time()).replace(
                hour=hour, tzinfo=ZoneInfo("Asia/Shanghai")
            )
            session = Session.objects.create(
                course=course,
                title=text or "观看教育片",
                lecturer=text,
                starts_at=start,
                ends_at=start.replace(hour=hour + 1),
            )
            texts[session.pk] = text
        apps = migrations.migrate(latest)
    finally:
        migrations.migrate(latest)
    Lecturer = apps.get_model("training", "Lecturer")
    Session = apps.get_model("training", "Session")
    pool = {
        (lecturer.organization.name, lecturer.name): (lecturer.title, lecturer.unit)
        for lecturer in Lecturer.objects.select_related("organization")
    }
    assert pool == {
        ("青山县总工会", "赵明"): ("党组副书记", "县总工会"),
        ("青山县总工会", "孙立新"): ("四级高级法官", "县人民法院"),
        ("青山县总工会", "王建国"): ("教授", ""),
        ("青山县总工会", "阿依古丽·买买提"): ("", ""),
        ("石门县总工会", "孙立新"): ("四级高级法官", "县人民法院"),
    }
    for session in Session.objects.prefetch_related("lecturers"):
        assert session.lecturer == texts[session.pk]  # the printed label is kept
        names = [lecturer.name for lecturer in session.lecturers.all()]
        if texts[session.pk] in ("各小组组长", "王建国、李明", ""):
            assert names == []
        else:
            assert names == [texts[session.pk].split()[-1] if "教授" not in texts[session.pk] else "王建国"]
            assert all(
                lecturer.organization_id == session.course.organization_id for lecturer in session.lecturers.all()
            )


def test_a_lone_placeholder_role_or_unit_is_not_taken_for_a_lecturer():
    """Only a name stands alone: 待定, 县委党校, 全体学员, 教务处, 小组讨论, 县长 stay free text."""
    import importlib

    split = importlib.import_module("training.migrations.0017_lecturers_from_sessions").split_lecturer
    for text in (
        "待定",
        "县委党校",
        "县总工会",
        "全体学员",
        "本班学员",
        "教务处",
        "组织部",
        "学员代表",
        "小组讨论",
        "县长",
    ):
        assert split(text) is None, text
    assert split("孙立新") == ("孙立新", "", "")
    assert split("阿依古丽·买买提") == ("阿依古丽·买买提", "", "")
    assert split("县人民法院四级高级法官 孙立新") == ("孙立新", "四级高级法官", "县人民法院")
