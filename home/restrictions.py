"""A portal page's view restrictions, read once a generation of the page cache instead of on every visit."""


class CachedViewRestrictionsMixin:
    """Wagtail checks a page's view restrictions (its own and its ancestors') before serving it: two queries on every
    visit, as many as the rest of an uncached public page. Who may see a page changes only when a restriction is
    saved or deleted or a page moves, and both start a new generation of the page cache
    (:mod:`cqosite.pagecache`), so the restrictions are kept under it: the queryset is stored evaluated, and anything
    chained on it (the admin's privacy dialog orders it) reads the database afresh.
    """

    def get_view_restrictions(self):
        from cqosite import pagecache  # imports Wagtail's views, which need the models this mixin is part of

        def read():
            restrictions = super(CachedViewRestrictionsMixin, self).get_view_restrictions()
            len(restrictions)  # evaluated: the stored queryset carries its rows
            return restrictions

        return pagecache.cached(f"portal:restrictions:{self.pk}", read)
