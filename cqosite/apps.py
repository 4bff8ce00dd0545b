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
        # Images and documents appear on published pages; the site record holds the site's name and root.
        for label in ("wagtailimages.Image", "wagtaildocs.Document", "wagtailcore.Site"):
            pagecache.shows_publicly(apps.get_model(label))
        quote_fts5_terms()
