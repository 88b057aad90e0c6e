"""结班归档 (writes): closing a course and making its dossier. `dossier_start` archives the course
(training.archive: read-only from then on) and hands a job to a worker; `dossier_run` renders the
papers of documents.dossier one at a time to disk, counts their pages, hashes them, packs the ZIP
with manifest.json and binds the combined PDF (目录 first, a bookmark per document). Memory stays
low: no paper is held after it is written, and the files reach storage from disk."""

import hashlib
import json
import logging
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from completion.rules import job_stalled
from core import audit, formats, pdf
from core.errors import DomainError
from training import archive
from training.models import Course

from . import dossier, rules
from .models import CourseSummary, DossierJob
from .selectors import _header

logger = logging.getLogger(__name__)
JOB_STALL_MINUTES = 10  # a running job that has not moved for this long has lost its worker
JOB_FAILED = "生成“{title}”时出错，培训班仍为已归档。请在本页点“重新生成归档材料”重试；仍不成功请联系系统管理员查看 worker 日志。"
JOB_STALLED = "任务中断（worker 停止或重启），已由新的任务接续。"
JOB_NOT_QUEUED = "无法把任务交给后台（worker 或消息队列未运行），请联系系统管理员。"


def _job_fail(job: DossierJob, message: str) -> None:
    DossierJob.objects.filter(pk=job.pk).update(
        status=DossierJob.Status.FAILED, error=message[:300], finished_at=timezone.now()
    )


def dossier_job_not_queued(job: DossierJob) -> None:
    """The job could not be handed to a worker: say so on the page instead of polling forever."""
    job.refresh_from_db(fields=["status"])
    if job.running:
        _job_fail(job, JOB_NOT_QUEUED)


@transaction.atomic
def dossier_start(*, course: Course, by, enqueue, now: datetime | None = None) -> DossierJob:
    """结班归档: archives the course (unless it is archived already: then it only makes the dossier
    again, e.g. after a failed job) and starts the dossier job; `enqueue(job)` is called once the
    job row is committed. A second click while a job is under way follows that job, unless it has
    not moved for JOB_STALL_MINUTES (its worker died): then it is marked failed and a new one
    takes over. Locks the course row."""
    now = now or timezone.now()
    course = Course.objects.select_for_update().get(pk=course.pk)
    if not course.archived:
        course = archive.course_archive(course=course, by=by)
    if (job := course.dossier_jobs.first()) and job.running:
        if not job_stalled(updated_at=job.updated_at, now=now, minutes=JOB_STALL_MINUTES):
            return job
        _job_fail(job, JOB_STALLED)
    job = DossierJob.objects.create(course=course, requested_by=by, created_at=now, updated_at=now)
    transaction.on_commit(lambda: enqueue(job))
    return job


