"""Every write of the training domain. Views, tasks, admin actions and management commands call
these functions; each runs in a transaction and either completes or changes nothing.

Rule violations raise `DomainError` with a machine `code` (tests assert it) and a Chinese
`message` (people read it), and the form `field` it belongs to when there is one.
"""

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core import audit
from core.errors import DomainError, validate_instance

from . import lecturers as lecturer_services
from . import roster, rules
from .archive import ensure_open
from .models import Course, Enrollment, LoginLock, Organization, Session, Trainee

User = get_user_model()


def _raise_first(problems: dict[str, str], code: str) -> None:
    if problems:
        field_name, message = next(iter(problems.items()))
        raise DomainError(code, message, field_name)


# --- Courses ---------------------------------------------------------------------------------------


COURSE_FIELDS = (
    "name",
    "venue",
    "start_date",
    "end_date",
    "description",
    "status",
    "checkin_opens_minutes",
    "grace_minutes",
    "leave_advisor_max_hours",
    "allowed_networks",
    "reminder_minutes",
    "min_attendance_percent",
    "max_absences",
    "max_leave_percent",
    "max_discipline_points",
    "certificate_date",
    "bulletin_number_prefix",
    "webhook_url",
)


@transaction.atomic
def course_create(*, organization: Organization, code: str, advisors=(), **fields) -> Course:
    """Creates a course of `organization`. The code is stored in upper case and must be unused."""
    code = code.strip().upper()
    if Course.objects.filter(code=code).exists():
        raise DomainError("code_taken", f"编号 {code} 已被其他培训班使用", "code")
    dates = rules.course_date_problems(fields["start_date"], fields["end_date"], fields.get("certificate_date"))
    _raise_first(dates, "dates")
    course = Course(organization=organization, code=code, **fields)
    validate_instance(course)
    course.save()
    course.advisors.set(advisors)
    return course


@transaction.atomic
def course_update(*, course: Course, advisors=None, **fields) -> Course:
    """Changes a course. New dates must still hold every session of its timetable."""
    start, end = fields.get("start_date", course.start_date), fields.get("end_date", course.end_date)
    dated = fields.get("certificate_date", course.certificate_date)
    _raise_first(rules.course_date_problems(start, end, dated), "dates")
    outside = [
        s for s in course.sessions.all() if not start <= s.local_date <= end or not start <= _local(s.ends_at) <= end
    ]
    if outside:
        raise DomainError(
            "sessions_outside",
            f"有 {len(outside)} 个课次（如“{outside[0].title}”）不在新的日期范围内，请先调整课表",
            "start_date",
        )
    for name, value in fields.items():
        setattr(course, name, value)
    validate_instance(course, exclude=["code", "organization"])
    course.save(update_fields=[*fields, "updated_at"])
    if advisors is not None:
        course.advisors.set(advisors)
    return course


# --- Timetable -------------------------------------------------------------------------------------


def _local(moment: datetime):
    return timezone.localdate(moment)


def _check_session(course: Course, *, starts_at, ends_at, credit_hours) -> None:
    problems = rules.session_problems(
        course_start=course.start_date,
        course_end=course.end_date,
        starts_at=starts_at,
        ends_at=ends_at,
        credit_hours=Decimal(credit_hours),
        local_date=_local,
    )
    _raise_first(problems, "session_time")


def _given_by(session: Session, lecturers, new_lecturer: dict | None) -> None:
    if lecturers is None and not new_lecturer:
        return
    chosen = list(session.lecturers.order_by("session_lecturers__position") if lecturers is None else lecturers)
    if new_lecturer:
        chosen.append(lecturer_services.lecturer_for_session(organization=session.course.organization, **new_lecturer))
    lecturer_services.session_lecturers_set(session=session, lecturers=chosen)


