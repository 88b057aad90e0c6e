"""Personas and test-wide settings. Every test runs with frozen time where time matters, the
fast password hasher, and uploads in a temporary folder."""

import os
import socket
from urllib.parse import urlparse

import pytest

from config.celery import app as celery_app

CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def django_db_modify_db_settings(tmp_path_factory):
    """SQLite tests use a file, not Django's shared in-memory database: threads (the concurrent
    check-in tests) then meet real file locking, as in production, instead of shared-cache
    'table is locked' errors that a busy timeout does not wait out."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("sqlite") / "test.sqlite3")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters (the in-process cache) do not carry over from one test to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _eager_celery():
    """Unit tests run tasks in-process; tests marked `services` use a real worker instead."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def service_reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port), timeout=2):
            return True
    except OSError:
        return False


def require_service(env_name: str) -> str:
    """The URL of a real service for this test; skipped when it is not configured, except under
    CI=true, where a missing service fails the run."""
    url = os.environ.get(env_name, "")
    if url and service_reachable(url):
        return url
    message = f"{env_name} is not set or not reachable"
    if CI:
        pytest.fail(f"{message}, and CI=true requires it")
    pytest.skip(message)


# --- Real worker processes ---------------------------------------------------------------------------


def start_worker(settings, queue: str, *, name: str | None = None, env: dict | None = None):
    """A Celery worker process (solo pool) on Redis, on `queue`, with the test database and media;
    returns (process, node name) once it answers a ping."""
    import subprocess
    import sys
    import time

    redis_url = require_service("REDIS_URL")
    name = name or f"{queue}@localhost"
    database = settings.DATABASES["default"]
    environment = {
        **os.environ,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        **(env or {}),
    }
    if database["ENGINE"].endswith("postgresql"):
        environment["DATABASE_URL"] = (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        )
    else:
        environment["DATABASE_URL"] = f"sqlite:///{database['NAME']}"
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queue, "-n", name]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING"]
    process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=environment)
    celery_app.conf.task_always_eager = False
    deadline = time.monotonic() + 60
    while not celery_app.control.ping(destination=[name], timeout=1):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("the worker did not start within 60 s")
    return process, name


# --- Personas ------------------------------------------------------------------------------------


@pytest.fixture
def organization(db):
    from training.tests.factories import OrganizationFactory

    return OrganizationFactory(name="青山县总工会")


@pytest.fixture
def organizer(organization):
    from training.tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username="organizer", first_name="李晓燕")
    MembershipFactory(user=user, organization=organization)
    return user


@pytest.fixture
def advisor(organization, course):
    from training.models import Membership
    from training.tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username="advisor", first_name="王海涛")
    MembershipFactory(user=user, organization=organization, role=Membership.Role.ADVISOR)
    course.advisors.add(user)
    return user


@pytest.fixture
def course(organization):
    from training.tests.factories import CourseFactory

    return CourseFactory(organization=organization, code="QS2026-01", name="2026年全县基层工会干部培训班")


@pytest.fixture
def enrollment(course):
    from training.tests.factories import EnrollmentFactory, TraineeFactory

    trainee = TraineeFactory(name="张丽华", phone="13900000001", access_code="246810")
    return EnrollmentFactory(course=course, trainee=trainee, student_no="001")


@pytest.fixture
def trainee_user(enrollment):
    from training import services

    return services.trainee_user_ensure(trainee=enrollment.trainee)


@pytest.fixture
def other_enrollment(course):
    from training.tests.factories import EnrollmentFactory, TraineeFactory

    trainee = TraineeFactory(name="陈建国", phone="13900000002", access_code="135790")
    return EnrollmentFactory(course=course, trainee=trainee, student_no="002", group="第二组")


@pytest.fixture
def other_organizer(db):
    """An organizer of another county's federation."""
    from training.tests.factories import MembershipFactory, OrganizationFactory, UserFactory

    user = UserFactory(username="other-organizer", first_name="外县组织者")
    MembershipFactory(user=user, organization=OrganizationFactory(name="石门县总工会"))
    return user


# --- Browser tests ---------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium: Playwright cannot download its own browsers here."""
    if not os.path.exists(CHROMIUM):
        if CI:
            pytest.fail(f"{CHROMIUM} is missing (make test installs Debian's chromium)")
        pytest.skip(f"{CHROMIUM} is missing")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def screenshot(request):
    """Saves a full-page screenshot when SCREENSHOT_DIR is set, for looking at pages by eye."""
    folder = os.environ.get("SCREENSHOT_DIR")

    def take(page, name):
        if folder:
            os.makedirs(folder, exist_ok=True)
            page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)

    return take


@pytest.fixture(autouse=True)
def _no_csp_violations(request):
    """In browser tests, every page of every context the test opens must load without breaking the
    Content-Security-Policy (an inline script or a foreign source would be reported here)."""
    if "browser" not in request.keywords:
        yield
        return
    violations = []

    def watch(context):
        context.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text or "Refused to" in message.text
                else None
            ),
        )
        return context

    browser = request.getfixturevalue("browser")
    new_context = browser.new_context
    browser.new_context = lambda *args, **kwargs: watch(new_context(*args, **kwargs))
    yield
    browser.new_context = new_context
    assert violations == [], violations
