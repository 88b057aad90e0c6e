from collections import Counter
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from attendance import selectors
from attendance.models import AttendanceRecord, Bulletin, DisciplineRecord, LeaveRequest
from completion import selectors as completion_selectors
from completion.models import Appraisal
from demo import loader
from training import demo, rules
from training.models import Course, Session

pytestmark = pytest.mark.django_db


def every_row():
    """Every row of every table of ours and of auth, as plain values."""
    rows = {}
    models = [
        m
        for app in ("training", "attendance", "materials", "evaluation", "assessment")
        for m in apps.get_app_config(app).get_models()
    ]
    for model in [*models, apps.get_model("auth", "User")]:
        rows[model._meta.label] = sorted(map(repr, model.objects.values_list()))
    return rows


def test_load_demo_builds_a_three_day_course_and_a_second_run_changes_nothing(capsys):
    call_command("load_demo")
    first = every_row()
    out = capsys.readouterr().out
    course = Course.objects.get(code=demo.COURSE_CODE)
    assert (course.end_date - course.start_date).days == 2
    assert course.venue == "中共青山县委党校"
    sessions = list(course.sessions.all())
    assert 12 <= len(sessions) <= 15
    kinds = {s.kind for s in sessions}
    assert {
        Session.Kind.OPENING,
        Session.Kind.LECTURE,
        Session.Kind.DISCUSSION,
        Session.Kind.SITE_VISIT,
        Session.Kind.CLOSING,
    } <= kinds
    assert {s.local_date for s in sessions} == set(course.days)
    enrollments = course.enrollments.select_related("trainee")
    assert enrollments.count() >= 40
    assert sorted({e.group for e in enrollments}, key=rules.group_sort_key) == ["第一组", "第二组", "第三组", "第四组"]
    assert course.advisors.filter(username="advisor").exists()
    for login in ("organizer", "advisor", demo.PASSWORD):
        assert login in out
    trainee = enrollments.order_by("student_no").first().trainee
    assert trainee.phone in out and trainee.access_code in out

    call_command("load_demo")
    assert "已存在，未做改动" in capsys.readouterr().out
    assert every_row() == first


def test_the_demo_has_a_first_day_of_attendance_history(capsys):
    call_command("load_demo")
    course = Course.objects.get(code=demo.COURSE_CODE)
    first_day = [s for s in course.sessions.order_by("starts_at") if s.local_date == course.start_date]
    sheet = selectors.sheet_for_course(course, now=first_day[-1].ends_at + timedelta(hours=1), sessions=first_day)
    statuses = [sheet.status(s, e) for s in first_day for e in sheet.enrollments]
    codes = Counter(status.code for status in statuses)
    assert codes["late"] >= 3 and codes["early"] >= 1 and codes["absent"] >= 1 and codes["leave"] >= 2
    assert codes["present"] > 0.9 * len(statuses)
    assert LeaveRequest.objects.filter(enrollment__course=course, status="approved", kind="sick").exists()
    assert LeaveRequest.objects.filter(enrollment__course=course, status="pending").exists()
    assert AttendanceRecord.objects.filter(session__course=course, flagged=True).count() == 2
    assert AttendanceRecord.objects.filter(session__course=course, checkin_method="manual").exists()
    assert DisciplineRecord.objects.filter(enrollment__course=course, kind="phone").exists()
    bulletin = Bulletin.objects.get(course=course)
    assert bulletin.day == course.start_date and bulletin.data["late"]
    today = [s for s in course.sessions.all() if s.local_date == course.start_date + timedelta(days=1)]
    assert not AttendanceRecord.objects.filter(session__in=today).exists()  # today is checked in live


def test_demo_people_are_valid_and_deterministic():
    people = demo.people(60)
    assert people == demo.people(60)
    assert len({p.phone for p in people}) == 60
    for person in people:
        assert rules.normalize_phone(person.phone) == person.phone
        assert rules.normalize_id_number(person.id_number) == person.id_number
        assert rules.gender_from_id_number(person.id_number) == person.gender
        assert rules.normalize_name(person.name) == person.name


