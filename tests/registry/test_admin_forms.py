"""The enterprise form's long region and industry lists: Django's markup, written without a template per option."""

from unittest import mock

import pytest
from django import forms
from django.db import connection
from django.db.models import Q
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext

from registry.admin_forms import EnterpriseForm, LongSelect, UnitChoiceField
from registry.factories import EnterpriseFactory
from registry.models import Division, Organisation


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


@pytest.mark.django_db
def test_unit_options_are_the_units_path_labels_in_two_queries_without_a_model_per_unit(orgs):
    """The national bureau's filter lists its whole tree: building an Organisation per option was most of a page."""
    units = Organisation.objects.filter(Q(path__startswith=orgs.shijiazhuang.path) | Q(pk=orgs.national.pk))
    labels = Organisation.path_labels(units.select_related("division").order_by("path"))
    field = UnitChoiceField(queryset=units, empty_label="---")
    with mock.patch.object(Organisation, "from_db", wraps=Organisation.from_db) as built:
        with CaptureQueriesContext(connection) as queries:
            choices = [choice for choice in field.choices]  # list() would count them first
        html = field.widget.render("organisation", orgs.changan.pk, {"id": "id_organisation"})
    assert built.call_count == 0
    assert len(queries) == 2  # the units, then their ancestors outside them
    assert [(value, label) for value, label in choices] == [("", "---"), *labels.items()]
    assert labels[orgs.changan.pk] == "河北省 / 石家庄市 / 长安区市场监督管理局"
    assert f'<option value="{orgs.changan.pk}" selected>河北省 / 石家庄市 / 长安区市场监督管理局</option>' in html


@pytest.mark.django_db
def test_the_officer_filters_industry_list_is_written_once_and_reads_as_every_options_would():
    """The industry filter's nearly 2,000 options are written once per process: each listing then costs no escaping
    or normalising of them, and the markup (the chosen node selected) is what writing every option gives."""
    from registry.admin_forms import SearchableSelect
    from registry.officers import filters
    from registry.officers.filters import IndustrySelect, OfficerFilterSet

    filters._industry_options.clear()
    for value in (None, "", "C", "3421", "<not-a-code>"):
        field = OfficerFilterSet({"industry": value} if value else {}).form["industry"]
        written = field.as_widget()
        assert isinstance(field.field.widget, IndustrySelect)
        attrs = {"id": "id_industry", "aria-describedby": "id_industry_helptext"}
        if field.errors:  # "<not-a-code>"
            attrs.update({"aria-invalid": "true", "aria-describedby": "id_industry_helptext id_industry_error"})
        plain = SearchableSelect(choices=field.field.choices).render("industry", value, attrs=attrs)
        assert parse_html(written) == parse_html(plain), value
        if value in ("C", "3421"):
            assert f'<option value="{value}" selected>' in written and written.count(" selected") == 1
    with mock.patch.object(filters, "option_tag", wraps=filters.option_tag) as written_now:
        OfficerFilterSet({"industry": "3421"}).form["industry"].as_widget()
    assert written_now.call_count == 1  # the empty choice alone
