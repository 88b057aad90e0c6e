"""Every page of the site, walked as each role: no GET or HEAD request writes anything (chat apps
prefetch links), and every HTML page carries the Content-Security-Policy."""

import re

import pytest
import time_machine
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessment.tests.helpers import sample_essay
from attendance import rules, services, tokens
from attendance.models import AttendanceRecord, Bulletin
from attendance.tests.helpers import sample_attendance
from completion.tests.factories import certificate_for, certificate_job_for
from documents.tests.factories import dossier_job_for
from lodging.models import Room
from materials.services import material_import
from materials.tests.seeds import seed_path
from notifications.models import Notification
from notifications.services import notifications_plan
from registration import tokens as registration_tokens
from registration.tests.helpers import sample_registration
from training.models import Lecturer
from training.tests.factories import (
    SessionFactory,
    at,
)

pytestmark = pytest.mark.django_db
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


@pytest.fixture
def session(course):
    return SessionFactory(course=course, starts_at=at(course.start_date, "08:30"))


def every_pattern(resolver=None, prefix=""):
    """(namespace:name, route) of every URL pattern of ours (Django's admin is Django's)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from every_pattern(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}", str(pattern.pattern)


def test_no_get_or_head_request_writes_and_every_page_has_a_csp(
    client, course, session, enrollment, trainee_user, advisor, organizer
):
    leave, record, bulletin = sample_attendance(course, session, enrollment, advisor)
    material = material_import(course=course, content=seed_path("002").read_bytes(), filename="讲话.txt").materials[0]
    services.leave_decide(leave=leave, by=advisor, role="advisor", approve=True, confirm=True, at=session.starts_at)
    notifications_plan(now=session.starts_at)  # the sweep puts the decision's message in the outbox
    notification = Notification.objects.get(kind="leave_decision")
    now = session.starts_at
    quota, nominee = sample_registration(course)
    values = {
        "unit_pk": quota.unit_id,
        "link": registration_tokens.link_token(quota),
        "code": course.code,
        "kind": "lecture",
        "session_pk": session.pk,
        "token": tokens.qr_token(session.pk, "in", rules.qr_window(now)),
        "badge_code": tokens.badge_code(enrollment.pk),
        "member_pk": organizer.memberships.get().pk,
        "lecturer_pk": Lecturer.objects.create(organization=course.organization, name="孙立新").pk,
    }
    pks = {
        "essays": sample_essay(course, enrollment, organizer).pk,
        "quotas": quota.pk,
        "nominees": nominee.pk,
        "orgs": course.organization_id,
        "outbox": notification.pk,
        "completion": enrollment.pk,
        "certificates": certificate_for(enrollment).pk,
        "jobs": certificate_job_for(course).pk,
        "dossier": dossier_job_for(course).pk,
        "materials": material.pk,
        "sessions": session.pk,
        "leave": leave.pk,
        "discipline": record.pk,
        "bulletins": bulletin.pk,
        "bulletin": bulletin.pk,
        "trainees": enrollment.pk,
        "rooms": Room.objects.create(
            organization=course.organization, building="1号楼", floor=2, number="201", beds=2
        ).pk,
        "stays": enrollment.pk,
        "appraisals": enrollment.pk,
    }
    urls = []
    for name, route in every_pattern():
        kwargs = {k: v for k, v in values.items() if f":{k}>" in route}
        if "<int:pk>" in route:
            parts = [p for p in route.split("/") if p and not p.startswith("<")]
            kwargs["pk"] = next(pks[p] for p in reversed(parts) if p in pks)
        urls.append(reverse(name, kwargs=kwargs))
    assert len(urls) >= 50
    writes = []

    def spy(execute, sql, params, many, context):
        if WRITE.match(sql):
            writes.append(sql)
        return execute(sql, params, many, context)

    html_pages = 0
    with time_machine.travel(now, tick=False):
        for user in (None, trainee_user, advisor, organizer):
            client.logout()
            if user:
                client.force_login(user)
            with connection.execute_wrapper(spy):
                for url in urls:
                    for method in (client.get, client.head):
                        response = method(url)
                        assert response.status_code < 500, url
                        if response.get("Content-Type", "").startswith("text/html"):
                            html_pages += 1
                            assert "script-src 'self'" in response["Content-Security-Policy"], url
    assert writes == [] and html_pages > 100
    assert Bulletin.objects.count() == 1 and not AttendanceRecord.objects.exists()
