"""就餐人数 for the canteen: once a meal's count is frozen at its cut-off (lodging.services.
meals_freeze, run by the beat), the planner writes one message to the course's canteen contact
with the count split by dietary need. One per meal: the dedupe key names it."""

from datetime import datetime, timedelta

from django.conf import settings

from lodging import rules as lodging_rules
from lodging.models import Meal

from . import rules
from .models import Notification
from .rows import message_row, message_text

LOOKBACK = timedelta(days=2)  # meals frozen longer ago are not sent (a contact entered late)


def meal_count_rows(now: datetime) -> list[Notification]:
    """The messages due for meals frozen in the last two days whose course has a canteen contact
    with a phone or an email. Not saved; two queries (meals with course and settings, known keys)."""
    meals = list(
        Meal.objects.filter(frozen_at__isnull=False, frozen_at__gte=now - LOOKBACK, served=True)
        .exclude(course__lodging_settings__canteen_phone="", course__lodging_settings__canteen_email="")
        .filter(course__lodging_settings__isnull=False)
        .select_related("course__lodging_settings", "course__organization")
    )
    keys = {meal.pk: f"meal_count:{meal.pk}" for meal in meals}
    known = set(Notification.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True))
    rows = []
    for meal in meals:
        if keys[meal.pk] in known:
            continue
        lodging_settings = meal.course.lodging_settings
        count = lodging_rules.MealCount.from_json(meal.day, meal.kind, meal.frozen)
        label = f"{meal.day.month}月{meal.day.day}日{lodging_rules.MEAL_LABELS[meal.kind]}"
        channel, address = rules.unit_channel(
            phone=lodging_settings.canteen_phone,
            email=lodging_settings.canteen_email,
            sms_gateway=bool(settings.SMS_GATEWAY_URL),
        )
        rows.append(
            message_row(
                course=meal.course,
                kind=Notification.Kind.MEAL_COUNT,
                key=keys[meal.pk],
                recipient=lodging_settings.canteen_contact or "食堂",
                channel=channel,
                address=address,
                title=f"就餐人数：{label}",
                body=message_text(
                    Notification.Kind.MEAL_COUNT,
                    course=meal.course,
                    contact=lodging_settings.canteen_contact,
                    label=label,
                    count=count,
                    frozen_at=meal.frozen_at,
                ),
                now=now,
            )
        )
    return rows
