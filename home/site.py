"""Build the portal's page tree (idempotent): used by the demo data, deployments and tests."""

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from .models import ContentIndexPage, ContentPage, HomePage

SITE_TITLE = "首席质量官之家"
CONTENT_INDEXES = [("notice", "通知公告", "notices"), ("policy", "政策法规", "policies")]


def root_page():
    """Wagtail's tree root (recreated with the default locale when a test flush emptied the tables)."""
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", content_type=None))
    return root


@transaction.atomic
def build_site():
    """Home page as the default site's root (replacing Wagtail's welcome page), /news/, notices, policies.

    Returns the home page. The news index, its organisation sections and the approval workflow come from
    :func:`news.sections` helpers, which this calls.
    """
    from news.models import NewsIndexPage
    from news.sections import ensure_content_permissions, ensure_sections_for_administrators, ensure_workflow

    root = root_page()
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(
            instance=HomePage(title=SITE_TITLE, slug="cqo-home", intro="汇聚首席质量官，推动质量强国建设")
        )
    site = Site.objects.filter(is_default_site=True).first() or Site(
        hostname="localhost", port=80, is_default_site=True
    )
    site.root_page, site.site_name = home, SITE_TITLE
    site.save()
    for welcome in Page.objects.child_of(root).filter(
        content_type__model="page", content_type__app_label="wagtailcore"
    ):
        if not Site.objects.filter(root_page=welcome).exists():
            welcome.delete()

    news_index = NewsIndexPage.objects.first() or home.add_child(
        instance=NewsIndexPage(title="新闻动态", slug="news", intro="各级市场监管部门质量工作动态")
    )
    indexes = [news_index]
    for category, title, slug in CONTENT_INDEXES:
        index = ContentIndexPage.objects.filter(category=category).first() or home.add_child(
            instance=ContentIndexPage(title=title, slug=slug, category=category)
        )
        indexes.append(index)
        ensure_content_permissions(index)
    if not ContentPage.objects.filter(slug="about").exists():
        home.add_child(
            instance=ContentPage(
                title="关于我们",
                slug="about",
                category=ContentPage.Category.ABOUT,
                summary="首席质量官之家是服务企业首席质量官、质量管理人员和各级市场监管部门的综合性公共服务平台。",
            )
        )
    ensure_workflow(*indexes)
    ensure_sections_for_administrators(news_index)
    return home
