"""Who may open what. Course URLs are enumerated from the URL configuration, so a new page is
covered as soon as it exists."""

import pytest
from django.urls import URLPattern, reverse

from assessment import urls as assessment_urls
from assessment.tests.helpers import sample_essay
from attendance import services as attendance_services
from attendance import urls as attendance_urls
from attendance.tests.helpers import sample_attendance
from completion import urls as completion_urls
from completion.tests.factories import certificate_for, certificate_job_for
from documents import urls as documents_urls
from documents.tests.factories import dossier_job_for
from evaluation import urls as evaluation_urls
from lodging import urls as lodging_urls
from lodging.models import Room
from materials import urls as materials_urls
from materials.services import material_import
from materials.tests.seeds import seed_path
from notifications import urls as notifications_urls
from notifications.services import notifications_plan
from registration import urls as registration_urls
from registration.tests.helpers import sample_registration
from training import urls as training_urls
from training.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

MANAGE_ONLY = {
    "hours-xlsx",
    "hours-csv",
    "hours-proofs-pdf",
    "hours-proof-pdf",
    "course-edit",
    "session-create",
    "session-edit",
    "session-delete",
    "roster-import",
    "roster-import-confirm",
    "trainee-add",
    "enrollment-edit",
    "access-code-reset",
    "import",
    "import-confirm",
    "edit",
    "delete",
    "resend",
    "cancel",
    "completion-override",
    "certificate-change",
    "audit",
    "course-reopen",
    "dossier",
    "settings",
    "form-edit",
    "evaluation-remind",
    "units-remind",
    "quotas",
    "notice",
    "lock",
    "approve-all",
    "approve",
    "return",
    "withdraw",
    "extra",
    "revoke",
    "rooms-add",
    "rooms-assign",
    "room-move",
    "room-edit",
    "plan",
}
POST_ONLY = {
    "session-delete",
    "roster-import-confirm",
    "access-code-reset",
    "rollcall-mark",
    "rollcall-all",
    "discipline-void",
    "import-confirm",
    "delete",
    "resend",
    "cancel",
    "completion-override",
    "certificate-change",
    "evaluation-remind",
    "units-remind",
    "lock",
    "approve-all",
    "approve",
    "extra",
    "revoke",
    "rooms-assign",
    "room-move",
}


def course_urls(course, session, enrollment, objects):
    """Every URL under /courses/<code>/ of both apps, with real objects of the course in it:
    `objects` maps a route's leading part (e.g. 'leave') to the primary key to put in it."""
    found = []
    apps = (
        ("training", training_urls),
        ("assessment", assessment_urls),
        ("attendance", attendance_urls),
        ("materials", materials_urls),
        ("registration", registration_urls),
        ("completion", completion_urls),
        ("evaluation", evaluation_urls),
        ("lodging", lodging_urls),
        ("notifications", notifications_urls),
        ("documents", documents_urls),
    )
    for namespace, urlconf in apps:
        for pattern in urlconf.urlpatterns:
            assert isinstance(pattern, URLPattern)
            route = str(pattern.pattern)
            if not route.startswith("courses/<str:code>/"):
                continue
            kwargs = {"code": course.code}
            if "<str:kind>" in route:
                kwargs["kind"] = "lecture"
            if "<int:pk>" in route:
                parts = route.split("/")
                part = parts[parts.index("<int:pk>") - 1]
                kwargs["pk"] = {"sessions": session.pk, **objects}.get(part, enrollment.pk)
            found.append((pattern.name, reverse(f"{namespace}:{pattern.name}", kwargs=kwargs)))
    return found


