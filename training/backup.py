"""Backup and restore of everything a course needs: the database (as Django fixtures, so the same
file restores into PostgreSQL or SQLite) and the uploaded files (certificates, seals, materials),
in one .tar.gz with a manifest of row counts, which a restore checks before it reports success.

    python manage.py backup --out FILE.tar.gz
    python manage.py restore FILE.tar.gz --yes      (wipes the database and the uploaded files first)
"""

import io
import json
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

# Rebuilt by `migrate` and by Django itself; dumping them would clash on restore.
EXCLUDE = ["contenttypes", "auth.permission", "sessions.session"]
DATA, MANIFEST, MEDIA = "data.json", "manifest.json", "media"


class BackupError(Exception):
    pass


def _models():
    skip = {"contenttypes", "sessions"}
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label not in skip and m._meta.label != "auth.Permission" and not m._meta.proxy
    ]


def counts() -> dict[str, int]:
    """Rows per model (the manifest, and what a restore must give back)."""
    return {m._meta.label: m._default_manager.count() for m in _models()}


def media_files() -> dict[str, int]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return {}
    return {str(p.relative_to(root)): p.stat().st_size for p in sorted(root.rglob("*")) if p.is_file()}


def backup(out: Path) -> dict:
    """Writes the backup and returns its manifest."""
    data = io.StringIO()
    call_command(
        "dumpdata", exclude=EXCLUDE, natural_foreign=True, natural_primary=True, stdout=data, verbosity=0, indent=None
    )
    manifest = {
        "made_at": timezone.localtime().isoformat(timespec="seconds"),
        "database": connection.vendor,
        "counts": counts(),
        "files": media_files(),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    draft = out.with_name(out.name + ".part")
    with tarfile.open(draft, "w:gz") as archive:
        for name, content in ((DATA, data.getvalue()), (MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))):
            raw = content.encode()
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(raw), int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(raw))
        root = Path(settings.MEDIA_ROOT)
        for name in manifest["files"]:
            archive.add(root / name, arcname=f"{MEDIA}/{name}")
    draft.replace(out)  # a backup cut short never looks complete
    return manifest


@dataclass
class Restored:
    counts: dict
    files: int


def _safe_members(archive: tarfile.TarFile):
    for member in archive.getmembers():
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"备份文件中有不安全的路径：{member.name}")
        yield member


def restore(path: Path) -> Restored:
    """Wipes the database and the uploaded files, loads the backup, and checks every model's row
    count and every file against the manifest; raises BackupError (in Chinese) on any difference."""
    try:
        archive = tarfile.open(path, "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"无法读取备份文件 {path}：{error}") from None
    with archive:
        members = {m.name: m for m in _safe_members(archive)}
        if DATA not in members or MANIFEST not in members:
            raise BackupError("这不是本系统的备份文件（缺少 data.json 或 manifest.json）。")
        manifest = json.loads(archive.extractfile(members[MANIFEST]).read())
        with tempfile.TemporaryDirectory() as work:
            fixture = Path(work) / DATA
            fixture.write_bytes(archive.extractfile(members[DATA]).read())
            call_command("migrate", verbosity=0, interactive=False)
            with transaction.atomic():  # wiped and loaded together, or not at all
                call_command("flush", verbosity=0, interactive=False)
                call_command("loaddata", str(fixture), verbosity=0)
        root = Path(settings.MEDIA_ROOT)
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        for name, member in members.items():
            if name.startswith(f"{MEDIA}/") and member.isfile():
                target = root / name[len(MEDIA) + 1 :]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.extractfile(member).read())
    now = counts()
    wrong = {k: (v, now.get(k)) for k, v in manifest["counts"].items() if now.get(k) != v}
    if wrong:
        raise BackupError(
            "恢复后的行数与备份不符：" + "；".join(f"{k} 备份 {a} 行，恢复 {b} 行" for k, (a, b) in wrong.items())
        )
    files = media_files()
    if files != manifest["files"]:
        raise BackupError("恢复后的上传文件与备份不符。")
    return Restored(counts=now, files=len(files))
