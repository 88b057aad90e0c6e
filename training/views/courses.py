"""Courses, sessions, the roster, logins and the trainee's home page."""

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from core import pdf, uploads
from core.forms import add_domain_error

from .. import access, accounts, forms, roster, rules, selectors, services, xlsx
from ..decorators import staff_required, trainee_required


def healthz(request):
    """For the container healthcheck: the app answers and reaches its database. Reads only."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def home(request):
    if not request.user.is_authenticated:
        return redirect("training:login")
    if access.is_staff_member(request.user):
        return redirect("training:course-list")
    return redirect("attendance:me")


# --- Login ---------------------------------------------------------------------------------------


def trainee_login(request):
    """学员登录 on a phone: mobile number and personal access code."""
    if request.user.is_authenticated:
        return redirect("home")
    form = forms.TraineeLoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        auth_login(request, user, backend="training.backends.TraineeBackend")
        request.session[accounts.LARGE_TEXT] = user.trainee.large_text
        target = request.POST.get("next") or request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            target = reverse("attendance:me")
        return redirect(target)
    return render(request, "training/login_trainee.html", {"form": form, "next": request.GET.get("next", "")})


@trainee_required
def large_text(request, trainee):
    """大字版 on or off (a POST from the switch on the trainee's pages), then back where they were."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    trainee = accounts.trainee_large_text_set(trainee=trainee, on=request.POST.get("on") == "1")
    request.session[accounts.LARGE_TEXT] = trainee.large_text
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("attendance:me")
    return redirect(target)


class StaffLoginView(auth_views.LoginView):
    template_name = "training/login_staff.html"
    authentication_form = forms.StaffLoginForm
    redirect_authenticated_user = True


# --- Courses -------------------------------------------------------------------------------------


@staff_required
def course_list(request):
    return render(
        request,
        "training/course_list.html",
        {
            "courses": selectors.course_list_for_staff(request.user),
            "can_create": access.organizations_for_organizer(request.user).exists(),
        },
    )


@staff_required
def course_create(request):
    organizations = access.organizations_for_organizer(request.user)
    if not organizations.exists():
        raise PermissionDenied("只有组织者可以新建培训班")
    form = forms.CourseForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(**form.cleaned_data)
        except services.DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已创建培训班“{course.name}”，接下来请编排课表、导入花名册。")
            return redirect("training:course-dashboard", code=course.code)
    return render(request, "training/course_form.html", {"form": form})


@staff_required
def course_edit(request, code):
    course = access.course_for_staff(request.user, code, manage=True)
    form = forms.CourseForm(request.POST or None, instance=course, organizations=None)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.COURSE_FIELDS}
        try:
            services.course_update(course=course, advisors=form.cleaned_data["advisors"], **fields)
        except services.DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "培训班信息已保存。")
            return redirect("training:course-dashboard", code=course.code)
    return render(request, "training/course_form.html", {"form": form, "course": course})


@staff_required
def course_dashboard(request, code):
    course = access.course_for_staff(request.user, code)
    return render(
        request,
        "training/course_dashboard.html",
        {
            "course": course,
            "overview": selectors.course_overview(course),
            "can_manage": access.can_manage(request.user, course),
        },
    )


@staff_required
def timetable(request, code):
    course = access.course_for_staff(request.user, code)
    days = selectors.timetable_for_course(course)
    today = timezone.localdate()
    active = next((d.day for d in days if d.day == today), days[0].day if days else None)
    return render(
        request,
        "training/course_timetable.html",
        {
            "course": course,
            "days": days,
            "active_day": active,
            "today": today,
            "can_manage": access.can_manage(request.user, course),
        },
    )


# --- Sessions ------------------------------------------------------------------------------------


def _warn_overlaps(request, session) -> None:
    """Says so when the saved session shares its time with another (allowed: parallel groups)."""
    others = rules.overlapping(
        session.course.sessions.all(), starts_at=session.starts_at, ends_at=session.ends_at, exclude=session
    )
    if others:
        titles = "、".join(f"“{s.title}”" for s in others[:3])
        messages.warning(request, f"注意：这个课次与{titles}时间重叠。如是分组同时进行，可以不改；否则请调整时间。")


@staff_required
def session_create(request, code):
    course = access.course_for_staff(request.user, code, manage=True)
    form = forms.SessionForm(request.POST or None, course=course, initial={"date": request.GET.get("date")})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(course=course, **form.session_fields())
        except services.DomainError as error:
            form.add_error(_session_field(error.field), error.message)
        else:
            messages.success(request, f"已添加课次“{session.title}”。")
            _warn_overlaps(request, session)
            return redirect("training:timetable", code=course.code)
    return render(request, "training/session_form.html", {"form": form, "course": course})


@staff_required
def session_edit(request, code, pk):
    session = access.session_for_staff(request.user, code, pk, manage=True)
    form = forms.SessionForm(request.POST or None, instance=session, course=session.course)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(session=session, **form.session_fields())
        except services.DomainError as error:
            form.add_error(_session_field(error.field), error.message)
        else:
            messages.success(request, f"课次“{session.title}”已保存。")
            _warn_overlaps(request, session)
            return redirect("training:timetable", code=code)
    return render(request, "training/session_form.html", {"form": form, "course": session.course, "session": session})


