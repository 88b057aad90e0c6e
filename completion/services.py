"""Completion (结业) writes: organizers' overrides and the certificate register (issuing to
everyone eligible, numbering without gaps, revoking, reissuing, and the PDFs). The decision itself
is `completion.rules.completion`, read through `completion.selectors.completion_for_course`.

Issuing is one service, `certificates_issue`, whatever asks for it: the Celery job behind the
page (which adds progress and the ZIP) and the `issue_certificates` command.
"""

import hashlib
import io
import logging
import secrets
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from core import audit, formats, links, pdf, qr
from core.errors import DomainError
from training.archive import ensure_open
from training.models import Course, Enrollment

from . import rules, selectors
from .models import Certificate, CertificateJob, CompletionOverride

logger = logging.getLogger(__name__)
JOB_STALL_MINUTES = 10  # a running job that has not moved for this long has lost its worker


def new_token() -> str:
    """A verification token: 32 random bytes (256 bits), URL-safe."""
    return secrets.token_urlsafe(32)


SITE_URL_REQUIRED = (
    "未设置 SITE_URL，证书上的查验二维码没有可以打开的网址。证书印发后无法更改，请先设置 SITE_URL 再颁发。"
)


def verify_url(token: str, *, base_url: str = "") -> str:
    """The verify page's absolute address: under `base_url` when given, else under SITE_URL."""
    path = reverse("completion:verify", args=[token])
    return f"{base_url}{path}" if base_url else links.public_url(path)


def certificate_base_url(*, request=None) -> str:
    """The address certificates link to: SITE_URL; in DEBUG without it, the address the page was
    opened with. Raises DomainError('site_url') otherwise: a certificate is permanent, and a QR
    holding a bare path opens nothing."""
    if settings.SITE_URL:
        return settings.SITE_URL
    if settings.DEBUG and request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    raise DomainError("site_url", SITE_URL_REQUIRED)


def certificate_date(course: Course):
    """The date printed on the course's certificates: the one the organizer chose, else the last
    day of the course (never the day a job happened to run)."""
    return course.certificate_date or course.end_date


@dataclass
class IssueResult:
    issued: list[Certificate] = field(default_factory=list)
    already: list[Certificate] = field(default_factory=list)
    not_eligible: list = field(default_factory=list)  # selectors.CompletionRow
    valid: list[Certificate] = field(default_factory=list)  # every valid one, each with its PDF


@transaction.atomic
def completion_override(*, enrollment: Enrollment, eligible: bool, reason: str, by, at=None) -> CompletionOverride:
    """An organizer lets a trainee complete (or not) against the rules. Needs a reason; kept as
    history, the latest decision standing."""
    ensure_open(enrollment.course)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", "请填写理由。", "reason")
    override = CompletionOverride.objects.create(
        enrollment=enrollment, eligible=eligible, reason=reason[:300], decided_by=by, decided_at=at or timezone.now()
    )
    audit.record(
        "completion.override",
        course=enrollment.course,
        by=by,
        obj=override,
        label=enrollment.trainee.name,
        after={"eligible": eligible, "reason": override.reason},
        at=override.decided_at,
    )
    return override


def _next_seq(course: Course) -> int:
    return (Certificate.objects.filter(course=course).aggregate(top=Max("seq"))["top"] or 0) + 1


