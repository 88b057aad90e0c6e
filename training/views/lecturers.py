"""师资库: an organization's lecturers, listed, added, changed, and each one's sessions across the
organization's courses. Its organizers manage it; the 班主任 of its courses may look."""

from django.contrib import messages
from django.shortcuts import redirect, render

from core.errors import DomainError
from core.forms import add_domain_error

from .. import access, forms, lecturers, rules, selectors
from ..decorators import staff_required


@staff_required
def lecturer_list(request, pk):
    organization = access.organization_for_staff(request.user, pk)
    q = request.GET.get("q", "").strip()[:40]
    return render(
        request,
        "training/lecturer_list.html",
        {
            "organization": organization,
            "lecturers": selectors.lecturer_list_for_organization(organization, q=q),
            "q": q,
            "can_manage": access.can_manage_organization(request.user, organization),
        },
    )


@staff_required
def lecturer_create(request, pk):
    organization = access.organization_for_staff(request.user, pk, manage=True)
    form = forms.LecturerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lecturer = lecturers.lecturer_create(organization=organization, **form.lecturer_fields())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已把{lecturer.name}加入师资库。")
            return redirect("training:lecturer", pk=pk, lecturer_pk=lecturer.pk)
    return render(request, "training/lecturer_form.html", {"organization": organization, "form": form})


@staff_required
def lecturer_detail(request, pk, lecturer_pk):
    lecturer = access.lecturer_for_staff(request.user, pk, lecturer_pk)
    sessions = selectors.lecturer_sessions_for_staff(request.user, lecturer)
    cap = lecturer.organization.fee_caps()[lecturer.rank]
    return render(
        request,
        "training/lecturer_detail.html",
        {
            "organization": lecturer.organization,
            "lecturer": lecturer,
            "sessions": sessions,
            "hours": sum(s.credit_hours for s in sessions),
            "cap": cap,
            "over_cap": rules.fee_over_cap(lecturer.fee_rate, cap),
            "can_manage": access.can_manage_organization(request.user, lecturer.organization),
        },
    )


@staff_required
def lecturer_edit(request, pk, lecturer_pk):
    lecturer = access.lecturer_for_staff(request.user, pk, lecturer_pk, manage=True)
    form = forms.LecturerForm(request.POST or None, instance=lecturer)
    if request.method == "POST" and form.is_valid():
        try:
            lecturers.lecturer_update(lecturer=lecturer, **form.lecturer_fields())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{lecturer.name}的信息已保存。")
            return redirect("training:lecturer", pk=pk, lecturer_pk=lecturer.pk)
    return render(
        request,
        "training/lecturer_form.html",
        {"organization": lecturer.organization, "form": form, "lecturer": lecturer},
    )
