"""Deployment security: production settings pass `check --deploy` with no warnings, every HTML
page carries a Content-Security-Policy (walked in attendance/tests/test_pages.py), no template has
an inline script or event handler."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CACHE_URL"))
    }
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="peixun.example.gov.cn",
        SITE_URL="https://peixun.example.gov.cn",
        CACHE_URL="redis://127.0.0.1:6379/1",  # only named, not reached by the check
        DJANGO_READ_DOTENV="false",
        VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    without = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env={**env, "SITE_URL": ""}, capture_output=True, text=True
    )
    assert "core.W001" in without.stdout + without.stderr  # printed QR codes would have no address
    per_process = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env={**env, "CACHE_URL": ""},
        capture_output=True,
        text=True,
    )
    assert "core.W002" in per_process.stdout + per_process.stderr  # login limits counted per worker


def test_plain_http_is_a_choice_the_deploy_check_names(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="10.20.1.5",
        DJANGO_HTTPS="false",
        DJANGO_READ_DOTENV="false",
        VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    said = result.stdout + result.stderr
    assert "security.W008" in said and "security.W012" in said  # no redirect to https, cookies in the clear


def test_without_a_key_commands_that_sign_nothing_run_and_the_site_refuses_to_start(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(DJANGO_READ_DOTENV="false", VAR_DIR=str(tmp_path / "var"))  # no key file there

    def run(*args):
        return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True)

    migrations = run("manage.py", "makemigrations", "--check", "--dry-run")
    assert migrations.returncode == 0 and "No changes detected" in migrations.stdout, migrations.stderr
    assert "core.W004" in migrations.stderr and "scripts/secret-key.sh" in migrations.stderr
    site = run("-c", "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; import config.wsgi")
    assert site.returncode != 0 and "没有密钥" in site.stderr
    assert not (tmp_path / "var").exists()  # and nothing was written


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b[^>]*>", text):
            if "src=" not in match.group(0):
                offenders.append(f"{path}: {match.group(0)}")
        offenders += [f"{path}: {m}" for m in re.findall(r"\son[a-z]+\s*=\s*[\"']", text)]
        offenders += [f"{path}: {m}" for m in re.findall(r"\bhx-on\S*", text)]
    assert offenders == []


def test_responses_carry_the_policy_and_the_security_headers(client):
    response = client.get("/staff/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_behind_our_proxy_the_client_is_the_address_it_saw(rf, settings):
    from core.ratelimit import client_ip

    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.20.1.77")
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "127.0.0.1"  # a forwarded header from anyone else is ignored
    settings.BEHIND_PROXY = True
    assert client_ip(request) == "10.20.1.77"  # the last hop, added by our proxy; 6.6.6.6 may be forged
