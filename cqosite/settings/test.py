"""Test runs: fast hashing, captcha in test mode, in-process tasks, no axes lockout noise."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CAPTCHA_TEST_MODE = True
# Tests of other features sign in without an authenticator; tests/registry/test_two_factor.py turns this on.
TWO_FACTOR_REQUIRED = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "registry.sms.MemorySMSBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# django-simple-captcha logs an error at import when test mode runs without DEBUG; tests want exactly that mode.
LOGGING = {
    **LOGGING,  # noqa: F405
    "loggers": {"captcha.conf.settings": {"level": "CRITICAL", "propagate": False}},
}
# Fixed, public keys: a development database stays readable across restarts (production refuses to start without
# its own, cqosite.settings.production).
FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or [fixed_key("test-fields")]  # noqa: F405
FIELD_HASH_KEY = FIELD_HASH_KEY or fixed_key("test-hash")  # noqa: F405
