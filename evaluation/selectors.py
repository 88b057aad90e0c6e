"""Reads of 评教 shared by the trainee's pages, the staff page and (later) the results charts, the
评估报告, reminders and the classroom screen. Each runs a fixed number of queries, whatever the size
of the course; none of them can pair an answer with a trainee (the tables cannot)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time

from django.db.models import Aggregate, Count, F, JSONField
from django.utils import timezone

from attendance.models import AttendanceRecord
from core.errors import DomainError
from training.models import Course, Enrollment, Session

from . import rules
from .charts import Chart, item_charts
from .models import Answer, EvaluationForm, EvaluationSettings, Responded


def forms_of(course: Course) -> tuple[EvaluationSettings, dict[str, EvaluationForm]]:
    """The course's settings and its three forms (kind → form) as they stand, for pages that only
    read: rows not made yet (nobody has answered or edited) are the templates' defaults, unsaved —
    a GET never writes. The writes (`services.forms_ensure`) come with the first POST. Two queries."""
    settings = EvaluationSettings.objects.filter(course=course).first() or EvaluationSettings(course=course)
    forms = {form.kind: form for form in EvaluationForm.objects.filter(course=course)}
    for kind in rules.TEMPLATES:
        if kind not in forms:
            forms[kind] = EvaluationForm(course=course, kind=kind, **rules.template_rows(kind))
    for form in forms.values():
        form.course = course
    return settings, forms


def window_of(settings: EvaluationSettings, course: Course, session: Session | None, sessions=None):
    """(opens, closes) of a session's evaluation, or of the course form when `session` is None
    (`sessions`: the course's sessions when already loaded)."""
    if session is not None:
        return rules.session_window(
            ends_at=timezone.localtime(session.ends_at),
            opens_before_minutes=settings.opens_before_minutes,
            close_hours=settings.close_hours,
        )
    sessions = list(sessions if sessions is not None else course.sessions.all())
    last_end = max((s.ends_at for s in sessions), default=None)
    last_day = timezone.make_aware(datetime.combine(course.end_date, time.min))
    return rules.course_window(
        last_day_starts=last_day,
        last_session_ends=timezone.localtime(last_end) if last_end else last_day,
        close_hours=settings.close_hours,
    )


def session_time_problem(session: Session, *, starts_at: datetime, ends_at: datetime) -> DomainError | None:
    """Refuses moving a session so that an evaluation that has closed with answers — its own, or
    the course form's, which closes with the last session — would open again: new answers after a
    close would let whoever saw the results before tell what one person gave. Registered with
    training.services (SESSION_TIME_CHECKS) by the app's ready(). At most four queries."""
    settings = EvaluationSettings.objects.filter(course_id=session.course_id).first()
    if settings is None or not settings.enabled:
        return None  # nobody has answered (the settings row is written with the first answer)
    course, now = session.course, timezone.now()
    moved = Session(pk=session.pk, kind=session.kind, starts_at=starts_at, ends_at=ends_at)
    targets = [(None, None)]
    if rules.form_kind_for_session(session.kind):
        targets.insert(0, (session, moved))
    others = [s for s in course.sessions.all() if s.pk != session.pk]
    for old, new in targets:
        before = window_of(settings, course, old, [*others, session])
        after = window_of(settings, course, new, [*others, moved])
        if rules.reopens(now, before, after) and Responded.objects.filter(form__course=course, session=old).exists():
            which = "这个课次" if old else "培训班总体评价"
            return DomainError(
                "evaluation_closed",
                f"{which}的评教已经截止并有人评价，这样改时间会重新开放评价，不能修改；如确需更正，请联系系统管理员。",
                "ends_at",
            )
    return None


def evaluated_sessions(sessions) -> list[Session]:
    """The sessions that are evaluated on their own (lectures, field teaching), in time order."""
    return sorted((s for s in sessions if rules.form_kind_for_session(s.kind)), key=lambda s: (s.starts_at, s.pk))


# --- The trainee's list ---------------------------------------------------------------------------------


@dataclass
class Waiting:
    form: EvaluationForm
    session: Session | None
    opens: datetime
    closes: datetime
    state: str
    answered: bool

    @property
    def to_answer(self) -> bool:
        return self.state == rules.OPEN and not self.answered


def evaluations_for_enrollment(
    enrollment: Enrollment, *, settings: EvaluationSettings, forms: dict, now: datetime
) -> list[Waiting]:
    """What the trainee may evaluate: each lecture or field session they attended whose evaluation
    has opened, and the course form once it opens (for a trainee who attended anything); open and
    unanswered first. Three queries (sessions, check-ins, the trainee's Responded rows)."""
    if not settings.enabled or enrollment.status != Enrollment.Status.ENROLLED:
        return []
    course = enrollment.course
    sessions = list(course.sessions.order_by("starts_at", "pk"))
    attended = set(
        AttendanceRecord.objects.filter(enrollment=enrollment, checked_in_at__isnull=False).values_list(
            "session_id", flat=True
        )
    )
    done = set(Responded.objects.filter(enrollment=enrollment).values_list("form_id", "session_id"))
    found = []
    for session in evaluated_sessions(sessions):
        if session.pk not in attended:
            continue
        form = forms[rules.form_kind_for_session(session.kind)]
        opens, closes = window_of(settings, course, session)
        if now >= opens:
            state = rules.window_state(now, opens, closes)
            found.append(Waiting(form, session, opens, closes, state, (form.pk, session.pk) in done))
    form = forms[EvaluationForm.Kind.COURSE]
    opens, closes = window_of(settings, course, None, sessions)
    if attended and now >= opens:
        found.append(
            Waiting(form, None, opens, closes, rules.window_state(now, opens, closes), (form.pk, None) in done)
        )
    found.sort(
        key=lambda w: (not w.to_answer, w.session is None, -(w.session.starts_at.timestamp() if w.session else 0))
    )
    return found


def answer_problem(*, enrollment: Enrollment, form: EvaluationForm, session: Session | None, settings, now):
    """Why this enrollment may not answer this form (for this session) now, or None. Does not look
    at whether it answered already: the unique constraint decides that, at insert time."""
    course = form.course
    if not settings.enabled:
        return DomainError("disabled", "本培训班没有开展评教。")
    if enrollment.course_id != course.pk or (session is not None and session.course_id != course.pk):
        return DomainError("not_here", "这张评价表不属于您的培训班。")
    if enrollment.status != Enrollment.Status.ENROLLED:
        return DomainError("withdrawn", "您已退训，不能参加评教。")
    if session is None:
        if form.kind != EvaluationForm.Kind.COURSE:
            return DomainError("no_form", "没有这张评价表。")
    elif rules.form_kind_for_session(session.kind) != form.kind:
        return DomainError("no_form", "这个课次不需要评价。")
    problem = rules.window_problem(now, *window_of(settings, course, session))
    if problem:
        return problem
    attended = AttendanceRecord.objects.filter(enrollment=enrollment, checked_in_at__isnull=False)
    if session is not None and not attended.filter(session=session).exists():
        return DomainError("not_attended", "您没有参加这个课次（没有签到记录），不能评价。")
    if session is None and not attended.exists():
        return DomainError("not_attended", "您没有参加本班的任何课次，不能评价。")
    return None


def has_answered(enrollment: Enrollment, form: EvaluationForm, session: Session | None) -> bool:
    """Whether the enrollment answered the form (for the session). One query; none for a form not
    saved yet (nobody has answered it)."""
    return bool(form.pk) and Responded.objects.filter(form=form, session=session, enrollment=enrollment).exists()


# --- Results for staff ---------------------------------------------------------------------------------


@dataclass
class Stats:
    """The answers of one form (for one session): how many, the per-item means and the comments
    (question key → [(text, how many wrote it)], most written first, then by text: their order
    says nothing about who wrote them or when), and per item how many gave each score."""

    count: int = 0
    means: dict = field(default_factory=dict)
    comments: dict = field(default_factory=dict)
    distribution: dict = field(default_factory=dict)  # item key → [count of 1, …, count of scale]


class _AnswersOfGroup(Aggregate):
    """The answers of a group as one JSON array of [scores, comments]: one value to decode per
    (form, session) instead of two per answer, which took most of the page's time at 30 sessions ×
    500 answers."""

    function = "JSON_AGG"  # json, not jsonb: no binary form built only to be printed; as text for JSONField
    template = "%(function)s(JSON_BUILD_ARRAY(%(expressions)s))::text"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="JSON_GROUP_ARRAY",
            template="%(function)s(JSON_ARRAY(JSON(%(expressions)s)))",
            arg_joiner="), JSON(",
            **extra_context,
        )


