"""The five seed speeches as the demo course's materials (eight after the compilation is split),
each linked to the session it belongs to, with some already read. Built through the services."""

from datetime import datetime, time, timedelta
from pathlib import Path

from django.utils import timezone

from training.models import Course

from . import services

SEEDS = Path(__file__).resolve().parent / "seeds"
# Which session (by the start of its title) each material belongs to.
SESSIONS = {
    "在工会干部培训班上的讲话": "开班式",
    "在工会系统理论培训班上的动员讲话": "学习贯彻党的二十大精神",
    "在全市工会社会工作专业人才业务培训班上的讲话": "中国工会的历史",
    "在2025年全市工会工作上的讲话": "深化新时代产业工人队伍建设改革",
    "把握行动指南彰显工会新担当新作为": "分组讨论",
    "把工会组织建设得更加坚强有力充满活力": "分组讨论",
    "认真学习贯彻习近平总书记重要讲话精神——企业工会干部提高群众工作水平的思考": "工会社会工作者的职业素养",
    "以“四化”推进群团工作创新发展": "分组讨论",
}


def load_materials(course: Course, *, organizer) -> None:
    sessions = list(course.sessions.order_by("starts_at"))
    day_one = course.start_date
    for path in sorted(SEEDS.glob("*.txt")):
        result = services.material_import(course=course, content=path.read_bytes(), filename=path.name, by=organizer)
        for material in result.materials:
            prefix = SESSIONS.get(material.title, "")
            linked = [s for s in sessions if prefix and s.title.startswith(prefix)]
            fields = {}
            if material.title == "在工会干部培训班上的讲话":  # the demo course's own opening speech
                fields = {"speaker": "周国栋", "speaker_position": "县总工会党组书记、常务副主席", "date": day_one}
            if material.title.startswith("以“四化”"):  # released when the discussion begins
                fields["release_at"] = linked[0].starts_at if linked else None
            services.material_update(material=material, sessions=linked, **fields)
    opening = course.materials.get(title="在工会干部培训班上的讲话")
    evening = timezone.make_aware(datetime.combine(day_one, time(20, 0)))
    for n, enrollment in enumerate(course.enrollments.order_by("student_no")[:30]):
        services.material_mark_read(material=opening, enrollment=enrollment, at=evening + timedelta(minutes=n))
