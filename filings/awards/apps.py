from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "filings.awards"
    label = "awards"
    verbose_name = _("Quality awards")
    default_auto_field = "django.db.models.BigAutoField"