def answer_stats(course: Course, forms: dict) -> dict[tuple[int, int | None], Stats]:
    """(form id, session id or None) → Stats for every answered form of the course. One query."""
    by_group = defaultdict(list)
    for form_id, session_id, answers in (
        Answer.objects.filter(form__course=course)
        .values("form_id", "session_id")
        .annotate(answers=_AnswersOfGroup("scores", "comments"))
        .values_list("form_id", "session_id", "answers")
    ):
        by_group[(form_id, session_id)] = answers  # [[scores, comments], …]
    forms_by_id = {form.pk: form for form in forms.values()}
    stats = {}
    for key, answers in by_group.items():
        form = forms_by_id[key[0]]
        comments = {}
        for question in form.questions:
            counted = Counter(said[question["key"]] for _, said in answers if said.get(question["key"]))
            comments[question["key"]] = sorted(counted.items(), key=lambda pair: (-pair[1], pair[0]))
        distribution = rules.distribution(form.items, [given for given, _ in answers], form.scale)
        stats[key] = Stats(len(answers), rules.means_of(distribution), comments, distribution)
    return stats


@dataclass
class Result:
    form: EvaluationForm
    session: Session | None
    state: str
    closes: datetime
    attended: int
    answered: int
    shown: bool
    means: list  # (label, mean) per item, when shown
    overall: float | None
    comments: list  # (label, [texts]) per question, when shown
    distributions: list = field(default_factory=list)  # (label, [count of 1, …]) per item, when shown

    @property
    def rate(self) -> float | None:
        return self.answered / self.attended if self.attended else None

    @property
    def charts(self) -> list[Chart]:
        """A bar chart per item (evaluation.charts: `chart.html` draws it), when shown."""
        if not self.shown:
            return []
        means = dict(self.means)
        return item_charts([(label, counts, means.get(label)) for label, counts in self.distributions])


