"""What attendance adds up to: the grid, each trainee's record, leave, discipline, the bulletin,
completion, and the trainee's own pages."""

from dataclasses import asdict
from datetime import date

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core import links
from core.errors import DomainError
from core.forms import add_domain_error
from core.qr import qr_svg
from training import access as training_access
from training import selectors as training_selectors
from training.decorators import staff_required, trainee_required
from training.selectors import NO_GROUP

from .. import access, forms, rules, selectors, services, tokens
from ..day import course_day
from ..models import LeaveRequest


def _day_param(request, course) -> date | None:
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return None
    return day if day in course.days else None


def _today_in(course, now) -> date:
    """Today, or the course's first or last day when today is outside it."""
    return min(max(timezone.localdate(now), course.start_date), course.end_date)


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
    projection = None
    if leave.status == LeaveRequest.Status.PENDING:
        sessions = list(leave.sessions.all())
        projection = services.leave_projection(enrollment=leave.enrollment, sessions=sessions, now=timezone.now())
    form = forms.LeaveDecisionForm(request.POST or None, confirm=bool(projection and projection.disqualifies))
    if request.method == "POST" and form.is_valid():
        try:
            services.leave_decide(leave=leave, by=request.user, role=role, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已审批 {leave.enrollment.trainee.name} 的请假。")
            return redirect("attendance:leave-list", code=code)
    return render(
        request,
        "attendance/leave_detail.html",
        {"course": course, "tab": "leave", "leave": leave, "form": form, "role": role, "projection": projection},
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
            add_domain_error(form, error)
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
    """纪律通报: a day's (or the whole course's) bulletin as it stands now, as the 公文 it would be
    published as, with its title, 主送, opening and closing to edit before publishing; and the
    published ones."""
    course = training_access.course_for_staff(request.user, code)
    now = timezone.now()
    form, wording = None, None
    if request.method == "POST":
        form = forms.BulletinForm(request.POST, course=course)
        if form.is_valid():
            try:
                published = services.bulletin_publish(course=course, by=request.user, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request, f"已发布“{published.title}”（{published.doc_number}），本班学员可以在手机上查看。"
                )
                return redirect("attendance:bulletin-detail", code=code, pk=published.pk)
        day = form.cleaned_data["day"] if "day" in form.cleaned_data else _today_in(course, now)
        if form.is_valid():  # refused by the service: show what was typed
            wording = rules.BulletinWording(**{k: v for k, v in form.cleaned_data.items() if k != "day"})
    elif "day" in request.GET and not request.GET["day"]:
        day = None
    else:
        day = _day_param(request, course) or _today_in(course, now)
    draft = selectors.bulletin_draft(course, day=day, now=now, wording=wording)
    if form is None:
        form = forms.BulletinForm(
            course=course, initial={"day": day.isoformat() if day else "", **asdict(draft["default_wording"])}
        )
    return render(
        request,
        "attendance/bulletin.html",
        {
            "course": course,
            "tab": "bulletin",
            "doc": draft,
            "data": draft["data"],
            "form": form,
            "day": day,
            "days": course.days,
            "published": selectors.bulletins_for_course(course),
            "draft": True,
        },
    )


@staff_required
def bulletin_detail(request, code, pk):
    published = access.bulletin_for_staff(request.user, code, pk)
    doc = selectors.bulletin_document(published)
    return render(
        request,
        "attendance/bulletin_detail.html",
        {"course": published.course, "tab": "bulletin", "bulletin": published, "doc": doc, "data": doc["data"]},
    )


# --- The trainee's phone ------------------------------------------------------------------------------------------


@staff_required
def course_today(request, code):
    """The course day, live: polled by the overview every 30 s (organizers on a desktop, advisors
    on a phone), so who is here shows without a reload."""
    course = training_access.course_for_staff(request.user, code)
    day = course_day(course, now=timezone.now())
    return render(request, "attendance/_course_today.html", {"course": course, "day": day})


@trainee_required
def me(request, trainee):
    """我的培训, the trainee's home: today's sessions first (with their attendance), then the rest."""
    now = timezone.now()
    today = timezone.localdate(now)
    courses = []
    for enrollment in training_selectors.trainee_courses(trainee):
        agenda = training_selectors.trainee_agenda(enrollment, today=today)
        statuses = selectors.statuses_for_trainee(enrollment, now=now)
        for session in [*agenda.today, *agenda.upcoming, *agenda.past]:
            session.my_status = statuses.get(session.pk)
        courses.append((enrollment, agenda))
    return render(request, "attendance/me.html", {"trainee": trainee, "courses": courses, "today": today, "now": now})


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
                "badge_code": (badge_code := tokens.badge_code(enrollment.pk)),
                "badge_svg": qr_svg(links.public_url(reverse("attendance:badge", args=[badge_code]), request=request)),
                "bulletins": selectors.bulletins_for_course(enrollment.course),
                **selectors.trainee_attendance(enrollment, now=now),
            }
        )
    return render(request, "attendance/my_attendance.html", {"trainee": trainee, "courses": courses})


@trainee_required
def my_leave_new(request, trainee, code):
    enrollment = access.enrollment_for_trainee(trainee, code)
    now = timezone.now()
    form = forms.LeaveRequestForm(
        request.POST or None, course=enrollment.course, now=now, confirm="confirm" in request.POST
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items() if name != "confirm"}
        projection = services.leave_projection(enrollment=enrollment, sessions=list(fields["sessions"]), now=now)
        if projection and projection.disqualifies and not form.cleaned_data.get("confirm"):
            form.ask_confirm()  # the trainee learns what it costs before asking
            form.add_error("confirm", f"{projection.text}如仍要提交，请勾选确认。")
        else:
            try:
                leave = services.leave_request_create(enrollment=enrollment, **fields)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                who = "班主任和组织者" if leave.needs_organizer else "班主任"
                messages.success(request, f"请假申请已提交，共 {leave.hours} 学时，等待{who}审批。")
                return redirect("attendance:my-attendance")
    # What leave would still leave of the trainee's 结业, before they pick a session.
    budget = services.leave_projection(enrollment=enrollment, sessions=[], now=now)
    return render(
        request, "attendance/my_leave_form.html", {"form": form, "course": enrollment.course, "budget": budget}
    )


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
    doc = selectors.bulletin_document(published)
    return render(
        request,
        "attendance/bulletin_detail.html",
        {"course": published.course, "bulletin": published, "doc": doc, "data": doc["data"], "trainee_view": True},
    )