@transaction.atomic
def session_create(*, course: Course, lecturers=(), new_lecturer: dict | None = None, **fields) -> Session:
    """Adds a slot to the timetable; it must end after it starts and lie within the course dates.
    `lecturers` come from the organization's 师资库; `new_lecturer` (name, title, unit) is added
    to it (or found there) and given the session too."""
    ensure_open(course)
    _check_session(course, **{k: fields[k] for k in ("starts_at", "ends_at", "credit_hours")})
    session = Session.objects.create(course=course, **fields)
    _given_by(session, list(lecturers), new_lecturer)
    return session


# Checks a higher app registers at start-up (its AppConfig.ready) to refuse moving a slot: each is
# called as check(session, starts_at=, ends_at=) and returns a DomainError or None. The evaluation
# app's keeps a closed 评教 from reopening. This module needs none of those apps.
SESSION_TIME_CHECKS: list = []


def register_session_time_check(check) -> None:
    if check not in SESSION_TIME_CHECKS:
        SESSION_TIME_CHECKS.append(check)


@transaction.atomic
def session_update(*, session: Session, lecturers=None, new_lecturer: dict | None = None, **fields) -> Session:
    """Changes a slot under the same rules as `session_create`, and those the higher apps
    registered (SESSION_TIME_CHECKS) when its times change; `lecturers` None leaves them."""
    ensure_open(session.course)
    values = {k: fields.get(k, getattr(session, k)) for k in ("starts_at", "ends_at", "credit_hours")}
    _check_session(session.course, **values)
    if (values["starts_at"], values["ends_at"]) != (session.starts_at, session.ends_at):
        for check in SESSION_TIME_CHECKS:
            if problem := check(session, starts_at=values["starts_at"], ends_at=values["ends_at"]):
                raise problem
    for name, value in fields.items():
        setattr(session, name, value)
    session.save(update_fields=list(fields))
    _given_by(session, lecturers, new_lecturer)
    return session


@transaction.atomic
def session_delete(*, session: Session) -> None:
    """Removes a slot that has no history. Once anyone checked in, asked leave or was recorded for
    discipline in it, it stays: attendance is append-only."""
    ensure_open(session.course)
    history = session.attendance.exists() or session.leave_requests.exists() or session.discipline_records.exists()
    if history:
        raise DomainError("has_history", f"课次“{session.title}”已有签到、请假或纪律记录，不能删除；可以修改它。")
    session.delete()


# --- Trainees and the roster ---------------------------------------------------------------------


def new_access_code(phone: str, taken: set[tuple[str, str]] | None = None) -> str:
    """A personal login code: 6 random digits (with the per-account lockout, guessing one takes
    hundreds of thousands of locked-out attempts), not held by another record with this phone in
    any organization, so that phone and code name one record. `taken` holds (phone, code) pairs
    known to be in use (and gains the new one); without it the database is asked."""
    if taken is None:
        taken = set(Trainee.objects.filter(phone=phone).values_list("phone", "access_code"))
    while True:
        code = f"{secrets.randbelow(10**6):06d}"
        if (phone, code) not in taken:
            taken.add((phone, code))
            return code


@dataclass
class RosterImportResult:
    parse: roster.RosterParse
    problems: list[roster.Problem]
    lines: list[roster.ImportLine] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(roster.ImportLine.ACTION_LABELS, 0)
        for line in self.lines:
            counts[line.action] += 1
        return counts

    @property
    def summary(self) -> str:
        c = self.counts
        return (
            f"新增学员 {c['create']} 人，已有学员加入本班 {c['enroll']} 人，"
            f"信息更新 {c['update']} 人，无变化 {c['unchanged']} 人"
        )


