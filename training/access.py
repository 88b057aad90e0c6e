"""Who may see what: one helper per entity, called first in every view. Each returns the object
or raises Http404 (it is not yours to know about) or PermissionDenied (you may look, not change).

Organizers see and manage every course of their organization; advisors (班主任) see the courses
they are assigned to; superusers see everything; trainees see only their own data.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Course, Enrollment, Lecturer, Membership, Organization, Session, Trainee


def is_staff_member(user) -> bool:
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_is_staff_member"):  # asked by the decorator and the navigation bar
        user._is_staff_member = user.is_superuser or user.memberships.exists()
    return user._is_staff_member


def organizations_for_organizer(user) -> QuerySet[Organization]:
    if user.is_superuser:
        return Organization.objects.all()
    return Organization.objects.filter(memberships__user=user, memberships__role=Membership.Role.ORGANIZER)


def courses_for_staff(user) -> QuerySet[Course]:
    """Every course the staff member may see."""
    if user.is_superuser:
        return Course.objects.all()
    organized = organizations_for_organizer(user).values("pk")
    return Course.objects.filter(Q(organization__in=organized) | Q(advisors=user)).distinct()


def _organizes(user, organization_id: int) -> bool:
    """The one rule of who changes things: superusers and the organization's organizers."""
    return user.is_superuser or organizations_for_organizer(user).filter(pk=organization_id).exists()


def can_manage(user, course: Course) -> bool:
    return _organizes(user, course.organization_id)


def course_for_staff(user, code: str, *, manage: bool = False) -> Course:
    """The course with this code if the user may see it (404 otherwise); with `manage`, only for
    its organizers (403 for its advisors)."""
    course = courses_for_staff(user).select_related("organization").filter(code=code).first()
    if course is None:
        raise Http404("没有这个培训班")
    if manage and not can_manage(user, course):
        raise PermissionDenied("只有主办单位的组织者可以进行此操作")
    return course


def session_for_staff(user, code: str, pk: int, *, manage: bool = False) -> Session:
    course = course_for_staff(user, code, manage=manage)
    session = Session.objects.filter(course=course, pk=pk).first()
    if session is None:
        raise Http404("没有这个课次")
    session.course = course
    return session


def enrollment_for_staff(user, code: str, pk: int, *, manage: bool = False) -> Enrollment:
    course = course_for_staff(user, code, manage=manage)
    enrollment = Enrollment.objects.select_related("trainee").filter(course=course, pk=pk).first()
    if enrollment is None:
        raise Http404("本班没有这位学员")
    enrollment.course = course
    return enrollment


def trainee_for_user(user) -> Trainee:
    """The trainee record of the logged-in trainee; staff accounts have none."""
    trainee = Trainee.objects.filter(user=user).first() if user.is_authenticated else None
    if trainee is None:
        raise PermissionDenied("此页面仅供学员使用")
    return trainee


def organization_for_organizer(user, pk: int) -> Organization:
    """An organization whose staff the user manages (its organizers, and superusers); 404 otherwise."""
    organization = organizations_for_organizer(user).filter(pk=pk).first()
    if organization is None:
        raise Http404("没有这个单位")
    return organization


def membership_for_organizer(user, organization_pk: int, pk: int) -> Membership:
    """One staff membership of an organization the user manages; 404 otherwise."""
    organization = organization_for_organizer(user, organization_pk)
    membership = organization.memberships.select_related("user").filter(pk=pk).first()
    if membership is None:
        raise Http404("没有这位工作人员")
    return membership


def can_manage_organization(user, organization: Organization) -> bool:
    """Its organizers (and superusers) change what belongs to an organization, e.g. its 师资库."""
    return _organizes(user, organization.pk)


def organization_for_staff(user, pk: int, *, manage: bool = False) -> Organization:
    """An organization the user works for: its organizers, and the 班主任 of one of its courses
    (404 for anyone else); with `manage`, its organizers only (403 for those 班主任)."""
    if user.is_superuser:
        organization = Organization.objects.filter(pk=pk).first()
    else:
        courses = Course.objects.filter(advisors=user).values("organization_id")
        organization = (
            Organization.objects.filter(Q(pk__in=organizations_for_organizer(user).values("pk")) | Q(pk__in=courses))
            .filter(pk=pk)
            .first()
        )
    if organization is None:
        raise Http404("没有这个单位")
    if manage and not can_manage_organization(user, organization):
        raise PermissionDenied("只有本单位的组织者可以修改师资库")
    return organization


def lecturer_for_staff(user, organization_pk: int, pk: int, *, manage: bool = False) -> Lecturer:
    """A lecturer of an organization the user works for (see organization_for_staff)."""
    organization = organization_for_staff(user, organization_pk, manage=manage)
    lecturer = Lecturer.objects.filter(organization=organization, pk=pk).first()
    if lecturer is None:
        raise Http404("师资库中没有这位授课人")
    lecturer.organization = organization
    return lecturer
