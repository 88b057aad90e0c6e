"""A running course for outbox tests: a session today, trainees, an advisor with an email."""

import http.server
import json
import threading
from datetime import timedelta

from django.utils import timezone

from training.tests.factories import EnrollmentFactory, SessionFactory


def session_soon(course, now, *, minutes=10):
    """A session of `course` starting `minutes` after `now`; the course began the day before (so
    its opening notice is not due)."""
    course.end_date = timezone.localdate(now)
    course.start_date = course.end_date - timedelta(days=1)
    course.save()
    starts = now + timedelta(minutes=minutes)
    return SessionFactory(course=course, starts_at=starts, ends_at=starts + timedelta(hours=2))


def trainees(course, n):
    return [EnrollmentFactory(course=course) for _ in range(n)]


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers with the status the server was told to, and keeps what was posted."""

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        self.server.received.append(
            {"path": self.path, "headers": dict(self.headers), "json": json.loads(self.rfile.read(length))}
        )
        status = self.server.statuses.pop(0) if self.server.statuses else 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"errcode": 0, "errmsg": "ok"}' if status == 200 else b"{}")

    def log_message(self, *args):
        pass


def local_server(statuses=()):
    """An HTTP server on 127.0.0.1 standing in for a group robot or an SMS gateway."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.received, server.statuses = [], list(statuses)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
