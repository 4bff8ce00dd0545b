from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "filings.standards"
    label = "standards"
    verbose_name = _("Product standards")
    default_auto_field = "django.db.models.BigAutoField"
