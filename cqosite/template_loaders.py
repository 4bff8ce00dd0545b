"""Compiled templates with their fixed translations and static files' URLs written in.

Every page renders dozens of ``{% translate "…" %}`` tags whose text depends only on the language, and each costs
a catalogue look-up, a lazy string's resolution and an escape; each ``{% static "…" %}`` a look-up in the static
files' manifest: together about a tenth of an uncached public page. When it compiles a template, this loader
replaces each such tag with a fixed argument and nothing else to it (no variable, filter, context or ``as``): a
static URL by its text, a translation by a node that keeps its text per language, rendered by the tag the first
time the template renders in that language (a compiled template may be kept and rendered in any language:
Wagtail keeps its table columns' templates for the life of the process). A ``{% language %}`` block is left as
it is.
"""

from django.template import Context
from django.template.base import Node, NodeList, TextNode
from django.template.defaulttags import IfNode
from django.template.loaders import cached
from django.templatetags.i18n import LanguageNode, TranslateNode
from django.templatetags.static import StaticNode
from django.utils.translation import get_language


class Loader(cached.Loader):
    """Django's cached loader (over the same loaders), writing fixed texts in once per compiled template."""

    def get_template(self, template_name, skip=None):
        template = super().get_template(template_name, skip)
        if not getattr(template, "fixed_texts_written_in", False):
            write_in_fixed_texts(template.nodelist)
            template.fixed_texts_written_in = True
        return template


class FixedTranslationNode(Node):
    """A ``{% translate %}`` of a fixed message: its text in each language (escaped or not, as the template is),
    rendered by the tag once."""

    child_nodelists = ()

    def __init__(self, tag):
        self.tag, self.texts = tag, {}

    def render(self, context):
        key = (get_language(), context.autoescape)
        text = self.texts.get(key)
        if text is None:
            text = self.texts[key] = self.tag.render(context)
        return text


def write_in_fixed_texts(nodelist):
    """Replace, in ``nodelist`` and the lists nested in it, each fixed translation or static URL."""
    for index, node in enumerate(nodelist):
        fixed = fixed_node(node)
        if fixed is not None:
            nodelist[index] = fixed
            continue
        if isinstance(node, LanguageNode):
            continue
        for child in nested_nodelists(node):
            write_in_fixed_texts(child)


def nested_nodelists(node):
    if isinstance(node, IfNode):  # its ``nodelist`` is a copy made on each access
        return [nodelist for _condition, nodelist in node.conditions_nodelists]
    return [nodelist for name in node.child_nodelists if isinstance(nodelist := getattr(node, name, None), NodeList)]


def fixed_node(node: Node):
    """The node to render in place of ``node``, when it is a ``{% translate %}`` or ``{% static %}`` of a fixed
    argument that renders the same whether the template escapes or not; else ``None``."""
    if isinstance(node, TranslateNode) and not (node.asvar or node.message_context):
        argument = node.filter_expression
    elif isinstance(node, StaticNode) and not node.varname:
        argument = node.path
    else:
        return None
    fixed = isinstance(argument.var, str) or getattr(argument.var, "literal", None) is not None  # not a variable
    if argument.filters or not fixed:
        return None
    try:
        escaped, raw = (node.render(Context(autoescape=autoescape)) for autoescape in (True, False))
    except ValueError:  # a static file missing from the manifest: the page says so when it renders, as before
        return None
    if escaped != raw:
        return None
    return FixedTranslationNode(node) if isinstance(node, TranslateNode) else TextNode(escaped)
