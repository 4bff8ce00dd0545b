from django.apps import AppConfig


class CQOSiteConfig(AppConfig):
    """The project package as an app, so the page cache can connect its invalidation signals."""

    name = "cqosite"
    verbose_name = "CQO Portal"

    def ready(self):
        from .pagecache import connect_signals
        from .search import quote_fts5_terms

        connect_signals()
        quote_fts5_terms()
