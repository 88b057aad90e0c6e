"""Benchmark: 评教 against gunicorn and the PostgreSQL of DATABASE_URL, on a throw-away database.

- burst: 500 trainees of a course on its last day submit the 培训班总体评价表 (all five scores and
  both comments, the form's POST as a logged-in trainee) at random moments within 60 s, as when
  the advisor asks the class to fill it in before the closing ceremony; p50/p95/p99/max of the POST
  and the answers that were not a redirect to the thanks page. Every submission rewrites the
  (form, session)'s answers (evaluation/models.py), so the last ones rewrite about 500 rows;
- results: the staff page 评教 of a course with 30 evaluated sessions × 500 answers each (and 500
  course-form answers), through the test client (URL, access helper, selectors, template): its
  queries, the same count as for 3 sessions × 50 answers, and the median and p95 of 20 requests.

The clients are Python threads on the same machine as the server, as in checkin_burst.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/training python bench/evaluation.py
"""

import sys
from pathlib import Path

# This file is called evaluation.py, like the app: the project comes before bench/ on the path so
# that `import evaluation` is the app, and bench/ is searched last for _results and checkin_burst.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"] + [str(ROOT / "bench")]

import argparse  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import secrets  # noqa: E402
import statistics  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from datetime import datetime, timedelta  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + secrets.token_urlsafe(30))
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")  # the results page's test client
os.environ["DJANGO_HTTPS"] = "false"

import django  # noqa: E402

django.setup()

import _results  # noqa: E402
from checkin_burst import gunicorn, login_cookies, percentile  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from attendance.models import AttendanceRecord, Method  # noqa: E402
from evaluation import rules, services  # noqa: E402
from evaluation.models import Answer, Responded  # noqa: E402
from training import demo  # noqa: E402
from training.models import Course, Enrollment, Membership, Organization, Session, Trainee  # noqa: E402

BEST = ("工会法", "劳动争议调解", "工会财务管理", "职工维权", "现场教学", "集体协商")
SUGGESTIONS = (
    "内容实用，希望多安排案例教学",
    "时间安排紧凑，建议增加分组讨论时间",
    "食宿安排很好",
    "希望下次增加现场教学",
    "课件能否会后发给学员",
    "",
)


def trainees(organization, count: int, seed: int) -> list[Trainee]:
    return Trainee.objects.bulk_create(
        Trainee(organization=organization, name=p.name, phone=p.phone, work_unit=p.work_unit, access_code="123456")
        for p in demo.people(count, seed=seed, groups=10)
    )


def enroll(course, people) -> list[Enrollment]:
    return Enrollment.objects.bulk_create(
        Enrollment(course=course, trainee=t, student_no=f"{i:04d}", group=f"第{i % 10 + 1}组")
        for i, t in enumerate(people, 1)
    )


def build_open_course(organization, count: int):
    """A course on its last day (the course form is open: it opens at 0:00 of the last day), one
    lecture earlier today that every trainee checked in to; each trainee logged in."""
    now = timezone.now()
    lecture = now - timedelta(hours=2)
    course = Course.objects.create(
        organization=organization,
        code="BENCH-EVAL",
        name="评教基准测试培训班",
        start_date=timezone.localdate(lecture),
        end_date=timezone.localdate(now),
        status=Course.Status.PUBLISHED,
    )
    session = Session.objects.create(
        course=course,
        title="专题讲座",
        kind=Session.Kind.LECTURE,
        starts_at=lecture,
        ends_at=lecture + timedelta(hours=1),
    )
    people = trainees(organization, count, seed=517)
    AttendanceRecord.objects.bulk_create(
        AttendanceRecord(session=session, enrollment=e, checked_in_at=lecture, checkin_method=Method.QR)
        for e in enroll(course, people)
    )
    services.forms_ensure(course)  # as after the first POST (which makes them)
    return course, login_cookies(people)


