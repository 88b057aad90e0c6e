"""Who reaches what in 报名: staff through the course or the organization (training.access: its
organizers change, the course's 班主任 read), and a unit contact only through the unit's own
signed link, which opens that unit's quota on that course and the people it put forward —
never another unit's."""

from django.http import Http404

from training import access as training_access

from . import rules, tokens
from .models import Nominee, Quota, Unit


class LinkRefused(Exception):
    """A link that was revoked: the page says so (the code is for tests)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def unit_for_staff(user, organization_pk: int, pk: int, *, manage: bool = False) -> Unit:
    organization = training_access.organization_for_staff(user, organization_pk, manage=manage)
    unit = Unit.objects.filter(organization=organization, pk=pk).first()
    if unit is None:
        raise Http404("没有这个基层单位")
    unit.organization = organization
    return unit


def quota_for_staff(user, code: str, pk: int, *, manage: bool = False) -> Quota:
    course = training_access.course_for_staff(user, code, manage=manage)
    quota = Quota.objects.select_related("unit").filter(course=course, pk=pk).first()
    if quota is None:
        raise Http404("名额分配表中没有这个单位")
    quota.course = course
    return quota


def nominee_for_staff(user, code: str, pk: int, *, manage: bool = False) -> Nominee:
    course = training_access.course_for_staff(user, code, manage=manage)
    nominee = Nominee.objects.select_related("quota__unit").filter(course=course, pk=pk).first()
    if nominee is None:
        raise Http404("没有这位报名人员")
    nominee.course = course
    return nominee


def quota_for_link(token: str) -> Quota:
    """The quota a unit's link opens: 404 for a token we did not sign or a quota gone, LinkRefused
    for a revoked link (its nonce no longer matches)."""
    read = tokens.read_link(token)
    quota = Quota.objects.select_related("unit", "course").filter(pk=read[0]).first() if read else None
    if quota is None:
        raise Http404("链接无效")
    if quota.nonce != read[1]:
        raise LinkRefused("revoked", rules.REVOKED)
    return quota


def nominee_for_link(token: str, pk: int) -> tuple[Quota, Nominee]:
    """One of the unit's own people (404 for anyone else's, whichever unit or course)."""
    quota = quota_for_link(token)
    nominee = Nominee.objects.filter(quota=quota, pk=pk).first()
    if nominee is None:
        raise Http404("没有这位报名人员")
    nominee.quota, nominee.course = quota, quota.course
    return quota, nominee
