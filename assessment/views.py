"""Pages of 结业考核: the course's 考核 tab (plan, marks, 心得, discussion records) for its staff, and
the trainee's own 学习心得 on the phone. Each view: access helper first, the form, one service
call, a message and a redirect."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.forms import add_domain_error
from training import access as training_access
from training.decorators import staff_required, trainee_required

from . import access, forms, rules, selectors, services


def _data(request, *, files: bool = False):
    """The POST's data (or files), even when empty: a form posted with nothing answers with its
    errors. None for a GET."""
    if request.method != "POST":
        return None
    return request.FILES if files else request.POST


def _context(request, course, **extra):
    return {
        "course": course,
        "tab": "assessment",
        "can_manage": training_access.can_manage(request.user, course),
    } | extra


@staff_required
def overview(request, code):
    """考核: the plan, everyone's marks per item, the 心得 count and the discussion records."""
    course = training_access.course_for_staff(request.user, code)
    marks = selectors.marks_for_course(course)
    roster = selectors.roster_for_grid(course)
    columns = [item for item in marks.items if item.kind != rules.EVERYDAY] if marks else []
    rows = [
        (enrollment, [(item.label, marks.marks.get(enrollment.pk, {}).get(item.kind)) for item in columns])
        for enrollment in roster
    ]
    return render(
        request,
        "assessment/overview.html",
        _context(
            request,
            course,
            marks=marks,
            columns=columns,
            rows=rows,
            entered=[i for i in marks.items if i.kind in rules.ENTERED] if marks else [],
            essays=selectors.essay_list_for_course(course) if marks else [],
            discussions=selectors.discussion_list_for_course(course),
        ),
    )


@staff_required
def plan(request, code):
    """考核设置 (organizers): items, weights, pass marks and the 心得 deadline; a course without a plan
    is offered the default set."""
    course = training_access.course_for_staff(request.user, code, manage=True)
    current = selectors.plan_for_course(course)
    if current:
        items = {i.kind: i for i in current.items.all()}
        initial = {"pass_mark": current.pass_mark, "essay_due_at": current.essay_due_at}
        for kind in rules.KINDS:
            initial[f"weight_{kind}"] = items[kind].weight if kind in items else 0
            initial[f"pass_{kind}"] = items[kind].pass_mark if kind in items else None
    else:
        initial = {"pass_mark": rules.DEFAULT_PASS_MARK}
        initial |= {f"weight_{kind}": weight for kind, weight in rules.DEFAULT_WEIGHTS.items()}
    form = forms.PlanForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_save(
                course=course,
                by=request.user,
                pass_mark=form.cleaned_data["pass_mark"],
                essay_due_at=form.cleaned_data["essay_due_at"],
                items=form.items(),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "考核方案已保存。")
            return redirect("assessment:overview", code=code)
    return render(request, "assessment/plan.html", _context(request, course, form=form, current=current))


