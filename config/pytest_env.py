"""Loaded by pytest before Django (see `addopts` in pyproject.toml): the environment every test
run needs, without a .env file. Real deployments must set their own secret."""

import os
import tempfile

os.environ["DJANGO_READ_DOTENV"] = "false"
# Importing the settings writes nothing, so nothing makes var/ on a fresh clone: the Celery result
# store and the like of a test run live in a folder of its own.
os.environ.setdefault(
    "VAR_DIR", tempfile.mkdtemp(prefix="training-tests-")
)  # a developer's .env must not change what the tests use

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-never-used-in-production")
os.environ.setdefault("DJANGO_HTTPS", "false")  # the test client and live servers speak plain HTTP
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
