"""The classroom: the projector's rotating QR, the trainee's scan, roll call and badge scanning.
No GET changes anything: chat apps prefetch links, so a scanned QR only shows a page whose
button (or script) POSTs."""

import uuid
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from core import links, ratelimit
from core.errors import DomainError
from core.qr import qr_svg
from training import access as training_access
from training.decorators import staff_required, trainee_required

from .. import access, forms, rules, selectors, services, tokens

CHECKINS_PER_MINUTE = 20  # a trainee's phone, tapping again and again; a class shares one address

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}  # a QR pointing here opens nothing on a phone
DEVICE_COOKIE = "device"
DEVICE_SALT = "attendance.device"


# --- Classroom screen and the trainee's scan -------------------------------------------------------------


def _screen_context(request, session):
    now = timezone.now()
    course = session.course
    mode = selectors.screen_mode(session, course, now=now)
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
        url = links.public_url(reverse("attendance:scan", args=[session.pk, token]), request=request)
        host = urlsplit(url).hostname or ""
        context.update(qr_url=url, qr_svg=qr_svg(url), qr_host=host, qr_local=host in LOCAL_HOSTS)
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


def _ticket(token: str, session_pk: int) -> tuple[str, str]:
    """The mode the scanned code claims ('in' when it claims none) and the ticket that carries it
    through the login and the page's POST; no ticket when the code is not good now (the POST then
    says why, from the service's own check). Reads only."""
    now = timezone.now()
    problem, mode = tokens.qr_problem(token, session_id=session_pk, now=now)
    return mode or "in", ("" if problem else tokens.ticket_for(token, session_pk, mode, now))


def scan(request, session_pk, token):
    """Where the classroom QR leads. A trainee who is not logged in yet is sent to log in with a
    ticket in place of the code when the code was valid, so the minute spent typing the phone
    number does not expire it. Changes nothing itself."""
    if not request.user.is_authenticated:
        _, ticket = _ticket(token, session_pk)
        next_url = reverse("attendance:scan", args=[session_pk, ticket or token])
        return redirect_to_login(next_url, reverse("training:login"))
    return _scan(request, session_pk=session_pk, token=token)


@trainee_required
def _scan(request, trainee, session_pk, token):
    """GET shows the session and a button (which the page's script presses at once in a real
    browser); POST checks the trainee in or out through `services.qr_scan`, which checks the code."""
    session, enrollment = access.session_for_trainee(trainee, session_pk)
    context = {"session": session, "course": session.course, "enrollment": enrollment}
    device = _device(request)
    if request.method == "POST":
        if not ratelimit.allow(f"checkin:{trainee.pk}", limit=CHECKINS_PER_MINUTE, seconds=60):
            context["error"] = DomainError("too_often", "操作太频繁，请一分钟后再试。")
            return _with_device(request, render(request, "attendance/scan_result.html", context, status=429), device)
        try:
            record, mode = services.qr_scan(
                session=session,
                enrollment=enrollment,
                token=token,
                device=device,
                ip=ratelimit.client_ip(request),
            )
        except DomainError as error:
            context["error"] = error
        else:
            context.update(record=record, mode=mode, status=_status_for(session, enrollment))
        return _with_device(request, render(request, "attendance/scan_result.html", context), device)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])
    context["mode"], ticket = _ticket(token, session.pk)
    if ticket:  # the button keeps working for a few minutes even if the trainee hesitates
        context["action"] = reverse("attendance:scan", args=[session.pk, ticket])
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
        now = timezone.now()
        rows = selectors.rollcall_rows(session, now=now)
        row = next((r for r in rows if r.enrollment.pk == enrollment.pk), None)
        if row is None:  # withdrawn: no longer on the roll; focus and the live region go to the note
            said = escape(f"{enrollment.trainee.name}：{error or '该学员已退训'}")
            return HttpResponse(
                f'<div class="list-group-item text-danger" tabindex="-1" data-focus-after-swap data-announce="{said}">'
                f"{said}</div>"
            )
        # The row, and the counts at the top swapped in beside it (htmx out-of-band): no reload.
        context = {
            "row": row,
            "session": session,
            "error": error,
            "counts": selectors.session_counts(session, now=now),
            "flagged": sum(1 for r in rows if r.record and r.record.flagged),
            "counts_changed": True,
            "announcement": _rollcall_said(row, form.cleaned_data["action"], error),
        }
        return render(request, "attendance/_rollcall_row.html", context)
    if error:
        messages.error(request, error)
    query = urlencode({"reason": form.cleaned_data.get("reason", "")})  # only a reason the form took
    return redirect(reverse("attendance:rollcall", args=[code, pk]) + f"?{query}")


ROLLCALL_SAID = {"present": "已记为出勤", "absent": "已记为缺勤", "out": "已签退"}


def _rollcall_said(row, action: str, error: str | None) -> str:
    """What the page's live region says after one tap: the trainee's name and the outcome."""
    name = row.enrollment.trainee.name
    if error:
        return f"{name}：{error}"
    if action == "late":
        return f"{name}：已记为{row.status.label}"
    return f"{name}：{ROLLCALL_SAID.get(action, row.status.label)}"


@staff_required
def rollcall_all(request, code, pk):
    session = training_access.session_for_staff(request.user, code, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"更改原因：{form.errors['reason'][0]}")
        return redirect("attendance:rollcall", code=code, pk=pk)
    try:
        count = services.rollcall_all_present(session=session, by=request.user, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已将 {count} 位未签到、未请假的学员记为出勤。")
    return redirect("attendance:rollcall", code=code, pk=pk)


@staff_required
def badge(request, badge_code):
    """Where a printed badge's QR leads a staff member's phone: who this is, and a check-in or
    check-out button for each of today's sessions that is open for it (the button posts to 刷胸牌)."""
    enrollment = access.enrollment_for_badge(request.user, badge_code)
    now = timezone.now()
    return render(
        request,
        "attendance/badge.html",
        {
            "enrollment": enrollment,
            "course": enrollment.course,
            "badge_code": badge_code,
            "sessions": selectors.badge_sessions_today(enrollment.course, now=now),
        },
    )


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
