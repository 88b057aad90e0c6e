from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import backup


class Command(BaseCommand):
    help = "从备份恢复：先清空数据库和上传的文件，再载入备份，并核对各表行数和文件。必须加 --yes 确认。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="backup 命令写出的 .tar.gz")
        parser.add_argument("--yes", action="store_true", help="确认清空现有数据后恢复")

    def handle(self, *args, file, yes, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到备份文件 {file}。")
        if not yes:
            raise CommandError("恢复会清空现有的全部数据和上传文件。确认无误后加 --yes 再运行。")
        try:
            restored = backup.restore(path)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"已从 {path} 恢复：{sum(restored.counts.values())} 行数据，{restored.files} 个上传文件，行数与备份一致。"
            )
        )
