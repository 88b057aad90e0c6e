"""Printing (打印): each view reads a course (or one of its sessions or bulletins) the staff member
may see, builds plain values through documents.selectors and renders them through training.pdf."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from attendance import access as attendance_access
from core import links, pdf
from core.errors import DomainError
from training import access
from training.decorators import staff_required

from . import appraisal, evaluation, fees, forms, hours, notice, selectors, services, tasks
from . import lodging as lodging_papers
from . import summary as summary_data
from .xlsx import lecture_fees_xlsx, report_xlsx


@staff_required
def print_center(request, code):
    """打印: every paper document of the course on one page."""
    course = access.course_for_staff(request.user, code)
    return render(
        request,
        "documents/print_center.html",
        {
            "course": course,
            "tab": "print",
            "can_manage": access.can_manage(request.user, course),
            **selectors.printables(course),
        },
    )


@staff_required
def report_pdf(request, code):
    course = access.course_for_staff(request.user, code)
    data = selectors.report_data(course, now=timezone.now())
    return pdf.response(pdf.render("pdf/report.html", data), f"{course.name}考勤报告.pdf")


@staff_required
def report_xlsx_view(request, code):
    course = access.course_for_staff(request.user, code)
    content = report_xlsx(selectors.report_data(course, now=timezone.now()))
    return pdf.response(content, f"{course.name}考勤报告.xlsx", inline=False, content_type=pdf.XLSX)


@staff_required
def timetable_pdf(request, code):
    course = access.course_for_staff(request.user, code)
    return pdf.response(pdf.render("pdf/timetable.html", selectors.timetable_data(course)), f"{course.name}课程表.pdf")


@staff_required
def badges_pdf(request, code):
    course = access.course_for_staff(request.user, code)
    codes = request.GET.get("codes") == "1"  # the login code on the back, for double-sided printing
    data = selectors.badges_data(course, base_url=links.public_base(request), codes=codes)
    name = f"{course.name}胸牌（背面登录码）.pdf" if codes else f"{course.name}胸牌.pdf"
    return pdf.response(pdf.render("pdf/badges.html", data), name)


@staff_required
def login_slips_pdf(request, code):
    """登录凭条: the login codes are secrets, but the course's advisors hand them out at the 开班式
    and already see each one on the trainee's page, so its staff may print them (other
    organizations get 404, trainees 403)."""
    course = access.course_for_staff(request.user, code)
    data = selectors.login_slips_data(course, base_url=links.public_base(request))
    return pdf.response(pdf.render("pdf/login_slips.html", data), f"{course.name}登录凭条.pdf")


@staff_required
def desk_cards_pdf(request, code):
    course = access.course_for_staff(request.user, code)
    return pdf.response(pdf.render("pdf/desk_cards.html", selectors.desk_cards_data(course)), f"{course.name}桌签.pdf")


@staff_required
def signin_pdf(request, code, pk):
    session = access.session_for_staff(request.user, code, pk)
    content = pdf.render("pdf/signin.html", selectors.signin_data(session, base_url=links.public_base(request)))
    return pdf.response(content, f"{session.course.name}签到表-{session.title}.pdf")


@staff_required
def bulletin_pdf(request, code, pk):
    bulletin = attendance_access.bulletin_for_staff(request.user, code, pk)
    content = pdf.render("pdf/bulletin.html", selectors.bulletin_pdf_data(bulletin))
    return pdf.response(content, f"{bulletin.title}（{bulletin.doc_number}）.pdf")


@staff_required
def lecture_fees_pdf(request, code):
    """讲课费签收单, to be signed by each lecturer and handed to finance."""
    course = access.course_for_staff(request.user, code)
    content = pdf.render("pdf/lecture_fees.html", fees.lecture_fees_data(course))
    return pdf.response(content, f"{course.name}讲课费签收单.pdf")


@staff_required
def lecture_fees_xlsx_view(request, code):
    course = access.course_for_staff(request.user, code)
    content = lecture_fees_xlsx(fees.lecture_fees_data(course))
    return pdf.response(content, f"{course.name}讲课费签收单.xlsx", inline=False, content_type=pdf.XLSX)


@staff_required
def evaluation_report_pdf(request, code):
    """评估报告: the course's 评教 results on paper, as the results page shows them."""
    course = access.course_for_staff(request.user, code)
    content = pdf.render("pdf/evaluation_report.html", evaluation.evaluation_report_data(course, now=timezone.now()))
    return pdf.response(content, f"{course.name}教学评估报告.pdf")


