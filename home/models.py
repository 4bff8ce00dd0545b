"""Portal pages: the home page, generic content (policies, notices, about) and their indexes."""

import datetime

from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from registry.pagination import PUBLIC_MAX_PAGES, PublicPaginator
from registry.params import query_page

from .blocks import ContentStreamBlock, stream_plain_text
from .restrictions import CachedViewRestrictionsMixin
from .search import SearchTextMixin


class HomePage(CachedViewRestrictionsMixin, Page):
    """The portal's front page. Other apps' index pages (news, awards …) hang below it.

    ``subpage_types`` is deliberately left open: apps declare ``parent_page_types = ["home.HomePage"]``.
    """

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    intro = models.CharField(
        _("introduction"), max_length=255, blank=True, help_text=_("One sentence shown under the banner.")
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read only when the template's fragment of them is not cached for this generation of the page cache.
        context["lists"] = SimpleLazyObject(self.lists)
        return context

    @staticmethod
    def lists():
        """The latest public news, notices and policies. The private sections are looked up once for the three
        lists (``public()`` looks them up each time), and the rows leave out their bodies."""
        from news.models import NewsPage

        private = Page.objects.private_q()
        listed = ContentPage.objects.live().exclude(private).defer_streamfields().order_by("-date", "-pk")
        return {
            "latest_news": list(
                NewsPage.objects.live()
                .exclude(private)
                .defer_streamfields()
                .select_related("organisation")
                .order_by("-date", "-pk")[:8]
            ),
            "notices": listed.filter(category=ContentPage.Category.NOTICE)[:6],
            "policies": listed.filter(category=ContentPage.Category.POLICY)[:6],
        }


CATEGORY_CHOICES = [("notice", _("Notice")), ("policy", _("Policy document")), ("about", _("About"))]


class ContentIndexPage(CachedViewRestrictionsMixin, Page):
    """A listing of content pages of one category (通知公告, 政策法规)."""

    category = models.CharField(_("category"), max_length=16, choices=CATEGORY_CHOICES, default="notice")
    intro = models.CharField(_("introduction"), max_length=255, blank=True)

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.ContentPage"]
    per_page = 15

    content_panels = Page.content_panels + [FieldPanel("category"), FieldPanel("intro")]

    class Meta:
        verbose_name = _("content index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        pages = ContentPage.objects.live().public().child_of(self).order_by("-date", "-pk")
        context["items"] = PublicPaginator(pages, self.per_page).get_page(query_page(request, PUBLIC_MAX_PAGES))
        return context


class ContentPage(CachedViewRestrictionsMixin, SearchTextMixin, Page):
    """A policy document, notice or about page; moderated like news when placed under a moderated index."""

    class Category(models.TextChoices):
        NOTICE = CATEGORY_CHOICES[0]
        POLICY = CATEGORY_CHOICES[1]
        ABOUT = CATEGORY_CHOICES[2]

    category = models.CharField(_("category"), max_length=16, choices=Category.choices, default=Category.NOTICE)
    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(ContentStreamBlock(), verbose_name=_("body"), blank=True)
    date = models.DateField(_("publication date"), default=datetime.date.today)
    document_number = models.CharField(
        _("document number"), max_length=64, blank=True, help_text=_("e.g. 国市监质发〔2026〕12号")
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("issuing organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    parent_page_types = ["home.HomePage", "home.ContentIndexPage"]
    subpage_types = []

    content_panels = Page.content_panels + [
        FieldPanel("category"),
        FieldPanel("date"),
        FieldPanel("document_number"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("search_text")]
    api_fields = [
        APIField("category"),
        APIField("date"),
        APIField("document_number"),
        APIField("summary"),
        APIField("body"),
    ]

    class Meta:
        verbose_name = _("content page")

    def save(self, *args, **kwargs):
        # The issuing organisation is the author's unless an editor chose otherwise: it decides who approves.
        if self.organisation_id is None and self.owner_id is not None:
            self.organisation_id = self.owner.organisation_id
        super().save(*args, **kwargs)

    def build_search_text(self):
        return "\n".join(filter(None, [self.document_number, self.summary, stream_plain_text(self.body)]))
