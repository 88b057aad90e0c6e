"""Uploaded files (rosters, materials) kept between their preview and the organizer's confirmation,
redeemed by a signed token, and purged hourly when nobody confirmed them."""

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from .errors import DomainError

UPLOAD_DIR = "uploads-pending"
UPLOAD_MAX_AGE = timedelta(hours=6)


UPLOAD_KINDS = {"roster": "花名册", "materials": "材料文件"}


def upload_save(*, course, user, content: bytes, filename: str, kind: str = "roster") -> str:
    """Keeps an uploaded file (a roster, a material) between its preview and the organizer's
    confirmation; returns a signed token that only this user can redeem, for this course and kind,
    within UPLOAD_MAX_AGE."""
    suffix = Path(filename).suffix.lower()[:6]
    stamp = int(timezone.now().timestamp())
    name = default_storage.save(f"{UPLOAD_DIR}/{stamp}-{uuid.uuid4().hex}{suffix}", ContentFile(content))
    return signing.dumps({"name": name, "filename": filename, "course": course.pk, "user": user.pk}, salt=kind)


def upload_load(*, token: str, course, user, kind: str = "roster") -> tuple[bytes, str, str]:
    """(content, original filename, storage name) of a saved upload, or DomainError('expired')."""
    try:
        data = signing.loads(token, salt=kind, max_age=UPLOAD_MAX_AGE)
    except signing.BadSignature:
        data = None
    if not data or data["course"] != course.pk or data["user"] != user.pk or not default_storage.exists(data["name"]):
        raise DomainError("expired", f"上传的文件已过期或无效，请重新上传{UPLOAD_KINDS[kind]}。")
    with default_storage.open(data["name"], "rb") as handle:
        return handle.read(), data["filename"], data["name"]


def upload_delete(*, name: str) -> None:
    default_storage.delete(name)


def _saved_at(path: str) -> datetime:
    """When an upload was kept: the stamp its name begins with (our clock, not the file system's,
    which may differ on a shared or restored volume), else the file's modification time."""
    stamp = Path(path).name.split("-", 1)[0]
    if stamp.isdigit():
        return datetime.fromtimestamp(int(stamp), tz=UTC)
    return default_storage.get_modified_time(path)


def uploads_purge(*, now: datetime | None = None) -> int:
    """Deletes uploads nobody confirmed within UPLOAD_MAX_AGE; returns how many. Idempotent."""
    now = now or timezone.now()
    try:
        _, names = default_storage.listdir(UPLOAD_DIR)
    except FileNotFoundError:
        return 0
    purged = 0
    for name in names:
        path = f"{UPLOAD_DIR}/{name}"
        if now - _saved_at(path) > UPLOAD_MAX_AGE:
            default_storage.delete(path)
            purged += 1
    return purged
