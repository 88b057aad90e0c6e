from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from training import roster, services
from training.models import Course


class Command(BaseCommand):
    help = "导入花名册（.xlsx 或 .csv，UTF-8 或 GBK）。任何一行有问题则整个文件都不导入。"

    def add_arguments(self, parser):
        parser.add_argument("course_code", help="培训班编号")
        parser.add_argument("file", help="花名册文件")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args, course_code, file, dry_run, **options):
        course = Course.objects.filter(code__iexact=course_code.strip()).first()
        if course is None:
            raise CommandError(f"没有编号为 {course_code} 的培训班。")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件 {file}。")
        try:
            result = services.roster_import(
                course=course, content=path.read_bytes(), filename=path.name, commit=not dry_run
            )
        except roster.RosterFileError as error:
            raise CommandError(f"{path.name}：{error.message}") from None
        except services.DomainError as error:
            raise CommandError(error.message) from None
        for row in result.parse.skipped:
            self.stdout.write(f"  {row}")
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(f"{path.name}：发现 {len(result.problems)} 处问题，没有导入任何学员。")
        verb = "检查通过（未写入）" if dry_run else "已导入"
        self.stdout.write(
            self.style.SUCCESS(f"{course.code} {path.name}：{verb} {len(result.lines)} 名学员；{result.summary}。")
        )
