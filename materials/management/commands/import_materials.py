from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from materials import rules, services
from materials.files import MaterialFileError
from training.models import Course


class Command(BaseCommand):
    help = (
        "导入学习材料（.txt：UTF-8、带 BOM 的 UTF-8、GB18030/GBK；.docx；.md）。一个文件含多篇文章时拆成多份材料。"
        "不指定 --course 时导入材料库（之后可在后台指定培训班）。任何一个文件有问题，所有文件都不导入。"
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="材料文件")
        parser.add_argument("--course", help="培训班编号")
        parser.add_argument("--dry-run", action="store_true", help="只检查并显示识别结果，不写入")

    def handle(self, *args, files: list[str], course: str | None, dry_run: bool, **options):
        target = None
        if course:
            target = Course.objects.filter(code__iexact=course.strip()).first()
            if target is None:
                raise CommandError(f"没有编号为 {course} 的培训班。")
        contents = []
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"找不到文件 {name}。")
            contents.append((path, path.read_bytes()))
        previews = []
        for path, content in contents:  # every file is checked before anything is written
            try:
                previews.append(
                    services.material_import(course=target, content=content, filename=path.name, commit=False)
                )
            except MaterialFileError as error:
                raise CommandError(f"{path.name}：{error.message}") from None
        made = skipped = 0
        with transaction.atomic():
            for (path, content), preview in zip(contents, previews, strict=True):
                result = preview
                if not dry_run:
                    result = services.material_import(course=target, content=content, filename=path.name)
                made += len(result.materials)
                skipped += len(result.existing)
                for index, article in enumerate(preview.articles):
                    outline = rules.outline(article.body)
                    level1 = sum(1 for entry in outline if entry.level == 1)
                    mark = "（已有，跳过）" if index in result.existing else ""
                    speaker = f" · {article.speaker}" if article.speaker else ""
                    self.stdout.write(f"  {path.name}：{article.title}{speaker} · 提纲 {level1} 条一级{mark}")
        where = f"培训班 {target.code}" if target else "材料库"
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"检查通过（未写入）：{sum(len(p.articles) for p in previews)} 篇。"))
        else:
            note = f"，{skipped} 篇已存在未重复导入" if skipped else ""
            self.stdout.write(self.style.SUCCESS(f"已导入{where} {made} 份材料{note}。"))
