"""Writes of 评教: a course's forms and settings (made lazily from the templates), the organizer's
edits, and a trainee's answer. Each in a transaction; a refusal is a DomainError."""

import json
import random

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.errors import DomainError, validate_instance
from training.models import Course, Enrollment, Session

from . import rules, selectors
from .models import Answer, EvaluationForm, EvaluationSettings, Responded
from .selectors import window_of

_shuffle = random.SystemRandom().shuffle


def forms_ensure(course: Course) -> tuple[EvaluationSettings, dict[str, EvaluationForm]]:
    """The course's settings and its three forms (kind → form), made from the templates the first
    time they are asked for. Idempotent and safe when two requests make them at once (the unique
    constraints decide; the loser reads the winner's rows). Two queries once they exist."""
    settings = EvaluationSettings.objects.filter(course=course).first()
    forms = {form.kind: form for form in EvaluationForm.objects.filter(course=course)}
    if settings is not None and len(forms) == len(rules.TEMPLATES):
        return settings, forms
    try:
        with transaction.atomic():
            if settings is None:
                settings = EvaluationSettings.objects.create(course=course)
            for kind in rules.TEMPLATES:
                if kind not in forms:
                    forms[kind] = EvaluationForm.objects.create(course=course, kind=kind, **rules.template_rows(kind))
    except IntegrityError:  # made at the same moment by another request
        settings = EvaluationSettings.objects.get(course=course)
        forms = {form.kind: form for form in EvaluationForm.objects.filter(course=course)}
    return settings, forms


@transaction.atomic
def settings_update(*, settings: EvaluationSettings, at=None, **values) -> EvaluationSettings:
    """Changes the course's evaluation settings (validated by the model's fields), refusing what
    would let answers be told apart (rules.settings_problem). Locks the settings row, so two edits
    cannot cross."""
    settings = EvaluationSettings.objects.select_for_update().select_related("course").get(pk=settings.pk)
    course = settings.course
    old = {"comment_threshold": settings.comment_threshold, "close_hours": settings.close_hours}
    new = {**old, **{name: value for name, value in values.items() if name in old}}
    answered = set(Responded.objects.filter(form__course=course).values_list("session_id", flat=True).distinct())
    now = at or timezone.now()
    sessions = {session.pk: session for session in course.sessions.all()}
    closed = any(
        now >= window_of(settings, course, sessions.get(session_id), sessions.values())[1] for session_id in answered
    )
    problem = rules.settings_problem(old=old, new=new, answered=bool(answered), closed_with_answers=closed)
    if problem:
        raise problem
    for name, value in values.items():
        setattr(settings, name, value)
    validate_instance(settings, exclude=["course"])
    settings.save(update_fields=list(values))
    return settings


@transaction.atomic
def form_update(*, form: EvaluationForm, title: str, scale: int, items_text: str, questions_text: str):
    """The organizer's edit of a form: title, scale, items and open questions (one per line). Refused
    once the form has an answer: the scores already given were for the items as they were. Locks
    the form row, so an answer and an edit cannot cross."""
    form = EvaluationForm.objects.select_for_update().get(pk=form.pk)
    if Answer.objects.filter(form=form).exists():
        raise DomainError("has_answers", "这张评价表已经有学员填写，不能再修改项目和分制（否则前后的分数无法比较）。")
    form.title = title.strip()
    form.scale = scale
    form.items = rules.items_from_lines(
        items_text, existing=form.items, prefix="item", field="items", least=1, most=rules.MAX_ITEMS
    )
    form.questions = rules.items_from_lines(
        questions_text, existing=form.questions, prefix="q", field="questions", least=0, most=rules.MAX_QUESTIONS
    )
    validate_instance(form, exclude=["course"])
    form.save(update_fields=["title", "scale", "items", "questions"])
    return form


def answer_submit(
    *,
    enrollment: Enrollment,
    form: EvaluationForm,
    session: Session | None,
    scores: dict,
    comments: dict,
    at=None,
) -> None:
    """Records one anonymous answer: the Responded row (who answered: one per enrollment, form and
    session, enforced by the database — a second answer, concurrent or not, is refused with
    "already_answered") and the Answer (what: no reference to who), in one transaction.

    The form row is then locked, so submissions to one form are serialised, and the answers of the
    (form, session) are rewritten in a random order with new random keys: their ids, physical
    order and (on PostgreSQL) inserting transaction say nothing about who answered when. The checks
    and the Responded row come before the lock, which is held only for the rewrite (the scores are
    checked against the form as locked, so an edit of the form cannot cross). Returns nothing on
    purpose."""
    now = at or timezone.now()
    settings, _ = forms_ensure(form.course)
    with transaction.atomic():
        problem = selectors.answer_problem(
            enrollment=enrollment, form=form, session=session, settings=settings, now=now
        )
        if problem:
            raise problem
        try:
            with transaction.atomic():
                Responded.objects.create(form=form, session=session, enrollment=enrollment)
        except IntegrityError:
            raise DomainError("already_answered", "您已评价过，每人只能评价一次。") from None
        form = EvaluationForm.objects.select_for_update().get(pk=form.pk)
        scores, comments = rules.clean_answer(
            items=form.items, questions=form.questions, scale=form.scale, scores=scores, comments=comments
        )
        _rewrite_answers(form, session, scores, comments)


# On PostgreSQL the rewrite is one statement: the answers of the (form, session) are deleted and
# inserted again with the new one, in an order and with keys from gen_random_uuid() (the server's
# strong random source), without travelling to Python and back — a few milliseconds at 500
# answers, where reading, shuffling and bulk-inserting them took 150–180 ms under the form's lock.
_REWRITE_SQL = """
    WITH old AS (
        DELETE FROM {table} WHERE form_id = %s AND {session} RETURNING scores, comments
    )
    INSERT INTO {table} (id, form_id, session_id, scores, comments)
    SELECT gen_random_uuid(), %s, %s, scores, comments
    FROM (SELECT scores, comments FROM old UNION ALL SELECT %s::jsonb, %s::jsonb) AS answers
    ORDER BY gen_random_uuid()
"""


def _rewrite_answers(form: EvaluationForm, session: Session | None, scores: dict, comments: dict) -> None:
    """Adds the answer and writes all the answers of the (form, session) again, in a random order
    with new random keys, so that ids, physical order and the inserting transaction (xmin) are the
    same for all of them or random. The caller holds the lock on the form row."""
    if connection.vendor == "postgresql":
        sql = _REWRITE_SQL.format(
            table=connection.ops.quote_name(Answer._meta.db_table),
            session="session_id IS NULL" if session is None else "session_id = %s",
        )
        session_id = None if session is None else session.pk
        params = [form.pk, *([] if session is None else [session_id])]
        params += [form.pk, session_id, json.dumps(scores), json.dumps(comments)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        return
    group = Answer.objects.filter(form=form, session=session)
    kept = [(a.scores, a.comments) for a in group]
    kept.append((scores, comments))
    _shuffle(kept)
    group.delete()
    Answer.objects.bulk_create(Answer(form=form, session=session, scores=given, comments=said) for given, said in kept)
