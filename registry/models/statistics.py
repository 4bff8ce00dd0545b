"""The statistics dashboard's snapshot: officer and enterprise counts per organisation and dimension.

``registry.statistics.snapshot.refresh`` rewrites every row each minute (``bin/cron minute``); a dashboard of any
scope sums the rows of its subtree, so its cost follows the number of units, not the number of officers.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StatisticsTally(models.Model):
    """``n`` records of ``kind`` whose dimension equals ``value``, under one organisation (the enterprise's).

    The row of kind ``refreshed`` (no organisation) marks when the snapshot was taken, even for an empty registry.
    """

    # Derived rows rewritten each minute: no constraint to check per row (a deleted unit's rows go at the next
    # refresh, and nothing reads a unit that no longer exists).
    organisation = models.ForeignKey(
        "registry.Organisation",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=16)
    value = models.CharField(_("value"), max_length=255, blank=True)
    n = models.BigIntegerField(_("count"))
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("statistics tally")
        verbose_name_plural = _("statistics tallies")
        indexes = [models.Index(fields=["organisation", "kind"], name="registry_tally_org_kind")]

    def __str__(self):
        return f"{self.kind} {self.value}: {self.n}"
