"""RSS 2.0 and Atom feeds of the latest live, public news."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from .models import NewsIndexPage, NewsPage

FEED_SIZE = 20


class LatestNewsFeed(Feed):
    title = "首席质量官之家 · 新闻动态"
    description = "各级市场监管部门发布的质量工作新闻"

    def link(self):
        index = NewsIndexPage.objects.live().first()
        return index.url if index else "/news/"

    def items(self):
        return (
            NewsPage.objects.live()
            .public()
            .select_related("organisation")
            .prefetch_related("tagged_items__tag")
            .order_by("-date", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time(8)))

    def item_author_name(self, item):
        return item.source or item.organisation_name

    def item_categories(self, item):
        return [tagged.tag.name for tagged in item.tagged_items.all()]


class LatestNewsAtomFeed(LatestNewsFeed):
    feed_type = Atom1Feed
    subtitle = LatestNewsFeed.description
