"""Answering: only who attended, only while open, one answer each (also under concurrency), the
course form on the last day, and the organizer's edits until the first answer."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection

from attendance.tests.helpers import race
from conftest import require_service
from core.errors import DomainError
from evaluation import services
from evaluation.models import Answer, EvaluationForm, EvaluationSettings, Responded
from training import services as training_services
from training.models import Enrollment
from training.tests.factories import SessionFactory, at

from .helpers import answer, attended_session, scores_of

pytestmark = pytest.mark.django_db


def test_forms_are_made_once_from_the_templates(course):
    settings, forms = services.forms_ensure(course)
    again, same = services.forms_ensure(course)
    assert again == settings and same == forms
    assert sorted(forms) == ["course", "field", "lecture"]
    assert EvaluationForm.objects.filter(course=course).count() == 3
    assert EvaluationSettings.objects.get(course=course).close_hours == 24


def test_a_trainee_who_attended_answers_once(course, enrollment):
    session = attended_session(course, [enrollment])
    form = answer(enrollment, session, comment="结合实际，很有收获")
    assert Responded.objects.filter(form=form, session=session, enrollment=enrollment).count() == 1
    stored = Answer.objects.get()
    assert stored.scores == scores_of(form, 4) and stored.comments == {"comment": "结合实际，很有收获"}
    with pytest.raises(DomainError) as error:
        answer(enrollment, session, value=1)
    assert error.value.code == "already_answered"
    assert Answer.objects.count() == 1 and Responded.objects.count() == 1


def test_a_trainee_who_did_not_attend_cannot_evaluate(course, enrollment, other_enrollment):
    session = attended_session(course, [enrollment])
    with pytest.raises(DomainError) as error:
        answer(other_enrollment, session)
    assert error.value.code == "not_attended"
    assert not Responded.objects.exists() and not Answer.objects.exists()


def test_nobody_evaluates_before_the_last_minutes_or_after_the_close(course, enrollment):
    session = attended_session(course, [enrollment])
    for moment, code in (
        (session.ends_at - timedelta(minutes=11), "not_open"),
        (session.ends_at + timedelta(hours=24), "closed"),
        (session.ends_at + timedelta(days=30), "closed"),
    ):
        with pytest.raises(DomainError) as error:
            answer(enrollment, session, at=moment)
        assert error.value.code == code
    answer(enrollment, session, at=session.ends_at - timedelta(minutes=10))  # the screen's evaluation QR
    assert Answer.objects.count() == 1


def test_the_close_follows_the_course_setting(course, enrollment):
    session = attended_session(course, [enrollment])
    settings, _ = services.forms_ensure(course)
    services.settings_update(settings=settings, close_hours=2)
    with pytest.raises(DomainError) as error:
        answer(enrollment, session, at=session.ends_at + timedelta(hours=2))
    assert error.value.code == "closed"
    services.settings_update(settings=settings, enabled=False)
    with pytest.raises(DomainError) as error:
        answer(enrollment, session, at=session.ends_at)
    assert error.value.code == "disabled"


def test_settings_that_would_reveal_one_answer_are_refused_once_answered(course, enrollment):
    session = attended_session(course, [enrollment])
    settings, _ = services.forms_ensure(course)
    services.settings_update(settings=settings, comment_threshold=3)  # nobody has answered yet
    answer(enrollment, session)
    with pytest.raises(DomainError) as error:
        services.settings_update(settings=settings, comment_threshold=2)
    assert (error.value.code, error.value.field) == ("threshold_lowered", "comment_threshold")
    open_still = session.ends_at + timedelta(hours=1)
    services.settings_update(settings=settings, close_hours=30, at=open_still)  # still open: may be extended
    closed = session.ends_at + timedelta(hours=31)
    with pytest.raises(DomainError) as error:
        services.settings_update(settings=settings, close_hours=48, at=closed)
    assert (error.value.code, error.value.field) == ("close_extended", "close_hours")
    services.settings_update(settings=settings, comment_threshold=6, close_hours=12, at=closed)
    assert EvaluationSettings.objects.filter(pk=settings.pk, comment_threshold=6, close_hours=12).exists()


def test_moving_a_session_may_not_reopen_an_evaluation_that_closed_with_answers(course, enrollment):
    """The session's own evaluation and the course form's (which closes with the last session)."""
    session = attended_session(course, [enrollment])  # 08:30–10:00 on the first day; closes 24 h later
    untouched = attended_session(course, [enrollment], starts_at=at(course.start_date, "14:00"))
    answer(enrollment, session)
    day_after = session.ends_at + timedelta(hours=30)  # both closed by now
    with time_machine.travel(day_after, tick=False):
        with pytest.raises(DomainError) as error:
            training_services.session_update(session=session, ends_at=session.ends_at + timedelta(hours=8))
        assert (error.value.code, error.value.field) == ("evaluation_closed", "ends_at")
        assert "这个课次的评教已经截止" in error.value.message
        # Earlier is fine (it stays closed), and so is any move of a session nobody evaluated.
        training_services.session_update(session=session, ends_at=session.ends_at - timedelta(minutes=20))
        training_services.session_update(session=untouched, ends_at=untouched.ends_at + timedelta(hours=10))

    last_day = course.end_date
    answer(enrollment, None, at=at(last_day, "12:00"))  # the course form: open on the last day, now answered
    with time_machine.travel(at(last_day + timedelta(days=1), "06:00"), tick=False):  # closed at midnight
        with pytest.raises(DomainError) as error:  # moved to the last day, it would end later: reopened
            training_services.session_update(
                session=untouched, starts_at=at(last_day, "14:00"), ends_at=at(last_day, "17:00")
            )
    assert "培训班总体评价的评教已经截止" in error.value.message


def test_withdrawn_trainees_and_unevaluated_kinds_are_refused(course, enrollment):
    opening = attended_session(course, [enrollment], kind="opening")
    _, forms = services.forms_ensure(course)
    with pytest.raises(DomainError) as error:
        services.answer_submit(
            enrollment=enrollment,
            form=forms["lecture"],
            session=opening,
            scores=scores_of(forms["lecture"], 3),
            comments={},
            at=opening.ends_at,
        )
    assert error.value.code == "no_form"
    lecture = attended_session(course, [enrollment], starts_at=at(course.start_date, "14:30"))
    Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.WITHDRAWN)
    enrollment.refresh_from_db()
    with pytest.raises(DomainError) as error:
        answer(enrollment, lecture)
    assert error.value.code == "withdrawn"


def test_the_course_form_opens_on_the_last_day_once_for_each_trainee(course, enrollment, other_enrollment):
    attended_session(course, [enrollment])
    SessionFactory(course=course, kind="closing", starts_at=at(course.end_date, "16:00"))
    last_day = at(course.end_date, "00:00")
    with pytest.raises(DomainError) as error:
        answer(enrollment, None, at=last_day - timedelta(minutes=1))
    assert error.value.code == "not_open"
    answer(enrollment, None, at=last_day + timedelta(hours=9), comment="工会法解读")
    with pytest.raises(DomainError) as error:
        answer(enrollment, None, at=last_day + timedelta(hours=10))
    assert error.value.code == "already_answered"
    with pytest.raises(DomainError) as error:  # attended nothing
        answer(other_enrollment, None, at=last_day + timedelta(hours=10))
    assert error.value.code == "not_attended"
    assert Responded.objects.filter(session=None).count() == 1


def test_an_invalid_answer_writes_nothing(course, enrollment):
    session = attended_session(course, [enrollment])
    _, forms = services.forms_ensure(course)
    with pytest.raises(DomainError) as error:
        services.answer_submit(
            enrollment=enrollment,
            form=forms["lecture"],
            session=session,
            scores={**scores_of(forms["lecture"], 3), "theory": 9},
            comments={},
            at=session.ends_at,
        )
    assert error.value.code == "out_of_range"
    assert not Responded.objects.exists() and not Answer.objects.exists()


def test_the_organizer_edits_a_form_until_its_first_answer(course, enrollment):
    session = attended_session(course, [enrollment])
    _, forms = services.forms_ensure(course)
    form = services.form_update(
        form=forms["lecture"],
        title="专题讲座评价",
        scale=10,
        items_text="针对性\n实用性\n语言表达",
        questions_text="最受启发的一点\n意见和建议",
    )
    assert form.scale == 10 and [i["key"] for i in form.items] == ["targeted", "item1", "language"]
    assert [q["key"] for q in form.questions] == ["q1", "comment"]
    answer(enrollment, session, value=9)
    with pytest.raises(DomainError) as error:
        services.form_update(form=form, title="x", scale=5, items_text="针对性", questions_text="")
    assert error.value.code == "has_answers"
    form.refresh_from_db()
    assert form.scale == 10 and len(form.items) == 3


# --- Races ------------------------------------------------------------------------------------------------


def _submit_many(course, enrollment, calls, threads):
    session = attended_session(course, [enrollment])
    _, forms = services.forms_ensure(course)
    form = forms["lecture"]

    def submit():
        services.answer_submit(
            enrollment=enrollment,
            form=form,
            session=session,
            scores=scores_of(form, 5),
            comments={},
            at=session.ends_at,
        )
        return "ok"

    results = race(calls, threads, submit)
    refused = [r for r in results if isinstance(r, DomainError)]
    assert results.count("ok") == 1
    assert len(refused) == calls - 1 and {r.code for r in refused} == {"already_answered"}
    assert Responded.objects.count() == 1 and Answer.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_by_one_trainee_leave_one_answer_on_sqlite(course, enrollment):
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL run is the test below")
    _submit_many(course, enrollment, calls=20, threads=20)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_submissions_by_one_trainee_leave_one_answer_on_postgresql(course, enrollment):
    require_service("DATABASE_URL")
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")
    _submit_many(course, enrollment, calls=50, threads=50)