def test_the_demo_course_runs_around_the_day_it_is_loaded_and_last_spring_is_finished():
    result = loader.load(today=date(2027, 5, 10))
    assert (result.course.start_date, result.course.end_date) == (date(2027, 5, 9), date(2027, 5, 11))
    spring = Course.objects.get(status=Course.Status.CLOSED)
    assert (spring.code, spring.start_date) == ("QS2026-00", date(2026, 4, 14))
    rows = completion_selectors.completion_for_course(spring, now=timezone.now())
    assert all(
        AttendanceRecord.objects.filter(session__course=spring, session=s).exists() for s in spring.sessions.all()
    )
    missed = {r.enrollment.trainee.name: r.completion.reasons for r in rows if not r.eligible}
    # two by attendance, two by the test's own pass mark (the assessment is otherwise complete)
    assert len(missed) == 4 and all(missed.values()) and len(rows) == 24
    failed_test = sorted(reason for reasons in missed.values() for reason in reasons if "低于及格线" in reason)
    assert failed_test == ["结业测试 47.5 分，低于及格线 60 分", "结业测试 52 分，低于及格线 60 分"]
    # the one who missed the test (a required session) has no score: that item waits, the rest is graded
    pending = {r.enrollment.trainee.name: r.assessment.pending for r in rows if r.assessment.pending}
    assert list(pending.values()) == [("结业测试",)] and set(pending) <= set(missed)
    issued = list(spring.certificates.all())
    assert len(issued) == 20 and all(c.pdf and c.pdf_sha256 for c in issued)
    assert not {c.name for c in issued} & set(missed)
    assert [c.seq for c in issued] == list(range(1, 21))
    assert Bulletin.objects.get(course=spring).day is None  # the whole course
    assert spring.archived  # 结班归档, with its dossier
    dossier = spring.dossier_jobs.get()
    assert dossier.status == "done" and dossier.archive and dossier.combined
    titles = [f["title"] for f in dossier.manifest["files"]]
    assert titles[0] == "培训通知" and titles[-4:] == ["结业名单", "结业证书存根", "培训班总结", "学时汇总（Excel）"]
    assert "结业鉴定表" in titles
    # the 鉴定 drafted for everyone and signed, two rewritten by the advisor; the 总结 filled in
    appraisals = Appraisal.objects.filter(enrollment__course=spring)
    assert appraisals.count() == spring.enrollments.count()
    assert appraisals.filter(drafted=False).count() == 2
    finished_at = max(s.ends_at for s in spring.sessions.all())
    eligible = {
        r.enrollment.pk for r in completion_selectors.completion_for_course(spring, now=finished_at) if r.eligible
    }
    assert (
        set(appraisals.exclude(organizer_opinion="").values_list("enrollment", flat=True)) == eligible
    )  # not the others
    assert "请补充" not in spring.summary.body and "请根据实际情况" not in spring.summary.body
    assert sum(t.startswith("签到表") for t in titles) == spring.sessions.count()


def test_the_demo_has_the_five_seed_speeches_as_eight_linked_materials():
    call_command("load_demo")
    course = Course.objects.get(code=demo.COURSE_CODE)
    materials = list(course.materials.prefetch_related("sessions"))
    assert len(materials) == 8
    assert all(m.sessions.exists() for m in materials)
    opening = course.materials.get(title="在工会干部培训班上的讲话")
    assert [s.kind for s in opening.sessions.all()] == [Session.Kind.OPENING]
    assert opening.speaker == "周国栋" and opening.reads.count() == 30
    assert {m.speaker for m in materials} >= {"杨忠林", "庄莉", "刘雪莲", "谢少先"}
    assert sum(1 for m in materials if m.release_at) == 1