def certificates_issue(
    *, course: Course, by=None, now: datetime | None = None, base_url: str = "", progress=None
) -> IssueResult:
    """Issues a certificate to everyone the completion rule (or an organizer's override) lets
    complete and who has none yet, numbered in order, then makes the PDF of every valid
    certificate that has none: the new ones, and any an interrupted job left without. Locks the
    course row, so two jobs at once give unique numbers without gaps; issuing again changes
    nothing. `progress(done=, total=)` hears how far the PDFs are (the job's bar)."""
    now = now or timezone.now()
    result = IssueResult()
    with transaction.atomic():
        course = Course.objects.select_for_update().select_related("organization").get(pk=course.pk)
        ensure_open(course)
        rows = selectors.completion_for_course(course, now=now)
        valid = {c.enrollment_id: c for c in Certificate.objects.filter(course=course, status=Certificate.Status.VALID)}
        seq = _next_seq(course)
        dated = certificate_date(course)
        for row in rows:
            if not row.eligible:
                result.not_eligible.append(row)
            elif row.enrollment.pk in valid:
                result.already.append(valid[row.enrollment.pk])
            else:
                result.issued.append(
                    Certificate.objects.create(
                        course=course,
                        enrollment=row.enrollment,
                        seq=seq,
                        number=rules.certificate_number(course.certificate_number_format, year=dated.year, seq=seq),
                        token=new_token(),
                        name=row.enrollment.trainee.name,
                        hours=row.hours,
                        issued_at=now,
                        dated=dated,
                        issued_by=by,
                    )
                )
                seq += 1
        audit.record_many(
            [
                audit.entry(
                    "certificate.issue",
                    course=course,
                    by=by,
                    obj=c,
                    label=f"{c.name} · {c.number}",
                    after={"number": c.number, "hours": c.hours},
                    at=now,
                )
                for c in result.issued
            ]
        )
    result.valid = list(
        course.certificates.filter(status=Certificate.Status.VALID)
        .select_related("course__organization")
        .order_by("seq")
    )
    by_pk = {c.pk: c for c in result.valid}  # one object per certificate: the rendered one
    result.issued = [by_pk[c.pk] for c in result.issued]
    result.already = [by_pk.get(c.pk, c) for c in result.already]
    missing = [c for c in result.valid if not c.pdf]
    done, total = len(result.valid) - len(missing), len(result.valid)
    if progress:
        progress(done=done, total=total)

    def rendered():
        nonlocal done
        done += 1
        if progress:
            progress(done=done, total=total)

    certificates_render(certificates=missing, progress=rendered, base_url=base_url)
    return result


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, by=None) -> Certificate:
    """撤销: the row stays, marked revoked, and the verify page says so at once."""
    ensure_open(certificate.course)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", "请填写撤销原因。", "reason")
    updated = Certificate.objects.filter(pk=certificate.pk, status=Certificate.Status.VALID).update(
        status=Certificate.Status.REVOKED, revoked_at=timezone.now(), revoke_reason=reason[:200]
    )
    if not updated:
        raise DomainError("not_valid", "只有有效的证书可以撤销。")
    certificate.refresh_from_db()
    audit.record(
        "certificate.revoke",
        course=certificate.course,
        by=by,
        obj=certificate,
        label=f"{certificate.name} · {certificate.number}",
        before={"status": Certificate.Status.VALID},
        after={"status": certificate.status, "reason": certificate.revoke_reason},
        at=certificate.revoked_at,
    )
    return certificate


def certificate_reissue(*, certificate: Certificate, by=None, base_url: str = "") -> Certificate:
    """重新颁发 (e.g. a name corrected): the old version is marked reissued, a new version with the
    same number and date, the current name and a new token is made, with its PDF."""
    with transaction.atomic():
        old = Certificate.objects.select_for_update().select_related("enrollment__trainee").get(pk=certificate.pk)
        ensure_open(old.course)
        if old.status == Certificate.Status.REISSUED:
            raise DomainError("reissued", "这份证书已经重新颁发过，请对最新一版操作。")
        old.status = Certificate.Status.REISSUED
        old.save(update_fields=["status"])
        new = Certificate.objects.create(
            course_id=old.course_id,
            enrollment=old.enrollment,
            seq=old.seq,
            version=old.version + 1,
            number=old.number,
            token=new_token(),
            name=old.enrollment.trainee.name,
            hours=old.hours,
            issued_at=timezone.now(),
            dated=old.dated,
            issued_by=by,
        )
        audit.record(
            "certificate.reissue",
            course=old.course,
            by=by,
            obj=new,
            label=f"{new.name} · {new.number}",
            before={"version": old.version, "name": old.name},
            after={"version": new.version, "name": new.name},
            at=new.issued_at,
        )
    certificates_render(certificates=[new], base_url=base_url)
    return new


# --- PDFs ---------------------------------------------------------------------------------------------


