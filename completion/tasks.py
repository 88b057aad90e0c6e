import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task
def certificate_job_task(job_id: int, base_url: str = "") -> int:
    """颁发证书 with progress and a ZIP (see services.certificate_job_run)."""
    return services.certificate_job_run(job_id, base_url).done


def certificate_job_enqueue(job, base_url: str) -> None:
    """Hands a started job to a worker (`services.certificate_job_start` calls this on commit)."""
    try:
        certificate_job_task.delay(job.pk, base_url)
    except Exception:  # the broker is down (or, run in-process, the job failed and said so itself)
        logger.exception("certificate job %s could not be queued or run", job.pk)
        services.certificate_job_not_queued(job)
