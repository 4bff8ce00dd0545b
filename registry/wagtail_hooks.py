"""Admin registration for the registry: organisations, administrators, enterprises, reference data."""

from .officers import wagtail_hooks as officer_hooks  # noqa: F401 - registers the officer admin
