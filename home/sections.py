"""The portal's sections (news, notices, policies, about, awards), found in the page tree by their page type.

Templates link to a section through ``{% section_url "news" %}`` (``home.templatetags.portal_pages``), never by a
hard-coded path: an editor may move or rename (re-slug) a section page and the links follow. A section is the first
live page of its type (and category) in tree order; a section the tree lacks has no URL, and its link is left out.
"""

from django.apps import apps
from wagtail.models import Page

from cqosite import pagecache


def _news_index():
    from news.models import NewsIndexPage

    return NewsIndexPage.objects.live()


def _content_index(category):
    def pages():
        from .models import ContentIndexPage

        return ContentIndexPage.objects.live().filter(category=category)

    return pages


def _about():
    from .models import ContentPage

    return ContentPage.objects.live().filter(category=ContentPage.Category.ABOUT)


def _awards():
    if not apps.is_installed("filings.awards"):  # the portal runs without the awards programme too
        return Page.objects.none()
    from filings.awards.models import AwardIndexPage

    return AwardIndexPage.objects.live()


#: Section name -> the live pages that may serve as that section, first in tree order wins.
SECTIONS = {
    "news": _news_index,
    "notices": _content_index("notice"),
    "policies": _content_index("policy"),
    "about": _about,
    "awards": _awards,
}


def section_page(name):
    """The live page serving as section ``name`` (a key of :data:`SECTIONS`), or ``None``."""
    return SECTIONS[name]().order_by("path").first()


def section_urls(request):
    """Every section's URL for ``request``'s host ("" where the tree has no such section).

    Every public page links to the sections, so their URLs are kept under the page cache's generation, which
    moves whenever a page is published, unpublished or moved (:func:`cqosite.pagecache.cached`).
    """
    if request is None:  # the server error page renders without a request, and must without the database too
        return dict.fromkeys(SECTIONS, "")
    urls = getattr(request, "_portal_section_urls", None)
    if urls is None:
        urls = request._portal_section_urls = pagecache.cached(
            f"portal:sections:{request.get_host()}", lambda: {name: _url(name, request) for name in SECTIONS}
        )
    return urls


def _url(name, request):
    page = section_page(name)
    return (page.get_url(request) or "") if page is not None else ""


def section_url(name, request=None):
    """The URL of section ``name`` for ``request``'s site ("" when the tree has no such section)."""
    return section_urls(request)[name]
