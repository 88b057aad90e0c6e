import pytest
from django.urls import reverse

from materials import services
from materials.tests.seeds import seed_path
from training.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_library_material_gets_its_course_in_the_admin(client, course):
    material = services.material_import(
        course=None, content=seed_path("000").read_bytes(), filename="000.txt"
    ).materials[0]
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:materials_material_changelist"), {"q": "讲话"}).status_code == 200
    assert client.get(reverse("admin:materials_materialread_changelist")).status_code == 200
    url = reverse("admin:materials_material_change", args=[material.pk])
    response = client.post(url, {"course": course.pk, "speaker": "市总工会领导", "title": "改不了"})
    assert response.status_code == 302
    material.refresh_from_db()
    assert (material.course, material.speaker, material.title) == (
        course,
        "市总工会领导",
        "在全市工会社会工作专业人才业务培训班上的讲话",
    )
