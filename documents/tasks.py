import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task
def dossier_job_task(job_id: int) -> int:
    """结班归档 with progress: the ZIP, its manifest and the combined PDF (see services.dossier_run)."""
    return services.dossier_run(job_id).done


def dossier_job_enqueue(job) -> None:
    """Hands a started job to a worker (`services.dossier_start` calls this on commit)."""
    try:
        dossier_job_task.delay(job.pk)
    except Exception:  # the broker is down (or, run in-process, the job failed and said so itself)
        logger.exception("dossier job %s could not be queued or run", job.pk)
        services.dossier_job_not_queued(job)
