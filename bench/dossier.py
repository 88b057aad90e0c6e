"""Benchmark: the closing dossier (结班归档) of a 500-trainee, 20-session course with attendance,
leave, discipline, two published bulletins and 500 certificates in the register, made as a
background job in a separate worker process (as a Celery worker runs it) while this process
follows its progress from the database. Reports the wall time, the worker's peak memory (its
own getrusage), the files, pages and sizes. Throw-away database (SQLite, or the PostgreSQL of
DATABASE_URL); `make bench` runs it.

    python bench/dossier.py [--trainees 500] [--sessions 20]
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-media-"))

GOAL_S, GOAL_MB = 60, 600


def worker(job_id: int, database: str) -> None:
    """The rendering process: a fresh interpreter on the benchmark's database, like a worker."""
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"]["NAME"] = database
    from documents import tasks

    tasks.dossier_job_task(job_id)
    print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def history(course, user) -> dict:
    """Leave (approved, rejected, late-filed), discipline, two bulletins and the certificate register."""
    from django.utils import timezone

    from attendance import services as attendance
    from attendance.models import DisciplineRecord, LeaveDecision, LeaveRequest
    from completion.models import Certificate

    sessions = list(course.sessions.order_by("starts_at"))
    enrollments = list(course.enrollments.select_related("trainee").order_by("student_no"))
    leaves = LeaveRequest.objects.bulk_create(
        LeaveRequest(
            enrollment=e,
            kind=LeaveRequest.Kind.SICK if n % 3 else LeaveRequest.Kind.PERSONAL,
            reason="身体不适，到医院就诊" if n % 3 else "单位有紧急工作需要处理",
            hours=Decimal("2"),
            status=LeaveRequest.Status.REJECTED if n % 7 == 0 else LeaveRequest.Status.APPROVED,
            late_filed=n % 5 == 0,
            requested_at=sessions[n % len(sessions)].starts_at - timedelta(hours=2),
        )
        for n, e in enumerate(enrollments[::8])
    )
    LeaveRequest.sessions.through.objects.bulk_create(
        LeaveRequest.sessions.through(leaverequest=leave, session=sessions[n % len(sessions)])
        for n, leave in enumerate(leaves)
    )
    LeaveDecision.objects.bulk_create(
        LeaveDecision(
            leave=leave,
            role="advisor",
            approved=leave.status == LeaveRequest.Status.APPROVED,
            comment="" if leave.status == LeaveRequest.Status.APPROVED else "课程重要，请安排好工作按时参加",
            decided_by=user,
            decided_at=leave.requested_at + timedelta(minutes=30),
        )
        for leave in leaves
    )
    kinds = list(DisciplineRecord.Kind.values)
    DisciplineRecord.objects.bulk_create(
        DisciplineRecord(
            enrollment=e,
            session=sessions[n % len(sessions)],
            kind=kinds[n % len(kinds)],
            points=1,
            minutes_out=15 if kinds[n % len(kinds)] == DisciplineRecord.Kind.IN_OUT else None,
            note="课堂上使用手机",
            recorded_by=user,
            recorded_at=sessions[n % len(sessions)].starts_at + timedelta(minutes=20),
        )
        for n, e in enumerate(enrollments[::6])
    )
    end = sessions[-1].ends_at + timedelta(hours=1)
    for day in sorted({s.local_date for s in sessions}):
        attendance.bulletin_publish(course=course, day=day, by=user, at=end)
    Certificate.objects.bulk_create(
        Certificate(
            course=course,
            enrollment=e,
            seq=n,
            number=f"〔2026〕县工培字第{n:03d}号",
            token=f"bench-{e.pk}-{n}-0123456789abcdef0123456789abcdef",
            name=e.trainee.name,
            hours=Decimal("20"),
            issued_at=end,
            dated=course.end_date,
            issued_by=user,
        )
        for n, e in enumerate(enrollments, start=1)
    )
    return {"leave": len(leaves), "now": timezone.now()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=500)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.database)

    import _results
    from attendance_grid import build  # sets Django up
    from django.conf import settings
    from django.db import connection

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):  # a file the worker process can open too
        database.setdefault("TEST", {})["NAME"] = str(Path(tempfile.mkdtemp(prefix="bench-db-")) / "dossier.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.contrib.auth import get_user_model

        from documents import services
        from documents.models import DossierJob

        course = build(args.trainees, args.sessions)
        user = get_user_model().objects.get(username="bench")
        facts = history(course, user)
        connection.close()
        started = []
        start = time.perf_counter()

        def enqueue(job):
            started.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        __file__,
                        "--worker",
                        str(job.pk),
                        "--database",
                        settings.DATABASES["default"]["NAME"],
                    ],
                    stdout=subprocess.PIPE,
                    text=True,
                )
            )

        job = services.dossier_start(course=course, by=user, enqueue=enqueue)
        process, last = started[0], None
        while process.poll() is None:
            time.sleep(0.5)  # a benchmark, not a test: it follows the job as the page would
            job.refresh_from_db()
            if (job.done, job.total) != last:
                last = (job.done, job.total)
                print(f"  进度 {job.done}/{job.total} {job.current}", flush=True)
        wall = time.perf_counter() - start
        worker_out = process.stdout.read()
        job.refresh_from_db()
        if job.status != DossierJob.Status.DONE:
            raise SystemExit(f"归档任务失败：{job.error}")
        peak_mb = json.loads(worker_out.strip().splitlines()[-1])["peak_mb"]
        files = job.manifest["files"]
        pages = sum(f["pages"] or 0 for f in files)
        zip_mb = job.archive.size / 1024 / 1024
        combined_mb = job.combined.size / 1024 / 1024
        print(f"结班归档 {args.trainees} 人 × {args.sessions} 课次（{connection.vendor}），请假 {facts['leave']} 份")
        print(
            f"  {len(files)} 个文件，{pages} 页；ZIP {zip_mb:.1f} MB，合订本 {job.manifest['combined']['pages']} 页 {combined_mb:.1f} MB"
        )
        print(
            f"  后台任务总用时 {wall:.1f} s（目标 < {GOAL_S} s）；渲染进程内存峰值 {peak_mb:.0f} MB（目标 < {GOAL_MB} MB）"
        )
        _results.save(
            dossier_s=wall,
            dossier_peak_mb=peak_mb,
            dossier_files=len(files),
            dossier_pages=job.manifest["combined"]["pages"],
            dossier_zip_mb=zip_mb,
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
