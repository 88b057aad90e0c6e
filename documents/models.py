"""结班归档: the job that makes a closed course's dossier (a ZIP of every document with its
manifest, and one combined PDF with a 目录 and bookmarks), with its progress for the page."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from training.models import Course


class DossierJob(models.Model):
    """One run of the dossier. Each archive makes a new one; earlier dossiers stay as they were."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    course = models.ForeignKey(Course, verbose_name="培训班", on_delete=models.CASCADE, related_name="dossier_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("发起时间", default=timezone.now)
    updated_at = models.DateTimeField("最近进展", default=timezone.now)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField("步骤数", default=0)
    done = models.PositiveIntegerField("已完成", default=0)
    current = models.CharField("正在生成", max_length=120, blank=True)
    archive = models.FileField("ZIP", upload_to="dossiers/", blank=True)
    combined = models.FileField("合订本 PDF", upload_to="dossiers/", blank=True)
    manifest = models.JSONField("文件清单", default=dict, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "结班归档任务"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.course.code} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0


class CourseSummary(models.Model):
    """培训班总结 as the organizer edited it (until then the page shows the draft written from the
    course's figures)."""

    course = models.OneToOneField(Course, verbose_name="培训班", on_delete=models.CASCADE, related_name="summary")
    body = models.TextField("正文", max_length=20000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("修改时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "培训班总结"

    def __str__(self):
        return f"{self.course.name}总结"
