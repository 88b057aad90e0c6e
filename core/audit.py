"""The audit log (审计日志): one call from inside each service that changes attendance, leave,
discipline, certificates or the roster, in the same transaction, so a change rolled back leaves no
entry and an entry never describes a change that did not happen. Values are stored as JSON-safe
plain values; login codes and ID numbers are never written here."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from .models import AuditEntry

ACTIONS = {
    "attendance.change": "更改考勤",
    "leave.request": "提交请假",
    "leave.approve": "批准请假",
    "leave.reject": "不批准请假",
    "leave.withdraw": "撤回请假",
    "leave.resume": "销假",
    "discipline.create": "记录违纪",
    "discipline.void": "撤销违纪记录",
    "bulletin.publish": "发布通报",
    "completion.override": "调整结业认定",
    "completion.appraisal": "填写结业鉴定",
    "certificate.issue": "颁发证书",
    "certificate.revoke": "撤销证书",
    "certificate.reissue": "重新颁发证书",
    "roster.import": "导入花名册",
    "roster.add": "添加学员",
    "roster.edit": "修改学员信息",
    "roster.access_code": "重置登录码",
    "registration.return": "退回报名",
    "registration.withdraw": "撤销已通过的报名",
    "assessment.plan": "修改考核方案",
    "assessment.score": "录入考核成绩",
    "assessment.import": "导入结业测试成绩",
    "assessment.essay_submit": "提交学习心得",
    "assessment.essay_grade": "评阅学习心得",
    "assessment.discussion": "记录小组讨论",
    "course.archive": "结班归档",
    "course.reopen": "重新开放已归档的培训班",
    "course.summary": "修改培训班总结",
}
SECRET_FIELDS = {"access_code", "id_number"}
ROLE_LABELS = {"advisor": "班主任", "organizer": "组织者"}
_CHOICES: dict[str, list] = {}  # model name → its TextChoices, registered by each app at start-up


def register_choices(model, *choices) -> None:
    """Lets the log show `model`'s coded values (status, kind) in words. Each app registers its own
    models in its AppConfig.ready, so this module needs none of them."""
    _CHOICES[model.__name__] = list(choices)


def choice_labels(target: str) -> dict[str, str]:
    """The words for the coded values an entry about `target` ("LeaveRequest#12") may hold."""
    labels = dict(ROLE_LABELS)
    for choices in _CHOICES.get(target.split("#")[0], []):
        labels.update(dict(choices.choices))
    return labels


def plain(value):
    """A value as JSON can keep it: times in local ISO form, decimals as text."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, dict):
        return {k: ("（已隐藏）" if k in SECRET_FIELDS else plain(v)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _name(user) -> str:
    if user is None:
        return "系统"
    return user.get_full_name() or user.username


def entry(
    action: str,
    *,
    course,
    by=None,
    who: str = "",
    obj=None,
    label: str = "",
    before=None,
    after=None,
    at=None,
) -> AuditEntry:
    """One entry, not saved yet (`record` saves one, `record_many` several at once). `who` names
    the actor when there is no user account (a trainee who never logged in, a command)."""
    assert action in ACTIONS, action
    return AuditEntry(
        course=course,
        at=at or timezone.now(),
        actor=by,
        actor_name=who or _name(by),
        action=action,
        target=f"{type(obj).__name__}#{obj.pk}" if obj is not None else "",
        label=label[:200],
        before=plain(before),
        after=plain(after),
    )


def record(action: str, **fields) -> AuditEntry:
    item = entry(action, **fields)
    item.save()
    return item


def record_many(items: list[AuditEntry]) -> None:
    AuditEntry.objects.bulk_create(items)
