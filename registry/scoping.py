"""One scoping mechanism for every registry: "records inside this user's organisation subtree".

Every scoped model names the path from itself to its :class:`~registry.models.Organisation`
(``scope_lookup``) and uses :class:`ScopedManager` as its default manager. During an admin request
:class:`registry.middleware.AdminScopeMiddleware` sets the current user's subtree, so *every* query
through the default manager — listings, edit/delete/inspect/history/usage views, workflow actions,
choosers, filter choices, exports, bulk actions — is confined to it, and a direct URL to any other
record answers 404 because ``get_object_or_404`` cannot find it. Code that must look across the
whole registry (uniqueness checks, imports matching by USCC) uses ``Model.unscoped`` explicitly.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.snippets.widgets import AdminSnippetChooser

#: Organisation path prefix of the current admin user, ``None`` for "no restriction".
_current_scope: ContextVar[str | None] = ContextVar("registry_scope", default=None)

#: Subtree organisation ids already looked up in the current scope, by path prefix.
_subtree_ids: ContextVar[dict | None] = ContextVar("registry_subtree_ids", default=None)

#: A path no organisation has: users with no organisation see nothing.
NOTHING = "~"

#: Subtrees up to this many units are filtered by a literal id list, larger ones by a subquery.
LITERAL_SUBTREE_LIMIT = 64


def scope_for_user(user):
    """The organisation path prefix ``user`` may reach, or ``None`` for everything: the scope policy's answer."""
    from .policies import ScopePolicy

    return ScopePolicy.scope_for(user)


@contextmanager
def scope(prefix, unit=None):
    """Confine default-manager queries to the subtree at ``prefix`` (``None``: unrestricted).

    ``unit``: the organisation at ``prefix``, when the caller holds it; a unit with no children (a county) is its
    own subtree, so its records are filtered by its id with no lookup of the subtree's ids.
    """
    token = _current_scope.set(prefix)
    known = {prefix: [unit.pk]} if unit is not None and unit.path == prefix and unit.numchild == 0 else {}
    ids_token = _subtree_ids.set(known)
    try:
        yield
    finally:
        _subtree_ids.reset(ids_token)
        _current_scope.reset(token)


def subtree_filter(prefix):
    """The ids of the organisations under ``prefix``: a list for small subtrees, else a subquery.

    A literal list lets PostgreSQL estimate the rows of each unit and walk the record's
    ``(organisation, -id)`` index for a first page, where a semi-join makes it fetch and sort the whole
    subtree. Country- and province-wide subtrees stay a subquery: their lists would be thousands long.
    Within one :func:`scope` (one admin request) each prefix is looked up once.
    """
    from .models import Organisation

    cache = _subtree_ids.get()
    if cache is not None and prefix in cache:
        return cache[prefix]
    result = unit_ids(Organisation.objects.filter(path__startswith=prefix))
    if cache is not None:
        cache[prefix] = result
    return result


def subtree_id_set(prefix):
    """Every organisation id under ``prefix`` as a set, looked up once within one :func:`scope` (an admin request);
    ``None`` outside one. For checking records one at a time against a province- or country-wide subtree (a permission
    policy asked per listed row) without loading each row's organisation."""
    from .models import Organisation

    cache = _subtree_ids.get()
    if cache is None:
        return None
    key = ("set", prefix)
    if key not in cache:
        units = subtree_filter(prefix)
        if not isinstance(units, list):
            units = Organisation.objects.filter(path__startswith=prefix).values_list("pk", flat=True)
        cache[key] = frozenset(units)
    return cache[key]


def unit_ids(units):
    """The ids of ``units`` (an Organisation queryset) for an ``__in`` filter: a literal list of at most
    ``LITERAL_SUBTREE_LIMIT``, else the subquery.

    PostgreSQL estimates a literal id's records from the column's statistics, a subquery's as an average unit's: the
    national bureau and its 31 provinces (no records of their own) would look like most of the registry.
    """
    subquery = units.values("pk")
    ids = [row["pk"] for row in subquery[: LITERAL_SUBTREE_LIMIT + 1]]
    return ids if len(ids) <= LITERAL_SUBTREE_LIMIT else subquery


