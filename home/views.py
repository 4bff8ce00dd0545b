"""Site search at /search/?q= (Chinese substring search, see :mod:`home.search`)."""

from django.shortcuts import render
from django.utils.http import urlencode

from registry.pagination import PUBLIC_MAX_PAGES, PublicPaginator
from registry.params import query_page, query_text

from .search import search_terms, site_search

PER_PAGE = 10
MAX_QUERY = 100

#: What a result is, in the portal's words (by page model, then by content category).
RESULT_KINDS = {"newspage": "新闻动态", "notice": "通知公告", "policy": "政策法规", "about": "关于我们"}


def result_kind(page):
    return RESULT_KINDS.get(getattr(page, "category", None) or page._meta.model_name, "栏目页面")


def search(request):
    query = query_text(request, "q", max_length=MAX_QUERY)
    page = query_page(request, PUBLIC_MAX_PAGES)
    results = PublicPaginator(site_search(query), PER_PAGE).get_page(page) if query else None
    for result in results or []:
        result.kind = result_kind(result)
    return render(
        request,
        "search/search.html",
        {
            "query": query,
            "terms": search_terms(query),
            "results": results,
            "search_querystring": urlencode({"q": query}) + "&",
        },
    )
