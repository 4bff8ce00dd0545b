"""The admin dashboard shows Wagtail's page panels and page search only to those who edit pages."""

import pytest

from registry.models import Role

pytestmark = pytest.mark.django_db

PAGE_PANELS = {"recent_edits", "locked_pages"}
REGISTRY_PANELS = {"workflow_objects_to_moderate", "user_objects_in_workflow_moderation", "statistics_dashboard"}


def dashboard(client, user):
    client.force_login(user)
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return {panel.name for panel in response.context["panels"]}, response.content.decode()


@pytest.mark.parametrize("role", [Role.INSTITUTION, Role.PROVINCIAL])
def test_an_administrator_without_page_permissions_sees_the_registry_panels_only(client, orgs, make_admin, role):
    administrator = make_admin(orgs.changan if role == Role.INSTITUTION else orgs.hebei, role)  # no /news/: no pages
    names, html = dashboard(client, administrator)
    assert not names & PAGE_PANELS
    assert REGISTRY_PANELS <= names  # the review queue and statistics the registry apps register stay
    assert 'name="q"' not in html.split("w-dashboard", 1)[1]  # no "search all pages" box


def test_a_news_editor_keeps_the_page_panels_and_the_page_search(client, orgs, make_admin, portal):
    editor = make_admin(orgs.changan, Role.INSTITUTION)  # the portal gives the county a news section to write in
    names, html = dashboard(client, editor)
    assert PAGE_PANELS <= names and REGISTRY_PANELS <= names
    assert 'name="q"' in html.split("w-dashboard", 1)[1]
