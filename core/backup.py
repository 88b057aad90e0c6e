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


def _dump() -> str:
    """Every table as one consistent snapshot, while web and workers go on writing: a single
    transaction (REPEATABLE READ on PostgreSQL; SQLite's read transaction sees one state)."""
    data = io.StringIO()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        call_command("dumpdata", exclude=EXCLUDE, natural_foreign=True, natural_primary=True, stdout=data, verbosity=0)
    return data.getvalue()


def _counted(data: str) -> dict[str, int]:
    """Rows per model in the dump itself, so the manifest always agrees with the data."""
    found = dict.fromkeys((m._meta.label for m in _models()), 0)
    for item in json.loads(data):
        label = apps.get_model(item["model"])._meta.label
        found[label] = found.get(label, 0) + 1
    return found


def _add(archive: tarfile.TarFile, name: str, content: str) -> None:
    raw = content.encode()
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(raw), int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(raw))


def backup(out: Path) -> dict:
    """Writes the backup (readable by its owner only: it holds phone numbers and login codes) and
    returns its manifest, which lists exactly what went in."""
    data = _dump()
    manifest = {
        "made_at": timezone.localtime().isoformat(timespec="seconds"),
        "database": connection.vendor,
        "counts": _counted(data),
        "files": {},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    draft = out.with_name(out.name + ".part")
    draft.touch(mode=0o600)
    draft.chmod(0o600)
    try:
        with tarfile.open(draft, "w:gz") as archive:
            _add(archive, DATA, data)
            root = Path(settings.MEDIA_ROOT)
            for name, size in media_files().items():
                try:
                    archive.add(root / name, arcname=f"{MEDIA}/{name}")
                except FileNotFoundError:  # deleted while the backup ran
                    continue
                manifest["files"][name] = size
            _add(archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        draft.replace(out)  # a backup cut short never looks complete
    finally:
        draft.unlink(missing_ok=True)
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
    """Replaces the database and the uploaded files with the backup's. The data is wiped, loaded
    and its row counts checked in one transaction, and the files are unpacked and checked beside
    the current ones first: any difference raises BackupError (in Chinese) and leaves the
    database and the files as they were."""
    try:
        archive = tarfile.open(path, "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"无法读取备份文件 {path}：{error}") from None
    root = Path(settings.MEDIA_ROOT)
    incoming = root.with_name(root.name + ".restoring")
    shutil.rmtree(incoming, ignore_errors=True)
    with archive, tempfile.TemporaryDirectory() as work:
        members = {m.name: m for m in _safe_members(archive)}
        if DATA not in members or MANIFEST not in members:
            raise BackupError("这不是本系统的备份文件（缺少 data.json 或 manifest.json）。")
        manifest = json.loads(archive.extractfile(members[MANIFEST]).read())
        incoming.mkdir(parents=True)
        for name, member in members.items():
            if name.startswith(f"{MEDIA}/") and member.isfile():
                target = incoming / name[len(MEDIA) + 1 :]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.extractfile(member).read())
        unpacked = {str(p.relative_to(incoming)): p.stat().st_size for p in incoming.rglob("*") if p.is_file()}
        if unpacked != manifest["files"]:
            shutil.rmtree(incoming, ignore_errors=True)
            raise BackupError("备份中的上传文件与清单不符，未做任何改动。")
        fixture = Path(work) / DATA
        fixture.write_bytes(archive.extractfile(members[DATA]).read())
        call_command("migrate", verbosity=0, interactive=False)
        try:
            with transaction.atomic():  # wiped, loaded and checked together, or not at all
                call_command("flush", verbosity=0, interactive=False)
                call_command("loaddata", str(fixture), verbosity=0)
                now = counts()
                wrong = {k: (v, now.get(k)) for k, v in manifest["counts"].items() if now.get(k) != v}
                if wrong:
                    raise BackupError(
                        "恢复后的行数与备份不符，已撤销恢复，数据保持原样："
                        + "；".join(f"{k} 备份 {a} 行，恢复 {b} 行" for k, (a, b) in wrong.items())
                    )
        except BaseException:
            shutil.rmtree(incoming, ignore_errors=True)
            raise
    old = root.with_name(root.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if root.exists():
        root.rename(old)
    incoming.rename(root)
    shutil.rmtree(old, ignore_errors=True)
    return Restored(counts=now, files=len(unpacked))
