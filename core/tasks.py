from celery import shared_task

from . import uploads


@shared_task
def uploads_purge_task() -> int:
    """Deletes uploads (rosters, materials) that were previewed but never confirmed (hourly, from beat).
    Idempotent: a second run finds nothing to delete."""
    return uploads.uploads_purge()
