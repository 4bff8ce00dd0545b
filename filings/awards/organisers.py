"""The award organiser runs its programmes in the Wagtail admin without being a superuser.

Its administrators (those who review award filings, ``access.can_review_filings``) are kept in one group that
may add, edit and publish pages below the awards index (programmes with their stages, criteria and material
templates; publishing results is publishing the page with "results published" ticked) and add and choose the
documents those pages link. Wagtail's page and collection permissions then govern every admin screen.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from . import access

GROUP_NAME = "质量奖项主办单位"
PAGE_ACTIONS = ("add", "change", "publish")
DOCUMENT_ACTIONS = ("add", "choose")
LOGIN_ONLY_FIELDS = {"last_login", "password"}


def organiser_group():
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    return group


def grant(index):
    """Give the organiser group its page permissions on ``index``'s subtree and its document permissions."""
    group = organiser_group()
    for action in PAGE_ACTIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=f"{action}_page")
        GroupPagePermission.objects.get_or_create(group=group, page_id=index.pk, permission=permission)
    root = Collection.get_first_root_node()
    if root is not None:
        for action in DOCUMENT_ACTIONS:
            permission = Permission.objects.get(content_type__app_label="wagtaildocs", codename=f"{action}_document")
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)


def sync_membership(user):
    """Keep ``user`` in the organiser group exactly while they administer the organiser."""
    group = organiser_group()
    if user.is_active and not user.is_superuser and access.can_review_filings(user):
        user.groups.add(group)
    else:
        user.groups.remove(group)


def sync_all():
    """Grants on the existing index and membership of every administrator (after migrate, in demo data)."""
    from registry.models import Organisation

    from .models import AwardIndexPage

    index = AwardIndexPage.objects.first()
    if index is not None:
        grant(index)
    organiser = Organisation.objects.holding(access.ORGANISER)
    if organiser is None:  # no organisation has the function yet: nobody to add
        return
    User = get_user_model()
    ancestors = [organiser.pk, *organiser.get_ancestors().values_list("pk", flat=True)]
    wanted = User.objects.filter(kind=User.Kind.ADMINISTRATOR, is_active=True, organisation_id__in=ancestors)
    group = organiser_group()
    group.user_set.set(wanted.exclude(role="").exclude(is_superuser=True))


def user_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields and set(update_fields) <= LOGIN_ONLY_FIELDS):
        return
    sync_membership(instance)


def index_saved(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        grant(instance)


def after_migrate(sender, **kwargs):
    sync_all()