def results_for_course(course: Course, *, settings: EvaluationSettings, forms: dict, now: datetime) -> list[Result]:
    """Per evaluated session, then the course form: attended, answered, response rate; per-item
    means and comments only once its evaluation has closed and from `settings.comment_threshold`
    answers up (rules.shown). Five queries (sessions,
    check-ins per session, trainees who attended anything, Responded counts, answers)."""
    sessions = list(course.sessions.order_by("starts_at", "pk"))
    per_session, anyone = attended_counts(course)
    responded = answered_counts(course)  # as `attended` counts them: the rate never passes 100 %
    stats = answer_stats(course, forms)
    results = []
    targets = [(forms[rules.form_kind_for_session(s.kind)], s) for s in evaluated_sessions(sessions)]
    targets.append((forms[EvaluationForm.Kind.COURSE], None))
    for form, session in targets:
        key = (form.pk, session.pk if session else None)
        found = stats.get(key, Stats())
        opens, closes = window_of(settings, course, session, sessions)
        state = rules.window_state(now, opens, closes)
        visible = rules.shown(found.count, settings.comment_threshold, state)
        results.append(
            Result(
                form=form,
                session=session,
                state=state,
                closes=closes,
                attended=per_session.get(session.pk, 0) if session else anyone,
                answered=responded[key],
                shown=visible,
                means=[(item["label"], found.means.get(item["key"])) for item in form.items] if visible else [],
                overall=rules.overall_mean(found.means) if visible else None,
                comments=[(q["label"], found.comments.get(q["key"], [])) for q in form.questions] if visible else [],
                distributions=_distributions(form, found) if visible else [],
            )
        )
    return results


