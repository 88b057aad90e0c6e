"""Facts of attendance: check-in and check-out records with their trail of manual changes, the
devices trainees check in from, leave requests with their decisions, discipline records and the
published discipline bulletins. Statuses (迟到, 缺勤 …) are not stored: attendance.rules derives
them from these facts.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from training.models import Course, Enrollment, Session


class Method(models.TextChoices):
    QR = "qr", "扫码"
    BADGE = "badge", "刷胸牌"
    MANUAL = "manual", "人工点名"


class AttendanceRecord(models.Model):
    """At most one per (session, enrollment): when and how the trainee checked in and out."""

    session = models.ForeignKey(Session, verbose_name="课次", on_delete=models.CASCADE, related_name="attendance")
    enrollment = models.ForeignKey(Enrollment, verbose_name="学员", on_delete=models.CASCADE, related_name="attendance")
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    checkin_method = models.CharField("签到方式", max_length=10, choices=Method.choices, blank=True)
    checked_out_at = models.DateTimeField("签退时间", null=True, blank=True)
    checkout_method = models.CharField("签退方式", max_length=10, choices=Method.choices, blank=True)
    device = models.CharField("签到设备", max_length=64, blank=True)
    flagged = models.BooleanField("疑似代签", default=False)
    flag_note = models.CharField("提示", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "考勤记录"
        constraints = [models.UniqueConstraint(fields=["session", "enrollment"], name="attendance_one_per_session")]

    def __str__(self):
        return f"{self.session_id}/{self.enrollment_id}"


class AttendanceChange(models.Model):
    """A manual change to a record (roll call or correction): append-only, never edited."""

    class Field(models.TextChoices):
        CHECK_IN = "check_in", "签到"
        CHECK_OUT = "check_out", "签退"

    record = models.ForeignKey(AttendanceRecord, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField("项目", max_length=10, choices=Field.choices)
    before = models.DateTimeField("原时间", null=True, blank=True)
    after = models.DateTimeField("新时间", null=True, blank=True)
    reason = models.CharField("原因", max_length=200)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT)
    changed_at = models.DateTimeField("操作时间")

    class Meta:
        verbose_name = verbose_name_plural = "考勤更正记录"
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.get_field_display()} {self.before} → {self.after}"


class DeviceBinding(models.Model):
    """The first trainee who checked in from a device in a course (anti-proxy, 防代签)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="device_bindings")
    device = models.CharField("设备标识", max_length=64)
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="device_bindings")
    created_at = models.DateTimeField("绑定时间")

    class Meta:
        verbose_name = verbose_name_plural = "签到设备"
        constraints = [models.UniqueConstraint(fields=["course", "device"], name="device_binding_unique")]

    def __str__(self):
        return self.device


class LeaveRequest(models.Model):
    """请假: asked by a trainee for one or more sessions of their course."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", "事假"
        SICK = "sick", "病假"
        OFFICIAL = "official", "公假"

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"
        WITHDRAWN = "withdrawn", "已撤回"

    enrollment = models.ForeignKey(
        Enrollment, verbose_name="学员", on_delete=models.CASCADE, related_name="leave_requests"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    reason = models.CharField("事由", max_length=300)
    sessions = models.ManyToManyField(Session, verbose_name="课次", related_name="leave_requests")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    needs_organizer = models.BooleanField("须组织者审批", default=False)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    late_filed = models.BooleanField("补假", default=False, help_text="在课次开始后才提出")
    requested_at = models.DateTimeField("申请时间")
    resumed_at = models.DateTimeField("销假时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "请假"
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["enrollment", "status"])]

    def __str__(self):
        return f"{self.enrollment} {self.get_kind_display()}"


class LeaveDecision(models.Model):
    """One approver's decision on a leave request: append-only."""

    leave = models.ForeignKey(LeaveRequest, on_delete=models.CASCADE, related_name="decisions")
    role = models.CharField("审批身份", max_length=10, choices=[("advisor", "班主任"), ("organizer", "组织者")])
    approved = models.BooleanField("同意")
    comment = models.CharField("意见", max_length=200, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审批人", on_delete=models.PROTECT)
    decided_at = models.DateTimeField("审批时间")

    class Meta:
        verbose_name = verbose_name_plural = "请假审批"
        ordering = ["decided_at", "pk"]

    def __str__(self):
        return f"{self.get_role_display()} {'同意' if self.approved else '不同意'}"


class DisciplineRecord(models.Model):
    """纪律记录: voided with a reason, never deleted. Lateness, early leave and absence are not
    typed here: they follow from attendance."""

    class Kind(models.TextChoices):
        PHONE = "phone", "使用手机"
        IN_OUT = "in_out", "随意出入教室"
        NOISE = "noise", "喧哗/讨论"
        OTHER = "other", "其他"

    enrollment = models.ForeignKey(
        Enrollment, verbose_name="学员", on_delete=models.CASCADE, related_name="discipline_records"
    )
    session = models.ForeignKey(
        Session, verbose_name="课次", on_delete=models.PROTECT, related_name="discipline_records", null=True, blank=True
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    points = models.PositiveSmallIntegerField("扣分", default=1)
    minutes_out = models.PositiveSmallIntegerField("离开教室（分钟）", null=True, blank=True)
    note = models.CharField("情况说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间")
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="作废人",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    void_reason = models.CharField("作废原因", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "纪律记录"
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | ~Q(void_reason=""), name="discipline_void_has_reason"
            )
        ]

    def __str__(self):
        return f"{self.enrollment} {self.get_kind_display()}"


class Bulletin(models.Model):
    """纪律通报: a published, frozen summary of one day (or the whole course when `day` is empty),
    issued as a 公文. `data` is the snapshot of the figures; the 公文's words (发文字号, 主送, title,
    opening, closing, issuing organ) are frozen beside it. Publishing again makes a new version of
    the day's bulletin, which is a new document with the next number."""

    course = models.ForeignKey(Course, verbose_name="培训班", on_delete=models.CASCADE, related_name="bulletins")
    day = models.DateField("日期", null=True, blank=True)
    version = models.PositiveSmallIntegerField("版本", default=1)
    number = models.PositiveIntegerField("发文顺序号", help_text="本班通报按发布先后编号，从 1 开始")
    doc_number = models.CharField("发文字号", max_length=40, help_text="如 县工培通〔2026〕3号")
    issuer = models.CharField("发文机关", max_length=100)
    title = models.CharField("标题", max_length=200)
    recipients = models.CharField("主送", max_length=100)
    opening = models.TextField("开头")
    closing = models.TextField("结尾")
    data = models.JSONField("内容")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT)
    published_at = models.DateTimeField("发布时间")

    class Meta:
        verbose_name = verbose_name_plural = "纪律通报"
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "day", "version"], name="bulletin_unique_version"),
            models.UniqueConstraint(fields=["course", "number"], name="bulletin_unique_number"),
        ]

    def __str__(self):
        return f"{self.doc_number} {self.title}"