def _progress(job: DossierJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.updated_at = timezone.now()
    DossierJob.objects.filter(pk=job.pk).update(updated_at=job.updated_at, **fields)


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def _toc(course: Course, files: list[dict], *, toc_pages: int, archived: str) -> bytes:
    """The 目录 with each PDF's first page in the combined PDF, which begins with the 目录 itself."""
    start, pdfs = toc_pages + 1, []
    for entry in files:
        if entry["pages"]:
            pdfs.append({**entry, "start": start})
            start += entry["pages"]
    context = {
        **_header(course),
        "title": rules.title_lines(course.name, 180, suffix="结班归档目录"),
        "archived": archived,
        "pdfs": pdfs,
        "files": files,
        "toc_pages": toc_pages,
    }
    return pdf.render("pdf/dossier_toc.html", context)


def _bind(course: Course, files: list[dict], folder: Path, out: Path, *, archived: str) -> int:
    """The combined PDF: the 目录 (rendered again if its own length moved the page numbers), then
    every PDF of the dossier with a bookmark each. Returns its page count."""
    from pypdf import PdfReader, PdfWriter

    toc_pages, toc = 1, b""
    for _ in range(3):
        toc = _toc(course, files, toc_pages=toc_pages, archived=archived)
        (folder / "toc.pdf").write_bytes(toc)
        if (pages := _pages(folder / "toc.pdf")) == toc_pages:
            break
        toc_pages = pages
    writer = PdfWriter()
    writer.append(PdfReader(folder / "toc.pdf"), outline_item="目录", import_outline=False)
    for entry in files:
        if entry["pages"]:
            writer.append(PdfReader(folder / entry["file"]), outline_item=entry["title"], import_outline=False)
    writer.page_mode = "/UseOutlines"  # readers open with the bookmarks shown (one per document: theirs are left out)
    with out.open("wb") as handle:
        writer.write(handle)
    return len(writer.pages)


def dossier_run(job_id: int, *, now: datetime | None = None) -> DossierJob:
    """Makes the dossier of the job's course, counting progress (one step per paper, one for the
    binding). A failure is recorded on the job with a message naming the paper, and raised for the
    worker's log; the course stays archived."""
    job = DossierJob.objects.select_related("course__organization").get(pk=job_id)
    course, now = job.course, now or timezone.now()
    _progress(job, status=DossierJob.Status.RUNNING, error="")
    title = "目录"
    try:
        planned = dossier.papers(course, now=now)
        _progress(job, total=len(planned) + 1, done=0)
        archived = formats.document_date(timezone.localdate(course.archived_at or now))
        with tempfile.TemporaryDirectory(prefix="dossier-") as tmp:
            folder, files = Path(tmp), []
            for order, (key, paper) in enumerate(planned, start=1):
                title = paper.title
                _progress(job, current=title[:120])
                name = dossier.file_name(order, paper)
                path = folder / name
                path.write_bytes(paper.render())
                files.append(
                    {
                        "order": order,
                        "key": key,
                        "title": paper.title,
                        "file": name,
                        "pages": _pages(path) if paper.ext == "pdf" else None,
                        "bytes": path.stat().st_size,
                        "sha256": _digest(path),
                    }
                )
                _progress(job, done=order)
            title = "合订本"
            _progress(job, current="合订本和 ZIP")
            stem = f"{course.code}-结班归档-{job.pk}"
            combined = folder / f"{stem}.pdf"
            pages = _bind(course, files, folder, combined, archived=archived)
            manifest = {
                "course": {"code": course.code, "name": course.name, "organization": course.organization.name},
                "archived_at": course.archived_at.isoformat() if course.archived_at else None,
                "generated_at": timezone.now().isoformat(),
                "files": files,
                "combined": {
                    "file": combined.name,
                    "pages": pages,
                    "bytes": combined.stat().st_size,
                    "sha256": _digest(combined),
                },
            }
            bundle = folder / f"{stem}.zip"
            with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as packed:
                for entry in files:
                    packed.write(folder / entry["file"], entry["file"])
                packed.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
            with bundle.open("rb") as handle:
                job.archive.save(bundle.name, File(handle), save=False)
            with combined.open("rb") as handle:
                job.combined.save(combined.name, File(handle), save=False)
        job.manifest, job.current = manifest, ""
        job.status, job.finished_at, job.done = DossierJob.Status.DONE, timezone.now(), job.total
        job.save(update_fields=["archive", "combined", "manifest", "current", "status", "finished_at", "done"])
    except Exception:
        logger.exception("dossier job %s failed at %s", job.pk, title)
        job.status = DossierJob.Status.FAILED
        _job_fail(job, JOB_FAILED.format(title=title))
        raise
    return job


def dossier_contents(course: Course, *, now: datetime) -> list[dict]:
    """What the dossier will hold, for the confirmation: each entry with its papers' titles."""
    planned = dossier.papers(course, now=now)
    return [
        {"title": title, "papers": [paper.title for k, paper in planned if k == key]}
        for key, title, _ in dossier.ENTRIES
    ]


# --- 培训班总结 ---------------------------------------------------------------------------------------------


@transaction.atomic
def summary_save(*, course: Course, by, body: str) -> CourseSummary:
    """Keeps the organizer's text of the 培训班总结 (refused once the course is archived: the
    dossier holds the text as it was)."""
    archive.ensure_open(course)
    body = body.strip()
    if not body:
        raise DomainError("empty", "总结正文不能为空。可以点“重新生成初稿”从培训数据写起。", "body")
    summary, created = CourseSummary.objects.select_for_update().get_or_create(
        course=course, defaults={"body": body, "updated_by": by}
    )
    if not created:
        summary.body, summary.updated_by, summary.updated_at = body, by, timezone.now()
        summary.save()
    audit.record(
        "course.summary", course=course, by=by, obj=summary, label=f"{course.name}总结", after={"字数": len(body)}
    )
    return summary
