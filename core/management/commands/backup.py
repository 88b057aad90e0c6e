from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from core import backup


class Command(BaseCommand):
    help = (
        "备份数据库和上传的文件（证书 PDF、印章、学习材料）为一个 .tar.gz，附各表行数清单；PostgreSQL 和 SQLite 通用。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", help="备份文件路径（默认 var/backups/backup-时间.tar.gz）")

    def handle(self, *args, out=None, **options):
        from django.conf import settings

        path = Path(out or Path(settings.VAR_DIR) / "backups" / f"backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz")
        manifest = backup.backup(path)
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"已备份到 {path}：{rows} 行数据（{manifest['database']}），{len(manifest['files'])} 个上传文件，"
                f"{path.stat().st_size / 1024:.0f} KB。"
            )
        )
