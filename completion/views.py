"""Pages of 结业: the completion page and organizers' overrides, the certificate register, the
issuing job and its ZIP, the PDFs, the trainee's download and the public verify page. Each view:
access helper first, then the form, one service call, a message and a redirect."""

from django.contrib import messages
from django.http import FileResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from assessment import access as assessment_access
from assessment import rules as assessment_rules
from assessment import selectors as assessment_selectors
from core import pdf, ratelimit
from core.errors import DomainError
from training import access as training_access
from training.decorators import staff_required, trainee_required

from . import access, forms, rules, selectors, services, tasks
from . import appraisals as appraisal_services


@staff_required
def completion(request, code):
    """结业认定: everyone as 可结业 / 不可结业 with the reasons; while the course runs, whether
    completion is still possible. Organizers may override with a reason."""
    course = training_access.course_for_staff(request.user, code)
    now = timezone.now()
    rows = selectors.completion_for_course(course, now=now)
    assessed = next((row.assessment for row in rows if row.assessment), None) is not None
    return render(
        request,
        "completion/completion.html",
        {
            "course": course,
            "tab": "completion",
            "rows": rows,
            "eligible": sum(1 for r in rows if r.eligible),
            "finished": all(s.ends_at <= now for s in course.sessions.all()),
            "rules": rules.rules_of(course),
            "assessed": assessed,
            "pass_mark": getattr(getattr(course, "assessment_plan", None), "pass_mark", None) if assessed else None,
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
            services.completion_override(enrollment=enrollment, by=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"已调整 {enrollment.trainee.name} 的结业认定（理由已记录）。")
    return redirect("completion:completion", code=code)


# --- Certificates ------------------------------------------------------------------------------------


@staff_required
def certificate_list(request, code):
    """证书登记: the course's register, issuing to everyone eligible, and printing them all."""
    course = training_access.course_for_staff(request.user, code)
    if request.method == "POST":
        course = training_access.course_for_staff(request.user, code, manage=True)
        try:
            base_url = services.certificate_base_url(request=request)
            services.certificate_job_start(
                course=course, by=request.user, base_url=base_url, enqueue=tasks.certificate_job_enqueue
            )
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("completion:certificates", code=code)
    return render(
        request,
        "completion/certificate_list.html",
        {
            "course": course,
            "tab": "completion",
            "certificates": selectors.certificate_list_for_course(course),
            "job": selectors.certificate_job_latest(course),
            "number_example": services.certificate_number_example(course),
            "can_manage": training_access.can_manage(request.user, course),
        },
    )


@staff_required
def certificate_job(request, code, pk):
    """The job's progress, polled by the register page while it runs."""
    course = training_access.course_for_staff(request.user, code)
    job = get_object_or_404(course.certificate_jobs, pk=pk)
    response = render(request, "completion/_certificate_job.html", {"course": course, "job": job})
    if request.headers.get("HX-Request") and job.status in (job.Status.DONE, job.Status.FAILED):
        response["HX-Refresh"] = "true"  # the register below shows the new certificates
    return response


@staff_required
def certificate_job_download(request, code, pk):
    """The job's ZIP: each trainee's PDF and the print-all PDF."""
    course = training_access.course_for_staff(request.user, code)
    job = get_object_or_404(course.certificate_jobs.exclude(archive=""), pk=pk)
    response = FileResponse(job.archive.open("rb"), as_attachment=True, filename=f"{course.name}结业证书.zip")
    response["Content-Type"] = "application/zip"
    return response


@staff_required
def certificates_print(request, code):
    """The course's valid certificates as one PDF for the printer."""
    course = training_access.course_for_staff(request.user, code)
    valid = list(selectors.certificate_list_for_course(course).filter(status="valid"))
    if not valid:
        messages.error(request, "还没有有效的证书可以打印。")
        return redirect("completion:certificates", code=code)
    try:
        base_url = services.certificate_base_url(request=request)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("completion:certificates", code=code)
    return pdf.response(services.certificates_pdf(valid, base_url=base_url), f"{course.name}结业证书.pdf")


@staff_required
def certificate_pdf(request, code, pk):
    certificate = access.certificate_for_staff(request.user, code, pk)
    return pdf.response(certificate.pdf.read(), f"{certificate.number}{certificate.name}.pdf")


@staff_required
def certificate_change(request, code, pk):
    """撤销 or 重新颁发 one certificate (organizers)."""
    certificate = access.certificate_for_staff(request.user, code, pk, manage=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.CertificateChangeForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "；".join(f"{form[name].label}{e}" for name, errors in form.errors.items() for e in errors)
        )
        return redirect("completion:certificates", code=code)
    try:
        if form.cleaned_data["action"] == "reissue":
            base_url = services.certificate_base_url(request=request)
            new = services.certificate_reissue(certificate=certificate, by=request.user, base_url=base_url)
            messages.success(
                request, f"已重新颁发 {new.name} 的证书（第{new.version}版），旧版在查验页显示为已重新颁发。"
            )
        else:
            services.certificate_revoke(certificate=certificate, reason=form.cleaned_data["reason"], by=request.user)
            messages.success(request, f"已撤销 {certificate.name} 的证书，查验页立即显示为已撤销。")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("completion:certificates", code=code)


@trainee_required
def my_assessment(request, trainee, code):
    """The trainee's own 考核 on /me/ (a block the page loads): each item's grade once given, 平时表现,
    and the total once everything is graded; a link to their 学习心得."""
    enrollment = assessment_access.enrollment_for_trainee(trainee, code)
    row = selectors.completion_for_enrollment(enrollment, now=timezone.now())
    items = []
    if row.assessment is not None:
        scores = assessment_selectors.marks_for_course(enrollment.course, enrollments=[enrollment])
        got = scores.scores_of(enrollment.pk, row.everyday)
        items = [(item, got.get(item.kind)) for item in scores.items]
    return render(
        request,
        "completion/_my_assessment.html",
        {"course": enrollment.course, "row": row, "items": items, "essay_kind": assessment_rules.ESSAY},
    )


@trainee_required
def my_certificate(request, trainee, pk):
    certificate = access.certificate_for_trainee(trainee, pk)
    return pdf.response(certificate.pdf.read(), f"{certificate.number}{certificate.name}.pdf", inline=False)


def verify(request, token):
    """证书查验 (public, rate-limited): masked name, course, dates, hours, number, status and the
    PDF's SHA-256. No phone, no ID number."""
    if not ratelimit.allow(f"verify:{ratelimit.client_ip(request)}", limit=30, seconds=60):
        return render(request, "completion/verify.html", {"limited": True}, status=429)
    certificate = selectors.certificate_for_token(token)
    context = {"certificate": certificate}
    if certificate is not None:
        context.update(
            masked=rules.mask_name(certificate.name),
            newer=certificate.course.certificates.filter(seq=certificate.seq, version__gt=certificate.version).exists(),
        )
    return render(request, "completion/verify.html", context, status=200 if certificate else 404)


@staff_required
def certificate_sample(request, pk):
    """证书样张 with the organization's seal, for its organizers to check the seal before issuing."""
    organization = training_access.organization_for_organizer(request.user, pk)
    try:
        base_url = services.certificate_base_url(request=request)
    except DomainError:
        base_url = ""  # the sample's QR verifies nothing anyway
    content = services.certificate_sample_pdf(organization, today=timezone.localdate(), base_url=base_url)
    return pdf.response(content, f"{organization.name}证书样张.pdf")


# --- 结业鉴定 -------------------------------------------------------------------------------------------


@staff_required
def appraisals(request, code):
    """结业鉴定: every trainee's appraisal, whether it is written, and 生成初稿 for the empty ones."""
    course = training_access.course_for_staff(request.user, code)
    can_manage = training_access.can_manage(request.user, course)
    form = forms.AppraisalsDraftForm(request.POST or None, can_manage=can_manage)
    if request.method == "POST" and form.is_valid():
        opinion = form.cleaned_data.get("opinion", "")
        try:
            filled = appraisal_services.appraisals_draft(course=course, by=request.user, opinion=opinion)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, f"已为 {filled} 位学员写入初稿，请逐一核对修改。" if filled else "每位学员都已有鉴定意见。"
            )
        return redirect("completion:appraisals", code=code)
    rows = appraisal_services.appraisal_rows(course, now=timezone.now())
    return render(
        request,
        "completion/appraisals.html",
        {"course": course, "tab": "completion", "rows": rows, "form": form, "can_manage": can_manage},
    )


@staff_required
def appraisal(request, code, pk):
    """One trainee's 结业鉴定: the facts, the draft, the advisor's text, the organizer's opinion."""
    enrollment = training_access.enrollment_for_staff(request.user, code, pk)
    course = enrollment.course
    can_manage = training_access.can_manage(request.user, course)
    item = appraisal_services.appraisal_rows(course, now=timezone.now(), enrollment=enrollment)[0]
    saved = item.appraisal
    initial = {"advisor_text": item.text, "organizer_opinion": saved.organizer_opinion if saved else ""}
    form = forms.AppraisalForm(request.POST or None, initial=initial, can_manage=can_manage)
    if request.method == "POST" and form.is_valid():
        try:
            appraisal_services.appraisal_save(enrollment=enrollment, by=request.user, **form.cleaned_data)
        except DomainError as error:
            if not error.field:  # archived: nothing on this page can be changed
                messages.error(request, error.message)
                return redirect("completion:appraisal", code=code, pk=pk)
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"已保存 {enrollment.trainee.name} 的结业鉴定。")
            return redirect("completion:appraisals", code=code)
    return render(
        request,
        "completion/appraisal.html",
        {"course": course, "tab": "completion", "item": item, "form": form, "can_manage": can_manage},
    )
