"""Reads of 报名 that pages share, with their joins inside."""

from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from training.models import Course, Organization, Session

from . import rules
from .models import Nominee, Notice, Quota, RegistrationSettings, Unit


def unit_list_for_organization(organization: Organization, *, q: str = "") -> list[Unit]:
    units = Unit.objects.filter(organization=organization).annotate(course_count=Count("quotas"))
    if q:
        units = units.filter(Q(name__icontains=q) | Q(contact__icontains=q))
    return list(units.order_by("-is_active", "name"))


def settings_of(course: Course) -> RegistrationSettings:
    """The course's deadline and lock as stored, or the defaults unsaved (a GET writes nothing)."""
    return RegistrationSettings.objects.filter(course=course).first() or RegistrationSettings(course=course)


def with_held(quotas):
    """`quotas` each with `held`: how many of its nominees hold a place (all but Nominee.FREED)."""
    return quotas.annotate(held=Count("nominees", filter=~Q(nominees__status__in=Nominee.FREED)))


def quota_table(course: Course) -> list[tuple[Unit, Quota | None, int]]:
    """Each unit of the 名额分配表 form: the organization's units in use, plus any inactive one
    that already has a quota here, with its quota (or None) and the people it holds."""
    quotas = {q.unit_id: q for q in with_held(Quota.objects.filter(course=course))}
    units = Unit.objects.filter(organization_id=course.organization_id).filter(
        Q(is_active=True) | Q(pk__in=list(quotas))
    )
    return [(u, quotas.get(u.pk), quotas[u.pk].held if u.pk in quotas else 0) for u in units.order_by("name")]


def progress_for_course(course: Course) -> tuple[list[rules.UnitProgress], list[Nominee]]:
    """报名进度: a row per unit of the table (two queries: quotas with counts, nominees)."""
    counted = {
        f"n_{status}": Count("nominees", filter=Q(nominees__status=status))
        for status in ("pending", "approved", "returned")
    }
    rows = [
        rules.UnitProgress(
            quota_pk=q.pk,
            unit=q.unit.name,
            contact=q.unit.contact,
            phone=q.unit.phone,
            places=q.places,
            extra=q.extra,
            submitted=q.held,
            approved=q.n_approved,
            pending=q.n_pending,
            returned=q.n_returned,
        )
        for q in with_held(Quota.objects.filter(course=course))
        .select_related("unit")
        .annotate(**counted)
        .order_by("unit__name")
    ]
    nominees = list(
        Nominee.objects.filter(course=course)
        .select_related("quota__unit", "replaces")
        .order_by("quota__unit__name", "created_at", "pk")
    )
    return rows, nominees


def nominees_for_quota(quota: Quota) -> list[Nominee]:
    """The unit's people on its link, substitutions included (they say 由X换为Y)."""
    return list(Nominee.objects.filter(quota=quota).select_related("replaces").order_by("created_at", "pk"))


def held_count(quota: Quota) -> int:
    return Nominee.objects.filter(quota=quota).exclude(status__in=Nominee.FREED).count()


def allocation(course: Course) -> list[tuple[str, int]]:
    """The 名额分配表 as printed: each unit with its places (with the extra allowed), by name."""
    return [
        (q.unit.name, q.total)
        for q in Quota.objects.filter(course=course).select_related("unit").order_by("unit__name")
    ]


def notice_of(course: Course, *, today: date) -> Notice:
    """The course's 培训通知 as stored, or unsaved with the template's text filled with the course's
    facts (a GET writes nothing). The course's organization is expected loaded; four queries when
    there is none yet (notice, sessions, settings, quotas)."""
    notice = Notice.objects.filter(course=course).first()
    if notice is not None:
        return notice
    sessions = list(course.sessions.order_by("starts_at", "pk"))
    kept = {Session.Kind.LECTURE, Session.Kind.SITE_VISIT}
    topics = [s.title for s in sessions if s.kind in kept][:8]
    settings = settings_of(course)
    return Notice(
        course=course,
        **rules.notice_defaults(
            course_name=course.name,
            organization=course.organization.name,
            short_name=course.organization.short_name,
            venue=course.venue,
            start=course.start_date,
            end=course.end_date,
            deadline=timezone.localtime(settings.deadline) if settings.deadline else None,
            first_session=timezone.localtime(sessions[0].starts_at) if sessions else None,
            topics=topics,
            places=sum(total for _, total in allocation(course)),
            today=today,
        ),
    )