@staff_required
def scores(request, code):
    """成绩录入: one item's marks for everyone (?item=test|speech|discussion), by organizers and the
    course's 班主任."""
    course = training_access.course_for_staff(request.user, code)
    marks = selectors.marks_for_course(course)
    entered = [i for i in marks.items if i.kind in rules.ENTERED] if marks else []
    if not entered:
        messages.error(request, "本班考核没有需要录入成绩的项目，请先在考核设置中设置。")
        return redirect("assessment:overview", code=code)
    kind = request.GET.get("item") or entered[0].kind
    item = next((i for i in entered if i.kind == kind), None)
    if item is None:
        raise Http404("没有这个考核项目")
    roster = selectors.roster_for_grid(course)
    current = selectors.scores_of_kind(course, kind)
    initial = {f"s_{e.student_no}": current[e.pk] for e in roster if e.pk in current}
    form = forms.ScoreGridForm(_data(request), enrollments=roster, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.scores_save(course=course, kind=kind, values=form.values(), by=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已保存{item.label}成绩（{changed} 处改动）。")
            return redirect(f"{reverse('assessment:scores', args=[code])}?item={kind}")
    return render(request, "assessment/scores.html", _context(request, course, form=form, item=item, entered=entered))


@staff_required
def scores_import(request, code):
    """导入结业测试成绩 from a spreadsheet: every row checked first, nothing written if one is wrong."""
    course = training_access.course_for_staff(request.user, code)
    form = forms.ScoreImportForm(_data(request), _data(request, files=True))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            changed = services.scores_import(
                course=course, content=upload.read(), filename=upload.name, by=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已导入结业测试成绩（{changed} 人的成绩有改动）。")
            return redirect(f"{reverse('assessment:scores', args=[code])}?item={rules.TEST}")
    return render(request, "assessment/scores_import.html", _context(request, course, form=form))


@staff_required
def essays(request, code):
    """学习心得: who has handed one in, which are graded."""
    course = training_access.course_for_staff(request.user, code)
    roster = selectors.roster_for_grid(course)
    handed = selectors.essay_list_for_course(course)
    missing = [e for e in roster if e.pk not in {essay.enrollment_id for essay in handed}]
    return render(
        request,
        "assessment/essays.html",
        _context(request, course, essays=handed, missing=missing, plan=selectors.plan_for_course(course)),
    )


@staff_required
def essay(request, code, pk):
    """One 心得 to read and grade (organizers and the course's 班主任)."""
    essay = access.essay_for_staff(request.user, code, pk)
    course = essay.enrollment.course
    initial = {"score": essay.score, "comment": essay.comment}
    form = forms.EssayGradeForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.essay_grade(essay=essay, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已评阅 {essay.enrollment.trainee.name} 的学习心得。")
            return redirect("assessment:essays", code=code)
    return render(request, "assessment/essay.html", _context(request, course, essay=essay, form=form))


@staff_required
def essay_file(request, code, pk):
    essay = access.essay_for_staff(request.user, code, pk)
    if not essay.file:
        raise Http404("这份心得没有附件")
    name = f"{essay.enrollment.trainee.name}学习心得{essay.file.name[essay.file.name.rfind('.') :]}"
    return FileResponse(essay.file.open("rb"), as_attachment=True, filename=name)


@staff_required
def discussions(request, code):
    """小组讨论记录: the list, and a new record (organizers and the course's 班主任)."""
    course = training_access.course_for_staff(request.user, code)
    form = forms.DiscussionForm(_data(request), course=course)
    if request.method == "POST" and form.is_valid():
        try:
            services.discussion_record(course=course, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已保存讨论记录。")
            return redirect("assessment:discussions", code=code)
    return render(
        request,
        "assessment/discussions.html",
        _context(request, course, form=form, records=selectors.discussion_list_for_course(course)),
    )


@trainee_required
def my_essay(request, trainee, code):
    """The trainee's 学习心得: write or upload it before the deadline, change it until it is graded,
    then read the score and the comment."""
    enrollment = access.enrollment_for_trainee(trainee, code)
    plan = selectors.plan_for_course(enrollment.course)
    essay = selectors.essay_of(enrollment)
    asked = plan is not None and any(i.kind == rules.ESSAY for i in plan.items.all())
    open_ = asked and not (essay and essay.graded) and not (plan.essay_due_at and timezone.now() > plan.essay_due_at)
    form = forms.MyEssayForm(
        _data(request), _data(request, files=True), initial={"title": essay.title, "body": essay.body} if essay else {}
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.essay_submit(
                enrollment=enrollment,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                content=upload.read() if upload else None,
                filename=upload.name if upload else "",
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "学习心得已提交。评分前您还可以修改。")
            return redirect("assessment:my-essay", code=code)
    return render(
        request,
        "assessment/my_essay.html",
        {
            "enrollment": enrollment,
            "course": enrollment.course,
            "plan": plan,
            "essay": essay,
            "asked": asked,
            "open": open_,
            "form": form,
        },
    )
