from celery import shared_task

from . import services


@shared_task
def roster_uploads_purge_task() -> int:
    """Deletes roster uploads that were previewed but never confirmed (hourly, from beat).
    Idempotent: a second run finds nothing to delete."""
    return services.roster_uploads_purge()
