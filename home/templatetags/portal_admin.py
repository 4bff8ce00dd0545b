"""Admin template helpers: ``{% if request.user|edits_pages %}`` for the dashboard's page search."""

from django import template
from wagtail.admin.auth import user_has_any_page_permission

register = template.Library()


@register.filter
def edits_pages(user):
    return user_has_any_page_permission(user)
