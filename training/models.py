"""Organizations, courses, their timetable, trainees and enrollments.

Models guard integrity (constraints, choices, small properties); workflows live in services.py.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from . import rules

course_code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{1,19}$", "编号只能使用大写字母、数字和连字符，2–20个字符，例如 GH2026-01"
)
phone_validator = RegexValidator(r"^1[3-9]\d{9}$", "请填写11位手机号码")
# The organ code of a 发文字号: Chinese characters (and letters or digits), no brackets or spaces.
document_prefix_validator = RegexValidator(
    r"^[\u3400-\u9fffA-Za-z0-9]{1,12}$", "机关代字只能使用汉字、字母和数字，不超过12个字，如“县工培通”"
)


def validate_networks(value: str) -> None:
    try:
        rules.parse_networks(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


def _fee_cap(rank: str):
    return models.DecimalField(
        f"{rank}讲课费上限（元/学时）",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="留空为不设上限",
    )


class Organization(models.Model):
    """主办单位: the federation that runs courses."""

    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=20, blank=True, help_text="用于证书编号等，如“县总工会”")
    seal = models.FileField("印章图片", upload_to="seals/", blank=True, help_text="透明背景的 PNG，盖在结业证书落款处")
    # 讲课费 caps per lecturer rank (元/学时, from the training-fee rules; empty = no cap) and how the
    # 讲课费签收单 withholds tax. The rank names are Lecturer.Rank's.
    fee_cap_expert = _fee_cap("院士、全国知名专家")
    fee_cap_senior = _fee_cap("正高级职称")
    fee_cap_deputy = _fee_cap("副高级职称")
    fee_cap_other = _fee_cap("其他人员")
    lecture_tax_rule = models.CharField(
        "讲课费代扣个税",
        max_length=10,
        choices=[("none", "不计算，留空"), ("labor", "按劳务报酬所得预扣")],
        default="none",
        help_text="按劳务报酬所得预扣：每人每次不超过 800 元不扣；800–4000 元扣（金额 − 800）× 20%；超过 4000 元扣金额 × 80% × 20%",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "主办单位"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def fee_caps(self) -> dict[str, Decimal | None]:
        """Lecturer.Rank value → the cap of this organization (None: no cap)."""
        return {rank: getattr(self, f"fee_cap_{rank}") for rank in ("expert", "senior", "deputy", "other")}


class Membership(models.Model):
    """A staff account's place in an organization. Organizers see and manage every course of their
    organization; advisors (班主任) see the courses they are assigned to (`Course.advisors`)."""

    class Role(models.TextChoices):
        ORGANIZER = "organizer", "组织者"
        ADVISOR = "advisor", "班主任"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="账户", on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="主办单位", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("角色", max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = verbose_name_plural = "工作人员"
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="membership_unique_user")]

    def __str__(self):
        return f"{self.organization} {self.get_role_display()} {self.user}"


class Course(models.Model):
    """培训班."""

    class Status(models.TextChoices):
        DRAFT = "draft", "筹备中"
        PUBLISHED = "published", "已发布"
        CLOSED = "closed", "已结业"

    organization = models.ForeignKey(
        Organization, verbose_name="主办单位", on_delete=models.PROTECT, related_name="courses"
    )
    code = models.CharField(
        "编号", max_length=20, unique=True, validators=[course_code_validator], help_text="简短唯一，如 GH2026-01"
    )
    name = models.CharField("名称", max_length=100)
    venue = models.CharField("地点", max_length=100, blank=True, help_text="如“中共青山县委党校”")
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    description = models.TextField("说明", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    advisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="班主任", related_name="advised_courses", blank=True
    )
    # Attendance settings (考勤规则), read by attendance.rules.
    checkin_opens_minutes = models.PositiveSmallIntegerField(
        "提前开放签到（分钟）", default=30, validators=[MaxValueValidator(180)], help_text="课前多少分钟可以扫码签到"
    )
    grace_minutes = models.PositiveSmallIntegerField(
        "迟到/早退宽限（分钟）",
        default=5,
        validators=[MaxValueValidator(60)],
        help_text="开课后这么多分钟内签到不算迟到；下课前这么多分钟内签退不算早退",
    )
    leave_advisor_max_hours = models.DecimalField(
        "班主任审批上限（学时）",
        max_digits=4,
        decimal_places=1,
        default=Decimal("4"),
        validators=[MinValueValidator(0)],
        help_text="请假涉及的学时不超过此数（默认 4 学时，约半天）由班主任批准；超过的还须组织者批准",
    )
    reminder_minutes = models.PositiveSmallIntegerField(
        "课前提醒（分钟）", default=15, validators=[MaxValueValidator(240)], help_text="每个课次开始前多少分钟提醒学员"
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        "结业最低到课学时比例（%）",
        default=90,
        validators=[MaxValueValidator(100)],
        help_text="低于此比例不能结业；快要达不到时提醒学员和班主任",
    )
    max_absences = models.PositiveSmallIntegerField(
        "结业允许缺勤（次）", null=True, blank=True, default=2, help_text="无故缺勤（旷课）超过此次数不能结业；留空不限"
    )
    max_leave_percent = models.DecimalField(
        "结业允许请假（% 学时）",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        default=Decimal("14.3"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="请假超过总学时的这个比例不能结业（14.3% 约为七分之一）；留空不限",
    )
    max_discipline_points = models.PositiveSmallIntegerField(
        "结业允许违纪扣分", null=True, blank=True, default=None, help_text="违纪扣分超过此数不能结业；留空不限"
    )
    certificate_date = models.DateField(
        "证书落款日期",
        null=True,
        blank=True,
        help_text="结业证书上的日期；留空为培训班结束日期",
    )
    certificate_number_format = models.CharField(
        "证书编号格式",
        max_length=60,
        default="〔{year}〕县工培字第{seq:03d}号",
        help_text="{year} 为年份，{seq:03d} 为三位顺序号",
    )
    bulletin_number_prefix = models.CharField(
        "通报发文机关代字",
        max_length=12,
        default="县工培通",
        validators=[document_prefix_validator],
        help_text="纪律通报发文字号的前缀，如“县工培通”，发文字号为 县工培通〔2026〕3号",
    )
    webhook_url = models.URLField(
        "班级群机器人地址",
        blank=True,
        help_text="企业微信或钉钉群机器人的 Webhook 地址；点名提醒和每日小结会同时发到群里",
    )
    allowed_networks = models.TextField(
        "允许签到的网络",
        blank=True,
        validators=[validate_networks],
        help_text="每行一个网段，如 10.20.0.0/16；留空则不限制。用于只允许在党校内网扫码签到",
    )
    archived_at = models.DateTimeField(
        "结班归档时间",
        null=True,
        blank=True,
        help_text="结班归档后考勤、请假、违纪、考核和结业都不能再修改，直到重新开放",
    )
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="归档人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "培训班"
        ordering = ["-start_date", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="course_ends_after_start",
                violation_error_message="结束日期不能早于开始日期",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    @property
    def days(self):
        return rules.course_days(self.start_date, self.end_date)

    @property
    def archived(self) -> bool:
        """结班归档: closed for changes (training.services.ensure_open) until an audited reopen."""
        return self.archived_at is not None


class Session(models.Model):
    """课次: one slot of the timetable."""

    class Kind(models.TextChoices):
        OPENING = "opening", "开班式"
        LECTURE = "lecture", "专题讲座"
        DISCUSSION = "discussion", "分组讨论"
        SITE_VISIT = "site_visit", "现场教学"
        EXAM = "exam", "考试"
        CLOSING = "closing", "结业式"
        OTHER = "other", "其他"

    course = models.ForeignKey(Course, verbose_name="培训班", on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices, default=Kind.LECTURE)
    title = models.CharField("题目", max_length=200)
    lecturer = models.CharField(
        "授课人", max_length=100, blank=True, help_text="姓名和职务，如“县总工会党组书记 王建国”"
    )
    room = models.CharField("地点/教室", max_length=100, blank=True)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    credit_hours = models.DecimalField(
        "学时", max_digits=4, decimal_places=1, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    required_for_completion = models.BooleanField(
        "结业必修", default=False, help_text="未参加（请假也算未参加）不能结业，如考试、结业式"
    )
    requires_checkout = models.BooleanField("需要签退", default=False, help_text="下课时学员须再扫码签退，未签退计早退")
    # The people of the 师资库 who give the session, in order; `lecturer` stays the printed label.
    lecturers = models.ManyToManyField(
        "Lecturer", verbose_name="授课人（师资库）", through="SessionLecturer", related_name="sessions", blank=True
    )

    class Meta:
        verbose_name = verbose_name_plural = "课次"
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["course", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="session_ends_after_start",
                violation_error_message="结束时间必须晚于开始时间",
            ),
            models.CheckConstraint(condition=Q(credit_hours__gte=0), name="session_credit_hours_not_negative"),
        ]

    def __str__(self):
        return f"{timezone.localtime(self.starts_at):%m-%d %H:%M} {self.title}"

    @property
    def local_date(self):
        return timezone.localdate(self.starts_at)


class Lecturer(models.Model):
    """授课人 in an organization's 师资库, kept across its courses. The rank decides which of the
    organization's fee caps applies to the fee rate."""

    class Rank(models.TextChoices):
        EXPERT = "expert", "院士、全国知名专家"
        SENIOR = "senior", "正高级职称"
        DEPUTY = "deputy", "副高级职称"
        OTHER = "other", "其他人员"

    organization = models.ForeignKey(
        Organization, verbose_name="主办单位", on_delete=models.PROTECT, related_name="lecturers"
    )
    name = models.CharField("姓名", max_length=40)
    title = models.CharField("职称/职务", max_length=60, blank=True, help_text="如“副校长、副教授”“四级高级法官”")
    unit = models.CharField("单位", max_length=60, blank=True, help_text="如“中共青山县委党校”")
    topics = models.TextField("授课专题", blank=True, help_text="擅长或讲过的专题，一行一个")
    rank = models.CharField(
        "讲课费级别", max_length=10, choices=Rank.choices, default=Rank.OTHER, help_text="按哪一档讲课费上限核对标准"
    )
    fee_rate = models.DecimalField(
        "讲课费标准（元/学时）",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="留空：签收单上金额空白，手工填写",
    )
    is_active = models.BooleanField("在库", default=True, help_text="不再授课的取消勾选：排课时不再列出，历史课次保留")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "授课人"
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name", "unit"], name="lecturer_unique_name_unit"),
            models.CheckConstraint(
                condition=Q(fee_rate__isnull=True) | Q(fee_rate__gte=0), name="lecturer_fee_rate_not_negative"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        return rules.lecturer_label(name=self.name, title=self.title, unit=self.unit)


class SessionLecturer(models.Model):
    """One lecturer of a session, in the order they were picked."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="session_lecturers")
    lecturer = models.ForeignKey(Lecturer, on_delete=models.PROTECT, related_name="session_lecturers")
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "课次授课人"
        ordering = ["session", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "lecturer"], name="session_lecturer_unique")]

    def __str__(self):
        return f"{self.session} {self.lecturer}"


class Diet(models.TextChoices):
    """A trainee's dietary need: asked when a unit puts someone forward (registration), kept with
    the trainee's stay (lodging), and what the meal counts are split by."""

    NONE = "none", "无"
    HALAL = "halal", "清真"
    VEGETARIAN = "vegetarian", "素食"
    OTHER = "other", "其他"


class Trainee(models.Model):
    """学员: one person as one organization knows them, across that organization's courses. What
    an organization enters (name, unit, phone, ID number, login code) is its own: another
    organization enrolling the same phone number gets a record of its own, with its own code. A
    trainee logs in with the phone number and the code of the record they want; no two records
    with one phone share a code, so the pair names one record."""

    organization = models.ForeignKey(
        Organization, verbose_name="主办单位", on_delete=models.PROTECT, related_name="trainees"
    )

    class Gender(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    name = models.CharField("姓名", max_length=40)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    ethnicity = models.CharField("民族", max_length=20, blank=True)
    political_status = models.CharField("政治面貌", max_length=20, blank=True)
    work_unit = models.CharField("工作单位", max_length=100, blank=True)
    position = models.CharField("职务", max_length=50, blank=True)
    phone = models.CharField("手机号码", max_length=11, validators=[phone_validator])
    id_number = models.CharField("身份证号码", max_length=18, blank=True)
    access_code = models.CharField("登录码", max_length=12, help_text="学员用手机号和登录码登录")
    large_text = models.BooleanField(
        "大字版", default=False, help_text="学员在手机上选的大字、大按钮显示，下次登录仍然有效"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账户",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainee",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "学员"
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(phone__regex=r"^1[3-9][0-9]{9}$"), name="trainee_phone_11_digits"),
            models.UniqueConstraint(fields=["organization", "phone"], name="trainee_unique_phone_per_organization"),
            models.UniqueConstraint(
                fields=["organization", "id_number"],
                condition=~Q(id_number=""),
                name="trainee_id_number_unique_per_organization",
            ),
            # The login: a phone number and a code name one record, whichever organization made it.
            models.UniqueConstraint(fields=["phone", "access_code"], name="trainee_unique_login"),
        ]

    def __str__(self):
        return self.name

    @property
    def id_number_masked(self):
        return rules.mask_id_number(self.id_number)

    @property
    def phone_masked(self):
        return rules.mask_phone(self.phone)


class Enrollment(models.Model):
    """报名: a trainee on a course's roster (花名册)."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", "在训"
        WITHDRAWN = "withdrawn", "退训"

    course = models.ForeignKey(Course, verbose_name="培训班", on_delete=models.CASCADE, related_name="enrollments")
    trainee = models.ForeignKey(Trainee, verbose_name="学员", on_delete=models.PROTECT, related_name="enrollments")
    student_no = models.CharField("学号", max_length=20)
    group = models.CharField("小组", max_length=20, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ENROLLED)
    created_at = models.DateTimeField("报名时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "报名"
        ordering = ["course", "student_no"]
        constraints = [
            models.UniqueConstraint(fields=["course", "trainee"], name="enrollment_unique_trainee"),
            models.UniqueConstraint(fields=["course", "student_no"], name="enrollment_unique_student_no"),
        ]

    def __str__(self):
        return f"{self.course.code} {self.student_no} {self.trainee.name}"


class LoginLock(models.Model):
    """Failed logins per account (a phone number or a staff username), never per IP address."""

    key = models.CharField("账户", max_length=120, unique=True)
    failures = models.PositiveIntegerField("连续失败次数", default=0)
    last_failure_at = models.DateTimeField("最近失败时间", null=True, blank=True)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "登录锁定"

    def __str__(self):
        return self.key
