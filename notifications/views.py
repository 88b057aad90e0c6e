"""The outbox page (提醒记录): the course's staff read it (the advisors get its roll-call alerts),
its organizers resend failed and cancel pending messages, and remind trainees to evaluate."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core import links
from core.errors import DomainError
from training import access as training_access
from training.decorators import staff_required

from . import access, forms, selectors, services, units
from .models import Notification


@staff_required
def outbox(request, code):
    course = training_access.course_for_staff(request.user, code)
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    session = request.GET.get("session", "")
    status = status if status in Notification.Status.values else ""
    kind = kind if kind in Notification.Kind.values else ""
    session_id = int(session) if session.isdigit() else None
    rows = selectors.notification_list_for_course(course, status=status, kind=kind, session=session_id)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    counts = selectors.notification_counts_for_course(course)
    return render(
        request,
        "notifications/outbox.html",
        {
            "course": course,
            "tab": "outbox",
            "page": page,
            "status": status,
            "kind": kind,
            "session": session_id,
            "statuses": [(v, label, counts.get(v, 0)) for v, label in Notification.Status.choices],
            "kinds": Notification.Kind.choices,
            "sessions": course.sessions.order_by("starts_at"),
            "query": request.GET.urlencode(),
            "can_manage": training_access.can_manage(request.user, course),
            "channels": selectors.channels_for_course(course),
        },
    )


@staff_required
def alerts(request, code):
    """A fragment the course overview polls (training cannot ask notifications itself): a warning
    while the 开班通知 is still ahead and would reach some trainees through no real channel, and
    the messages that failed for good."""
    course = training_access.course_for_staff(request.user, code)
    context = {
        "course": course,
        "warning": selectors.opening_warning(course, now=timezone.now()),
        "failed": selectors.failed_messages(course),
    }
    return render(request, "notifications/_alerts.html", context)


def _change(request, code, pk, service, done: str):
    notification = access.notification_for_organizer(request.user, code, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        service(notification=notification)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(reverse("notifications:outbox", args=[code]) + "?" + request.POST.get("back", ""))


@staff_required
def resend(request, code, pk):
    return _change(request, code, pk, services.notification_resend, "已放回待发送队列，一分钟内重新发送。")


@staff_required
def cancel(request, code, pk):
    return _change(request, code, pk, services.notification_cancel, "已取消，不会发送。")


@staff_required
def evaluation_remind(request, code):
    """提醒未评价的学员 (the button on the 评教 page and the course overview's block): the course's
    organizers queue a 评教提醒 to those who attended and have not answered."""
    course = training_access.course_for_staff(request.user, code, manage=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.EvaluationRemindForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请求不完整，请刷新页面后重试。")
        return redirect("evaluation:results", code=code)
    pk = form.cleaned_data["session"]
    session = training_access.session_for_staff(request.user, code, pk) if pk else None
    try:
        count = services.evaluation_remind(course=course, session=session, link_base=links.public_base(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if count:
            unsent = "" if settings.SMS_GATEWAY_URL else "未配置短信，提醒只记录在发件箱和日志里，请另在班级群通知。"
            messages.success(request, f"已向 {count} 名学员发送评教提醒。{unsent}")
        else:
            messages.info(request, "没有需要提醒的学员：参加的学员都已评价，或已经提醒过。")
    return redirect(forms.EvaluationRemindForm.BACK[form.cleaned_data["back"] or "results"], code=code)


@staff_required
def units_remind(request, code):
    """提醒未报满的单位 (the button on 报名进度): the course's organizers queue a 报名提醒 to each unit
    that has put forward fewer people than its places, at most once a day per unit."""
    course = training_access.course_for_staff(request.user, code, manage=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        done = units.units_remind(course=course, link_base=links.public_base(request))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("registration:progress", code=code)
    parts = [f"已向 {len(done.queued)} 个单位发送报名提醒" if done.queued else "没有发送新的报名提醒"]
    if done.skipped:
        parts.append(f"{len(done.skipped)} 个单位今天已经提醒过，没有重复发送（{'、'.join(done.skipped)}）")
    if done.unreachable:
        parts.append(
            f"{'、'.join(done.unreachable)}没有可用的手机号（或未配置短信）和邮箱，提醒只记在发件箱里，请电话联系"
        )
    if not done.queued and not done.skipped:
        parts = ["各单位都已报满名额，不需要提醒"]
    level = messages.success if done.queued else messages.info
    level(request, "；".join(parts) + "。")
    return redirect("registration:progress", code=code)
