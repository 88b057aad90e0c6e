from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = "运行一次提醒扫描：生成到期的提醒并在前台逐条发送（用于 cron 式运行和检查）。可与 Celery 同时运行，不会重复发送。"

    def handle(self, *args, **options):
        result = services.notifications_run_due()
        self.stdout.write(
            self.style.SUCCESS(
                f"新生成 {result['planned']} 条；已发送 {result.get('sent', 0)} 条，"
                f"稍后重试 {result.get('retry', 0)} 条，失败 {result.get('failed', 0)} 条，"
                f"他处正在发送 {result.get('skipped', 0)} 条。"
            )
        )
