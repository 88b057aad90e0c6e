from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from training.models import Course, Enrollment

from . import rules
from .models import Notification


def notification_list_for_course(
    course: Course, *, status: str = "", kind: str = "", session: int | None = None
) -> QuerySet[Notification]:
    """The course's outbox, newest first, filtered by status, kind and session."""
    rows = course.notifications.select_related("session")
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if session:
        rows = rows.filter(session_id=session)
    return rows.order_by("-created_at", "-pk")


def notification_counts_for_course(course: Course) -> dict[str, int]:
    """How many of the course's messages are in each status."""
    return dict(course.notifications.values_list("status").annotate(n=Count("pk")).order_by())


@dataclass(frozen=True)
class ChannelState:
    name: str
    configured: bool
    reaches: str  # who it reaches when configured
    how: str  # in plain words for a clerk: what to do when it is not


def channels_for_course(course: Course) -> list[ChannelState]:
    """Which of the ways out really reach people for this course, and how to set up the others."""
    return [
        ChannelState(
            "短信",
            bool(settings.SMS_GATEWAY_URL),
            "学员（开班通知、课前提醒、请假审批结果、评教提醒）和填了手机号的基层单位联系人（报名提醒）",
            "请联系本单位信息化管理员，请其在服务器上接入短信平台（短信网关），接好后本页显示“已配置”。",
        ),
        ChannelState(
            "邮件",
            rules.email_delivers(settings.EMAIL_BACKEND),
            "填写了邮箱的组织者和班主任（点名提醒、每日小结、结业预警），以及基层单位联系人（没有手机号或未配置短信时的报名提醒）",
            "请联系本单位信息化管理员，请其为系统配置发信邮箱（邮件服务器地址、账号和密码）；"
            "组织者和班主任还须在自己的账号里填写邮箱。",
        ),
        ChannelState(
            "班级群机器人",
            bool(course.webhook_url),
            "本班的企业微信或钉钉群（点名提醒、课次结束、每日小结）",
            "在群设置里添加“群机器人”，复制它的 Webhook 地址，填到本班“修改培训班信息”的“班级群机器人地址”。",
        ),
    ]


@dataclass(frozen=True)
class OpeningWarning:
    due_at: datetime  # when the 开班通知 goes out
    unreached: int  # trainees it would reach nobody for
    trainees: int


@dataclass(frozen=True)
class Failed:
    count: int
    latest: list  # the newest few Notification rows


def failed_messages(course: Course, *, latest: int = 3) -> Failed:
    """The course's messages that failed for good (every attempt used): how many, and the newest
    few to name on the overview. Two queries."""
    failed = course.notifications.filter(status=Notification.Status.FAILED)
    return Failed(failed.count(), list(failed.order_by("-claimed_at", "-pk")[:latest]))


def opening_warning(course: Course, *, now: datetime) -> OpeningWarning | None:
    """Before the 开班通知 is due: how many trainees it would not reach (no SMS gateway, or no phone
    number), or None when it reaches everyone, is past, or the roster is empty. Two queries."""
    first = course.sessions.order_by("starts_at").values_list("starts_at", flat=True).first()
    if not rules.opening_warning_shown(
        local_now=timezone.localtime(now), start_date=course.start_date, first_start=first
    ):
        return None
    phones = list(course.enrollments.filter(status=Enrollment.Status.ENROLLED).values_list("trainee__phone", flat=True))
    unreached = sum(
        1
        for phone in phones
        if rules.trainee_channel(phone=phone, sms_gateway=bool(settings.SMS_GATEWAY_URL))[0] != "sms"
    )
    if not unreached:
        return None
    due_at = timezone.make_aware(datetime.combine(course.start_date - timedelta(days=1), rules.OPENING_NOTICE_AT))
    return OpeningWarning(due_at, unreached, len(phones))
