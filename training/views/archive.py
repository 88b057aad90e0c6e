"""重新开放: an organizer opens an archived (结班归档) course for changes again, with a reason that
goes to the audit log. Archiving itself is the dossier's page (documents app)."""

from django.contrib import messages
from django.shortcuts import redirect, render

from core.forms import add_domain_error

from .. import access, archive, forms
from ..decorators import staff_required


@staff_required
def course_reopen(request, code):
    """GET asks for the reason; POST reopens (organizers only)."""
    course = access.course_for_staff(request.user, code, manage=True)
    form = forms.CourseReopenForm(request.POST if request.method == "POST" else None)  # bound even when empty
    if request.method == "POST" and form.is_valid():
        try:
            archive.course_reopen(course=course, by=request.user, reason=form.cleaned_data["reason"])
        except archive.DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "培训班已重新开放，可以修改；修改完成后请重新结班归档。理由已记入审计日志。")
            return redirect("training:course-dashboard", code=code)
    return render(request, "training/course_reopen.html", {"course": course, "form": form})
