"""Reads of materials shared by the organizer's and the trainee's pages."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from training import rules as training_rules
from training.models import Course, Enrollment, Session, Trainee

from . import rules
from .models import Material, MaterialGram, MaterialRead


def released(now: datetime) -> Q:
    return Q(release_at__isnull=True) | Q(release_at__lte=now)


def materials_for_course(course: Course) -> list[Material]:
    """The course's materials with their sessions and how many trainees have read each, in
    timetable order (materials without a session last)."""
    materials = list(
        course.materials.annotate(read_count=Count("reads", distinct=True)).prefetch_related(
            Prefetch("sessions", queryset=Session.objects.order_by("starts_at"))
        )
    )

    def order(material):
        sessions = list(material.sessions.all())
        return (sessions[0].starts_at.timestamp() if sessions else float("inf"), material.pk)

    return sorted(materials, key=order)


@dataclass
class Reader:
    enrollment: Enrollment
    read_at: datetime | None


def readers_of(material: Material) -> list[Reader]:
    """Every enrolled trainee of the material's course, in group order, with when they read it."""
    read = dict(material.reads.values_list("enrollment_id", "read_at"))
    enrollments = material.course.enrollments.filter(status=Enrollment.Status.ENROLLED).select_related("trainee")
    ordered = sorted(enrollments, key=lambda e: (training_rules.group_sort_key(e.group), e.student_no))
    return [Reader(e, read.get(e.pk)) for e in ordered]


def materials_for_trainee(trainee: Trainee, *, now: datetime) -> list[tuple[Enrollment, list[Material]]]:
    """Per course of the trainee (published or closed), the released materials with `read_at`
    (None when not read yet)."""
    enrollments = trainee.enrollments.filter(
        course__status__in=[Course.Status.PUBLISHED, Course.Status.CLOSED]
    ).select_related("course")
    result = []
    for enrollment in enrollments.order_by("-course__start_date"):
        reads = dict(enrollment.material_reads.values_list("material_id", "read_at"))
        materials = materials_for_course_visible(enrollment.course, now=now)
        for material in materials:
            material.read_at = reads.get(material.pk)
        result.append((enrollment, materials))
    return result


def materials_for_course_visible(course: Course, *, now: datetime) -> list[Material]:
    return [m for m in materials_for_course(course) if m.release_at is None or m.release_at <= now]


# --- Reading ---------------------------------------------------------------------------------------------


@dataclass
class Paragraph:
    index: int
    text: str
    level: int  # 0 for body text, 1 or 2 for an outline entry
    heading: bool  # a line of its own (rendered as a heading), not a paragraph with a bold lead
    lead: str  # the bold opening of a paragraph that is an outline entry
    rest: str


def reading(material: Material) -> tuple[list[Paragraph], list[rules.OutlineEntry]]:
    """The body as paragraphs marked with their outline level, and the outline itself."""
    entries = rules.outline(material.body)
    by_index = {entry.paragraph: entry for entry in entries}
    paragraphs = []
    for index, text in enumerate(material.body.split("\n")):
        entry = by_index.get(index)
        if entry is None:
            paragraphs.append(Paragraph(index, text, 0, False, "", text))
            continue
        first = re.split(r"(?<=[。！？；])", text, maxsplit=1)[0]
        heading = first == text and len(text) <= 60
        lead = "" if heading or len(first) > 60 else first
        paragraphs.append(Paragraph(index, text, entry.level, heading, lead, text[len(lead) :]))
    return paragraphs, entries


# --- Search ------------------------------------------------------------------------------------------------


@dataclass
class Hit:
    material: Material
    passages: list[rules.Passage]
    count: int


def material_search(materials: QuerySet[Material], query: str, *, limit: int = 30) -> list[Hit]:
    """Materials (among `materials`) whose title or text contains every word of the query, most
    occurrences first, each with its best passages. Candidates come from the bigram index (every
    bigram of every word present), ranked by how often those bigrams occur; the texts of the best
    are then checked for the exact words, so SQLite and PostgreSQL give the same answer. A word of
    a single character is looked for by scanning the texts."""
    terms = rules.search_terms(query)
    if not terms:
        return []
    needed = {term: list(rules.grams(term)) for term in terms}
    if any(not grams for grams in needed.values()):
        for term in terms:
            materials = materials.filter(Q(body__icontains=term) | Q(title__icontains=term))
        candidates = list(materials.order_by("pk").values_list("pk", flat=True)[: limit * 3])
    else:
        for grams in needed.values():
            having_all = (
                MaterialGram.objects.filter(gram__in=grams)
                .values("material_id")
                .annotate(found=Count("gram"))
                .filter(found=len(grams))
                .values("material_id")
            )
            materials = materials.filter(pk__in=having_all)
        every_gram = sorted({gram for grams in needed.values() for gram in grams})
        candidates = list(
            MaterialGram.objects.filter(material__in=materials.values("pk"), gram__in=every_gram)
            .values("material_id")
            .annotate(score=Sum("count"))
            .order_by("-score", "material_id")
            .values_list("material_id", flat=True)[: limit * 3]
        )
    texts = (
        Material.objects.filter(pk__in=candidates)
        .select_related("course")
        .only("pk", "title", "speaker", "body", "course__code")
    )
    hits = []
    for material in texts:
        title, body = material.title.lower(), material.body.lower()
        if all(t.lower() in title or t.lower() in body for t in terms):
            count = sum(body.count(t.lower()) + title.count(t.lower()) for t in terms)
            hits.append(Hit(material, rules.passages(material.body, terms), count))
    hits.sort(key=lambda hit: (-hit.count, hit.material.pk))
    return hits[:limit]


def read_of(material: Material, enrollment: Enrollment) -> MaterialRead | None:
    return MaterialRead.objects.filter(material=material, enrollment=enrollment).first()
