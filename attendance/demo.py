"""Attendance history for the demo: day one has been held, with the things an advisor meets on a
real first day. Built through the same services the pages use, at the times they happened."""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from training.models import Course

from . import services
from .models import DisciplineRecord, LeaveRequest, Method


def _at(day, clock: str) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.fromisoformat(clock)))


def load_history(course: Course, *, advisor, organizer) -> None:
    """Day one (yesterday): most trainees on time; late arrivals; an early leave from a session that
    requires check-out; an absence; an approved sick leave; a roll-call entry; a phone shared by two
    trainees (flagged); a phone-use and an in-and-out record; the day's bulletin published. For
    tomorrow, a pending leave request. Today is left to be checked in live."""
    rng = random.Random(3)
    day_one = course.start_date
    sessions = list(course.sessions.order_by("starts_at"))
    first_day = [s for s in sessions if s.local_date == day_one]
    last_day = [s for s in sessions if s.local_date == course.end_date]
    people = list(course.enrollments.select_related("trainee").order_by("student_no"))
    opening, morning, afternoon, late_afternoon = first_day[:4]

    sick = people[5]
    leave = services.leave_request_create(
        enrollment=sick,
        sessions=[afternoon, late_afternoon],
        kind=LeaveRequest.Kind.SICK,
        reason="中午起发烧，需到县人民医院就诊",
        at=_at(day_one, "12:10"),
    )
    services.leave_decide(
        leave=leave,
        by=advisor,
        role="advisor",
        approve=True,
        confirm=True,
        comment="注意休息",
        at=_at(day_one, "12:25"),
    )
    late = {(opening, people[1]): "08:42", (morning, people[2]): "09:53", (afternoon, people[3]): "14:50"}
    early_out = {(afternoon, people[4]): "16:05"}
    absent = {(late_afternoon, people[7])}
    rollcall = {(opening, people[12])}
    shared_phone = {people[10].pk: "demo-shared-phone", people[11].pk: "demo-shared-phone"}

    for session in first_day:
        for person in people:
            key = (session, person)
            if key in absent or key in rollcall or (person == sick and session in (afternoon, late_afternoon)):
                continue
            clock = late.get(key)
            arrived = _at(day_one, clock) if clock else session.starts_at - timedelta(minutes=rng.randint(1, 25))
            device = shared_phone.get(person.pk, f"demo-phone-{person.pk}") if session == morning else ""
            services.check_in(session, person, method=Method.QR, at=arrived, device=device)
            if session.requires_checkout:
                left = early_out.get(key)
                out = _at(day_one, left) if left else session.ends_at + timedelta(minutes=rng.randint(0, 6))
                services.check_out(session, person, method=Method.QR, at=out)
    for session, person in rollcall:
        services.check_in(
            session, person, method=Method.MANUAL, at=session.starts_at, by=advisor, reason="手机没电，课堂点名到课"
        )

    services.discipline_record_create(
        enrollment=people[13],
        session=morning,
        kind=DisciplineRecord.Kind.PHONE,
        points=1,
        note="上课期间刷短视频，经提醒后改正",
        by=advisor,
        at=_at(day_one, "10:20"),
    )
    services.discipline_record_create(
        enrollment=people[14],
        session=afternoon,
        kind=DisciplineRecord.Kind.IN_OUT,
        points=1,
        minutes_out=15,
        note="未请示离开教室接听电话",
        by=advisor,
        at=_at(day_one, "15:20"),
    )
    services.bulletin_publish(course=course, day=day_one, by=advisor, at=_at(day_one, "19:00"))
    services.leave_request_create(
        enrollment=people[20],
        sessions=last_day[:2],
        kind=LeaveRequest.Kind.OFFICIAL,
        reason="单位安排参加县职代会筹备会议",
        at=_at(day_one, "20:30"),
    )


def load_finished(course: Course, *, advisor, organizer) -> None:
    """A course held last spring, complete: everyone checked in to every session, with the usual
    few late arrivals and early leaves; one trainee away for a day on approved leave (over 1/7 of
    the hours: does not complete), one absent from three sessions and the exam (does not complete),
    one with repeated phone use (3 points, the limit: still completes), the whole-course bulletin
    published on the last evening."""
    rng = random.Random(2025)
    sessions = list(course.sessions.order_by("starts_at"))
    people = list(course.enrollments.select_related("trainee").order_by("student_no"))
    days = sorted({s.local_date for s in sessions})
    away_day = [s for s in sessions if s.local_date == days[1]]
    on_leave, truant, talker = people[3], people[8], people[15]
    leave = services.leave_request_create(
        enrollment=on_leave,
        sessions=away_day,
        kind=LeaveRequest.Kind.OFFICIAL,
        reason="单位安排接待上级工会检查组",
        at=_at(days[0], "18:00"),
    )
    services.leave_decide(
        leave=leave,
        by=organizer,
        role="organizer",
        approve=True,
        confirm=True,
        comment="同意，按规定不能结业",
        at=_at(days[0], "19:00"),
    )
    missed = {sessions[2], sessions[3], sessions[6], *(s for s in sessions if s.kind == "exam")}
    for session in sessions:
        for person in people:
            if (person == on_leave and session in away_day) or (person == truant and session in missed):
                continue
            roll = rng.random()
            minutes = rng.randint(3, 25) if roll < 0.04 else -rng.randint(1, 20)
            services.check_in(session, person, method=Method.QR, at=session.starts_at + timedelta(minutes=minutes))
            if session.requires_checkout:
                early = rng.randint(10, 30) if rng.random() < 0.05 else -rng.randint(0, 6)
                services.check_out(session, person, method=Method.QR, at=session.ends_at - timedelta(minutes=early))
    for session, note in zip(
        sessions[1:4], ("上课玩手机游戏", "上课看手机新闻，经提醒后改正", "上课接打电话"), strict=True
    ):
        services.discipline_record_create(
            enrollment=talker,
            session=session,
            kind=DisciplineRecord.Kind.PHONE,
            points=1,
            note=note,
            by=advisor,
            at=session.starts_at + timedelta(minutes=40),
        )
    services.bulletin_publish(course=course, day=None, by=advisor, at=_at(days[-1], "18:30"))
