"""Benchmark: the printed documents on a throw-away database (SQLite, or the PostgreSQL of
DATABASE_URL). Prints the figures; `make bench` runs it.

- 考勤报告 of 500 trainees × 20 sessions: PDF (pages, size, seconds) and .xlsx;
- certificates: one render per certificate vs the print-all PDF of 200 as one document, the size
  of one certificate's PDF, and the process's peak memory after the single renders.

    python bench/documents.py [--trainees 500] [--sessions 20] [--certificates 200] [--singles 40]
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import _results  # noqa: E402
from attendance_grid import build  # noqa: E402  (sets Django up)
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from completion import services as certificates  # noqa: E402
from completion.models import Certificate  # noqa: E402
from core import pdf  # noqa: E402
from documents import selectors  # noqa: E402
from documents.xlsx import report_xlsx  # noqa: E402


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def pages(content: bytes) -> int | None:
    """Pages of a PDF, by poppler's pdfinfo (None without poppler-utils)."""
    try:
        info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        return None
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=500)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--certificates", type=int, default=200)
    parser.add_argument("--singles", type=int, default=40, help="single renders to time (the rest is the same)")
    args = parser.parse_args()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        course = build(args.trainees, args.sessions)
        now = timezone.now()
        data, data_s = timed(selectors.report_data, course, now=now)
        pdf.render("pdf/certificate.html", {"certificates": []})  # fonts loaded once, as in a worker
        report, report_s = timed(pdf.render, "pdf/report.html", data)
        workbook, xlsx_s = timed(report_xlsx, data)
        print(f"考勤报告 {args.trainees} 人 × {args.sessions} 课次（{connection.vendor}）")
        print(f"  数据 {data_s:.2f} s；PDF {report_s:.2f} s，{len(report) / 1024:.0f} KB；xlsx {xlsx_s:.2f} s")

        result = certificates.certificates_issue(course=course)
        issued = sorted(result.issued, key=lambda c: c.seq)[: args.certificates]
        for certificate in issued:
            certificate.course = course
        singles = []
        for certificate in issued[: args.singles]:
            content, seconds = timed(certificates.certificates_pdf, [certificate])
            singles.append(seconds)
        one = statistics.median(singles)
        batch, batch_s = timed(certificates.certificates_pdf, issued)
        per = batch_s / len(issued)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"结业证书 {len(issued)} 份")
        print(f"  单独生成：每份中位数 {one:.3f} s，{len(content) / 1024:.1f} KB（已嵌入字体）")
        print(f"  合并为一个 PDF：{batch_s:.2f} s，每份 {per:.4f} s，{len(batch) / 1024:.0f} KB；快 {one / per:.1f} 倍")
        print(f"  进程内存峰值 {peak_mb:.0f} MB（一个 FontConfiguration，{len(singles) + 2} 次渲染后）")
        print(f"  证书登记 {Certificate.objects.count()} 条")
        _results.save(
            report_500x20_s=report_s,
            report_500x20_pages=pages(report),
            report_xlsx_s=xlsx_s,
            cert_single_s=one,
            cert_pdf_kb=len(content) / 1024,
            cert_batch_per_cert_s=per,
            cert_batch_speedup=one / per,
            render_peak_mb=peak_mb,
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
