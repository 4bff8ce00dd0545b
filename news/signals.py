"""Keep administrators in their organisation's news group."""

LOGIN_ONLY_FIELDS = {"last_login", "password"}


def user_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields and set(update_fields) <= LOGIN_ONLY_FIELDS):
        return
    from .sections import sync_membership

    sync_membership(instance)
