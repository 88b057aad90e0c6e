"""结业: organizers' overrides of the completion rule, the certificate register and the jobs that
issue and render certificates. The tables were made by the training app and keep their names."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from training.models import Course, Enrollment


class CompletionOverride(models.Model):
    """An organizer's decision to let a trainee complete, or not, against the rules, with the reason.
    Append-only: the latest one stands, the earlier ones stay as the history."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="completion_overrides")
    eligible = models.BooleanField("可结业")
    reason = models.CharField("理由", max_length=300)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="决定人", on_delete=models.PROTECT)
    decided_at = models.DateTimeField("决定时间")

    class Meta:
        db_table = "training_completionoverride"  # the tables keep the names they were made with
        verbose_name = verbose_name_plural = "结业认定调整"
        ordering = ["decided_at", "pk"]

    def __str__(self):
        return f"{self.enrollment} {'可结业' if self.eligible else '不可结业'}"


class Certificate(models.Model):
    """结业证书 in the register: numbered in order per course without gaps, verified by a random
    token. Revoking keeps the row; reissuing marks it reissued and makes a new version with the same
    number and a new token."""

    class Status(models.TextChoices):
        VALID = "valid", "有效"
        REVOKED = "revoked", "已撤销"
        REISSUED = "reissued", "已重新颁发"

    course = models.ForeignKey(Course, verbose_name="培训班", on_delete=models.PROTECT, related_name="certificates")
    enrollment = models.ForeignKey(
        Enrollment, verbose_name="学员", on_delete=models.PROTECT, related_name="certificates"
    )
    seq = models.PositiveIntegerField("顺序号")
    version = models.PositiveSmallIntegerField("版本", default=1)
    number = models.CharField("证书编号", max_length=80)
    token = models.CharField("查验码", max_length=64, unique=True)
    name = models.CharField("姓名", max_length=40)
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.VALID)
    issued_at = models.DateTimeField("颁发时间")
    dated = models.DateField(
        "落款日期", null=True, blank=True, help_text="印在证书上的日期（颁发时取培训班的证书落款日期或结束日期）"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="颁发人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoke_reason = models.CharField("撤销原因", max_length=200, blank=True)
    pdf = models.FileField("证书 PDF", upload_to="certificates/", blank=True)
    pdf_sha256 = models.CharField("PDF 的 SHA-256", max_length=64, blank=True)

    class Meta:
        db_table = "training_certificate"
        verbose_name = verbose_name_plural = "结业证书"
        ordering = ["course", "seq", "version"]
        constraints = [
            models.UniqueConstraint(fields=["course", "seq", "version"], name="certificate_unique_number_version"),
            models.UniqueConstraint(
                fields=["enrollment"], condition=Q(status="valid"), name="certificate_one_valid_per_enrollment"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"


class CertificateJob(models.Model):
    """颁发证书 run as a Celery job: issues to everyone eligible, makes each PDF, packs a ZIP; the page
    shows its progress while it runs."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    course = models.ForeignKey(Course, verbose_name="培训班", on_delete=models.CASCADE, related_name="certificate_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("发起时间", default=timezone.now)
    updated_at = models.DateTimeField("最近进展", default=timezone.now)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    issued = models.PositiveIntegerField("新颁发", default=0)
    total = models.PositiveIntegerField("证书数", default=0)
    done = models.PositiveIntegerField("已生成", default=0)
    archive = models.FileField("ZIP", upload_to="certificate-zips/", blank=True)
    error = models.CharField("错误", max_length=300, blank=True)

    class Meta:
        db_table = "training_certificatejob"
        verbose_name = verbose_name_plural = "证书生成任务"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.course.code} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        """Progress for the bar; the print-all PDF packed into the ZIP counts as one more step."""
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / (self.total + 1)) if self.total else 0


class Appraisal(models.Model):
    """结业鉴定: the advisor's appraisal of one trainee (first drafted from the facts, then edited)
    and the organizer's opinion, printed on the 结业鉴定表 for the sending unit."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="appraisal")
    advisor_text = models.TextField("班主任鉴定意见", max_length=1000, blank=True)
    advisor_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="鉴定人", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    advisor_at = models.DateTimeField("鉴定时间", null=True, blank=True)
    drafted = models.BooleanField("仍是自动生成的初稿", default=True)
    organizer_opinion = models.TextField("主办单位意见", max_length=300, blank=True)
    organizer_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签署人", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organizer_at = models.DateTimeField("签署时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "结业鉴定"

    def __str__(self):
        return f"{self.enrollment} 结业鉴定"
