from django.apps import AppConfig


class CQOSiteConfig(AppConfig):
    """The project package as an app, so the page cache can connect its invalidation signals."""

    name = "cqosite"
    verbose_name = "CQO Portal"

    def ready(self):
        from django.apps import apps

        from . import pagecache
        from .search import quote_fts5_terms

        pagecache.connect_signals()
        # Images and documents appear on published pages; the site record holds the site's name and root; a view
        # restriction takes a page (and the lists' rows below it) from the public or gives it back.
        for label in (
            "wagtailimages.Image",
            "wagtaildocs.Document",
            "wagtailcore.Site",
            "wagtailcore.PageViewRestriction",
        ):
            pagecache.shows_publicly(apps.get_model(label))
        quote_fts5_terms()
