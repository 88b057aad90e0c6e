"""A real Celery worker process on Redis runs our tasks (run when REDIS_URL is set: the
PostgreSQL pass of `make test`; required under CI=true)."""

import time
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from conftest import start_worker
from core import tasks, uploads

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(settings):
    """A worker process of its own, on a queue of its own."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    process, _ = start_worker(settings, queue)
    try:
        yield queue
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_worker_process_runs_the_purge_task(worker):
    stale = int(time.time() - uploads.UPLOAD_MAX_AGE.total_seconds() - timedelta(minutes=5).total_seconds())
    old = default_storage.save(f"{uploads.UPLOAD_DIR}/{stale}-old.xlsx", ContentFile(b"old"))
    young = default_storage.save(f"{uploads.UPLOAD_DIR}/{int(time.time())}-young.xlsx", ContentFile(b"young"))

    purged = tasks.uploads_purge_task.apply_async(queue=worker).get(timeout=60)

    assert purged == 1
    assert not default_storage.exists(old) and default_storage.exists(young)
    assert settings.CELERY_BROKER_URL.startswith("redis://")
