"""The one answer to "which records may this user reach": :class:`ScopePolicy`, the permission policy of every
scoped model.

Like Wagtail's ``CollectionPermissionPolicy`` over its treebeard tree, it joins the model permission to the place of
the record in the organisation tree: an administrator reaches the subtree of their unit, a superuser everything, a
portal account what it owns (its enterprise's records, a QC filing unit's account its unit's, an officer's account
its own record: the model's owner lookup for that kind of account) and nothing else. Portal views look their records
up here too (:func:`permitted`, :func:`owned`). Its queries go through ``Model.unscoped.within(...)``, so they give
the same answer inside an admin request (where ``AdminScopeMiddleware`` also confines the default manager, with the
prefix :meth:`ScopePolicy.scope_for` gives) and outside one (jobs, commands, portal views).
"""

import functools

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.functional import cached_property
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry

from .scoping import (
    NOTHING,
    ScopedModelMixin,
    organisation_id_of,
    organisation_of,
    related_id,
    scope_lookup,
    subtree_filter,
    subtree_id_set,
)

#: The actions a portal account holds on the records it owns, whatever its model permissions: reading them. A model
#: its owners keep on the portal (award filings, QC filings…) names more, each one a portal view takes (within the
#: view's own state rules: only a draft is deleted…).
OWNER_ACTIONS = frozenset({"view"})


class ScopePolicy(ModelPermissionPolicy):
    """Model permission AND the record within the user's reach."""

    def __init__(self, model, auth_model=None, owner_lookups=None, owner_actions=OWNER_ACTIONS):
        super().__init__(model, auth_model=auth_model)
        #: Per kind of portal account, the lookup from the model to what such an account owns a record through: an
        #: enterprise (an enterprise account's) or the account itself (a QC filing unit's, an officer's own). A kind
        #: not named owns nothing; by default enterprise accounts own their enterprise's records.
        if owner_lookups is None:
            lookup = enterprise_lookup(model)
            owner_lookups = {get_user_model().Kind.ENTERPRISE: lookup} if lookup else {}
        self.owner_lookups = owner_lookups
        self.owner_actions = owner_actions

    @cached_property
    def _content_type(self):
        # A proxy's permissions (the administrator and enterprise-account proxies) are on its own content type.
        return ContentType.objects.get_for_model(self.auth_model, for_concrete_model=False)

    @staticmethod
    def scope_for(user):
        """The organisation path prefix ``user`` reaches as an administrator: ``None`` for everything (superusers),
        ``NOTHING`` for visitors, portal accounts and administrators without a unit."""
        if not user.is_authenticated:
            return NOTHING
        if user.is_superuser:
            return None
        organisation = getattr(user, "organisation", None)
        if organisation is None or not user.is_administrator:
            return NOTHING
        return organisation.path

    def owner_of(self, user):
        """``(lookup, id)``: how the portal account ``user`` owns this model's records (through its enterprise, or
        itself where the lookup ends at an account); ``None`` for every other user, administrators included (one
        whose role was taken away owns nothing by an enterprise left on the row)."""
        if not user.is_authenticated or user.is_superuser:
            return None
        lookup = self.owner_lookups.get(user.kind)
        if lookup is None:
            return None
        owner = user.pk if ends_at_account(self.model, lookup) else user.enterprise_id
        return None if owner is None else (lookup, owner)

    def owns(self, user, instance):
        """Whether ``instance`` is one of the records ``user`` owns."""
        owner = self.owner_of(user)
        return owner is not None and related_id(instance, owner[0]) == owner[1]

    def _records(self):
        # Accounts, award filings and projects have an unscoped default manager; scoped models their ``unscoped``.
        return self.model.unscoped if issubclass(self.model, ScopedModelMixin) else self.model._default_manager

    def owned(self, user):
        """The records ``user`` owns: a portal account's own, none for anyone else."""
        owner = self.owner_of(user)
        if owner is None:
            return self._records().none()
        return self._records().filter(**{owner[0]: owner[1]})

    def reachable(self, user):
        """Every record of the model ``user`` reaches, whatever the action (no context variable involved): what it
        owns, for a portal account; otherwise what it administers."""
        if self.owner_of(user) is not None:
            return self.owned(user)
        return self.administered(user)

    def reaches(self, user, instance):
        if self.owner_of(user) is not None:
            return self.owns(user, instance)
        return self.administers(user, instance)

    def administered(self, user):
        """The records within ``user``'s reach as an administrator (:meth:`scope_for`); a model whose
        administrators are not one subtree's (award filings and applications) says who they are here."""
        prefix = self.scope_for(user)
        if issubclass(self.model, ScopedModelMixin):
            return self.model.unscoped.within(prefix)
        records = self._records().all()
        if prefix is None:
            return records
        return records.filter(**{f"{scope_lookup(self.model)}__path__startswith": prefix})

    def administers(self, user, instance):
        """Whether ``instance`` is within ``user``'s reach as an administrator: :meth:`administered`, one record."""
        prefix = self.scope_for(user)
        if prefix is None:
            return True
        # A small subtree's ids are one lookup per admin request (subtree_filter), so a listing asking row by row
        # (Wagtail's admin URL finder) does not load each row's organisation.
        units = subtree_filter(prefix)
        if not isinstance(units, list):
            units = subtree_id_set(prefix)  # a province's or the country's: one set per admin request
        if units is not None:
            return organisation_id_of(instance) in units
        organisation = organisation_of(instance)
        return organisation is not None and organisation.path.startswith(prefix)

    def may(self, user, action):
        """The model permission, or for a portal account one of the owner's actions on what it owns."""
        if self.owner_of(user) is not None:
            return action in self.owner_actions
        return self.user_has_permission(user, action)

    def instances_user_has_permission_for(self, user, action):
        return self.reachable(user) if self.may(user, action) else self.model._default_manager.none()

    def instances_user_has_any_permission_for(self, user, actions):
        if any(self.may(user, action) for action in actions):
            return self.reachable(user)
        return self.model._default_manager.none()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.may(user, action) and self.reaches(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.may(user, action) for action in actions) and self.reaches(user, instance)

    def users_with_any_permission_for_instance(self, actions, instance):
        """Superusers and the administrators, holding one of ``actions``, of the record's unit or a unit above."""
        organisation = organisation_of(instance)
        if organisation is None:
            return self.users_with_any_permission(actions).filter(is_superuser=True)
        units = [organisation.pk, *organisation.get_ancestors().values_list("pk", flat=True)]
        return self.users_with_any_permission(actions).filter(
            Q(is_superuser=True) | Q(kind=get_user_model().Kind.ADMINISTRATOR, organisation__in=units)
        )

    def users_with_permission_for_instance(self, action, instance):
        return self.users_with_any_permission_for_instance([action], instance)