@staff_required
def notice_pdf(request, code):
    """培训通知 as a red-headed 公文, with the 名额分配表 and the 报名回执 as attachments."""
    course = access.course_for_staff(request.user, code)
    data = notice.notice_pdf_data(course, today=timezone.localdate())
    return pdf.response(pdf.render("pdf/notice.html", data), f"{data['title']}（{data['doc_number']}）.pdf")


# --- 报到、住宿和就餐 ----------------------------------------------------------------------------------------


@staff_required
def rooms_sheet_pdf(request, code):
    """住宿安排表, by building and floor."""
    course = access.course_for_staff(request.user, code)
    content = pdf.render("pdf/rooms_sheet.html", lodging_papers.rooms_sheet_data(course, now=timezone.now()))
    return pdf.response(content, f"{course.name}住宿安排表.pdf")


@staff_required
def door_labels_pdf(request, code):
    """门牌: one label per occupied room, six to a page, to cut out and fix on the doors."""
    course = access.course_for_staff(request.user, code)
    content = pdf.render("pdf/door_labels.html", lodging_papers.door_labels_data(course, now=timezone.now()))
    return pdf.response(content, f"{course.name}门牌.pdf")


@staff_required
def meals_sheet_pdf(request, code):
    """就餐统计表 for the canteen."""
    course = access.course_for_staff(request.user, code)
    content = pdf.render("pdf/meals_sheet.html", lodging_papers.meals_sheet_data(course, now=timezone.now()))
    return pdf.response(content, f"{course.name}就餐统计表.pdf")


@staff_required
def arrivals_sheet_pdf(request, code):
    """报到情况表: every trainee with the time of arrival, late ones marked."""
    course = access.course_for_staff(request.user, code)
    content = pdf.render("pdf/arrivals_sheet.html", lodging_papers.arrivals_sheet_data(course, now=timezone.now()))
    return pdf.response(content, f"{course.name}报到情况表.pdf")


# --- 学时 hand-off ----------------------------------------------------------------------------------------


@staff_required
def hours_xlsx_view(request, code):
    """学时汇总 for a training archive's import; it holds ID and phone numbers, so organizers only."""
    course = access.course_for_staff(request.user, code, manage=True)
    content = hours.hours_xlsx(hours.hours_data(course, now=timezone.now()))
    return pdf.response(content, f"{course.name}学时汇总.xlsx", inline=False, content_type=pdf.XLSX)


@staff_required
def hours_csv_view(request, code):
    course = access.course_for_staff(request.user, code, manage=True)
    content = hours.hours_csv(hours.hours_data(course, now=timezone.now()))
    return pdf.response(content, f"{course.name}学时汇总.csv", inline=False, content_type="text/csv; charset=utf-8")


@staff_required
def hours_proofs_pdf(request, code):
    """学时证明, one page per trainee (organizers: they carry ID numbers and the seal)."""
    course = access.course_for_staff(request.user, code, manage=True)
    content = pdf.render("pdf/hours_proof.html", hours.proofs_data(course, now=timezone.now()))
    return pdf.response(content, f"{course.name}学时证明.pdf")


@staff_required
def hours_proof_pdf(request, code, pk):
    enrollment = access.enrollment_for_staff(request.user, code, pk, manage=True)
    data = hours.proofs_data(enrollment.course, now=timezone.now(), enrollment_id=enrollment.pk)
    if not data["proofs"]:
        raise Http404("退训学员没有学时证明")
    content = pdf.render("pdf/hours_proof.html", data)
    return pdf.response(content, f"{enrollment.course.name}学时证明-{enrollment.trainee.name}.pdf")


# --- 结业鉴定表 ---------------------------------------------------------------------------------------------


@staff_required
def appraisals_pdf(request, code):
    """学员结业鉴定表, one page per trainee, all in one file."""
    course = access.course_for_staff(request.user, code)
    content = pdf.render("pdf/appraisal.html", appraisal.appraisal_pdf_data(course, now=timezone.now()))
    return pdf.response(content, f"{course.name}学员结业鉴定表.pdf")


