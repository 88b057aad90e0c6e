"""Settings for 工会干部培训班管理系统.

One module for every environment: deployments differ by environment variables, never by files.
Every variable is listed with its default in `.env.example`; a value that is not of its kind (a
boolean, a whole number) stops the start, naming the variable. Importing this module reads files
(.env, the secret key) and writes none. Test-only overrides live in conftest.py.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """true/false, 1/0, yes/no or on/off in any case; unset or empty gives the default. Anything
    else stops the start: DJANGO_HTTPS=ture must not quietly mean false."""
    value = os.environ.get(name, "")
    word = value.strip().lower()
    if not word:
        return default
    if word in {"true", "1", "yes", "on"}:
        return True
    if word in {"false", "0", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"环境变量 {name} 的值 {value!r} 不是布尔值（可用 true/false）")


def env_int(name: str, default: int) -> int:
    """A whole number; unset or empty gives the default, anything else stops the start."""
    value = os.environ.get(name, "")
    if not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"环境变量 {name} 的值 {value!r} 不是整数") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _load_dotenv(path: Path) -> None:
    """Read KEY=VALUE lines from .env without overriding the real environment."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


if env_bool("DJANGO_READ_DOTENV", True):  # the test suite sets it to false
    _load_dotenv(BASE_DIR / ".env")

# SQLite files, uploads, the beat schedule and the secret key; a relative path is taken from the
# project directory. Nothing here creates it: scripts/secret-key.sh does (`make run` runs it).
VAR_DIR = BASE_DIR / (os.environ.get("VAR_DIR") or "var")


SECRET_KEY_MISSING = (
    f"没有密钥：请设置环境变量 DJANGO_SECRET_KEY，或运行 scripts/secret-key.sh 生成 {VAR_DIR / 'secret-key'}"
    "（make run 会自动运行）"
)


def _secret_key() -> str:
    """DJANGO_SECRET_KEY, else this installation's own random key in VAR_DIR/secret-key, made once
    by scripts/secret-key.sh. Only read here (importing the settings writes no file), and there is
    no default key: without either it stays empty, so commands that sign nothing (makemigrations,
    check, migrate) still run, while serving refuses to start (config/wsgi.py) and anything that
    signs fails (Django will not read an empty SECRET_KEY); `check` says what to do (core.W004)."""
    if key := os.environ.get("DJANGO_SECRET_KEY", ""):
        return key
    try:
        return (VAR_DIR / "secret-key").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "core",
    "training",
    "attendance",
    "materials",
    "registration",
    "assessment",
    "completion",
    "evaluation",
    "lodging",
    "notifications",
    "documents",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.ControlCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "training.context_processors.roles",
                "core.context_processors.site",
            ],
        },
    },
    {
        # Plain text (SMS, the group robot, email): nothing is HTML-escaped ("&lt;" on a phone).
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {"autoescape": False},
    },
]

# Database: a SQLite file by default (make run on a bare machine), PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the Celery worker read while one of them writes; IMMEDIATE
    # transactions take the write lock up front so concurrent writers wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "training.backends.StaffBackend",
    "training.backends.TraineeBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "training:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "training:login"

# Login lockout, counted per account (phone or username); per IP only as a high cap, since a whole
# class shares one classroom Wi-Fi address.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
# Failed logins from one network address in 10 minutes before it must wait; a classroom shares one.
LOGIN_NETWORK_MAX_FAILURES = env_int("LOGIN_NETWORK_MAX_FAILURES", 200)
LOGIN_LOCK_MINUTES = env_int("LOGIN_LOCK_MINUTES", 15)

# The address trainees' phones reach the site at, e.g. http://10.20.1.5:8000, for the links in QR
# codes. Unset: the address the classroom screen itself was opened with.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads: a roster of 5,000 rows is well under 2 MB; refuse anything much larger.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
ROSTER_MAX_UPLOAD_BYTES = env_int("ROSTER_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)

SESSION_COOKIE_AGE = 60 * 60 * 24 * 7  # a residential course lasts a few days; one login per course
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# HTTPS is the default outside DEBUG: secure cookies, redirect to https, HSTS for a year, so that
# `check --deploy` is clean. A course intranet served over plain HTTP (no certificate) sets
# DJANGO_HTTPS=false; behind a TLS-terminating proxy set DJANGO_BEHIND_PROXY=true as well.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container healthcheck asks over plain HTTP inside the box
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = HTTPS
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)  # also: client addresses from X-Forwarded-For
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Every HTML page: scripts and styles from our own static files only (no inline scripts; inline
# style attributes are allowed for widths and bars), no frames, forms post only here.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'"
)

# Rate limits and other short-lived counters: Redis when CACHE_URL is set (every web process counts
# together), otherwise in each process's memory.
if CACHE_URL := os.environ.get("CACHE_URL", ""):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# Celery: Redis when REDIS_URL is set (deployment, CI); otherwise an embedded broker in a SQLite
# file, so `make run` needs no server.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = os.environ.get(
    "CELERY_BROKER_URL", REDIS_URL or f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
)
CELERY_RESULT_BACKEND = os.environ.get(
    "CELERY_RESULT_BACKEND", REDIS_URL or f"db+sqlite:///{VAR_DIR / 'celery-results.sqlite3'}"
)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# The one beat schedule of the project.
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {
        "task": "notifications.tasks.notifications_sweep_task",
        "schedule": 60,
        "options": {"expires": 55},  # sweeps missed while no worker ran do not pile up
    },
    "meals-freeze": {
        "task": "lodging.tasks.meals_freeze_task",
        "schedule": 5 * 60,  # a meal's count is stored within five minutes of its cut-off
        "options": {"expires": 290},
    },
    "purge-pending-uploads": {
        "task": "core.tasks.uploads_purge_task",
        "schedule": 60 * 60,
    },
    "prune-login-locks": {
        "task": "training.tasks.login_locks_prune_task",
        "schedule": 60 * 60,
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Notifications (提醒). A claimed message not marked sent within the lease is claimed again (its
# worker died); a transient failure is retried up to NOTIFICATION_MAX_ATTEMPTS times with backoff.
NOTIFICATION_LEASE_SECONDS = env_int("NOTIFICATION_LEASE_SECONDS", 120)
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 5)
NOTIFICATION_BATCH = env_int("NOTIFICATION_BATCH", 100)
# The console channel (the default when a recipient has no email and no SMS gateway is set)
# appends JSON lines to this file when set, else logs them.
NOTIFICATION_CONSOLE_FILE = os.environ.get("NOTIFICATION_CONSOLE_FILE", "")
# An HTTP SMS gateway: a JSON POST {"phone", "text"} with an optional bearer token.
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
# Networks the server may send to although they are private or loopback (core/outbound.py): e.g.
# "10.20.0.0/16" for an SMS gateway on the intranet. Comma-separated; empty by default.
OUTBOUND_ALLOWED_NETWORKS = [n.strip() for n in os.environ.get("OUTBOUND_ALLOWED_NETWORKS", "").split(",") if n.strip()]
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "training@localhost")
# A send must finish well within the lease, or another worker would claim the message again.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},  # a line per rendering step otherwise
        "fontTools": {"level": "WARNING"},
    },
}
