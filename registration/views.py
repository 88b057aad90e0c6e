"""Pages of 报名 by unit. Staff: the organization's units, a course's 名额分配表 and 报名进度 (with
the organizer's decisions). A unit contact: the unit's own page behind its signed link, on a
phone. Each view: access helper first, then the form, one service call, a message and a redirect.
A refusal (revoked, closed, locked, full) is said on the page, never an error."""

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone

from core import pdf
from core.errors import DomainError
from core.forms import add_domain_error
from training import access as training_access
from training.decorators import staff_required

from . import access, forms, receipt, rules, selectors, services, tokens

# --- Units of the organization ----------------------------------------------------------------------


@staff_required
def unit_list(request, pk):
    organization = training_access.organization_for_staff(request.user, pk)
    q = request.GET.get("q", "").strip()[:40]
    return render(
        request,
        "registration/unit_list.html",
        {
            "organization": organization,
            "units": selectors.unit_list_for_organization(organization, q=q),
            "q": q,
            "can_manage": training_access.can_manage_organization(request.user, organization),
        },
    )


def _unit_form(request, organization, unit=None):
    form = forms.UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        try:
            if unit is None:
                unit = services.unit_create(organization=organization, **form.cleaned_data)
            else:
                services.unit_update(unit=unit, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已保存“{unit.name}”。")
            return redirect("registration:units", pk=organization.pk)
    return render(request, "registration/unit_form.html", {"organization": organization, "form": form, "unit": unit})


@staff_required
def unit_create(request, pk):
    return _unit_form(request, training_access.organization_for_staff(request.user, pk, manage=True))


@staff_required
def unit_edit(request, pk, unit_pk):
    unit = access.unit_for_staff(request.user, pk, unit_pk, manage=True)
    return _unit_form(request, unit.organization, unit)


# --- A course's 报名 (staff) -------------------------------------------------------------------------


def _progress_context(request, course):
    rows, nominees = selectors.progress_for_course(course)
    by_quota = {}
    for nominee in nominees:
        by_quota.setdefault(nominee.quota_id, []).append(nominee)
    quotas = {q.pk: q for q in course.quotas.all()}
    settings, now = selectors.settings_of(course), timezone.now()
    return {
        "course": course,
        "tab": "registration",
        "settings": settings,
        "rows": [
            (row, by_quota.get(row.quota_pk, []), tokens.link_url(quotas[row.quota_pk], request=request))
            for row in rows
        ],
        "waiting": [row for row in rows if not row.answered],
        "short": [row for row in rows if not row.full],  # 报名提醒 goes to these (notifications.units)
        "open": rules.unit_may_change(now=now, deadline=settings.deadline, locked_at=settings.locked_at) is None,
        "totals": rules.progress_totals(rows),
        "can_manage": training_access.can_manage(request.user, course),
        "now": now,
    }


@staff_required
def progress(request, code):
    """报名进度: per unit submitted / places, the units that have not answered, every person with
    their status, and the organizer's decisions. The block reloads itself every 30 s."""
    course = training_access.course_for_staff(request.user, code)
    return render(request, "registration/progress.html", _progress_context(request, course))


@staff_required
def progress_live(request, code):
    course = training_access.course_for_staff(request.user, code)
    return render(request, "registration/_progress.html", _progress_context(request, course))


@staff_required
def quotas_edit(request, code):
    course = training_access.course_for_staff(request.user, code, manage=True)
    settings = selectors.settings_of(course)
    form = forms.QuotaForm(
        request.POST or None, table=selectors.quota_table(course), initial={"deadline": settings.deadline}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.quotas_set(course=course, places=form.places(), deadline=form.cleaned_data["deadline"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已保存名额分配表。")
            return redirect("registration:progress", code=code)
    return render(
        request,
        "registration/quotas.html",
        {"course": course, "tab": "registration", "form": form, "organization": course.organization},
    )


@staff_required
def notice(request, code):
    """培训通知: the organizer's text of the course's notice, drafted from the course's facts until
    first saved; the PDF (documents) and the 回执 .xlsx are linked from the page."""
    course = training_access.course_for_staff(request.user, code, manage=True)
    notice = selectors.notice_of(course, today=timezone.localdate())
    form = forms.NoticeForm(request.POST or None, instance=notice)
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_save(course=course, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已保存培训通知。")
            return redirect("registration:notice", code=code)
    return render(
        request,
        "registration/notice.html",
        {"course": course, "tab": "registration", "form": form, "saved": notice.pk is not None},
    )


def _receipt(course, unit_name=""):
    settings = selectors.settings_of(course)
    deadline = timezone.localtime(settings.deadline) if settings.deadline else None
    when = f"{deadline.year}年{deadline.month}月{deadline.day}日{deadline:%H:%M}" if deadline else ""
    content = receipt.receipt_xlsx(course_name=course.name, unit_name=unit_name, deadline=when)
    name = f"{course.name}报名回执（{unit_name}）.xlsx" if unit_name else f"{course.name}报名回执.xlsx"
    return pdf.response(content, name, inline=False, content_type=pdf.XLSX)


@staff_required
def receipt_xlsx(request, code):
    """The 报名回执 as an .xlsx template, to send to units that answer by e-mail."""
    return _receipt(training_access.course_for_staff(request.user, code))


def _post_only(request):
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def _done(request, code, call, success: str):
    try:
        call()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("registration:progress", code=code)


@staff_required
def lock(request, code):
    course = training_access.course_for_staff(request.user, code, manage=True)
    if refused := _post_only(request):
        return refused
    locked = request.POST.get("locked") == "1"
    return _done(
        request,
        code,
        lambda: services.registration_lock(course=course, locked=locked),
        "名单已锁定，各单位不能再修改。" if locked else "名单已解锁，截止前各单位可以继续修改。",
    )


@staff_required
def approve_all(request, code):
    course = training_access.course_for_staff(request.user, code, manage=True)
    if refused := _post_only(request):
        return refused
    try:
        done = services.nominees_approve(course=course, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已通过 {len(done)} 人，已加入花名册。")
    return redirect("registration:progress", code=code)


@staff_required
def approve(request, code, pk):
    nominee = access.nominee_for_staff(request.user, code, pk, manage=True)
    if refused := _post_only(request):
        return refused
    return _done(
        request,
        code,
        lambda: services.nominees_approve(course=nominee.course, nominees=[nominee], by=request.user),
        f"已通过{nominee.name}，已加入花名册。",
    )


# A decision that needs a reason the unit will read: 退回 a pending nominee, 撤销 an approved one.
DECISIONS = {
    "return": {
        "form": forms.ReturnForm,
        "service": services.nominee_return,
        "heading": "退回 {name}",
        "button": "退回",
        "explain": "退回后单位联系人在报名链接上看到意见，修改后重新提交。",
        "done": "已退回{name}，{unit}会看到退回意见。",
    },
    "withdraw": {
        "form": forms.WithdrawForm,
        "service": services.nominee_withdraw,
        "heading": "撤销 {name} 的报名",
        "button": "撤销报名",
        "explain": "撤销后，这位学员在花名册上改为“退训”（已有的签到等记录保留），名额还给单位："
        "报名链接未截止、名单未锁定时单位可以另报一人；否则如需补人，可在花名册中直接添加。",
        "done": "已撤销{name}的报名（花名册上为退训），{unit}的名额已空出，{then}",
    },
}


def _decide(request, code, pk, kind):
    nominee = access.nominee_for_staff(request.user, code, pk, manage=True)
    decision = DECISIONS[kind]
    form = decision["form"](request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision["service"](nominee=nominee, comment=form.cleaned_data["comment"], by=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            reg = selectors.settings_of(nominee.course)
            then = rules.after_withdrawal(
                rules.unit_may_change(now=timezone.now(), deadline=reg.deadline, locked_at=reg.locked_at)
            )
            messages.success(
                request, decision["done"].format(name=nominee.name, unit=nominee.quota.unit.name, then=then)
            )
            return redirect("registration:progress", code=code)
    return render(
        request,
        "registration/decide.html",
        {
            "course": nominee.course,
            "tab": "registration",
            "nominee": nominee,
            "form": form,
            "heading": decision["heading"].format(name=nominee.name),
            "button": decision["button"],
            "explain": decision["explain"],
        },
    )


@staff_required
def return_nominee(request, code, pk):
    return _decide(request, code, pk, "return")


@staff_required
def withdraw(request, code, pk):
    return _decide(request, code, pk, "withdraw")


@staff_required
def extra(request, code, pk):
    quota = access.quota_for_staff(request.user, code, pk, manage=True)
    if refused := _post_only(request):
        return refused
    form = forms.ExtraForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"追加名额：{form.errors['extra'][0]}")
        return redirect("registration:progress", code=code)
    return _done(
        request,
        code,
        lambda: services.quota_extra_set(quota=quota, extra=form.cleaned_data["extra"]),
        f"{quota.unit.name}的追加名额现为 {form.cleaned_data['extra']} 个。",
    )


@staff_required
def revoke(request, code, pk):
    quota = access.quota_for_staff(request.user, code, pk, manage=True)
    if refused := _post_only(request):
        return refused
    return _done(
        request,
        code,
        lambda: services.link_revoke(quota=quota),
        f"已收回{quota.unit.name}的旧链接；请把新链接发给该单位联系人。",
    )


# --- A unit's own page (its signed link, no account) -----------------------------------------------


def _unit_page(request, template, context, status=200):
    response = render(request, template, context, status=status)
    # the link is the key: never pass it to another site ("no-referrer" would send Origin: null
    # with the form, which the CSRF check refuses)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _refused(request, error):
    return _unit_page(request, "registration/unit_refused.html", {"message": error.message, "code": error.code}, 410)


def _unit_context(quota, link):
    settings = selectors.settings_of(quota.course)
    nominees = selectors.nominees_for_quota(quota)
    held = sum(1 for n in nominees if n.holds_place)
    closed = rules.unit_may_change(now=timezone.now(), deadline=settings.deadline, locked_at=settings.locked_at)
    return {
        "quota": quota,
        "course": quota.course,
        "link": link,
        "settings": settings,
        "nominees": nominees,
        "held": held,
        "left": rules.places_left(places=quota.places, extra=quota.extra, taken=held),
        "closed": closed,
    }


def unit_home(request, link):
    """The unit's page: its places, its people (with the organizer's comments), and the form to
    put one more forward while places are left and the list is open."""
    try:
        quota = access.quota_for_link(link)
    except access.LinkRefused as error:
        return _refused(request, error)
    context = _unit_context(quota, link)
    form = forms.NomineeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            nominee = services.nominee_add(quota=quota, values=form.cleaned_data)
        except DomainError as error:
            if error.field in form.fields:
                add_domain_error(form, error)
            else:
                messages.error(request, error.message)
                return redirect("registration:unit-home", link=link)
        else:
            messages.success(request, f"已报名{nominee.name}。")
            return redirect("registration:unit-home", link=link)
    return _unit_page(request, "registration/unit_home.html", {**context, "form": form})


def _unit_change(request, link, pk, *, replace: bool):
    try:
        quota, nominee = access.nominee_for_link(link, pk)
    except access.LinkRefused as error:
        return _refused(request, error)
    initial = None if replace else forms.NomineeForm.initial_of(nominee)
    form = forms.NomineeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if replace:
                new = services.nominee_replace(nominee=nominee, values=form.cleaned_data)
                done = f"已由{nominee.name}换为{new.name}。"
            else:
                services.nominee_update(nominee=nominee, values=form.cleaned_data)
                done = f"已修改{form.cleaned_data['name']}的信息，等待组织者审核。"
        except DomainError as error:
            if error.field in form.fields:
                add_domain_error(form, error)
            else:
                messages.error(request, error.message)
                return redirect("registration:unit-home", link=link)
        else:
            messages.success(request, done)
            return redirect("registration:unit-home", link=link)
    context = _unit_context(quota, link)
    return _unit_page(
        request, "registration/unit_nominee.html", {**context, "form": form, "nominee": nominee, "replace": replace}
    )


def unit_receipt_xlsx(request, link):
    """The 回执 .xlsx with the unit's name on it, for a unit that would rather send a table."""
    try:
        quota = access.quota_for_link(link)
    except access.LinkRefused as error:
        return _refused(request, error)
    response = _receipt(quota.course, quota.unit.name)
    response["Referrer-Policy"], response["X-Robots-Tag"] = "same-origin", "noindex"
    return response


def unit_nominee_edit(request, link, pk):
    return _unit_change(request, link, pk, replace=False)


def unit_nominee_replace(request, link, pk):
    return _unit_change(request, link, pk, replace=True)
