"""Site search that finds Chinese words inside titles and bodies.

Neither SQLite FTS nor PostgreSQL's default text-search parser segments Chinese, so "质量" would not
match "全国质量奖". Pages that take part keep a denormalised plain-text copy of their content
(:class:`SearchTextMixin.search_text`, rebuilt on every save, so also on publishing a revision) and
the search is a substring match on title, summary and that text; every whitespace-separated term must
match. It needs no extension and behaves the same on SQLite and PostgreSQL; at portal size (thousands
of pages) a scan of live pages is fast enough, and pg_trgm can index it later without changing callers.
"""

from functools import reduce
from operator import or_

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

MAX_TERMS = 5


class SearchTextMixin(models.Model):
    """Keeps ``search_text`` in step with the page's content."""

    search_text = models.TextField(_("search text"), blank=True, editable=False)

    class Meta:
        abstract = True

    def build_search_text(self):
        """Plain text of everything a reader might search for (besides the title)."""
        raise NotImplementedError

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)


def search_terms(query):
    return [term for term in (query or "").split() if term][:MAX_TERMS]


def searchable_models():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, SearchTextMixin) and issubclass(model, Page) and not model._meta.abstract
    ]


def site_search(query):
    """Live, public pages whose title or text contains every term, newest first (empty query: nothing)."""
    terms = search_terms(query)
    if not terms:
        return Page.objects.none()
    title_match = reduce(lambda q, term: q & Q(title__icontains=term), terms, Q())
    matching = [Page.objects.live().public().filter(title_match).values("pk")]
    for model in searchable_models():
        text_match = Q()
        for term in terms:
            text_match &= Q(title__icontains=term) | Q(search_text__icontains=term)
        matching.append(model.objects.live().public().filter(text_match).values("pk"))
    ids = reduce(or_, (Q(pk__in=subquery) for subquery in matching))
    return Page.objects.filter(ids).exclude(depth__lte=1).order_by("-first_published_at", "-pk").specific()
