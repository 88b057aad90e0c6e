"""Benchmark: check-in under a burst, against gunicorn and the database of DATABASE_URL (PostgreSQL
in `make bench`), on a throw-away database.

- cost: one trainee at a time, the check-in POST against the cheapest authenticated page (a
  trainee's 我的培训 page, GET), mean server time each; their ratio is `checkin_cost_ratio`;
- burst: 500 trainees checking in at random moments within 60 s (as at 8:30), p50/p99;
- highest rate: 16 clients checking in as fast as the server answers (each trainee into several
  sessions, so every request is a real first check-in), throughput and p99.

The clients are Python threads on the same 2 cores as the server, so the figures include them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/training python bench/checkin_burst.py
"""

import argparse
import contextlib
import http.client
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + secrets.token_urlsafe(30))
os.environ["DJANGO_HTTPS"] = "false"

import django  # noqa: E402

django.setup()

import _results  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from attendance import rules, tokens  # noqa: E402
from attendance.models import AttendanceRecord  # noqa: E402
from training import demo, services  # noqa: E402
from training.models import Course, Enrollment, Organization, Session, Trainee  # noqa: E402


def build(trainees: int, sessions: int):
    """A course running now with `sessions` sessions open for check-in, `trainees` enrolled, each
    logged in already (a session cookie made the way Django's login makes it)."""
    now = timezone.now()
    organization = Organization.objects.create(name="基准测试总工会")
    today = timezone.localdate(now)
    course = Course.objects.create(
        organization=organization,
        code="BENCH-04",
        name="基准测试培训班",
        start_date=today,
        end_date=today,
        status=Course.Status.PUBLISHED,
    )
    slots = Session.objects.bulk_create(
        Session(
            course=course, title=f"课次{i + 1}", starts_at=now + timedelta(minutes=5), ends_at=now + timedelta(hours=2)
        )
        for i in range(sessions)
    )
    people = Trainee.objects.bulk_create(
        Trainee(
            organization=course.organization, name=p.name, phone=p.phone, work_unit=p.work_unit, access_code="123456"
        )
        for p in demo.people(trainees, seed=404, groups=10)
    )
    Enrollment.objects.bulk_create(
        Enrollment(course=course, trainee=t, student_no=f"{i:04d}", group=f"第{i % 10 + 1}组")
        for i, t in enumerate(people, 1)
    )
    return slots, login_cookies(people)


def login_cookies(trainees) -> list[tuple[str, str]]:
    """(Cookie header, CSRF token) per trainee: each logged in already, with a session made the way
    Django's login makes it."""
    cookies = []
    for trainee in trainees:
        user = services.trainee_user_ensure(trainee=trainee)
        store = SessionStore()
        store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), "training.backends.TraineeBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        csrf = secrets.token_hex(16)
        cookies.append((f"sessionid={store.session_key}; csrftoken={csrf}", csrf))
    return cookies


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(workers: int):
    """A gunicorn of `workers` processes on a free port of 127.0.0.1, on the database this process
    uses (its throw-away test database), with hashed static files as in production and the
    rate-limit counters in Redis when REDIS_URL is set; yields the port once /healthz answers."""
    database = settings.DATABASES["default"]
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_CONN_MAX_AGE": "600",
    }
    if os.environ.get("REDIS_URL"):  # rate-limit counters in Redis, as in production (compose sets CACHE_URL)
        env["CACHE_URL"] = os.environ["REDIS_URL"]
    connection.close()
    env["STATIC_ROOT"] = tempfile.mkdtemp()  # as in production: hashed static files from collectstatic
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


class Client(threading.local):
    """One keep-alive connection per thread."""

    def request(self, port, method, path, cookie, csrf):
        if getattr(self, "conn", None) is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": cookie, "Host": "127.0.0.1"}
        if method == "POST":
            headers.update({"X-CSRFToken": csrf, "Content-Length": "0"})
        start = time.perf_counter()
        try:
            self.conn.request(method, path, headers=headers)
            response = self.conn.getresponse()
            response.read()
        except (http.client.HTTPException, OSError):
            self.conn = None
            raise
        return response.status, (time.perf_counter() - start) * 1000


