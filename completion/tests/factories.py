"""Register rows for page tests: a certificate and a finished job, each with a tiny fake file."""

from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from completion.models import Certificate, CertificateJob


def certificate_for(enrollment, *, seq=1):
    """A certificate in the register with a (tiny, fake) PDF, for page tests."""
    certificate = Certificate(
        course=enrollment.course,
        enrollment=enrollment,
        seq=seq,
        number=f"〔2026〕县工培字第{seq:03d}号",
        token=f"test-token-{enrollment.pk}-{seq}-0123456789abcdef0123456789",
        name=enrollment.trainee.name,
        hours=Decimal("16"),
        issued_at=timezone.now(),
    )
    certificate.pdf.save(f"test-{enrollment.pk}-{seq}.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    certificate.save()
    return certificate


def certificate_job_for(course):
    """A finished certificate job with a (tiny, fake) ZIP, for page tests."""
    job = CertificateJob(course=course, status=CertificateJob.Status.DONE, total=1, done=1)
    job.archive.save("test.zip", ContentFile(b"PK\x05\x06" + bytes(18)), save=True)
    return job
