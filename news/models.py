"""News pages and the parent-organisation approval task.

Tree: HomePage → NewsIndexPage (/news/) → one NewsSectionPage per organisation → NewsPage.
A section belongs to one organisation, so Wagtail's tree-based group permissions express "each
organisation writes only in its own section" directly (see :mod:`news.sections`).
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page, get_page_models
from wagtail.search import index

from home.blocks import ContentStreamBlock, stream_plain_text
from home.restrictions import CachedViewRestrictionsMixin
from home.search import SearchTextMixin
from registry.models import Organisation
from registry.pagination import PUBLIC_MAX_PAGES, PublicPaginator
from registry.params import query_id, query_page, query_year
from registry.workflows import OrganisationApprovalTask


class NewsIndexPage(CachedViewRestrictionsMixin, Page):
    """The news list at /news/, filterable by region (organisation subtree) and year."""

    intro = models.CharField(_("introduction"), max_length=255, blank=True)

    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.NewsSectionPage"]
    per_page = 10

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("news index page")

    def news(self, private):
        """The public news below this index (``private``: ``Page.objects.private_q()``, looked up once a request)."""
        return (
            NewsPage.objects.live().exclude(private).descendant_of(self).order_by("-date", "-first_published_at", "-pk")
        )

    @staticmethod
    def region_choices(news):
        """Organisations that published ``news``, with their ancestors, in tree order."""
        paths = set(news.order_by().values_list("organisation__path", flat=True).distinct())
        steplen = Organisation.steplen
        wanted = {path[:length] for path in paths if path for length in range(steplen * 2, len(path) + 1, steplen)}
        return Organisation.objects.filter(path__in=wanted).order_by("path")

    @staticmethod
    def year_choices(news):
        return sorted({d.year for d in news.dates("date", "year")}, reverse=True)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        region_id = query_id(request, "region")
        # The fragment is keyed on the region found, not on the parameter: any number typed in makes no entry.
        region = Organisation.objects.filter(pk=region_id).first() if region_id else None
        year, page_number = query_year(request, "year"), query_page(request, PUBLIC_MAX_PAGES)
        # Read only when the template's fragment of this list page is not cached for the page cache's generation.
        context.update(
            list_query=(region.pk if region else None, year, page_number),
            listing=SimpleLazyObject(lambda: self.listing(region, year, page_number)),
        )
        return context

    def listing(self, region, year, page_number):
        """One page of the public news (of a region and its subtree, of a year) and the filters' choices."""
        all_news = self.news(Page.objects.private_q())
        news = all_news.select_related("organisation").defer_streamfields()
        if region is not None:
            news = news.filter(organisation__path__startswith=region.path)
        if year:
            news = news.filter(date__year=year)
        return {
            "items": PublicPaginator(news, self.per_page).get_page(page_number),
            "regions": self.region_choices(all_news),
            "years": self.year_choices(all_news),
            "selected_region": region,
            "selected_year": year,
            "filter_querystring": "".join(
                f"{name}={value}&" for name, value in (("region", region.pk if region else ""), ("year", year)) if value
            ),
        }


class NewsSectionPage(CachedViewRestrictionsMixin, Page):
    """One organisation's news section: its administrators write here; its parent's administrators approve."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="news_section"
    )

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = ["news.NewsPage"]
    is_creatable = False  # created with its permissions by news.sections.ensure_section
    per_page = 10

    content_panels = Page.content_panels + [FieldPanel("organisation", read_only=True)]

    class Meta:
        verbose_name = _("news section")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = (
            NewsPage.objects.live()
            .public()
            .child_of(self)
            .select_related("organisation")
            .defer_streamfields()
            .order_by("-date", "-pk")
        )
        context["items"] = PublicPaginator(news, self.per_page).get_page(query_page(request, PUBLIC_MAX_PAGES))
        return context


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey("news.NewsPage", related_name="tagged_items", on_delete=models.CASCADE)


class NewsPage(CachedViewRestrictionsMixin, SearchTextMixin, Page):
    """A news article; its organisation is the section's, which decides who approves it."""

    summary = models.TextField(_("summary"), max_length=500, help_text=_("Shown in lists and feeds."))
    body = StreamField(ContentStreamBlock(), verbose_name=_("body"), blank=True)
    date = models.DateField(_("publication date"), default=datetime.date.today)
    source = models.CharField(_("source"), max_length=128, blank=True, help_text=_("e.g. 石家庄市市场监督管理局"))
    tags = ClusterTaggableManager(through=NewsPageTag, verbose_name=_("tags"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="news_pages",
        null=True,
        editable=False,
    )

    parent_page_types = ["news.NewsSectionPage"]
    subpage_types = []

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("date"), FieldPanel("source"), FieldPanel("tags")], heading=_("Details")),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("search_text")]
    api_fields = [
        APIField("date"),
        APIField("source"),
        APIField("summary"),
        APIField("body"),
        APIField("tags"),
        APIField("organisation_name"),
    ]

    class Meta:
        verbose_name = _("news page")
        verbose_name_plural = _("news pages")

    @property
    def organisation_name(self):
        return self.organisation.name if self.organisation_id else ""

    def save(self, *args, **kwargs):
        if self.path:
            section = NewsSectionPage.objects.filter(pk__in=Page.objects.ancestor_of(self).values("pk")).first()
            if section is not None:
                self.organisation_id = section.organisation_id
        if not self.source and self.organisation_id:
            self.source = Organisation.objects.get(pk=self.organisation_id).name
        super().save(*args, **kwargs)

    def build_search_text(self):
        return "\n".join(filter(None, [self.source, self.summary, stream_plain_text(self.body)]))


def page_organisation(page):
    """The organisation a page speaks for: its own field, else its section's, else its owner's."""
    page = page.specific_deferred if isinstance(page, Page) else page
    organisation = getattr(page, "organisation", None)
    if organisation is None and isinstance(page, Page) and page.path:
        section = NewsSectionPage.objects.filter(pk__in=Page.objects.ancestor_of(page).values("pk")).first()
        organisation = section.organisation if section else None
    if organisation is None and getattr(page, "owner", None) is not None:
        organisation = page.owner.organisation
    return organisation


class ParentOrganisationApprovalTask(OrganisationApprovalTask):
    """Approved by the administrators of the parent of the page's organisation (seed 1.5.5: 经上一级管理员审核).

    A county's news goes to its city, a province's to the national bureau, the national bureau's to
    the platform operator; the platform's own pages only to superusers.
    """

    approver_levels = (1,)

    class Meta:
        verbose_name = _("parent organisation approval task")
        verbose_name_plural = _("parent organisation approval tasks")

    def object_unit(self, obj):
        return page_organisation(obj)

    def objects_of_units(self, units):
        """Pages whose ``organisation`` is in ``units``, or whose owner's is when they have none (page_organisation)."""
        with_field = [
            model
            for model in get_page_models()
            if any(field.name == "organisation" for field in model._meta.get_fields())
            and model._meta.get_field("organisation").related_model is Organisation
        ]
        condition = Q(owner__organisation__in=units) & ~Q(
            content_type__in=[ContentType.objects.get_for_model(model) for model in with_field]
        )
        for model in with_field:
            own = Q(organisation__in=units) | Q(organisation=None, owner__organisation__in=units)
            condition |= Q(pk__in=model.objects.filter(own).values("pk"))
        return Page.objects.filter(condition)
