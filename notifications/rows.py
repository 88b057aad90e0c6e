"""The two helpers every writer of the outbox shares (services.py, units.py, canteen.py): a
message row, not saved, and a message's text from its template notifications/<kind>.txt."""

from django.template import engines

from .models import Notification


def message_row(
    *, course, kind, key, recipient, channel, address, title, body, now, session=None, enrollment=None, user=None
):
    return Notification(
        course=course,
        session=session,
        kind=kind,
        dedupe_key=key[:120],
        recipient=recipient[:100],
        enrollment=enrollment,
        user=user,
        channel=channel,
        address=address[:300],
        title=title[:200],
        body=body,
        next_attempt_at=now,
    )


def message_text(kind: str, **context) -> str:
    return engines["text"].get_template(f"notifications/{kind}.txt").render(context).strip()
