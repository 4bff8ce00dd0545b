"""Chief Quality Officers: admin, import, talent pool, self-filing and the printable registration form."""

#: The talent pool's path below the site's root: its pages are the only public pages that show officers.
TALENT_POOL = "talent-pool/"


def grant_officer_permissions():
    """Every administrator role manages and locks officer records in its subtree; none publishes one.

    Publishing is approval, which the review workflow grants per record (registry.officers.review).
    """
    from .. import roles

    roles.grant(
        roles.ALL_ROLES,
        roles.model_permissions("registry", "chiefqualityofficer", ("add", "change", "delete", "view", "lock"))
        | {"registry.add_importjob", "registry.view_importjob"},
    )
