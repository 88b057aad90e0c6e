"""A real Celery worker process on Redis runs our tasks (run when REDIS_URL is set: the
PostgreSQL pass of `make test`; required under CI=true)."""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from config.celery import app as celery_app
from conftest import require_service
from training import services, tasks

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(settings):
    """A worker process of its own, on a queue of its own, with the test database and media."""
    redis_url = require_service("REDIS_URL")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    name = f"{queue}@localhost"
    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
    }
    if database["ENGINE"].endswith("postgresql"):
        env["DATABASE_URL"] = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-n",
            name,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )
    celery_app.conf.task_always_eager = False
    try:
        deadline = time.monotonic() + 60
        while not celery_app.control.ping(destination=[name], timeout=1):
            assert process.poll() is None, "the worker exited at start"
            assert time.monotonic() < deadline, "the worker did not answer within 60 s"
        yield queue
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_worker_process_runs_the_purge_task(worker):
    old = default_storage.save(f"{services.UPLOAD_DIR}/old.xlsx", ContentFile(b"old"))
    young = default_storage.save(f"{services.UPLOAD_DIR}/young.xlsx", ContentFile(b"young"))
    stale = time.time() - services.UPLOAD_MAX_AGE.total_seconds() - timedelta(minutes=5).total_seconds()
    os.utime(default_storage.path(old), (stale, stale))

    purged = tasks.uploads_purge_task.apply_async(queue=worker).get(timeout=60)

    assert purged == 1
    assert not default_storage.exists(old) and default_storage.exists(young)
    assert settings.CELERY_BROKER_URL.startswith("redis://")
