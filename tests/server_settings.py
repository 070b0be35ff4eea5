"""The site's settings for the gunicorn servers that tests/test_two_servers.py starts: the
static files served as they are (the manifest of production needs collectstatic) and the
tests' fast password hasher, so the test can sign people in by the form."""

from agentnet.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
