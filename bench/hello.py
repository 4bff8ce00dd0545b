"""The baseline of the load test: a bare Django view behind the site's own settings and middleware.

Served by gunicorn exactly like the portal (``gunicorn bench.hello:application``), so the ratio of a portal
page to this view isolates what the page itself costs: site lookup, routing, queries and templates.
This module is both the WSGI application and its URLconf.
"""

import os

import django
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpResponse
from django.urls import path


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain; charset=utf-8")


urlpatterns = [path("", hello)]

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqosite.settings.dev")
django.setup(set_prefix=False)
settings.ROOT_URLCONF = __name__
application = WSGIHandler()
