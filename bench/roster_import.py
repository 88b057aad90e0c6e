"""Benchmark: importing a 5,000-row roster (.xlsx as organizers send it) through the same service
the page and `import_roster` use. Runs against a throw-away database: SQLite by default, or the
PostgreSQL of DATABASE_URL. Prints the figures; `make bench` runs it.

    python bench/roster_import.py [--rows 5000] [--repeat 3]
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import _results  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from training import demo, roster, services  # noqa: E402
from training.models import Course, Organization  # noqa: E402


def roster_file(rows: int) -> bytes:
    """A roster like the ones organizers send: a title row, the header, phones as numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2026年全市工会干部培训班学员花名册"])
    sheet.append(["序号", "姓名", "性别", "民族", "政治面貌", "工作单位", "职务", "手机号码", "小组", "身份证号码"])
    for i, p in enumerate(demo.people(rows, seed=5000, groups=20), start=1):
        gender = {"M": "男", "F": "女"}[p.gender]
        sheet.append(
            [
                i,
                p.name,
                gender,
                p.ethnicity,
                p.political_status,
                p.work_unit,
                p.position,
                int(p.phone),
                p.group,
                p.id_number,
            ]
        )
    sheet.append(["注：手机号码用于学员登录。"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def timed(fn, **kwargs):
    start = time.perf_counter()
    result = fn(**kwargs)
    return time.perf_counter() - start, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    content = roster_file(args.rows)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        parse_times, first_times, again_times = [], [], []
        for run in range(args.repeat):
            call_command("flush", interactive=False, verbosity=0)  # each run starts empty (audit rows too)
            organization = Organization.objects.create(name="基准测试总工会")
            course = Course.objects.create(
                organization=organization,
                code=f"BENCH-{run}",
                name="基准",
                start_date="2026-11-20",
                end_date="2026-11-22",
            )
            parse_times.append(timed(roster.parse_roster, content=content, filename="roster.xlsx")[0])
            seconds, result = timed(services.roster_import, course=course, content=content, filename="roster.xlsx")
            assert result.committed and result.counts["create"] == args.rows, result.problems[:3]
            first_times.append(seconds)
            seconds, result = timed(services.roster_import, course=course, content=content, filename="roster.xlsx")
            assert result.counts["unchanged"] == args.rows
            again_times.append(seconds)
        print(f"database: {connection.vendor}, rows: {args.rows}, file: {len(content) // 1024} KB, runs: {args.repeat}")
        print(f"  read and check the file only:        median {statistics.median(parse_times):.2f} s")
        print(
            f"  first import (5,000 new trainees):    median {statistics.median(first_times):.2f} s  (max {max(first_times):.2f} s)"
        )
        print(
            f"  same file again (nothing changes):    median {statistics.median(again_times):.2f} s  (max {max(again_times):.2f} s)"
        )
        _results.save(
            roster_5000_check_s=statistics.median(parse_times),
            roster_5000_s=statistics.median(first_times),
            roster_5000_again_s=statistics.median(again_times),
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
