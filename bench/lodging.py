"""Benchmark: 住宿 and 就餐 on a course of 500 trainees: the automatic room assignment into 200
rooms (the service: read, decide, one insert) and the meal counts of a three-day course (the
selector behind 就餐统计 and its Excel), on a throw-away database: SQLite by default, or the
PostgreSQL of DATABASE_URL. Prints queries and times; `make bench` runs it.

    python bench/lodging.py [--trainees 500] [--rooms 200] [--repeat 5]
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

import django  # noqa: E402

django.setup()

import _results  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from attendance.models import LeaveRequest  # noqa: E402
from lodging import selectors, services  # noqa: E402
from lodging.models import BedAssignment, MealOptOut, Stay  # noqa: E402
from training import demo  # noqa: E402
from training.models import Course, Enrollment, Organization, Session, Trainee  # noqa: E402


def build(trainees: int, rooms: int) -> tuple[Course, object]:
    organization = Organization.objects.create(name="基准测试总工会")
    start = date(2026, 11, 20)
    course = Course.objects.create(
        organization=organization,
        code="BENCH-LODGE",
        name="基准测试培训班",
        start_date=start,
        end_date=start + timedelta(days=2),
        status=Course.Status.PUBLISHED,
    )
    people = Trainee.objects.bulk_create(
        Trainee(
            organization=organization,
            name=p.name,
            phone=p.phone,
            work_unit=p.work_unit,
            gender=p.gender or "M",
            access_code="123456",
        )
        for p in demo.people(trainees, seed=500, groups=10)
    )
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(course=course, trainee=t, student_no=f"{i:04d}", group=f"第{i % 10 + 1}组")
        for i, t in enumerate(people, 1)
    )
    Stay.objects.bulk_create(
        Stay(
            enrollment=e,
            needs_room=i % 25 != 0,
            diet=("halal", "vegetarian", "other")[i % 3] if i % 12 == 0 else "none",
            diet_note="不吃辣" if i % 36 == 0 else "",
        )
        for i, e in enumerate(enrollments)
    )
    half = rooms // 2
    services.rooms_add(
        organization=organization,
        lines=f"1号楼 1层 1001-{1000 + half} 三人间\n2号楼 1层 2001-{2000 + rooms - half} 双人间",
    )
    user = get_user_model().objects.create_user("bench-lodge", password="x")
    sessions = []
    for day in range(3):
        for clock in (8, 14):
            begin = timezone.make_aware(datetime.combine(start + timedelta(days=day), datetime.min.time())) + timedelta(
                hours=clock
            )
            sessions.append(
                Session(course=course, title=f"课次{day}{clock}", starts_at=begin, ends_at=begin + timedelta(hours=3))
            )
    sessions = Session.objects.bulk_create(sessions)
    for n, e in enumerate(enrollments[:40]):
        leave = LeaveRequest.objects.create(
            enrollment=e, kind="sick", reason="病", hours=3, status="approved", requested_at=sessions[0].starts_at
        )
        leave.sessions.add(sessions[n % len(sessions)])
    MealOptOut.objects.bulk_create(
        MealOptOut(enrollment=e, day=start + timedelta(days=1), kind="dinner", by=user, at=sessions[0].starts_at)
        for e in enrollments[::7]
    )
    return course, user


def timed(repeat, call):
    times, result = [], None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            begin = time.perf_counter()
            result = call()
            times.append(time.perf_counter() - begin)
    return result, len(queries), statistics.median(times) * 1000, max(times) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=500)
    parser.add_argument("--rooms", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        course, user = build(args.trainees, args.rooms)
        print(f"住宿与就餐：{args.trainees} 人、{args.rooms} 个房间（{connection.vendor}），{args.repeat} 次的中位数")

        times, counts = [], []
        for _ in range(args.repeat):
            BedAssignment.objects.filter(course=course).delete()
            with CaptureQueriesContext(connection) as queries:
                begin = time.perf_counter()
                result = services.rooms_auto_assign(course=course, keep="unit", by=user)
                times.append(time.perf_counter() - begin)
            counts.append(len(queries))
        assign_ms = statistics.median(times) * 1000
        print(
            f"  自动分房：安排 {len(result.placed)} 人，未安排 {len(result.unplaced)} 人；查询 {counts[-1]} 次，"
            f"中位数 {assign_ms:.0f} ms，最慢 {max(times) * 1000:.0f} ms"
        )
        now = timezone.make_aware(datetime.combine(date(2026, 11, 19), datetime.min.time())) + timedelta(hours=12)
        lines, meal_queries, meal_ms, meal_max = timed(args.repeat, lambda: selectors.meal_table(course, now=now))
        print(f"  就餐统计（{len(lines)} 餐）：查询 {meal_queries} 次，中位数 {meal_ms:.0f} ms，最慢 {meal_max:.0f} ms")
        _results.save(
            lodging_assign_ms=assign_ms,
            lodging_assign_queries=counts[-1],
            lodging_meals_ms=meal_ms,
            lodging_meals_queries=meal_queries,
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
