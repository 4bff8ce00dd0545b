"""Permissions carried by each administrator role, kept in one Django group per role.

Apps add what their registries need with :func:`grant` from their ``AppConfig.ready``; the groups
are brought up to date after every ``migrate`` (post_migrate), so a new permission needs no
hand-written data migration. Record-level reach is not a permission: it is the organisation
subtree (registry.scoping).
"""

from .models.users import ROLE_GROUP, Role

ALL_ROLES = tuple(Role)

#: Roles whose work is contacting individual officers (reviewing, correcting records). Every role sees ID numbers
#: and mobiles masked (registry.crypto.masked); these may reveal a record's whole values (audited, with a reason)
#: and export them (audited); national and platform oversight never sees them whole.
CONTACT_ROLES = {Role.PROVINCIAL, Role.INSTITUTION}


def sees_contact_details(user):
    return bool(getattr(user, "is_administrator", False)) and user.role in CONTACT_ROLES


#: role → set of "app_label.codename"
ROLE_PERMISSIONS = {role: {"wagtailadmin.access_admin"} for role in Role}


def grant(roles, permissions):
    """Give every role in ``roles`` the permissions named "app_label.codename"."""
    for role in roles:
        ROLE_PERMISSIONS[Role(role)].update(permissions)


def model_permissions(app_label, model, actions=("add", "change", "delete", "view")):
    return {f"{app_label}.{action}_{model}" for action in actions}


def sync_role_groups(**kwargs):
    """Create the role groups and give each exactly its declared permissions (those that exist yet)."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    for role, wanted in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=ROLE_GROUP[role])
        query = None
        for name in wanted:
            app_label, codename = name.split(".", 1)
            clause = Q(content_type__app_label=app_label, codename=codename)
            query = clause if query is None else query | clause
        permissions = Permission.objects.filter(query) if query is not None else Permission.objects.none()
        group.permissions.set(permissions)
