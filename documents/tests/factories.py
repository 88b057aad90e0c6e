"""A finished dossier job with tiny fake files, for page and permission tests."""

from django.core.files.base import ContentFile

from documents.models import DossierJob


def dossier_job_for(course):
    job = DossierJob(course=course, status=DossierJob.Status.DONE, total=1, done=1)
    job.manifest = {"files": [], "combined": {"pages": 1}}
    job.archive.save("test.zip", ContentFile(b"PK\x05\x06" + bytes(18)), save=False)
    job.combined.save("test.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    return job
