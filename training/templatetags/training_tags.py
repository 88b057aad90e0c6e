from django import template

from core import audit
from training import access

register = template.Library()

FIELD_LABELS = {
    "checked_in_at": "签到",
    "checked_out_at": "签退",
    "reason": "原因",
    "archived": "已归档",
    "archived_at": "归档时间",
    "status": "状态",
    "role": "审批人",
    "comment": "意见",
    "sessions": "课次",
    "resumed_at": "销假时间",
    "kind": "类型",
    "points": "扣分",
    "minutes_out": "离开分钟",
    "note": "情况",
    "voided": "已作废",
    "eligible": "可结业",
    "number": "编号",
    "hours": "学时",
    "version": "版本",
    "name": "姓名",
    "group": "小组",
    "student_no": "学号",
    "phone": "手机号码",
    "work_unit": "工作单位",
    "position": "职务",
    "create": "新增",
    "enroll": "加入本班",
    "update": "更新",
    "unchanged": "无变化",
}


@register.filter
def get(mapping, key):
    return mapping.get(key, key)


@register.filter
def audit_values(values, target: str = "") -> str:
    """An entry's before/after as 'label：value' pairs, coded values in words; empty values as —."""
    if not values:
        return ""
    words = audit.choice_labels(target)
    order = list(FIELD_LABELS)  # PostgreSQL's jsonb keeps keys in its own order: show them in ours
    parts = []
    for key, value in sorted(values.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)):
        if isinstance(value, str) and key in ("status", "kind", "role") and value in words:
            value = words[value]
        elif isinstance(value, list):
            value = "、".join(map(str, value))
        elif isinstance(value, bool):
            value = "是" if value else "否"
        elif isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
            value = value[5:16].replace("T", " ")  # an ISO time: month-day hour:minute
        parts.append(f"{FIELD_LABELS.get(key, key)}：{'—' if value in (None, '') else value}")
    return "；".join(parts)


@register.filter
def may_reopen(user, course) -> bool:
    """Whether the banner of an archived course offers 重新开放 (its organizers only)."""
    return bool(user and user.is_authenticated and access.can_manage(user, course))