# A4 landscape, in millimetres from the page's top left corner. The body text has a box of its own
# with a fixed bottom; the QR band and the seal box lie below it, so no wording, however long the
# names, can reach the code or the seal. Tests read these boxes back from the rendered page.
LAYOUT = {
    "body": {"left": 36, "top": 52, "width": 225, "height": 88},
    "band": {"left": 36, "top": 146, "width": 118, "height": 40},
    "seal": {"left": 178, "top": 144, "width": 84, "height": 46},
}
QR_MM = 32  # the code with its quiet zone: modules of about 0.7 mm for a 100-character address


def _context(certificate: Certificate, seal: str, base_url: str) -> dict:
    course = certificate.course
    dates = formats.chinese_date_range(course.start_date, course.end_date)
    body = rules.certificate_body(
        name=certificate.name,
        dates=dates,
        organization=course.organization.name,
        course=course.name,
        hours=formats.hours(certificate.hours),
    )
    return {
        "name": certificate.name,
        "parts": body,
        "size": rules.certificate_text_size(body, width_mm=LAYOUT["body"]["width"], height_mm=LAYOUT["body"]["height"]),
        "organization": course.organization.name,
        "dated": formats.chinese_date(certificate.dated or certificate_date(course)),
        "number": certificate.number,
        "version": certificate.version,
        "qr": qr.qr_svg(verify_url(certificate.token, base_url=base_url)),
        "seal": seal,
    }


def _seal(course: Course) -> str:
    return pdf.file_uri(course.organization.seal)


def certificates_pdf(certificates: list[Certificate], *, base_url: str = "") -> bytes:
    """One PDF holding the given certificates, one page each (the 'print all' of a course); their
    QR codes link under `base_url` (default SITE_URL)."""
    seals = {}
    contexts = []
    for certificate in certificates:
        if certificate.course_id not in seals:
            seals[certificate.course_id] = _seal(certificate.course)
        contexts.append(_context(certificate, seals[certificate.course_id], base_url))
    return pdf.render("pdf/certificate.html", {"certificates": contexts, "layout": LAYOUT, "qr_mm": QR_MM})


def certificate_number_example(course: Course) -> str:
    """The course's first certificate number, to show the format as it will print (not as a pattern)."""
    try:
        return rules.certificate_number(course.certificate_number_format, year=certificate_date(course).year, seq=1)
    except ValueError as error:
        return str(error)


SAMPLE_NAME = "阿依古丽·买买提"  # a long name, so the layout is seen at its fullest


def certificate_sample_pdf(organization, *, today, base_url: str = "") -> bytes:
    """A 样张: one certificate laid out with the organization's name and seal as they are now, for
    an example trainee and course; nothing is saved and its QR verifies nothing."""
    course = Course(
        organization=organization,
        code="SAMPLE",
        name=f"{today.year}年全县基层工会干部培训班",
        start_date=today - timedelta(days=2),
        end_date=today,
    )
    certificate = Certificate(
        course=course,
        name=SAMPLE_NAME,
        hours=Decimal("24"),
        number=rules.certificate_number(course.certificate_number_format, year=today.year, seq=1),
        token="sample",
        dated=today,
    )
    return certificates_pdf([certificate], base_url=base_url)


def certificates_render(*, certificates: list[Certificate], progress=None, base_url: str = "") -> None:
    """Makes and keeps each certificate's own PDF with its SHA-256 (what the verify page shows, so
    an edited PDF can be told apart). Idempotent, also when two jobs render at once: the PDF is
    rendered outside any transaction (check-ins are not held up), then the row is locked and a
    certificate that got its PDF meanwhile keeps that one. `progress()` is called after each."""
    for certificate in certificates:
        content = None
        if not Certificate.objects.filter(pk=certificate.pk).exclude(pdf="").exists():
            content = certificates_pdf([certificate], base_url=base_url)
        with transaction.atomic():
            locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
            if not locked.pdf and content is not None:
                name = f"{certificate.course.code}-{locked.seq:04d}-v{locked.version}.pdf"
                locked.pdf.save(name, ContentFile(content), save=False)
                locked.pdf_sha256 = hashlib.sha256(content).hexdigest()
                locked.save(update_fields=["pdf", "pdf_sha256"])
            certificate.pdf, certificate.pdf_sha256 = locked.pdf, locked.pdf_sha256
        if progress:
            progress()


