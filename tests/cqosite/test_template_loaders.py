"""Compiled templates with fixed translations and static URLs written in (cqosite.template_loaders)."""

import pytest
from django.template import Context, Engine, engines
from django.templatetags.i18n import TranslateNode
from django.templatetags.static import StaticNode, static
from django.utils import translation

from cqosite.template_loaders import FixedTranslationNode, Loader

PAGE = (
    "{% load i18n static %}<link href=\"{% static 'css/portal.css' %}\"><h1>{% translate 'Search' %}</h1>"
    "{% if shown %}<a>{% translate 'Reset' %}</a>{% else %}{% translate 'Reset' %}{% endif %}"
    "{% language 'en' %}<i>{% translate 'Search' %}</i>{% endlanguage %}"
    "{% translate 'Search' as label %}<b>{{ label }}</b>"
)


def engine():
    return Engine(
        loaders=[("cqosite.template_loaders.Loader", [("django.template.loaders.locmem.Loader", {"page.html": PAGE})])],
        libraries={"i18n": "django.templatetags.i18n", "static": "django.templatetags.static"},
    )


def test_fixed_texts_are_written_in_and_each_language_rendered_by_its_own_text():
    templates = engine()
    with translation.override("zh-hans"):
        template = templates.get_template("page.html")
    # Left as tags: the one in a {% language %} block, and the one stored in a variable.
    left = template.nodelist.get_nodes_by_type(TranslateNode)
    assert [(node.asvar, node.filter_expression.var.literal) for node in left] == [
        (None, "Search"),
        ("label", "Search"),
    ]
    assert len(template.nodelist.get_nodes_by_type(FixedTranslationNode)) == 3
    assert not template.nodelist.get_nodes_by_type(StaticNode)
    link = f'<link href="{static("css/portal.css")}">'
    with translation.override("zh-hans"):
        assert template.render(Context({"shown": True})) == f"{link}<h1>搜索</h1><a>重置</a><i>Search</i><b>搜索</b>"
        assert template.render(Context({"shown": False})) == f"{link}<h1>搜索</h1>重置<i>Search</i><b>搜索</b>"
    # Compiled once: kept and rendered in another language (as Wagtail keeps its columns' templates), it shows
    # that language's texts.
    with translation.override("en"):
        assert templates.get_template("page.html") is template
        expected = f"{link}<h1>Search</h1><a>Reset</a><i>Search</i><b>Search</b>"
        assert template.render(Context({"shown": True})) == expected
    with translation.override("zh-hans"):
        assert template.render(Context({"shown": True})) == f"{link}<h1>搜索</h1><a>重置</a><i>Search</i><b>搜索</b>"


def test_the_site_loads_templates_through_it():
    assert isinstance(engines["django"].engine.template_loaders[0], Loader)


@pytest.mark.django_db
def test_a_page_in_each_language_shows_its_own_text(client):
    """A page rendered in one language, then in the other: each shows its own texts."""
    chinese = client.get("/standards/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    english = client.get("/standards/?_=1", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    again = client.get("/standards/?_=2", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<h1>企业产品标准自我声明公开查询</h1>" in chinese
    assert "<h1>Search disclosed product standards</h1>" in english
    assert "企业产品标准自我声明公开查询" not in english
    assert "<h1>企业产品标准自我声明公开查询</h1>" in again
