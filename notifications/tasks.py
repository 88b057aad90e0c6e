from celery import shared_task
from django.conf import settings

from . import services


@shared_task(bind=True)
def notifications_sweep_task(self) -> int:
    """Every minute (beat): plans what is due and hands the due rows to delivery tasks in batches,
    on the queue the sweep itself came from. Safe to run twice at once: planning is unique per
    message, and delivery claims each row."""
    ids = services.notifications_sweep()
    queue = (self.request.delivery_info or {}).get("routing_key")
    size = settings.NOTIFICATION_BATCH
    for start in range(0, len(ids), size):
        notifications_deliver_task.apply_async((ids[start : start + size],), queue=queue)
    return len(ids)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def notifications_deliver_task(ids: list[int]) -> dict:
    """Sends a batch, one row after another, each claimed first; idempotent, hence acks_late: a
    batch redelivered after a worker died skips what was sent."""
    outcomes: dict[str, int] = {}
    for pk in ids:
        outcome = services.notification_deliver(pk=pk)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes  # a row that raised stays claimed and is retried after the lease