def unscoped():
    return scope(None)


def current_scope():
    return _current_scope.get()


class ScopedQuerySet(models.QuerySet):
    def within(self, prefix):
        """Records whose organisation lies in the subtree whose path is ``prefix``."""
        if prefix is None:
            return self
        lookup = self.model.scope_lookup
        if not lookup:
            return self.filter(path__startswith=prefix)
        # Filtering on the subtree's ids lets the database use the record's own organisation index
        # instead of joining every row to the organisation table.
        return self.filter(**{f"{lookup}__in": subtree_filter(prefix)})

    def for_user(self, user):
        return self.within(scope_for_user(user))


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    def get_queryset(self):
        return super().get_queryset().within(_current_scope.get())


class ScopedAdminForm(WagtailAdminModelForm):
    """The admin form of every scoped record: each record or unit it can point at is limited to the user's subtree.

    A form field's choices are a queryset made when the form class is built, outside any request, so without this
    a county's officer form would accept any enterprise in the country by its id (and its error would tell which
    ids exist).
    """

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None:
            limit_choices_to_scope(self, scope_for_user(for_user))
        word_choosers(self)


def word_choosers(form):
    """Word the snippet choosers' buttons in this request's language: Wagtail words them once, when the form class
    is built, in the language of the request that happened to build it."""
    for field in form.fields.values():
        if isinstance(field.widget, AdminSnippetChooser):
            name = {"object": field.widget.model._meta.verbose_name}
            field.widget.choose_one_text = _("Choose %(object)s") % name
            field.widget.choose_another_text = _("Choose another %(object)s") % name
            field.widget.link_to_chosen_text = _("Edit this %(object)s") % name


def limit_choices_to_scope(form, prefix):
    """Confine every record and unit ``form`` offers to the subtree at ``prefix`` (``None``: everything)."""
    from .models import Organisation

    if prefix is None:
        return
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is None:
            continue
        if issubclass(queryset.model, ScopedModelMixin):
            field.queryset = queryset.filter(pk__in=queryset.model.unscoped.within(prefix).values("pk"))
        elif issubclass(queryset.model, Organisation):
            field.queryset = queryset.filter(path__startswith=prefix)


class ScopedModelMixin(models.Model):
    """Base for registry models confined to an organisation subtree during admin requests."""

    #: Lookup path from the model to its Organisation ("organisation", "enterprise__organisation").
    scope_lookup = "organisation"
    #: Wagtail builds the model's admin form on this base (registry.scoping.ScopedAdminForm).
    base_form_class = ScopedAdminForm

    objects = ScopedManager()
    unscoped = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    def validate_unique(self, exclude=None):
        # A duplicate outside the user's subtree is still a duplicate.
        with unscoped():
            super().validate_unique(exclude)

    def validate_constraints(self, exclude=None):
        with unscoped():
            super().validate_constraints(exclude)

    def is_within(self, prefix):
        """Whether this record lies in the subtree at ``prefix`` (``None``: everything)."""
        if prefix is None:
            return True
        organisation = organisation_of(self)
        return organisation is not None and organisation.path.startswith(prefix)


def scope_lookup(model):
    """The lookup from ``model`` to its organisation (an account's is its own unit)."""
    return getattr(model, "scope_lookup", "organisation")


def organisation_of(instance):
    """The organisation ``instance`` belongs to, by its model's ``scope_lookup``."""
    organisation = instance
    for part in filter(None, scope_lookup(type(instance)).split("__")):
        organisation = getattr(organisation, part)
        if organisation is None:
            return None
    return organisation


def organisation_id_of(instance):
    """The id of the organisation ``instance`` belongs to, without loading the organisation itself."""
    return related_id(instance, scope_lookup(type(instance)))


def related_id(instance, lookup):
    """The id at the end of ``lookup`` from ``instance`` (``"unit__account"``: its unit's ``account_id``; ``"pk"``:
    its own), loading only the records in between."""
    *path, last = lookup.split("__")
    node = instance
    for part in path:
        node = getattr(node, part)
        if node is None:
            return None
    return node.serializable_value(last)
