"""Every write of materials: importing files (each article of a compilation becomes a material),
changing a material's details and links, deleting one, and a trainee marking one as read."""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError
from training.models import Course, Enrollment, Session

from . import files, rules
from .models import Material, MaterialGram, MaterialRead


def fingerprint(body: str) -> str:
    """What makes two materials the same: their cleaned text."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass
class FileImport:
    """What one file holds: its articles, which of them the course already has, and (after a
    commit) the materials made."""

    filename: str
    articles: list[rules.Article]
    existing: set[int] = field(default_factory=set)  # indexes of articles already in the course
    materials: list[Material] = field(default_factory=list)

    @property
    def new_count(self) -> int:
        return len(self.articles) - len(self.existing)


def _fallback_title(filename: str) -> str:
    return Path(filename).stem.strip() or "未命名材料"


def material_import(
    *, course: Course | None, content: bytes, filename: str, by=None, commit: bool = True, sessions: list[Session] = ()
) -> FileImport:
    """Reads a .txt/.docx/.md file, cleans it and splits a compilation into its articles; with
    `commit`, makes one material per article the course does not have yet (same text = same
    material, so importing a file twice changes nothing) and keeps the source file with them.
    Raises `files.MaterialFileError` for an empty, binary, undecodable or unsupported file,
    before writing anything."""
    text = files.read(content, filename)
    articles = [a for a in rules.parse(text, fallback_title=_fallback_title(filename)) if a.body.strip()]
    if not articles:
        raise files.MaterialFileError("empty", "文件中没有可以导入的正文。")
    result = FileImport(filename, articles)
    prints = [fingerprint(a.body) for a in articles]
    known = set(
        Material.objects.filter(course=course, fingerprint__in=prints).values_list("fingerprint", flat=True)
    )  # course=None: the library
    # Known already, or the same text earlier in this file (a library has no unique constraint to ask).
    result.existing = {i for i, p in enumerate(prints) if p in known or p in prints[:i]}
    if not commit or not result.new_count:
        return result
    with transaction.atomic():
        stored_name = ""
        for index, article in enumerate(articles):
            if index in result.existing:
                continue
            material = Material(
                course=course,
                title=article.title[:200],
                speaker=article.speaker[:60],
                speaker_position=article.speaker_position[:200],
                occasion=article.occasion[:200],
                body=article.body,
                fingerprint=prints[index],
                source_name=Path(filename).name[:200],
                created_by=by,
            )
            if stored_name:  # the articles of one compilation share the file
                material.source_file.name = stored_name
            else:
                material.source_file.save(Path(filename).name, ContentFile(content), save=False)
                stored_name = material.source_file.name
            try:
                with transaction.atomic():
                    material.save()
            except IntegrityError:  # imported meanwhile by someone else: the same text, so skip it
                result.existing.add(index)
                continue
            if course is not None:
                material.sessions.set([s for s in sessions if s.course_id == course.pk])
            material_index(material=material)
            result.materials.append(material)
    return result


def material_index(*, material: Material) -> None:
    """(Re)builds the material's rows of the search index."""
    MaterialGram.objects.filter(material=material).delete()
    counts = rules.grams(f"{material.title}\n{material.body}")
    MaterialGram.objects.bulk_create(
        (MaterialGram(material=material, gram=gram, count=n) for gram, n in counts.items()), batch_size=2000
    )


MATERIAL_FIELDS = ("title", "speaker", "speaker_position", "occasion", "date", "release_at")


@transaction.atomic
def material_update(*, material: Material, sessions: list[Session] | None = None, **fields) -> Material:
    """Changes a material's details and the sessions it belongs to (of its own course only)."""
    if "title" in fields and not fields["title"].strip():
        raise DomainError("title_required", "请填写标题。", "title")
    if sessions is not None and any(s.course_id != material.course_id for s in sessions):
        raise DomainError("other_course", "只能关联本班的课次。", "sessions")
    for name, value in fields.items():
        setattr(material, name, value.strip() if isinstance(value, str) else value)
    material.save(update_fields=[*fields, "updated_at"])
    if "title" in fields:
        material_index(material=material)
    if sessions is not None:
        material.sessions.set(sessions)
    return material


@transaction.atomic
def material_delete(*, material: Material) -> None:
    """Removes a material and who read it (a wrong import); its source file stays if another
    material of the same compilation still uses it."""
    name = material.source_file.name
    material.delete()
    if name and not Material.objects.filter(source_file=name).exists():
        material.source_file.storage.delete(name)


def material_mark_read(*, material: Material, enrollment: Enrollment, at: datetime | None = None) -> MaterialRead:
    """已学习. Idempotent: marking again keeps the first time."""
    if enrollment.course_id != material.course_id:
        raise DomainError("other_course", "这份材料不属于您的培训班。")
    read, _ = MaterialRead.objects.get_or_create(
        material=material, enrollment=enrollment, defaults={"read_at": at or timezone.now()}
    )
    return read
