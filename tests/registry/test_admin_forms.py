"""The enterprise form's long region and industry lists: Django's markup, written without a template per option."""

import pytest
from django import forms
from django.test.html import parse_html

from registry.admin_forms import EnterpriseForm, LongSelect
from registry.factories import EnterpriseFactory
from registry.models import Division


@pytest.mark.django_db
def test_long_select_writes_what_django_select_writes():
    field = forms.ModelChoiceField(queryset=Division.objects.filter(code__startswith="1301").order_by("code"))
    attrs = {"id": "id_region", "required": True, "data-controller": "w-x"}
    for value in ("130102", None, "<not-a-code>"):
        django = forms.Select(choices=field.choices).render("region", value, attrs=attrs)
        ours = LongSelect(choices=field.choices).render("region", value, attrs=attrs)
        assert parse_html(ours) == parse_html(django)
    escaped = LongSelect(choices=[("a&b", "<甲>")]).render("x", "a&b")
    assert escaped == '<select name="x"><option value="a&amp;b" selected>&lt;甲&gt;</option></select>'


@pytest.mark.django_db
def test_enterprise_form_keeps_the_chosen_region_and_industry(make_admin, orgs):
    enterprise = EnterpriseFactory(region_id="130102")
    form = EnterpriseForm(instance=enterprise, for_user=make_admin(orgs.hebei))
    html = str(form["region"])
    assert '<option value="130102" selected>' in html and html.count(" selected") == 1
    assert isinstance(form.fields["industry"].widget, LongSelect)