def _distributions(form: EvaluationForm, found: Stats) -> list:
    return [(item["label"], found.distribution.get(item["key"], [0] * form.scale)) for item in form.items]


# --- A lecturer's sessions across courses ------------------------------------------------------------


@dataclass
class LecturerSession:
    session: Session  # with its course
    form: EvaluationForm | None  # None until the course's forms are made (nobody has answered)
    answered: int
    state: str  # of its evaluation window: means wait for the close
    shown: bool
    means: list  # (label, mean) per item, when shown
    overall: float | None


def lecturer_results(sessions: list[Session], *, now: datetime) -> tuple[list[LecturerSession], float | None]:
    """Per evaluated session among `sessions` (each with its course loaded; those of a lecturer,
    as the lecturer's page lists them): how many answered, and the overall and per-item means
    once closed and from its course's threshold up, as on the course's results page; then the mean of the shown
    sessions' overall means. Three queries (the courses' settings, their forms, the answers),
    whatever the number of sessions or courses."""
    evaluated = [s for s in sessions if rules.form_kind_for_session(s.kind)]
    courses = {s.course_id for s in evaluated}
    settings = {row.course_id: row for row in EvaluationSettings.objects.filter(course_id__in=courses)}
    forms = {(f.course_id, f.kind): f for f in EvaluationForm.objects.filter(course_id__in=courses)}
    given = defaultdict(list)
    for form_id, session_id, scores in Answer.objects.filter(session__in=[s.pk for s in evaluated]).values_list(
        "form_id", "session_id", "scores"
    ):
        given[(form_id, session_id)].append(scores)
    rows = []
    for session in evaluated:
        form = forms.get((session.course_id, rules.form_kind_for_session(session.kind)))
        answers = given[(form.pk, session.pk)] if form else []
        course_settings = settings.get(session.course_id) or EvaluationSettings(course=session.course)
        state = rules.window_state(now, *window_of(course_settings, session.course, session))
        visible = rules.shown(len(answers), course_settings.comment_threshold, state)
        means = rules.item_means(form.items, answers) if form and visible else {}
        rows.append(
            LecturerSession(
                session=session,
                form=form,
                answered=len(answers),
                state=state,
                shown=visible,
                means=[(item["label"], means.get(item["key"])) for item in form.items] if means else [],
                overall=rules.overall_mean(means) if visible else None,
            )
        )
    overalls = [row.overall for row in rows if row.overall is not None]
    return rows, (round(sum(overalls) / len(overalls), 2) if overalls else None)


# --- Live: the classroom screen, the course overview and reminders ------------------------------------


def _present():
    """Check-ins of trainees still on the roster: who may answer, and whose answers count."""
    return AttendanceRecord.objects.filter(checked_in_at__isnull=False, enrollment__status=Enrollment.Status.ENROLLED)


def attended_counts(course: Course) -> tuple[dict[int, int], int]:
    """(session id → trainees on the roster checked in to it, trainees checked in to any session):
    who may answer each session's form and the course form. Two queries."""
    present = _present().filter(session__course=course)
    per_session = dict(present.values("session_id").annotate(n=Count("enrollment_id")).values_list("session_id", "n"))
    return per_session, present.values("enrollment_id").distinct().count()


def _counted_for_sessions(responded):
    """The Responded rows of sessions that count: of a trainee still on the roster who is checked
    in to that session, so that answered never exceeds attended — a trainee who answered and then
    withdrew (or whose check-in was voided) drops out of both. A join (a check-in per session and
    enrollment at most), which PostgreSQL runs as a hash join: 30 ms at 30 sessions × 500
    trainees, where a correlated EXISTS took 400 ms."""
    return responded.filter(
        session__isnull=False,
        enrollment__status=Enrollment.Status.ENROLLED,
        enrollment__attendance__session=F("session"),
        enrollment__attendance__checked_in_at__isnull=False,
    )


