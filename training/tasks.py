from celery import shared_task

from . import certificates, uploads


@shared_task
def uploads_purge_task() -> int:
    """Deletes uploads (rosters, materials) that were previewed but never confirmed (hourly, from beat).
    Idempotent: a second run finds nothing to delete."""
    return uploads.uploads_purge()


@shared_task
def certificate_job_task(job_id: int, base_url: str = "") -> int:
    """颁发证书 with progress and a ZIP (see certificates.certificate_job_run)."""
    return certificates.certificate_job_run(job_id, base_url).done