def roster_import(*, course: Course, content: bytes, filename: str, commit: bool = True, by=None) -> RosterImportResult:
    """Reads a roster file and enrolls its trainees, all or nothing (see `enrollment_import`).
    Raises `roster.RosterFileError` when the file cannot be read as a roster at all."""
    parse = roster.parse_roster(content, filename)
    return enrollment_import(course=course, parse=parse, commit=commit, by=by, source=filename)


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def enrollment_import(
    *, course: Course, parse: roster.RosterParse, commit: bool = True, by=None, source: str = ""
) -> RosterImportResult:
    """Creates or updates the trainees of a parsed roster and enrolls them in `course`.

    Validates everything first; when any row has a problem (in the file, or against the database:
    a phone registered under another name, an ID number or student number held by someone else)
    nothing is written. Idempotent: importing the same people again updates changed fields only
    and adds no duplicates. Trainees not in the file are left alone. Locks the course row, so two
    imports of one course run one after the other. With `commit=False` it only reports. What to
    write is decided by `roster.plan_import`; this loads what it compares and writes the plan."""
    ensure_open(course)
    with transaction.atomic():
        if commit:
            course = Course.objects.select_for_update().get(pk=course.pk)
        result = RosterImportResult(parse=parse, problems=list(parse.problems))
        if result.problems:
            return result
        entries = parse.entries
        # Only the course's organization's own trainees: another organization's records of the
        # same people are neither reused nor revealed (not even that they exist).
        own = Trainee.objects.filter(organization_id=course.organization_id)
        by_phone = {}
        for phones in _chunks([e.phone for e in entries]):
            by_phone.update({t.phone: t for t in own.filter(phone__in=phones)})
        id_owner = {}
        for ids in _chunks([e.id_number for e in entries if e.id_number]):
            id_owner.update(own.filter(id_number__in=ids).values_list("id_number", "phone"))
        enrollments = {e.pk: e for e in course.enrollments.select_related("trainee")}

        plan = roster.plan_import(
            entries,
            registered=[
                roster.Registered(pk=t.pk, phone=t.phone, **{name: getattr(t, name) for name in roster.TRAINEE_FIELDS})
                for t in by_phone.values()
            ],
            id_owner=id_owner,
            enrolled=[
                roster.Enrolled(
                    pk=e.pk, trainee_pk=e.trainee_id, phone=e.trainee.phone, student_no=e.student_no, group=e.group
                )
                for e in enrollments.values()
            ],
        )
        result.problems += plan.problems
        result.lines = plan.lines
        if result.problems or not commit:
            return result

        taken = set()  # (phone, code) in use anywhere, for the new records' codes
        for phones in _chunks(list(plan.new_trainees)):
            taken.update(Trainee.objects.filter(phone__in=phones).values_list("phone", "access_code"))
        new_trainees = [
            Trainee(
                organization_id=course.organization_id, phone=phone, access_code=new_access_code(phone, taken), **values
            )
            for phone, values in plan.new_trainees.items()
        ]
        changed_trainees = [t for t in by_phone.values() if t.pk in plan.trainee_changes]
        for trainee in changed_trainees:
            for name, value in plan.trainee_changes[trainee.pk].items():
                setattr(trainee, name, value)
            trainee.updated_at = timezone.now()  # bulk_update does not apply auto_now
        trainee_fields = {name for changes in plan.trainee_changes.values() for name in changes}
        changed_enrollments = [enrollments[pk] for pk in plan.enrollment_changes]
        for enrollment in changed_enrollments:
            for name, value in plan.enrollment_changes[enrollment.pk].items():
                setattr(enrollment, name, value)
        try:
            with transaction.atomic():
                Trainee.objects.bulk_create(new_trainees, batch_size=500)
                if changed_trainees:
                    Trainee.objects.bulk_update(changed_trainees, [*trainee_fields, "updated_at"], batch_size=500)
                if changed_enrollments:
                    Enrollment.objects.bulk_update(changed_enrollments, ["group", "student_no"], batch_size=500)
                by_phone.update((t.phone, t) for t in new_trainees)
                Enrollment.objects.bulk_create(
                    [
                        Enrollment(
                            course=course, trainee=by_phone[new.phone], student_no=new.student_no, group=new.group
                        )
                        for new in plan.new_enrollments
                    ],
                    batch_size=500,
                )
                if source:  # a file; a single trainee added by hand is audited by enrollment_add
                    audit.record("roster.import", course=course, by=by, label=source[:200], after={**result.counts})
        except IntegrityError as exc:
            raise DomainError(
                "conflict", "导入时数据被其他操作同时修改（如另一次导入），未做任何改动，请重试。"
            ) from exc
        result.committed = True
        return result


