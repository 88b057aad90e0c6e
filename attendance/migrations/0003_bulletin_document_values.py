# Bulletins published before they were 公文 get what a new one gets: numbers 1, 2, 3 … per course in
# the order they were published, the 发文字号 with the course's organ code and the year of
# publication, the organization as issuing organ, and the default 主送, opening and closing
# (the wording of attendance.rules.bulletin_wording as of this migration, copied here so that
# later changes of the wording do not change what this migration does). Their titles and figures
# stay as they were published.

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

RECIPIENTS = "各学员所在单位工会："
CLOSING_WARNING = (
    "希望受到通报的学员引以为戒，全体学员珍惜学习机会，严格遵守培训纪律，按时上课，上课期间自觉关闭手机，"
    "不迟到、不早退、不随意出入教室，确保培训取得实效。特此通报。"
)
CLOSING_PRAISE = "全体学员自觉遵守培训纪律，学风良好。希望大家继续保持，珍惜学习机会，确保培训取得实效。特此通报。"


def _range(start, end):
    if start == end:
        return f"{start.month}月{start.day}日"
    if start.year != end.year:
        return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"
    tail = f"{end.day}日" if start.month == end.month else f"{end.month}月{end.day}日"
    return f"{start.month}月{start.day}日至{tail}"


def fill(apps, schema_editor):
    Bulletin = apps.get_model("attendance", "Bulletin")
    zone = ZoneInfo(settings.TIME_ZONE)
    numbers = {}
    for bulletin in Bulletin.objects.select_related("course__organization").order_by("course_id", "published_at", "pk"):
        course = bulletin.course
        numbers[course.pk] = number = numbers.get(course.pk, 0) + 1
        year = bulletin.published_at.astimezone(zone).year
        if bulletin.day is None:
            scope = f"培训期间（{_range(course.start_date, course.end_date)}）"
        else:
            scope = f"{bulletin.day.month}月{bulletin.day.day}日"
        data = bulletin.data or {}
        issues = any(data.get(key) for key in ("late", "early", "absent", "discipline"))
        bulletin.number = number
        bulletin.doc_number = f"{course.bulletin_number_prefix}〔{year}〕{number}号"
        bulletin.issuer = course.organization.name
        bulletin.recipients = RECIPIENTS
        bulletin.opening = f"为严肃培训纪律，保证培训质量，现将{course.name}{scope}学员出勤和课堂纪律情况通报如下："
        bulletin.closing = CLOSING_WARNING if issues else CLOSING_PRAISE
        bulletin.save(update_fields=["number", "doc_number", "issuer", "recipients", "opening", "closing"])


class Migration(migrations.Migration):

    dependencies = [
        ('attendance', '0002_bulletin_document'),
        ('training', '0008_course_bulletin_number_prefix'),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
