"""Thin Celery wrappers around lodging.services."""

from celery import shared_task

from . import services


@shared_task
def meals_freeze_task() -> int:
    """Stores the count of every meal whose cut-off has passed (idempotent; the beat runs it)."""
    return services.meals_freeze()
