import pytest
from django.contrib import admin
from django.urls import reverse

from training.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_training_model_has_a_working_admin(client, enrollment, organizer):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    models = [m for m in admin.site._registry if m._meta.app_label in ("training", "core")]
    assert {m.__name__ for m in models} == {
        "Organization",
        "Membership",
        "Course",
        "Session",
        "Trainee",
        "Enrollment",
        "Lecturer",
        "LoginLock",
        "AuditEntry",
    }
    for model in models:
        meta = model._meta
        changelist = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"), {"q": "张"})
        assert changelist.status_code == 200, model
    trainee_page = client.get(reverse("admin:training_trainee_change", args=[enrollment.trainee.pk]))
    assert trainee_page.status_code == 200


def test_the_admin_never_shows_a_full_id_number(client, enrollment):
    from training.models import Trainee

    Trainee.objects.filter(pk=enrollment.trainee.pk).update(id_number="110105194912310021")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    for url in (
        reverse("admin:training_trainee_changelist"),
        reverse("admin:training_trainee_change", args=[enrollment.trainee.pk]),
    ):
        page = client.get(url).content.decode()
        assert "110105194912310021" not in page and "1101**********0021" in page
