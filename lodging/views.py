"""Pages of 报到、住宿和就餐. Each view: access helper first, then the form, one service call, a
message and a redirect (or the page again). A refusal is a message on the page, never an error;
a GET never writes."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone

from core.errors import DomainError
from core.forms import add_domain_error
from training import access as training_access
from training.decorators import staff_required, trainee_required

from . import access, forms, rules, selectors, services, xlsx

# --- 报到 desk -------------------------------------------------------------------------------------------


def _desk_card(course, enrollment, arrival, created, first_start):
    bed = selectors.bed_of(enrollment)
    late = rules.arrival_late(arrived_at=arrival.arrived_at, late_after=first_start)
    return {"enrollment": enrollment, "arrival": arrival, "created": created, "bed": bed, "late": late}


@staff_required
def desk(request, code):
    """报到台: scan a badge (USB scanner or phone camera types the link and Enter) or find by name or
    phone and press 报到; the card says the room, the group and what to hand out."""
    course = training_access.course_for_staff(request.user, code)
    scan = forms.ArrivalScanForm(request.POST if "code" in request.POST else None)
    mark = forms.ArrivalMarkForm(request.POST if "enrollment" in request.POST else None, course=course)
    first_start = selectors.late_after(course)
    context = {"course": course, "tab": "arrival", "settings": selectors.settings_of(course)}
    if request.method == "POST":
        try:
            if scan.is_bound and scan.is_valid():
                arrival, created, enrollment = services.arrival_scan(
                    course=course, text=scan.cleaned_data["code"], by=request.user
                )
                context["card"] = _desk_card(course, enrollment, arrival, created, first_start)
                scan = forms.ArrivalScanForm()  # empty, focused, ready for the next badge
            elif mark.is_bound and mark.is_valid():
                enrollment = mark.cleaned_data["enrollment"]
                arrival, created = services.arrival_record(enrollment=enrollment, by=request.user, method="search")
                context["card"] = _desk_card(course, enrollment, arrival, created, first_start)
            elif mark.is_bound:
                messages.error(request, mark.errors["enrollment"][0])
                return redirect("lodging:desk", code=code)
        except DomainError as error:
            if error.field == "code":
                add_domain_error(scan, error)
            else:
                context["error"] = error.message
    query = request.GET.get("q", "")[:40]
    context.update(
        scan=scan,
        query=query,
        found=selectors.search(course, query, first_start=first_start) if query else [],
        stats=selectors.arrival_stats(course),
    )
    return render(request, "lodging/desk.html", context)


@staff_required
def desk_stats(request, code):
    """The live 报到统计 block of the desk (polled by htmx)."""
    course = training_access.course_for_staff(request.user, code)
    return render(request, "lodging/_desk_stats.html", {"course": course, "stats": selectors.arrival_stats(course)})


# --- Rooms --------------------------------------------------------------------------------------------------


@staff_required
def rooms(request, code):
    course = training_access.course_for_staff(request.user, code)
    board = selectors.room_board(course)
    return render(
        request,
        "lodging/rooms.html",
        {
            "course": course,
            "tab": "rooms",
            "board": board,
            "assign_form": forms.AutoAssignForm(),
            "move_form": forms.RoomMoveForm(course=course),
            "can_manage": training_access.can_manage(request.user, course),
        },
    )


@staff_required
def rooms_add(request, code):
    course = training_access.course_for_staff(request.user, code, manage=True)
    form = forms.RoomsAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.rooms_add(organization=course.organization, lines=form.cleaned_data["lines"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已添加 {len(added)} 个房间。")
            return redirect("lodging:rooms", code=code)
    return render(request, "lodging/rooms_add.html", {"course": course, "tab": "rooms", "form": form})


@staff_required
def room_edit(request, code, pk):
    room = access.room_for_staff(request.user, code, pk, manage=True)
    form = forms.RoomForm(request.POST or None, instance=room)
    if request.method == "POST" and form.is_valid():
        try:
            services.room_update(room=room, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已保存 {room.building}{form.cleaned_data['number']}。")
            return redirect("lodging:rooms", code=code)
    return render(
        request, "lodging/room_form.html", {"course": room.course, "tab": "rooms", "form": form, "room": room}
    )


@staff_required
def rooms_assign(request, code):
    course = training_access.course_for_staff(request.user, code, manage=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.AutoAssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择安排原则（同单位或同小组住在一起）。")
        return redirect("lodging:rooms", code=code)
    try:
        result = services.rooms_auto_assign(course=course, keep=form.cleaned_data["keep"], by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        text = f"已自动安排 {len(result.placed)} 位学员。"
        if result.unplaced:
            messages.warning(request, f"{text}{len(result.unplaced)} 位没有安排上，见“待安排”。")
        else:
            messages.success(request, text)
    return redirect("lodging:rooms", code=code)


@staff_required
def room_move(request, code):
    course = training_access.course_for_staff(request.user, code, manage=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.RoomMoveForm(request.POST, course=course)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect("lodging:rooms", code=code)
    enrollment, room = form.cleaned_data["enrollment"], form.cleaned_data["room"]
    try:
        services.room_move(course=course, enrollment=enrollment, room=room, by=request.user)
    except DomainError as error:
        messages.error(request, f"{enrollment.trainee.name}：{error.message}")
    else:
        messages.success(request, f"{enrollment.trainee.name} {'已调到 ' + str(room) if room else '已取消床位'}。")
    return redirect("lodging:rooms", code=code)


# --- Needs and meals ----------------------------------------------------------------------------------------


@staff_required
def stay_edit(request, code, pk):
    """食宿需求 of one trainee: room or 走读, dietary need, meals not eaten (before their cut-off)."""
    enrollment = training_access.enrollment_for_staff(request.user, code, pk)
    stay = selectors.stay_of(enrollment)
    slots, _ = selectors.meal_plan(enrollment.course)
    initial = {
        "needs_room": "1" if stay.needs_room else "0",
        "diet": stay.diet,
        "diet_note": stay.diet_note,
        "meals": [forms.meal_key(d, k) for d, k in (enrollment.meal_opt_outs.values_list("day", "kind"))],
    }
    form = forms.StayForm(request.POST or None, initial=initial, slots=slots)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.stay_update(
                enrollment=enrollment,
                needs_room=data["needs_room"],
                diet=data["diet"],
                diet_note=data["diet_note"],
                skipped=form.skipped(),
                by=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已保存 {enrollment.trainee.name} 的食宿需求。")
            return redirect("lodging:meals", code=code)
    return render(
        request,
        "lodging/stay_form.html",
        {"course": enrollment.course, "tab": "meals", "enrollment": enrollment, "form": form},
    )


@staff_required
def meals(request, code):
    """就餐统计: per day and meal, how many eat, by dietary need; frozen after the cut-off."""
    course = training_access.course_for_staff(request.user, code)
    now = timezone.now()
    people = selectors.enrolled(course)
    return render(
        request,
        "lodging/meals.html",
        {
            "course": course,
            "tab": "meals",
            "lines": selectors.meal_table(course, now=now),
            "special": [e for e in people if e.stay_or_default.diet != "none" or not e.stay_or_default.needs_room],
            "can_manage": training_access.can_manage(request.user, course),
        },
    )


@staff_required
def meals_xlsx(request, code):
    course = training_access.course_for_staff(request.user, code)
    content = xlsx.write_meals_xlsx(course=course, lines=selectors.meal_table(course, now=timezone.now()))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="meals-{course.code}.xlsx"'
    return response


@staff_required
def settings_edit(request, code):
    course = training_access.course_for_staff(request.user, code, manage=True)
    settings = selectors.settings_of(course)
    slots, _ = selectors.meal_plan(course)
    initial = {name: getattr(settings, name) for name in ("handout", *settings.CANTEEN_FIELDS)}
    form = forms.SettingsForm(request.POST or None, initial=initial, slots=slots)
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(
                course=course, handout=form.cleaned_data["handout"], meals=form.meals(), canteen=form.canteen()
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已保存报到和就餐设置。")
            return redirect("lodging:meals", code=code)
    return render(request, "lodging/settings.html", {"course": course, "tab": "meals", "form": form})


# --- The trainee's phone -------------------------------------------------------------------------------------


@trainee_required
def my_stay(request, trainee, code):
    """The block on 我的培训 (loaded by htmx: attendance sits below lodging): the room and the
    meals still to come, each with a 不就餐/就餐 switch until its cut-off."""
    enrollment = access.enrollment_for_trainee(trainee, code)
    now = timezone.now()
    return render(
        request,
        "lodging/_my_stay.html",
        {
            "course": enrollment.course,
            "bed": selectors.bed_of(enrollment),
            "stay": selectors.stay_of(enrollment),
            "meals": selectors.meals_for_enrollment(enrollment, now=now),
        },
    )


@trainee_required
def my_meal(request, trainee, code):
    enrollment = access.enrollment_for_trainee(trainee, code)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.MyMealForm(request.POST)
    if not form.is_valid():
        messages.error(request, "没有这一餐，请刷新页面后再试。")
        return redirect("attendance:me")
    (day, kind), eats = form.cleaned_data["meal"], form.cleaned_data["eats"]
    try:
        services.meal_choice_set(enrollment=enrollment, day=day, kind=kind, eats=eats, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"已登记：{day.month}月{day.day}日{dict(forms.MealKind.choices)[kind]}{'就餐' if eats else '不就餐'}。",
        )
    return redirect("attendance:me")