@transaction.atomic
def enrollment_add(*, course: Course, group: str = "", student_no: str = "", by=None, **trainee_fields) -> Enrollment:
    """Enrolls one trainee typed in by an organizer, under exactly the rules of a roster row
    (a known phone number reuses the trainee; the student number is given or the next free one)."""
    ensure_open(course)
    if course.enrollments.filter(trainee__phone=trainee_fields["phone"]).exists():
        raise DomainError("already_enrolled", "这位学员已在本班花名册中", "phone")
    given = frozenset([*trainee_fields, "group", "student_no"])
    entry = roster.RosterEntry(row=0, group=group, student_no=student_no.strip(), given=given, **trainee_fields)
    result = enrollment_import(course=course, parse=roster.RosterParse(entries=[entry]))
    if not result.ok:
        problem = result.problems[0]
        raise DomainError("conflict", problem.message, problem.field or None)
    enrollment = course.enrollments.select_related("trainee").get(trainee__phone=entry.phone)
    audit.record(
        "roster.add",
        course=course,
        by=by,
        obj=enrollment,
        label=enrollment.trainee.name,
        after={"student_no": enrollment.student_no, "group": enrollment.group, **trainee_fields},
    )
    return enrollment


@transaction.atomic
def trainee_update(*, trainee: Trainee, by=None, course: Course | None = None, **fields) -> Trainee:
    """Changes a trainee's personal data. Phone and ID number stay unique among the trainees of
    the trainee's organization (other organizations' records are not looked at). A new phone
    number comes with a new login code and ends the sessions opened with the old one: the code of
    the old number must not be tried against someone else's number. Edited from an archived
    course's roster, refused."""
    if course is not None:
        ensure_open(course)
    own = Trainee.objects.filter(organization_id=trainee.organization_id).exclude(pk=trainee.pk)
    if "phone" in fields and own.filter(phone=fields["phone"]).exists():
        raise DomainError("phone_taken", "这个手机号码已登记在本单位另一位学员名下", "phone")
    if fields.get("id_number") and own.filter(id_number=fields["id_number"]).exists():
        raise DomainError("id_number_taken", "这个身份证号码已登记在本单位另一位学员名下", "id_number")
    changed = [name for name, value in fields.items() if getattr(trainee, name) != value]
    before = {name: getattr(trainee, name) for name in changed}
    for name in changed:
        setattr(trainee, name, fields[name])
    if changed:
        update = [*changed, "updated_at"]
        if "phone" in changed:
            trainee.access_code = new_access_code(trainee.phone)
            update.append("access_code")
            if trainee.user_id:
                trainee.user.set_unusable_password()  # logs out every session of the old number
                trainee.user.save(update_fields=["password"])
        trainee.save(update_fields=update)
        audit.record(
            "roster.edit",
            course=course,
            by=by,
            obj=trainee,
            label=trainee.name,
            before=before,
            after={name: fields[name] for name in changed},
        )
    return trainee


