from celery import shared_task

from . import services


@shared_task
def login_locks_prune_task() -> int:
    """Forgets stale failed-login counts (hourly, from beat). Idempotent."""
    return services.login_locks_prune()
