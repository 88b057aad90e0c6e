"""工作人员 without /admin/: an organizer adds a 班主任 or organizer (first password shown once),
turns accounts off and on, gives a new first password; nobody else reaches another organization's
staff."""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from training.models import Membership
from training.tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def staff_page(client, organizer, organization):
    client.force_login(organizer)
    return reverse("training:staff", args=[organization.pk])


def add(client, url, **fields):
    return client.post(url, {"name": "王海涛", "username": "wanght", "role": "advisor", **fields})


def test_an_organizer_adds_an_advisor_who_logs_in_with_the_password_shown_once(client, staff_page, organization):
    response = add(client, staff_page)
    assert response.status_code == 200
    password = response.context["password"]
    assert password in response.content.decode() and len(password) == 12
    membership = Membership.objects.get(user__username="wanght")
    assert (membership.organization, membership.role, membership.user.first_name) == (organization, "advisor", "王海涛")
    assert password not in client.get(staff_page).content.decode()  # once only
    other = client.__class__()
    assert other.login(username="wanght", password=password)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"username": "organizer"}, "username", "已被使用"),
        ({"username": "trainee-7"}, "username", "留给学员账户"),
        ({"username": "王海涛"}, "username", "字母、数字"),
        ({"name": ""}, "name", "请填写姓名"),
        ({"role": "root"}, "role", ""),
    ],
)
def test_a_bad_new_account_comes_back_with_the_reason(client, staff_page, fields, field, message):
    before = User.objects.count()
    response = add(client, staff_page, **fields)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert User.objects.count() == before


def test_the_new_advisor_is_offered_on_the_course_form_and_sees_the_course_once_assigned(client, staff_page, course):
    password = add(client, staff_page).context["password"]
    advisor = User.objects.get(username="wanght")
    edit = reverse("training:course-edit", args=[course.code])
    assert advisor.pk in [choice[0].value for choice in client.get(edit).context["form"].fields["advisors"].choices]
    course.advisors.add(advisor)  # the form's own saving is tested with the course form
    helper = client.__class__()
    helper.login(username="wanght", password=password)
    assert course.name in helper.get(reverse("training:course-list")).content.decode()


def test_a_turned_off_account_cannot_log_in_until_turned_on_and_a_reset_replaces_the_password(
    client, staff_page, organization
):
    password = add(client, staff_page).context["password"]
    membership = Membership.objects.get(user__username="wanght")
    change = reverse("training:staff-change", args=[organization.pk, membership.pk])
    client.post(change, {"action": "deactivate"})
    assert not client.__class__().login(username="wanght", password=password)
    assert User.objects.filter(username="wanght").exists()  # never deleted
    client.post(change, {"action": "activate"})
    assert client.__class__().login(username="wanght", password=password)
    new = client.post(change, {"action": "reset"}).context["password"]
    assert not client.__class__().login(username="wanght", password=password)
    assert client.__class__().login(username="wanght", password=new)


def test_an_organizer_cannot_turn_off_themselves_or_a_colleague_of_another_organization(
    client, staff_page, organizer, organization
):
    own = organizer.memberships.get()
    client.post(reverse("training:staff-change", args=[organization.pk, own.pk]), {"action": "deactivate"})
    organizer.refresh_from_db()
    assert organizer.is_active
    shared = UserFactory(username="shared")
    membership = MembershipFactory(user=shared, organization=organization, role="advisor")
    MembershipFactory(user=shared, organization=OrganizationFactory(name="石门县总工会"), role="advisor")
    response = client.post(
        reverse("training:staff-change", args=[organization.pk, membership.pk]), {"action": "deactivate"}, follow=True
    )
    assert "其他单位任职" in response.content.decode()
    shared.refresh_from_db()
    assert shared.is_active


def test_other_organizations_and_advisors_reach_nobody_s_staff(client, organization, other_organizer, advisor):
    url = reverse("training:staff", args=[organization.pk])
    client.force_login(other_organizer)
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "x", "username": "intruder", "role": "organizer"}).status_code == 404
    assert not User.objects.filter(username="intruder").exists()
    client.force_login(advisor)
    assert client.get(url).status_code == 404
    assert client.get(reverse("training:staff-home")).status_code == 403


# --- 单位信息 and the seal ---------------------------------------------------------------------------


def png(size=(400, 400), colour=(200, 0, 0, 255)) -> bytes:
    """A round red seal on a transparent background."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((10, 10, size[0] - 10, size[1] - 10), outline=colour, width=30)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def red_pixels(pdf: bytes) -> int:
    """Strongly red pixels of the first page, rendered in colour by poppler."""
    import io

    from PIL import Image

    from training.tests.pdfs import _poppler

    page = Image.open(io.BytesIO(_poppler("pdftoppm", pdf, "-png", "-r", "40", "-singlefile", "-"))).convert("RGB")
    return sum(1 for r, g, b in page.get_flattened_data() if r > 150 and g < 80 and b < 80)


def upload(client, organization, content, name="seal.png", **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"name": organization.name, "short_name": "县总工会", **fields}
    if content is not None:
        data["seal"] = SimpleUploadedFile(name, content, content_type="image/png")
    return client.post(reverse("training:organization", args=[organization.pk]), data)


def test_the_seal_uploaded_here_is_on_the_sample_certificate(client, organizer, organization, settings):
    settings.SITE_URL = "http://10.20.1.5:8000"
    client.force_login(organizer)
    sample = reverse("completion:sample", args=[organization.pk])
    without = client.get(sample).content
    assert upload(client, organization, png()).status_code == 302
    organization.refresh_from_db()
    assert organization.seal and organization.short_name == "县总工会"
    page = client.get(reverse("training:organization", args=[organization.pk])).content.decode()
    assert 'src="data:image/png;base64,' in page
    with_seal = client.get(sample).content
    if folder := os.environ.get("PAPER_DIR"):  # to look at it
        (Path(folder) / "certificate-sample.pdf").write_bytes(with_seal)
    assert red_pixels(with_seal) > red_pixels(without) + 50
    upload(client, organization, None, remove_seal="on")
    organization.refresh_from_db()
    assert not organization.seal


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xd8\xff\xe0 not a png", "无法读取"),
        (None, "PNG 格式"),  # a real JPEG, made below
        ("huge", "过大"),  # 5000 × 5000 px in a few KB: refused from the header
        (b"x" * (2 * 1024 * 1024 + 1), "2 MB"),
    ],
)
def test_a_seal_that_is_not_a_sensible_png_is_refused_and_nothing_kept(
    client, organizer, organization, content, message
):
    import io

    from PIL import Image

    if content is None:
        buffer = io.BytesIO()
        Image.new("RGB", (100, 100), "red").save(buffer, "JPEG")
        content = buffer.getvalue()
    elif content == "huge":
        buffer = io.BytesIO()
        Image.new("1", (5000, 5000)).save(buffer, "PNG")
        content = buffer.getvalue()
        assert len(content) < 10_000
    client.force_login(organizer)
    response = upload(client, organization, content)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["seal"])
    organization.refresh_from_db()
    assert not organization.seal


def test_another_organization_reaches_neither_the_profile_nor_the_sample(client, organization, other_organizer):
    client.force_login(other_organizer)
    assert client.get(reverse("training:organization", args=[organization.pk])).status_code == 404
    assert client.get(reverse("completion:sample", args=[organization.pk])).status_code == 404
    assert upload(client, organization, png()).status_code == 404