@staff_required
def appraisal_pdf(request, code, pk):
    enrollment = access.enrollment_for_staff(request.user, code, pk)
    data = appraisal.appraisal_pdf_data(enrollment.course, now=timezone.now(), enrollment=enrollment)
    content = pdf.render("pdf/appraisal.html", data)
    return pdf.response(content, f"{enrollment.course.name}学员结业鉴定表-{enrollment.trainee.name}.pdf")


# --- 结班归档 ------------------------------------------------------------------------------------------------


@staff_required
def dossier(request, code):
    """结班归档: what the dossier holds and that the course becomes read-only (the confirmation);
    POST (organizers) archives the course and starts the job. The course's staff follow the jobs
    and download what they made."""
    course = access.course_for_staff(request.user, code)
    if request.method == "POST":
        course = access.course_for_staff(request.user, code, manage=True)
        try:
            services.dossier_start(course=course, by=request.user, enqueue=tasks.dossier_job_enqueue)
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("documents:dossier", code=code)
    jobs = list(course.dossier_jobs.select_related("requested_by")[:10])
    return render(
        request,
        "documents/dossier.html",
        {
            "course": course,
            "tab": "print",
            "can_manage": access.can_manage(request.user, course),
            "contents": services.dossier_contents(course, now=timezone.now()),
            "job": jobs[0] if jobs else None,
            "earlier": jobs[1:],
        },
    )


@staff_required
def dossier_job(request, code, pk):
    """The job's progress, polled by the dossier page while it runs."""
    course = access.course_for_staff(request.user, code)
    job = get_object_or_404(course.dossier_jobs, pk=pk)
    return render(request, "documents/_dossier_job.html", {"course": course, "job": job})


def _dossier_file(request, code, pk, field: str, suffix: str, content_type: str):
    course = access.course_for_staff(request.user, code)
    job = get_object_or_404(course.dossier_jobs, pk=pk, status="done")
    stored = getattr(job, field)
    if not stored:
        raise Http404("归档文件不存在")
    name = f"{course.name}结班归档（{timezone.localtime(job.created_at):%Y%m%d%H%M}）{suffix}"
    response = FileResponse(stored.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = content_type
    return response


@staff_required
def dossier_zip(request, code, pk):
    """The dossier's ZIP: every document, numbered, and manifest.json (organizers and the course's advisors)."""
    return _dossier_file(request, code, pk, "archive", ".zip", "application/zip")


@staff_required
def dossier_pdf(request, code, pk):
    """The combined PDF: the 目录, then every document with a bookmark each."""
    return _dossier_file(request, code, pk, "combined", "合订本.pdf", "application/pdf")


# --- 培训班总结 ---------------------------------------------------------------------------------------------


@staff_required
def summary(request, code):
    """培训班总结: the draft written from the course's figures (or the saved text), edited here by
    organizers; ?draft=1 puts a fresh draft in the box (saved only with 保存)."""
    course = access.course_for_staff(request.user, code)
    can_manage = access.can_manage(request.user, course)
    body, saved = summary_data.summary_text(course, now=timezone.now(), fresh=request.GET.get("draft") == "1")
    form = forms.SummaryForm(request.POST or None, initial={"body": body})
    if request.method == "POST":
        course = access.course_for_staff(request.user, code, manage=True)
        if form.is_valid():
            try:
                services.summary_save(course=course, by=request.user, body=form.cleaned_data["body"])
            except DomainError as error:
                if not error.field:  # archived: nothing on this page can be changed
                    messages.error(request, error.message)
                    return redirect("documents:summary", code=code)
                form.add_error(error.field, error.message)
            else:
                messages.success(request, "已保存培训班总结。")
                return redirect("documents:summary", code=code)
    return render(
        request,
        "documents/summary.html",
        {"course": course, "tab": "print", "form": form, "saved": saved, "can_manage": can_manage},
    )


@staff_required
def summary_pdf(request, code):
    course = access.course_for_staff(request.user, code)
    now = timezone.now()
    body, _ = summary_data.summary_text(course, now=now)
    content = pdf.render("pdf/summary.html", summary_data.summary_pdf_data(course, body=body, now=now))
    return pdf.response(content, f"{course.name}总结.pdf")
