"""Facts of 报到 (arrival), 住宿 (rooms and beds) and 就餐 (meals).

Per enrollment: a `Stay` (needs a room or 走读, dietary need), made the first time someone writes
one (a page that only reads uses the defaults); an `Arrival` (one per enrollment, enforced by the
database); a `BedAssignment` (one per enrollment and one per bed of a course, enforced by the
database); `MealOptOut` rows (will not eat that meal). Per organization: its venue's `Room`s. Per
course: `LodgingSettings` (what the desk hands out) and `Meal` rows for meals whose plan was changed
or whose count was frozen at the cut-off.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from training.models import Course, Diet, Enrollment, Organization


class MealKind(models.TextChoices):
    BREAKFAST = "breakfast", "早餐"
    LUNCH = "lunch", "午餐"
    DINNER = "dinner", "晚餐"


class LodgingSettings(models.Model):
    course = models.OneToOneField(
        Course, verbose_name="培训班", on_delete=models.CASCADE, related_name="lodging_settings"
    )
    handout = models.CharField(
        "报到时发放",
        max_length=200,
        blank=True,
        default="学员手册、胸牌、餐券",
        help_text="报到台扫码后提示工作人员发放的物品，如“学员手册、胸牌、餐券、房卡”",
    )
    canteen_contact = models.CharField("食堂联系人", max_length=20, blank=True)
    canteen_phone = models.CharField(
        "食堂联系电话", max_length=30, blank=True, help_text="手机号码：配置了短信网关时，每餐人数锁定后发短信给食堂"
    )
    canteen_email = models.EmailField("食堂电子邮箱", blank=True, help_text="没有手机号或短信网关时发邮件")

    CANTEEN_FIELDS = ("canteen_contact", "canteen_phone", "canteen_email")

    class Meta:
        verbose_name = verbose_name_plural = "报到设置"

    def __str__(self):
        return str(self.course_id)


class Stay(models.Model):
    """What the desk, the rooms and the kitchen need to know about one trainee on one course."""

    enrollment = models.OneToOneField(Enrollment, verbose_name="学员", on_delete=models.CASCADE, related_name="stay")
    needs_room = models.BooleanField("需要住宿", default=True, help_text="不勾选为走读，不安排房间")
    diet = models.CharField("饮食要求", max_length=12, choices=Diet.choices, default=Diet.NONE)
    diet_note = models.CharField("其他饮食要求说明", max_length=60, blank=True, help_text="如“不吃辣”“海鲜过敏”")

    class Meta:
        verbose_name = verbose_name_plural = "食宿需求"

    def __str__(self):
        return str(self.enrollment_id)


class Arrival(models.Model):
    """报到: the trainee arrived at the venue. One per enrollment; a second scan reads this one."""

    class Method(models.TextChoices):
        SCAN = "scan", "扫胸牌"
        SEARCH = "search", "查找姓名/手机"

    enrollment = models.OneToOneField(Enrollment, verbose_name="学员", on_delete=models.CASCADE, related_name="arrival")
    arrived_at = models.DateTimeField("报到时间")
    method = models.CharField("方式", max_length=10, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "报到"

    def __str__(self):
        return f"{self.enrollment_id} {self.arrived_at:%H:%M}"


class Room(models.Model):
    """A guesthouse room of the venue an organization uses, kept across its courses."""

    class Gender(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"
        ANY = "", "不限"

    organization = models.ForeignKey(
        Organization, verbose_name="主办单位", on_delete=models.PROTECT, related_name="rooms"
    )
    building = models.CharField("楼栋", max_length=20, help_text="如“1号楼”")
    floor = models.SmallIntegerField("楼层", validators=[MinValueValidator(-3), MaxValueValidator(60)])
    number = models.CharField("房号", max_length=10)
    beds = models.PositiveSmallIntegerField("床位数", validators=[MinValueValidator(1), MaxValueValidator(8)])
    gender = models.CharField(
        "性别", max_length=1, choices=Gender.choices, blank=True, default="", help_text="不限：按入住的第一位学员定"
    )
    is_active = models.BooleanField("可用", default=True, help_text="维修、不开放的房间取消勾选，自动分配时跳过")

    class Meta:
        verbose_name = verbose_name_plural = "房间"
        ordering = ["building", "floor", "number"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "building", "number"], name="room_unique_number"),
            models.CheckConstraint(condition=Q(beds__gte=1) & Q(beds__lte=8), name="room_beds_1_to_8"),
        ]

    def __str__(self):
        return f"{self.building}{self.number}"


class BedAssignment(models.Model):
    """One trainee in one bed of a room for one course. The database refuses a bed taken twice and
    a trainee placed twice, whatever two desks do at the same moment."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="bed_assignments")
    room = models.ForeignKey(Room, verbose_name="房间", on_delete=models.PROTECT, related_name="assignments")
    bed = models.PositiveSmallIntegerField("床号")
    enrollment = models.ForeignKey(Enrollment, verbose_name="学员", on_delete=models.CASCADE, related_name="+")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField("安排时间")

    class Meta:
        verbose_name = verbose_name_plural = "床位安排"
        constraints = [
            models.UniqueConstraint(fields=["course", "room", "bed"], name="bed_once_per_course"),
            models.UniqueConstraint(fields=["course", "enrollment"], name="bed_one_per_enrollment"),
            models.CheckConstraint(condition=Q(bed__gte=1), name="bed_number_positive"),
        ]

    def __str__(self):
        return f"{self.room_id}-{self.bed} {self.enrollment_id}"


class Meal(models.Model):
    """One meal of a course whose plan differs from the default (not served, another cut-off) or
    whose count was frozen at its cut-off (`frozen`: the counts as they stood)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="meals")
    day = models.DateField("日期")
    kind = models.CharField("餐次", max_length=10, choices=MealKind.choices)
    served = models.BooleanField("供餐", default=True)
    cutoff_at = models.DateTimeField("报餐截止")
    frozen_at = models.DateTimeField("锁定时间", null=True, blank=True)
    frozen = models.JSONField("锁定时的人数", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "餐次"
        ordering = ["course", "day", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["course", "day", "kind"], name="meal_once_per_course_day_kind"),
            models.CheckConstraint(
                condition=Q(frozen_at__isnull=True) | Q(frozen__isnull=False), name="meal_frozen_has_counts"
            ),
        ]

    def __str__(self):
        return f"{self.course_id} {self.day} {self.kind}"


class MealOptOut(models.Model):
    """The trainee will not eat this meal (said by them on the phone or by staff, before the cut-off)."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="meal_opt_outs")
    day = models.DateField("日期")
    kind = models.CharField("餐次", max_length=10, choices=MealKind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = verbose_name_plural = "不就餐登记"
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "day", "kind"], name="meal_opt_out_once"),
        ]

    def __str__(self):
        return f"{self.enrollment_id} {self.day} {self.kind}"
