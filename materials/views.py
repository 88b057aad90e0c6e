"""Pages of materials: the organizer's list, import (upload → preview → confirm), details with
who has read it, and editing; the trainee's list, reading page and search."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone

from core import uploads
from core.errors import DomainError
from core.forms import add_domain_error
from training import access as training_access
from training.decorators import staff_required, trainee_required

from . import access, files, forms, rules, selectors, services
from .models import Material


@staff_required
def material_list(request, code):
    """学习材料: the course's materials by session, how many have read each, and search."""
    course = training_access.course_for_staff(request.user, code)
    q = request.GET.get("q", "").strip()
    return render(
        request,
        "materials/material_list.html",
        {
            "course": course,
            "tab": "materials",
            "materials": selectors.material_list_for_course(course),
            "enrolled": selectors.enrolled_count(course),
            "q": q,
            "hits": selectors.material_search(course.materials.all(), q) if q else None,
            "can_manage": training_access.can_manage(request.user, course),
            "now": timezone.now(),
        },
    )


@staff_required
def material_import(request, code):
    """Upload one or more files → a preview of each article (title, speaker, outline) → confirm."""
    course = training_access.course_for_staff(request.user, code, manage=True)
    posted = request.method == "POST"
    form = forms.MaterialUploadForm(request.POST if posted else None, request.FILES if posted else None)
    context = {"course": course, "tab": "materials", "form": form}
    if posted and form.is_valid():
        previews, problems = [], []
        for upload in form.cleaned_data["files"]:
            content = upload.read()
            try:
                result = services.material_import(course=course, content=content, filename=upload.name, commit=False)
            except files.MaterialFileError as error:
                problems.append((upload.name, error.message))
                continue
            token = uploads.upload_save(
                course=course, user=request.user, content=content, filename=upload.name, kind="materials"
            )
            articles = [(a, rules.outline(a.body), i in result.existing) for i, a in enumerate(result.articles)]
            previews.append({"filename": upload.name, "token": token, "articles": articles, "new": result.new_count})
        context.update(previews=previews, problems=problems, sessions_form=forms.ImportSessionsForm(course=course))
    return render(request, "materials/material_import.html", context)


@staff_required
def material_import_confirm(request, code):
    course = training_access.course_for_staff(request.user, code, manage=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    sessions_form = forms.ImportSessionsForm(request.POST, course=course)
    if not sessions_form.is_valid():
        messages.error(request, f"关联课次：{sessions_form.errors['sessions'][0]}没有导入任何材料。")
        return redirect("materials:import", code=code)
    sessions = list(sessions_form.cleaned_data["sessions"])
    made, skipped, stored_names = 0, 0, []
    try:
        with transaction.atomic():  # every file of the preview, or none
            for token in request.POST.getlist("token"):
                content, filename, stored = uploads.upload_load(
                    token=token, course=course, user=request.user, kind="materials"
                )
                result = services.material_import(
                    course=course, content=content, filename=filename, by=request.user, sessions=sessions
                )
                stored_names.append(stored)
                made, skipped = made + len(result.materials), skipped + len(result.existing)
    except (DomainError, files.MaterialFileError) as error:
        messages.error(request, f"{error.message}没有导入任何材料。")
        return redirect("materials:import", code=code)
    for stored in stored_names:
        uploads.upload_delete(name=stored)
    note = f"，{skipped} 篇已在本班材料中，未重复导入" if skipped else ""
    messages.success(request, f"已导入 {made} 份材料{note}。")
    return redirect("materials:list", code=code)


@staff_required
def material_detail(request, code, pk):
    material = access.material_for_staff(request.user, code, pk)
    paragraphs, entries = selectors.reading(material)
    readers = selectors.readers_of(material)
    return render(
        request,
        "materials/material_detail.html",
        {
            "course": material.course,
            "tab": "materials",
            "material": material,
            "paragraphs": paragraphs,
            "outline": entries,
            "readers": readers,
            "read_count": sum(1 for r in readers if r.read_at),
            "can_manage": training_access.can_manage(request.user, material.course),
        },
    )


@staff_required
def session_reading(request, code, pk):
    """本课次材料的学习情况: each trainee against each material of the session."""
    session = training_access.session_for_staff(request.user, code, pk)
    return render(
        request,
        "materials/session_reading.html",
        {"course": session.course, "tab": "materials", "reading": selectors.reading_for_session(session)},
    )


@staff_required
def material_edit(request, code, pk):
    material = access.material_for_staff(request.user, code, pk, manage=True)
    form = forms.MaterialForm(request.POST or None, instance=material, course=material.course)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.MATERIAL_FIELDS}
        try:
            services.material_update(material=material, sessions=list(form.cleaned_data["sessions"]), **fields)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "材料信息已保存。")
            return redirect("materials:detail", code=code, pk=pk)
    return render(
        request, "materials/material_form.html", {"course": material.course, "tab": "materials", "form": form}
    )


@staff_required
def material_delete(request, code, pk):
    material = access.material_for_staff(request.user, code, pk, manage=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.material_delete(material=material)
    messages.success(request, f"已删除材料“{material.title}”。")
    return redirect("materials:list", code=code)


# --- The trainee's phone ----------------------------------------------------------------------------------


@trainee_required
def my_materials(request, trainee):
    """学习材料 on the phone: released materials of the trainee's courses, read or not, and search."""
    now = timezone.now()
    q = request.GET.get("q", "").strip()
    courses = selectors.material_list_for_trainee(trainee, now=now)
    hits = None
    if q:
        visible = [m.pk for _, materials in courses for m in materials]
        hits = selectors.material_search(Material.objects.filter(pk__in=visible), q)
    return render(request, "materials/my_materials.html", {"courses": courses, "q": q, "hits": hits})


@trainee_required
def my_material(request, trainee, pk):
    material, enrollment = access.material_for_trainee(trainee, pk, now=timezone.now())
    paragraphs, entries = selectors.reading(material)
    return render(
        request,
        "materials/my_material.html",
        {
            "material": material,
            "paragraphs": paragraphs,
            "outline": entries,
            "read": selectors.read_of(material, enrollment),
        },
    )


@trainee_required
def my_material_read(request, trainee, pk):
    material, enrollment = access.material_for_trainee(trainee, pk, now=timezone.now())
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.material_mark_read(material=material, enrollment=enrollment)
    messages.success(request, "已标记为已学习。")
    return redirect("materials:my-material", pk=pk)
