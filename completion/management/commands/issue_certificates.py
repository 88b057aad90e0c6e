from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from completion import services
from core.errors import DomainError
from training.models import Course


class Command(BaseCommand):
    help = "为培训班所有符合结业条件的学员颁发结业证书（重复运行不会重复颁发），每份写出一个 PDF，并列出不符合条件的学员和原因。"

    def add_arguments(self, parser):
        parser.add_argument("course_code", help="培训班编号")
        parser.add_argument("--out", required=True, help="写出 PDF 的目录")

    def handle(self, *args, course_code, out, **options):
        course = Course.objects.filter(code__iexact=course_code.strip()).first()
        if course is None:
            raise CommandError(f"没有编号为 {course_code} 的培训班。")
        try:
            base_url = services.certificate_base_url()
        except DomainError as error:
            raise CommandError(error.message) from None
        folder = Path(out)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"无法创建目录 {out}：{error}") from None
        # The same service as the page's job: it also makes the PDFs an interrupted job left undone.
        result = services.certificates_issue(course=course, base_url=base_url)
        for certificate in result.valid:
            with certificate.pdf.open("rb") as handle:
                (folder / f"{certificate.number}{certificate.name}.pdf").write_bytes(handle.read())
        for row in result.not_eligible:
            reasons = "；".join(row.completion.reasons) or "组织者认定不可结业"
            self.stdout.write(f"  不符合：{row.enrollment.trainee.name}（{reasons}）")
        self.stdout.write(
            self.style.SUCCESS(
                f"{course.code}：新颁发 {len(result.issued)} 份，已有 {len(result.already)} 份，"
                f"{len(result.not_eligible)} 人不符合结业条件；PDF 已写入 {folder}。"
            )
        )