@pytest.fixture
def urls(settings, course, enrollment, advisor, organizer):
    settings.SITE_URL = "http://10.20.1.5:8000"  # printed QR codes need it
    session = SessionFactory(course=course)
    leave, record, bulletin = sample_attendance(course, session, enrollment, advisor)
    material = material_import(course=course, content=seed_path("001").read_bytes(), filename="x.txt").materials[0]
    attendance_services.leave_decide(leave=leave, by=advisor, role="advisor", approve=False, comment="不准")
    notifications_plan()  # the sweep puts the decision's message in the outbox
    message = leave.enrollment.course.notifications.get(kind="leave_decision")
    objects = {
        "leave": leave.pk,
        "discipline": record.pk,
        "bulletin": bulletin.pk,
        "bulletins": bulletin.pk,
        "materials": material.pk,
        "outbox": message.pk,
        "certificates": certificate_for(enrollment).pk,
        "jobs": certificate_job_for(course).pk,
        "dossier": dossier_job_for(course).pk,
        "rooms": Room.objects.create(
            organization=course.organization, building="1号楼", floor=2, number="201", beds=2
        ).pk,
    }
    quota, nominee = sample_registration(course)
    objects.update(quotas=quota.pk, nominees=nominee.pk, essays=sample_essay(course, enrollment, organizer).pk)
    found = course_urls(course, session, enrollment, objects)
    assert len(found) == 119  # a new course URL must be added to the expectations below
    return found


def test_another_organizations_organizer_gets_404_everywhere(client, other_organizer, urls):
    client.force_login(other_organizer)
    for name, url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 404, (name, method, response.status_code)


def test_a_trainee_gets_403_on_every_staff_page(client, trainee_user, urls):
    client.force_login(trainee_user)
    for name, url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 403, (name, method, response.status_code)


def test_anonymous_visitors_are_sent_to_the_staff_login(client, urls):
    for name, url in urls:
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("training:staff-login")), name


def test_an_advisor_sees_the_course_but_cannot_change_it(client, advisor, urls):
    client.force_login(advisor)
    for name, url in urls:
        if name in MANAGE_ONLY:
            assert client.post(url).status_code == 403, name
        else:
            assert client.get(url).status_code == (405 if name in POST_ONLY else 200), name


def test_the_organizer_opens_every_page(client, organizer, urls):
    client.force_login(organizer)
    for name, url in urls:
        expected = 405 if name in POST_ONLY else 200
        assert client.get(url).status_code == expected, name


def test_an_advisor_sees_only_the_courses_assigned_to_them(client, advisor, course):
    from training.tests.factories import CourseFactory

    unassigned = CourseFactory(organization=course.organization, code="QS2026-02")
    client.force_login(advisor)
    page = client.get(reverse("training:course-list")).content.decode()
    assert course.code in page and unassigned.code not in page
    assert client.get(reverse("training:course-dashboard", args=[unassigned.code])).status_code == 404


def test_course_list_shows_only_the_users_organization(client, organizer, course, other_organizer):
    from training.tests.factories import CourseFactory, OrganizationFactory

    foreign = CourseFactory(organization=OrganizationFactory(name="石门县总工会2"), code="SM2026-01")
    client.force_login(organizer)
    page = client.get(reverse("training:course-list")).content.decode()
    assert course.code in page and foreign.code not in page
    client.force_login(other_organizer)
    assert course.code not in client.get(reverse("training:course-list")).content.decode()


def test_a_trainee_cannot_open_another_trainees_page(client, trainee_user, other_enrollment, course):
    client.force_login(trainee_user)
    other = reverse("training:enrollment-detail", args=[course.code, other_enrollment.pk])
    assert client.get(other).status_code == 403
    page = client.get(reverse("attendance:me")).content.decode()
    assert "张丽华" in page and other_enrollment.trainee.name not in page


def test_a_trainee_home_needs_a_trainee(client, organizer):
    client.force_login(organizer)
    assert client.get(reverse("attendance:me")).status_code == 302  # staff are sent to their courses
    client.logout()
    response = client.get(reverse("attendance:me"))
    assert response["Location"].startswith(reverse("training:login"))


def test_only_organizers_create_courses(client, advisor, trainee_user):
    client.force_login(advisor)
    assert client.get(reverse("training:course-create")).status_code == 403
    client.force_login(trainee_user)
    assert client.get(reverse("training:course-create")).status_code == 403
