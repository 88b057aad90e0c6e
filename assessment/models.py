"""结业考核: a course's assessment plan (pass mark, 心得 deadline) and its items with weights, the
scores staff enter, the trainees' 学习心得 with their grades, and the groups' discussion records."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from training.models import Course, Enrollment

from . import rules

SCORE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


class Kind(models.TextChoices):
    TEST = rules.TEST, rules.KIND_LABELS[rules.TEST]
    ESSAY = rules.ESSAY, rules.KIND_LABELS[rules.ESSAY]
    SPEECH = rules.SPEECH, rules.KIND_LABELS[rules.SPEECH]
    DISCUSSION = rules.DISCUSSION, rules.KIND_LABELS[rules.DISCUSSION]
    EVERYDAY = rules.EVERYDAY, rules.KIND_LABELS[rules.EVERYDAY]


class AssessmentPlan(models.Model):
    """A course's assessment: its pass mark and the 心得 deadline. A course without a plan (or with
    no items) is not assessed, and 结业 reads attendance only."""

    course = models.OneToOneField(Course, on_delete=models.CASCADE, related_name="assessment_plan")
    pass_mark = models.DecimalField(
        "考核及格线", max_digits=4, decimal_places=1, default=rules.DEFAULT_PASS_MARK, validators=SCORE_VALIDATORS
    )
    essay_due_at = models.DateTimeField("学习心得提交截止", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "考核方案"

    def __str__(self):
        return f"{self.course} 考核方案"


class AssessmentItem(models.Model):
    plan = models.ForeignKey(AssessmentPlan, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField("项目", max_length=12, choices=Kind.choices)
    weight = models.PositiveSmallIntegerField("权重（%）", validators=[MaxValueValidator(100)])
    pass_mark = models.DecimalField(
        "单项及格线", max_digits=4, decimal_places=1, null=True, blank=True, validators=SCORE_VALIDATORS
    )

    class Meta:
        verbose_name = verbose_name_plural = "考核项目"
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind"], name="assessment_item_unique_kind"),
            models.CheckConstraint(condition=Q(weight__lte=100), name="assessment_item_weight_max"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.weight}%"

    def as_rule(self) -> rules.Item:
        return rules.Item(self.kind, self.weight, self.pass_mark)


class Score(models.Model):
    """One trainee's mark in an item entered by staff (结业测试, 交流发言, 小组讨论)."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="assessment_scores")
    kind = models.CharField("项目", max_length=12, choices=Kind.choices)
    score = models.DecimalField("成绩", max_digits=4, decimal_places=1, validators=SCORE_VALIDATORS)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT)
    entered_at = models.DateTimeField("录入时间")

    class Meta:
        verbose_name = verbose_name_plural = "考核成绩"
        constraints = [models.UniqueConstraint(fields=["enrollment", "kind"], name="assessment_score_unique")]

    def __str__(self):
        return f"{self.enrollment} {self.get_kind_display()} {self.score}"


class Essay(models.Model):
    """学习心得: written on the phone or uploaded as a file; editable by its author until graded."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="essay")
    title = models.CharField("题目", max_length=60, blank=True)
    body = models.TextField("正文", blank=True)
    file = models.FileField("附件", upload_to="essays/%Y/", blank=True)
    filename = models.CharField("原文件名", max_length=120, blank=True)
    submitted_at = models.DateTimeField("提交时间")
    score = models.DecimalField(
        "评分", max_digits=4, decimal_places=1, null=True, blank=True, validators=SCORE_VALIDATORS
    )
    comment = models.CharField("评语", max_length=300, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评分人", on_delete=models.PROTECT, null=True, blank=True
    )
    graded_at = models.DateTimeField("评分时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "学习心得"

    def __str__(self):
        return f"{self.enrollment} 学习心得"

    @property
    def graded(self) -> bool:
        return self.score is not None


class DiscussionRecord(models.Model):
    """小组讨论记录: one group's discussion, its topic, recorder (a trainee) and summary."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="discussion_records")
    group = models.CharField("小组", max_length=20)
    topic = models.CharField("讨论题目", max_length=100)
    recorder = models.ForeignKey(
        Enrollment, verbose_name="记录人", on_delete=models.PROTECT, related_name="discussions_recorded"
    )
    summary = models.TextField("讨论纪要", max_length=5000)
    held_at = models.DateTimeField("讨论时间")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT)

    class Meta:
        verbose_name = verbose_name_plural = "小组讨论记录"
        ordering = ["held_at", "group", "pk"]

    def __str__(self):
        return f"{self.group} {self.topic}"
