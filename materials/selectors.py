"""Reads of materials shared by the organizer's and the trainee's pages."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from training import rules as training_rules
from training.models import Course, Enrollment, Session, Trainee

from . import rules
from .models import Material, MaterialGram, MaterialRead

ENROLLED = Enrollment.Status.ENROLLED


def material_list_for_course(course: Course) -> list[Material]:
    """The course's materials with their sessions and how many enrolled trainees have read each,
    in timetable order (materials without a session last). Two queries."""
    reads = Count("reads", filter=Q(reads__enrollment__status=ENROLLED), distinct=True)
    materials = list(
        course.materials.annotate(read_count=reads).prefetch_related(
            Prefetch("sessions", queryset=Session.objects.order_by("starts_at"))
        )
    )

    def order(material):
        sessions = list(material.sessions.all())
        return (sessions[0].starts_at.timestamp() if sessions else float("inf"), material.pk)

    return sorted(materials, key=order)


def enrolled_count(course: Course) -> int:
    return course.enrollments.filter(status=ENROLLED).count()


def _group_order(enrollment: Enrollment):
    return (training_rules.group_sort_key(enrollment.group), enrollment.student_no)


@dataclass
class Reader:
    enrollment: Enrollment
    read_at: datetime | None


def readers_of(material: Material) -> list[Reader]:
    """Every enrolled trainee of the material's course, in group order, with when they read it."""
    read = dict(material.reads.values_list("enrollment_id", "read_at"))
    enrollments = material.course.enrollments.filter(status=ENROLLED).select_related("trainee")
    return [Reader(e, read.get(e.pk)) for e in sorted(enrollments, key=_group_order)]


@dataclass
class SessionReading:
    session: Session
    materials: list[Material]
    rows: list[tuple[Enrollment, list[datetime | None]]]  # per trainee, when each material was read


def reading_for_session(session: Session) -> SessionReading:
    """Who has read which of a session's materials: every enrolled trainee in group order. Three
    queries."""
    materials = list(session.materials.order_by("pk"))
    read = {
        (material_id, enrollment_id): at
        for material_id, enrollment_id, at in MaterialRead.objects.filter(material__in=materials).values_list(
            "material_id", "enrollment_id", "read_at"
        )
    }
    enrollments = session.course.enrollments.filter(status=ENROLLED).select_related("trainee")
    rows = [(e, [read.get((m.pk, e.pk)) for m in materials]) for e in sorted(enrollments, key=_group_order)]
    return SessionReading(session, materials, rows)


def material_list_for_trainee(trainee: Trainee, *, now: datetime) -> list[tuple[Enrollment, list[Material]]]:
    """Per course the trainee is on (published or closed, not withdrawn), the released materials
    with `read_at` (None when not read yet)."""
    enrollments = trainee.enrollments.filter(
        status=ENROLLED, course__status__in=[Course.Status.PUBLISHED, Course.Status.CLOSED]
    ).select_related("course")
    result = []
    for enrollment in enrollments.order_by("-course__start_date"):
        reads = dict(enrollment.material_reads.values_list("material_id", "read_at"))
        released = [
            m for m in material_list_for_course(enrollment.course) if m.release_at is None or m.release_at <= now
        ]
        for material in released:
            material.read_at = reads.get(material.pk)
        result.append((enrollment, released))
    return result


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
    bigram of every word present), ranked by how often those bigrams occur; their texts are then
    checked for the exact words, best candidates first, until `limit` are confirmed, so SQLite and
    PostgreSQL give the same answer. A word of a single character is looked for by scanning."""
    terms = rules.search_terms(query)
    if not terms:
        return []
    needed = {term: list(rules.grams(term)) for term in terms}
    ranked = all(needed.values())
    if not ranked:
        for term in terms:
            materials = materials.filter(Q(body__icontains=term) | Q(title__icontains=term))
        candidates = list(materials.order_by("pk").values_list("pk", flat=True))
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
            .values_list("material_id", flat=True)
        )
    hits = []
    for start in range(0, len(candidates), limit):
        chunk = candidates[start : start + limit]
        texts = Material.objects.filter(pk__in=chunk).only("pk", "title", "speaker", "body", "course_id")
        for material in sorted(texts, key=lambda m: chunk.index(m.pk)):
            title, body = material.title.lower(), material.body.lower()
            if all(t.lower() in title or t.lower() in body for t in terms):
                count = sum(body.count(t.lower()) + title.count(t.lower()) for t in terms)
                hits.append(Hit(material, rules.passages(material.body, terms), count))
        if ranked and len(hits) >= limit:
            break
    hits.sort(key=lambda hit: (-hit.count, hit.material.pk))
    return hits[:limit]


def read_of(material: Material, enrollment: Enrollment) -> MaterialRead | None:
    """The trainee's 已学习 mark on the material, if any."""
    return MaterialRead.objects.filter(material=material, enrollment=enrollment).first()
