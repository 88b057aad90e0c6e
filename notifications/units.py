"""报名提醒: the organizer reminds the units that have not yet put forward as many people as their
quota allows, through the outbox, while their links are still open. Beside services.py (which
holds the sweep and delivery), with the row and text helpers of rows.py."""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from registration import rules as registration_rules
from registration import selectors as registration_selectors
from registration import tokens as registration_tokens
from registration.models import Quota
from training.models import Course

from . import rules
from .models import Notification
from .rows import message_row, message_text

REFUSALS = {
    "locked": "名单已锁定，各单位不能再填报，不发报名提醒。",
    "closed": "报名已截止，各单位的链接不能再填报，不发报名提醒。",
}


@dataclass
class UnitsReminded:
    queued: list = field(default_factory=list)  # unit names reminded now
    skipped: list = field(default_factory=list)  # already reminded today
    unreachable: list = field(default_factory=list)  # of `queued`: no mobile (with SMS) and no email


@transaction.atomic
def units_remind(*, course: Course, link_base: str, now: datetime | None = None) -> UnitsReminded:
    """Queues a 报名提醒 to the contact of every unit of the course's 名额分配表 that holds fewer
    people than its places (extra included): how many it has put forward, how many are left, the
    deadline and its own link. At most one per unit per calendar day (the dedupe key names the
    quota and the day; a second press that day skips it). Refuses with 'locked' or 'closed' when the
    units can no longer change their lists, and 'no_quotas' without a 名额分配表. Writes nothing when
    it refuses."""
    now = now or timezone.now()
    reg = registration_selectors.settings_of(course)
    if refusal := registration_rules.unit_may_change(now=now, deadline=reg.deadline, locked_at=reg.locked_at):
        raise DomainError(refusal.code, REFUSALS[refusal.code])
    quotas = list(
        registration_selectors.with_held(Quota.objects.filter(course=course))
        .select_related("unit")
        .order_by("unit__name")
    )
    if not quotas:
        raise DomainError("no_quotas", "还没有名额分配表，没有要提醒的单位。")
    short = [q for q in quotas if registration_rules.places_left(places=q.places, extra=q.extra, taken=q.held)]
    day = timezone.localdate(now)
    keys = {q.pk: rules.unit_reminder_key(quota_id=q.pk, local_day=day) for q in short}
    known = set(Notification.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True))
    result, rows = UnitsReminded(), []
    for quota in short:
        unit = quota.unit
        if keys[quota.pk] in known:
            result.skipped.append(unit.name)
            continue
        channel, address = rules.unit_channel(
            phone=unit.phone, email=unit.email, sms_gateway=bool(settings.SMS_GATEWAY_URL)
        )
        path = reverse("registration:unit-home", args=[registration_tokens.link_token(quota)])
        body = message_text(
            Notification.Kind.UNIT_REMINDER,
            course=course,
            unit=unit,
            total=quota.total,
            held=quota.held,
            left=quota.total - quota.held,
            deadline=reg.deadline,
            url=f"{link_base}{path}",
        )
        rows.append(
            message_row(
                course=course,
                kind=Notification.Kind.UNIT_REMINDER,
                key=keys[quota.pk],
                recipient=f"{unit.name} {unit.contact}".strip(),
                channel=channel,
                address=address,
                title=f"报名提醒：{course.name}",
                body=body,
                now=now,
            )
        )
        result.queued.append(unit.name)
        if channel == Notification.Channel.CONSOLE:
            result.unreachable.append(unit.name)
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return result
