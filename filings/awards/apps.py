from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "filings.awards"
    label = "awards"
    verbose_name = _("Quality awards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cqosite import pagecache
        from registry import contributions

        from .access import ORGANISER
        from .figures import applications_by_programme

        contributions.add_function(ORGANISER, _("Award organiser"))
        contributions.add_statistic("applications", applications_by_programme, counts=["awards.Application"])

        application = self.get_model("Application")
        decided = {application.State.AWARDED, application.State.NOT_AWARDED}
        # Programme pages publish results; an application changes them when it is decided.
        pagecache.shows_publicly(application, lambda instance: instance.state in decided)
