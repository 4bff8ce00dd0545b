"""News feeds (the news pages themselves are served by Wagtail under /news/)."""

from django.urls import path

from .feeds import LatestNewsAtomFeed, LatestNewsFeed

urlpatterns = [
    path("news/feed/rss/", LatestNewsFeed(), name="news_feed_rss"),
    path("news/feed/atom/", LatestNewsAtomFeed(), name="news_feed_atom"),
]
