"""The one model every app writes to: the audit log. Its course is named by label ("training.Course"),
so core imports no app above it."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("审计记录只能追加，不能修改")

    def delete(self):
        raise TypeError("审计记录只能追加，不能删除")


class AuditEntry(models.Model):
    """审计日志: who changed what in attendance, leave, discipline, certificates and the roster, with
    the values before and after. Append-only: rows are never updated or deleted through Django."""

    course = models.ForeignKey(  # PROTECT: deleting a course must not erase its trail
        "training.Course",
        verbose_name="培训班",
        on_delete=models.PROTECT,
        related_name="audit_entries",
        null=True,
        blank=True,
    )
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    action = models.CharField("操作", max_length=40, db_index=True)
    target = models.CharField("对象", max_length=60, blank=True, help_text="模型和主键，如 LeaveRequest#12")
    label = models.CharField("说明", max_length=200, blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        db_table = "training_auditentry"  # made by the training app before the log moved here
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("审计记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("审计记录只能追加，不能删除")
