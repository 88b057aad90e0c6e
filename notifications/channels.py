"""How a message leaves: the console (a log line, or a JSON line in a file), email through
Django's backend, SMS through an HTTP gateway, and a group robot's webhook (WeCom and DingTalk
accept the same JSON text message). A failure that may pass raises TransientError; one that will
not (a rejected address) raises PermanentError."""

import json
import logging
import smtplib
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import send_mail

from core import outbound

logger = logging.getLogger("notifications.console")


class TransientError(Exception):
    pass


class PermanentError(Exception):
    pass


def _post_json(url: str, payload: dict, headers: dict | None = None) -> dict:
    problem = outbound.destination_problem(url)
    if problem:
        raise PermanentError(f"不向此地址发送：{problem}")
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (configured URLs)
            text = response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        message = f"HTTP {error.code}"
        if error.code >= 500 or error.code == 429:
            raise TransientError(message) from None
        raise PermanentError(message) from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise TransientError(str(getattr(error, "reason", error))) from None
    try:
        answer = json.loads(text) if text.strip() else {}
    except ValueError:
        answer = {}
    if isinstance(answer, dict) and answer.get("errcode", 0) not in (0, "0"):
        raise TransientError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")
    return answer


def send(notification) -> None:
    text = f"{notification.title}\n{notification.body}"
    channel = notification.channel
    if channel == "console":
        line = json.dumps(
            {"id": notification.pk, "to": notification.recipient, "title": notification.title}, ensure_ascii=False
        )
        if settings.NOTIFICATION_CONSOLE_FILE:
            with open(settings.NOTIFICATION_CONSOLE_FILE, "a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        else:
            logger.info("%s", line)  # the text itself (which may hold a login code) stays in the outbox
    elif channel == "email":
        try:
            send_mail(notification.title, notification.body, None, [notification.address])
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as error:
            raise PermanentError(str(error)[:300]) from None
        except (smtplib.SMTPException, OSError) as error:
            raise TransientError(str(error)[:300]) from None
    elif channel == "sms":
        if not settings.SMS_GATEWAY_URL:
            raise PermanentError("未配置短信网关")
        headers = {"Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"} if settings.SMS_GATEWAY_TOKEN else {}
        payload = {"phone": notification.address, "text": text, "id": notification.dedupe_key}
        _post_json(settings.SMS_GATEWAY_URL, payload, {**headers, "Idempotency-Key": notification.dedupe_key})
    elif channel == "webhook":
        _post_json(notification.address, {"msgtype": "text", "text": {"content": text}})
    else:
        raise PermanentError(f"未知渠道 {channel}")
