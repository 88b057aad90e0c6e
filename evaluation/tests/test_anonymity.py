"""Anonymous by construction: no column of the stored tables links an answer to a trainee, and
nothing in how the answers are stored follows the order in which people answered."""

import json
from datetime import timedelta

import pytest
from django.db import connection, models

from conftest import require_service
from evaluation.models import Answer, Responded
from training.models import Enrollment, Trainee
from training.tests.factories import SessionFactory, at

from .helpers import answer, attended_session, trainees

pytestmark = pytest.mark.django_db


def test_an_answer_has_no_column_that_points_at_a_person_a_responded_row_or_a_time():
    fields = {f.name: f for f in Answer._meta.concrete_fields}
    assert set(fields) == {"id", "form", "session", "scores", "comments"}
    assert isinstance(fields["id"], models.UUIDField) and fields["id"].default.__name__ == "uuid4"
    assert {f.related_model.__name__ for f in Answer._meta.concrete_fields if f.is_relation} == {
        "EvaluationForm",
        "Session",
    }
    assert not any(isinstance(f, models.DateField | models.TimeField) for f in fields.values())
    assert not Answer._meta.ordering and not Answer._meta.get_latest_by


def test_a_responded_row_carries_no_score_no_text_and_no_time():
    fields = {f.name: f for f in Responded._meta.concrete_fields}
    assert set(fields) == {"id", "form", "session", "enrollment"}
    assert not any(isinstance(f, models.JSONField | models.TextField | models.DateField) for f in fields.values())
    # Nothing refers to either table from a person's side either.
    for model in (Enrollment, Trainee):
        assert not [r for r in model._meta.related_objects if r.related_model in (Answer,)]


def test_the_only_columns_both_tables_share_are_the_form_and_the_session():
    def columns(model):
        with connection.cursor() as cursor:
            return {c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)}

    # Both have an "id", but one is a random UUID and the other an integer: nothing to join on.
    assert columns(Answer) & columns(Responded) == {"id", "form_id", "session_id"}
    assert Answer._meta.pk.get_internal_type() == "UUIDField" != Responded._meta.pk.get_internal_type()
    assert columns(Answer) == {"id", "form_id", "session_id", "scores", "comments"}


def _ten_answers(course):
    people = trainees(course, 10)
    session = attended_session(course, people)
    for n, enrollment in enumerate(people):
        answer(enrollment, session, value=1 + n % 5, comment=f"第{n}位")
    return session, [f"第{n}位" for n in range(10)]


def test_answers_are_not_stored_in_the_order_people_answered(course):
    session, submitted = _ten_answers(course)
    by_id = [a.comments["comment"] for a in Answer.objects.filter(session=session).order_by("id")]
    physical = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT comments FROM {Answer._meta.db_table} ORDER BY {physical}")  # noqa: S608
        stored = [json.loads(row[0])["comment"] if isinstance(row[0], str) else row[0]["comment"] for row in cursor]
    assert sorted(by_id) == sorted(stored) == sorted(submitted)
    # Each has 1 chance in 3.6 million of matching by luck.
    assert by_id != submitted
    assert stored != submitted
    assert Responded.objects.filter(session=session).count() == 10


@pytest.mark.services
def test_on_postgresql_the_inserting_transaction_does_not_pair_an_answer_with_its_responded_row(course):
    """xmin (the transaction that wrote a row) is readable by any SELECT: every answer of the
    session carries the last submission's, so joining on it pairs no one with their answer."""
    require_service("DATABASE_URL")
    if connection.vendor != "postgresql":
        pytest.skip("xmin is PostgreSQL's")
    session, _ = _ten_answers(course)
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT xmin::text FROM evaluation_answer WHERE session_id = %s", [session.pk])
        assert len(cursor.fetchall()) == 1
        cursor.execute(
            "SELECT count(*) FROM evaluation_responded r JOIN evaluation_answer a ON a.xmin = r.xmin"
            " WHERE r.session_id = %s",
            [session.pk],
        )
        assert cursor.fetchone()[0] in (0, 10)  # one responder against all ten answers, not one to one


def test_a_submission_rewrites_the_answers_of_its_own_form_and_session_only(course):
    """The rewrite (one SQL statement on PostgreSQL) keeps every answer of the group, adds the new
    one and leaves the other sessions' and the course form's answers as they were."""
    people = trainees(course, 4)
    session = attended_session(course, people)
    other = attended_session(course, people[:2], starts_at=session.starts_at + timedelta(hours=2))
    for n, enrollment in enumerate(people[:3]):
        answer(enrollment, session, value=1 + n, comment=f"课次{n}")
    answer(people[0], other, value=5, comment="另一课次")
    SessionFactory(course=course, kind="closing", starts_at=at(course.end_date, "16:00"))
    last_day = at(course.end_date, "12:00")
    answer(people[0], None, value=3, at=last_day)
    untouched = set(Answer.objects.exclude(session=None).values_list("id", flat=True))
    answer(people[1], None, value=4, at=last_day)
    assert set(Answer.objects.exclude(session=None).values_list("id", flat=True)) == untouched
    course_answers = Answer.objects.filter(session=None)
    assert sorted(a.scores["overall"] for a in course_answers) == [3, 4]
    answer(people[3], session, value=5, comment="课次3")
    assert sorted(a.comments["comment"] for a in Answer.objects.filter(session=session)) == [
        "课次0",
        "课次1",
        "课次2",
        "课次3",
    ]
    assert sorted(a.scores["targeted"] for a in Answer.objects.filter(session=session)) == [1, 2, 3, 5]
    assert [a.comments for a in Answer.objects.filter(session=other)] == [{"comment": "另一课次"}]
    assert Answer.objects.count() == Responded.objects.count() == 7