@transaction.atomic
def enrollment_update(
    *, enrollment: Enrollment, student_no: str, group: str, status: str, trainee_fields: dict | None = None, by=None
) -> Enrollment:
    """Changes a trainee's place on the roster (and, with `trainee_fields`, their personal data,
    see `trainee_update`) together or not at all; the student number stays unique in the course."""
    ensure_open(enrollment.course)
    if trainee_fields:
        trainee_update(trainee=enrollment.trainee, by=by, course=enrollment.course, **trainee_fields)
    student_no = student_no.strip()
    if (
        Enrollment.objects.filter(course_id=enrollment.course_id, student_no=student_no)
        .exclude(pk=enrollment.pk)
        .exists()
    ):
        raise DomainError("student_no_taken", f"学号 {student_no} 已属于本班另一位学员", "student_no")
    fields = {"student_no": student_no, "group": group, "status": status}
    before = {name: getattr(enrollment, name) for name, value in fields.items() if getattr(enrollment, name) != value}
    if before:
        for name, value in fields.items():
            setattr(enrollment, name, value)
        enrollment.save(update_fields=list(fields))
        audit.record(
            "roster.edit",
            course=enrollment.course,
            by=by,
            obj=enrollment,
            label=enrollment.trainee.name,
            before=before,
            after={name: fields[name] for name in before},
        )
    return enrollment


@transaction.atomic
def trainee_access_code_reset(*, trainee: Trainee, by=None, course: Course | None = None) -> Trainee:
    """Gives the trainee a new login code and ends the sessions opened with the old one. Locks
    the trainee row; reads it afresh, so an account made at a login since is not missed."""
    if course is not None:
        ensure_open(course)
    trainee = Trainee.objects.select_for_update(of=("self",)).select_related("user").get(pk=trainee.pk)
    trainee.access_code = new_access_code(trainee.phone)
    trainee.save(update_fields=["access_code", "updated_at"])
    if trainee.user_id:
        # A new unusable password changes the session hash, which logs out every open session.
        trainee.user.set_unusable_password()
        trainee.user.save(update_fields=["password"])
    audit.record("roster.access_code", course=course, by=by, obj=trainee, label=trainee.name)  # never the code
    return trainee


@transaction.atomic
def trainee_user_ensure(*, trainee: Trainee) -> User:
    """The login account behind a trainee, created at the first login (importing 5,000 trainees
    creates no accounts). Locks the trainee row so two first logins make one account."""
    trainee = Trainee.objects.select_for_update().get(pk=trainee.pk)
    if trainee.user_id is None:
        user = User(username=f"trainee-{trainee.pk}", first_name=trainee.name)
        user.set_unusable_password()
        user.save()
        trainee.user = user
        trainee.save(update_fields=["user", "updated_at"])
    return trainee.user


# --- Login lockout -------------------------------------------------------------------------------


@transaction.atomic
def login_failure_record(*, key: str, now: datetime | None = None) -> LoginLock:
    """Counts one failed login for an account; the Nth failure within the lock period locks it.
    Locks the account's row, so concurrent failures are all counted."""
    now = now or timezone.now()
    LoginLock.objects.get_or_create(key=key)
    lock = LoginLock.objects.select_for_update().get(key=key)
    lock.failures, lock.locked_until = rules.after_login_failure(
        failures=lock.failures,
        last_failure_at=lock.last_failure_at,
        locked_until=lock.locked_until,
        now=now,
        max_failures=settings.LOGIN_MAX_FAILURES,
        lock_minutes=settings.LOGIN_LOCK_MINUTES,
    )
    lock.last_failure_at = now
    lock.save()
    return lock


def login_success_record(*, key: str) -> None:
    """A successful login forgets earlier failures."""
    LoginLock.objects.filter(key=key).delete()


def login_locks_prune(*, now: datetime | None = None) -> int:
    """Deletes the rows that no longer count for anything: last failure older than the lock period
    and no lock in force (the next failure would start from zero anyway). Every guessed phone
    number leaves a row; without this they would pile up forever. Returns how many went."""
    now = now or timezone.now()
    stale = now - timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    deleted, _ = (
        LoginLock.objects.filter(Q(last_failure_at__lt=stale) | Q(last_failure_at=None))
        .filter(Q(locked_until=None) | Q(locked_until__lte=now))
        .delete()
    )
    return deleted
