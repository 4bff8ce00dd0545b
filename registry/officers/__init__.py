"""Chief Quality Officers: admin, import, talent pool, self-filing and the printable registration form."""


def grant_officer_permissions():
    """Every administrator role manages, publishes (approves) and locks officer records in its subtree."""
    from .. import roles

    roles.grant(
        roles.ALL_ROLES,
        roles.model_permissions(
            "registry", "chiefqualityofficer", ("add", "change", "delete", "view", "publish", "lock")
        )
        | {"registry.add_importjob", "registry.view_importjob"},
    )
