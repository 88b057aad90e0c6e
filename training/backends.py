"""Authentication: staff by username and password, trainees by phone number and access code.

Both count failures per account and refuse a locked account before looking at the password.
Failures are also counted per network address, with a limit high enough for a whole class behind
one classroom address (LOGIN_NETWORK_MAX_FAILURES in 10 minutes), against guessing across many
accounts. Django's admin login goes through the staff backend too, so both cover it.
"""

import hmac
import unicodedata

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core import ratelimit

from . import rules, services
from .models import LoginLock, Trainee


def staff_key(username: str) -> str:
    return "staff:" + username.strip().lower()


def trainee_key(phone: str) -> str:
    return "trainee:" + phone


def lock_remaining(key: str):
    """How long the account stays locked (a timedelta), or None."""
    locked_until = LoginLock.objects.filter(key=key).values_list("locked_until", flat=True).first()
    now = timezone.now()
    return locked_until - now if locked_until and locked_until > now else None


NETWORK_WINDOW_SECONDS = 600


def _network_key(request) -> str:
    return "login-failures:" + ratelimit.client_ip(request)


def network_blocked(request) -> bool:
    """Whether this address has failed to log in too often lately (the form says so)."""
    return ratelimit.count(_network_key(request)) >= settings.LOGIN_NETWORK_MAX_FAILURES


def _guarded(request, key: str, check):
    if lock_remaining(key) or network_blocked(request):
        raise PermissionDenied("locked")  # stops authenticate(); the form explains the lock
    user = check()
    if user is None:
        services.login_failure_record(key=key)
        ratelimit.hit(_network_key(request), seconds=NETWORK_WINDOW_SECONDS)
    else:
        services.login_success_record(key=key)
    return user


class StaffBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        return _guarded(
            request, staff_key(username), lambda: super(StaffBackend, self).authenticate(request, username, password)
        )


class TraineeBackend(ModelBackend):
    def authenticate(self, request, phone=None, access_code=None, **kwargs):
        if phone is None or access_code is None:
            return None
        try:
            phone = rules.normalize_phone(phone)
        except ValueError:
            return None

        def check():
            # Each organization keeps its own record of a person, each with its own code; no two
            # records of one phone share a code, so the code picks the record (and its courses).
            code = unicodedata.normalize("NFKC", access_code).strip().encode()
            trainee = None
            for candidate in Trainee.objects.filter(phone=phone):
                if hmac.compare_digest(candidate.access_code.encode(), code):
                    trainee = candidate
            if trainee is None:
                return None
            user = services.trainee_user_ensure(trainee=trainee)
            return user if self.user_can_authenticate(user) else None

        return _guarded(request, trainee_key(phone), check)
