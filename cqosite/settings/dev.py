"""Local development: debug on, a fixed key, console e-mail and SMS."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: F405
