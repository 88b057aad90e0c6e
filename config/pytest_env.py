"""Loaded by pytest before Django (see `addopts` in pyproject.toml): the environment every test
run needs, without a .env file. Real deployments must set their own secret."""

import os

os.environ["DJANGO_READ_DOTENV"] = "false"  # a developer's .env must not change what the tests use

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-never-used-in-production")
os.environ.setdefault("DJANGO_HTTPS", "false")  # the test client and live servers speak plain HTTP
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
