"""Who may open a page at all: staff (organizers, advisors, admins) or trainees."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from . import access


def staff_required(view):
    """Logged-in staff only: anonymous visitors go to the staff login, trainees get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("training:staff-login"))
        if not access.is_staff_member(request.user):
            raise PermissionDenied("此页面仅供工作人员使用")
        return view(request, *args, **kwargs)

    return wrapper


def trainee_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("training:login"))
        if access.is_staff_member(request.user):
            return redirect("training:course-list")
        return view(request, *args, access.trainee_for_user(request.user), **kwargs)

    return wrapper
