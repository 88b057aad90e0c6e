"""The completion side: the certificate register, the issuing job and its ZIP, the PDFs, the
public verify page, and the audit log organizers read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render

from .. import access, audit, certificates, forms, pdf, ratelimit, rules, selectors, services
from .decorators import staff_required, trainee_required

# --- Audit log ---------------------------------------------------------------------------------------

AUDIT_KINDS = {
    "attendance": "考勤",
    "leave": "请假",
    "discipline": "纪律",
    "bulletin": "通报",
    "completion": "结业认定",
    "certificate": "证书",
    "roster": "花名册",
}


@staff_required
def audit_log(request, code):
    """审计日志: who changed what, with before and after; the course's organizers read it."""
    course = access.course_for_staff(request.user, code, manage=True)
    kind = request.GET.get("kind", "")
    kind = kind if kind in AUDIT_KINDS else ""
    page = Paginator(selectors.audit_entries_for_course(course, kind=kind), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "training/audit_log.html",
        {"course": course, "page": page, "kind": kind, "kinds": AUDIT_KINDS, "actions": audit.ACTIONS},
    )


# --- Certificates ------------------------------------------------------------------------------------


@staff_required
def certificate_list(request, code):
    """证书登记: the course's register, issuing to everyone eligible, and printing them all."""
    course = access.course_for_staff(request.user, code)
    if request.method == "POST":
        course = access.course_for_staff(request.user, code, manage=True)
        try:
            base_url = certificates.certificate_base_url(request=request)
            certificates.certificate_job_start(course=course, by=request.user, base_url=base_url)
        except services.DomainError as error:
            messages.error(request, error.message)
        return redirect("training:certificates", code=code)
    return render(
        request,
        "training/certificate_list.html",
        {
            "course": course,
            "tab": "completion",
            "certificates": selectors.certificate_list_for_course(course),
            "job": selectors.certificate_job_latest(course),
            "can_manage": access.can_manage(request.user, course),
        },
    )


@staff_required
def certificate_job(request, code, pk):
    """The job's progress, polled by the register page while it runs."""
    course = access.course_for_staff(request.user, code)
    job = get_object_or_404(course.certificate_jobs, pk=pk)
    response = render(request, "training/_certificate_job.html", {"course": course, "job": job})
    if request.headers.get("HX-Request") and job.status in (job.Status.DONE, job.Status.FAILED):
        response["HX-Refresh"] = "true"  # the register below shows the new certificates
    return response


@staff_required
def certificate_job_download(request, code, pk):
    """The job's ZIP: each trainee's PDF and the print-all PDF."""
    course = access.course_for_staff(request.user, code)
    job = get_object_or_404(course.certificate_jobs.exclude(archive=""), pk=pk)
    response = FileResponse(job.archive.open("rb"), as_attachment=True, filename=f"{course.name}结业证书.zip")
    response["Content-Type"] = "application/zip"
    return response


@staff_required
def certificates_print(request, code):
    """The course's valid certificates as one PDF for the printer."""
    course = access.course_for_staff(request.user, code)
    valid = list(selectors.certificate_list_for_course(course).filter(status="valid"))
    if not valid:
        messages.error(request, "还没有有效的证书可以打印。")
        return redirect("training:certificates", code=code)
    try:
        base_url = certificates.certificate_base_url(request=request)
    except services.DomainError as error:
        messages.error(request, error.message)
        return redirect("training:certificates", code=code)
    return pdf.response(certificates.certificates_pdf(valid, base_url=base_url), f"{course.name}结业证书.pdf")


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
        return redirect("training:certificates", code=code)
    try:
        if form.cleaned_data["action"] == "reissue":
            base_url = certificates.certificate_base_url(request=request)
            new = certificates.certificate_reissue(certificate=certificate, by=request.user, base_url=base_url)
            messages.success(
                request, f"已重新颁发 {new.name} 的证书（第{new.version}版），旧版在查验页显示为已重新颁发。"
            )
        else:
            certificates.certificate_revoke(
                certificate=certificate, reason=form.cleaned_data["reason"], by=request.user
            )
            messages.success(request, f"已撤销 {certificate.name} 的证书，查验页立即显示为已撤销。")
    except services.DomainError as error:
        messages.error(request, error.message)
    return redirect("training:certificates", code=code)


@trainee_required
def my_certificate(request, trainee, pk):
    certificate = access.certificate_for_trainee(trainee, pk)
    return pdf.response(certificate.pdf.read(), f"{certificate.number}{certificate.name}.pdf", inline=False)


def verify(request, token):
    """证书查验 (public, rate-limited): masked name, course, dates, hours, number, status and the
    PDF's SHA-256. No phone, no ID number."""
    if not ratelimit.allow(f"verify:{ratelimit.client_ip(request)}", limit=30, seconds=60):
        return render(request, "training/verify.html", {"limited": True}, status=429)
    certificate = certificates.certificate_for_token(token)
    context = {"certificate": certificate}
    if certificate is not None:
        context.update(
            masked=rules.mask_name(certificate.name),
            newer=certificate.course.certificates.filter(seq=certificate.seq, version__gt=certificate.version).exists(),
        )
    return render(request, "training/verify.html", context, status=200 if certificate else 404)
