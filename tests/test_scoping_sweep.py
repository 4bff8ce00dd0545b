"""The scoping sweep: every admin URL that names one object refuses objects outside the user's subtree.

It enumerates the URL patterns under /admin/ (so a new viewset is covered without touching this file),
creates one record of every scoped model with the apps' own factories, and requests each object URL —
GET and POST — as administrators of a sibling unit and of a unit below the record's own. Each request
must answer 404 or 403 (or Wagtail's permission redirect to the dashboard) and leave the record as it
was. An object URL whose model has no factory fails the test, so nothing escapes the sweep unnoticed.
"""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.forms.models import model_to_dict
from django.urls import URLPattern, URLResolver, get_resolver
from factory.django import DjangoModelFactory

from registry.factories import AdministratorFactory
from registry.models import Administrator, Organisation, Role
from registry.scoping import ScopedModelMixin, unscoped

ROOT = Path(__file__).resolve().parent.parent
PK_KWARGS = ("pk", "object_id", "id", "instance_pk", "application_id", "unit_id", "filing_id")
#: URL kwargs other than the object's key, filled with harmless values.
EXTRA_KWARGS = {"action_name": "approve", "task_state_id": 1, "revision_id": 1, "workflow_state_id": 1, "task_id": 1}
DENIED = (403, 404)


def all_factories():
    found = {}
    for path in ROOT.glob("**/factories.py"):
        if ".venv" in path.parts or "var" in path.parts:
            continue
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, DjangoModelFactory) and value._meta.model:
                found.setdefault(value._meta.model, value)
    return found


def _walk(patterns, prefix):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def admin_object_urls():
    """(route, pattern, model, key name) for admin patterns that take an object key."""
    for route, entry in _walk(get_resolver().url_patterns, ""):
        if not route.startswith("admin/"):
            continue
        keys = [k for k in entry.pattern.converters if k in PK_KWARGS]
        if not keys:
            continue
        model = model_of(entry.callback)
        if model is not None:
            yield route, entry, model, keys[0]


def model_of(callback):
    initkwargs = getattr(callback, "view_initkwargs", {}) or {}
    model = initkwargs.get("model") or getattr(getattr(callback, "view_class", None), "model", None)
    if model is None and hasattr(callback, "__self__"):
        model = getattr(callback.__self__, "model", None)
    if isinstance(model, str):
        model = apps.get_model(model)
    return model if isinstance(model, type) else None


def organisation_of(record):
    if isinstance(record, Organisation):
        return record
    node = record
    for part in filter(None, getattr(record, "scope_lookup", "organisation").split("__")):
        node = getattr(node, part)
    return node


def attackers(organisation):
    """Administrators of a sibling unit and of a unit below the record's, in roles that could edit it."""
    parent = organisation.get_parent()
    siblings = (parent.get_children() if parent else Organisation.get_root_nodes()).exclude(pk=organisation.pk)
    positions = []
    sibling = siblings.first() or Organisation.objects.get(division_id="110000")
    positions.append(sibling)
    child = organisation.get_children().first()
    if child is not None:
        positions.append(child)
    role = Role.PROVINCIAL
    return [AdministratorFactory(organisation=unit, role=role) for unit in positions]


def snapshot(record):
    with unscoped():
        fresh = type(record)._base_manager.filter(pk=record.pk).first()
    return None if fresh is None else model_to_dict(fresh)


@pytest.fixture
def records(db, orgs):
    """One record per scoped model (plus an organisation and an administrator), made by the app factories."""
    factories = all_factories()
    made = {Organisation: orgs.changan, Administrator: AdministratorFactory(organisation=orgs.changan)}
    missing = []
    for model in apps.get_models():
        if issubclass(model, ScopedModelMixin):
            factory = factories.get(model)
            if factory is None:
                missing.append(model._meta.label)
                continue
            with unscoped():
                made[model] = factory()
    return made, missing


def test_every_scoped_model_has_a_factory(records):
    _made, missing = records
    assert not missing, f"scoped models without a factory (the sweep cannot cover them): {missing}"


def test_no_object_url_reaches_outside_the_subtree(client, records):
    made, _missing = records
    swept, failures = 0, []
    urls = list(admin_object_urls())
    for route, entry, model, key in urls:
        target_model = next((m for m in made if issubclass(model, m) or issubclass(m, model)), None)
        if target_model is None:
            continue
        record = made[target_model]
        before = snapshot(record)
        for attacker in attackers(organisation_of(record)):
            client.force_login(attacker)
            kwargs = {name: EXTRA_KWARGS.get(name, 1) for name in entry.pattern.converters}
            kwargs[key] = record.pk
            url = "/" + route
            for name, value in kwargs.items():
                url = url.replace(f"<int:{name}>", str(value)).replace(f"<str:{name}>", str(value))
                url = url.replace(f"<path:{name}>", str(value)).replace(f"<slug:{name}>", str(value))
            for method in ("get", "post"):
                response = getattr(client, method)(url, HTTP_ACCEPT="text/html")
                swept += 1
                redirected_home = response.status_code == 302 and response["Location"] in ("/admin/", "/admin")
                get_only = method == "post" and response.status_code == 405
                if response.status_code not in DENIED and not redirected_home and not get_only:
                    failures.append(f"{method.upper()} {url} as {attacker.organisation} → {response.status_code}")
            assert snapshot(record) == before, f"{url} changed {record!r}"
    print(f"swept {len(urls)} object URL patterns with {swept} requests")  # noqa: T201 - figure for docs/security.md
    assert swept > 50, f"only {swept} requests swept: the URL enumeration found too little"
    assert not failures, "\n".join(failures)


def admin_listing_urls():
    """(route, model) for admin listings (index and its results view) of models."""
    for route, entry in _walk(get_resolver().url_patterns, ""):
        if route.startswith("admin/") and not entry.pattern.converters:
            model = model_of(entry.callback)
            view_class = getattr(entry.callback, "view_class", None)
            if model is not None and view_class is not None and hasattr(view_class, "get_queryset"):
                yield route, model


def test_no_listing_shows_records_outside_the_subtree(client, records):
    made, _missing = records
    checked, failures = 0, []
    for route, model in admin_listing_urls():
        target_model = next((m for m in made if issubclass(model, m) or issubclass(m, model)), None)
        if target_model is None:
            continue
        record = made[target_model]
        for attacker in attackers(organisation_of(record)):
            client.force_login(attacker)
            response = client.get("/" + route, HTTP_ACCEPT="text/html")
            if response.status_code != 200 or response.context is None:
                continue
            listed = response.context.get("object_list")
            if listed is None:
                continue
            checked += 1
            if any(getattr(item, "pk", None) == record.pk and isinstance(item, target_model) for item in listed):
                failures.append(f"/{route} lists {record!r} to {attacker.organisation}")
    assert checked >= 3
    assert not failures, "\n".join(failures)
