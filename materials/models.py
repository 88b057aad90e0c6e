"""Speech texts and readings as course materials, and who has read them."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from training.models import Course, Enrollment, Session


class Material(models.Model):
    """学习材料: one speech or article, cleaned (one paragraph per line), of a course (or of the
    library, with no course yet), linked to the sessions it belongs to. Hidden from trainees
    until `release_at` when that is set."""

    course = models.ForeignKey(
        Course,
        verbose_name="培训班",
        on_delete=models.CASCADE,
        related_name="materials",
        null=True,
        blank=True,
        help_text="空：材料库中的材料（命令行不指定培训班导入），可在后台指定培训班",
    )
    sessions = models.ManyToManyField(Session, verbose_name="相关课次", related_name="materials", blank=True)
    title = models.CharField("标题", max_length=200)
    speaker = models.CharField("讲话人/作者", max_length=60, blank=True)
    speaker_position = models.CharField("职务", max_length=200, blank=True)
    occasion = models.CharField("场合", max_length=200, blank=True, help_text="如“全市工会工作会议”")
    date = models.DateField("日期", null=True, blank=True)
    body = models.TextField("正文")
    fingerprint = models.CharField("正文指纹", max_length=64, editable=False)
    source_file = models.FileField("原始文件", upload_to="materials/%Y/", blank=True)
    source_name = models.CharField("原始文件名", max_length=200, blank=True)
    release_at = models.DateTimeField(
        "对学员开放时间", null=True, blank=True, help_text="留空则立即开放；可设为课后，如讲座结束时"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "学习材料"
        ordering = ["course", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "fingerprint"], name="material_unique_text_per_course"),
            models.CheckConstraint(condition=~Q(title=""), name="material_has_title"),
        ]

    def __str__(self):
        return self.title


class MaterialRead(models.Model):
    """已学习: a trainee marked a material as read. One per (material, enrollment)."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="reads")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="material_reads")
    read_at = models.DateTimeField("学习时间")

    class Meta:
        verbose_name = verbose_name_plural = "学习记录"
        constraints = [models.UniqueConstraint(fields=["material", "enrollment"], name="material_read_once")]

    def __str__(self):
        return f"{self.enrollment} {self.material}"


class MaterialGram(models.Model):
    """The search index: how often each pair of adjacent characters (a bigram, the usual unit for
    indexing Chinese without word segmentation) occurs in a material's title and text."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="grams")
    gram = models.CharField(max_length=2)
    count = models.PositiveIntegerField()

    class Meta:
        verbose_name = verbose_name_plural = "检索索引"
        constraints = [models.UniqueConstraint(fields=["gram", "material"], name="material_gram_unique")]

    def __str__(self):
        return self.gram
