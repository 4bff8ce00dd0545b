from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QCGroupsConfig(AppConfig):
    name = "filings.qcgroups"
    label = "qcgroups"
    verbose_name = _("QC groups")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from registry import contributions, roles

        from .figures import qc_filings_by_year
        from .models import SECRETARIAT

        contributions.add_function(SECRETARIAT, _("QC filing secretariat"))
        contributions.add_statistic("qcgroups", qc_filings_by_year, counts=["qcgroups.Filing"])

        # Reach is the organisation subtree: only the secretariat's administrators (and those above) find records.
        # Publishing a unit is the secretariat's edit of an approved unit's identity (registration review is the
        # unit's workflow, registry.workflows.FunctionApprovalTask).
        roles.grant(
            roles.ALL_ROLES,
            {
                "qcgroups.view_filingunit",
                "qcgroups.change_filingunit",
                "qcgroups.publish_filingunit",
                "qcgroups.view_filing",
                "qcgroups.view_yearlysetting",
            },
        )