def test_the_demo_has_evaluations_spring_complete_and_the_first_day_partly(capsys):
    from evaluation import selectors as evaluation_selectors
    from evaluation import services as evaluation_services

    call_command("load_demo")
    now = timezone.now()
    spring = Course.objects.get(status=Course.Status.CLOSED)
    settings, forms = evaluation_services.forms_ensure(spring)
    rows = evaluation_selectors.results_for_course(spring, settings=settings, forms=forms, now=now)
    assert len(rows) == 9  # seven lectures, the field teaching, the course form
    for row in rows:
        assert row.attended and 0.7 <= row.answered / row.attended <= 1 and row.shown
        assert 3 <= row.overall <= 5 and len({mean for _, mean in row.means}) > 1
    assert sum(r.answered for r in rows) < sum(r.attended for r in rows)  # most, not all
    assert sum(n for row in rows for _, texts in row.comments for _, n in texts) >= 40
    running = Course.objects.get(code=demo.COURSE_CODE)
    settings, forms = evaluation_services.forms_ensure(running)
    rows = evaluation_selectors.results_for_course(running, settings=settings, forms=forms, now=now)
    first_day = [r for r in rows if r.session and r.session.local_date == running.start_date]
    assert len(first_day) == 3 and all(0 < r.answered < r.attended for r in first_day)
    assert all(r.answered == 0 for r in rows if r not in first_day)


def test_the_demo_has_a_lecturer_pool_whose_fee_sheet_flags_one_rate():
    from documents.fees import lecture_fees_data

    loader.load()
    course = Course.objects.select_related("organization").get(code=demo.COURSE_CODE)
    pool = {lecturer.name: lecturer for lecturer in course.organization.lecturers.all()}
    assert {"刘文华", "孙立新", "周国栋"} <= set(pool) and pool["刘文华"].unit == "县委党校"
    linked = course.sessions.filter(lecturers__isnull=False).distinct().count()
    assert linked == course.sessions.exclude(lecturer__in=["", "各小组组长"]).count()
    data = lecture_fees_data(course)
    assert data["over_cap"] == ["孙立新"] and "周国栋" in data["no_rate"] and data["tax_computed"]
    spring = Course.objects.exclude(pk=course.pk).get(organization=course.organization)
    assert set(pool["孙立新"].sessions.values_list("course", flat=True)) == {course.pk, spring.pk}


def test_the_running_course_came_from_the_units_quotas():
    from registration import selectors as registration_selectors
    from registration.models import Nominee

    loader.load()
    course = Course.objects.get(code=demo.COURSE_CODE)
    rows, nominees = registration_selectors.progress_for_course(course)
    assert len(rows) == 8
    assert sum(not r.answered for r in rows) == 1  # one unit did not answer in time
    swapped = Nominee.objects.get(replaces__isnull=False)
    assert swapped.replaces.status == Nominee.Status.REPLACED and swapped.status == Nominee.Status.APPROVED
    approved = [n for n in nominees if n.status == Nominee.Status.APPROVED]
    roster = {e.trainee.phone: e for e in course.enrollments.select_related("trainee")}
    assert approved and all(roster[n.phone].pk == n.enrollment_id for n in approved)
    assert course.registration_settings.locked_at and course.registration_settings.deadline.date() < course.start_date


def test_the_running_course_has_everyone_arrived_two_of_them_late():
    from lodging import selectors as lodging_selectors

    loader.load()
    stats = lodging_selectors.arrival_stats(Course.objects.get(code=demo.COURSE_CODE))
    assert stats.arrived == stats.expected >= 40
    assert len(stats.late) == 2 and all(p.arrival_record.arrived_at > stats.late_after for p in stats.late)


def test_the_demo_is_assessed_spring_fully_and_the_running_course_waits_for_grades():
    from assessment.models import DiscussionRecord, Essay, Score

    loader.load()
    spring = Course.objects.get(status=Course.Status.CLOSED)
    running = Course.objects.get(code=demo.COURSE_CODE)
    assert Score.objects.filter(enrollment__course=spring, kind="test").count() == 23  # one missed the test
    essays = Essay.objects.filter(enrollment__course=spring)
    assert essays.count() == 24 and all(e.score is not None and e.comment for e in essays)
    assert DiscussionRecord.objects.filter(course=spring).count() == 3
    waiting = Essay.objects.filter(enrollment__course=running)
    assert waiting.count() == 5 and not waiting.filter(score__isnull=False).exists()
    assert running.assessment_plan.items.count() == 3