TRAINEE_PAGES = ("/me/", "/me/attendance/", "/me/materials/")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=500)
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    args = parser.parse_args()
    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("postgresql"):
        print("签到压力测试：需要 DATABASE_URL 指向 PostgreSQL（gunicorn 多进程同时写入），已跳过。")
        return
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        slots, cookies = build(args.trainees, args.sessions)
        with gunicorn(args.workers) as port:
            measure(args, port, slots, cookies)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def measure(args, port, slots, cookies):
    client = Client()

    def checkin(session, who):
        path = f"/a/{session.pk}/{tokens.qr_token(session.pk, 'in', rules.qr_window(timezone.now()))}/"
        return client.request(port, "POST", path, *cookies[who])

    def page(path, who):
        return client.request(port, "GET", path, *cookies[who])

    for who in range(20):  # warm up every worker
        page("/me/", who)
    # the floor: the cheapest of the trainee's own pages
    candidates = {path: statistics.mean(page(path, who)[1] for who in range(60)) for path in TRAINEE_PAGES}
    floor_path = min(candidates, key=candidates.get)

    def floor(who):
        return page(floor_path, who)

    # cost: one at a time, into the last session (the burst and rate runs use the others)
    costs = {"checkin": [], "floor": []}
    for who in range(200):
        costs["floor"].append(floor(who)[1])
        status, ms = checkin(slots[-1], who)
        assert status == 200, status
        costs["checkin"].append(ms)
    checkin_ms, floor_ms = statistics.mean(costs["checkin"]), statistics.mean(costs["floor"])

    # burst: every trainee once into the first session, at random moments within the window
    rng = random.Random(1)
    moments = sorted(rng.uniform(0, args.seconds) for _ in cookies)
    burst, statuses = [], []
    start = time.perf_counter()

    def arrive(who, at):
        delay = at - (time.perf_counter() - start)
        if delay > 0:
            time.sleep(delay)
        status, ms = checkin(slots[0], who)
        statuses.append(status)
        burst.append(ms)

    with ThreadPoolExecutor(max_workers=64) as pool:
        list(pool.map(arrive, range(len(cookies)), moments))
    burst_s = time.perf_counter() - start

    # highest rate: 16 clients, each request a first check-in of a trainee into a session
    pairs = [(s, who) for s in slots[1:-1] for who in range(len(cookies))]
    rate = []
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=16) as pool:
        for status, ms in pool.map(lambda pair: checkin(*pair), pairs):
            statuses.append(status)
            rate.append(ms)
    rate_s = time.perf_counter() - start
    records = AttendanceRecord.objects.filter(session__in=slots).count()
    expected = 200 + len(cookies) + len(pairs)
    figures = {
        "checkin_ms": checkin_ms,
        "floor_ms": floor_ms,
        "checkin_cost_ratio": checkin_ms / floor_ms,
        "checkin_burst_trainees": len(cookies),
        "checkin_p50_ms": percentile(burst, 50),
        "checkin_p99_ms": percentile(burst, 99),
        "checkin_burst_s": burst_s,
        "checkin_max_per_s": len(pairs) / rate_s,
        "checkin_max_p50_ms": percentile(rate, 50),
        "checkin_max_p99_ms": percentile(rate, 99),
        "checkin_errors": sum(1 for s in statuses if s != 200),
    }
    print(f"签到压力测试（gunicorn {args.workers} 个进程 + {connection.vendor}，客户端在同一台机器上）")
    print(
        f"  单个请求：签到 {checkin_ms:.1f} ms，最便宜的登录后页面（{floor_path}）{floor_ms:.1f} ms，"
        f"比值 {checkin_ms / floor_ms:.2f}；学员页面 " + "，".join(f"{p} {ms:.1f} ms" for p, ms in candidates.items())
    )
    print(
        f"  {len(cookies)} 人在 {args.seconds:.0f} 秒内随机到达：p50 {figures['checkin_p50_ms']:.1f} ms，"
        f"p99 {figures['checkin_p99_ms']:.1f} ms"
    )
    print(
        f"  极限：{len(pairs)} 次签到，{figures['checkin_max_per_s']:.0f} 次/秒，p50 {figures['checkin_max_p50_ms']:.1f} ms，"
        f"p99 {figures['checkin_max_p99_ms']:.1f} ms；非 200 的回答 {figures['checkin_errors']} 个"
    )
    assert records == expected, (records, expected)  # every check-in made exactly one record
    _results.save(**figures)


if __name__ == "__main__":
    main()
