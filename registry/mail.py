"""E-mails rendered from templates, each in its recipient's language, with links on the configured site address."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from wagtail.users.models import UserProfile


def language_of(user):
    """The language ``user`` chose (the site's default without a choice): never the language of whoever acts."""
    try:
        return (user and user.wagtail_userprofile.preferred_language) or settings.LANGUAGE_CODE
    except UserProfile.DoesNotExist:
        return settings.LANGUAGE_CODE


def site_url(path):
    """An absolute link for an e-mail: never the address a request happened to arrive on."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_templated_mail(template, context, email, user=None):
    """Send ``<template>_subject.txt`` and ``<template>.txt`` to ``email`` in ``user``'s language."""
    with translation.override(language_of(user)):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    send_mail(subject, body, None, [email])
