"""The demo, composed from each app's own part, from the bottom up: training makes the
organization, the accounts, the courses and rosters; registration the units and the running
course's 报名 that its roster came from; attendance the history; materials the speeches;
evaluation the answers of both courses; lodging the arrivals, rooms and meals of the running
course; assessment the test scores, 学习心得 and discussion records (a few 心得 of the running
course); completion the certificates and 结业鉴定 of last spring's course; documents its 总结 and
its closing dossier (结班归档), which leaves it read-only. Sits above every app, so none of them
imports another's demo."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from assessment import demo as assessment_demo
from attendance.demo import load_finished, load_history
from attendance.models import AttendanceRecord
from completion import demo as completion_demo
from completion.services import certificates_issue
from documents import demo as documents_demo
from documents import services as dossier_services
from evaluation import demo as evaluation_demo
from lodging import demo as lodging_demo
from materials.demo import load_materials
from registration import demo as registration_demo
from training import demo as training_demo
from training.models import Course, Session, Trainee


@dataclass
class DemoResult:
    created: bool
    course: Course
    trainee: Trainee | None


def _first_trainee(course: Course) -> Trainee | None:
    first = course.enrollments.select_related("trainee").order_by("student_no").first()
    return first.trainee if first else None


@transaction.atomic
def load(*, today: date | None = None) -> DemoResult:
    """Builds the demo if it is missing; running it again changes nothing."""
    if existing := training_demo.existing():
        return DemoResult(False, existing, _first_trainee(existing))
    base = training_demo.load_base(today=today)
    advisor, organizer = base.accounts["advisor"], base.accounts["organizer"]
    registration_demo.load_running(base.course, organizer=organizer)
    load_history(base.course, advisor=advisor, organizer=organizer)
    load_materials(base.course, organizer=organizer)
    evaluation_demo.load_running(base.course, now=timezone.now())
    lodging_demo.load_running(base.course, organizer=organizer, advisor=advisor, now=timezone.now())
    assessment_demo.load_running(base.course, organizer=organizer)

    # Last spring's course, over: complete attendance history, most trainees completed and a few
    # did not, certificates issued (with their PDFs) on the last afternoon.
    spring = training_demo.finished_course(base)
    load_finished(spring, advisor=advisor, organizer=organizer)
    evaluation_demo.load_finished(spring)
    exams = spring.sessions.filter(kind=Session.Kind.EXAM)
    sat = set(
        AttendanceRecord.objects.filter(session__in=exams, checked_in_at__isnull=False).values_list(
            "enrollment", flat=True
        )
    )
    assessment_demo.load_finished(spring, advisor=advisor, organizer=organizer, sat_test=sat)
    certificates_issue(course=spring, by=organizer, now=training_demo.at(spring.end_date, "17:30"))
    completion_demo.load_appraisals(spring, advisor=advisor, organizer=organizer)
    documents_demo.load_summary(spring, organizer=organizer, now=timezone.now())
    # 结班归档: archived (read-only, 已结业) with its dossier made here, not by a worker, so the
    # demo is complete when the command ends.
    job = dossier_services.dossier_start(course=spring, by=organizer, enqueue=lambda job: None)
    dossier_services.dossier_run(job.pk)
    return DemoResult(True, base.course, _first_trainee(base.course))
