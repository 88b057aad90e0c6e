"""Facts of 报名 by unit: an organization's units (基层单位), each course's 名额分配表 (a quota per
unit, with the extra places the organizer allows), the course's deadline and lock, and the people
each unit nominates. A nominee becomes an enrollment only when the organizer approves them,
through the roster import's service (`training.services.enrollment_import`)."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from training.models import Course, Diet, Enrollment, Organization


class Unit(models.Model):
    """基层单位: a union unit that sends trainees; kept across the organization's courses."""

    organization = models.ForeignKey(
        Organization, verbose_name="主办单位", on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField("单位名称", max_length=100)
    contact = models.CharField("联系人", max_length=20, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    is_active = models.BooleanField("在用", default=True, help_text="停用后不再出现在新的名额分配表中，已有的报名保留")

    class Meta:
        verbose_name = verbose_name_plural = "基层单位"
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="unit_unique_name_per_organization")
        ]

    def __str__(self):
        return self.name


def new_nonce() -> str:
    return secrets.token_urlsafe(9)


class Quota(models.Model):
    """One unit's places on one course's 名额分配表. The unit's private link carries `nonce`:
    revoking the link draws a new one, and the old link no longer opens anything."""

    course = models.ForeignKey(Course, verbose_name="培训班", on_delete=models.CASCADE, related_name="quotas")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="quotas")
    places = models.PositiveSmallIntegerField("名额", validators=[MaxValueValidator(200)])
    extra = models.PositiveSmallIntegerField("追加名额", default=0, validators=[MaxValueValidator(50)])
    nonce = models.CharField("链接版本", max_length=16, default=new_nonce)

    class Meta:
        verbose_name = verbose_name_plural = "名额"
        ordering = ["course", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["course", "unit"], name="quota_one_per_unit_and_course")]

    def __str__(self):
        return f"{self.unit_id}: {self.places}+{self.extra}"

    @property
    def total(self) -> int:
        return self.places + self.extra


class RegistrationSettings(models.Model):
    """A course's 报名: the deadline of the units' links and the lock of the list (名单锁定)."""

    course = models.OneToOneField(
        Course, verbose_name="培训班", on_delete=models.CASCADE, related_name="registration_settings"
    )
    deadline = models.DateTimeField("报名截止时间", null=True, blank=True)
    locked_at = models.DateTimeField("名单锁定时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "报名设置"

    def __str__(self):
        return str(self.course_id)


class Nominee(models.Model):
    """One person a unit puts forward for a course. A substitute (换人) is a new row that
    `replaces` the old one, whose status becomes replaced: the record reads "由X换为Y"."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已通过"
        RETURNED = "returned", "已退回"
        REPLACED = "replaced", "已替换"
        WITHDRAWN = "withdrawn", "已撤销"  # approved, then could not come: 退训, the place is free again

    FREED = (Status.REPLACED, Status.WITHDRAWN)  # rows that no longer hold a place or a phone number

    course = models.ForeignKey(Course, verbose_name="培训班", on_delete=models.CASCADE, related_name="nominees")
    quota = models.ForeignKey(Quota, verbose_name="名额", on_delete=models.CASCADE, related_name="nominees")
    name = models.CharField("姓名", max_length=40)
    gender = models.CharField("性别", max_length=1, choices=[("M", "男"), ("F", "女")], blank=True)
    ethnicity = models.CharField("民族", max_length=20, blank=True)
    political_status = models.CharField("政治面貌", max_length=20, blank=True)
    position = models.CharField("职务", max_length=50, blank=True)
    phone = models.CharField("手机号码", max_length=11)
    id_number = models.CharField("身份证号码", max_length=18, blank=True)
    diet = models.CharField("饮食", max_length=10, choices=Diet.choices, default=Diet.NONE)
    diet_note = models.CharField("饮食说明", max_length=50, blank=True)
    needs_room = models.BooleanField("需要住宿", default=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    comment = models.CharField("退回意见", max_length=200, blank=True)
    replaces = models.OneToOneField(
        "self", verbose_name="替换", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    enrollment = models.ForeignKey(
        Enrollment, verbose_name="报名", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("填报时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "报名人员"
        ordering = ["quota", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "phone"],
                condition=~Q(status__in=["replaced", "withdrawn"]),
                name="nominee_unique_phone_per_course",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def holds_place(self) -> bool:
        return self.status not in self.FREED


class Notice(models.Model):
    """The course's 培训通知: the text the organizer writes from a template filled with the
    course's facts (registration.rules.notice_defaults), printed as a 公文 with the 名额分配表 and
    the 报名回执 as attachments. Each part is a text the organizer may rewrite; one per course."""

    course = models.OneToOneField(Course, verbose_name="培训班", on_delete=models.CASCADE, related_name="notice")
    doc_number = models.CharField("发文字号", max_length=40, help_text="如 县工发〔2026〕3号")
    title = models.CharField("标题", max_length=100)
    recipients = models.CharField("主送", max_length=100, help_text="如“各乡镇（街道）总工会，县直各单位工会：”")
    purpose = models.TextField("开头（目的）", max_length=1000)
    when_where = models.TextField("培训时间和地点", max_length=500)
    audience = models.TextField("培训对象", max_length=500)
    content = models.TextField("培训内容", max_length=1000, blank=True)
    arrival = models.TextField("报到时间和地点", max_length=500)
    bring = models.TextField("有关要求（携带物品等）", max_length=1000, blank=True)
    how_to_register = models.TextField("报名办法", max_length=1000)
    contacts = models.TextField("联系人", max_length=500)
    signed_on = models.DateField("成文日期")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    # The texts of the notice, in the order they print (the form's and the service's fields).
    TEXTS = (
        "title",
        "recipients",
        "purpose",
        "when_where",
        "audience",
        "content",
        "arrival",
        "bring",
        "how_to_register",
        "contacts",
    )

    class Meta:
        verbose_name = verbose_name_plural = "培训通知"

    def __str__(self):
        return f"{self.doc_number} {self.title}"
