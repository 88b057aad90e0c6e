"""Bulletins published before they were 公文 are given numbers and words by a data migration."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.tests import migrations

BEFORE = [("attendance", "0001_initial"), ("training", "0007_audit_log")]
TZ = ZoneInfo("Asia/Shanghai")


@pytest.mark.django_db(transaction=True)
def test_old_bulletins_are_numbered_in_publication_order_per_course():
    latest = migrations.latest()
    old = migrations.migrate(BEFORE)
    try:
        Organization = old.get_model("training", "Organization")
        Course = old.get_model("training", "Course")
        Bulletin = old.get_model("attendance", "Bulletin")
        User = old.get_model("auth", "User")
        user = User.objects.create(username="advisor")
        organization = Organization.objects.create(name="青山县总工会")
        spring, autumn = (
            Course.objects.create(
                organization=organization, code=code, name=name, start_date=start, end_date=start.replace(day=16)
            )
            for code, name, start in (
                ("QS2026-00", "春季培训班", date(2026, 4, 14)),
                ("QS2026-01", "秋季培训班", date(2026, 11, 14)),
            )
        )

        def published(course, day, month_day_hour, data):
            month, day_of_month, hour = month_day_hour
            return Bulletin.objects.create(
                course=course,
                day=day,
                version=1,
                title="旧标题",
                data=data,
                published_by=user,
                published_at=datetime(2026, month, day_of_month, hour, tzinfo=TZ),
            )

        # Created out of order: numbers follow the time of publication.
        whole = published(spring, None, (4, 16, 18), {"late": [], "discipline": []})
        first = published(spring, date(2026, 4, 14), (4, 14, 19), {"late": [{"name": "王建国"}]})
        autumn_first = published(autumn, date(2026, 11, 14), (11, 14, 19), {"late": []})
        apps = migrations.migrate(latest)
    finally:
        migrations.migrate(latest)
    Bulletin = apps.get_model("attendance", "Bulletin")
    rows = {b.pk: b for b in Bulletin.objects.all()}
    assert [(rows[b.pk].number, rows[b.pk].doc_number) for b in (first, whole, autumn_first)] == [
        (1, "县工培通〔2026〕1号"),
        (2, "县工培通〔2026〕2号"),
        (1, "县工培通〔2026〕1号"),
    ]
    assert {b.issuer for b in rows.values()} == {"青山县总工会"}
    assert {b.recipients for b in rows.values()} == {"各学员所在单位工会："}
    assert rows[first.pk].title == "旧标题"  # as it was published
    assert "春季培训班4月14日学员出勤" in rows[first.pk].opening and "希望受到通报的学员" in rows[first.pk].closing
    assert "培训期间（4月14日至16日）" in rows[whole.pk].opening and "学风良好" in rows[whole.pk].closing


@pytest.mark.django_db(transaction=True)
def test_old_leave_requests_are_recounted_in_the_credit_hours_of_their_sessions():
    latest = migrations.latest()
    old = migrations.migrate(
        [("attendance", "0004_bulletin_number_required"), ("training", "0015_leave_in_credit_hours")]
    )
    try:
        Organization = old.get_model("training", "Organization")
        Course = old.get_model("training", "Course")
        Session = old.get_model("training", "Session")
        Trainee = old.get_model("training", "Trainee")
        Enrollment = old.get_model("training", "Enrollment")
        LeaveRequest = old.get_model("attendance", "LeaveRequest")
        organization = Organization.objects.create(name="青山县总工会")
        course = Course.objects.create(
            organization=organization,
            code="QS2026-01",
            name="秋季培训班",
            start_date=date(2026, 11, 14),
            end_date=date(2026, 11, 16),
        )
        start = datetime(2026, 11, 14, 8, 30, tzinfo=TZ)
        lecture = Session.objects.create(
            course=course,
            title="工会法解读",
            starts_at=start,
            ends_at=start.replace(hour=10, minute=30),
            credit_hours=3,
        )
        talk = Session.objects.create(
            course=course,
            title="座谈",
            starts_at=start.replace(hour=14),
            ends_at=start.replace(hour=15),
            credit_hours=1,
        )
        trainee = Trainee.objects.create(organization=organization, name="张丽华", phone="13900000001", access_code="1")
        enrollment = Enrollment.objects.create(course=course, trainee=trainee)
        leave = LeaveRequest.objects.create(
            enrollment=enrollment, kind="sick", reason="发烧", hours=3, needs_organizer=False, requested_at=start
        )
        leave.sessions.set([lecture, talk])  # 3 clock hours, 4 学时
        apps = migrations.migrate(latest)
    finally:
        migrations.migrate(latest)
    recounted = apps.get_model("attendance", "LeaveRequest").objects.get(pk=leave.pk)
    assert recounted.hours == 4 and not recounted.needs_organizer  # who approves stays as asked
