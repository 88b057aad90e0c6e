from celery import shared_task

from . import certificates, services, uploads


@shared_task
def uploads_purge_task() -> int:
    """Deletes uploads (rosters, materials) that were previewed but never confirmed (hourly, from beat).
    Idempotent: a second run finds nothing to delete."""
    return uploads.uploads_purge()


@shared_task
def login_locks_prune_task() -> int:
    """Forgets stale failed-login counts (hourly, from beat). Idempotent."""
    return services.login_locks_prune()


@shared_task
def certificate_job_task(job_id: int, base_url: str = "") -> int:
    """颁发证书 with progress and a ZIP (see certificates.certificate_job_run)."""
    return certificates.certificate_job_run(job_id, base_url).done
