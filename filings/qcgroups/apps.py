from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QCGroupsConfig(AppConfig):
    name = "filings.qcgroups"
    label = "qcgroups"
    verbose_name = _("QC groups")
    default_auto_field = "django.db.models.BigAutoField"
