"""Pages of 评教: the trainee's list and the form on the phone (and the block /me/ loads), the staff
results page, the organizer's edit of a form and the settings. Each view: access helper first,
then the form, one service call, a message and a redirect. A refusal (not attended, closed,
answered already) is a page that says so, never an error."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core import links
from core.errors import DomainError
from core.forms import add_domain_error
from core.qr import qr_svg
from training import access as training_access
from training import selectors as training_selectors
from training.decorators import staff_required, trainee_required

from . import access, forms, rules, selectors, services
from .models import EvaluationForm

# --- The trainee's phone pages ------------------------------------------------------------------------


@trainee_required
def mine(request, trainee):
    """我的评教: per course, what is open to evaluate, then what was evaluated or has closed."""
    now = timezone.now()
    courses = []
    for enrollment in training_selectors.trainee_courses(trainee):
        settings, forms_ = selectors.forms_of(enrollment.course)
        found = selectors.evaluations_for_enrollment(enrollment, settings=settings, forms=forms_, now=now)
        courses.append((enrollment.course, found))
    return render(request, "evaluation/mine.html", {"courses": courses, "now": now})


@trainee_required
def my_waiting(request, trainee, code):
    """The block on 我的培训 (loaded by htmx: attendance sits below evaluation and cannot ask)."""
    enrollment = access.enrollment_for_trainee(trainee, code)
    settings, forms_ = selectors.forms_of(enrollment.course)
    found = selectors.evaluations_for_enrollment(enrollment, settings=settings, forms=forms_, now=timezone.now())
    return render(request, "evaluation/_my_waiting.html", {"waiting": [w for w in found if w.to_answer]})


def _answer(request, enrollment, session):
    course = enrollment.course
    # a GET only reads; the POST that answers makes the course's forms if nobody has yet
    settings, forms_ = services.forms_ensure(course) if request.method == "POST" else selectors.forms_of(course)
    kind = rules.form_kind_for_session(session.kind) if session else EvaluationForm.Kind.COURSE
    context = {"course": course, "session": session}
    if kind is None:
        return render(request, "evaluation/refused.html", {**context, "message": "这个课次不需要评价。"})
    form = forms_[kind]
    form.course = course
    now = timezone.now()
    problem = selectors.answer_problem(enrollment=enrollment, form=form, session=session, settings=settings, now=now)
    if problem is None and selectors.has_answered(enrollment, form, session):
        problem = DomainError("already_answered", "您已评价过，谢谢！每人只能评价一次。")
    if problem:
        return render(request, "evaluation/refused.html", {**context, "message": problem.message, "code": problem.code})
    answer_form = forms.AnswerForm(request.POST or None, evaluation_form=form)
    if request.method == "POST" and answer_form.is_valid():
        scores, comments = answer_form.answer()
        try:
            services.answer_submit(
                enrollment=enrollment, form=form, session=session, scores=scores, comments=comments, at=now
            )
        except DomainError as error:
            if error.field not in answer_form.fields:
                return render(
                    request, "evaluation/refused.html", {**context, "message": error.message, "code": error.code}
                )
            add_domain_error(answer_form, error)
        else:
            return redirect("evaluation:thanks")
    closes = selectors.window_of(settings, course, session)[1]
    return render(
        request, "evaluation/answer.html", {**context, "form": answer_form, "evaluation": form, "closes": closes}
    )


@trainee_required
def answer_session(request, trainee, session_pk):
    session, enrollment = access.session_for_trainee(trainee, session_pk)
    return _answer(request, enrollment, session)


@trainee_required
def answer_course(request, trainee, code):
    enrollment = access.enrollment_for_trainee(trainee, code)
    return _answer(request, enrollment, None)


@trainee_required
def thanks(request, trainee):
    return render(request, "evaluation/thanks.html")


# --- Staff ----------------------------------------------------------------------------------------------


@staff_required
def results(request, code):
    """评教: per evaluated session and for the course, answered / attended and the per-item means;
    means and comments only from the course's threshold up."""
    course = training_access.course_for_staff(request.user, code)
    settings, forms_ = selectors.forms_of(course)
    rows = selectors.results_for_course(course, settings=settings, forms=forms_, now=timezone.now())
    return render(
        request,
        "evaluation/results.html",
        {
            "course": course,
            "tab": "evaluation",
            "settings": settings,
            "forms": list(forms_.values()),
            "rows": rows,
            "can_manage": training_access.can_manage(request.user, course),
        },
    )


LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}  # a QR pointing here opens nothing on a phone


@staff_required
def screen(request, code, pk):
    """The block the classroom screen loads and polls (attendance sits below evaluation and cannot
    ask): while the session's evaluation is open, a QR leading phones to the session's form and the
    live rate; empty otherwise (not evaluated, evaluation off, not open yet or closed)."""
    session = training_access.session_for_staff(request.user, code, pk)
    settings, forms_ = selectors.forms_of(session.course)
    kind = rules.form_kind_for_session(session.kind)
    context = {"session": session}
    if settings.enabled and kind:
        opens, closes = selectors.window_of(settings, session.course, session)
        if rules.window_state(timezone.now(), opens, closes) == rules.OPEN:
            answered, attended = selectors.response_rate(session, forms_[kind])
            url = links.public_url(reverse("evaluation:answer-session", args=[session.pk]), request=request)
            host = urlsplit(url).hostname or ""
            context.update(
                live=selectors.Live(forms_[kind], session, closes, answered, attended),
                qr_url=url,
                qr_svg=qr_svg(url),
                qr_host=host,
                qr_local=host in LOCAL_HOSTS,
            )
    return render(request, "evaluation/_screen.html", context)


@staff_required
def live(request, code):
    """The block the course overview polls: the evaluations open now with answered / attended, a
    link to the results and (for organizers) the button that reminds those who have not answered."""
    course = training_access.course_for_staff(request.user, code)
    rows = selectors.open_evaluations(course, now=timezone.now())
    context = {"course": course, "rows": rows, "can_manage": training_access.can_manage(request.user, course)}
    return render(request, "evaluation/_live.html", context)


@staff_required
def form_edit(request, code, kind):
    form = access.form_for_staff(request.user, code, kind, manage=True)
    answered = bool(form.pk) and form.answers.exists()
    initial = {
        "title": form.title,
        "scale": form.scale,
        "items": rules.lines_of(form.items),
        "questions": rules.lines_of(form.questions),
    }
    edit = forms.FormEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and edit.is_valid():
        data = edit.cleaned_data
        try:
            if form.pk is None:  # still the template's default: the course's forms are made now
                form = services.forms_ensure(form.course)[1][kind]
            services.form_update(
                form=form,
                title=data["title"],
                scale=data["scale"],
                items_text=data["items"],
                questions_text=data["questions"],
            )
        except DomainError as error:
            add_domain_error(edit, error)
        else:
            messages.success(request, f"已保存“{data['title']}”。")
            return redirect("evaluation:results", code=code)
    return render(
        request,
        "evaluation/form_edit.html",
        {"course": form.course, "tab": "evaluation", "evaluation": form, "form": edit, "answered": answered},
    )


@staff_required
def settings_edit(request, code):
    course = training_access.course_for_staff(request.user, code, manage=True)
    settings = (services.forms_ensure(course) if request.method == "POST" else selectors.forms_of(course))[0]
    form = forms.SettingsForm(request.POST or None, instance=settings)
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(settings=settings, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已保存评教设置。")
            return redirect("evaluation:results", code=code)
    return render(request, "evaluation/settings.html", {"course": course, "tab": "evaluation", "form": form})


@staff_required
def lecturer_means(request, pk, lecturer_pk):
    """The 评教 block of a lecturer's page in the 师资库 (loaded by htmx: training sits below
    evaluation and cannot ask): per session they gave in the courses the user may see, how many
    answered and the means where shown, and the mean over those sessions."""
    lecturer = training_access.lecturer_for_staff(request.user, pk, lecturer_pk)
    sessions = training_selectors.lecturer_sessions_for_staff(request.user, lecturer)
    rows, overall = selectors.lecturer_results(sessions, now=timezone.now())
    return render(
        request,
        "evaluation/_lecturer.html",
        {"lecturer": lecturer, "rows": rows, "overall": overall, "counted": sum(1 for r in rows if r.shown)},
    )
