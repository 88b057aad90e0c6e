from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core import pdf
from documents import selectors
from documents.xlsx import report_xlsx
from training.models import Course


class Command(BaseCommand):
    help = "写出培训班的考勤报告 PDF（可同时写出 Excel）：概况、分组和各课次到课率、学员考勤与结业情况、考勤明细。"

    def add_arguments(self, parser):
        parser.add_argument("course_code", help="培训班编号")
        parser.add_argument("--out", required=True, help="PDF 文件路径，如 report.pdf")
        parser.add_argument("--xlsx", help="同时写出 Excel 文件的路径，如 report.xlsx")

    def handle(self, *args, course_code, out, xlsx=None, **options):
        course = Course.objects.select_related("organization").filter(code__iexact=course_code.strip()).first()
        if course is None:
            raise CommandError(f"没有编号为 {course_code} 的培训班。")
        targets = [Path(out), *([Path(xlsx)] if xlsx else [])]
        for target in targets:
            if not target.parent.is_dir():
                raise CommandError(f"目录不存在：{target.parent}")
        data = selectors.report_data(course, now=timezone.now())
        Path(out).write_bytes(pdf.render("pdf/report.html", data))
        if xlsx:
            Path(xlsx).write_bytes(report_xlsx(data))
        self.stdout.write(
            self.style.SUCCESS(
                f"{course.code}：{data['enrolled']} 名学员、{data['planned']} 个课次，到课率 {data['rate']}；"
                f"已写出 {'、'.join(str(t) for t in targets)}。"
            )
        )