@staff_required
def session_delete(request, code, pk):
    session = access.session_for_staff(request.user, code, pk, manage=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.session_delete(session=session)
    except services.DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已删除课次“{session.title}”。")
    return redirect("training:timetable", code=code)


def _session_field(field):
    """Service errors name model fields; the form shows times as date, start and end."""
    return {"starts_at": "start_time", "ends_at": "end_time"}.get(field, field)


# --- Roster --------------------------------------------------------------------------------------


@staff_required
def roster_page(request, code):
    course = access.course_for_staff(request.user, code)
    q = request.GET.get("q", "").strip()
    group = request.GET.get("group") or None  # "" in the select means every group
    if group == selectors.NO_GROUP:
        group = ""
    context = {
        "course": course,
        "enrollments": selectors.roster_for_course(course, q=q, group=group),
        "groups": selectors.groups_of_course(course),
        "q": q,
        "group": group,
        "no_group": selectors.NO_GROUP,
        "can_manage": access.can_manage(request.user, course),
    }
    template = "training/_roster_table.html" if request.htmx else "training/course_roster.html"
    return render(request, template, context)


@staff_required
def roster_export(request, code):
    """花名册 .xlsx; with ?codes=1 it carries each trainee's login code, for the course's organizers
    only (an advisor asking gets 403)."""
    codes = request.GET.get("codes") == "1"
    course = access.course_for_staff(request.user, code, manage=codes)
    content = xlsx.write_roster_xlsx(
        title=f"{course.name}学员花名册",
        subtitle=f"{course.organization.name}　{course.start_date:%Y年%m月%d日}至{course.end_date:%m月%d日}　{course.venue}",
        rows=selectors.roster_export_rows(course, codes=codes),
        codes=codes,
    )
    name = f"{course.code}-花名册（含登录码）.xlsx" if codes else f"{course.code}-花名册.xlsx"
    return pdf.response(content, name, inline=False, content_type=pdf.XLSX)


@staff_required
def roster_import(request, code):
    """Upload → preview with every problem by row → confirm (`roster_import_confirm`)."""
    course = access.course_for_staff(request.user, code, manage=True)
    posted = request.method == "POST"  # bound even when nothing was chosen: the form then says so
    form = forms.RosterUploadForm(request.POST if posted else None, request.FILES if posted else None)
    context = {"course": course, "form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            result = services.roster_import(course=course, content=content, filename=upload.name, commit=False)
        except (services.DomainError, roster.RosterFileError) as error:
            form.add_error("file", error.message)
        else:
            context["result"] = result
            context["filename"] = upload.name
            if result.ok:
                context["token"] = uploads.upload_save(
                    course=course, user=request.user, content=content, filename=upload.name
                )
    return render(request, "training/roster_import.html", context)


@staff_required
def roster_import_confirm(request, code):
    course = access.course_for_staff(request.user, code, manage=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        content, filename, stored = uploads.upload_load(
            token=request.POST.get("token", ""), course=course, user=request.user
        )
        result = services.roster_import(course=course, content=content, filename=filename, by=request.user)
    except (services.DomainError, roster.RosterFileError) as error:
        messages.error(request, error.message)
        return redirect("training:roster-import", code=code)
    if not result.ok:  # the database changed between preview and confirmation
        return render(
            request,
            "training/roster_import.html",
            {"course": course, "form": forms.RosterUploadForm(), "result": result, "filename": filename},
        )
    uploads.upload_delete(name=stored)
    messages.success(request, f"花名册已导入：{result.summary}。")
    return redirect("training:roster", code=code)


@staff_required
def trainee_add(request, code):
    course = access.course_for_staff(request.user, code, manage=True)
    form = forms.TraineeAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrollment = services.enrollment_add(
                course=course,
                group=form.cleaned_data["group"],
                student_no=form.cleaned_data["student_no"],
                by=request.user,
                **form.trainee_fields(),
            )
        except services.DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已将 {enrollment.trainee.name} 加入花名册，学号 {enrollment.student_no}。")
            return redirect("training:enrollment-detail", code=code, pk=enrollment.pk)
    return render(request, "training/trainee_form.html", {"form": form, "course": course})


@staff_required
def enrollment_detail(request, code, pk):
    enrollment = access.enrollment_for_staff(request.user, code, pk)
    return render(
        request,
        "training/enrollment_detail.html",
        {
            "enrollment": enrollment,
            "course": enrollment.course,
            "trainee": enrollment.trainee,
            "can_manage": access.can_manage(request.user, enrollment.course),
        },
    )


@staff_required
def enrollment_edit(request, code, pk):
    enrollment = access.enrollment_for_staff(request.user, code, pk, manage=True)
    trainee_form = forms.TraineeForm(request.POST or None, instance=enrollment.trainee, prefix="t")
    enrollment_form = forms.EnrollmentForm(request.POST or None, instance=enrollment, prefix="e")
    if request.method == "POST" and trainee_form.is_valid() and enrollment_form.is_valid():
        try:
            services.enrollment_update(
                enrollment=enrollment,
                trainee_fields=trainee_form.trainee_fields(),
                by=request.user,
                **enrollment_form.cleaned_data,
            )
        except services.DomainError as error:
            form = trainee_form if error.field in trainee_form.fields else enrollment_form
            add_domain_error(form, error)
        else:
            messages.success(request, "学员信息已保存。")
            return redirect("training:enrollment-detail", code=code, pk=pk)
    return render(
        request,
        "training/enrollment_form.html",
        {
            "course": enrollment.course,
            "enrollment": enrollment,
            "trainee_form": trainee_form,
            "enrollment_form": enrollment_form,
        },
    )


@staff_required
def access_code_reset(request, code, pk):
    enrollment = access.enrollment_for_staff(request.user, code, pk, manage=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        trainee = services.trainee_access_code_reset(
            trainee=enrollment.trainee, by=request.user, course=enrollment.course
        )
    except services.DomainError as error:
        messages.error(request, error.message)
        return redirect("training:enrollment-detail", code=code, pk=pk)
    messages.success(request, f"已为 {trainee.name} 生成新的登录码 {trainee.access_code}，旧登录码立即失效。")
    return redirect("training:enrollment-detail", code=code, pk=pk)
