from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "filings.standards"
    label = "standards"
    verbose_name = _("Product standards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cqosite import pagecache
        from registry import contributions, roles

        from . import lookups
        from .figures import standards_by_month

        lookups.register()
        published = self.get_model("DisclosedStandard").Status.PUBLISHED
        pagecache.shows_publicly(
            self.get_model("DisclosedStandard"),
            lambda standard: standard.status == published,
            # The two-year reminder and its answer show on the enterprise's own list only.
            unseen=("reminder_sent_at", "continued_at", "updated_at"),
        )
        for model_name in ("Product", "Indicator"):
            pagecache.shows_publicly(self.get_model(model_name), lambda row: row.standard.status == published)
        contributions.add_statistic("standards", standards_by_month, counts=["standards.DisclosedStandard"])
        from registry.models import Role

        roles.grant(roles.ALL_ROLES, {"standards.view_disclosedstandard", "standards.view_cataloguestandard"})
        roles.grant([Role.PLATFORM], roles.model_permissions("standards", "cataloguestandard"))
        # Every bureau checks the registration documents of the enterprises it holds (scoped to its subtree).
        roles.grant(roles.ALL_ROLES, roles.model_permissions("standards", "enterpriseverification", ("view", "change")))
