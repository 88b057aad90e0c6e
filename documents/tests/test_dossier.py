"""结班归档: the dossier job archives the course and makes a ZIP whose manifest matches its files
and a combined PDF with a 目录 and one bookmark per document; progress, failure, retry, reopen."""

import hashlib
import io
import json
import re
import subprocess
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from attendance import services as attendance_services
from attendance.models import Method
from completion import services as completion_services
from core.models import AuditEntry
from documents import dossier, services, tasks
from documents.models import DossierJob
from training import archive
from training.tests.factories import EnrollmentFactory, TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(held, course, organizer, settings):
    """The `held` course after its last session, with a bulletin published and 张丽华's certificate."""
    settings.SITE_URL = "http://10.20.1.5:8000"
    now = held["sessions"][-1].ends_at + timedelta(hours=2)
    with time_machine.travel(now, tick=False):
        attendance_services.bulletin_publish(course=course, day=None, by=organizer)
        first = held["people"][0]
        completion_services.completion_override(enrollment=first, eligible=True, reason="结业式因公缺席", by=organizer)
        completion_services.certificates_issue(course=course, by=organizer)
    return {**held, "now": now}


def _start(course, organizer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.dossier_start(course=course, by=organizer, enqueue=tasks.dossier_job_enqueue)


def _outline(path) -> list[str]:
    xml = subprocess.run(["pdftohtml", "-xml", "-stdout", "-i", str(path)], capture_output=True, check=True).stdout
    outline = xml.decode().split("<outline>", 1)[1].split("</outline>", 1)[0]
    return re.findall(r"<item[^>]*>([^<]*)</item>", outline)


def test_the_dossier_holds_every_document_with_a_true_manifest_and_a_bookmarked_combined_pdf(
    closed, course, organizer, django_capture_on_commit_callbacks, tmp_path
):
    with time_machine.travel(closed["now"], tick=False):
        job = _start(course, organizer, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    course.refresh_from_db()
    assert job.status == DossierJob.Status.DONE and job.done == job.total and job.error == ""
    assert course.archived

    with job.archive.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as packed:
        manifest = json.loads(packed.read("manifest.json"))
        files = manifest["files"]
        assert packed.namelist() == [f["file"] for f in files] + ["manifest.json"]
        for entry in files:  # recomputed from the ZIP itself
            content = packed.read(entry["file"])
            assert hashlib.sha256(content).hexdigest() == entry["sha256"], entry["file"]
            assert len(content) == entry["bytes"], entry["file"]
            if entry["file"].endswith(".pdf"):
                assert len(PdfReader(io.BytesIO(content)).pages) == entry["pages"], entry["file"]
            else:
                assert entry["pages"] is None and content[:2] == b"PK"  # the xlsx
    assert manifest == job.manifest
    assert [f["order"] for f in files] == list(range(1, len(files) + 1))
    titles = [f["title"] for f in files]
    sessions = len(closed["sessions"])
    assert titles[:2] == ["培训通知", "课程表"]
    assert [t for t in titles if t.startswith("签到表")] == titles[2 : 2 + sessions]
    assert titles[2 + sessions :] == [
        "考勤报告",
        "考勤统计表（Excel）",
        "请假登记表",
        f"纪律通报 {course.bulletins.get().doc_number}",
        "教学评估报告",
        "结业鉴定表",
        "结业名单",
        "结业证书存根",
        "培训班总结",
        "学时汇总（Excel）",
    ]

    combined = tmp_path / "combined.pdf"
    with job.combined.open("rb") as handle:
        combined.write_bytes(handle.read())
    assert hashlib.sha256(combined.read_bytes()).hexdigest() == manifest["combined"]["sha256"]
    pdfs = [f for f in files if f["pages"]]
    assert _outline(combined) == ["目录", *[f["title"] for f in pdfs]]
    reader = PdfReader(combined)
    toc_pages = len(reader.pages) - sum(f["pages"] for f in pdfs)
    assert toc_pages >= 1 and manifest["combined"]["pages"] == len(reader.pages)
    toc = "".join(reader.pages[i].extract_text() for i in range(toc_pages))
    start = toc_pages + 1
    for entry in pdfs:  # the 目录 gives each document's first page in the combined PDF
        assert re.search(rf"{entry['order']}\s*{re.escape(entry['title'][:6])}.*?{start}\s+{entry['pages']}", toc, re.S)
        assert str(entry["sha256"][:16]) in toc.replace("\n", "")
        start += entry["pages"]


def test_the_new_papers_say_what_happened(closed, course, tmp_path):
    """请假登记表, 结业名单 and 证书存根 carry the facts of the course."""
    papers = dict((p.title, p) for _, p in dossier.papers(course, now=closed["now"]))
    text = {}
    for title in ("请假登记表", "结业名单", "结业证书存根"):
        path = tmp_path / f"{title}.pdf"
        path.write_bytes(papers[title].render())
        text[title] = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True).stdout.decode()
    assert "李秀英" in text["请假登记表"] and "发烧" in text["请假登记表"] and "已批准" in text["请假登记表"]
    certificate = course.certificates.first()
    assert certificate.number in text["结业名单"] and "未结业人员" in text["结业名单"]
    assert certificate.number in text["结业证书存根"] and certificate.name in text["结业证书存根"]


def test_the_job_reports_its_progress_paper_by_paper(
    closed, course, organizer, django_capture_on_commit_callbacks, monkeypatch
):
    seen = []

    def spy(course, now):
        def render():
            job = DossierJob.objects.get(course=course)
            seen.append((job.status, job.done, job.total, job.current))
            return b"spy"

        return [dossier.Paper("进度探针", "进度探针", "xlsx", render)]

    monkeypatch.setattr(dossier, "ENTRIES", [dossier.ENTRIES[1], ("spy", "进度探针", spy)])  # one line adds a paper
    with time_machine.travel(closed["now"], tick=False):
        job = _start(course, organizer, django_capture_on_commit_callbacks)
    assert seen == [(DossierJob.Status.RUNNING, 1, 3, "进度探针")]  # the 课程表 done, the probe next, then binding
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == (DossierJob.Status.DONE, 3, 3, 100)


def test_a_failure_leaves_a_readable_error_and_the_course_archived_and_a_retry_works(
    closed, course, organizer, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(course, now):
        return [dossier.Paper("结业名单", "结业名单", "pdf", lambda: 1 / 0)]

    entries = dossier.ENTRIES
    monkeypatch.setattr(dossier, "ENTRIES", [entries[1], ("completion", "结业名单", broken)])
    with time_machine.travel(closed["now"], tick=False):
        failed = _start(course, organizer, django_capture_on_commit_callbacks)
    failed.refresh_from_db()
    course.refresh_from_db()
    assert failed.status == DossierJob.Status.FAILED and "“结业名单”" in failed.error and not failed.archive
    assert course.archived
    with pytest.raises(Exception) as refused:
        archive.ensure_open(course)
    assert refused.value.code == "archived"

    monkeypatch.setattr(dossier, "ENTRIES", entries[:2])
    with time_machine.travel(closed["now"] + timedelta(minutes=5), tick=False):
        retried = _start(course, organizer, django_capture_on_commit_callbacks)  # archived already: only the job
    retried.refresh_from_db()
    assert retried.pk != failed.pk and retried.status == DossierJob.Status.DONE
    assert AuditEntry.objects.filter(action="course.archive").count() == 1


def test_reopen_then_archive_again_makes_a_new_dossier_and_keeps_the_first(
    closed, course, organizer, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(dossier, "ENTRIES", dossier.ENTRIES[:2])
    with time_machine.travel(closed["now"], tick=False):
        first = _start(course, organizer, django_capture_on_commit_callbacks)
        archive.course_reopen(course=course, by=organizer, reason="补录结业测试成绩")
    with time_machine.travel(closed["now"] + timedelta(days=1), tick=False):
        second = _start(course, organizer, django_capture_on_commit_callbacks)
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.pk != first.pk and second.status == first.status == DossierJob.Status.DONE
    assert first.archive.name != second.archive.name and first.archive.storage.exists(first.archive.name)
    actions = list(AuditEntry.objects.filter(action__startswith="course.").order_by("at", "pk").values_list("action"))
    assert actions == [("course.archive",), ("course.reopen",), ("course.archive",)]


def test_a_second_click_follows_the_running_job_unless_it_stalled(closed, course, organizer):
    queued = []
    with time_machine.travel(closed["now"], tick=False):
        job = services.dossier_start(course=course, by=organizer, enqueue=queued.append)
    with time_machine.travel(closed["now"] + timedelta(minutes=5), tick=False):
        assert services.dossier_start(course=course, by=organizer, enqueue=queued.append).pk == job.pk
    with time_machine.travel(closed["now"] + timedelta(minutes=11), tick=False):
        taken_over = services.dossier_start(course=course, by=organizer, enqueue=queued.append)
    job.refresh_from_db()
    assert taken_over.pk != job.pk and job.status == DossierJob.Status.FAILED and "中断" in job.error


def test_the_papers_take_as_many_queries_for_a_larger_class(closed, course, organizer):
    """Every renderer reads in a fixed number of queries whatever the roster's size."""

    def queries():
        with CaptureQueriesContext(connection) as captured:
            for _, paper in dossier.papers(course, now=closed["now"]):
                paper.render()
        return len(captured)

    with time_machine.travel(closed["now"], tick=False):
        before = queries()
        first = closed["sessions"][0]
        for n in range(3):
            joined = EnrollmentFactory(
                course=course, trainee=TraineeFactory(name=f"新学员{n}", phone=f"1390000001{n}"), student_no=f"1{n}"
            )
            attendance_services.check_in(first, joined, method=Method.QR, at=first.starts_at)
        assert queries() == before
