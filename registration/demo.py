"""报名 for the demo: the organization's units (every unit the roster names, with a contact), and
the running course's 名额分配表 for eight of them. Seven answered on their links before the
deadline and were approved — the very people already on the roster; one of them substituted a
nominee (由X换为Y); the eighth did not answer in time (its people came through the roster), so
it stands on 报名进度 as a unit that has not answered. The list was locked before the course.
The 培训通知 that announced it was written from the template, with its number and contacts.
Built through the same services the pages call, at times before the deadline."""

import random
from collections import Counter
from datetime import timedelta

from training.demo import at
from training.models import Course

from . import selectors, services
from .models import Notice

CONTACTS = "刘芳 周强 陈静 杨帆 黄丽 吴刚 徐敏 孙浩 马琳 朱伟 胡娟 郭勇 何平 高洁 林峰 罗红".split()


def _person(trainee, **extra) -> dict:
    return {
        "name": trainee.name,
        "gender": trainee.gender,
        "ethnicity": trainee.ethnicity,
        "political_status": trainee.political_status,
        "position": trainee.position,
        "phone": trainee.phone,
        "id_number": trainee.id_number,
        "diet": "halal" if trainee.ethnicity in ("回族", "维吾尔族") else "none",
        "needs_room": True,
        **extra,
    }


def load_running(course: Course, *, organizer) -> None:
    rng = random.Random(2718)
    enrollments = list(course.enrollments.select_related("trainee").order_by("student_no"))
    names = sorted({e.trainee.work_unit for e in enrollments if e.trainee.work_unit})
    units = {}
    for index, name in enumerate(names):
        units[name] = services.unit_create(
            organization=course.organization,
            name=name,
            contact=CONTACTS[index % len(CONTACTS)],
            phone=f"0795-72{rng.randrange(10**5):05d}",
        )
    counted = Counter(e.trainee.work_unit for e in enrollments)
    chosen = sorted(counted, key=lambda name: (-counted[name], name))[:8]
    deadline = at(course.start_date - timedelta(days=5), "17:00")
    services.quotas_set(
        course=course,
        places={units[name].pk: (max(2, counted[name]), 0) for name in chosen},
        deadline=deadline,
    )
    _notice(course, signed_on=(deadline - timedelta(days=12)).date())
    late = chosen[-1]
    quotas = {q.unit.name: q for q in course.quotas.select_related("unit")}
    for offset, name in enumerate(chosen[:-1]):
        when = deadline - timedelta(days=6 - offset % 5, hours=offset)
        people = [e.trainee for e in enrollments if e.trainee.work_unit == name]
        for trainee in people:
            if offset == 0 and trainee is people[-1]:
                # 换人: first put forward a colleague who then could not come
                first = services.nominee_add(
                    quota=quotas[name],
                    values=_person(trainee, name="邓志远", phone="13607950188", id_number="", gender="M"),
                    at=when,
                )
                services.nominee_replace(nominee=first, values=_person(trainee), at=when + timedelta(days=1))
            else:
                services.nominee_add(quota=quotas[name], values=_person(trainee), at=when)
    services.nominees_approve(course=course, by=organizer)
    services.registration_lock(course=course, locked=True, at=deadline + timedelta(days=2))
    assert late in quotas


def _notice(course: Course, *, signed_on) -> None:
    """The 培训通知 the units received: the template's draft from the course's facts, with the
    number, the contacts and the date the clerk gave it."""
    draft = selectors.notice_of(course, today=signed_on)
    texts = {name: getattr(draft, name) for name in Notice.TEXTS}
    texts["contacts"] = "县总工会组织部：李晓燕，0795-7221234\n县委党校教务科：李娟，0795-7225678"
    services.notice_save(course=course, doc_number=f"县工发〔{signed_on.year}〕7号", signed_on=signed_on, **texts)
