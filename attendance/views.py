"""Pages of attendance. Each view: access helper first (before the method check), then the form,
one service call, a message and a redirect or a fragment. No GET changes anything: chat apps
prefetch links, so a scanned QR only shows a page whose button (or script) POSTs."""

import uuid
from datetime import date, timedelta
from urllib.parse import urlencode, urlsplit

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from training import access as training_access
from training import selectors as training_selectors
from training import services as training_services
from training.services import DomainError
from training.views import NO_GROUP, staff_required, trainee_required

from . import access, forms, rules, selectors, services, tokens
from .models import LeaveRequest

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}  # a QR pointing here opens nothing on a phone
DEVICE_COOKIE = "device"
DEVICE_SALT = "attendance.device"


def _day_param(request, course) -> date | None:
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return None
    return day if day in course.days else None


def _svg(data: str, scale: int) -> str:
    return segno.make(data, error="m").svg_inline(scale=scale, border=2, dark="#000", light="#fff", omitsize=True)


# --- Classroom screen and the trainee's scan -------------------------------------------------------------


def _screen_context(request, session):
    now = timezone.now()
    course = session.course
    mode = rules.screen_mode(
        now=now,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        opens_minutes=course.checkin_opens_minutes,
        requires_checkout=session.requires_checkout,
    )
    context = {
        "course": course,
        "session": session,
        "mode": mode,
        "counts": selectors.session_counts(session, now=now),
        "seconds_left": rules.qr_seconds_left(now),
        "opens_at": session.starts_at - timedelta(minutes=course.checkin_opens_minutes),
    }
    if mode in ("in", "out"):
        token = tokens.qr_token(session.pk, mode, rules.qr_window(now))
        path = reverse("attendance:scan", args=[session.pk, token])
        url = f"{settings.SITE_URL}{path}" if settings.SITE_URL else request.build_absolute_uri(path)
        host = urlsplit(url).hostname or ""
        context.update(qr_url=url, qr_svg=_svg(url, 10), qr_host=host, qr_local=host in LOCAL_HOSTS)
    return context


@staff_required
def screen(request, code, pk):
    """大屏签到: the full-screen page for the classroom projector; the QR and counts refresh in place."""
    session = training_access.session_for_staff(request.user, code, pk)
    return render(request, "attendance/session_screen.html", _screen_context(request, session))


@staff_required
def screen_live(request, code, pk):
    session = training_access.session_for_staff(request.user, code, pk)
    return render(request, "attendance/_screen_live.html", _screen_context(request, session))


def _device(request) -> str:
    """A random, signed, long-lived cookie naming the phone (never a fingerprint); a new one when
    the phone has none yet."""
    return request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_SALT) or uuid.uuid4().hex


