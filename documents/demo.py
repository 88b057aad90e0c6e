"""Demo 培训班总结 for last spring's course: the draft with the parts only the organizer can write
filled in."""

from . import services, summary

THEME = "本期培训围绕学习贯彻党的二十大精神和新修改的工会法，聚焦工会经费收缴管理与经费审查实务，采取专题讲座、现场教学和分组讨论相结合的方式。"
PROBLEMS = (
    "一是个别学员存在迟到现象，下一期将在开班式上重申学员守则，并在每个课次开始前提醒签到；"
    "二是学员反映分组讨论时间偏紧，下一期拟将分组讨论延长至两个半天；"
    "三是部分学员希望提供电子版学习材料，已在系统“学习材料”中提供讲话稿全文。"
)


def load_summary(course, *, organizer, now) -> None:
    body, _ = summary.summary_text(course, now=now)
    body = body.replace("（请补充本期培训的主题和安排思路。）", THEME)
    body = body.replace("（请根据实际情况填写培训中存在的问题和下一步改进的建议。）", PROBLEMS)
    services.summary_save(course=course, by=organizer, body=body)
