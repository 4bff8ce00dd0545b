"""Local development: debug on, a fixed key, console e-mail and SMS."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: F405
# Fixed, public keys: a development database stays readable across restarts (production refuses to start without
# its own, cqosite.settings.production).
FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or [fixed_key("dev-fields")]  # noqa: F405
FIELD_HASH_KEY = FIELD_HASH_KEY or fixed_key("dev-hash")  # noqa: F405