def build_answered_course(organization, code: str, people, sessions: int, answers: int, rng) -> Course:
    """A finished course with `sessions` lectures, each attended and evaluated by `answers` of
    `people`, and the course form answered by as many: rows written directly (Responded and
    Answer), as answer_submit leaves them."""
    start = timezone.localdate() - timedelta(days=20)
    course = Course.objects.create(
        organization=organization,
        code=code,
        name=f"评教结果基准测试培训班（{sessions} 课次）",
        start_date=start,
        end_date=start + timedelta(days=(sessions - 1) // 10),
        status=Course.Status.PUBLISHED,
    )
    slots = []
    for i in range(sessions):
        day = start + timedelta(days=i // 10)
        begins = timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=8 + i % 10)
        slots.append(
            Session(
                course=course,
                title=f"专题讲座{i + 1}",
                kind=Session.Kind.LECTURE,
                starts_at=begins,
                ends_at=begins + timedelta(minutes=50),
            )
        )
    slots = Session.objects.bulk_create(slots)
    enrollments = enroll(course, people)[:answers]
    AttendanceRecord.objects.bulk_create(
        (
            AttendanceRecord(session=s, enrollment=e, checked_in_at=s.starts_at, checkin_method=Method.QR)
            for s in slots
            for e in enrollments
        ),
        batch_size=2000,
    )
    _, forms = services.forms_ensure(course)
    lecture, overall = forms["lecture"], forms["course"]

    def scores(form):
        return {item["key"]: rng.choice((3, 4, 4, 5, 5, 5)) for item in form.items}

    def comment(n):
        roll = rng.random()
        if roll < 0.15:
            return {"comment": rng.choice(SUGGESTIONS[:-1])}
        if roll < 0.3:
            return {"comment": f"第{n}条具体意见：结合本单位实际，希望讲得更细一些"}
        return {}

    targets = [(lecture, s) for s in slots] + [(overall, None)]
    Responded.objects.bulk_create(
        (Responded(form=form, session=session, enrollment=e) for form, session in targets for e in enrollments),
        batch_size=2000,
    )
    Answer.objects.bulk_create(
        (
            Answer(
                form=form,
                session=session,
                scores=scores(form),
                comments=comment(n)
                if session
                else {
                    "best_course": rng.choice(BEST),
                    **({"suggestions": s} if (s := rng.choice(SUGGESTIONS)) else {}),
                },
            )
            for form, session in targets
            for n in range(len(enrollments))
        ),
        batch_size=2000,
    )
    return course


class Poster(threading.local):
    """One keep-alive connection per thread; a form POST, returning (status, Location, ms)."""

    def post(self, port, path, cookie, csrf, data: dict):
        if getattr(self, "conn", None) is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        body = urlencode(data).encode()
        headers = {
            "Cookie": cookie,
            "Host": "127.0.0.1",
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
            "Content-Length": str(len(body)),
        }
        start = time.perf_counter()
        try:
            self.conn.request("POST", path, body=body, headers=headers)
            response = self.conn.getresponse()
            response.read()
        except (http.client.HTTPException, OSError):
            self.conn = None
            raise
        return response.status, response.getheader("Location", ""), (time.perf_counter() - start) * 1000

    def get(self, port, path, cookie):
        if getattr(self, "conn", None) is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = self.conn.getresponse()
        response.read()
        return response.status


def burst(args, course, cookies) -> dict:
    """Every trainee submits the course form once, at random moments within `args.seconds`."""
    path = reverse("evaluation:answer-course", args=[course.code])
    thanks = reverse("evaluation:thanks")
    rng = random.Random(17)
    with gunicorn(args.workers) as port:
        client = Poster()
        for who in range(20):  # warm up every worker: the form page, as each trainee opens it first
            assert client.get(port, path, cookies[who][0]) == 200
        moments = sorted(rng.uniform(0, args.seconds) for _ in cookies)
        answers = [  # all five scores and both comments
            {
                **{f"s_{key}": rng.choice((3, 4, 4, 5, 5, 5)) for key, _ in rules.TEMPLATES["course"].items},
                "c_best_course": rng.choice(BEST),
                "c_suggestions": rng.choice(SUGGESTIONS[:-1]),
            }
            for _ in cookies
        ]
        times, failed, order = [], [], []
        start = time.perf_counter()

        def arrive(who, at):
            delay = at - (time.perf_counter() - start)
            if delay > 0:
                time.sleep(delay)
            status, location, ms = client.post(port, path, *cookies[who], answers[who])
            times.append(ms)
            order.append((at, ms))
            if status != 302 or not location.endswith(thanks):
                failed.append((status, location))

        waiting, done = [], threading.Event()

        def sample():  # how many requests wait for a lock (the form row's), every 100 ms
            from django.db import connection as own  # this thread's own connection

            with own.cursor() as cursor:
                while not done.wait(0.1):
                    cursor.execute(
                        "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'), count(*) FROM pg_stat_activity"
                        " WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()"
                    )
                    waiting.append(cursor.fetchone())
            own.close()

        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            with ThreadPoolExecutor(max_workers=64) as pool:
                list(pool.map(arrive, range(len(cookies)), moments))
        finally:
            done.set()
            sampler.join()
        elapsed = time.perf_counter() - start
    responded = Responded.objects.filter(form__course=course, session=None).count()
    stored = Answer.objects.filter(form__course=course, session=None).count()
    figures = {
        "evaluation_burst_trainees": len(cookies),
        "evaluation_burst_s": elapsed,
        "evaluation_p50_ms": percentile(times, 50),
        "evaluation_p95_ms": percentile(times, 95),
        "evaluation_p99_ms": percentile(times, 99),
        "evaluation_max_ms": max(times),
        "evaluation_errors": len(failed),
    }
    print(f"评教提交（gunicorn {args.workers} 个进程 + {connection.vendor}，客户端在同一台机器上）")
    print(
        f"  {len(cookies)} 人在 {args.seconds:.0f} 秒内随机提交培训班总体评价（用时 {elapsed:.1f} 秒）："
        f"p50 {figures['evaluation_p50_ms']:.1f} ms，p95 {figures['evaluation_p95_ms']:.1f} ms，"
        f"p99 {figures['evaluation_p99_ms']:.1f} ms，最慢 {figures['evaluation_max_ms']:.1f} ms；"
        f"未跳转到致谢页的 {len(failed)} 个{f'（如 {failed[0]}）' if failed else ''}；"
        f"已评价记录 {responded} 条，评价 {stored} 条"
    )
    print(
        f"  数据库中同时执行的语句平均 {statistics.mean(n for _, n in waiting):.2f} 个，"
        f"其中等锁的平均 {statistics.mean(n for n, _ in waiting):.2f} 个、最多 {max(n for n, _ in waiting)} 个"
        f"（每 100 ms 采样一次，共 {len(waiting)} 次）"
    )
    # the later submissions rewrite more answers: the latency by order of arrival, 100 at a time
    order.sort()
    print(
        "  按到达先后每 100 人的 p50 / p99："
        + "，".join(
            f"{percentile(chunk, 50):.0f} / {percentile(chunk, 99):.0f} ms"
            for chunk in ([ms for _, ms in order[i : i + 100]] for i in range(0, len(order), 100))
        )
    )
    assert responded == stored == len(cookies) - len(failed), (responded, stored, len(failed))
    if not failed:  # and the answers stored are the ones sent, each once

        def as_stored(data):
            scores = {key[2:]: int(value) for key, value in data.items() if key.startswith("s_")}
            comments = {key[2:]: value for key, value in data.items() if key.startswith("c_")}
            return json.dumps([scores, comments], sort_keys=True, ensure_ascii=False)

        kept = Answer.objects.filter(form__course=course, session=None).values_list("scores", "comments")
        assert sorted(as_stored(a) for a in answers) == sorted(
            json.dumps(list(pair), sort_keys=True, ensure_ascii=False) for pair in kept
        )
    return figures


def results_page(args, organization) -> dict:
    """The staff page on a large and a small course: queries (the same for both) and times."""
    rng = random.Random(30)
    people = trainees(organization, args.answers, seed=530)
    large = build_answered_course(organization, "BENCH-EVAL-30", people, args.sessions, args.answers, rng)
    small = build_answered_course(organization, "BENCH-EVAL-3", people, 3, 50, rng)
    with connection.cursor() as cursor:  # statistics, as autovacuum keeps them on a live database
        cursor.execute("ANALYZE")
    user = get_user_model().objects.create_user("bench-eval", password="x")
    Membership.objects.create(user=user, organization=organization, role=Membership.Role.ORGANIZER)
    settings.STORAGES = {  # static file URLs without a collectstatic manifest, as attendance_grid.py
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    client = Client()
    client.force_login(user)
    queries, timings = {}, {}
    for course in (small, large):
        url = reverse("evaluation:results", args=[course.code])
        assert client.get(url).status_code == 200  # warm up
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        queries[course.code] = len(captured)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        timings[course.code] = (statistics.median(times), percentile(times, 95), len(response.content))
    answers = Answer.objects.filter(form__course=large).count()
    median, p95, size = timings[large.code]
    print(f"评教结果页（{connection.vendor}，测试客户端，{args.repeat} 次）")
    print(
        f"  {args.sessions} 个课次 × {args.answers} 份评价（另有 {args.answers} 份总体评价，共 {answers} 份）："
        f"查询 {queries[large.code]} 次，中位数 {median:.0f} ms，p95 {p95:.0f} ms，页面 {size / 1024:.0f} KB；"
        f"3 个课次 × 50 份：查询 {queries[small.code]} 次，中位数 {timings[small.code][0]:.0f} ms"
    )
    assert queries[large.code] == queries[small.code], queries  # a fixed number of queries
    return {
        "evaluation_results_queries": queries[large.code],
        "evaluation_results_small_queries": queries[small.code],
        "evaluation_results_ms": median,
        "evaluation_results_p95_ms": p95,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--sessions", type=int, default=30, help="evaluated sessions of the results page's course")
    parser.add_argument("--answers", type=int, default=500, help="answers per session on the results page")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--skip-burst", action="store_true")
    parser.add_argument("--skip-results", action="store_true")
    args = parser.parse_args()
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        print("评教压力测试：需要 DATABASE_URL 指向 PostgreSQL（gunicorn 多进程同时写入），已跳过。")
        return
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        organization = Organization.objects.create(name="基准测试总工会")
        figures = {}
        if not args.skip_burst:
            course, cookies = build_open_course(organization, args.trainees)
            figures.update(burst(args, course, cookies))
        if not args.skip_results:
            figures.update(results_page(args, organization))
        _results.save(**figures)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
