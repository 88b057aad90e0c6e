"""Backup and restore: the demo (every app's tables, certificate PDFs) is backed up, the database
and the uploaded files are wiped, and the restore gives the same rows and the same files. Runs on
SQLite and, in the second pass, on PostgreSQL."""

import hashlib
import shutil
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from completion.models import Certificate
from core import backup
from core.models import AuditEntry
from demo import loader
from training.models import Course

pytestmark = pytest.mark.django_db(transaction=True)


def file_hashes() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


def test_backup_wipe_restore_gives_the_same_rows_and_files(tmp_path, settings, capsys):
    settings.MEDIA_ROOT = tmp_path / "media"
    loader.load()
    before, files = backup.counts(), file_hashes()
    # 20 certificates: of the 24, two fall short on attendance and two on the test (the demo's 考核)
    assert before["completion.Certificate"] == 20 and before["attendance.AttendanceRecord"] > 400 and len(files) >= 20
    assert before["assessment.Essay"] == 29 and before["assessment.Score"] == 23
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--out", str(archive))
    assert "已备份到" in capsys.readouterr().out

    call_command("flush", interactive=False, verbosity=0)  # the failure: everything gone
    shutil.rmtree(settings.MEDIA_ROOT)
    assert not Course.objects.exists()

    call_command("restore", str(archive), "--yes")
    assert "行数与备份一致" in capsys.readouterr().out
    assert backup.counts() == before and file_hashes() == files
    certificate = Certificate.objects.first()
    assert hashlib.sha256(certificate.pdf.read()).hexdigest() == certificate.pdf_sha256
    AuditEntry.objects.create(action="roster.edit", actor_name="测试")  # sequences continue after the restore
    Course.objects.create(
        organization=Course.objects.first().organization,
        code="NEW-01",
        name="新班",
        start_date=Course.objects.first().start_date,
        end_date=Course.objects.first().end_date,
    )


def test_restore_refuses_without_yes_and_refuses_a_foreign_file(tmp_path):
    strange = tmp_path / "x.tar.gz"
    with tarfile.open(strange, "w:gz") as archive:
        archive.add(__file__, arcname="../../etc/passwd")
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(strange))
    with pytest.raises(CommandError, match="不安全的路径"):
        call_command("restore", str(strange), "--yes")
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), "--yes")


def test_a_restore_that_does_not_add_up_changes_nothing(tmp_path, settings, course, enrollment, organizer):
    """A backup whose data does not match its manifest (damaged, or edited by hand) is refused after
    loading, inside the transaction: the database and the uploaded files stay as they were."""
    import io
    import json
    import os
    import stat

    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "seals").mkdir(parents=True)
    (settings.MEDIA_ROOT / "seals" / "seal.png").write_bytes(b"seal")
    good = tmp_path / "good.tar.gz"
    backup.backup(good)
    assert stat.S_IMODE(os.stat(good).st_mode) == 0o600  # phone numbers and login codes inside
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(good, "r:gz") as source, tarfile.open(bad, "w:gz") as target:
        for member in source.getmembers():
            content = source.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(content)
                manifest["counts"]["training.Trainee"] += 1
                content = json.dumps(manifest).encode()
                member.size = len(content)
            target.addfile(member, io.BytesIO(content))
    services_trainee_count = enrollment.trainee.__class__.objects.count()
    Course.objects.create(
        organization=course.organization,
        code="AFTER-01",
        name="备份之后的班",
        start_date=course.start_date,
        end_date=course.end_date,
    )
    (settings.MEDIA_ROOT / "seals" / "later.png").write_bytes(b"later")
    with pytest.raises(CommandError, match="行数与备份不符，已撤销恢复"):
        call_command("restore", str(bad), "--yes")
    assert Course.objects.filter(code="AFTER-01").exists()  # nothing was wiped
    assert enrollment.trainee.__class__.objects.count() == services_trainee_count
    assert sorted(p.name for p in (settings.MEDIA_ROOT / "seals").iterdir()) == ["later.png", "seal.png"]
    call_command("restore", str(good), "--yes")  # the good one still works
    assert not Course.objects.filter(code="AFTER-01").exists()
    assert sorted(p.name for p in (settings.MEDIA_ROOT / "seals").iterdir()) == ["seal.png"]
