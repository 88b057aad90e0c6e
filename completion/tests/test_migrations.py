"""Completion's models and the audit log changed app (training → completion, core) by state alone:
a database of before the move keeps every row, file and content type."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from core.tests import migrations

BEFORE = [
    ("training", "0012_trainee_organization_required"),
    ("attendance", "0004_bulletin_number_required"),
    ("contenttypes", "0002_remove_content_type_name"),
]
TZ = ZoneInfo("Asia/Shanghai")


@pytest.mark.django_db(transaction=True)
def test_certificates_overrides_jobs_and_the_audit_log_survive_the_move():
    latest = migrations.latest()
    old = migrations.migrate(BEFORE)
    try:
        get = old.get_model
        user = get("auth", "User").objects.create(username="organizer")
        organization = get("training", "Organization").objects.create(name="青山县总工会")
        course = get("training", "Course").objects.create(
            organization=organization,
            code="QS2026-00",
            name="春季班",
            start_date=date(2026, 4, 14),
            end_date=date(2026, 4, 16),
        )
        trainee = get("training", "Trainee").objects.create(
            organization=organization, name="张丽华", phone="13900000001", access_code="246810"
        )
        enrollment = get("training", "Enrollment").objects.create(course=course, trainee=trainee, student_no="001")
        issued = datetime(2026, 4, 16, 17, 30, tzinfo=TZ)
        get("training", "Certificate").objects.create(
            course=course,
            enrollment=enrollment,
            seq=1,
            number="〔2026〕县工培字第001号",
            token="t" * 43,
            name="张丽华",
            hours=Decimal("16"),
            issued_at=issued,
            dated=date(2026, 4, 16),
            pdf="certificates/QS2026-00-0001-v1.pdf",
            pdf_sha256="a" * 64,
        )
        get("training", "CompletionOverride").objects.create(
            enrollment=enrollment, eligible=True, reason="补考合格", decided_by=user, decided_at=issued
        )
        get("training", "CertificateJob").objects.create(
            course=course, requested_by=user, status="done", total=1, done=1
        )
        get("training", "AuditEntry").objects.create(
            course=course, actor=user, action="certificate.issue", label="张丽华"
        )
        content_type = get("contenttypes", "ContentType").objects.get_or_create(
            app_label="training", model="certificate"
        )[0]
        apps = migrations.migrate(latest)
    finally:
        migrations.migrate(latest)
    certificate = apps.get_model("completion", "Certificate").objects.get()
    assert (certificate.number, certificate.enrollment.trainee.name, certificate.pdf.name) == (
        "〔2026〕县工培字第001号",
        "张丽华",
        "certificates/QS2026-00-0001-v1.pdf",
    )
    assert apps.get_model("completion", "CompletionOverride").objects.get().reason == "补考合格"
    assert apps.get_model("completion", "CertificateJob").objects.get().status == "done"
    assert apps.get_model("core", "AuditEntry").objects.get().label == "张丽华"
    moved = apps.get_model("contenttypes", "ContentType").objects.get(pk=content_type.pk)
    assert (moved.app_label, moved.model) == ("completion", "certificate")  # its permissions follow
