"""The outbox: one row per message to one recipient, written in the transaction that causes it
(or by the sweep that finds it due) and sent later by a worker that claims it first."""

from django.conf import settings
from django.db import models

from training.models import Course, Enrollment, Session

from . import rules


class Notification(models.Model):
    class Kind(models.TextChoices):
        COURSE_OPENING = "course_opening", "开班通知"
        SESSION_REMINDER = "session_reminder", "课前提醒"
        ROLLCALL_ALERT = "rollcall_alert", "点名提醒"
        SESSION_CLOSED = "session_closed", "课次结束"
        LEAVE_DECISION = "leave_decision", "请假审批结果"
        EVENING_SUMMARY = "evening_summary", "每日小结"
        AT_RISK = "at_risk", "结业预警"
        EVALUATION_REMINDER = "evaluation_reminder", "评教提醒"
        UNIT_REMINDER = "unit_reminder", "报名提醒"
        MEAL_COUNT = "meal_count", "就餐人数"

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENDING = "sending", "发送中"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"
        CANCELLED = "cancelled", "已取消"

    class Channel(models.TextChoices):
        CONSOLE = "console", "控制台"
        EMAIL = "email", "邮件"
        SMS = "sms", "短信"
        WEBHOOK = "webhook", "群机器人"

    course = models.ForeignKey(Course, verbose_name="培训班", on_delete=models.CASCADE, related_name="notifications")
    session = models.ForeignKey(
        Session, verbose_name="课次", on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    dedupe_key = models.CharField("去重键", max_length=120, unique=True)
    recipient = models.CharField("收件人", max_length=100)
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    address = models.CharField("地址", max_length=300, blank=True)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.CharField("最近错误", max_length=500, blank=True)
    next_attempt_at = models.DateTimeField("下次尝试")
    dispatched_at = models.DateTimeField("交给队列", null=True, blank=True)
    claimed_at = models.DateTimeField("领取时间", null=True, blank=True)
    claim = models.CharField("领取标记", max_length=32, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "提醒"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["course", "status"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"

    @property
    def status_label(self) -> str:
        return rules.status_label(status=self.status, status_display=self.get_status_display(), channel=self.channel)
