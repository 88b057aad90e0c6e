"""工作人员: an organizer manages the organization's organizers and 班主任 here, not in /admin/:
adds an account (its first password shown once), turns one off or on again, gives a new first
password. Accounts are never deleted: their names stay on attendance changes and the audit log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render

from core import pdf
from core.errors import DomainError

from .. import access, accounts, forms
from ..decorators import staff_required


@staff_required
def staff_home(request):
    """The organizer's way in: the organizations whose staff they manage (班主任 manage none)."""
    organizations = list(access.organizations_for_organizer(request.user))
    if not organizations:
        raise PermissionDenied("只有单位的组织者可以管理工作人员账户")
    return render(request, "training/staff_organizations.html", {"organizations": organizations})


def _page(request, organization, form, **extra):
    members = organization.memberships.select_related("user").order_by("role", "user__first_name", "user__username")
    return render(
        request,
        "training/staff_list.html",
        {"organization": organization, "members": members, "form": form, **extra},
    )


@staff_required
def staff_list(request, pk):
    organization = access.organization_for_organizer(request.user, pk)
    form = forms.StaffAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership, password = accounts.staff_add(organization=organization, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            # Shown on this answer only: the password is not kept anywhere in the clear.
            return _page(request, organization, forms.StaffAddForm(), added=membership, password=password)
    return _page(request, organization, form)


@staff_required
def staff_change(request, pk, member_pk):
    membership = access.membership_for_organizer(request.user, pk, member_pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    action = request.POST.get("action")
    name = membership.user.first_name or membership.user.username
    try:
        if action == "reset":
            password = accounts.staff_password_reset(membership=membership, by=request.user)
            return _page(request, membership.organization, forms.StaffAddForm(), reset=membership, password=password)
        accounts.staff_set_active(membership=membership, active=action == "activate", by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已{'启用' if action == 'activate' else '停用'} {name} 的账户。")
    return redirect("training:staff", pk=pk)


@staff_required
def organization_edit(request, pk):
    """单位信息: the name printed on paper and the seal on certificates, with a sample to check."""
    organization = access.organization_for_organizer(request.user, pk)
    initial = {
        "name": organization.name,
        "short_name": organization.short_name,
        **{name: getattr(organization, name) for name in forms.OrganizationForm.FEE_FIELDS},
    }
    form = forms.OrganizationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["seal"]
        try:
            accounts.organization_update(
                organization=organization,
                name=form.cleaned_data["name"],
                short_name=form.cleaned_data["short_name"],
                seal=upload.read() if upload else None,
                remove_seal=form.cleaned_data["remove_seal"],
                fees=form.fees(),
                by=request.user,
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, "单位信息已保存。请打开证书样张核对印章的位置和大小。")
            return redirect("training:organization", pk=pk)
    seal = ""
    if organization.seal:
        with organization.seal.open("rb") as handle:
            seal = pdf.data_uri(handle.read(), "image/png")
    return render(
        request, "training/organization_form.html", {"organization": organization, "form": form, "seal": seal}
    )
