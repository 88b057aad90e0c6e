"""Who may reach a certificate: the course's staff (through the course), or the trainee it names."""

from django.http import Http404

from training.access import course_for_staff
from training.models import Trainee

from .models import Certificate


def certificate_for_staff(user, code: str, pk: int, *, manage: bool = False) -> Certificate:
    course = course_for_staff(user, code, manage=manage)
    certificate = Certificate.objects.filter(course=course, pk=pk).first()
    if certificate is None:
        raise Http404("没有这份证书")
    certificate.course = course
    return certificate


def certificate_for_trainee(trainee: Trainee, pk: int) -> Certificate:
    """One of the trainee's own certificates that has a PDF (404 for anyone else's)."""
    certificate = Certificate.objects.filter(enrollment__trainee=trainee, pk=pk).exclude(pdf="").first()
    if certificate is None:
        raise Http404("没有这份证书")
    return certificate
