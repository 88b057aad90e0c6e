"""The permission matrix: every URL pattern of the site, enumerated from the resolver, × every
role, with the answer expected for each. A new URL without an entry in EXPECTED fails the test, so
nothing is published before someone has decided who may open it. Admin URLs are covered by
their own test below (every registered model's list and add page)."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessment.tests.helpers import sample_essay
from attendance import rules as attendance_rules
from attendance import services as attendance_services
from attendance import tokens
from attendance.tests.helpers import sample_attendance
from completion.tests.factories import certificate_for, certificate_job_for
from documents.tests.factories import dossier_job_for
from lodging.models import Room
from materials.services import material_import
from materials.tests.seeds import seed_path
from notifications.services import notifications_plan
from registration import tokens as registration_tokens
from registration.tests.helpers import sample_registration
from training.models import Lecturer
from training.tests.factories import CourseFactory, SessionFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "trainee", "other_trainee", "twin_trainee", "advisor", "organizer", "other_organizer", "admin")

# What a GET answers, per kind of URL. "staff-login" / "login" / "staff-home" are redirects
# (302) to the staff login, the trainee login and the staff course list.
STAFF = {
    "anonymous": "staff-login",
    "trainee": 403,
    "other_trainee": 403,
    "advisor": 200,
    "organizer": 200,
    "other_organizer": 404,
    "admin": 200,
}
KINDS = {
    "public": dict.fromkeys(ROLES, 200),
    # pages of a course for its staff; POST-only ones answer 405 to a GET from those allowed
    "staff": STAFF,
    "staff-post": {**STAFF, "advisor": 405, "organizer": 405, "admin": 405},
    # changes only the course's organizers (and admins) may make
    "manage": {**STAFF, "advisor": 403},
    "manage-post": {**STAFF, "advisor": 403, "organizer": 405, "admin": 405},
    # staff pages outside any course
    "staff-home": {**STAFF, "other_organizer": 200},
    "organizer-home": {**STAFF, "advisor": 403, "other_organizer": 200},
    # the trainee's own phone pages; staff are sent to their course list
    "mine": {
        "anonymous": "login",
        "trainee": 200,
        "other_trainee": 200,
        "advisor": "staff-home",
        "organizer": "staff-home",
        "other_organizer": "staff-home",
        "admin": "staff-home",
    },
    # one object of the trainee's own: another trainee gets 404
    "mine-only": {
        "anonymous": "login",
        "trainee": 200,
        "other_trainee": 404,
        "advisor": "staff-home",
        "organizer": "staff-home",
        "other_organizer": "staff-home",
        "admin": "staff-home",
    },
    "mine-post": {
        "anonymous": "login",
        "trainee": 405,
        "other_trainee": 404,
        "advisor": "staff-home",
        "organizer": "staff-home",
        "other_organizer": "staff-home",
        "admin": "staff-home",
    },
    "mine-post-any": {
        "anonymous": "login",
        "trainee": 405,
        "other_trainee": 405,
        "advisor": "staff-home",
        "organizer": "staff-home",
        "other_organizer": "staff-home",
        "admin": "staff-home",
    },
    # the login pages send whoever is logged in already home
    "login-page": {"anonymous": 200, **dict.fromkeys(ROLES[1:], "home")},
    "home": {
        "anonymous": "login",
        "trainee": "me",
        "other_trainee": "me",
        **dict.fromkeys(("advisor", "organizer", "other_organizer", "admin"), "staff-home"),
    },
    "post-only": dict.fromkeys(ROLES, 405),
    # the staff of one organization: its organizers (and admins) only; 班主任 and others get 404
    "org-manage": {**STAFF, "advisor": 404},
    "org-manage-post": {**STAFF, "advisor": 404, "organizer": 405, "admin": 405},
}
# "twin_trainee" is the trainee's own person as another organization enrolled them (same phone, the
# other organization's record and code, its course): to this course and the trainee's objects here
# they are a stranger, answered as any other trainee is.
# What belongs to this course (its session, its materials) is not found for them.
for answers in KINDS.values():
    answers.setdefault("twin_trainee", answers["other_trainee"])
KINDS["mine-here"] = {**KINDS["mine"], "twin_trainee": 404}
KINDS["mine-post-any"]["twin_trainee"] = 404
KINDS["mine-settings"] = {**KINDS["mine-post-any"], "twin_trainee": 405}  # the trainee's own switch
EXPECTED = {
    "home": "home",
    "healthz": "public",
    "training:login": "login-page",
    "training:large-text": "mine-settings",
    "training:staff-login": "login-page",
    "training:logout": "post-only",
    "attendance:me": "mine",
    "training:course-list": "staff-home",
    "training:course-create": "organizer-home",
    "training:staff-home": "organizer-home",
    "training:staff": "org-manage",
    "training:organization": "org-manage",
    "completion:sample": "org-manage",
    "training:staff-change": "org-manage-post",
    # the 师资库: the organization's organizers manage it, the 班主任 of its courses may look
    "training:lecturers": "staff",
    "training:lecturer": "staff",
    "training:lecturer-create": "manage",
    "training:lecturer-edit": "manage",
    "training:course-dashboard": "staff",
    "training:course-edit": "manage",
    "training:timetable": "staff",
    "training:session-create": "manage",
    "training:session-edit": "manage",
    "training:session-delete": "manage-post",
    "training:roster": "staff",
    "training:roster-export": "staff",
    "training:roster-import": "manage",
    "training:roster-import-confirm": "manage-post",
    "training:trainee-add": "manage",
    "training:enrollment-detail": "staff",
    "training:enrollment-edit": "manage",
    "training:access-code-reset": "manage-post",
    "training:audit": "manage",
    "completion:appraisals": "staff",
    "completion:appraisal": "staff",
    "training:course-reopen": "manage",
    "completion:certificates": "staff",
    "completion:certificates-print": "staff",
    "completion:certificate-job": "staff",
    "completion:certificate-job-download": "staff",
    "completion:certificate-pdf": "staff",
    "completion:certificate-change": "manage-post",
    "completion:my-certificate": "mine-only",
    "completion:verify": "public",
    "attendance:scan": "mine-here",
    "attendance:my-attendance": "mine",
    "attendance:today": "staff",
    "attendance:my-leave-new": "mine-here",
    "attendance:my-leave-withdraw": "mine-post",
    "attendance:my-leave-resume": "mine-post",
    "attendance:my-bulletin": "mine-here",
    "attendance:grid": "staff",
    "attendance:trainee": "staff",
    "attendance:screen": "staff",
    "attendance:screen-live": "staff",
    "attendance:rollcall": "staff",
    "attendance:rollcall-mark": "staff-post",
    "attendance:rollcall-all": "staff-post",
    "attendance:badge-scan": "staff",
    "attendance:badge": "staff",
    "attendance:leave-list": "staff",
    "attendance:leave-detail": "staff",
    "attendance:discipline": "staff",
    "attendance:discipline-void": "staff-post",
    "completion:completion": "staff",
    "completion:completion-override": "manage-post",
    "attendance:bulletin": "staff",
    "attendance:bulletin-detail": "staff",
    "materials:my-materials": "mine",
    "materials:my-material": "mine-here",
    "materials:my-material-read": "mine-post-any",
    "materials:list": "staff",
    "materials:import": "manage",
    "materials:import-confirm": "manage-post",
    "materials:detail": "staff",
    "materials:session-reading": "staff",
    "materials:edit": "manage",
    "materials:delete": "manage-post",
    "notifications:outbox": "staff",
    "notifications:alerts": "staff",
    "notifications:resend": "manage-post",
    "notifications:cancel": "manage-post",
    "notifications:evaluation-remind": "manage-post",
    "notifications:units-remind": "manage-post",
    "documents:print": "staff",
    "documents:report-pdf": "staff",
    "documents:report-xlsx": "staff",
    "documents:timetable-pdf": "staff",
    "documents:badges-pdf": "staff",
    "documents:login-slips-pdf": "staff",  # advisors hand the slips out at the 开班式
    "documents:desk-cards-pdf": "staff",
    "documents:signin-pdf": "staff",
    "documents:bulletin-pdf": "staff",
    "documents:notice-pdf": "staff",
    "documents:rooms-pdf": "staff",
    "documents:door-labels-pdf": "staff",
    "documents:meals-pdf": "staff",
    "documents:arrivals-pdf": "staff",
    "documents:summary": "staff",  # organizers edit (POST), the course's advisors read
    "documents:summary-pdf": "staff",
    "documents:appraisals-pdf": "staff",
    "documents:appraisal-pdf": "staff",
    # the 学时 hand-off carries ID and phone numbers: organizers only
    "documents:hours-xlsx": "manage",
    "documents:hours-csv": "manage",
    "documents:hours-proofs-pdf": "manage",
    "documents:hours-proof-pdf": "manage",
    # 结班归档: organizers archive (POST); the course's staff follow the job and download the dossier
    "documents:dossier": "staff",
    "documents:dossier-job": "staff",
    "documents:dossier-zip": "staff",
    "documents:dossier-pdf": "staff",
    "evaluation:mine": "mine",
    "evaluation:thanks": "mine",
    "evaluation:answer-session": "mine-here",
    "evaluation:my-waiting": "mine-here",
    "evaluation:answer-course": "mine-here",
    "evaluation:results": "staff",
    "evaluation:live": "staff",
    "evaluation:screen": "staff",
    "evaluation:settings": "manage",
    "evaluation:form-edit": "manage",
    "documents:lecture-fees-pdf": "staff",
    "lodging:my-stay": "mine-here",
    "lodging:my-meal": "mine-post-any",
    "lodging:desk": "staff",  # advisors run the 报到 desk
    "lodging:desk-stats": "staff",
    "lodging:rooms": "staff",
    "lodging:rooms-add": "manage",
    "lodging:rooms-assign": "manage-post",
    "lodging:room-move": "manage-post",
    "lodging:room-edit": "manage",
    "lodging:stay-edit": "staff",  # advisors collect dietary needs
    "lodging:meals": "staff",
    "lodging:meals-xlsx": "staff",
    "lodging:settings": "manage",
    "documents:lecture-fees-xlsx": "staff",
    "documents:evaluation-report-pdf": "staff",
    "evaluation:lecturer": "staff",  # the 评教 block of a lecturer's page, as the page itself
    # 报名: the organization's units (its organizers manage, the 班主任 of its courses look), a
    # course's quotas and progress; a unit's own pages behind its signed link need no account
    "registration:units": "staff",
    "registration:unit-create": "manage",
    "registration:unit-edit": "manage",
    "registration:progress": "staff",
    "registration:progress-live": "staff",
    "registration:quotas": "manage",
    "registration:notice": "manage",
    "registration:receipt-xlsx": "staff",
    "registration:lock": "manage-post",
    "registration:approve-all": "manage-post",
    "registration:approve": "manage-post",
    "registration:return": "manage",
    "registration:withdraw": "manage",
    "registration:extra": "manage-post",
    "registration:revoke": "manage-post",
    "registration:unit-home": "public",
    "registration:unit-receipt": "public",
    "registration:unit-nominee": "public",
    "registration:unit-replace": "public",
    # 考核: the course's staff enter marks and grade 心得 (advisors too); organizers set the plan
    "assessment:overview": "staff",
    "assessment:plan": "manage",
    "assessment:scores": "staff",
    "assessment:scores-import": "staff",
    "assessment:essays": "staff",
    "assessment:essay": "staff",
    "assessment:essay-file": "staff",
    "assessment:discussions": "staff",
    "assessment:my-essay": "mine-here",
    "completion:my-assessment": "mine-here",
}
# Roles whose pages never link to /admin/ (it is for superusers only).
NO_ADMIN = ("trainee", "other_trainee", "twin_trainee", "advisor", "organizer", "other_organizer")
# Answers that refuse: a POST from that role must be refused the same way.
DENIALS = (403, 404, "login", "staff-login", "staff-home")


def every_url_name():
    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    yield from walk(pattern.url_patterns, f"{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"unnamed URL pattern {pattern.pattern}"
                yield f"{namespace}{pattern.name}", str(pattern.pattern)

    return list(walk(get_resolver().url_patterns))


@pytest.fixture
def world(settings, course, enrollment, other_enrollment, trainee_user, advisor, organizer, other_organizer):
    from training import services

    settings.SITE_URL = "http://10.20.1.5:8000"  # printed QR codes need it

    session = SessionFactory(course=course)
    leave, record, bulletin = sample_attendance(course, session, enrollment, advisor)
    material = material_import(course=course, content=seed_path("001").read_bytes(), filename="x.txt").materials[0]
    attendance_services.leave_decide(leave=leave, by=advisor, role="advisor", approve=True, confirm=True)
    notifications_plan()  # the sweep puts the decision's message in the outbox
    notification = course.notifications.get(kind="leave_decision")
    admin_user = get_user_model().objects.create_superuser("root", password="x")
    now = session.starts_at
    certificate = certificate_for(enrollment)
    elsewhere = CourseFactory(organization=other_organizer.memberships.get().organization, code="SM2026-01")
    twin = services.enrollment_add(
        course=elsewhere, name=enrollment.trainee.name, phone=enrollment.trainee.phone, work_unit="石门县某单位"
    )
    quota, nominee = sample_registration(course)
    essay = sample_essay(course, enrollment, organizer)
    pks = {
        "essays": essay.pk,
        "quotas": quota.pk,
        "nominees": nominee.pk,
        "sessions": session.pk,
        "trainees": enrollment.pk,
        "completion": enrollment.pk,
        "leave": leave.pk,
        "discipline": record.pk,
        "bulletin": bulletin.pk,
        "bulletins": bulletin.pk,
        "materials": material.pk,
        "outbox": notification.pk,
        "certificates": certificate.pk,
        "jobs": certificate_job_for(course).pk,
        "dossier": dossier_job_for(course).pk,
        "orgs": course.organization_id,
        "rooms": Room.objects.create(
            organization=course.organization, building="1号楼", floor=2, number="201", beds=2
        ).pk,
        "stays": enrollment.pk,
        "appraisals": enrollment.pk,
    }
    values = {
        "code": course.code,
        "kind": "lecture",
        "session_pk": session.pk,
        "token": tokens.qr_token(session.pk, "in", attendance_rules.qr_window(now)),
        "badge_code": tokens.badge_code(enrollment.pk),
        "member_pk": advisor.memberships.get().pk,
        "lecturer_pk": Lecturer.objects.create(organization=course.organization, name="孙立新", fee_rate=400).pk,
        "unit_pk": quota.unit_id,
        "link": registration_tokens.link_token(quota),
    }
    users = {
        "anonymous": None,
        "trainee": trainee_user,
        "other_trainee": services.trainee_user_ensure(trainee=other_enrollment.trainee),
        "twin_trainee": services.trainee_user_ensure(trainee=twin.trainee),
        "advisor": advisor,
        "organizer": organizer,
        "other_organizer": other_organizer,
        "admin": admin_user,
    }
    return {"pks": pks, "values": values, "users": users, "now": now, "verify_token": certificate.token}


def url_for(name, route, world):
    kwargs = {k: v for k, v in world["values"].items() if f":{k}>" in route}
    if name == "completion:verify":
        kwargs["token"] = world["verify_token"]
    if "<int:pk>" in route:
        parts = [p for p in route.split("/") if p and not p.startswith("<")]
        kwargs["pk"] = next(world["pks"][p] for p in reversed(parts) if p in world["pks"])
    return reverse(name, kwargs=kwargs)


def answer(response):
    if response.status_code != 302:
        return response.status_code
    location = response["Location"]
    for target, name in (
        ("staff-login", "training:staff-login"),
        ("login", "training:login"),
        ("staff-home", "training:course-list"),
        ("me", "attendance:me"),
        ("home", "home"),
    ):
        if location.split("?")[0] == reverse(name):
            return target
    return f"302 {location}"


def test_every_url_has_an_entry_and_every_role_gets_its_answer(client, world):
    routes = every_url_name()
    assert sorted(name for name, _ in routes) == sorted(EXPECTED), "a URL was added or removed: decide its entry"
    wrong = []
    with time_machine.travel(world["now"] + timedelta(minutes=1), tick=False):
        for role, user in world["users"].items():
            client.logout()
            if user:
                client.force_login(user)
            for name, route in routes:
                url, expected = url_for(name, route, world), KINDS[EXPECTED[name]]
                response = client.get(url)
                got = answer(response)
                if role in NO_ADMIN and response.get("Content-Type", "").startswith("text/html"):
                    if "/admin/" in response.content.decode():  # daily work never sends anyone there
                        wrong.append(f"GET {name} as {role}: links to /admin/")
                if got != expected[role]:
                    wrong.append(f"GET {name} as {role}: {got}, expected {expected[role]}")
                if expected[role] in DENIALS:  # a POST is refused the same way
                    got = answer(client.post(url))
                    if got != expected[role]:
                        wrong.append(f"POST {name} as {role}: {got}, expected {expected[role]}")
    assert wrong == [], "\n".join(wrong)


def test_the_admin_is_for_superusers_only(client, world):
    """Every registered model's list and add pages: superusers only; staff of the site who are not
    superusers, and trainees, are sent to the admin's login."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    assert len(urls) > 20
    for role, user in world["users"].items():
        client.logout()
        if user:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            if role == "admin":
                assert response.status_code in (200, 403), (url, response.status_code)  # 403: no adding here
            else:
                assert response.status_code == 302 and "/admin/login/" in response["Location"], (role, url)


def test_every_change_needs_the_csrf_token(world):
    """A POST without the CSRF token is refused (403) on every URL of the site (no view is exempt),
    sent by the role that may use it; nothing is written."""
    from django.test import Client

    from core.models import AuditEntry

    client = Client(enforce_csrf_checks=True)
    checked, entries = 0, AuditEntry.objects.count()
    for name, route in every_url_name():
        kind = EXPECTED[name]
        client.logout()
        if kind.startswith("mine"):
            client.force_login(world["users"]["trainee"])
        elif kind not in ("public", "login-page", "home", "post-only"):
            client.force_login(world["users"]["organizer"])
        response = client.post(url_for(name, route, world))
        assert response.status_code == 403 and b"CSRF" in response.content, (name, response.status_code)
        checked += 1
    assert checked == len(EXPECTED) and AuditEntry.objects.count() == entries
