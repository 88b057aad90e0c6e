"""The settings module, imported in a fresh process as a deployment would: a mistyped boolean or
number stops the start and names the variable, importing writes no file, and the secret key comes
from the environment or from the one explicit step that makes it (scripts/secret-key.sh)."""

import os
import stat
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PRINT_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"


def bare_environment(var_dir: Path, **values: str) -> dict[str, str]:
    """The environment without any of our settings (nor a developer's .env), plus `values`."""
    ours = ("DJANGO_", "DATABASE_", "REDIS_URL", "CACHE_URL", "CELERY_", "VAR_DIR", "MEDIA_ROOT", "SITE_URL")
    env = {key: value for key, value in os.environ.items() if not key.startswith(ours)}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_READ_DOTENV": "false",
        "VAR_DIR": str(var_dir),
        **values,
    }


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)


def test_a_mistyped_boolean_stops_the_start_naming_the_variable(tmp_path):
    env = bare_environment(tmp_path, DJANGO_SECRET_KEY="x" * 50, DJANGO_HTTPS="ture")
    result = run([sys.executable, "manage.py", "check"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "环境变量 DJANGO_HTTPS 的值 'ture' 不是布尔值" in result.stderr


def test_booleans_take_the_usual_words_in_any_case_and_empty_means_the_default(tmp_path):
    show = "from django.conf import settings; print(settings.SECURE_SSL_REDIRECT, settings.DEBUG)"
    for word, https in [(" Yes ", True), ("ON", True), ("1", True), ("off", False), ("0", False), ("No", False)]:
        env = bare_environment(tmp_path, DJANGO_SECRET_KEY="x" * 50, DJANGO_HTTPS=word, DJANGO_DEBUG="")
        assert run([sys.executable, "-c", show], env).stdout.split() == [str(https), "False"], word


def test_a_mistyped_number_stops_the_start_naming_the_variable(tmp_path):
    env = bare_environment(tmp_path, DJANGO_SECRET_KEY="x" * 50, LOGIN_MAX_FAILURES="5次")
    result = run([sys.executable, "manage.py", "check"], env)
    assert result.returncode != 0
    assert "环境变量 LOGIN_MAX_FAILURES 的值 '5次' 不是整数" in result.stderr
    env["LOGIN_MAX_FAILURES"] = " 7 "
    shown = run([sys.executable, "-c", "from django.conf import settings; print(settings.LOGIN_MAX_FAILURES)"], env)
    assert shown.stdout.strip() == "7"


def test_importing_the_settings_writes_no_file(tmp_path):
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    env = bare_environment(var_dir, DJANGO_SECRET_KEY="x" * 50)
    result = run([sys.executable, "manage.py", "check"], env)
    assert result.returncode == 0, result.stderr
    assert list(var_dir.iterdir()) == []

    missing = tmp_path / "missing"
    result = run([sys.executable, "manage.py", "check"], bare_environment(missing, DJANGO_SECRET_KEY="x" * 50))
    assert result.returncode == 0, result.stderr
    assert not missing.exists()


def test_without_a_key_the_site_does_not_start_and_check_names_the_step_that_makes_one(tmp_path):
    for debug in ("true", "false"):
        env = bare_environment(tmp_path, DJANGO_DEBUG=debug)
        result = run([sys.executable, "-c", "import config.wsgi"], env)
        assert result.returncode != 0
        assert "DJANGO_SECRET_KEY" in result.stderr and "scripts/secret-key.sh" in result.stderr
        checked = run([sys.executable, "manage.py", "check"], env)  # commands that sign nothing still run
        assert checked.returncode == 0, checked.stderr
        assert "core.W004" in checked.stderr and "scripts/secret-key.sh" in checked.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_key_step_makes_a_key_only_its_owner_reads_and_keeps_it(tmp_path):
    var_dir = tmp_path / "var"
    env = bare_environment(var_dir)
    assert run(["scripts/secret-key.sh"], env).returncode == 0
    key_file = var_dir / "secret-key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text()
    assert len(key.strip()) >= 50
    assert [path.name for path in var_dir.iterdir()] == ["secret-key"]  # no draft left behind

    again = run(["scripts/secret-key.sh"], env)
    assert again.returncode == 0, again.stderr
    assert key_file.read_text() == key
    assert run([sys.executable, "-c", PRINT_KEY], env).stdout.strip() == key.strip()

    other = bare_environment(tmp_path / "other", DJANGO_SECRET_KEY="from-the-environment")
    assert run(["scripts/secret-key.sh"], other).returncode == 0
    assert list((tmp_path / "other").iterdir()) == []  # the key set in the environment wins; no file
    assert run([sys.executable, "-c", PRINT_KEY], {**other, "VAR_DIR": str(var_dir)}).stdout.strip() == (
        "from-the-environment"
    )
