"""Benchmark: 10,000 reminders planned by the sweep and delivered to the console channel (a file)
by two Celery worker processes on Redis, through the same services and tasks as production, on a
throw-away database (the PostgreSQL of DATABASE_URL, else a SQLite file). Needs REDIS_URL.

    REDIS_URL=redis://127.0.0.1:6379/15 DATABASE_URL=postgres://postgres@127.0.0.1/training \\
        python bench/notifications_throughput.py [--messages 10000] [--workers 2]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import _results  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from config.celery import app as celery_app  # noqa: E402
from notifications import services, tasks  # noqa: E402
from notifications.models import Notification  # noqa: E402
from training.models import Course, Enrollment, Organization, Session, Trainee  # noqa: E402


def build(count: int) -> None:
    now = timezone.now()
    organization = Organization.objects.create(name="基准测试总工会")
    today = timezone.localdate(now)
    course = Course.objects.create(
        organization=organization,
        code="BENCH-03",
        name="基准测试培训班",
        start_date=today - timedelta(days=1),  # began yesterday: only the reminders are due
        end_date=today,
        status=Course.Status.PUBLISHED,
    )
    starts = now + timedelta(minutes=10)
    Session.objects.create(course=course, title="专题讲座", starts_at=starts, ends_at=starts + timedelta(hours=2))
    trainees = Trainee.objects.bulk_create(
        (
            Trainee(organization=course.organization, name=f"学员{i}", phone=f"13{i:09d}", access_code="123456")
            for i in range(count)
        ),
        batch_size=2000,
    )
    Enrollment.objects.bulk_create(
        (Enrollment(course=course, trainee=t, student_no=f"{i:05d}") for i, t in enumerate(trainees)), batch_size=2000
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        print("提醒发送基准：需要 REDIS_URL（真实的 Redis 和 worker 进程），已跳过。")
        return
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    sent_file = Path(tempfile.mkdtemp()) / "sent.jsonl"
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "NOTIFICATION_CONSOLE_FILE": str(sent_file), "CELERY_BROKER_URL": os.environ["REDIS_URL"]}
    env["CELERY_RESULT_BACKEND"] = os.environ["REDIS_URL"]
    if database["ENGINE"].endswith("postgresql"):
        env["DATABASE_URL"] = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{database['NAME']}"
    workers = []
    try:
        build(args.messages)
        start = time.perf_counter()
        planned = services.notifications_plan()
        plan_s = time.perf_counter() - start
        names = [f"{queue}-{i}@localhost" for i in range(args.workers)]
        for name in names:
            command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queue, "-n", name]
            command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=ERROR"]
            workers.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL))
        deadline = time.monotonic() + 60
        for name in names:
            while not celery_app.control.ping(destination=[name], timeout=1):
                if time.monotonic() > deadline or any(w.poll() is not None for w in workers):
                    raise SystemExit("a worker did not start")
        start = time.perf_counter()
        ids = services.notifications_dispatch()
        for i in range(0, len(ids), settings.NOTIFICATION_BATCH):
            tasks.notifications_deliver_task.apply_async((ids[i : i + settings.NOTIFICATION_BATCH],), queue=queue)
        while Notification.objects.filter(status="sent").count() < planned:
            time.sleep(0.2)
        deliver_s = time.perf_counter() - start
        lines = sent_file.read_text().splitlines()
        print(f"提醒发送：{planned} 条课前提醒，{args.workers} 个 worker 进程（{connection.vendor} + Redis）")
        print(
            f"  规划 {plan_s:.2f} s；发送 {deliver_s:.2f} s，{planned / deliver_s:.0f} 条/秒；控制台记录 {len(lines)} 行"
        )
        _results.save(reminders_planned_s=plan_s, reminders_per_s=planned / deliver_s, reminder_workers=args.workers)
    finally:
        for process in workers:
            process.terminate()
            process.wait(timeout=30)
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