def answered_counts(course: Course) -> Counter:
    """(form id, session id or None) → how many answered, as `attended` counts them (still on the
    roster, checked in: to the session, or for the course form to any session of the course).
    One query: the two kinds of row counted apart and joined by UNION ALL."""
    responded = Responded.objects.filter(form__course=course)
    by_session = _counted_for_sessions(responded).values("form_id", "session_id").annotate(n=Count("id"))
    by_course = (
        responded.filter(
            session__isnull=True,
            enrollment__status=Enrollment.Status.ENROLLED,
            enrollment__attendance__session__course=course,
            enrollment__attendance__checked_in_at__isnull=False,
        )
        .values("form_id", "session_id")
        .annotate(n=Count("id", distinct=True))  # one row per check-in joined: each trainee once
    )
    rows = by_session.order_by().union(by_course.order_by(), all=True)
    return Counter({(row["form_id"], row["session_id"]): row["n"] for row in rows})


def response_rate(session: Session, form: EvaluationForm) -> tuple[int, int]:
    """(answered, attended) for one session, for the classroom screen's live rate: attended counts
    the trainees on the roster who checked in; answered those of them who answered. Two queries."""
    attended = _present().filter(session=session).count()
    if form.pk is None:  # the form is still the template's default: nobody has answered
        return 0, attended
    return _counted_for_sessions(Responded.objects.filter(form=form, session=session)).count(), attended


@dataclass
class Live:
    """An evaluation open now: one evaluated session, or the course form (session None)."""

    form: EvaluationForm
    session: Session | None
    closes: datetime
    answered: int
    attended: int

    @property
    def percent(self) -> int | None:
        return round(self.answered * 100 / self.attended) if self.attended else None


def open_evaluations(course: Course, *, now: datetime) -> list[Live]:
    """The course's evaluations open at `now` (sessions in time order, then the course form), each
    with answered / attended counted as `response_rate` does. Three queries when none is open
    (settings, forms, sessions), six otherwise (check-ins per session, trainees who attended
    anything, Responded counts), whatever the size of the course."""
    settings, forms = forms_of(course)
    if not settings.enabled:
        return []
    sessions = list(course.sessions.order_by("starts_at", "pk"))
    targets = [(forms[rules.form_kind_for_session(s.kind)], s) for s in evaluated_sessions(sessions)]
    targets.append((forms[EvaluationForm.Kind.COURSE], None))
    open_now = []
    for form, session in targets:
        opens, closes = window_of(settings, course, session, sessions)
        if rules.window_state(now, opens, closes) == rules.OPEN:
            open_now.append((form, session, closes))
    if not open_now:
        return []
    per_session, anyone = attended_counts(course)
    answered = answered_counts(course)
    return [
        Live(
            form=form,
            session=session,
            closes=closes,
            answered=answered[(form.pk, session.pk if session else None)],
            attended=per_session.get(session.pk, 0) if session else anyone,
        )
        for form, session, closes in open_now
    ]


def not_responded(session: Session, form: EvaluationForm):
    """The enrollments still on the roster that checked in to the session and have not answered
    (for reminders), with their trainees."""
    enrollments = Enrollment.objects.filter(
        status=Enrollment.Status.ENROLLED,
        attendance__session=session,
        attendance__checked_in_at__isnull=False,
    ).select_related("trainee")
    if form.pk is None:
        return enrollments
    return enrollments.exclude(pk__in=Responded.objects.filter(form=form, session=session).values("enrollment_id"))


def not_responded_course(course: Course, form: EvaluationForm):
    """The course form's counterpart: enrollments still on the roster that checked in to any
    session of the course and have not answered the course form."""
    enrollments = Enrollment.objects.filter(
        course=course,
        status=Enrollment.Status.ENROLLED,
        pk__in=_present().filter(session__course=course).values("enrollment_id"),
    ).select_related("trainee")
    if form.pk is None:
        return enrollments
    answered = Responded.objects.filter(form=form, session__isnull=True).values("enrollment_id")
    return enrollments.exclude(pk__in=answered)
