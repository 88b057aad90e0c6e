"""A course with sessions attended and answers given, made through the services."""

from datetime import timedelta

from attendance import services as attendance_services
from attendance.models import Method
from evaluation import services
from training.tests.factories import EnrollmentFactory, SessionFactory, TraineeFactory


def trainees(course, count: int, *, start: int = 10) -> list:
    return [
        EnrollmentFactory(
            course=course,
            trainee=TraineeFactory(name=f"学员{n}", phone=f"139{n:08d}", access_code=f"{n:06d}"),
            student_no=f"{n:03d}",
        )
        for n in range(start, start + count)
    ]


def attended_session(course, enrollments, **fields):
    """A lecture (by default) that every one of `enrollments` checked in to."""
    session = SessionFactory(course=course, **fields)
    for enrollment in enrollments:
        attendance_services.check_in(session, enrollment, method=Method.QR, at=session.starts_at - timedelta(minutes=5))
    return session


def scores_of(form, value: int) -> dict:
    return {item["key"]: value for item in form.items}


def answer(enrollment, session, *, value: int = 4, comment: str = "", at=None):
    """The enrollment answers the session's form (the course form when `session` is None)."""
    _, forms = services.forms_ensure(enrollment.course)
    form = forms["course" if session is None else {"lecture": "lecture", "site_visit": "field"}[session.kind]]
    services.answer_submit(
        enrollment=enrollment,
        form=form,
        session=session,
        scores=scores_of(form, value),
        comments={form.questions[0]["key"]: comment} if comment else {},
        at=at or (session.ends_at + timedelta(minutes=5) if session else None),
    )
    return form
