import pytest
from django.contrib import admin
from django.urls import reverse

from attendance.tests.helpers import sample_attendance
from training.tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_attendance_admin_pages_open_and_change_nothing(client, course, enrollment, advisor):
    sample_attendance(course, SessionFactory(course=course), enrollment, advisor)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    models = [m for m in admin.site._registry if m._meta.app_label == "attendance"]
    assert len(models) == 5
    for model in models:
        url = reverse(f"admin:attendance_{model._meta.model_name}_changelist")
        assert client.get(url, {"q": "张"}).status_code == 200, model
        assert not admin.site._registry[model].has_delete_permission(None)