def permitted(user, model, action="view"):
    """The records of ``model`` that ``user`` may ``action``, by the model's registered policy: what a view outside
    Wagtail's generic ones (a portal view included) looks its records up in, so another owner's record is a 404.
    Without the permission at all, PermissionDenied (403)."""
    policy = policy_registry.get_by_type(model)
    if not policy.may(user, action):
        raise PermissionDenied
    return policy.instances_user_has_permission_for(user, action)


def owned(user, model):
    """The records of ``model`` that ``user`` owns, by its policy: a portal page that must never widen to what an
    administrator reaches (which unit a QC account files for) looks them up here."""
    return policy_registry.get_by_type(model).owned(user)


def owns(user, record):
    """Whether ``user`` owns ``record`` by its model's policy (an enterprise's account, a QC filing unit's)."""
    return policy_registry.get_by_type(type(record)).owns(user, record)


@functools.cache
def ends_at_account(model, lookup):
    """Whether ``lookup`` from ``model`` ends at an account rather than at an enterprise."""
    for part in lookup.split("__"):
        model = model if part == "pk" else model._meta.get_field(part).related_model
    return issubclass(model, get_user_model())


def enterprise_lookup(model):
    """``pk`` for the enterprise itself, the name of the model's foreign key to an enterprise, or ``None``."""
    from .models import Enterprise

    if issubclass(model, get_user_model()):
        return None  # accounts are not records a portal account owns
    if issubclass(model, Enterprise):
        return "pk"
    for field in model._meta.concrete_fields:
        if field.is_relation and field.many_to_one and issubclass(field.related_model, Enterprise):
            return field.name
    return None


def register_default_policies():
    """A :class:`ScopePolicy` for every concrete scoped model, from the registry's ``ready``: before any app's
    hooks, so an app's own policy (which must build on ScopePolicy, ``tests/registry/test_policies.py``) replaces it,
    and before any viewset would make Wagtail's fallback ``ModelPermissionPolicy``."""
    from django.apps import apps
    from wagtail.permissions import register_permission_policy

    for model in apps.get_models():
        if issubclass(model, ScopedModelMixin) and policy_registry.get_by_type(model, fallback=False) is None:
            register_permission_policy(model, ScopePolicy(model))
