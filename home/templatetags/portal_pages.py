"""Portal template tags: ``{% section_url "news" %}``, the URL of a portal section as the page tree has it (see
:mod:`home.sections`)."""

from django import template

from home import sections

register = template.Library()


@register.simple_tag(takes_context=True)
def section_url(context, name):
    return sections.section_url(name, context.get("request"))
