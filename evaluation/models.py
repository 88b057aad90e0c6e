"""Facts of 评教 (course evaluation), stored so that no query links an answer to a trainee.

Two tables that share nothing but the form and the session:

- `Responded`: that an enrollment answered a form (for one session, or the course form). It
  enforces one answer each (unique constraints) and gives the response rate. No score, no text,
  no time.
- `Answer`: the scores and comments. No enrollment, no trainee, no user, no reference to a
  Responded row, no time; a random UUID key, so ids say nothing about the order of submission.
  Every submission rewrites the answers of its (form, session) in a random order in the same
  transaction (`services.answer_submit`), so the physical order of the rows (SQLite's rowid,
  PostgreSQL's ctid) and the inserting transaction (PostgreSQL's xmin) do not follow submission
  order either. README, 评教, says what is left.
"""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from training.models import Course, Enrollment, Session


class EvaluationSettings(models.Model):
    """A course's evaluation settings (made with its forms by `services.forms_ensure`)."""

    course = models.OneToOneField(
        Course, verbose_name="培训班", on_delete=models.CASCADE, related_name="evaluation_settings"
    )
    enabled = models.BooleanField("开展评教", default=True, help_text="关闭后学员看不到评教，也不能提交")
    opens_before_minutes = models.PositiveSmallIntegerField(
        "下课前开放（分钟）",
        default=10,
        validators=[MaxValueValidator(120)],
        help_text="课次评教在下课前这么多分钟开放，教室大屏可以换成评教二维码；0 为下课时开放",
    )
    close_hours = models.PositiveSmallIntegerField(
        "下课后截止（小时）",
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
        help_text="课次评教在下课后这么多小时截止；培训班总体评价在最后一个课次结束后同样的时间截止",
    )
    comment_threshold = models.PositiveSmallIntegerField(
        "显示均分和意见的最少评价人数",
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(100)],
        help_text="评价人数少于此数时不显示均分和文字意见，以免推知个人的评价",
    )

    class Meta:
        verbose_name = verbose_name_plural = "评教设置"

    def __str__(self):
        return str(self.course_id)


class EvaluationForm(models.Model):
    """One evaluation form of a course per kind. Items and open questions are data:
    lists of {"key", "label"}; the organizer edits them until the first answer."""

    class Kind(models.TextChoices):
        LECTURE = "lecture", "专题讲座评价表"
        FIELD = "field", "现场教学评价表"
        COURSE = "course", "培训班总体评价表"

    course = models.ForeignKey(Course, verbose_name="培训班", on_delete=models.CASCADE, related_name="evaluation_forms")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    title = models.CharField("标题", max_length=60)
    scale = models.PositiveSmallIntegerField("分制", choices=[(5, "5 分制"), (10, "10 分制")], default=5)
    items = models.JSONField("打分项目", default=list)
    questions = models.JSONField("开放式问题", default=list)

    class Meta:
        verbose_name = verbose_name_plural = "评教表"
        ordering = ["course", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "kind"], name="evaluation_form_one_per_kind"),
            models.CheckConstraint(condition=Q(scale__in=[5, 10]), name="evaluation_form_scale_5_or_10"),
        ]

    def __str__(self):
        return self.title


class Responded(models.Model):
    """That an enrollment answered a form (for a session; NULL for the course form). Nothing else:
    no score, no text, no time."""

    form = models.ForeignKey(EvaluationForm, on_delete=models.CASCADE, related_name="responded")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, null=True, related_name="+")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "已评价记录"
        constraints = [
            # Two partial unique indexes: NULLs are distinct in a plain unique index (SQLite and
            # PostgreSQL alike), so the course form (session NULL) gets its own.
            models.UniqueConstraint(
                fields=["form", "session", "enrollment"],
                condition=Q(session__isnull=False),
                name="evaluation_one_answer_per_session",
            ),
            models.UniqueConstraint(
                fields=["form", "enrollment"],
                condition=Q(session__isnull=True),
                name="evaluation_one_answer_per_course_form",
            ),
        ]

    def __str__(self):
        return f"{self.form_id}/{self.session_id}/{self.enrollment_id}"


class Answer(models.Model):
    """One anonymous answer: scores {item key: int} and comments {question key: text}. No link to
    who gave it, no time; the key is random."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    form = models.ForeignKey(EvaluationForm, on_delete=models.CASCADE, related_name="answers")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, null=True, related_name="+")
    scores = models.JSONField("分数", default=dict)
    comments = models.JSONField("意见", default=dict)

    class Meta:
        verbose_name = verbose_name_plural = "评价"

    def __str__(self):
        return str(self.id)
