"""大字版: a trainee turns on larger text and touch targets from any of their pages; it is kept on
their record, so it holds after logging in again, on any phone."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def html_tag(client, url):
    return client.get(url).content.decode().split("<head>")[0]


def test_a_trainee_turns_on_large_text_and_it_stays_after_logging_in_again(client, enrollment):
    trainee = enrollment.trainee
    client.post(reverse("training:login"), {"phone": trainee.phone, "access_code": trainee.access_code})
    me = reverse("attendance:me")
    assert "large-text" not in html_tag(client, me)
    response = client.post(reverse("training:large-text"), {"on": "1", "next": reverse("attendance:my-attendance")})
    assert response["Location"] == reverse("attendance:my-attendance")
    assert 'class="large-text"' in html_tag(client, me)
    trainee.refresh_from_db()
    assert trainee.large_text

    client.post(reverse("training:logout"))
    client.post(reverse("training:login"), {"phone": trainee.phone, "access_code": trainee.access_code})
    assert 'class="large-text"' in html_tag(client, me)
    client.post(reverse("training:large-text"), {"on": "0", "next": "https://evil.example/"})
    assert "large-text" not in html_tag(client, me)


def test_the_switch_is_for_trainees_only(client, organizer):
    client.force_login(organizer)
    assert client.post(reverse("training:large-text"), {"on": "1"})["Location"] == reverse("training:course-list")
