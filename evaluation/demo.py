"""评教 for the demo: last spring's course fully evaluated by most of those who attended (varied
scores, comments), the running course's first day partly evaluated. Built through the same
service the phone pages use, at times inside each window, so the stored rows are what real use
leaves."""

import random
from datetime import timedelta

from attendance.models import AttendanceRecord
from training.models import Course

from . import rules, services

LECTURE_COMMENTS = [
    "理论联系实际，案例很接地气，回去就能用。",
    "内容丰富，建议多留一些互动提问的时间。",
    "讲得深入浅出，对基层工会工作很有指导意义。",
    "信息量很大，希望能把课件发给学员。",
    "语速稍快，有些内容没来得及记。",
    "结合本县实际讲得很透，受益匪浅。",
    "希望以后多安排这样的专题。",
    "时间偏紧，后半部分讲得有些仓促。",
    "老师准备充分，板书和课件都很清楚。",
    "有些政策条文可以再结合案例讲解。",
    "对我们企业工会换届选举很有帮助。",
    "希望讲一讲新就业形态劳动者入会的做法。",
]
FIELD_COMMENTS = [
    "现场看得见摸得着，比课堂讲更直观。",
    "职工之家建设经验值得学习，回去对照整改。",
    "路上时间较长，现场交流时间不够。",
    "讲解员介绍得很细致。",
    "职工书屋和母婴室的做法可以直接借鉴。",
    "建议提前发放现场教学点的介绍材料。",
    "和一线职工面对面交流，很受启发。",
    "参观时人多，后排听不太清楚，建议配扩音器。",
    "看到了企业工会服务职工的真实做法。",
]
SUGGESTIONS = [
    "建议增加工会经费管理和财务实务的课时。",
    "食宿安排周到，感谢工作人员。",
    "希望多组织学员之间的经验交流。",
    "课程安排紧凑，晚上的活动可以适当减少。",
    "建议每年举办一次，覆盖更多基层工会干部。",
    "教室空调偏冷，建议调整温度。",
    "希望提供电子版学习材料，方便回去传达。",
    "建议结业测试前安排一次复习答疑。",
    "现场教学安排得好，希望增加到两个教学点。",
    "分组讨论很有收获，可以适当延长时间。",
    "希望增加工会信息化、网上工会方面的内容。",
]


def _score(rng: random.Random, quality: float, scale: int) -> int:
    return max(1, min(scale, round(rng.gauss(quality, 0.6))))


def _answer_all(course: Course, *, share: float, rng: random.Random, sessions=None, course_form=True, now=None):
    settings, forms = services.forms_ensure(course)
    present = {}
    for session_id, enrollment_id in AttendanceRecord.objects.filter(
        session__course=course, checked_in_at__isnull=False
    ).values_list("session_id", "enrollment_id"):
        present.setdefault(session_id, []).append(enrollment_id)
    people = {e.pk: e for e in course.enrollments.select_related("course")}
    all_sessions = list(course.sessions.order_by("starts_at"))
    for session in sessions if sessions is not None else all_sessions:
        kind = rules.form_kind_for_session(session.kind)
        if kind is None:
            continue
        form = forms[kind]
        quality = rng.uniform(3.9, 4.8)
        pool = list(FIELD_COMMENTS if kind == "field" else LECTURE_COMMENTS)
        rng.shuffle(pool)  # each remark once per session, as real people word things differently
        for enrollment_id in present.get(session.pk, []):
            if rng.random() > share:
                continue
            at = session.ends_at + timedelta(minutes=rng.randint(0, 180))
            if now is not None and at >= now:
                continue
            services.answer_submit(
                enrollment=people[enrollment_id],
                form=form,
                session=session,
                scores={item["key"]: _score(rng, quality, form.scale) for item in form.items},
                comments={"comment": pool.pop()} if pool and rng.random() < 0.35 else {},
                at=at,
            )
    if not course_form:
        return
    form = forms["course"]
    last_end = all_sessions[-1].ends_at
    attendees = {e for ids in present.values() for e in ids}
    lectures = [s.title for s in all_sessions if rules.form_kind_for_session(s.kind)]
    suggestions = list(SUGGESTIONS)
    rng.shuffle(suggestions)
    for enrollment_id in sorted(attendees):
        if rng.random() > share:
            continue
        comments = {"best_course": rng.choice(lectures)} if rng.random() < 0.6 else {}
        if suggestions and rng.random() < 0.45:
            comments["suggestions"] = suggestions.pop()
        services.answer_submit(
            enrollment=people[enrollment_id],
            form=form,
            session=None,
            scores={item["key"]: _score(rng, 4.5 if item["key"] != "logistics" else 4.0, 5) for item in form.items},
            comments=comments,
            at=last_end + timedelta(minutes=rng.randint(5, 120)),
        )


def load_finished(course: Course) -> None:
    """Every evaluated session and the course form, answered by about nine in ten of those who
    attended."""
    _answer_all(course, share=0.9, rng=random.Random(17))


def load_running(course: Course, *, now) -> None:
    """The first day's lectures, answered by about two thirds of those who attended so far."""
    first_day = [s for s in course.sessions.order_by("starts_at") if s.local_date == course.start_date]
    _answer_all(course, share=0.65, rng=random.Random(18), sessions=first_day, course_form=False, now=now)
