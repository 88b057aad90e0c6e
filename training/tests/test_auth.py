from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from training import services
from training.models import LoginLock

pytestmark = pytest.mark.django_db

LOGIN = "/login/"


def trainee_login(client, phone, code, ip="10.0.0.1"):
    return client.post(LOGIN, {"phone": phone, "access_code": code}, REMOTE_ADDR=ip)


def test_a_trainee_logs_in_with_phone_and_access_code(client, enrollment):
    response = trainee_login(client, "139 0000 0001", "246810")
    assert response.status_code == 302 and response["Location"] == reverse("attendance:me")
    page = client.get(reverse("attendance:me")).content.decode()
    assert "张丽华" in page and enrollment.course.name in page
    enrollment.trainee.refresh_from_db()
    assert enrollment.trainee.user.username == f"trainee-{enrollment.trainee.pk}"
    assert not enrollment.trainee.user.has_usable_password()


def test_a_wrong_code_is_refused_in_chinese(client, enrollment):
    response = trainee_login(client, "13900000001", "000000")
    assert response.status_code == 200
    assert "手机号码或登录码不正确" in response.content.decode()


def test_repeated_failures_lock_the_account_not_the_address(client, enrollment, other_enrollment):
    # Five wrong codes, each from a different phone on the classroom Wi-Fi and elsewhere.
    for attempt in range(5):
        trainee_login(client, "13900000001", "000000", ip=f"10.0.0.{attempt}")
    response = trainee_login(client, "13900000001", "246810", ip="192.168.1.9")
    assert response.status_code == 200
    assert "已临时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The classmate on the same address is not affected.
    assert trainee_login(client, "13900000002", "135790", ip="10.0.0.1").status_code == 302


def test_the_lock_ends_after_the_lock_period(client, enrollment):
    for _ in range(5):
        trainee_login(client, "13900000001", "000000")
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert trainee_login(client, "13900000001", "246810").status_code == 302
    assert not LoginLock.objects.filter(key="trainee:13900000001").exists()


def test_a_success_forgets_earlier_failures(client, enrollment):
    for _ in range(4):
        trainee_login(client, "13900000001", "000000")
    assert trainee_login(client, "13900000001", "246810").status_code == 302
    client.logout()
    for _ in range(4):
        trainee_login(client, "13900000001", "000000")
    assert trainee_login(client, "13900000001", "246810").status_code == 302


def test_staff_login_locks_too_and_so_does_the_admin_login(client, organizer):
    for _ in range(5):
        client.post(reverse("training:staff-login"), {"username": "organizer", "password": "wrong"})
    response = client.post(reverse("training:staff-login"), {"username": "organizer", "password": "secret-pass-123"})
    assert "已临时锁定" in response.content.decode()
    response = client.post(
        reverse("admin:login"), {"username": "Organizer", "password": "secret-pass-123", "next": "/admin/"}
    )
    assert "_auth_user_id" not in client.session


def test_staff_log_in_with_username_and_password(client, organizer):
    response = client.post(reverse("training:staff-login"), {"username": "organizer", "password": "secret-pass-123"})
    assert response.status_code == 302
    assert client.get("/").url == reverse("training:course-list")


def test_a_trainee_cannot_use_the_staff_login(client, trainee_user):
    response = client.post(reverse("training:staff-login"), {"username": trainee_user.username, "password": ""})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_resetting_the_code_ends_open_sessions(client, enrollment):
    trainee_login(client, "13900000001", "246810")
    assert client.get(reverse("attendance:me")).status_code == 200
    trainee = services.trainee_access_code_reset(trainee=enrollment.trainee)
    assert trainee.access_code != "246810"
    assert client.get(reverse("attendance:me")).status_code == 302  # back to the login page
    assert trainee_login(client, "13900000001", "246810").status_code == 200
    assert trainee_login(client, "13900000001", trainee.access_code).status_code == 302


def test_the_next_parameter_cannot_leave_the_site(client, enrollment):
    response = client.post(
        LOGIN + "?next=https://evil.example/",
        {"phone": "13900000001", "access_code": "246810", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("attendance:me")


def test_full_width_digits_in_the_code_are_accepted(client, enrollment):
    assert trainee_login(client, "13900000001", "２４６８１０").status_code == 302


def test_many_failures_from_one_address_make_it_wait_but_not_its_neighbours(
    client, settings, enrollment, other_enrollment
):
    """Guessing across many accounts from one address: after the (high) network cap, even a right
    code from that address waits; another address is not affected."""
    settings.LOGIN_NETWORK_MAX_FAILURES = 3
    for i in range(3):
        trainee_login(client, f"1380000{i:04d}", "000000", ip="10.9.9.9")  # three different accounts
    refused = trainee_login(client, "13900000001", "246810", ip="10.9.9.9")
    assert refused.status_code == 200 and "这个网络的登录失败次数过多" in refused.content.decode()
    assert not LoginLock.objects.filter(key="trainee:13900000001", locked_until__isnull=False).exists()
    assert trainee_login(client, "13900000002", "135790", ip="10.0.0.7").status_code == 302
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        from django.core.cache import cache

        cache.clear()  # the window has passed (the in-process cache does not follow the frozen clock)
        assert trainee_login(client, "13900000001", "246810", ip="10.9.9.9").status_code == 302


def test_stale_failure_counts_are_pruned_hourly_by_the_beat(client, enrollment, settings):
    """Every guessed phone number left a LoginLock row, never deleted."""
    from config.celery import app
    from training.tasks import login_locks_prune_task

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n in range(3):
            trainee_login(client, f"1370000000{n}", "000000")  # guesses
        for _ in range(5):
            trainee_login(client, "13900000001", "000000")  # locks the account
        assert LoginLock.objects.count() == 4
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        assert login_locks_prune_task.delay().get() == 0  # all still count
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert login_locks_prune_task.delay().get() == 4
    assert not LoginLock.objects.exists()
    [entry] = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"].endswith("login_locks_prune_task")]
    assert entry["task"] in app.tasks and entry["schedule"] <= 60 * 60


def test_a_lock_in_force_is_not_pruned(client, enrollment, settings):
    settings.LOGIN_LOCK_MINUTES = 15
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            trainee_login(client, "13900000001", "000000")
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert services.login_locks_prune() == 0
        assert "已临时锁定" in trainee_login(client, "13900000001", "246810").content.decode()


def test_the_systemd_web_unit_shares_the_counters():
    from pathlib import Path

    from django.conf import settings as django_settings

    unit = (Path(django_settings.BASE_DIR) / "deploy/systemd/training-web.service").read_text()
    assert "Environment=CACHE_URL=redis://" in unit
