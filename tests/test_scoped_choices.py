"""Every foreign key a scoped administrator can post is limited by the scope policy: a record of the neighbouring
county (or any unit outside the subtree) is not a choice on any scoped admin form, so it can neither be written
nor be told to exist by the form's error."""

import pytest
from django.apps import apps
from django.forms import ModelChoiceField
from django.urls import reverse
from wagtail.admin.panels import get_edit_handler

from registry.factories import EnterpriseFactory
from registry.models import ChiefQualityOfficer, Organisation
from registry.scoping import ScopedModelMixin, scope, scope_for_user
from tests.test_scoping_sweep import all_factories

pytestmark = pytest.mark.django_db


def scoped_admin_forms():
    """The admin form class Wagtail builds for every scoped model (its own panels, the model's base form)."""
    for model in apps.get_models():
        if issubclass(model, ScopedModelMixin):
            yield model, get_edit_handler(model).bind_to_model(model).get_form_class()


def test_every_scoped_admin_form_offers_only_records_inside_the_subtree(orgs, make_admin):
    factories = all_factories()
    outside = {ChiefQualityOfficer.enterprise.field.related_model: EnterpriseFactory(region=orgs.qiaoxi.division)}
    for model in apps.get_models():
        if issubclass(model, ScopedModelMixin) and model in factories and model not in outside:
            record = factories[model]()  # the factories' records lie outside 长安区 (in 朝阳区)
            assert not record.is_within(orgs.changan.path)
            outside[model] = record
    county = make_admin(orgs.changan)
    checked = 0
    for model, form_class in scoped_admin_forms():
        with scope(scope_for_user(county)):
            form = form_class(for_user=county)
        for name, field in form.fields.items():
            if not isinstance(field, ModelChoiceField):
                continue
            target = field.queryset.model
            if target is Organisation:
                assert not field.queryset.filter(pk=orgs.qiaoxi.pk).exists(), f"{model.__name__}.{name}"
                checked += 1
            elif issubclass(target, ScopedModelMixin) and target in outside:
                assert not field.queryset.filter(pk=outside[target].pk).exists(), f"{model.__name__}.{name}"
                checked += 1
    assert checked, "no scoped foreign key was checked"


def test_a_county_cannot_file_an_officer_on_the_neighbours_enterprise(client, orgs, make_admin):
    neighbours = EnterpriseFactory(region=orgs.qiaoxi.division, name="桥西区邻居企业")
    client.force_login(make_admin(orgs.changan))
    data = {"enterprise": neighbours.pk, "real_name": "越界录入", "gender": "M", "mobile": "13811113333"}
    response = client.post(reverse("wagtailsnippets_registry_chiefqualityofficer:add"), {**data, "enabled": "on"})
    assert response.status_code == 200
    assert not ChiefQualityOfficer.unscoped.filter(real_name="越界录入").exists()
    # The error is the one for any invalid choice: it does not tell whether the id exists elsewhere.
    missing = client.post(reverse("wagtailsnippets_registry_chiefqualityofficer:add"), {**data, "enterprise": 10**9})
    errors = response.context["form"].errors["enterprise"]
    assert errors == missing.context["form"].errors["enterprise"]
