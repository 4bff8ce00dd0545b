from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Registry")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import roles

        roles.grant(
            roles.ALL_ROLES,
            roles.model_permissions("registry", "enterprise")
            | roles.model_permissions("registry", "organisation")
            | {"registry.view_division", "registry.view_industrycategory"},
        )
        post_migrate.connect(roles.sync_role_groups, dispatch_uid="registry.sync_role_groups")
