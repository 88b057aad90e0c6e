"""Benchmark: the organizer's pages on a course of 500 trainees × 30 sessions (about 14,000
check-ins): the dashboard, the attendance grid (考勤总表, the page opened most), the roster, the
timetable and the completion (结业) page, through the test client (URL, access helper, selector,
template) on a throw-away database: SQLite by default, or the PostgreSQL of DATABASE_URL. Prints
queries and render times; `make bench` runs it.

    python bench/attendance_grid.py [--trainees 500] [--sessions 30] [--repeat 5]
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_HTTPS", "false")  # the test client speaks plain HTTP

import django  # noqa: E402

django.setup()

import _results  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from attendance.models import AttendanceRecord, Method  # noqa: E402
from training import demo  # noqa: E402
from training.models import Course, Enrollment, Membership, Organization, Session, Trainee  # noqa: E402


def build(trainees: int, sessions: int) -> Course:
    organization = Organization.objects.create(name="基准测试总工会")
    start = date(2026, 11, 20)
    days = (sessions + 9) // 10
    course = Course.objects.create(
        organization=organization,
        code="BENCH-01",
        name="基准测试培训班",
        start_date=start,
        end_date=start + timedelta(days=days - 1),
        status=Course.Status.PUBLISHED,
    )
    slots = []
    for i in range(sessions):
        day = start + timedelta(days=i // 10)
        begin = timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=8 + i % 10)
        slots.append(
            Session(course=course, title=f"课次{i + 1}", starts_at=begin, ends_at=begin + timedelta(minutes=50))
        )
    slots = Session.objects.bulk_create(slots)
    people = Trainee.objects.bulk_create(
        Trainee(
            organization=course.organization, name=p.name, phone=p.phone, work_unit=p.work_unit, access_code="123456"
        )
        for p in demo.people(trainees, seed=500, groups=10)
    )
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(course=course, trainee=t, student_no=f"{i:04d}", group=f"第{i % 10 + 1}组")
        for i, t in enumerate(people, 1)
    )
    records = []
    for n, e in enumerate(enrollments):
        for k, s in enumerate(slots):
            if (n + k) % 23 == 0:
                continue  # an absence here and there
            late = timedelta(minutes=12) if (n * k) % 37 == 0 else timedelta(minutes=-5)
            records.append(
                AttendanceRecord(session=s, enrollment=e, checked_in_at=s.starts_at + late, checkin_method=Method.QR)
            )
    AttendanceRecord.objects.bulk_create(records, batch_size=2000)
    user = get_user_model().objects.create_user("bench", password="x")
    Membership.objects.create(user=user, organization=organization, role=Membership.Role.ORGANIZER)
    return course


PAGES = (
    ("dashboard", "training:course-dashboard", "概览"),
    ("grid", "attendance:grid", "考勤总表"),
    ("roster", "training:roster", "花名册"),
    ("timetable", "training:timetable", "课表"),
    ("eligibility", "completion:completion", "结业认定"),
)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=500)
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    # Static file URLs without a collectstatic manifest; everything else as in production.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        course = build(args.trainees, args.sessions)
        client = Client()
        client.force_login(get_user_model().objects.get(username="bench"))
        print(f"组织者页面：{args.trainees} 人 × {args.sessions} 课次（{connection.vendor}），{args.repeat} 次的中位数")
        figures = {}
        for key, name, label in PAGES:
            url = reverse(name, args=[course.code])
            client.get(url)  # warm up
            times = []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url)
                    times.append(time.perf_counter() - start)
                assert response.status_code == 200, (name, response.status_code)
            figures[f"{key}_queries"], figures[f"{key}_ms"] = len(queries), statistics.median(times) * 1000
            print(
                f"  {label}：查询 {len(queries)} 次，中位数 {figures[f'{key}_ms']:.0f} ms，最慢 {max(times) * 1000:.0f} ms，"
                f"页面 {len(response.content) / 1024:.0f} KB"
            )
        _results.save(**figures)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
