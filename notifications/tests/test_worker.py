"""The outbox with real worker processes on Redis (run when REDIS_URL is set: the PostgreSQL
pass of `make test`; required under CI=true). Time is real here: the workers are other processes."""

import json
import os
import signal
import time
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from attendance import services as attendance_services
from conftest import start_worker
from notifications import services, tasks
from notifications.models import Notification
from notifications.tests.helpers import session_soon, trainees

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

LEASE = 2  # seconds, for the workers and for this process


@pytest.fixture
def outbox(settings, tmp_path):
    """Workers on a queue of their own writing what they send to a file; stopped at the end."""
    settings.NOTIFICATION_LEASE_SECONDS = LEASE
    sent = tmp_path / "sent.jsonl"
    queue = f"test-{uuid.uuid4().hex[:8]}"
    processes = []

    def start(label):
        env = {"NOTIFICATION_CONSOLE_FILE": str(sent), "NOTIFICATION_LEASE_SECONDS": str(LEASE)}
        process, _ = start_worker(settings, queue, name=f"{queue}-{label}@localhost", env=env)
        processes.append(process)
        return process

    def ids():
        return [json.loads(line)["id"] for line in sent.read_text().splitlines()] if sent.exists() else []

    yield type("Outbox", (), {"queue": queue, "start": staticmethod(start), "ids": staticmethod(ids)})
    for process in processes:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def wait_until(condition, timeout=120, redispatch=None):
    """Waits for the worker processes (there is nothing to freeze in other processes); with
    `redispatch`, hands due rows out again on each round, as the beat does every minute."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the workers"
        if redispatch:
            redispatch()
        time.sleep(0.2)


def test_two_sweeps_racing_on_two_workers_send_each_reminder_once(outbox, course, advisor):
    session = session_soon(course, timezone.now(), minutes=10)
    people = trainees(course, 40)
    leave = attendance_services.leave_request_create(
        enrollment=people[0], sessions=[session], kind="sick", reason="发烧"
    )
    attendance_services.leave_decide(leave=leave, by=advisor, role="advisor", approve=True, confirm=True)
    outbox.start("a")
    outbox.start("b")
    results = [tasks.notifications_sweep_task.apply_async(queue=outbox.queue) for _ in range(2)]
    for result in results:
        result.get(timeout=60)
    wait_until(lambda: not Notification.objects.exclude(status="sent").exists())
    sent = outbox.ids()
    assert len(sent) == len(set(sent)) == Notification.objects.count() == 40  # 39 reminders + the decision
    reminded = set(Notification.objects.filter(kind="session_reminder").values_list("enrollment_id", flat=True))
    assert reminded == {p.pk for p in people[1:]}


def test_a_worker_killed_mid_batch_loses_nothing(outbox, course):
    """1,000 messages; the worker is killed with SIGKILL part way. Bound: a message can go out
    twice only if it was claimed (status 'sending') when the worker died; a solo worker sends one
    at a time, so at most one per killed worker."""
    now = timezone.now()
    people = trainees(course, 1)
    rows = [
        Notification(
            course=course,
            kind="session_reminder",
            dedupe_key=f"load:{i}",
            recipient=people[0].trainee.name,
            enrollment=people[0],
            channel="console",
            title=f"第{i}条",
            body="课前提醒",
            next_attempt_at=now,
        )
        for i in range(1000)
    ]
    Notification.objects.bulk_create(rows)
    first = outbox.start("first")
    ids = services.notifications_dispatch()
    for start in range(0, len(ids), 100):
        tasks.notifications_deliver_task.apply_async((ids[start : start + 100],), queue=outbox.queue)
    wait_until(lambda: len(outbox.ids()) >= 200)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    in_flight = set(Notification.objects.filter(status="sending").values_list("pk", flat=True))
    assert len(in_flight) <= 1
    sent_before = len(outbox.ids())
    assert 200 <= sent_before < 1000  # killed in the middle of the batch

    outbox.start("second")

    def beat():
        for pk_batch in [services.notifications_dispatch()]:
            if pk_batch:
                tasks.notifications_deliver_task.apply_async((pk_batch,), queue=outbox.queue)

    wait_until(lambda: not Notification.objects.exclude(status="sent").exists(), redispatch=beat)
    sent = outbox.ids()
    assert set(sent) == set(ids)  # none lost
    duplicates = {pk for pk in sent if sent.count(pk) > 1}
    assert duplicates <= in_flight  # only a message in flight at the kill may go twice
    assert timezone.now() - now < timedelta(minutes=5)