def _zip_name(certificate: Certificate) -> str:
    name = "".join("_" if ch in '/\\:*?"<>|' else ch for ch in certificate.name)
    return f"{certificate.seq:03d}-{name}.pdf"


def certificates_zip(certificates: list[Certificate], *, base_url: str = "") -> bytes:
    """The ZIP a job hands out: each trainee's PDF (named by number and name) and the print-all PDF."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            with certificate.pdf.open("rb") as handle:
                archive.writestr(_zip_name(certificate), handle.read())
        archive.writestr("全部证书（打印用）.pdf", certificates_pdf(certificates, base_url=base_url))
    return buffer.getvalue()


# --- The issuing job -----------------------------------------------------------------------------------


JOB_FAILED = (
    "生成证书时出错，已颁发和已生成的不受影响。请再点“颁发证书”重试；仍不成功请联系系统管理员查看 worker 日志。"
)
JOB_STALLED = "任务中断（worker 停止或重启），已由新的任务接续。"
JOB_NOT_QUEUED = "无法把任务交给后台（worker 或消息队列未运行），请联系系统管理员。"


def _job_fail(job: CertificateJob, message: str) -> None:
    CertificateJob.objects.filter(pk=job.pk).update(
        status=CertificateJob.Status.FAILED, error=message, finished_at=timezone.now()
    )


def certificate_job_not_queued(job: CertificateJob) -> None:
    """The job could not be handed to a worker: say so on the page instead of polling forever
    (unless, run in-process, it already ended and said so itself)."""
    job.refresh_from_db(fields=["status"])
    if job.running:
        _job_fail(job, JOB_NOT_QUEUED)


def certificate_job_start(*, course: Course, by, now: datetime | None = None, base_url: str = "", enqueue):
    """Starts 颁发证书 for the course: `enqueue(job, base_url)` is called once the job row is
    committed (completion.tasks hands it to a worker, which runs `certificate_job_run`). A second
    click while a job is under way follows that job, unless it has made no progress for
    JOB_STALL_MINUTES (its worker died): then it is marked failed and a new job takes over, without
    redoing anything. Refuses (DomainError 'site_url') when there is no public address for the QR codes."""
    ensure_open(course)
    now = now or timezone.now()
    base_url = base_url or certificate_base_url()
    if (job := course.certificate_jobs.first()) and job.running:
        if not rules.job_stalled(updated_at=job.updated_at, now=now, minutes=JOB_STALL_MINUTES):
            return job
        _job_fail(job, JOB_STALLED)
    job = CertificateJob.objects.create(course=course, requested_by=by, created_at=now, updated_at=now)
    transaction.on_commit(lambda: enqueue(job, base_url))
    return job


def _job_progress(job: CertificateJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.updated_at = timezone.now()
    CertificateJob.objects.filter(pk=job.pk).update(updated_at=job.updated_at, **fields)


def certificate_job_run(job_id: int, base_url: str = "") -> CertificateJob:
    """Issues, renders each certificate's PDF (counting progress) and packs the ZIP. A failure is
    recorded on the job with a message for the page, and raised for the worker's log."""
    job = CertificateJob.objects.select_related("course__organization", "requested_by").get(pk=job_id)
    _job_progress(job, status=CertificateJob.Status.RUNNING)
    try:
        result = certificates_issue(
            course=job.course,
            by=job.requested_by,
            base_url=base_url,
            progress=lambda **counts: _job_progress(job, **counts),
        )
        _job_progress(job, issued=len(result.issued))
        if result.valid:
            archive = certificates_zip(result.valid, base_url=base_url)
            job.archive.save(f"{job.course.code}-{job.pk}.zip", ContentFile(archive), save=False)
        job.status, job.finished_at = CertificateJob.Status.DONE, timezone.now()
        job.save(update_fields=["archive", "status", "finished_at"])
    except Exception:
        job.status = CertificateJob.Status.FAILED
        _job_fail(job, JOB_FAILED)
        raise
    return job
