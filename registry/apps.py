from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Registry")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cqosite import pagecache

        from . import contributions, lookups, policies, roles, workflows
        from .models import Organisation
        from .officers import TALENT_POOL, grant_officer_permissions

        lookups.register()
        policies.register_default_policies()
        workflows.connect_notifiers()
        contributions.add_function(Organisation.PLATFORM_OPERATOR, _("Platform operator"))
        contributions.add_function(Organisation.NATIONAL_BUREAU, _("National market regulation bureau"))
        # The talent pool, news and searches show enterprises' and units' names and regions.
        for model_name in ("Enterprise", "Organisation", "Division", "IndustryCategory"):
            pagecache.shows_publicly(self.get_model(model_name))
        # Officers are approved all day across the country, and only the talent pool shows them.
        pagecache.shows_only_under(self.get_model("ChiefQualityOfficer"), f"/{TALENT_POOL}")

        roles.grant(
            roles.ALL_ROLES,
            roles.model_permissions("registry", "enterprise")
            | roles.model_permissions("registry", "organisation")
            | roles.model_permissions("registry", "administrator")
            | roles.model_permissions("registry", "enterpriseaccount", ("view", "change"))
            | {"registry.view_division", "registry.view_industrycategory"},
        )
        grant_officer_permissions()
        post_migrate.connect(roles.sync_role_groups, dispatch_uid="registry.sync_role_groups")
