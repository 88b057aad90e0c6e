"""Rows of attendance made through the services, for tests that need a course with history."""

import threading
from datetime import timedelta

from attendance import services
from attendance.models import DisciplineRecord, LeaveRequest


def sample_attendance(course, session, enrollment, advisor):
    """A pending leave request, a discipline record and a published bulletin of `session`'s day
    (published after the session ended)."""
    leave = services.leave_request_create(
        enrollment=enrollment,
        sessions=[session],
        kind=LeaveRequest.Kind.PERSONAL,
        reason="家中有事",
        at=session.starts_at - timedelta(days=1),
    )
    record = services.discipline_record_create(
        enrollment=enrollment, session=session, kind=DisciplineRecord.Kind.PHONE, points=1, by=advisor
    )
    bulletin = services.bulletin_publish(
        course=course, day=session.local_date, by=advisor, at=session.ends_at + timedelta(hours=1)
    )
    return leave, record, bulletin


def race(calls: int, threads: int, target) -> list:
    """Runs `target` `calls` times from `threads` threads released together; returns the results
    and exceptions."""
    barrier = threading.Barrier(threads)
    results, lock = [], threading.Lock()

    def worker(count):
        from django.db import connections

        barrier.wait()
        for _ in range(count):
            try:
                outcome = target()
            except Exception as exc:  # collected and asserted below
                outcome = exc
            with lock:
                results.append(outcome)
        connections.close_all()

    share = [calls // threads + (1 if i < calls % threads else 0) for i in range(threads)]
    pool = [threading.Thread(target=worker, args=(n,)) for n in share]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return results