def _with_device(request, response, device: str):
    if device != request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_SALT):
        response.set_signed_cookie(
            DEVICE_COOKIE,
            device,
            salt=DEVICE_SALT,
            max_age=60 * 60 * 24 * 365,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def scan(request, session_pk, token):
    """Where the classroom QR leads. A trainee who is not logged in yet is sent to log in with a
    ticket in place of the code when the code was valid, so the minute spent typing the phone
    number does not expire it. Changes nothing itself."""
    if not request.user.is_authenticated:
        now = timezone.now()
        problem, mode = tokens.qr_problem(token, session_id=session_pk, now=now)
        if not problem:
            token = tokens.scan_ticket(session_pk, mode, now)
        return redirect_to_login(reverse("attendance:scan", args=[session_pk, token]), reverse("training:login"))
    return _scan(request, session_pk=session_pk, token=token)


@trainee_required
def _scan(request, trainee, session_pk, token):
    """GET shows the session and a button (which the page's script presses at once in a real
    browser); POST checks the trainee in or out."""
    session, enrollment = access.session_for_trainee(trainee, session_pk)
    now = timezone.now()
    problem, mode = tokens.qr_problem(token, session_id=session.pk, now=now)
    context = {"session": session, "course": session.course, "enrollment": enrollment, "mode": mode or "in"}
    device = _device(request)
    if request.method == "POST":
        try:
            record, mode = services.qr_scan(
                session=session,
                trainee=trainee,
                token=token,
                device=device,
                ip=request.META.get("REMOTE_ADDR", ""),
            )
        except DomainError as error:
            context["error"] = error
        else:
            context.update(record=record, mode=mode, status=_status_for(session, enrollment))
        return _with_device(request, render(request, "attendance/scan_result.html", context), device)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not problem:  # the button keeps working for a few minutes even if the trainee hesitates
        context["action"] = reverse("attendance:scan", args=[session.pk, tokens.scan_ticket(session.pk, mode, now)])
    context["record"] = selectors.record_of(session, enrollment)
    return _with_device(request, render(request, "attendance/scan.html", context), device)


def _status_for(session, enrollment):
    sheet = selectors.sheet_for_course(session.course, now=timezone.now(), sessions=[session], enrollments=[enrollment])
    return sheet.status(session, enrollment)


# --- Roll call and badge scanning ---------------------------------------------------------------------------

DEFAULT_REASON = "课堂点名"


@staff_required
def rollcall(request, code, pk):
    """点名: the session's roster in group order, one tap per trainee, for the advisor's phone."""
    session = training_access.session_for_staff(request.user, code, pk)
    now = timezone.now()
    rows = selectors.rollcall_rows(session, now=now)
    return render(
        request,
        "attendance/session_rollcall.html",
        {
            "course": session.course,
            "session": session,
            "rows": rows,
            "counts": selectors.session_counts(session, now=now),
            "reason": request.GET.get("reason") or DEFAULT_REASON,
            "flagged": sum(1 for r in rows if r.record and r.record.flagged),
        },
    )


@staff_required
def rollcall_mark(request, code, pk):
    session = training_access.session_for_staff(request.user, code, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.RollcallMarkForm(request.POST)
    error = None
    if not form.is_valid():
        error = "请求不完整，请刷新页面后重试。"
    else:
        enrollment = training_access.enrollment_for_staff(request.user, code, form.cleaned_data["enrollment"])
        try:
            services.rollcall_mark(
                session=session,
                enrollment=enrollment,
                action=form.cleaned_data["action"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            error = exc.message
    if request.htmx and form.is_valid():
        rows = selectors.rollcall_rows(session, now=timezone.now())
        row = next((r for r in rows if r.enrollment.pk == enrollment.pk), None)
        if row is None:  # withdrawn: no longer on the roll
            return HttpResponse(f'<div class="list-group-item text-danger">{escape(error or "该学员已退训")}</div>')
        return render(request, "attendance/_rollcall_row.html", {"row": row, "session": session, "error": error})
    if error:
        messages.error(request, error)
    query = urlencode({"reason": form.data.get("reason", "")})
    return redirect(reverse("attendance:rollcall", args=[code, pk]) + f"?{query}")


@staff_required
def rollcall_all(request, code, pk):
    session = training_access.session_for_staff(request.user, code, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        count = services.rollcall_all_present(session=session, by=request.user, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已将 {count} 位未签到、未请假的学员记为出勤。")
    return redirect("attendance:rollcall", code=code, pk=pk)


@staff_required
def badge_scan(request, code, pk):
    """刷胸牌: a phone camera or a USB scanner types the badge code into the field and submits."""
    session = training_access.session_for_staff(request.user, code, pk)
    form = forms.BadgeScanForm(request.POST or None, initial={"mode": request.GET.get("mode", "in")})
    context = {"course": session.course, "session": session}
    if request.method == "POST" and form.is_valid():
        mode = form.cleaned_data["mode"]
        try:
            record, enrollment = services.badge_scan(session=session, code=form.cleaned_data["code"], mode=mode)
        except DomainError as error:
            context["error"] = error.message
        else:
            context.update(record=record, scanned=enrollment, mode=mode, status=_status_for(session, enrollment))
        form = forms.BadgeScanForm(initial={"mode": mode})  # empty field, ready for the next badge
    context["form"] = form
    context["counts"] = selectors.session_counts(session, now=timezone.now())
    return render(request, "attendance/session_badge_scan.html", context)


# --- Grid and per-trainee record ----------------------------------------------------------------------------


@staff_required
def grid(request, code):
    """考勤总表: trainees × sessions, filtered by group and day."""
    course = training_access.course_for_staff(request.user, code)
    group = request.GET.get("group") or None  # "" in the select means every group
    if group == NO_GROUP:
        group = ""
    groups = training_selectors.groups_of_course(course)
    if group is not None and group not in {g for g, _ in groups}:
        group = None
    day = _day_param(request, course)
    return render(
        request,
        "attendance/attendance_grid.html",
        {
            "course": course,
            "tab": "attendance",
            "grid": selectors.attendance_grid(course, now=timezone.now(), group=group, day=day),
            "groups": groups,
            "group": group,
            "no_group": NO_GROUP,
            "day": day,
        },
    )


@staff_required
def trainee_record(request, code, pk):
    enrollment = training_access.enrollment_for_staff(request.user, code, pk)
    badge = tokens.badge_code(enrollment.pk)
    return render(
        request,
        "attendance/enrollment_attendance.html",
        {
            "course": enrollment.course,
            "enrollment": enrollment,
            "tab": "attendance",
            "badge": badge,
            **selectors.trainee_attendance(enrollment, now=timezone.now()),
        },
    )


# --- Leave ------------------------------------------------------------------------------------------------------


@staff_required
def leave_list(request, code):
    course = training_access.course_for_staff(request.user, code)
    status = request.GET.get("status", LeaveRequest.Status.PENDING)
    if status not in LeaveRequest.Status.values:
        status = ""
    return render(
        request,
        "attendance/leave_list.html",
        {
            "course": course,
            "tab": "leave",
            "leaves": selectors.leave_list_for_course(course, status=status or None),
            "status": status,
            "statuses": LeaveRequest.Status.choices,
        },
    )


@staff_required
def leave_detail(request, code, pk):
    leave = access.leave_for_staff(request.user, code, pk)
    course = leave.enrollment.course
    role = access.approver_role(request.user, course)
    form = forms.LeaveDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.leave_decide(leave=leave, by=request.user, role=role, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"已审批 {leave.enrollment.trainee.name} 的请假。")
            return redirect("attendance:leave-list", code=code)
    return render(
        request,
        "attendance/leave_detail.html",
        {"course": course, "tab": "leave", "leave": leave, "form": form, "role": role},
    )


# --- Discipline -------------------------------------------------------------------------------------------------


@staff_required
def discipline(request, code):
    """纪律记录: the list, and the form to add one."""
    course = training_access.course_for_staff(request.user, code)
    form = forms.DisciplineForm(request.POST or None, course=course, initial={"session": request.GET.get("session")})
    if request.method == "POST" and form.is_valid():
        try:
            record = services.discipline_record_create(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"已记录：{record.enrollment.trainee.name} {record.get_kind_display()}。")
            return redirect("attendance:discipline", code=code)
    return render(
        request,
        "attendance/discipline_list.html",
        {"course": course, "tab": "discipline", "form": form, "records": selectors.discipline_list_for_course(course)},
    )


@staff_required
def discipline_void(request, code, pk):
    record = access.discipline_for_staff(request.user, code, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "作废须填写原因。")
    else:
        try:
            services.discipline_record_void(record=record, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "该纪律记录已作废（记录仍保留）。")
    return redirect("attendance:discipline", code=code)


# --- Bulletin ---------------------------------------------------------------------------------------------------


@staff_required
def bulletin(request, code):
    """纪律通报: today's (or another day's, or the whole course's) bulletin as it stands now, the
    button to publish it, and the published ones."""
    course = training_access.course_for_staff(request.user, code)
    now = timezone.now()
    if request.method == "POST":
        form = forms.BulletinDayForm(request.POST, course=course)
        if form.is_valid():
            try:
                published = services.bulletin_publish(course=course, day=form.cleaned_data["day"], by=request.user)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"已发布“{published.title}”，本班学员可以在手机上查看。")
                return redirect("attendance:bulletin-detail", code=code, pk=published.pk)
        else:
            messages.error(request, "请选择通报范围。")
        return redirect("attendance:bulletin", code=code)
    if "day" in request.GET and not request.GET["day"]:
        day = None
    else:
        day = _day_param(request, course) or min(max(timezone.localdate(now), course.start_date), course.end_date)
    return render(
        request,
        "attendance/bulletin.html",
        {
            "course": course,
            "tab": "bulletin",
            "data": selectors.bulletin_data(course, day=day, now=now),
            "day": day,
            "days": course.days,
            "published": selectors.bulletins_for_course(course),
            "draft": True,
        },
    )


@staff_required
def bulletin_detail(request, code, pk):
    published = access.bulletin_for_staff(request.user, code, pk)
    return render(
        request,
        "attendance/bulletin_detail.html",
        {"course": published.course, "tab": "bulletin", "bulletin": published, "data": published.data},
    )


# --- Completion ---------------------------------------------------------------------------------------------------


@staff_required
def completion(request, code):
    """结业认定: everyone as 可结业 / 不可结业 with the reasons; while the course runs, whether
    completion is still possible. Organizers may override with a reason."""
    course = training_access.course_for_staff(request.user, code)
    now = timezone.now()
    rows = selectors.completion_for_course(course, now=now)
    return render(
        request,
        "attendance/completion.html",
        {
            "course": course,
            "tab": "completion",
            "rows": rows,
            "eligible": sum(1 for r in rows if r.eligible),
            "finished": all(s.ends_at <= now for s in course.sessions.all()),
            "rules": course.completion_rules,
            "can_manage": training_access.can_manage(request.user, course),
        },
    )


@staff_required
def completion_override(request, code, pk):
    enrollment = training_access.enrollment_for_staff(request.user, code, pk, manage=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.CompletionOverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择认定结果并填写理由。")
    else:
        try:
            training_services.completion_override(enrollment=enrollment, by=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"已调整 {enrollment.trainee.name} 的结业认定（理由已记录）。")
    return redirect("attendance:completion", code=code)


# --- The trainee's phone ------------------------------------------------------------------------------------------


@trainee_required
def my_attendance(request, trainee):
    """我的考勤: per course, each session's status, hours earned, leave requests, discipline entries,
    the published bulletins and the badge code for staff scanning."""
    now = timezone.now()
    courses = []
    for enrollment in training_selectors.trainee_courses(trainee):
        courses.append(
            {
                "enrollment": enrollment,
                "course": enrollment.course,
                "badge_svg": _svg(tokens.badge_code(enrollment.pk), 5),
                "bulletins": selectors.bulletins_for_course(enrollment.course),
                **selectors.trainee_attendance(enrollment, now=now),
            }
        )
    return render(request, "attendance/my_attendance.html", {"trainee": trainee, "courses": courses})


@trainee_required
def my_leave_new(request, trainee, code):
    enrollment = access.enrollment_for_trainee(trainee, code)
    now = timezone.now()
    form = forms.LeaveRequestForm(request.POST or None, course=enrollment.course, now=now)
    if request.method == "POST" and form.is_valid():
        try:
            leave = services.leave_request_create(enrollment=enrollment, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            who = "班主任和组织者" if leave.needs_organizer else "班主任"
            messages.success(request, f"请假申请已提交，共 {leave.hours} 课时，等待{who}审批。")
            return redirect("attendance:my-attendance")
    return render(request, "attendance/my_leave_form.html", {"form": form, "course": enrollment.course})


def _my_leave_change(request, trainee, pk, service, done: str):
    leave = access.leave_for_trainee(trainee, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        service(leave=leave)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("attendance:my-attendance")


@trainee_required
def my_leave_withdraw(request, trainee, pk):
    return _my_leave_change(request, trainee, pk, services.leave_withdraw, "请假申请已撤回。")


@trainee_required
def my_leave_resume(request, trainee, pk):
    return _my_leave_change(request, trainee, pk, services.leave_resume, "已销假：之后的课次请按时签到。")


@trainee_required
def my_bulletin(request, trainee, pk):
    published = access.bulletin_for_trainee(trainee, pk)
    return render(
        request,
        "attendance/bulletin_detail.html",
        {"course": published.course, "bulletin": published, "data": published.data, "trainee_view": True},
    )
